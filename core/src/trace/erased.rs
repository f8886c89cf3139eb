//! [`Erased`]: any tracer behind one vtable. The EVM is generic over its tracer, so every
//! tracer type gets its own compiled copy of the runner and interpreter; the collecting tracers
//! run through this one type instead and share a single copy (a smaller wasm), at the price of
//! an indirect call per hook, which only tracing pays. It also carries the tracer's budget
//! check, so a bounded run can look at the budget through the erased type.

use crate::ee::evm::{Frame, FrameEnd, Tracer};
use crate::io::Log;
use crate::primitives::{Address, U256};

/// The hooks of [`Tracer`] without its associated constant, so they can sit behind `dyn`.
trait Hooks {
    fn before_step(&mut self, frame: &Frame, opcode: u8, native_used: u64);
    fn after_step(&mut self, frame: &Frame, opcode: u8, native_used: u64);
    fn frame_enter(&mut self, frame: &Frame);
    fn precompile_call(&mut self, address: &Address, input: &[u8], end: &FrameEnd, ergs: u64);
    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, ergs_left: u64);
    fn storage_read(&mut self, address: &Address, key: &U256, value: &U256, transient: bool);
    fn storage_write(&mut self, address: &Address, key: &U256, value: &U256, transient: bool);
    fn log(&mut self, log: &Log);
    fn over_budget(&self) -> bool;
}

impl<T: Tracer> Hooks for T {
    fn before_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        if T::STEPS {
            Tracer::before_step(self, frame, opcode, native_used);
        }
    }
    fn after_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        if T::STEPS {
            Tracer::after_step(self, frame, opcode, native_used);
        }
    }
    fn frame_enter(&mut self, frame: &Frame) {
        Tracer::frame_enter(self, frame);
    }
    fn precompile_call(&mut self, address: &Address, input: &[u8], end: &FrameEnd, ergs: u64) {
        Tracer::precompile_call(self, address, input, end, ergs);
    }
    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, ergs_left: u64) {
        Tracer::frame_exit(self, depth, end, ergs_left);
    }
    fn storage_read(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        Tracer::storage_read(self, address, key, value, transient);
    }
    fn storage_write(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        Tracer::storage_write(self, address, key, value, transient);
    }
    fn log(&mut self, log: &Log) {
        Tracer::log(self, log);
    }
    fn over_budget(&self) -> bool {
        false
    }
}

/// A tracer and the check of its budget, to erase with [`Erased::budgeted`].
pub struct Budgeted<'a, T> {
    tracer: &'a mut T,
    over_budget: fn(&T) -> bool,
}

impl<'a, T: Tracer> Budgeted<'a, T> {
    /// `tracer`, whose budget `over_budget` checks.
    pub fn new(tracer: &'a mut T, over_budget: fn(&T) -> bool) -> Self {
        Self {
            tracer,
            over_budget,
        }
    }
}

impl<T: Tracer> Hooks for Budgeted<'_, T> {
    fn before_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        if T::STEPS {
            Tracer::before_step(self.tracer, frame, opcode, native_used);
        }
    }
    fn after_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        if T::STEPS {
            Tracer::after_step(self.tracer, frame, opcode, native_used);
        }
    }
    fn frame_enter(&mut self, frame: &Frame) {
        Tracer::frame_enter(self.tracer, frame);
    }
    fn precompile_call(&mut self, address: &Address, input: &[u8], end: &FrameEnd, ergs: u64) {
        Tracer::precompile_call(self.tracer, address, input, end, ergs);
    }
    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, ergs_left: u64) {
        Tracer::frame_exit(self.tracer, depth, end, ergs_left);
    }
    fn storage_read(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        Tracer::storage_read(self.tracer, address, key, value, transient);
    }
    fn storage_write(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        Tracer::storage_write(self.tracer, address, key, value, transient);
    }
    fn log(&mut self, log: &Log) {
        Tracer::log(self.tracer, log);
    }
    fn over_budget(&self) -> bool {
        (self.over_budget)(self.tracer)
    }
}

/// A tracer behind a vtable. Its step hooks are always called (a tracer without
/// [`Tracer::STEPS`] ignores them).
pub struct Erased<'a>(&'a mut dyn Hooks);

impl<'a> Erased<'a> {
    /// Erases `tracer`'s type; its budget never runs out.
    pub fn new<T: Tracer>(tracer: &'a mut T) -> Self {
        Self(tracer)
    }

    /// Erases the type of `budgeted`'s tracer; [`Erased::over_budget`] asks its check.
    pub fn budgeted<T: Tracer>(budgeted: &'a mut Budgeted<'_, T>) -> Self {
        Self(budgeted)
    }

    /// Whether the tracer's budget ran out.
    pub fn over_budget(&self) -> bool {
        self.0.over_budget()
    }
}

impl Tracer for Erased<'_> {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        self.0.before_step(frame, opcode, native_used);
    }
    fn after_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        self.0.after_step(frame, opcode, native_used);
    }
    fn frame_enter(&mut self, frame: &Frame) {
        self.0.frame_enter(frame);
    }
    fn precompile_call(&mut self, address: &Address, input: &[u8], end: &FrameEnd, ergs: u64) {
        self.0.precompile_call(address, input, end, ergs);
    }
    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, ergs_left: u64) {
        self.0.frame_exit(depth, end, ergs_left);
    }
    fn storage_read(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        self.0.storage_read(address, key, value, transient);
    }
    fn storage_write(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        self.0.storage_write(address, key, value, transient);
    }
    fn log(&mut self, log: &Log) {
        self.0.log(log);
    }
}
