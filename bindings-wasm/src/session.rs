//! The stepping session class.

use crate::convert::{self, addr, array, big, data, opt, options_object, small, text, Js, Obj};
use crate::error::{bad_input, engine_error};
use crate::outputs;
use wasm_bindgen::prelude::*;
use zkos_core::engine::{self, Breakpoint, CallKind, SessionPhase, StepRecorder, StepReport};

/// Default step limit of `continueUntil`.
const DEFAULT_MAX_STEPS: u64 = 10_000_000;

fn phase_name(phase: SessionPhase) -> &'static str {
    match phase {
        SessionPhase::Validation => "validation",
        SessionPhase::FeeCharge => "feeCharge",
        SessionPhase::Execution => "execution",
        SessionPhase::Pubdata => "pubdata",
        SessionPhase::Refund => "refund",
        SessionPhase::BlockFinish => "blockFinish",
        SessionPhase::Finished => "finished",
    }
}

fn phase_of(name: &str) -> Js<SessionPhase> {
    Ok(match name {
        "validation" => SessionPhase::Validation,
        "feeCharge" => SessionPhase::FeeCharge,
        "execution" => SessionPhase::Execution,
        "pubdata" => SessionPhase::Pubdata,
        "refund" => SessionPhase::Refund,
        "blockFinish" => SessionPhase::BlockFinish,
        "finished" => SessionPhase::Finished,
        _ => return Err(bad_input("phase: unknown phase name")),
    })
}

fn kind_name(kind: CallKind) -> &'static str {
    match kind {
        CallKind::Call => "CALL",
        CallKind::CallCode => "CALLCODE",
        CallKind::DelegateCall => "DELEGATECALL",
        CallKind::StaticCall => "STATICCALL",
        CallKind::Create => "CREATE",
        CallKind::Create2 => "CREATE2",
    }
}

fn report(r: StepReport) -> JsValue {
    Obj::new()
        .set("steps", JsValue::from(r.steps))
        .set("phase", JsValue::from_str(phase_name(r.phase)))
        .set("txIndex", JsValue::from_f64(r.tx_index as f64))
        .set("finished", JsValue::from_bool(r.finished))
        .build()
}

/// A transaction or a block being stepped (see `Engine.session`, `Engine.blockSession`).
#[wasm_bindgen]
pub struct Session {
    pub(crate) inner: engine::Session,
    /// What `recordSteps` has recorded of this session so far.
    pub(crate) recorder: StepRecorder,
}

impl Session {
    /// A session not yet stepped or recorded.
    pub(crate) fn new(inner: engine::Session) -> Self {
        Self {
            inner,
            recorder: StepRecorder::new(),
        }
    }
}

#[wasm_bindgen]
impl Session {
    /// Takes up to `n` steps (default 1); returns `{steps, phase, txIndex, finished}`.
    pub fn step(&mut self, n: Option<u32>) -> Js<JsValue> {
        self.inner
            .step(u64::from(n.unwrap_or(1)))
            .map(report)
            .map_err(|e| engine_error(&e))
    }

    /// Steps until `{pc?, opcode?, phase?, depth?}` matches the next opcode (an empty object:
    /// the next phase change), the end, or `maxSteps`.
    #[wasm_bindgen(js_name = continueUntil)]
    pub fn continue_until(&mut self, breakpoint: JsValue, max_steps: Option<f64>) -> Js<JsValue> {
        options_object(&breakpoint, "breakpoint")?;
        let at = Breakpoint {
            pc: opt(&breakpoint, "pc", small)?,
            opcode: opt(&breakpoint, "opcode", small)?,
            phase: text(&breakpoint, "phase")?
                .as_deref()
                .map(phase_of)
                .transpose()?,
            depth: opt(&breakpoint, "depth", small)?,
        };
        let max = match max_steps {
            Some(m) if m >= 0.0 && m.fract() == 0.0 => m as u64,
            Some(_) => return Err(bad_input("maxSteps: expected a non-negative integer")),
            None => DEFAULT_MAX_STEPS,
        };
        self.inner
            .continue_until(&at, max)
            .map(report)
            .map_err(|e| engine_error(&e))
    }

    /// The phase name: validation, feeCharge, execution, pubdata, refund, blockFinish (a
    /// block session after its last transaction) or finished.
    pub fn phase(&self) -> String {
        phase_name(self.inner.phase()).to_string()
    }

    /// Whether the session has ended.
    pub fn finished(&self) -> bool {
        self.inner.finished()
    }

    /// Index of the transaction being stepped (the count once all ended).
    #[wasm_bindgen(js_name = txIndex)]
    pub fn tx_index(&self) -> f64 {
        self.inner.tx_index() as f64
    }

    /// Number of transactions the session runs (1 for a call).
    #[wasm_bindgen(js_name = txCount)]
    pub fn tx_count(&self) -> f64 {
        self.inner.tx_count() as f64
    }

    /// Events so far: `[{address, topics, data, txIndex, pending}]` (`pending` while their
    /// transaction runs: a revert may still remove them).
    pub fn logs(&self) -> JsValue {
        array(&self.inner.logs(), |l| {
            Obj::new()
                .set("address", addr(&l.log.address))
                .set("topics", array(&l.log.topics, convert::hash))
                .set("data", data(&l.log.data))
                .set("txIndex", JsValue::from_f64(l.tx_index as f64))
                .set("pending", JsValue::from_bool(l.pending))
                .build()
        })
    }

    /// L2→L1 messages so far: `[{sender, data, txIndex, pending}]`.
    #[wasm_bindgen(js_name = l2ToL1Messages)]
    pub fn l2_to_l1_messages(&self) -> JsValue {
        array(&self.inner.messages(), |m| {
            Obj::new()
                .set("sender", addr(&m.message.sender))
                .set("data", data(&m.message.data))
                .set("txIndex", JsValue::from_f64(m.tx_index as f64))
                .set("pending", JsValue::from_bool(m.pending))
                .build()
        })
    }

    /// The pubdata (hex) the block would publish if it ended now, from the net state
    /// changes and L2→L1 messages so far (the block's own encoder); after the block finish,
    /// the block's pubdata.
    pub fn pubdata(&self) -> Js<JsValue> {
        self.inner
            .pubdata()
            .map(|p| data(&p))
            .map_err(|e| engine_error(&e))
    }

    /// The sealed block of a block session after its blockFinish step (`{block, receipts,
    /// rejected}` as `runBlock`), `null` before and for a call session.
    pub fn block(&self) -> JsValue {
        self.inner
            .block()
            .map(outputs::block_report)
            .unwrap_or(JsValue::NULL)
    }

    /// Live frames, outermost first: `{depth, type, address, codeAddress, caller, value, input,
    /// pc, opcode, ergs, gas, refund, isStatic, stackLength, memoryLength}`.
    pub fn frames(&self) -> JsValue {
        array(&self.inner.frames(), |f| {
            Obj::new()
                .set("depth", JsValue::from_f64(f.depth as f64))
                .set("type", JsValue::from_str(kind_name(f.kind)))
                .set("address", addr(&f.address))
                .set("codeAddress", addr(&f.code_address))
                .set("caller", addr(&f.caller))
                .set("value", big(f.value))
                .set("input", data(&f.input))
                .set("pc", JsValue::from_f64(f.pc as f64))
                .set("opcode", JsValue::from_f64(f64::from(f.opcode)))
                .set("ergs", JsValue::from(f.ergs))
                .set("gas", JsValue::from(f.gas))
                .set("refund", JsValue::from(f.refund))
                .set("isStatic", JsValue::from_bool(f.is_static))
                .set("stackLength", JsValue::from_f64(f.stack_len as f64))
                .set("memoryLength", JsValue::from_f64(f.memory_len as f64))
                .build()
        })
    }

    /// Stack of the innermost frame as `bigint`s, bottom first.
    pub fn stack(&self) -> JsValue {
        array(&self.inner.stack(), |v| big(*v))
    }

    /// Memory of the innermost frame (hex).
    pub fn memory(&self) -> JsValue {
        data(&self.inner.memory())
    }

    /// Return data of the innermost frame's last call (hex).
    #[wasm_bindgen(js_name = returnData)]
    pub fn return_data(&self) -> JsValue {
        data(&self.inner.return_data())
    }

    /// `{persistent: [{address, slot, original, current}], transient: [{address, slot,
    /// value}]}` (slots and values as 32-byte hex).
    pub fn storage(&mut self) -> JsValue {
        let view = self.inner.storage();
        let word = |v: &zkos_core::primitives::U256| data(&v.to_be_bytes::<32>());
        Obj::new()
            .set(
                "persistent",
                array(&view.persistent, |s| {
                    Obj::new()
                        .set("address", addr(&s.address))
                        .set("slot", word(&s.key))
                        .set("original", word(&s.original))
                        .set("current", word(&s.current))
                        .build()
                }),
            )
            .set(
                "transient",
                array(&view.transient, |(a, k, v)| {
                    Obj::new()
                        .set("address", addr(a))
                        .set("slot", word(k))
                        .set("value", word(v))
                        .build()
                }),
            )
            .build()
    }

    /// `{intrinsicGas, intrinsicNative, executionErgs, executionNative, steps, gasUsed,
    /// nativeUsed, pubdataUsed, gasRefunded}` (`pubdataUsed` `null` until the pubdata phase, the
    /// others until the refund phase finishes the transaction).
    pub fn costs(&self) -> JsValue {
        let c = self.inner.costs();
        Obj::new()
            .set("intrinsicGas", JsValue::from(c.intrinsic_gas))
            .set("intrinsicNative", JsValue::from(c.intrinsic_native))
            .set("executionErgs", JsValue::from(c.execution_ergs))
            .set("executionNative", JsValue::from(c.execution_native))
            .set("steps", JsValue::from(c.steps))
            .set_opt("gasUsed", c.gas_used.map(JsValue::from))
            .set_opt("nativeUsed", c.native_used.map(JsValue::from))
            .set_opt("pubdataUsed", c.pubdata_used.map(JsValue::from))
            .set_opt("gasRefunded", c.gas_refunded.map(JsValue::from))
            .build()
    }

    /// The native budget validation fixed for the running transaction (kept until the next one
    /// starts): `{nativePerGas, nativePerPubdata, limit, withheld, intrinsicPubdata,
    /// intrinsicNative, execution, computationalCap}`; `null` before validation, for an invalid
    /// transaction and in the Ethereum flow.
    #[wasm_bindgen(js_name = nativeBudget)]
    pub fn native_budget(&self) -> JsValue {
        self.inner
            .native_budget()
            .map_or(JsValue::NULL, |b| outputs::native_budget(&b))
    }

    /// How the gas used of the transaction that just ended adds up: `{intrinsicGas,
    /// executionGas, refundedGas, floorGas, nativeGas, deltaGas, cappedGas, gasUsed}` (gasUsed =
    /// intrinsic + execution − refunded + floor + delta − capped); `null` until its refund
    /// phase ran and for an invalid transaction.
    #[wasm_bindgen(js_name = gasBreakdown)]
    pub fn gas_breakdown(&self) -> JsValue {
        self.inner
            .gas_breakdown()
            .map_or(JsValue::NULL, |g| outputs::gas_breakdown(&g))
    }

    /// The result of the last transaction that ended (as `Engine.call`), `null` while none
    /// has ended since the current one started; throws the validation error of an invalid
    /// (or, in a block, rejected) transaction.
    pub fn result(&self) -> Js<JsValue> {
        match self.inner.result() {
            None => Ok(JsValue::NULL),
            Some(Ok(r)) => Ok(outputs::call_result(&r)),
            Some(Err(e)) => Err(engine_error(&e)),
        }
    }
}
