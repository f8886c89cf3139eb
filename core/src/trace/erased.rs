//! [`Erased`]: any tracer behind one vtable. The EVM is generic over its tracer, so every
//! tracer type gets its own compiled copy of the runner and interpreter; the collecting tracers
//! run through this one type instead and share a single copy (a smaller wasm), at the price of
//! an indirect call per hook, which only tracing pays.

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
}

/// `tracer` behind a vtable. Its step hooks are always called (a tracer without
/// [`Tracer::STEPS`] ignores them).
pub struct Erased<'a>(&'a mut dyn Hooks);

impl<'a> Erased<'a> {
    /// Erases `tracer`'s type.
    pub fn new<T: Tracer>(tracer: &'a mut T) -> Self {
        Self(tracer)
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
