//! The EVM execution environment: [`run_frame`] runs one [`Frame`] until it ends, hands the runner
//! a [`Request`] (a call or a deployment) or uses up its step budget.
//!
//! `interpreter` is the loop and the dispatch, `instructions` the opcode bodies by family,
//! `context` what they run with ([`Env`], the loop's registers), [`frame`], [`stack`] and
//! [`memory`] the frame's state, and [`Tracer`] the hooks tracers implement. Opcode facts come
//! from the bytecode floor ([`crate::bytecode`]).

mod bits;
mod context;
pub mod frame;
mod instructions;
mod interpreter;
mod limbs;
pub mod memory;
mod reads;
pub mod stack;
mod tracer;

pub use context::{Env, StaticCosts, Yield};
pub use frame::{CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt, Request, Resume};
pub use interpreter::run_frame;
pub(crate) use reads::callee_ready;
pub use tracer::{NoopTracer, Tracer};

#[cfg(test)]
mod tests;
