//! What can go wrong between an oracle and a block: the oracle's own errors ([`OracleError`])
//! and the reasons a block cannot be proven or run from one ([`ProvingError`]).

use crate::primitives::B256;
use crate::state::account::AccountError;
use crate::state::l2_logs::L2LogsError;
use crate::state::proof::{ProofDecodeError, ProofError};
use crate::state::pubdata::PubdataError;
use crate::state::public_input::DaError;
use crate::state::tree::TreeError;
use crate::state::world::WorldError;
use core::fmt;

/// Errors an oracle reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OracleError {
    /// A preimage the oracle should know is missing.
    MissingPreimage(B256),
    /// The forward tree could not build a proof.
    Tree(TreeError),
    /// The word stream does not start with [`WORD_STREAM_MAGIC`](super::WORD_STREAM_MAGIC).
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

/// Why a block could not be proven (or run from an oracle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvingError {
    /// The oracle failed or its stream is malformed.
    Oracle(OracleError),
    /// A preimage does not hash to the hash it was asked for.
    PreimageMismatch(B256),
    /// An account record preimage is not 124 bytes.
    BadAccountRecord(AccountError),
    /// A bytecode preimage is shorter than the code length its record states.
    BytecodeTooShort(B256),
    /// The batch proof does not verify the reads or the writes.
    Proof(ProofError),
    /// Final account records could not be built.
    Account(AccountError),
    /// The pubdata could not be encoded.
    Pubdata(PubdataError),
    /// The L2→L1 logs tree could not be built.
    Logs(L2LogsError),
    /// The DA commitment could not be computed.
    Da(DaError),
    /// The block's timestamp is below the previous block's (the chain commitment keeps the
    /// last timestamp so that timestamps never decrease).
    TimestampDecreasing {
        /// Timestamp of the previous block.
        previous: u64,
        /// Timestamp of this block.
        current: u64,
    },
    /// The forward world state rejected the block's changes.
    World(WorldError),
    /// The forward tree and the verified batch disagree on the new commitment.
    CommitmentMismatch,
    /// A curve precompile was called in a build without the curve code (no `curves` feature).
    CurvesNotLoaded,
}

impl fmt::Display for OracleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingPreimage(hash) => write!(f, "no preimage of {hash}"),
            Self::Tree(e) => write!(f, "the tree cannot build a proof: {e:?}"),
            Self::BadMagic(word) => write!(f, "the word stream starts with {word:#010x}"),
            Self::UnsupportedVersion(version) => {
                write!(f, "word stream version {version} is not supported")
            }
            Self::Truncated => f.write_str("the word stream ends inside a record"),
            Self::UnexpectedRecord { expected, found } => {
                write!(
                    f,
                    "a record with tag {found} answers a query with tag {expected}"
                )
            }
            Self::QueryMismatch => f.write_str("a record answers another key or hash"),
            Self::Malformed => f.write_str("a record's payload is malformed"),
            Self::BadProof(e) => write!(f, "a batch proof does not decode: {e:?}"),
            Self::TrailingWords(count) => write!(f, "{count} words follow the last query"),
        }
    }
}

impl core::error::Error for OracleError {}

impl fmt::Display for ProvingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Oracle(e) => write!(f, "oracle: {e}"),
            Self::PreimageMismatch(hash) => write!(f, "a preimage does not hash to {hash}"),
            Self::BadAccountRecord(e) => write!(f, "bad account record: {e:?}"),
            Self::BytecodeTooShort(hash) => {
                write!(
                    f,
                    "bytecode preimage {hash} is shorter than its record says"
                )
            }
            Self::Proof(e) => write!(f, "the batch proof does not verify: {e:?}"),
            Self::Account(e) => write!(f, "final account records: {e:?}"),
            Self::Pubdata(e) => write!(f, "pubdata: {e:?}"),
            Self::Logs(e) => write!(f, "L2→L1 logs tree: {e:?}"),
            Self::Da(e) => write!(f, "DA commitment: {e:?}"),
            Self::TimestampDecreasing { previous, current } => {
                write!(
                    f,
                    "timestamp {current} is below the previous block's {previous}"
                )
            }
            Self::World(e) => write!(f, "the world state rejects the changes: {e:?}"),
            Self::CommitmentMismatch => {
                f.write_str("the forward tree and the verified batch disagree on the commitment")
            }
            Self::CurvesNotLoaded => {
                f.write_str("a curve precompile was called and this build has no curve code")
            }
        }
    }
}

impl core::error::Error for ProvingError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Oracle(e) => Some(e),
            _ => None,
        }
    }
}
