//! Collecting tracers: implementations of the EVM's [`Tracer`](crate::ee::evm::Tracer) hooks
//! that produce plain data: [`StepLogger`]
//! (geth `structLogs` and EIP-3155 records), [`CallTracer`] (geth `callTracer`),
//! [`AccessCollector`] (what the prestate tracer reads and what `eth_createAccessList` lists) and [`OpcodeStats`], each with ergs and
//! native. Each keeps at most what its [`TraceBudget`] allows. They reach the EVM through
//! [`Erased`], so the EVM is compiled once for all of them.

mod access;
mod access_list;
mod budget;
mod calls;
mod erased;
mod opcodes;
mod steps;
mod words;

pub use access::AccessCollector;
pub use access_list::NamedAccess;
pub use budget::{
    TraceBudget, TraceMeter, DEFAULT_TRACE_MAX_BYTES, DEFAULT_TRACE_MAX_STEPS,
    RECORD_OVERHEAD_BYTES, WORD_BYTES,
};
pub use calls::{CallFrame, CallLog, CallTracer, CallTracerConfig};
pub use erased::Erased;
pub use opcodes::{OpcodeStat, OpcodeStats};
pub use steps::{StepLogConfig, StepLogger, StepRecord};
pub use words::{halt_message, revert_reason};
