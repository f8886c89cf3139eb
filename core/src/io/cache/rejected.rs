//! What a transaction added to the block's caches, so that a rejected transaction (invalid in
//! validation, or over a block limit after it ran) leaves them as it found them under protocol
//! version 1: the next transactions then pay exactly what they pay in a block without it, which
//! is the block that is kept, traced and proven.
//!
//! Protocol version 2 keeps what a rejected transaction cached, as upstream ZKsync OS does: its
//! caches keep every element's first record through rollbacks (ADI-Stack-zkOS @ 8035ac6f,
//! `zk_ee/src/common_structs/history_map/mod.rs`), and its bootloader does not roll back a
//! transaction that fails validation (`basic_bootloader/src/bootloader/mod.rs`); the oracle
//! confirms both (an invalid transaction's sender, and the slots and accounts of a transaction
//! rejected for the block's pubdata limit, are cheaper for the next transaction).

use super::cache_log::CacheEntry;
use super::Io;
use crate::io::StateSource;
use crate::primitives::U256;
use crate::resources::native::ChargingModel;

impl<S: StateSource> Io<S> {
    /// Starts recording what the next transaction adds to the block's caches.
    pub fn start_tx_caches(&mut self) {
        self.cache_log.clear();
        self.slots_before_tx = self.storage.len();
        self.tx_seq = self.tx_seq.wrapping_add(1);
    }

    /// Records an addition to the block's caches (protocol version 1 only).
    pub(super) fn log_cache(&mut self, entry: CacheEntry) {
        if self.costs.model == ChargingModel::PerBlock {
            self.cache_log.push(entry);
        }
    }

    /// Forgets what the transaction since [`Self::start_tx_caches`] added to the block's caches
    /// (protocol version 1; version 2 keeps it, see the module documentation). Call it after
    /// the transaction's changes were rolled back.
    pub fn forget_rejected_tx_caches(&mut self) {
        if self.costs.model == ChargingModel::PerBlock {
            // The slots loaded since the transaction started are the cache's last ones.
            while self.storage.len() > self.slots_before_tx {
                let Some(((address, key), slot)) = self.storage.pop() else {
                    break;
                };
                self.slot_index
                    .changed(&address, &key, &slot.present, &U256::ZERO);
            }
        }
        while let Some(entry) = self.cache_log.pop() {
            match entry {
                CacheEntry::AccountLoaded(address) => {
                    self.accounts.remove(&address);
                }
                CacheEntry::SlotReadCharged(address, key) => {
                    if let Some(slot) = self.storage.get_mut(&address, &key) {
                        slot.read_charged = false;
                    }
                }
                CacheEntry::SlotWriteCharged(address, key) => {
                    if let Some(slot) = self.storage.get_mut(&address, &key) {
                        slot.write_charged = false;
                    }
                }
                CacheEntry::CodeAnalysed(hash) => {
                    self.analysed_code.remove(&hash);
                }
            }
        }
    }
}
