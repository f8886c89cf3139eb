//! The call tracer: the tree of call frames (geth's `callTracer`), with ergs and native per
//! frame. Calls that run no code (transfers to accounts without code, precompiles) appear as
//! frames too, as in geth.

use super::budget::{words_bytes, TraceBudget, TraceMeter};
use super::words::{halt_message, revert_reason, stack_word, word_address};
use crate::bytecode::opcode;
use crate::ee::evm::Tracer;
use crate::ee::evm::{CallKind, Frame, FrameEnd};
use crate::io::Log;
use crate::primitives::{Address, Bytes, U256};
use crate::resources::ErgsPerGas;
use alloc::string::String;
use alloc::vec::Vec;

/// geth's `callTracer` options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallTracerConfig {
    /// Record only the transaction's frame.
    pub only_top_call: bool,
    /// Record events in the frames that emitted them.
    pub with_log: bool,
}

/// An event inside a call frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallLog {
    /// The event.
    pub log: Log,
    /// Number of sub-calls of the frame made before the event.
    pub position: u64,
}

/// One call frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFrame {
    /// How the frame was entered.
    pub kind: CallKind,
    /// Caller (for `DELEGATECALL`/`CALLCODE`: the contract that made the call).
    pub from: Address,
    /// Callee (for deployments: the new contract).
    pub to: Address,
    /// Value (absent for `STATICCALL`).
    pub value: Option<U256>,
    /// Gas given to the frame.
    pub gas: u64,
    /// Gas the frame used.
    pub gas_used: u64,
    /// Ergs given to the frame (gas × 256 in either flow, saturating).
    pub ergs: u64,
    /// Ergs the frame used (gas × 256 in either flow, saturating).
    pub ergs_used: u64,
    /// Native used by the frame and its sub-calls.
    pub native_used: u64,
    /// Calldata or initcode.
    pub input: Bytes,
    /// Return or revert data.
    pub output: Bytes,
    /// Why the frame failed.
    pub error: Option<String>,
    /// Decoded `Error(string)` message of a revert.
    pub revert_reason: Option<String>,
    /// Sub-calls in order.
    pub calls: Vec<CallFrame>,
    /// Events (with [`CallTracerConfig::with_log`]; dropped when the frame failed).
    pub logs: Vec<CallLog>,
}

/// A call opcode whose callee has not reported back yet.
#[derive(Debug)]
struct Pending {
    depth: usize,
    frame: CallFrame,
    ergs_after: u64,
    native_after: u64,
    /// The callee ran as a frame (its own enter/exit hooks record it).
    entered: bool,
    /// A precompile ran: ergs it used.
    precompile_ergs: Option<u64>,
}

/// Kind, target, value and calldata range `(offset, len)` of a call opcode about to run.
type CallArgs = (CallKind, Address, Option<U256>, (usize, usize));

/// Builds the call tree, within a [`TraceBudget`]: every kept frame and event is a record.
/// While it runs, the frames' `ergs` and `ergs_used` are in the unit the EVM frames meter in;
/// [`CallTracer::into_root`] turns them into reported ergs and gas.
#[derive(Debug, Default)]
pub struct CallTracer {
    config: CallTracerConfig,
    meter: TraceMeter,
    /// The unit of the frames seen (`None` before the first).
    unit: Option<ErgsPerGas>,
    open: Vec<(CallFrame, u64)>,
    root: Option<CallFrame>,
    pending: Option<Pending>,
    /// Call arguments read before a call opcode ran.
    call_args: Option<CallArgs>,
    last_native: u64,
}

fn kind_of(op: u8) -> Option<CallKind> {
    Some(match op {
        opcode::CALL => CallKind::Call,
        opcode::CALLCODE => CallKind::CallCode,
        opcode::DELEGATECALL => CallKind::DelegateCall,
        opcode::STATICCALL => CallKind::StaticCall,
        opcode::CREATE => CallKind::Create,
        opcode::CREATE2 => CallKind::Create2,
        _ => return None,
    })
}

fn small(word: Option<U256>) -> usize {
    word.and_then(|w| usize::try_from(w).ok()).unwrap_or(0)
}

/// Turns the ergs of `frame` and its sub-calls, metered in `unit`, into reported ergs (gas ×
/// 256) and gas.
fn report_ergs(frame: &mut CallFrame, unit: ErgsPerGas) {
    frame.gas = unit.gas(frame.ergs);
    frame.gas_used = unit.gas_rounding_up(frame.ergs_used);
    frame.ergs = unit.zk_ergs(frame.ergs);
    frame.ergs_used = unit.zk_ergs(frame.ergs_used);
    for call in &mut frame.calls {
        report_ergs(call, unit);
    }
}

/// Marks a failed frame: geth drops the events of failed frames and of their sub-calls.
fn clear_logs(frame: &mut CallFrame) {
    frame.logs.clear();
    for call in &mut frame.calls {
        clear_logs(call);
    }
}

fn finish_frame(frame: &mut CallFrame, end: &FrameEnd) {
    match end {
        // A creation's output is the code it deployed, as geth's callTracer reports it
        // (eth/tracers/native/call.go `processOutput`; its testdata `call_tracer/create.json`).
        FrameEnd::Success(output) => frame.output = output.clone(),
        FrameEnd::Revert(output) => {
            frame.output = output.clone();
            frame.error = Some(String::from("execution reverted"));
            frame.revert_reason = revert_reason(output);
            clear_logs(frame);
        }
        FrameEnd::Halt(halt) => {
            frame.error = Some(halt_message(halt));
            clear_logs(frame);
        }
    }
}

/// Variable data of a frame as the meter counts it (its sub-calls and events are records of
/// their own).
fn frame_bytes(frame: &CallFrame) -> u64 {
    let text = |t: &Option<String>| t.as_ref().map_or(0, |t| t.len() as u64);
    (frame.input.len() as u64)
        .saturating_add(frame.output.len() as u64)
        .saturating_add(text(&frame.error))
        .saturating_add(text(&frame.revert_reason))
}

impl CallTracer {
    /// A tracer with `config` that keeps at most what `budget` allows.
    pub fn new(config: CallTracerConfig, budget: TraceBudget) -> Self {
        Self {
            config,
            meter: TraceMeter::new(budget),
            ..Self::default()
        }
    }

    /// Whether a frame or an event did not fit the budget (the tree is incomplete).
    pub fn over_budget(&self) -> bool {
        self.meter.exceeded()
    }

    /// Completes the tree once the transaction ended: the last pending call and the frames
    /// still open are attached (and counted against the budget).
    pub fn close(&mut self) {
        self.settle_pending(None);
        while let Some((frame, _)) = self.open.pop() {
            self.attach(frame);
        }
    }

    /// The transaction's frame, if it ran as EVM code (a call to an account without code or
    /// a precompile has none; the caller builds the top frame from the transaction then).
    pub fn into_root(mut self) -> Option<CallFrame> {
        self.close();
        let unit = self.unit.unwrap_or(ErgsPerGas::ZK);
        let mut root = self.root?;
        report_ergs(&mut root, unit);
        Some(root)
    }

    fn attach(&mut self, frame: CallFrame) {
        let kept = !self.config.only_top_call || self.open.is_empty();
        if !kept || !self.meter.record(frame_bytes(&frame)) {
            return;
        }
        match self.open.last_mut() {
            Some((parent, _)) => parent.calls.push(frame),
            None => self.root = Some(frame),
        }
    }

    /// Completes a pending call that ran no frame, now that its caller resumed with
    /// `ergs_now` (`None`: the transaction ended).
    fn settle_pending(&mut self, resumed: Option<(&Frame, u64)>) {
        let Some(mut pending) = self.pending.take() else {
            return;
        };
        if pending.entered {
            return;
        }
        let (returned, native_now, pushed) = match resumed {
            Some((frame, native)) => (
                frame.ergs.saturating_sub(pending.ergs_after),
                native,
                stack_word(frame, 0),
            ),
            None => (0, self.last_native, None),
        };
        let used = pending.precompile_ergs.unwrap_or(0);
        if pending.precompile_ergs.is_none() && returned == 0 && pushed == Some(U256::ZERO) {
            // Refused before any callee ran (depth limit, insufficient balance, collision).
            return;
        }
        let frame = &mut pending.frame;
        frame.ergs = returned.saturating_add(used);
        frame.ergs_used = used;
        frame.native_used = native_now.saturating_sub(pending.native_after);
        if matches!(frame.kind, CallKind::Create | CallKind::Create2) {
            if let Some(address) = pushed {
                frame.to = word_address(address);
            }
        }
        self.attach(pending.frame);
    }
}

impl Tracer for CallTracer {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, op: u8, native_used: u64) {
        self.last_native = native_used;
        self.unit = Some(frame.ergs_per_gas);
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.depth == frame.depth)
        {
            self.settle_pending(Some((frame, native_used)));
        }
        self.call_args = kind_of(op).map(|kind| {
            let has_value = matches!(kind, CallKind::Call | CallKind::CallCode);
            let is_create = matches!(kind, CallKind::Create | CallKind::Create2);
            if is_create {
                let range = (small(stack_word(frame, 1)), small(stack_word(frame, 2)));
                (kind, Address::ZERO, stack_word(frame, 0), range)
            } else {
                let target = stack_word(frame, 1).map(word_address).unwrap_or_default();
                let args = if has_value { 3 } else { 2 };
                let range = (
                    small(stack_word(frame, args)),
                    small(stack_word(frame, args + 1)),
                );
                let value = match kind {
                    CallKind::StaticCall => None,
                    CallKind::DelegateCall => Some(frame.value),
                    _ => stack_word(frame, 2),
                };
                (kind, target, value, range)
            }
        });
    }

    fn after_step(&mut self, frame: &Frame, _op: u8, native_used: u64) {
        self.last_native = native_used;
        let Some((kind, to, value, (offset, len))) = self.call_args.take() else {
            return;
        };
        let input = offset
            .checked_add(len)
            .and_then(|end| frame.memory.as_slice().get(offset..end))
            .map(Bytes::copy_from_slice)
            .unwrap_or_default();
        self.pending = Some(Pending {
            depth: frame.depth,
            frame: CallFrame {
                kind,
                from: frame.address,
                to,
                value,
                gas: 0,
                gas_used: 0,
                ergs: 0,
                ergs_used: 0,
                native_used: 0,
                input,
                output: Bytes::new(),
                error: None,
                revert_reason: None,
                calls: Vec::new(),
                logs: Vec::new(),
            },
            ergs_after: frame.ergs,
            native_after: native_used,
            entered: false,
            precompile_ergs: None,
        });
    }

    fn frame_enter(&mut self, frame: &Frame) {
        let native_start = match self.pending.as_mut() {
            Some(p) if p.depth + 1 == frame.depth => {
                p.entered = true;
                p.native_after
            }
            _ => self.last_native,
        };
        let from = match frame.kind {
            CallKind::DelegateCall | CallKind::CallCode => frame.address,
            _ => frame.caller,
        };
        let to = match frame.kind {
            CallKind::DelegateCall | CallKind::CallCode => frame.code_address,
            _ => frame.address,
        };
        self.unit = Some(frame.ergs_per_gas);
        let input = if frame.is_create() {
            Bytes::copy_from_slice(frame.code.bytes())
        } else {
            frame.input.clone()
        };
        let call = CallFrame {
            kind: frame.kind,
            from,
            to,
            value: (frame.kind != CallKind::StaticCall).then_some(frame.value),
            gas: 0,
            gas_used: 0,
            ergs: frame.ergs,
            ergs_used: 0,
            native_used: 0,
            input,
            output: Bytes::new(),
            error: None,
            revert_reason: None,
            calls: Vec::new(),
            logs: Vec::new(),
        };
        self.open.push((call, native_start));
    }

    fn precompile_call(&mut self, address: &Address, input: &[u8], end: &FrameEnd, ergs: u64) {
        if let Some(p) = self.pending.as_mut() {
            p.precompile_ergs = Some(ergs);
            p.frame.to = *address;
            p.frame.input = Bytes::copy_from_slice(input);
            finish_frame(&mut p.frame, end);
        }
    }

    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, ergs_left: u64) {
        if self.pending.as_ref().is_some_and(|p| p.depth == depth) {
            // The call opcode itself halted; no callee ran.
            self.pending = None;
        }
        // A frame that never entered (a deployment with empty initcode) has no open record.
        if self.open.is_empty() || depth != self.open.len() - 1 {
            return;
        }
        let Some((mut frame, native_start)) = self.open.pop() else {
            return;
        };
        frame.ergs_used = frame.ergs.saturating_sub(ergs_left);
        frame.native_used = self.last_native.saturating_sub(native_start);
        finish_frame(&mut frame, end);
        self.attach(frame);
    }

    fn log(&mut self, log: &Log) {
        if !self.config.with_log {
            return;
        }
        let bytes = words_bytes(log.topics.len()).saturating_add(log.data.len() as u64);
        if self.open.is_empty() || !self.meter.record(bytes) {
            return;
        }
        if let Some((frame, _)) = self.open.last_mut() {
            let position = frame.calls.len() as u64;
            frame.logs.push(CallLog {
                log: log.clone(),
                position,
            });
        }
    }
}
