//! Errors of the engine facade, each with a stable code that bindings pass on unchanged.

use crate::bootloader::InvalidTransaction;
use crate::io::StateKey;
use crate::oracle::ProvingError;
use crate::trace::TraceBudget;
use crate::tx::{SignatureError, TxDecodeError};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

/// Why an engine request was refused. Nothing changes in the engine when one is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// The raw transaction bytes are not a well-formed envelope.
    Decode(TxDecodeError),
    /// The sender of a signed transaction cannot be recovered.
    Signature(SignatureError),
    /// The transaction is not valid against the current state (nonce, funds, gas, ...).
    Invalid(InvalidTransaction),
    /// No transaction with this hash is known.
    UnknownTransaction,
    /// No block with this number is known.
    UnknownBlock,
    /// A field of the request is out of range or contradicts another field.
    BadInput(&'static str),
    /// The block is older than the engine's history window (see
    /// [`Engine::history_blocks`](super::Engine::history_blocks)): its state is no longer
    /// kept, so it cannot be read nor its transactions re-run.
    HistoryUnavailable,
    /// A session was asked to step after its transaction finished.
    SessionFinished,
    /// The block's commitments (pubdata, logs tree, DA commitment) could not be built.
    Commitment(ProvingError),
    /// The engine forks a chain and needs these values of it before the operation can go on
    /// (fetch them, [`Engine::supply`](super::Engine::supply) them and resume).
    StateNeeded(Vec<StateKey>),
    /// Execution read a value of the forked chain that no check had asked for first. A defect
    /// of the engine: the operation's results are discarded.
    UnansweredRead,
    /// A trace needed more records or bytes than its budget allows.
    TraceLimit(TraceBudget),
    /// The next block's number or timestamp would not fit in 64 bits (`"number"` or
    /// `"timestamp"`).
    BlockOverflow(&'static str),
    /// An on-demand precompile (RIPEMD-160, modexp, bn254, KZG, BLS12-381, P256VERIFY) was
    /// called and the engine's curve backend has not got its code loaded yet; load it and
    /// retry.
    CurvesNotLoaded,
}

impl EngineError {
    /// Stable machine-readable code (`ZKOS_…`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Decode(_) => "ZKOS_TX_DECODE",
            Self::Signature(_) => "ZKOS_TX_SIGNATURE",
            Self::Invalid(_) => "ZKOS_TX_INVALID",
            Self::UnknownTransaction => "ZKOS_UNKNOWN_TX",
            Self::UnknownBlock => "ZKOS_UNKNOWN_BLOCK",
            Self::BadInput(_) => "ZKOS_BAD_INPUT",
            Self::HistoryUnavailable => "ZKOS_HISTORY_UNAVAILABLE",
            Self::SessionFinished => "ZKOS_SESSION_FINISHED",
            Self::Commitment(_) => "ZKOS_BLOCK_COMMITMENT",
            Self::StateNeeded(_) => "ZKOS_STATE_NEEDED",
            Self::UnansweredRead => "ZKOS_UNANSWERED_READ",
            Self::TraceLimit(_) => "ZKOS_TRACE_LIMIT",
            Self::BlockOverflow(_) => "ZKOS_BLOCK_OVERFLOW",
            Self::CurvesNotLoaded => "ZKOS_CURVES_NOT_LOADED",
        }
    }

    /// Name of the rule behind a decode, signature or validity error (the inner variant's
    /// name, e.g. `NonceTooLow`, `InsufficientFunds`, `UnexpectedEnd`), `None` for the others.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Self::Decode(e) => Some(e.name()),
            Self::Signature(e) => Some(e.name()),
            Self::Invalid(e) => Some(e.name()),
            _ => None,
        }
    }

    /// Human-readable message (the [`fmt::Display`] text).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "cannot decode transaction: {e}"),
            Self::Signature(e) => write!(f, "cannot recover sender: {e}"),
            Self::Invalid(e) => write!(f, "invalid transaction: {e}"),
            Self::UnknownTransaction => f.write_str("unknown transaction"),
            Self::UnknownBlock => f.write_str("unknown block"),
            Self::BadInput(what) => write!(f, "bad input: {what}"),
            Self::HistoryUnavailable => {
                f.write_str("the block's state is no longer kept (older than the history window)")
            }
            Self::SessionFinished => f.write_str("the session's transaction has finished"),
            Self::Commitment(e) => write!(f, "cannot build the block's commitments: {e}"),
            Self::StateNeeded(keys) => write!(
                f,
                "{} value(s) of the forked chain must be fetched first",
                keys.len()
            ),
            Self::UnansweredRead => {
                f.write_str("a value of the forked chain was read before it was fetched")
            }
            Self::TraceLimit(budget) => write!(
                f,
                "the trace needs more than its budget of {} records or {} bytes",
                budget.max_steps, budget.max_bytes
            ),
            Self::BlockOverflow(what) => {
                write!(f, "the next block's {what} does not fit in 64 bits")
            }
            Self::CurvesNotLoaded => f.write_str(
                "the code of the heavy precompiles (RIPEMD-160, modexp, bn254, KZG, BLS12-381, P256VERIFY) is not loaded yet",
            ),
        }
    }
}

impl core::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Decode(e) => Some(e),
            Self::Signature(e) => Some(e),
            Self::Invalid(e) => Some(e),
            Self::Commitment(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidTransaction> for EngineError {
    /// Undecodable bytes and unrecoverable signatures keep their own codes.
    fn from(e: InvalidTransaction) -> Self {
        match e {
            InvalidTransaction::Malformed(d) => Self::Decode(d),
            InvalidTransaction::InvalidSignature(s) => Self::Signature(s),
            other => Self::Invalid(other),
        }
    }
}
