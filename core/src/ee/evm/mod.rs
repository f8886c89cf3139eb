//! The EVM execution environment.

mod bits;
mod context;
pub mod frame;
mod instructions;
mod interpreter;
pub mod memory;
pub mod stack;
mod tracer;

pub use context::{Env, Yield};
pub use frame::{CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt, Request, Resume};
pub use interpreter::run_frame;
pub use tracer::{NoopTracer, Tracer};

/// The EVM opcodes (the table lives in the bytecode floor).
pub use crate::bytecode::opcode;

#[cfg(test)]
mod tests;
