//! The bootloader: the block loop, transaction validation, the two transaction flows
//! (Ethereum and ZKsync OS) and fee settlement.

mod authorization;
pub mod block;
pub mod ethereum;
pub mod execution;
pub mod pubdata;
pub mod receipt;
pub mod validation;
pub mod zk;

pub use block::{run_block, BlockBuilder, BlockContext, BlockOutput, BlockTransaction};
pub use execution::{TxExecution, TxPhase, TxProgress};
pub use receipt::{L2ToL1Log, L2ToL1Message, TxReceipt, TxResult};
pub use validation::InvalidTransaction;

#[cfg(test)]
mod tests;
