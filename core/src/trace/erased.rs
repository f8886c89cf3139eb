//! [`Erased`]: any tracer behind one vtable. The runner and the interpreter are generic over
//! their tracer, so each tracer type would get its own compiled copy of both (the wasm carries
//! each one); the collecting tracers and the stepping session run through this single type
//! instead and share one copy, at the price of an indirect call per hook that only tracing pays.

use crate::ee::evm::{Frame, FrameEnd, Tracer};
use crate::io::Log;
use crate::primitives::{Address, U256};

/// [`Tracer`]'s hooks as an object-safe trait (the trait's `STEPS` constant keeps it from being
/// one); the step hooks forward only for tracers that want steps.
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

/// A tracer seen through a vtable. It asks for steps whatever the tracer wants (a tracer
/// without [`Tracer::STEPS`] ignores them), so it is for runs that trace, not for plain ones.
pub struct Erased<'a>(&'a mut dyn Hooks);

impl<'a> Erased<'a> {
    /// `tracer` with its type erased.
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
