//! Senders recovered once, when a transaction arrives (a pool's admission), and taken again when
//! the same bytes come in a block, so forward mode does not recover a signature twice. The
//! cache is keyed by keccak of the signed envelope's bytes and filled only by zkos's own
//! recovery ([`RecoveredSenders::admit`]); there is no way to put a sender in from outside.
//! Whether a sender came from here or was recovered in the block changes nothing a block
//! charges or commits to: the signature check's gas and native are charged by validation either
//! way. Proving mode never reads it (see [`crate::driver::prove_block`]).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::input::{decode_envelope_known, decode_envelopes_known, DecodedTx, Rejection};
use crate::primitives::{Address, B256};

/// How many senders a [`RecoveredSenders`] keeps by default: as many as geth's pool holds
/// transactions (go-ethereum `core/txpool/legacypool` `GlobalSlots` 4,096 + `GlobalQueue`
/// 1,024).
pub const RECOVERED_SENDERS_CAPACITY: usize = 5_120;

/// Senders zkos recovered from signed envelopes, by keccak of the envelope's bytes. When it is
/// full it forgets them all and starts over (a sender forgotten is recovered again in the
/// block): a bound without the bookkeeping of an eviction order, which the wasm module would
/// carry for a dev node's pool that rarely holds thousands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveredSenders {
    senders: BTreeMap<B256, Address>,
    capacity: usize,
}

impl Default for RecoveredSenders {
    fn default() -> Self {
        Self::with_capacity(RECOVERED_SENDERS_CAPACITY)
    }
}

impl RecoveredSenders {
    /// An empty cache that keeps at most `capacity` senders.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            senders: BTreeMap::new(),
            capacity,
        }
    }

    /// Decodes `bytes` as [`super::decode_envelope`] does and keeps the sender of a signed envelope
    /// that recovers, so a later [`RecoveredSenders::decode`] of the same bytes need not
    /// recover it again. An envelope rejected here is not kept.
    pub fn admit(&mut self, bytes: &[u8]) -> Result<DecodedTx, Rejection> {
        let decoded = self.decode(bytes)?;
        if !decoded.tx.is_l1() && !self.senders.contains_key(&decoded.hash) && self.capacity > 0 {
            if self.senders.len() >= self.capacity {
                self.senders.clear();
            }
            self.senders.insert(decoded.hash, decoded.sender);
        }
        Ok(decoded)
    }

    /// Decodes `bytes` exactly as [`super::decode_envelope`] does, taking the sender admitted for the
    /// same bytes instead of recovering it again.
    pub fn decode(&self, bytes: &[u8]) -> Result<DecodedTx, Rejection> {
        decode_envelope_known(bytes, |hash| self.senders.get(hash).copied())
    }

    /// [`RecoveredSenders::decode`] of each of `envelopes`, in order: the same answers, with
    /// the senders not kept here recovered together (two inversions for all of them instead
    /// of two each; see [`crate::tx::recover_senders`]), as a block's transactions are.
    pub fn decode_all<'a>(
        &self,
        envelopes: impl IntoIterator<Item = &'a [u8]>,
    ) -> Vec<Result<DecodedTx, Rejection>> {
        decode_envelopes_known(envelopes, |hash| self.senders.get(hash).copied())
    }

    /// How many senders are kept.
    pub fn len(&self) -> usize {
        self.senders.len()
    }

    /// Whether no sender is kept.
    pub fn is_empty(&self) -> bool {
        self.senders.is_empty()
    }
}

#[cfg(test)]
mod tests;
