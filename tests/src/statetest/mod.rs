//! Ethereum GeneralStateTests: fixture parsing, the [`executor::Executor`] interface, state-root
//! computation and the parallel runner.

pub mod executor;
pub mod fixture;
#[cfg(feature = "revm-executor")]
pub mod revm_executor;
pub mod runner;
pub mod trie;
