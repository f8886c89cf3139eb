//! The EVM execution environment.

mod arithmetic;
mod bits;
pub mod frame;
mod interpreter;
pub mod memory;
pub mod stack;
mod tracer;

pub use frame::{CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt, Request, Resume};
pub use interpreter::{run_frame, Env, Yield};
pub use tracer::{NoopTracer, Tracer};

/// The EVM opcodes (the table lives in the bytecode floor).
pub use crate::bytecode::opcode;

#[cfg(test)]
mod tests;
