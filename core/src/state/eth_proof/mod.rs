//! Ethereum state proofs, checked as a light client checks them: a block header against its
//! hash (keccak of its RLP), and `eth_getProof` answers (Merkle-Patricia proofs of an account
//! and its slots) against the header's state root. Fork mode trusts no value a node sends
//! before these checks pass.

mod answer;
mod error;
mod header;
mod trie;
mod wire;

#[cfg(test)]
mod tests;

pub use answer::{verify_answer, AccountClaim, ProofAnswer, SlotClaim};
pub use error::ProofError;
pub use header::EthHeader;
pub use wire::{verify_header_request, verify_proof_request};

use crate::primitives::{b256, B256};

/// keccak256 of `rlp("")`: the root of an empty trie (an account without storage).
pub const EMPTY_TRIE_ROOT: B256 =
    b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
