//! The [`Oracle`] trait: the queries the bootloader's drivers ask about a block, and
//! [`BlockInput`], what a block starts from.

use alloc::vec::Vec;

use super::error::OracleError;
use crate::context::BlockContext;
use crate::primitives::{Bytes, B256};
use crate::state::proof::BatchProof;
use crate::state::tree::StateCommitment;

/// What a block starts from: its context and the chain state left by the previous block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInput {
    /// The block's context (its `block_hashes` are the previous blocks', oldest first).
    pub context: BlockContext,
    /// Tree commitment after the previous block.
    pub previous_state: StateCommitment,
    /// Timestamp of the previous block.
    pub previous_timestamp: u64,
}

/// Answers the bootloader's non-deterministic queries.
pub trait Oracle {
    /// The block's context and the previous chain state.
    fn block_input(&mut self) -> Result<BlockInput, OracleError>;
    /// The next transaction's bytes, `None` after the last.
    fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError>;
    /// The value of tree key `flat_key` at the start of the block; `None` when the key has no
    /// leaf (the slot is new).
    fn storage_read(&mut self, flat_key: &B256) -> Result<Option<B256>, OracleError>;
    /// The 124-byte account record whose blake2s hash is `hash`.
    fn account_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError>;
    /// The bytecode preimage (`code ‖ pad ‖ artifacts`) whose blake2s hash is `hash`.
    fn bytecode_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError>;
    /// Proofs for the read claims on `reads` and the net `writes`, against the previous state.
    fn batch_proof(
        &mut self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, OracleError>;
    /// Called after the last query; a replayed stream fails here when words are left over.
    fn finish(&mut self) -> Result<(), OracleError> {
        Ok(())
    }
}

impl<O: Oracle + ?Sized> Oracle for &mut O {
    fn block_input(&mut self) -> Result<BlockInput, OracleError> {
        (**self).block_input()
    }

    fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError> {
        (**self).next_transaction()
    }

    fn storage_read(&mut self, flat_key: &B256) -> Result<Option<B256>, OracleError> {
        (**self).storage_read(flat_key)
    }

    fn account_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        (**self).account_preimage(hash)
    }

    fn bytecode_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        (**self).bytecode_preimage(hash)
    }

    fn batch_proof(
        &mut self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, OracleError> {
        (**self).batch_proof(reads, writes)
    }

    fn finish(&mut self) -> Result<(), OracleError> {
        (**self).finish()
    }
}
