//! The one place where the engine hands a transaction to the bootloader. Everything above it
//! (blocks, calls, estimation, tracing, sessions) sees only [`Executed`].

use crate::bootloader::{InvalidTransaction, L2ToL1Message, TxExecution, TxProgress};
use crate::config::ChainConfig;
use crate::ee::evm::Halt;
use crate::env::BlockEnv;
use crate::io::{Io, Log, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::trace::Tracer;
use crate::tx::Transaction;
use alloc::vec::Vec;

/// What running one transaction produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executed {
    /// Whether the top-level frame succeeded.
    pub success: bool,
    /// Gas charged to the sender (after refund, floor and native cover).
    pub gas_used: u64,
    /// Gas given back by the refund counter.
    pub gas_refunded: u64,
    /// Native used by the transaction.
    pub native_used: u64,
    /// Native used for computation (everything but pubdata).
    pub computational_native_used: u64,
    /// Pubdata bytes the transaction published (0 in the Ethereum flow).
    pub pubdata_used: u64,
    /// Return or revert data.
    pub output: Bytes,
    /// Halt reason when the top-level frame halted.
    pub halt: Option<Halt>,
    /// Events (empty when the transaction failed).
    pub logs: Vec<Log>,
    /// L2→L1 messages sent.
    pub l2_to_l1_messages: Vec<L2ToL1Message>,
    /// Address of the deployed contract.
    pub created: Option<Address>,
    /// Price per gas paid.
    pub effective_gas_price: U256,
}

/// Price per gas a transaction pays under `base_fee` (EIP-1559; legacy prices are both caps).
pub fn effective_gas_price(tx: &Transaction, base_fee: U256) -> U256 {
    let max_fee = U256::from(tx.max_fee_per_gas);
    let tip = U256::from(tx.max_priority_fee_per_gas);
    max_fee.min(base_fee.saturating_add(tip))
}

/// Runs `tx` from `from` on `io` (changes stay in `io`).
pub fn execute<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    from: Address,
    tracer: &mut T,
) -> Result<Executed, InvalidTransaction> {
    let mut execution = TxExecution::start_recovered(io, config, block, tx.clone(), from)?;
    while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
    let receipt = execution.finish(io);
    Ok(Executed {
        success: receipt.success,
        gas_used: receipt.gas_used,
        gas_refunded: receipt.gas_refunded,
        native_used: receipt.native_used,
        computational_native_used: receipt.computational_native_used,
        pubdata_used: receipt.pubdata_used,
        output: receipt.output,
        halt: receipt.halt,
        logs: receipt.logs,
        l2_to_l1_messages: receipt.l2_to_l1_messages,
        created: receipt.created,
        effective_gas_price: effective_gas_price(tx, block.base_fee),
    })
}
