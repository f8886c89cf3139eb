//! Checkpoints: points of a chain's history to return to (a dev node's `evm_snapshot` and
//! `evm_revert`), at a cost proportional to what changed since, not to the chain's size.
//!
//! A checkpoint holds its state version in the store (so the journal of what later versions
//! replaced is kept, see [`super::versions`]) and the sizes of the block list and of the
//! history window. Rewinding undoes the later versions, drops the later blocks with their
//! transactions, and puts back the history window and the settings of that moment.

use super::chain::{Engine, History};
use super::error::EngineError;
use super::fees::FeeParams;
use super::store::Hold;
use alloc::rc::Rc;

/// A point of an engine's chain to return to with [`Engine::rewind`]. It keeps the state
/// changes made after it until it is dropped, or used up by a rewind to an earlier one.
pub struct Checkpoint {
    hold: Rc<Hold>,
    blocks: usize,
    history: usize,
    history_blocks: u64,
    fees: FeeParams,
    rpc_gas_cap: u64,
}

impl Engine {
    /// A checkpoint of the chain as it is now: state, blocks with their transactions and
    /// receipts, the history window, fee parameters and RPC gas cap.
    pub fn checkpoint(&self) -> Checkpoint {
        let keep = self
            .history
            .front()
            .map_or_else(|| self.state.version(), |h| h.pre_version);
        Checkpoint {
            hold: self.state.hold(keep),
            blocks: self.blocks.len(),
            history: self.history.len(),
            history_blocks: self.history_blocks,
            fees: self.fees,
            rpc_gas_cap: self.rpc_gas_cap,
        }
    }

    /// Returns the chain to `checkpoint`, which stays usable; the checkpoints taken after it
    /// are used up. Fails (changing nothing) for a checkpoint of another engine, of a copy,
    /// or used up (a rewind or a refused batch undid its state). An open session or paused
    /// operation keeps reading the state it was opened on.
    pub fn rewind(&mut self, checkpoint: &Checkpoint) -> Result<(), EngineError> {
        if !self.state.holds(&checkpoint.hold) || self.blocks.len() < checkpoint.blocks {
            return Err(EngineError::BadInput(
                "the checkpoint is not this chain's, or a rewind to an earlier one used it up",
            ));
        }
        for block in self.blocks.drain(checkpoint.blocks..) {
            for tx in &block.txs {
                if self.tx_index.get(&tx.hash) == Some(&(tx.block_number, tx.index as usize)) {
                    self.tx_index.remove(&tx.hash);
                }
            }
        }
        self.state.rewind(&checkpoint.hold);
        let head = self.head().number;
        while self.history.back().is_some_and(|h| h.number > head) {
            self.history.pop_back();
        }
        // Blocks that left the window since are the ones before its front.
        while self.history.len() < checkpoint.history {
            let Some(block) = self
                .blocks
                .len()
                .checked_sub(self.history.len() + 1)
                .and_then(|index| self.blocks.get(index))
            else {
                break;
            };
            self.history.push_front(History {
                number: block.header.number,
                pre_version: block.pre_version,
            });
        }
        self.history_blocks = checkpoint.history_blocks;
        self.fees = checkpoint.fees;
        self.rpc_gas_cap = checkpoint.rpc_gas_cap;
        self.trim_history();
        Ok(())
    }
}
