//! The oracle: everything the bootloader does not compute itself and asks for instead — the
//! block's inputs, its transactions, the initial tree values it reads, the preimages of the
//! hashes in the tree, and the Merkle proofs that tie those reads and the block's writes to the
//! previous state commitment.
//!
//! Forward mode answers from a [`WorldState`](crate::state::world::WorldState)
//! ([`ForwardOracle`]); a [`Recorder`] writes every answer into a word stream that a proving
//! run reads back with [`Replay`]. In proving mode nothing an oracle says is trusted: preimages
//! are re-hashed when they arrive, and every tree read is checked at block end against the
//! previous commitment together with the writes ([`ProvingSource`]).

mod block;
mod forward;
mod source;
mod words;

#[cfg(test)]
mod tests;

pub use block::{block_commitments, prove_block, run_block_forward, BlockCommitments, ProvenBlock};
pub use forward::ForwardOracle;
pub use source::{ProvingError, ProvingSource};
pub use words::{Recorder, Replay, WORD_STREAM_MAGIC, WORD_STREAM_VERSION};

use alloc::vec::Vec;

use crate::bootloader::BlockContext;
use crate::primitives::{Bytes, B256};
use crate::state::proof::{BatchProof, ProofDecodeError};
use crate::state::tree::{StateCommitment, TreeError};

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

/// Errors an oracle reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OracleError {
    /// A preimage the oracle should know is missing.
    MissingPreimage(B256),
    /// The forward tree could not build a proof.
    Tree(TreeError),
    /// The word stream does not start with [`WORD_STREAM_MAGIC`].
    BadMagic(u32),
    /// The word stream has a version this build cannot read.
    UnsupportedVersion(u32),
    /// The word stream ended inside a record.
    Truncated,
    /// A record answers another query than the one asked (expected tag, found tag).
    UnexpectedRecord {
        /// Tag of the query asked.
        expected: u32,
        /// Tag found in the stream.
        found: u32,
    },
    /// A record answers the right kind of query but for another key or hash.
    QueryMismatch,
    /// A record's payload is malformed (bad length, flag, padding or encoding).
    Malformed,
    /// A batch proof in the stream does not decode.
    BadProof(ProofDecodeError),
    /// Words were left after the last query (count of them).
    TrailingWords(usize),
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
