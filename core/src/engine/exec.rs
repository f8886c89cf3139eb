//! The one place where the engine hands a single transaction to the bootloader (simulations,
//! traces, sessions); blocks go through [`crate::bootloader::run_block`]. Everything above it
//! sees only [`Executed`].

use crate::bootloader::{
    BlockContext, BlockTransaction, InvalidTransaction, L2ToL1Message, TxExecution, TxProgress,
    TxReceipt,
};
use crate::config::{ChainConfig, Flow};
use crate::ee::evm::Halt;
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
    /// Native used by the transaction (intrinsic, execution and pubdata).
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

impl Executed {
    /// The engine's view of a bootloader receipt of `tx` in a block with `base_fee`.
    pub fn from_receipt(
        receipt: TxReceipt,
        config: &ChainConfig,
        tx: &Transaction,
        base_fee: U256,
    ) -> Self {
        Self {
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
            effective_gas_price: effective_gas_price(config, tx, base_fee),
        }
    }
}

/// Price per gas a transaction pays under `base_fee`: EIP-1559 (legacy prices are both caps);
/// in the ZKsync OS flow zero when the base fee is zero.
pub fn effective_gas_price(config: &ChainConfig, tx: &Transaction, base_fee: U256) -> U256 {
    if config.flow == Flow::Zk {
        return crate::bootloader::zk::effective_gas_price(tx, base_fee);
    }
    let max_fee = U256::from(tx.max_fee_per_gas);
    let tip = U256::from(tx.max_priority_fee_per_gas);
    max_fee.min(base_fee.saturating_add(tip))
}

/// Starts `tx` from `from`: as a simulation (no nonce check; in the ZKsync OS flow a zero
/// price buys native at the base fee) or as a block transaction.
pub fn start<S: StateSource>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    tx: &Transaction,
    from: Address,
    simulated: bool,
) -> Result<TxExecution, InvalidTransaction> {
    if simulated {
        let item = BlockTransaction::Simulated {
            tx: tx.clone(),
            from,
        };
        TxExecution::start(io, config, block, &item)
    } else {
        TxExecution::start_recovered(io, config, block, tx.clone(), from)
    }
}

/// Runs `tx` from `from` on `io` (changes stay in `io`).
pub fn execute<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    tx: &Transaction,
    from: Address,
    simulated: bool,
    tracer: &mut T,
) -> Result<Executed, InvalidTransaction> {
    let mut execution = start(io, config, block, tx, from, simulated)?;
    while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
    let receipt = execution.finish(io);
    Ok(Executed::from_receipt(receipt, config, tx, block.base_fee))
}
