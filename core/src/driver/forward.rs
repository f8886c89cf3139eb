//! Forward mode: a block run on the sequencer's world state. Without a recorder the world state
//! is trusted and its tree updated directly; with a recorder the oracle's answers are also
//! written as a word stream, the batch proof fetched (so the stream is complete) and the
//! verified commitment checked against the tree's.

use alloc::vec::Vec;

use super::run::{execute, ProvenBlock};
use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::oracle::{ForwardOracle, ProvingError, Recorder};
use crate::primitives::Bytes;
use crate::state::world::WorldState;

/// Runs one block forward on `world` and applies it. With `recorder`, the oracle answers are
/// written there as a word stream (see [`Recorder`]) that [`super::prove_block`] can replay.
pub fn run_block_forward(
    world: &mut WorldState,
    config: &ChainConfig,
    context: BlockContext,
    txs: Vec<Bytes>,
    recorder: Option<&mut Vec<u32>>,
) -> Result<ProvenBlock, ProvingError> {
    let oracle = ForwardOracle::new(world, context, txs);
    let (executed, verified) = match recorder {
        Some(words) => {
            let (executed, verified, recorder) = execute(config, Recorder::new(oracle), true)?;
            *words = recorder.into_words();
            (executed, verified)
        }
        None => {
            let (executed, verified, _) = execute(config, oracle, false)?;
            (executed, verified)
        }
    };
    let new_state = world
        .apply_tree_changes(&executed.changes)
        .map_err(ProvingError::World)?;
    if verified.is_some_and(|verified| verified != new_state) {
        return Err(ProvingError::CommitmentMismatch);
    }
    world.set_last_block_timestamp(executed.input.context.timestamp);
    executed.prove(config, new_state)
}
