//! The bootloader: the block loop and one transaction's pipeline. A transaction is decoded once
//! ([`BlockTransaction::decode`]), then taken through the phases of [`TxExecution`] —
//! validation, fee charge, execution, pubdata, settlement — whose rules are the chain's
//! [`Flow`] (Ethereum or ZKsync OS, chosen by [`ChainFlow::of`]); the block loop
//! ([`run_block`], [`BlockBuilder`]) checks the block's limits and totals what it commits to.

mod authorization;
mod builder;
mod execute;
pub mod flow;
mod input;
mod invalid;
pub mod pubdata;
mod reads;
mod receipt;
mod senders;
mod transaction;

pub use builder::{run_block, BlockBuilder, BlockOutput, BlockProgress, BlockRun};
pub use execute::execute_transaction;
pub use flow::{ChainFlow, Flow};
pub use input::{decode_envelope, BlockTransaction, DecodedTx, Rejection};
pub use invalid::InvalidTransaction;
pub use reads::tx_state_ready;
pub use receipt::{TxReceipt, TxResult};
pub use senders::{RecoveredSenders, RECOVERED_SENDERS_CAPACITY};
pub use transaction::{TxExecution, TxPhase, TxProgress};

#[cfg(test)]
mod tests;
