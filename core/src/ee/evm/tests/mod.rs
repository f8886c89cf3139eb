//! Tests of the EVM through the runner: exact gas and native per instruction family, hostile
//! bytecode, resumability and tracing.

mod arithmetic;
mod calls;
mod code_hashing;
mod control;
mod environment;
mod fused_jumps;
mod harness;
mod hostile;
mod pauses;
mod program_counter;
mod resume;
mod storage;
mod tracer;
