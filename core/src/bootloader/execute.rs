//! One transaction run on its own over a block that has only EVM values (native priced at
//! 1 wei, free pubdata): what the Ethereum state tests, the revm differential test and the
//! workload runner need.

use super::flow::ChainFlow;
use super::input::DecodedTx;
use super::invalid::InvalidTransaction;
use super::receipt::TxReceipt;
use super::transaction::{TxExecution, TxProgress};
use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::ee::evm::Tracer;
use crate::env::BlockEnv;
use crate::io::{Io, StateSource};
use crate::primitives::Address;
use crate::tx::Transaction;

/// Executes one signed-and-recovered transaction from `sender` in `config`'s flow, with no
/// block limits. An invalid transaction leaves the state untouched.
pub fn execute_transaction<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockEnv,
    tx: &Transaction,
    sender: Address,
    tracer: &mut T,
) -> Result<TxReceipt, InvalidTransaction> {
    let context = BlockContext::from_evm_env(block);
    let decoded = DecodedTx::recovered(tx.clone(), sender);
    let mut execution = TxExecution::start(io, &ChainFlow::of(config), &context, decoded)?;
    while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
    Ok(execution.finish(io))
}
