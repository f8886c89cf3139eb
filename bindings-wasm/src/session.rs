//! The stepping session class.

use crate::convert::{addr, array, big, data, Js, Obj};
use crate::error::{bad_input, engine_error};
use crate::outputs;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use zkos_core::bootloader::TxPhase;
use zkos_core::ee::evm::CallKind;
use zkos_core::engine::{self, Breakpoint, StepReport};

/// Default step limit of `continueUntil`.
const DEFAULT_MAX_STEPS: u64 = 10_000_000;

fn phase_name(phase: TxPhase) -> &'static str {
    match phase {
        TxPhase::Validation => "validation",
        TxPhase::FeeCharge => "feeCharge",
        TxPhase::Execution => "execution",
        TxPhase::Pubdata => "pubdata",
        TxPhase::Refund => "refund",
        TxPhase::Finished => "finished",
    }
}

fn phase_of(name: &str) -> Js<TxPhase> {
    Ok(match name {
        "validation" => TxPhase::Validation,
        "feeCharge" => TxPhase::FeeCharge,
        "execution" => TxPhase::Execution,
        "pubdata" => TxPhase::Pubdata,
        "refund" => TxPhase::Refund,
        "finished" => TxPhase::Finished,
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
        .set("finished", JsValue::from_bool(r.finished))
        .build()
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct BreakpointJs {
    pc: Option<u64>,
    opcode: Option<u8>,
    phase: Option<String>,
    depth: Option<u64>,
}

/// A transaction being stepped (see `Engine.session`).
#[wasm_bindgen]
pub struct Session {
    pub(crate) inner: engine::Session,
}

#[wasm_bindgen]
impl Session {
    /// Takes up to `n` steps (default 1); returns `{steps, phase, finished}`.
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
        let bp: BreakpointJs = if breakpoint.is_undefined() || breakpoint.is_null() {
            BreakpointJs::default()
        } else {
            serde_wasm_bindgen::from_value(breakpoint)
                .map_err(|e| bad_input(&format!("breakpoint: {e}")))?
        };
        let at = Breakpoint {
            pc: bp.pc,
            opcode: bp.opcode,
            phase: bp.phase.as_deref().map(phase_of).transpose()?,
            depth: bp.depth,
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

    /// The phase name: validation, feeCharge, execution, pubdata, refund or finished.
    pub fn phase(&self) -> String {
        phase_name(self.inner.phase()).to_string()
    }

    /// Whether the transaction has finished.
    pub fn finished(&self) -> bool {
        self.inner.finished()
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

    /// The call result once finished (as `Engine.call`), `null` before; throws the validation
    /// error of an invalid transaction.
    pub fn result(&self) -> Js<JsValue> {
        match self.inner.result() {
            None => Ok(JsValue::NULL),
            Some(Ok(r)) => Ok(outputs::call_result(&r)),
            Some(Err(e)) => Err(engine_error(&e)),
        }
    }
}
