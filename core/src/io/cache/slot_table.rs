//! The storage cache's table: every cached slot in load order, in chunks that never move, and
//! a hash index of `(hash, position)` pairs over them.
//!
//! A map of `(address, key)` to the slot held 160-byte entries, so each time it grew it copied
//! every slot into a table it had just allocated, and the pages of that table were faulted in
//! by the copy: in a transaction that writes ten thousand new slots, half of the interpreter's
//! time. The index holds sixteen bytes a slot and rehashes from the hash it keeps; the slots
//! themselves are written once, where they stay.

use super::slot_hash::{is_slot, SlotHashBuilder};
use crate::io::journal::ChunkedLog;
use crate::primitives::{Address, U256};
use hashbrown::HashTable;

/// One cached storage slot: its values and what the block and the transaction did with it.
#[derive(Clone, Debug)]
pub(in crate::io) struct Slot {
    /// The value now.
    pub(in crate::io) present: U256,
    /// The value at the start of the transaction.
    pub(in crate::io) original: U256,
    /// The value at the start of the block.
    pub(in crate::io) initial: U256,
    /// Whether the transaction accessed it (EIP-2929).
    pub(in crate::io) warm: bool,
    /// Whether the source held it at the start of the block.
    pub(in crate::io) existed_at_block_start: bool,
    /// Whether the tree read of this slot was charged (loading alone charges nothing).
    pub(in crate::io) read_charged: bool,
    /// Whether the tree write of this slot was charged.
    pub(in crate::io) write_charged: bool,
    /// Protocol version 2: whether the slot is in the block's storage cache.
    pub(in crate::io) materialised: bool,
    /// Protocol version 2: whether the slot was written in the block (journaled).
    pub(in crate::io) written: bool,
}

/// A cached slot with its address and key.
#[derive(Debug)]
pub(super) struct CachedSlot {
    /// The account and the key.
    pub(super) id: (Address, U256),
    /// The slot.
    pub(super) slot: Slot,
}

/// The cached slots (see the module documentation).
#[derive(Debug, Default)]
pub(in crate::io) struct SlotTable {
    /// The hash of each slot's `(address, key)` and its position in `slots`.
    index: HashTable<(u64, usize)>,
    /// The slots in load order.
    slots: ChunkedLog<CachedSlot>,
    hasher: SlotHashBuilder,
}

impl SlotTable {
    /// How many slots are cached.
    pub(super) fn len(&self) -> usize {
        self.slots.len()
    }

    /// The position of the slot of `(address, key)` with hash `hash`, if it is cached.
    #[inline(always)]
    fn position(&self, hash: u64, address: &Address, key: &U256) -> Option<usize> {
        let slots = &self.slots;
        self.index
            .find(hash, |&(h, at)| {
                h == hash && slots.get(at).is_some_and(|s| is_slot(&s.id, address, key))
            })
            .map(|&(_, at)| at)
    }

    /// Whether the slot of `(address, key)` is cached.
    pub(super) fn contains(&self, address: &Address, key: &U256) -> bool {
        let hash = self.hasher.hash_slot(address, key);
        self.position(hash, address, key).is_some()
    }

    /// The cached slot of `(address, key)`.
    pub(in crate::io) fn get(&self, address: &Address, key: &U256) -> Option<&Slot> {
        let hash = self.hasher.hash_slot(address, key);
        let at = self.position(hash, address, key)?;
        self.slots.get(at).map(|s| &s.slot)
    }

    /// The cached slot of `(address, key)`, writable.
    pub(super) fn get_mut(&mut self, address: &Address, key: &U256) -> Option<&mut Slot> {
        let hash = self.hasher.hash_slot(address, key);
        let at = self.position(hash, address, key)?;
        self.slots.get_mut(at).map(|s| &mut s.slot)
    }

    /// The cached slot of `(address, key)`, made by `load` when it is not cached yet, and
    /// whether `load` made it now.
    #[inline(always)]
    pub(super) fn get_or_load(
        &mut self,
        address: &Address,
        key: &U256,
        load: impl FnOnce() -> Slot,
    ) -> (&mut Slot, bool) {
        let hash = self.hasher.hash_slot(address, key);
        // A found slot costs one probe; a new one a second, to find its place (the probe a
        // combined find-or-insert makes was an out-of-line call on every found slot).
        if let Some(at) = self.position(hash, address, key) {
            return (&mut self.slots.at_mut(at).slot, false);
        }
        let at = self.slots.len();
        self.index.insert_unique(hash, (hash, at), |&(h, _)| h);
        self.slots.push(CachedSlot {
            id: (*address, *key),
            slot: load(),
        });
        // Every position in the index is a slot's: each insert pushes the slot it names, and
        // `pop` drops the index entry of the slot it drops.
        (&mut self.slots.at_mut(at).slot, true)
    }

    /// Drops the slot loaded last from the cache and returns it with its `(address, key)`.
    pub(super) fn pop(&mut self) -> Option<((Address, U256), Slot)> {
        let last = self.slots.pop()?;
        let at = self.slots.len();
        let hash = self.hasher.hash_slot(&last.id.0, &last.id.1);
        if let Ok(entry) = self
            .index
            .find_entry(hash, |&(h, pos)| h == hash && pos == at)
        {
            entry.remove();
        }
        Some((last.id, last.slot))
    }

    /// Every cached slot with its `(address, key)`, in load order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&(Address, U256), &Slot)> {
        self.slots.iter().map(|s| (&s.id, &s.slot))
    }

    /// Every cached slot, writable.
    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut Slot> {
        self.slots.iter_mut().map(|s| &mut s.slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn slot(value: u64) -> Slot {
        let value = U256::from(value);
        Slot {
            present: value,
            original: value,
            initial: value,
            warm: false,
            existed_at_block_start: true,
            read_charged: false,
            write_charged: false,
            materialised: false,
            written: false,
        }
    }

    /// A `hashbrown` map of the same keys is the model: loads across several of the table's
    /// growths and the slot log's chunk edges, lookups of every key, writes through the table,
    /// then popping back below a chunk edge and loading again.
    #[test]
    fn behaves_as_a_map_in_load_order() {
        let mut table = SlotTable::default();
        let mut model: hashbrown::HashMap<(Address, U256), u64> = hashbrown::HashMap::new();
        let mut order = Vec::new();
        let id = |n: u64| (Address::repeat_byte((n % 3) as u8), U256::from(n / 3));
        for n in 0..2_500u64 {
            let (address, key) = id(n);
            let (found, loaded) = table.get_or_load(&address, &key, || slot(n));
            assert!(loaded, "{n}");
            assert_eq!(found.present, U256::from(n));
            model.insert((address, key), n);
            order.push((address, key));
            // A second access finds the slot and does not load it.
            let (again, loaded) = table.get_or_load(&address, &key, || slot(u64::MAX));
            assert!(!loaded);
            assert_eq!(again.present, U256::from(n));
        }
        assert_eq!(table.len(), model.len());
        for (n, (address, key)) in order.iter().enumerate() {
            assert!(table.contains(address, key));
            table
                .get_mut(address, key)
                .map(|s| s.present += U256::from(1))
                .unwrap();
            assert_eq!(table.get(address, key).unwrap().present, U256::from(n + 1));
        }
        let absent = (Address::repeat_byte(9), U256::from(1));
        assert!(!table.contains(&absent.0, &absent.1));
        assert!(table.get(&absent.0, &absent.1).is_none());
        // Iteration is load order.
        let ids: Vec<_> = table.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, order);
        // Popping the newest slots forgets exactly them.
        for n in (1_000..2_500).rev() {
            let (popped, value) = table.pop().unwrap();
            assert_eq!(popped, order[n]);
            assert_eq!(value.present, U256::from(n + 1));
            assert!(!table.contains(&popped.0, &popped.1));
        }
        assert_eq!(table.len(), 1_000);
        for (address, key) in &order[..1_000] {
            assert!(table.contains(address, key));
        }
        // A popped slot loads again, at the end.
        let (address, key) = order[1_500];
        let (reloaded, loaded) = table.get_or_load(&address, &key, || slot(7));
        assert!(loaded);
        assert_eq!(reloaded.present, U256::from(7));
        assert_eq!(table.iter().last().map(|(id, _)| *id), Some((address, key)));
        for slot in table.values_mut() {
            slot.warm = true;
        }
        assert!(table.iter().all(|(_, slot)| slot.warm));
    }
}
