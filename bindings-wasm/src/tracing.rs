//! Trace options in, geth-shaped trace results out (plus ergs and native fields).

use crate::convert::{
    addr, array, data, field, flag, hash, hex_of, opt, options_object, small, text, u64_of, Js, Obj,
};
use crate::error::bad_input;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use zkos_core::engine::{
    opcode_name, CallFrame, CallKind, CallTracerConfig, OpcodeStat, Prestate, PrestateAccount,
    PrestateConfig, StepLogConfig, StepRecord, TraceBudget, TraceOutput, TraceResult, TracerConfig,
};
use zkos_core::primitives::{Address, U256};

/// Which output shape a trace request asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// geth `structLogs`.
    StructLogs,
    /// EIP-3155 records and summary.
    Eip3155,
    /// Anything else: shaped by the tracer.
    Other,
}

/// geth's trace options: `{tracer?, tracerConfig?, disableStack?, enableMemory?,
/// disableStorage?, enableReturnData?, limit?}`, and the trace's budget `{maxSteps?,
/// maxBytes?}` (defaults: the engine's); `tracerConfig` is `{onlyTopCall?, withLog?, diffMode?,
/// disableCode?, disableStorage?}`. Absent flags are `false`; unknown keys are ignored.
pub fn options(value: &JsValue) -> Js<(TracerConfig, Format, TraceBudget)> {
    options_object(value, "trace options")?;
    let inner = field(value, "tracerConfig").unwrap_or(JsValue::UNDEFINED);
    options_object(&inner, "tracerConfig")?;
    let disable_stack = flag(value, "disableStack")?;
    let enable_memory = flag(value, "enableMemory")?;
    let disable_storage = flag(value, "disableStorage")?;
    let enable_return_data = flag(value, "enableReturnData")?;
    let limit: u32 = opt(value, "limit", small)?.unwrap_or(0);
    let defaults = TraceBudget::default();
    let budget = TraceBudget {
        max_steps: opt(value, "maxSteps", u64_of)?.unwrap_or(defaults.max_steps),
        max_bytes: opt(value, "maxBytes", u64_of)?.unwrap_or(defaults.max_bytes),
    };
    let steps = |force_stack: bool| StepLogConfig {
        disable_stack: disable_stack && !force_stack,
        enable_memory,
        disable_storage,
        enable_return_data: enable_return_data || force_stack,
        limit: limit as usize,
    };
    let (config, format) =
        match text(value, "tracer")?.as_deref() {
            None | Some("structLogs") => (TracerConfig::Steps(steps(false)), Format::StructLogs),
            Some("eip3155") => (TracerConfig::Steps(steps(true)), Format::Eip3155),
            Some("callTracer") => (
                TracerConfig::Calls(CallTracerConfig {
                    only_top_call: flag(&inner, "onlyTopCall")?,
                    with_log: flag(&inner, "withLog")?,
                }),
                Format::Other,
            ),
            Some("prestateTracer") => (
                TracerConfig::Prestate(PrestateConfig {
                    diff_mode: flag(&inner, "diffMode")?,
                    disable_code: flag(&inner, "disableCode")?,
                    disable_storage: flag(&inner, "disableStorage")?,
                }),
                Format::Other,
            ),
            Some("opcodeStats") => (TracerConfig::OpcodeStats, Format::Other),
            Some(_) => return Err(bad_input(
                "tracer: expected structLogs, eip3155, callTracer, prestateTracer or opcodeStats",
            )),
        };
    Ok((config, format, budget))
}

fn qty(value: u64) -> JsValue {
    JsValue::from_str(&format!("{value:#x}"))
}

fn qty256(value: U256) -> JsValue {
    JsValue::from_str(&format!("{value:#x}"))
}

fn num(value: u64) -> JsValue {
    JsValue::from_f64(value as f64)
}

fn op_name(op: u8) -> JsValue {
    match opcode_name(op) {
        Some(name) => JsValue::from_str(name),
        None => JsValue::from_str(&format!("opcode {op:#04x} not defined")),
    }
}

fn word(value: &U256) -> JsValue {
    JsValue::from_str(&hex_of(&value.to_be_bytes::<32>()))
}

fn slots<'a>(entries: impl Iterator<Item = (&'a U256, &'a U256)>) -> JsValue {
    entries
        .fold(Obj::new(), |o, (k, v)| {
            o.set(&hex_of(&k.to_be_bytes::<32>()), word(v))
        })
        .build()
}

fn struct_log(step: &StepRecord) -> JsValue {
    let mut o = Obj::new()
        .set("pc", num(step.pc))
        .set("op", op_name(step.op))
        .set("gas", num(step.gas))
        .set("gasCost", num(step.gas_cost))
        .set("depth", num(step.depth))
        .set("refund", num(step.refund))
        .set("memSize", num(step.mem_size))
        .set("ergs", num(step.ergs))
        .set("ergsCost", num(step.ergs_cost))
        .set("native", num(step.native))
        .set("nativeCost", num(step.native_cost));
    if let Some(stack) = &step.stack {
        o = o.set("stack", array(stack, |v| qty256(*v)));
    }
    if let Some(memory) = &step.memory {
        let words: Vec<&[u8]> = memory.chunks(32).collect();
        o = o.set("memory", array(&words, |w| data(w)));
    }
    if let Some(return_data) = &step.return_data {
        o = o.set("returnData", data(return_data));
    }
    if let Some(storage) = &step.storage {
        o = o.set("storage", slots(storage.iter().map(|(k, v)| (k, v))));
    }
    if let Some(error) = &step.error {
        o = o.set("error", JsValue::from_str(error));
    }
    o.build()
}

fn eip3155_line(step: &StepRecord) -> JsValue {
    let mut o = Obj::new()
        .set("pc", num(step.pc))
        .set("op", num(u64::from(step.op)))
        .set("gas", qty(step.gas))
        .set("gasCost", qty(step.gas_cost))
        .set("memSize", num(step.mem_size))
        .set(
            "stack",
            array(step.stack.as_deref().unwrap_or_default(), |v| qty256(*v)),
        )
        .set("depth", num(step.depth))
        .set(
            "returnData",
            data(
                step.return_data
                    .as_ref()
                    .map(|d| d.as_ref())
                    .unwrap_or_default(),
            ),
        )
        .set("refund", qty(step.refund))
        .set("opName", op_name(step.op))
        .set("ergs", qty(step.ergs))
        .set("ergsCost", qty(step.ergs_cost))
        .set("native", qty(step.native))
        .set("nativeCost", qty(step.native_cost));
    if let Some(error) = &step.error {
        o = o.set("error", JsValue::from_str(error));
    }
    o.build()
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

fn call_frame(frame: &CallFrame) -> JsValue {
    let mut o = Obj::new()
        .set("type", JsValue::from_str(kind_name(frame.kind)))
        .set("from", addr(&frame.from))
        .set("to", addr(&frame.to))
        .set("gas", qty(frame.gas))
        .set("gasUsed", qty(frame.gas_used))
        .set("input", data(&frame.input))
        .set("ergs", qty(frame.ergs))
        .set("ergsUsed", qty(frame.ergs_used))
        .set("nativeUsed", qty(frame.native_used));
    if let Some(value) = frame.value {
        o = o.set("value", qty256(value));
    }
    if !frame.output.is_empty() {
        o = o.set("output", data(&frame.output));
    }
    if let Some(error) = &frame.error {
        o = o.set("error", JsValue::from_str(error));
    }
    if let Some(reason) = &frame.revert_reason {
        o = o.set("revertReason", JsValue::from_str(reason));
    }
    if !frame.calls.is_empty() {
        o = o.set("calls", array(&frame.calls, call_frame));
    }
    if !frame.logs.is_empty() {
        o = o.set(
            "logs",
            array(&frame.logs, |l| {
                Obj::new()
                    .set("address", addr(&l.log.address))
                    .set("topics", array(&l.log.topics, hash))
                    .set("data", data(&l.log.data))
                    .set("position", qty(l.position))
                    .build()
            }),
        );
    }
    o.build()
}

fn prestate_account(account: &PrestateAccount) -> JsValue {
    let mut o = Obj::new();
    if let Some(balance) = account.balance {
        o = o.set("balance", qty256(balance));
    }
    if let Some(nonce) = account.nonce {
        o = o.set("nonce", num(nonce));
    }
    if let Some(code) = &account.code {
        o = o.set("code", data(code));
    }
    if !account.storage.is_empty() {
        o = o.set("storage", slots(account.storage.iter()));
    }
    o.build()
}

fn accounts(map: &BTreeMap<Address, PrestateAccount>) -> JsValue {
    map.iter()
        .fold(Obj::new(), |o, (a, acc)| {
            o.set(&hex_of(a.as_slice()), prestate_account(acc))
        })
        .build()
}

fn opcode_stat(stat: &OpcodeStat) -> JsValue {
    Obj::new()
        .set("op", op_name(stat.op))
        .set("opcode", num(u64::from(stat.op)))
        .set("count", num(stat.count))
        .set("ergs", num(stat.ergs))
        .set("gas", num(stat.ergs / 256))
        .set("native", num(stat.native))
        .build()
}

/// `{success, gasUsed, nativeUsed, pubdataUsed, output, error, result}` where `result` has the
/// shape geth gives the requested tracer.
pub fn result(trace: &TraceResult, format: Format) -> JsValue {
    let shaped = match (&trace.output_trace, format) {
        (TraceOutput::Steps(steps), Format::Eip3155) => Obj::new()
            .set("steps", array(steps, eip3155_line))
            .set(
                "summary",
                Obj::new()
                    .set("output", data(&trace.output))
                    .set("gasUsed", qty(trace.gas_used))
                    .set("pass", JsValue::from_bool(trace.success))
                    .set("nativeUsed", qty(trace.native_used))
                    .build(),
            )
            .build(),
        (TraceOutput::Steps(steps), _) => Obj::new()
            .set("failed", JsValue::from_bool(!trace.success))
            .set("gas", num(trace.gas_used))
            .set("returnValue", data(&trace.output))
            .set("structLogs", array(steps, struct_log))
            .build(),
        (TraceOutput::Calls(root), _) => call_frame(root),
        (TraceOutput::Prestate(Prestate::Pre(map)), _) => accounts(map),
        (TraceOutput::Prestate(Prestate::Diff { pre, post }), _) => Obj::new()
            .set("pre", accounts(pre))
            .set("post", accounts(post))
            .build(),
        (TraceOutput::OpcodeStats(stats), _) => array(stats, opcode_stat),
    };
    Obj::new()
        .set("success", JsValue::from_bool(trace.success))
        .set("gasUsed", JsValue::from(trace.gas_used))
        .set("nativeUsed", JsValue::from(trace.native_used))
        .set("pubdataUsed", JsValue::from(trace.pubdata_used))
        .set("output", data(&trace.output))
        .set_opt("error", trace.error.as_deref().map(JsValue::from_str))
        .set("result", shaped)
        .build()
}
