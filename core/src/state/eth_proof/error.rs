//! Why a header or a state proof does not hold.

use core::fmt;

/// A header or a proof that does not prove what the node claims. Each variant names one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
    /// keccak of the header's RLP is not the block hash the node reported (or the user pinned).
    HeaderHashMismatch,
    /// The header does not hash to its block hash and carries fields this engine does not know
    /// (a later fork, or a chain whose headers are not Ethereum's): it cannot be verified.
    HeaderUnknownFields,
    /// A later fork's header field is present while an earlier one is absent.
    HeaderFieldGap,
    /// A proof node does not hash to the reference its parent (or the root) holds.
    NodeHashMismatch,
    /// A proof node is not canonical RLP, or not a branch, extension or leaf node.
    MalformedNode,
    /// The proof ends before the key's path does.
    MissingNode,
    /// The proof has nodes after the one that settles the key.
    ExtraNode,
    /// The proven account (or its absence) differs from the one the node reported.
    AccountMismatch,
    /// The proven slot value differs from the one the node reported.
    SlotMismatch,
    /// The code does not hash to the proven code hash.
    CodeMismatch,
    /// The host's request (`wire`) is not what it should be: a header or proof field missing
    /// or of the wrong length, or bytes that are no such request.
    MalformedRequest,
}

impl ProofError {
    /// The variant's name (the `reason` bindings attach).
    pub fn name(&self) -> &'static str {
        match self {
            Self::HeaderHashMismatch => "HeaderHashMismatch",
            Self::HeaderUnknownFields => "HeaderUnknownFields",
            Self::HeaderFieldGap => "HeaderFieldGap",
            Self::NodeHashMismatch => "NodeHashMismatch",
            Self::MalformedNode => "MalformedNode",
            Self::MissingNode => "MissingNode",
            Self::ExtraNode => "ExtraNode",
            Self::AccountMismatch => "AccountMismatch",
            Self::SlotMismatch => "SlotMismatch",
            Self::CodeMismatch => "CodeMismatch",
            Self::MalformedRequest => "MalformedRequest",
        }
    }
}

impl ProofError {
    /// What the rule says, in words (the [`fmt::Display`] text).
    pub fn message(&self) -> &'static str {
        match self {
            Self::HeaderHashMismatch => "the header does not hash to the block hash",
            Self::HeaderUnknownFields => {
                "the header has fields this engine does not know and cannot be verified"
            }
            Self::HeaderFieldGap => "a later fork's header field is present without an earlier one",
            Self::NodeHashMismatch => "a proof node does not hash to its reference",
            Self::MalformedNode => "a proof node is malformed",
            Self::MissingNode => "the proof ends before the key's path",
            Self::ExtraNode => "the proof has nodes past the key's path",
            Self::AccountMismatch => "the account differs from the one proven",
            Self::SlotMismatch => "the slot value differs from the one proven",
            Self::CodeMismatch => "the code does not hash to the proven code hash",
            Self::MalformedRequest => "a field is missing or has the wrong length",
        }
    }
}

impl fmt::Display for ProofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl core::error::Error for ProofError {}
