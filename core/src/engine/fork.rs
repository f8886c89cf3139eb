//! Forking a chain: the block the engine builds on, and the values of the chain it is handed.
//!
//! A forked engine holds only what changed locally; every other account, slot or older block
//! hash is a value of the forked chain at the fork block, which the engine asks the host for
//! ([`EngineError::StateNeeded`](super::EngineError::StateNeeded)) and keeps once
//! [`Engine::supply`]d: a value is never asked for twice. The host fetches with JSON-RPC, which
//! tells values, not what the chain's tree holds, so what exists is decided by value (this is
//! what ZKsync OS's native and pubdata charges for new and existing state follow):
//!
//! - a slot exists iff its value at the fork block is non-zero (a zero one is new: its first
//!   read and write are charged as new, never less than an existing slot would be);
//! - an account exists iff it is non-empty at the fork block (a nonce, a balance or code,
//!   EIP-161): for the EVM this is Ethereum's rule, and after EIP-161 state clearing chains hold
//!   no empty accounts.
//!
//! Pubdata is exact either way: a slot's diff is from its value at the fork block to its final
//! one. The state tree of a forked engine holds only what changed since the fork, so its
//! root — and the commitments and public inputs built on it — are zkos's own, never the forked
//! chain's (zkos cannot build that chain's state trie); blocks zkos mines on a fork say so by a
//! zero `state_root` in their report.

use super::chain::Engine;
use super::error::EngineError;
use super::fees::FeeParams;
use super::fork_point::{ForkPoint, ForkValue};
use super::records::{BlockInfo, StoredBlock};
use super::store::Supplied;
use crate::io::{SourceAccount, StateKey};
use crate::primitives::keccak256;
use alloc::vec::Vec;

impl StoredBlock {
    /// The fork block as the engine's first block: the chain's header fields, no transactions.
    pub(super) fn fork_point(point: &ForkPoint, fees: &FeeParams) -> Self {
        let mut block = Self::genesis(fees);
        block.header = BlockInfo {
            number: point.number,
            hash: point.hash,
            parent_hash: point.parent_hash,
            timestamp: point.timestamp,
            coinbase: point.coinbase,
            gas_limit: point.gas_limit,
            gas_used: point.gas_used,
            base_fee: point.base_fee,
            blob_gas_used: point.blob_gas_used,
            excess_blob_gas: point.excess_blob_gas,
            prevrandao: point.prevrandao,
            ..block.header
        };
        block
    }
}

impl Engine {
    /// Keeps values of the forked chain the host fetched for the keys an operation asked for
    /// (see [`EngineError::StateNeeded`]). An empty account (no nonce, balance or code) is an
    /// absent one; an account's code is hashed once, here (loading it hashes nothing, and
    /// charges as loading a local account does). A value the engine already holds must be the
    /// same; nothing is kept when one is refused.
    pub fn supply(&mut self, values: &[(StateKey, ForkValue)]) -> Result<(), EngineError> {
        let mut accepted = Vec::with_capacity(values.len());
        for (key, value) in values {
            let supplied = match (key, value) {
                (
                    StateKey::Account(_),
                    ForkValue::Account {
                        nonce,
                        balance,
                        code,
                        has_storage,
                    },
                ) => {
                    let empty = *nonce == 0 && balance.is_zero() && code.is_empty();
                    Supplied::Account((!empty).then(|| SourceAccount {
                        nonce: *nonce,
                        balance: *balance,
                        code: code.clone(),
                        // Hashed once here, so no operation hashes it again.
                        code_hash: (!code.is_empty()).then(|| keccak256(code)),
                        has_storage: *has_storage,
                    }))
                }
                (StateKey::Storage(..), ForkValue::Slot(value)) => Supplied::Slot(*value),
                (StateKey::BlockHash(number), ForkValue::BlockHash(hash)) => {
                    if self.fork.as_ref().is_none_or(|p| *number >= p.number) {
                        return Err(EngineError::BadInput(
                            "a block hash supplied for a block after the fork",
                        ));
                    }
                    Supplied::BlockHash(*hash)
                }
                _ => {
                    return Err(EngineError::BadInput(
                        "a supplied value does not match its key",
                    ))
                }
            };
            accepted.push((*key, supplied));
        }
        self.state.check_supply(&accepted)?;
        for (key, supplied) in accepted {
            self.state.supply(key, supplied);
        }
        Ok(())
    }
}
