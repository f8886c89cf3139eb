//! Storage slots in the cache: loading, `SLOAD`, `SSTORE` and warming (protocol version 1's
//! charges; version 2's are in [`super::materialised`]). Each access finds its slot with one
//! hash-map lookup.

use super::cache_log::CacheEntry;
use super::slot_table::Slot;
use super::Io;
use crate::io::access::{OutOfNative, SlotAccess, StorageWrite};
use crate::io::journal::JournalEntry;
use crate::io::source::{StateSource, Unknown};
use crate::primitives::{Address, U256};
use crate::resources::native::ChargingModel;

impl<S: StateSource> Io<S> {
    /// The cached slot, loaded from the source on its first access (a block-cache addition: the
    /// cache's newest slots are the running transaction's loads, see [`super::rejected`]).
    pub(super) fn load_slot(&mut self, address: &Address, key: &U256) -> &mut Slot {
        self.load_slot_noting(address, key).0
    }

    /// [`Self::load_slot`], and whether this call loaded it: then forgetting a rejected
    /// transaction drops the whole slot, so a flag set now needs no cache-log entry of its own.
    fn load_slot_noting(&mut self, address: &Address, key: &U256) -> (&mut Slot, bool) {
        let (source, unanswered, slot_index) =
            (&mut self.source, &mut self.unanswered, &mut self.slot_index);
        let (slot, loaded_now) = self.storage.get_or_load(address, key, || {
            let stored = source.storage(address, key).unwrap_or_else(|Unknown| {
                *unanswered = true;
                None
            });
            let value = stored.unwrap_or_default();
            slot_index.changed(address, key, &U256::ZERO, &value);
            Slot {
                present: value,
                original: value,
                initial: value,
                warm: false,
                existed_at_block_start: stored.is_some(),
                read_charged: false,
                write_charged: false,
                materialised: false,
                written: false,
            }
        });
        (slot, loaded_now)
    }

    /// `SLOAD`: reads a slot, charging native and warming it.
    pub fn sload(&mut self, address: &Address, key: &U256) -> Result<SlotAccess, OutOfNative> {
        if self.costs.model == ChargingModel::Materialised {
            return self.sload_materialised(address, key);
        }
        // The three prices, read before the slot borrows `self` (not a clone of the table's
        // `Rc`, whose count update and drop were out-of-line calls on every `SLOAD` in wasm).
        let (warm, cold_existing, cold_new) = (
            self.costs.warm_storage_read_native,
            self.costs.cold_read_existing_native,
            self.costs.cold_read_new_native,
        );
        let (slot, loaded_now) = self.load_slot_noting(address, key);
        let native = if slot.read_charged {
            warm
        } else if slot.existed_at_block_start {
            cold_existing
        } else {
            cold_new
        };
        let first_read = !core::mem::replace(&mut slot.read_charged, true);
        let value = slot.present;
        let cold = !slot.warm;
        slot.warm = true;
        if cold {
            self.journal.push(JournalEntry::SlotWarmed(*address, *key));
        }
        if first_read && !loaded_now {
            self.log_cache(CacheEntry::SlotReadCharged(*address, *key));
        }
        self.charge_native(native)?;
        Ok(SlotAccess { value, cold })
    }

    /// Warms a slot without reading it for an instruction (access lists).
    pub fn warm_slot(&mut self, address: &Address, key: &U256) {
        let slot = self.load_slot(address, key);
        if !slot.warm {
            slot.warm = true;
            self.journal.push(JournalEntry::SlotWarmed(*address, *key));
        }
    }

    /// Whether a slot is warm, without loading it.
    pub fn is_slot_warm(&self, address: &Address, key: &U256) -> bool {
        self.storage.get(address, key).is_some_and(|slot| slot.warm)
    }

    /// The original (transaction-start) and present value of a slot and whether it is warm,
    /// without charging or warming.
    pub fn peek_slot(&mut self, address: &Address, key: &U256) -> (U256, U256, bool) {
        let slot = self.load_slot(address, key);
        (slot.original, slot.present, slot.warm)
    }

    /// `SSTORE`: hands the slot's original and present value and its warmth (before this
    /// write) to `price`, which charges the gas; if it succeeds, writes the slot, charging
    /// native and warming it. The slot is loaded either way; under version 1 nothing else
    /// changes when `price` fails (version 2 has charged the native by then, see
    /// `sstore_materialised`).
    pub fn sstore<E: From<OutOfNative>>(
        &mut self,
        address: &Address,
        key: &U256,
        value: U256,
        price: impl FnOnce(&StorageWrite) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.costs.model == ChargingModel::Materialised {
            return self.sstore_materialised(address, key, value, price);
        }
        let costs = self.costs.clone();
        let (slot, loaded_now) = self.load_slot_noting(address, key);
        let write = StorageWrite {
            original: slot.original,
            present: slot.present,
            cold: !slot.warm,
        };
        price(&write)?;
        let mut native = costs.warm_storage_read_native + costs.warm_storage_write_extra_native;
        let first_read = !slot.read_charged;
        if first_read {
            slot.read_charged = true;
            native += if slot.existed_at_block_start {
                costs.cold_read_existing_native
            } else {
                costs.cold_read_new_native
            };
        }
        let first_write = !slot.write_charged;
        if first_write {
            slot.write_charged = true;
            native += if slot.existed_at_block_start {
                costs.cold_write_existing_extra_native
            } else {
                costs.cold_write_new_extra_native
            };
        }
        slot.present = value;
        let was_warm = core::mem::replace(&mut slot.warm, true);
        self.slot_index
            .changed(address, key, &write.present, &value);
        if !was_warm {
            self.journal.push(JournalEntry::SlotWarmed(*address, *key));
        }
        if first_read && !loaded_now {
            self.log_cache(CacheEntry::SlotReadCharged(*address, *key));
        }
        if first_write && !loaded_now {
            self.log_cache(CacheEntry::SlotWriteCharged(*address, *key));
        }
        self.journal
            .push(JournalEntry::Storage(*address, *key, write.present));
        self.charge_native(native)?;
        Ok(())
    }
}
