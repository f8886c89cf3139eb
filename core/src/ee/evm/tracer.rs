//! The [`Tracer`] trait: hooks the runner and the interpreter call as they execute. It is a
//! generic parameter: with [`NoopTracer`] every hook compiles away, and per-step hooks are skipped
//! entirely unless [`Tracer::STEPS`] is set. The collecting tracers are in `trace`.

use super::frame::{Frame, FrameEnd};
use crate::io::Log;
use crate::primitives::{Address, U256};

/// Observer of execution. Every method has an empty default.
pub trait Tracer {
    /// Whether [`Tracer::before_step`] and [`Tracer::after_step`] are wanted.
    const STEPS: bool = false;

    /// Called before an opcode runs; `frame.ergs` and `native_used` are the values before it.
    fn before_step(&mut self, _frame: &Frame, _opcode: u8, _native_used: u64) {}

    /// Called after an opcode ran in its frame (also when it ended the frame or requested a call);
    /// `frame.ergs` and `native_used` are the values after it.
    fn after_step(&mut self, _frame: &Frame, _opcode: u8, _native_used: u64) {}

    /// A frame was entered (its code is about to run).
    fn frame_enter(&mut self, _frame: &Frame) {}

    /// A call into a precompile or system hook ran, with its input, outcome and ergs used.
    fn precompile_call(
        &mut self,
        _address: &Address,
        _input: &[u8],
        _end: &FrameEnd,
        _ergs_used: u64,
    ) {
    }

    /// The frame at `depth` ended with `end`, returning `ergs_left` (a creation that succeeded
    /// with the code it deployed as its output, though its caller gets no return data).
    fn frame_exit(&mut self, _depth: usize, _end: &FrameEnd, _ergs_left: u64) {}

    /// A storage slot was read (`transient` for `TLOAD`).
    fn storage_read(&mut self, _address: &Address, _key: &U256, _value: &U256, _transient: bool) {}

    /// A storage slot was written (`transient` for `TSTORE`).
    fn storage_write(&mut self, _address: &Address, _key: &U256, _value: &U256, _transient: bool) {}

    /// An event was emitted.
    fn log(&mut self, _log: &Log) {}
}

/// A tracer that observes nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoopTracer;

impl Tracer for NoopTracer {}
