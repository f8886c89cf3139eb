//! The one place where the engine hands a single transaction to the bootloader (simulations,
//! traces, sessions); blocks go through [`crate::bootloader::run_block`]. Everything above it
//! sees only the bootloader's [`TxReceipt`].

use crate::bootloader::{
    ChainFlow, DecodedTx, InvalidTransaction, TxExecution, TxProgress, TxReceipt,
};
use crate::context::BlockContext;
use crate::ee::evm::Tracer;
use crate::io::{Io, StateSource};

/// EVM steps a traced run takes between two looks at its tracer's budget: once the budget ran
/// out, the run stops within this many steps.
const BUDGET_CHECK_STEPS: u64 = 1 << 14;

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

/// [`execute`] that stops as soon as `over_budget` says the tracer's budget ran out (checked
/// every [`BUDGET_CHECK_STEPS`] steps and at the end): `Ok(None)` then, and `io` holds a
/// transaction cut short.
pub fn execute_within<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    flow: &ChainFlow,
    block: &BlockContext,
    tx: DecodedTx,
    tracer: &mut T,
    over_budget: fn(&T) -> bool,
) -> Result<Option<TxReceipt>, InvalidTransaction> {
    let mut execution = TxExecution::start(io, flow, block, tx)?;
    while execution.run(io, tracer, BUDGET_CHECK_STEPS) == TxProgress::Paused {
        if over_budget(tracer) {
            return Ok(None);
        }
    }
    let receipt = execution.finish(io);
    Ok((!over_budget(tracer)).then_some(receipt))
}
