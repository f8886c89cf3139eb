//! The one place where the engine hands a single transaction to the bootloader (simulations,
//! traces, sessions); blocks go through [`crate::bootloader::run_block`]. Everything above it
//! sees only the bootloader's [`TxReceipt`].

use crate::bootloader::{
    BlockContext, BlockTransaction, InvalidTransaction, TxExecution, TxProgress, TxReceipt,
};
use crate::config::{ChainConfig, Flow};
use crate::io::{Io, StateSource};
use crate::primitives::{Address, U256};
use crate::trace::Tracer;
use crate::tx::Transaction;

/// Price per gas a transaction will pay under `base_fee` (for estimates, before it runs): EIP-1559 (legacy prices are both caps);
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
) -> Result<TxReceipt, InvalidTransaction> {
    let mut execution = start(io, config, block, tx, from, simulated)?;
    while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
    Ok(execution.finish(io))
}
