//! Conformance, differential and cross-target test support for zkos.

pub mod block_fuzz;
pub mod oracle_diff;
pub mod playground;
pub mod riscv;
pub mod statetest;
pub mod workloads;
pub mod zkos_executor;
