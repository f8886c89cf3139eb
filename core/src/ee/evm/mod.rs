//! The EVM execution environment.

pub mod analysis;
mod arithmetic;
mod bits;
pub mod frame;
mod interpreter;
pub mod memory;
pub mod opcode;
pub mod stack;

pub use frame::{CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt, Request, Resume};
pub use interpreter::{run_frame, Env, Yield};

#[cfg(test)]
mod tests;
