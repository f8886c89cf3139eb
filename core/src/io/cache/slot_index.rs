//! The cached slots of each account, so that asking whether an account has storage and wiping
//! a deleted account's storage visit only that account's slots, never the whole cache: a
//! hostile block can fill the cache with paid-for slots and then create or delete accounts
//! many times over.

use crate::primitives::{Address, U256};
use alloc::vec::Vec;
use hashbrown::HashMap;

/// Per account: its cached slots that may hold a non-zero value, and how many do.
#[derive(Debug, Default)]
struct AccountSlots {
    /// Every slot whose value became non-zero since the account's storage was last wiped (a
    /// key may repeat; each entry was added by a paid load, write or rollback).
    maybe_nonzero: Vec<U256>,
    /// How many cached slots hold a non-zero value now.
    nonzero: usize,
}

/// The per-account index of the storage cache (see the module documentation).
#[derive(Debug, Default)]
pub(super) struct SlotIndex {
    by_account: HashMap<Address, AccountSlots>,
}

impl SlotIndex {
    /// Records that a cached slot's value changed from `old` to `new`.
    pub(super) fn changed(&mut self, address: &Address, key: &U256, old: &U256, new: &U256) {
        if old.is_zero() == new.is_zero() {
            return;
        }
        let slots = self.by_account.entry(*address).or_default();
        if new.is_zero() {
            slots.nonzero = slots.nonzero.saturating_sub(1);
        } else {
            slots.nonzero += 1;
            slots.maybe_nonzero.push(*key);
        }
    }

    /// Whether a cached slot of `address` holds a non-zero value.
    pub(super) fn has_nonzero(&self, address: &Address) -> bool {
        self.by_account
            .get(address)
            .is_some_and(|slots| slots.nonzero > 0)
    }

    /// The slots of `address` that may hold a non-zero value, which the caller sets to zero:
    /// the account's entry is emptied.
    pub(super) fn wipe(&mut self, address: &Address) -> Vec<U256> {
        self.by_account
            .get_mut(address)
            .map(|slots| {
                slots.nonzero = 0;
                core::mem::take(&mut slots.maybe_nonzero)
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nonzero_values_per_account() {
        let (a, b) = (Address::repeat_byte(1), Address::repeat_byte(2));
        let (zero, one, two) = (U256::ZERO, U256::from(1), U256::from(2));
        let mut index = SlotIndex::default();
        index.changed(&a, &one, &zero, &one);
        index.changed(&a, &one, &one, &two);
        index.changed(&a, &two, &zero, &one);
        index.changed(&b, &one, &zero, &one);
        assert!(index.has_nonzero(&a));
        index.changed(&a, &one, &two, &zero);
        assert!(index.has_nonzero(&a));
        index.changed(&a, &two, &one, &zero);
        assert!(!index.has_nonzero(&a));
        assert!(index.has_nonzero(&b));
        // Only b's own slot is handed back, and the entry is empty afterwards.
        assert_eq!(index.wipe(&b), [one]);
        assert!(!index.has_nonzero(&b));
        assert!(index.wipe(&b).is_empty());
    }
}
