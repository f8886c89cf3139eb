//! The one place where the engine hands a single transaction to the bootloader (simulations,
//! traces, sessions); blocks go through [`crate::bootloader::run_block`]. Everything above it
//! sees only the bootloader's [`TxReceipt`].

use crate::bootloader::{
    ChainFlow, DecodedTx, InvalidTransaction, TxExecution, TxProgress, TxReceipt,
};
use crate::context::BlockContext;
use crate::ee::evm::Tracer;
use crate::io::{Io, StateSource};

/// Runs `tx` on `io` under `flow` in the block `block` (changes stay in `io`).
pub fn execute<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    flow: &ChainFlow,
    block: &BlockContext,
    tx: DecodedTx,
    tracer: &mut T,
) -> Result<TxReceipt, InvalidTransaction> {
    let mut execution = TxExecution::start(io, flow, block, tx)?;
    while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
    Ok(execution.finish(io))
}
