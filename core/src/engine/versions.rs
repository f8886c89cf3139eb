//! What values were before later versions changed them: the journal that lets the engine keep
//! one copy of its state and still answer for recent versions (a block's pre-state, a session's
//! snapshot) at a cost proportional to what changed since.
//!
//! A version is the state after a numbered batch of changes (a block, an edit). Each change made
//! by version `v` records the value it replaced, once per key and version; the value of a key at
//! version `r` is the one replaced by the first change after `r`, or the current value when
//! nothing changed it since.

use alloc::collections::VecDeque;
use core::hash::Hash;
use hashbrown::HashMap;

/// The replaced values of a map whose keys are `K` and whose entries are `V`.
#[derive(Clone, Debug)]
pub(super) struct Versions<K, V> {
    /// Per key, `(version that changed it, entry before that change)`, oldest first.
    replaced: HashMap<K, VecDeque<(u64, V)>>,
    /// Every record in version order, to forget old ones.
    order: VecDeque<(u64, K)>,
}

impl<K, V> Default for Versions<K, V> {
    fn default() -> Self {
        Self {
            replaced: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Versions<K, V> {
    /// Records that `version` changes `key`, whose entry was `before` (only the first change of
    /// a key in a version is recorded).
    pub(super) fn record(&mut self, version: u64, key: &K, before: impl FnOnce() -> V) {
        let entries = self.replaced.entry(key.clone()).or_default();
        if entries.back().is_some_and(|(v, _)| *v == version) {
            return;
        }
        entries.push_back((version, before()));
        self.order.push_back((version, key.clone()));
    }

    /// The entry `key` had at version `at`, when a later version changed it (`None`: the current
    /// entry is still the one it had then).
    pub(super) fn at(&self, key: &K, at: u64) -> Option<&V> {
        let entries = self.replaced.get(key)?;
        // Entries are in version order: a checkpoint can keep thousands of a busy key's.
        let first_after = entries.partition_point(|(changed, _)| *changed <= at);
        entries.get(first_after).map(|(_, before)| before)
    }

    /// Forgets what versions up to `version` replaced (no reader asks for versions before it).
    pub(super) fn forget_through(&mut self, version: u64) {
        while self.order.front().is_some_and(|(v, _)| *v <= version) {
            let Some((_, key)) = self.order.pop_front() else {
                break;
            };
            if let Some(entries) = self.replaced.get_mut(&key) {
                entries.pop_front();
                if entries.is_empty() {
                    self.replaced.remove(&key);
                }
            }
        }
    }

    /// Drops what versions after `version` changed and returns, per key they changed, its entry
    /// at `version` (to put back), in time linear in the records dropped.
    pub(super) fn undo_after(&mut self, version: u64) -> alloc::vec::Vec<(K, V)> {
        let mut restore: alloc::vec::Vec<(K, V)> = alloc::vec::Vec::new();
        // Where each key's entry is in `restore`. Before, each record dropped searched the whole
        // list for its key: undoing one version of 80,000 slots took 37 s in wasm.
        let mut index: HashMap<K, usize> = HashMap::new();
        while self.order.back().is_some_and(|(v, _)| *v > version) {
            let Some((_, key)) = self.order.pop_back() else {
                break;
            };
            let Some(entries) = self.replaced.get_mut(&key) else {
                continue;
            };
            if let Some((_, before)) = entries.pop_back() {
                // Popped newest first: the last popped per key is its entry at `version`.
                match index.get(&key).and_then(|&at| restore.get_mut(at)) {
                    Some(entry) => entry.1 = before,
                    None => {
                        index.insert(key.clone(), restore.len());
                        restore.push((key.clone(), before));
                    }
                }
            }
            if entries.is_empty() {
                self.replaced.remove(&key);
            }
        }
        restore
    }

    /// Number of replaced values kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Versions;
    use alloc::rc::Rc;
    use core::cell::Cell;
    use core::hash::{Hash, Hasher};

    #[test]
    fn reads_the_value_a_later_version_replaced() {
        // Key 1: 10 (v0) -> 11 (v2) -> 12 (v3, twice: only the first is recorded) -> 13 (v5).
        let mut versions: Versions<u8, u32> = Versions::default();
        versions.record(2, &1, || 10);
        versions.record(3, &1, || 11);
        versions.record(3, &1, || 99);
        versions.record(5, &1, || 12);
        assert_eq!(versions.at(&1, 0), Some(&10));
        assert_eq!(versions.at(&1, 1), Some(&10));
        assert_eq!(versions.at(&1, 2), Some(&11));
        assert_eq!(versions.at(&1, 4), Some(&12));
        assert_eq!(versions.at(&1, 5), None);
        assert_eq!(versions.at(&2, 0), None);
        versions.forget_through(3);
        assert_eq!(versions.len(), 1);
        assert_eq!(versions.at(&1, 4), Some(&12));
    }

    #[test]
    fn undo_returns_each_key_to_its_entry_at_the_version() {
        let mut versions: Versions<u8, u32> = Versions::default();
        versions.record(1, &7, || 70);
        versions.record(2, &7, || 71);
        versions.record(3, &7, || 72);
        versions.record(3, &8, || 80);
        let mut restore = versions.undo_after(1);
        restore.sort();
        assert_eq!(restore, alloc::vec![(7, 71), (8, 80)]);
        assert_eq!(versions.at(&7, 0), Some(&70));
        assert_eq!(versions.len(), 1);
    }

    /// A key that counts the comparisons made between keys.
    #[derive(Clone)]
    struct Counted {
        id: u32,
        comparisons: Rc<Cell<u64>>,
    }

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            self.comparisons.set(self.comparisons.get() + 1);
            self.id == other.id
        }
    }

    impl Eq for Counted {}

    impl Hash for Counted {
        fn hash<H: Hasher>(&self, state: &mut H) {
            self.id.hash(state);
        }
    }

    #[test]
    fn undo_compares_keys_a_bounded_number_of_times_per_record() {
        // 20,000 keys changed by one version, then 10,000 of them again by the next: undoing
        // both compares keys a few times per record. Before, a search of the list built so
        // far for each record made 400,040,202 comparisons (one version of 80,000 slots took
        // 37 s to undo in wasm: `evm_revert`, a refused `anvil_loadState`).
        let comparisons = Rc::new(Cell::new(0));
        let key = |id: u32| Counted {
            id,
            comparisons: comparisons.clone(),
        };
        let mut versions: Versions<Counted, u32> = Versions::default();
        for id in 0..20_000 {
            versions.record(1, &key(id), || id);
        }
        for id in 0..10_000 {
            versions.record(2, &key(id), || id + 1);
        }
        comparisons.set(0);
        let restore = versions.undo_after(0);
        assert_eq!(restore.len(), 20_000);
        assert!(restore.iter().all(|(k, v)| k.id == *v));
        assert_eq!(versions.len(), 0);
        let records = 30_000;
        assert!(
            comparisons.get() <= 4 * records,
            "{} comparisons for {records} records",
            comparisons.get()
        );
    }
}
