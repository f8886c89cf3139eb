//! Values the source may not know yet (a forked chain's state before it is fetched): reads
//! checked ahead, the keys found missing, and reads no check asked for.

use super::Io;
use crate::bytecode::delegation_target;
use crate::io::{StateKey, StateSource, Unknown};
use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;

impl<S: StateSource> Io<S> {
    /// Whether the source can answer "unknown" (only then are reads checked ahead).
    #[inline]
    pub fn may_miss(&self) -> bool {
        self.may_miss
    }

    fn note_missing(&mut self, key: StateKey) {
        if !self.missing.contains(&key) {
            self.missing.push(key);
        }
    }

    /// Whether `address` can be read now; records it as missing otherwise. Loads nothing.
    pub fn require_account(&mut self, address: &Address) -> bool {
        if self.accounts.contains_key(address) || self.source.account(address).is_ok() {
            return true;
        }
        self.note_missing(StateKey::Account(*address));
        false
    }

    /// Whether slot `key` of `address` can be read now; records it as missing otherwise.
    pub fn require_slot(&mut self, address: &Address, key: &U256) -> bool {
        if self.storage.contains(address, key) || self.source.storage(address, key).is_ok() {
            return true;
        }
        self.note_missing(StateKey::Storage(*address, *key));
        false
    }

    /// Whether the hash of block `number` can be read from the source now; records it as
    /// missing otherwise.
    pub fn require_block_hash(&mut self, number: u64) -> bool {
        if self.source.block_hash(number).is_ok() {
            return true;
        }
        self.note_missing(StateKey::BlockHash(number));
        false
    }

    /// The EIP-7702 delegation target of `address`'s code, without loading it; `Err` when the
    /// source does not know the account (nothing is recorded).
    pub fn delegation_of(&mut self, address: &Address) -> Result<Option<Address>, Unknown> {
        if let Some(account) = self.accounts.get(address) {
            return Ok(account.code.delegation_target());
        }
        Ok(self
            .source
            .account(address)?
            .and_then(|account| delegation_target(&account.code)))
    }

    /// The hash of block `number` from the source (for `BLOCKHASH` beyond the block context).
    pub fn block_hash(&mut self, number: u64) -> B256 {
        self.source.block_hash(number).unwrap_or_else(|Unknown| {
            self.unanswered = true;
            B256::ZERO
        })
    }

    /// The keys found missing since the last call, in the order they were found.
    pub fn take_missing(&mut self) -> Vec<StateKey> {
        core::mem::take(&mut self.missing)
    }

    /// Whether a read met a value the source did not know and no check had asked for: the
    /// block's results are then wrong and must be discarded (a defect, never a user error).
    pub fn unanswered(&self) -> bool {
        self.unanswered
    }
}
