//! Forward mode: a block run on the sequencer's world state. Without a recorder the world state
//! is trusted and its tree updated directly; with a recorder the oracle's answers are also
//! written as a word stream, the batch proof fetched (so the stream is complete) and the
//! verified commitment checked against the tree's.

use alloc::vec::Vec;

use super::run::{execute, ProvenBlock};
use crate::bootloader::RecoveredSenders;
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
    forward(world, config, context, txs, recorder, None)
}

/// [`run_block_forward`] with the senders zkos recovered when the transactions arrived: a
/// signed transaction whose bytes are in `senders` is not recovered again. The block, its
/// charges and commitments, and a recorded word stream are those of [`run_block_forward`].
pub fn run_block_forward_with_senders(
    world: &mut WorldState,
    config: &ChainConfig,
    context: BlockContext,
    txs: Vec<Bytes>,
    recorder: Option<&mut Vec<u32>>,
    senders: &RecoveredSenders,
) -> Result<ProvenBlock, ProvingError> {
    forward(world, config, context, txs, recorder, Some(senders))
}

fn forward(
    world: &mut WorldState,
    config: &ChainConfig,
    context: BlockContext,
    txs: Vec<Bytes>,
    recorder: Option<&mut Vec<u32>>,
    senders: Option<&RecoveredSenders>,
) -> Result<ProvenBlock, ProvingError> {
    let none_kept = RecoveredSenders::with_capacity(0);
    let senders = Some(senders.unwrap_or(&none_kept));
    let oracle = ForwardOracle::new(world, context, txs);
    let (executed, verified) = match recorder {
        Some(words) => {
            let (executed, verified, recorder) =
                execute(config, Recorder::new(oracle), true, senders)?;
            *words = recorder.into_words();
            (executed, verified)
        }
        None => {
            let (executed, verified, _) = execute(config, oracle, false, senders)?;
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
