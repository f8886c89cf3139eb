//! The forward oracle: answers from a world state and the block the sequencer was given.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::error::OracleError;
use super::queries::{BlockInput, Oracle};
use crate::context::BlockContext;
use crate::primitives::{Bytes, B256};
use crate::state::proof::BatchProof;
use crate::state::world::WorldState;

/// Answers every query from `world` (proofs are built from its tree).
pub struct ForwardOracle<'a> {
    world: &'a WorldState,
    context: BlockContext,
    transactions: VecDeque<Bytes>,
}

impl<'a> ForwardOracle<'a> {
    /// An oracle for the block `context` with `transactions`, over `world` as the state left by
    /// the previous block.
    pub fn new(world: &'a WorldState, context: BlockContext, transactions: Vec<Bytes>) -> Self {
        Self {
            world,
            context,
            transactions: transactions.into(),
        }
    }

    fn preimage(&self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        self.world
            .preimage(hash)
            .map(<[u8]>::to_vec)
            .ok_or(OracleError::MissingPreimage(*hash))
    }
}

impl Oracle for ForwardOracle<'_> {
    fn block_input(&mut self) -> Result<BlockInput, OracleError> {
        Ok(BlockInput {
            context: self.context.clone(),
            previous_state: self.world.commitment(),
            previous_timestamp: self.world.last_block_timestamp(),
        })
    }

    fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError> {
        Ok(self.transactions.pop_front())
    }

    fn storage_read(&mut self, flat_key: &B256) -> Result<Option<B256>, OracleError> {
        Ok(self.world.get(flat_key))
    }

    fn account_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        self.preimage(hash)
    }

    fn bytecode_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        self.preimage(hash)
    }

    fn batch_proof(
        &mut self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, OracleError> {
        self.world
            .tree()
            .prove_batch(reads, writes)
            .map_err(OracleError::Tree)
    }
}
