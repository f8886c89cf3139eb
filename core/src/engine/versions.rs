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
    /// at `version` (to put back).
    pub(super) fn undo_after(&mut self, version: u64) -> alloc::vec::Vec<(K, V)> {
        let mut restore = alloc::vec::Vec::new();
        while self.order.back().is_some_and(|(v, _)| *v > version) {
            let Some((_, key)) = self.order.pop_back() else {
                break;
            };
            let Some(entries) = self.replaced.get_mut(&key) else {
                continue;
            };
            if let Some((_, before)) = entries.pop_back() {
                // Popped newest first: the last pushed per key is its entry at `version`.
                restore.retain(|(k, _): &(K, V)| *k != key);
                restore.push((key.clone(), before));
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
}
