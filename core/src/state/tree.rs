//! The state tree: a fixed depth-64 Blake2s Merkle tree whose leaves are appended left to right and
//! linked into a list sorted by key, between the sentinel keys 0x00…00 (index 0) and 0xFF…FF
//! (index 1). Only non-empty nodes are stored; empty subtrees use precomputed hashes.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use crate::primitives::{blake2s256_concat, B256};

/// Depth of the tree: a leaf index has 64 bits and a path has 64 sibling hashes.
pub const TREE_DEPTH: usize = 64;

/// Key of the lower sentinel leaf.
pub const MIN_SENTINEL_KEY: B256 = B256::ZERO;
/// Key of the upper sentinel leaf.
pub const MAX_SENTINEL_KEY: B256 = B256::repeat_byte(0xff);
/// Leaf index of the lower sentinel.
pub const MIN_SENTINEL_INDEX: u64 = 0;
/// Leaf index of the upper sentinel; its `next` points to itself.
pub const MAX_SENTINEL_INDEX: u64 = 1;
/// `next_free_slot` of a tree holding only the two sentinels.
pub const EMPTY_TREE_NEXT_FREE_SLOT: u64 = 2;

/// A tree leaf: key, value and the index of the leaf with the next larger key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Leaf {
    /// Flat storage key.
    pub key: B256,
    /// Stored value.
    pub value: B256,
    /// Index of the leaf holding the next larger key.
    pub next: u64,
}

impl Leaf {
    /// The leaf at every unused index: all zeros.
    pub const EMPTY: Leaf = Leaf {
        key: B256::ZERO,
        value: B256::ZERO,
        next: 0,
    };

    /// blake2s(key ‖ value ‖ next as 8 little-endian bytes).
    pub fn hash(&self) -> B256 {
        blake2s256_concat(&[
            self.key.as_slice(),
            self.value.as_slice(),
            &self.next.to_le_bytes(),
        ])
    }
}

/// Hash of an inner node: blake2s(left ‖ right).
pub fn hash_node(left: &B256, right: &B256) -> B256 {
    blake2s256_concat(&[left.as_slice(), right.as_slice()])
}

/// Hashes of empty subtrees by level: `[0]` is the empty leaf hash, `[64]` the empty tree root.
pub fn empty_subtree_hashes() -> [B256; TREE_DEPTH + 1] {
    let mut out = [B256::ZERO; TREE_DEPTH + 1];
    let mut current = Leaf::EMPTY.hash();
    for slot in out.iter_mut() {
        *slot = current;
        current = hash_node(&current, &current);
    }
    out
}

/// Commitment to the tree: its root and the index of the next leaf to be appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StateCommitment {
    /// Merkle root.
    pub root: B256,
    /// Index where the next new key will be stored.
    pub next_free_slot: u64,
}

/// Errors from writing to the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeError {
    /// The key is one of the two sentinel keys, which cannot be written.
    SentinelKey(B256),
    /// The same key appears twice in one batch of writes.
    DuplicateWrite(B256),
    /// No free leaf index is left.
    TreeFull,
}

/// Checks a batch of writes: no sentinel keys and no key twice.
pub(crate) fn check_write_batch(writes: &[(B256, B256)]) -> Result<(), TreeError> {
    let mut seen = BTreeSet::new();
    for (key, _) in writes {
        if *key == MIN_SENTINEL_KEY || *key == MAX_SENTINEL_KEY {
            return Err(TreeError::SentinelKey(*key));
        }
        if !seen.insert(*key) {
            return Err(TreeError::DuplicateWrite(*key));
        }
    }
    Ok(())
}

/// What [`StateTree::apply_writes_undoable`] changed, to put back with [`StateTree::undo`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeUndo {
    /// Each leaf changed, with its value before (first change only).
    leaves: BTreeMap<u64, Leaf>,
    /// Keys the batch added.
    new_keys: Vec<B256>,
    /// `next_free_slot` before the batch.
    next_free_slot: u64,
}

/// In-memory state tree.
///
/// Writing zero to an absent key changes nothing (an absent key reads as zero), matching the
/// rule that only slots whose value changed touch the tree. An existing key keeps its leaf when
/// set to zero.
#[derive(Clone, Debug)]
pub struct StateTree {
    leaves: BTreeMap<u64, Leaf>,
    index_of_key: BTreeMap<B256, u64>,
    /// `nodes[level][position]`, level 0 = leaf hashes, level 64 = the root; absent = empty.
    nodes: Vec<BTreeMap<u64, B256>>,
    empty_hashes: [B256; TREE_DEPTH + 1],
    next_free_slot: u64,
}

impl Default for StateTree {
    fn default() -> Self {
        Self::new()
    }
}

impl StateTree {
    /// A tree holding only the two sentinels: min key at index 0 pointing to index 1, max key at
    /// index 1 pointing to itself.
    pub fn new() -> Self {
        let mut tree = Self {
            leaves: BTreeMap::new(),
            index_of_key: BTreeMap::new(),
            nodes: (0..=TREE_DEPTH).map(|_| BTreeMap::new()).collect(),
            empty_hashes: empty_subtree_hashes(),
            next_free_slot: EMPTY_TREE_NEXT_FREE_SLOT,
        };
        let mut dirty = BTreeMap::new();
        tree.store_leaf(
            MIN_SENTINEL_INDEX,
            Leaf {
                key: MIN_SENTINEL_KEY,
                value: B256::ZERO,
                next: MAX_SENTINEL_INDEX,
            },
            &mut dirty,
        );
        tree.store_leaf(
            MAX_SENTINEL_INDEX,
            Leaf {
                key: MAX_SENTINEL_KEY,
                value: B256::ZERO,
                next: MAX_SENTINEL_INDEX,
            },
            &mut dirty,
        );
        tree.rehash(dirty);
        tree.index_of_key
            .insert(MIN_SENTINEL_KEY, MIN_SENTINEL_INDEX);
        tree.index_of_key
            .insert(MAX_SENTINEL_KEY, MAX_SENTINEL_INDEX);
        tree
    }

    /// The Merkle root.
    pub fn root(&self) -> B256 {
        self.node(TREE_DEPTH, 0)
    }

    /// Index where the next new key will be stored.
    pub fn next_free_slot(&self) -> u64 {
        self.next_free_slot
    }

    /// Root and next free slot.
    pub fn commitment(&self) -> StateCommitment {
        StateCommitment {
            root: self.root(),
            next_free_slot: self.next_free_slot,
        }
    }

    /// The value stored under `key`, or `None` when the key has no leaf.
    pub fn get(&self, key: &B256) -> Option<B256> {
        let index = self.index_of_key.get(key)?;
        self.leaves.get(index).map(|leaf| leaf.value)
    }

    /// The leaf index holding `key`.
    pub fn index_of(&self, key: &B256) -> Option<u64> {
        self.index_of_key.get(key).copied()
    }

    /// The leaf at `index` ([`Leaf::EMPTY`] when unused).
    pub fn leaf(&self, index: u64) -> Leaf {
        self.leaves.get(&index).copied().unwrap_or(Leaf::EMPTY)
    }

    /// Index and leaf of the largest key strictly below `key` (`None` only for the min key).
    pub fn predecessor(&self, key: &B256) -> Option<(u64, Leaf)> {
        let (_, index) = self.index_of_key.range(..*key).next_back()?;
        Some((*index, self.leaf(*index)))
    }

    /// The 64 sibling hashes from the leaf at `index` up to the root (leaf level first).
    pub fn siblings(&self, index: u64) -> [B256; TREE_DEPTH] {
        let mut out = [B256::ZERO; TREE_DEPTH];
        let mut position = index;
        for (level, slot) in out.iter_mut().enumerate() {
            *slot = self.node(level, position ^ 1);
            position >>= 1;
        }
        out
    }

    /// Sets `key` to `value`. An existing key is updated in place; a new key with a non-zero
    /// value is appended at `next_free_slot` and linked after its predecessor.
    pub fn insert_or_update(&mut self, key: B256, value: B256) -> Result<(), TreeError> {
        self.apply(&[(key, value)], None).map(|_| ())
    }

    /// [`Self::insert_or_update`] without the hashing: changes the leaves and the key index,
    /// adds the changed leaves to `dirty` by index (for [`Self::rehash`]) and records
    /// in `undo` what it changes.
    fn write(
        &mut self,
        key: B256,
        value: B256,
        undo: Option<&mut TreeUndo>,
        dirty: &mut BTreeMap<u64, Leaf>,
    ) -> Result<(), TreeError> {
        if key == MIN_SENTINEL_KEY || key == MAX_SENTINEL_KEY {
            return Err(TreeError::SentinelKey(key));
        }
        if let Some(index) = self.index_of(&key) {
            let mut leaf = self.leaf(index);
            if let Some(undo) = undo {
                undo.leaves.entry(index).or_insert(leaf);
            }
            leaf.value = value;
            self.store_leaf(index, leaf, dirty);
            return Ok(());
        }
        if value.is_zero() {
            return Ok(());
        }
        let new_index = self.next_free_slot;
        let next_free_slot = new_index.checked_add(1).ok_or(TreeError::TreeFull)?;
        // Every key strictly between the sentinels has a predecessor (at least the min sentinel).
        let (previous_index, mut previous) =
            self.predecessor(&key).ok_or(TreeError::SentinelKey(key))?;
        let new_leaf = Leaf {
            key,
            value,
            next: previous.next,
        };
        if let Some(undo) = undo {
            undo.leaves.entry(previous_index).or_insert(previous);
            undo.leaves.entry(new_index).or_insert(Leaf::EMPTY);
            undo.new_keys.push(key);
        }
        previous.next = new_index;
        self.store_leaf(previous_index, previous, dirty);
        self.store_leaf(new_index, new_leaf, dirty);
        self.index_of_key.insert(key, new_index);
        self.next_free_slot = next_free_slot;
        Ok(())
    }

    /// Applies a batch of net writes in order (new keys take leaf indices in that order) and
    /// returns the new commitment. Rejects sentinel keys, repeated keys and overflow before
    /// changing anything. Each node over the changed leaves is hashed once, after all writes.
    pub fn apply_writes(&mut self, writes: &[(B256, B256)]) -> Result<StateCommitment, TreeError> {
        self.apply(writes, None)
    }

    /// [`Self::apply_writes`], also returning how to undo it: cost proportional to the writes.
    pub fn apply_writes_undoable(
        &mut self,
        writes: &[(B256, B256)],
    ) -> Result<(StateCommitment, TreeUndo), TreeError> {
        let mut undo = TreeUndo {
            next_free_slot: self.next_free_slot,
            ..TreeUndo::default()
        };
        let commitment = self.apply(writes, Some(&mut undo))?;
        Ok((commitment, undo))
    }

    /// [`Self::apply_writes`], recording in `undo` what it changes.
    fn apply(
        &mut self,
        writes: &[(B256, B256)],
        mut undo: Option<&mut TreeUndo>,
    ) -> Result<StateCommitment, TreeError> {
        self.check_room(writes)?;
        let mut dirty = BTreeMap::new();
        for (key, value) in writes {
            self.write(*key, *value, undo.as_deref_mut(), &mut dirty)?;
        }
        self.rehash(dirty);
        Ok(self.commitment())
    }

    /// Checks a batch (see [`check_write_batch`]) and that its new keys fit in the tree.
    fn check_room(&self, writes: &[(B256, B256)]) -> Result<(), TreeError> {
        check_write_batch(writes)?;
        let new_keys = writes
            .iter()
            .filter(|(key, value)| !value.is_zero() && self.index_of(key).is_none())
            .count();
        u64::try_from(new_keys)
            .ok()
            .and_then(|count| self.next_free_slot.checked_add(count))
            .ok_or(TreeError::TreeFull)?;
        Ok(())
    }

    /// Puts back what a batch changed (the last batch applied, or each batch newest first).
    pub fn undo(&mut self, undo: &TreeUndo) {
        for key in &undo.new_keys {
            self.index_of_key.remove(key);
        }
        let mut dirty = BTreeMap::new();
        for (index, leaf) in &undo.leaves {
            self.store_leaf(*index, *leaf, &mut dirty);
        }
        self.rehash(dirty);
        self.next_free_slot = undo.next_free_slot;
    }

    /// The hash of the node at `position` of `level` (0 = leaves; empty subtrees included).
    pub(crate) fn node(&self, level: usize, position: u64) -> B256 {
        self.nodes
            .get(level)
            .and_then(|nodes| nodes.get(&position))
            .or_else(|| self.empty_hashes.get(level))
            .copied()
            .unwrap_or_default()
    }

    /// Stores `leaf` at `index` (an empty leaf is dropped) and records it in `dirty`; its path
    /// is hashed by [`Self::rehash`]. The caller keeps `index_of_key` in step.
    fn store_leaf(&mut self, index: u64, leaf: Leaf, dirty: &mut BTreeMap<u64, Leaf>) {
        if leaf == Leaf::EMPTY {
            self.leaves.remove(&index);
        } else {
            self.leaves.insert(index, leaf);
        }
        dirty.insert(index, leaf);
    }

    /// Rehashes the paths of the leaves in `dirty` (by index, as stored last) up to the root,
    /// level by level, so that a node shared by several paths is hashed once. Nodes equal to
    /// the empty subtree's hash are dropped.
    fn rehash(&mut self, dirty: BTreeMap<u64, Leaf>) {
        // Ascending and without repeats (a map's keys, not a sorted vector: no sort in the
        // wasm); halved, they are the next level's positions, still ascending once repeats
        // are dropped.
        let mut positions = Vec::with_capacity(dirty.len());
        for (index, leaf) in &dirty {
            self.store_node(0, *index, leaf.hash());
            positions.push(*index);
        }
        for level in 0..TREE_DEPTH {
            for position in positions.iter_mut() {
                *position >>= 1;
            }
            positions.dedup();
            for &parent in &positions {
                let left = self.node(level, parent << 1);
                let right = self.node(level, (parent << 1) | 1);
                self.store_node(level + 1, parent, hash_node(&left, &right));
            }
        }
    }

    /// Stores the node at `level`, `position`, or drops it when it is the empty subtree's hash
    /// (never the root: the sentinels are always there).
    fn store_node(&mut self, level: usize, position: u64, hash: B256) {
        let empty = self.empty_hashes.get(level) == Some(&hash);
        if let Some(nodes) = self.nodes.get_mut(level) {
            if empty {
                nodes.remove(&position);
            } else {
                nodes.insert(position, hash);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{b256, blake2s256};

    // Independent re-statement of the hashing rules, used to hand-compose expected roots.
    fn h(parts: &[&[u8]]) -> B256 {
        let joined: Vec<u8> = parts.concat();
        blake2s256(&joined)
    }

    fn leaf_hash(key: B256, value: B256, next: u64) -> B256 {
        h(&[key.as_slice(), value.as_slice(), &next.to_le_bytes()])
    }

    fn node(l: B256, r: B256) -> B256 {
        h(&[l.as_slice(), r.as_slice()])
    }

    /// Empty-subtree hash at each level: E[0] = H(72 zero bytes), E[l+1] = H(E[l] ‖ E[l]).
    fn empty_levels() -> Vec<B256> {
        let mut e = alloc::vec![h(&[&[0u8; 72]])];
        for l in 0..64 {
            e.push(node(e[l], e[l]));
        }
        e
    }

    /// Climbs from a node at `level` that is the leftmost of its level (all right siblings empty).
    fn climb_leftmost(mut hash: B256, level: usize, e: &[B256]) -> B256 {
        for sibling in e.iter().take(64).skip(level) {
            hash = node(hash, *sibling);
        }
        hash
    }

    const ZERO: B256 = B256::ZERO;
    const MAX: B256 = B256::repeat_byte(0xff);

    #[test]
    fn empty_tree_root_is_two_sentinels() {
        let e = empty_levels();
        assert_eq!(empty_subtree_hashes().as_slice(), e.as_slice());
        // Leaves: 0 = (0x00…, 0, next 1), 1 = (0xff…, 0, next 1).
        let level1 = node(leaf_hash(ZERO, ZERO, 1), leaf_hash(MAX, ZERO, 1));
        let expected = climb_leftmost(level1, 1, &e);
        let tree = StateTree::new();
        assert_eq!(tree.root(), expected);
        // Same value computed with Python's hashlib.blake2s.
        assert_eq!(
            expected,
            b256!("90a83ead2ba2194fbbb0f7cd2a017e36cfb4891513546d943a7282c2844d4b6b")
        );
        assert_eq!(
            tree.commitment(),
            StateCommitment {
                root: expected,
                next_free_slot: 2
            }
        );
        assert_eq!(tree.get(&MAX), Some(ZERO));
        assert_eq!(tree.get(&B256::repeat_byte(5)), None);
    }

    #[test]
    fn one_inserted_key() {
        let e = empty_levels();
        let k = B256::repeat_byte(0x42);
        let v = B256::repeat_byte(0x07);
        let mut tree = StateTree::new();
        tree.insert_or_update(k, v).unwrap();
        // Leaves: 0 = (min, next 2), 1 = (max, next 1), 2 = (k, v, next 1), 3 = empty.
        let n0 = node(leaf_hash(ZERO, ZERO, 2), leaf_hash(MAX, ZERO, 1));
        let n1 = node(leaf_hash(k, v, 1), e[0]);
        let expected = climb_leftmost(node(n0, n1), 2, &e);
        assert_eq!(tree.root(), expected);
        assert_eq!(tree.next_free_slot(), 3);
        assert_eq!(tree.get(&k), Some(v));

        // Updating in place rehashes leaf 2 only.
        let v2 = B256::repeat_byte(0x08);
        tree.insert_or_update(k, v2).unwrap();
        let n1 = node(leaf_hash(k, v2, 1), e[0]);
        assert_eq!(tree.root(), climb_leftmost(node(n0, n1), 2, &e));
        assert_eq!(tree.next_free_slot(), 3);
    }

    #[test]
    fn two_keys_inserted_out_of_order() {
        let e = empty_levels();
        let (k_low, v_low) = (B256::repeat_byte(0x10), B256::repeat_byte(0x01));
        let (k_high, v_high) = (B256::repeat_byte(0x90), B256::repeat_byte(0x02));
        let mut tree = StateTree::new();
        tree.insert_or_update(k_high, v_high).unwrap();
        tree.insert_or_update(k_low, v_low).unwrap();
        // Indices: k_high = 2, k_low = 3. List: 0 -> 3 (k_low) -> 2 (k_high) -> 1 -> 1.
        let n0 = node(leaf_hash(ZERO, ZERO, 3), leaf_hash(MAX, ZERO, 1));
        let n1 = node(leaf_hash(k_high, v_high, 1), leaf_hash(k_low, v_low, 2));
        let expected = climb_leftmost(node(n0, n1), 2, &e);
        assert_eq!(tree.root(), expected);
        assert_eq!(tree.index_of(&k_low), Some(3));
        assert_eq!(tree.leaf(0).next, 3);
        assert_eq!(tree.commitment().next_free_slot, 4);
    }

    #[test]
    fn zero_write_to_absent_key_is_a_no_op() {
        let mut tree = StateTree::new();
        let before = tree.commitment();
        tree.insert_or_update(B256::repeat_byte(3), ZERO).unwrap();
        assert_eq!(tree.commitment(), before);
        assert_eq!(tree.get(&B256::repeat_byte(3)), None);
    }

    #[test]
    fn batch_rejects_sentinels_and_duplicates_without_changing_state() {
        let mut tree = StateTree::new();
        let before = tree.commitment();
        let k = B256::repeat_byte(1);
        assert_eq!(
            tree.apply_writes(&[(k, k), (MAX, k)]),
            Err(TreeError::SentinelKey(MAX))
        );
        assert_eq!(
            tree.apply_writes(&[(k, k), (k, ZERO)]),
            Err(TreeError::DuplicateWrite(k))
        );
        assert_eq!(
            tree.insert_or_update(ZERO, k),
            Err(TreeError::SentinelKey(ZERO))
        );
        assert_eq!(tree.commitment(), before);
    }

    #[test]
    fn undo_puts_back_root_leaves_and_keys() {
        let mut tree = StateTree::new();
        for i in 1..6u8 {
            tree.insert_or_update(B256::repeat_byte(i * 40), B256::repeat_byte(i))
                .unwrap();
        }
        let before = tree.clone();
        // An update, a zeroing, two new keys (one between existing keys).
        let writes = [
            (B256::repeat_byte(40), B256::repeat_byte(9)),
            (B256::repeat_byte(80), ZERO),
            (B256::repeat_byte(41), B256::repeat_byte(7)),
            (B256::repeat_byte(250), B256::repeat_byte(8)),
        ];
        let (after, undo) = tree.apply_writes_undoable(&writes).unwrap();
        let mut plain = before.clone();
        assert_eq!(plain.apply_writes(&writes).unwrap(), after);
        tree.undo(&undo);
        assert_eq!(tree.commitment(), before.commitment());
        assert_eq!(tree.leaves, before.leaves);
        assert_eq!(tree.index_of_key, before.index_of_key);
        assert_eq!(tree.nodes, before.nodes);
        // Applying again gives the same root.
        assert_eq!(tree.apply_writes_undoable(&writes).unwrap().0, after);
    }

    /// A batch hashes each shared node once, after all its writes: the tree it leaves must be
    /// the one the same writes leave applied one at a time (each rehashing its whole path), in
    /// the root, every leaf and every sibling path; and undoing it must give back the tree
    /// before, node for node.
    #[test]
    fn batch_leaves_the_tree_one_by_one_writes_leave() {
        let key = |i: u8| {
            let mut bytes = [0u8; 32];
            bytes[0] = i.wrapping_mul(97).wrapping_add(3);
            bytes[31] = i;
            B256::from(bytes)
        };
        let mut base = StateTree::new();
        for i in 0..20u8 {
            base.insert_or_update(key(i), B256::repeat_byte(i + 1))
                .unwrap();
        }
        // Updates, new keys interleaved with their predecessors' updates, a zero to an existing
        // key and a zero to an absent key.
        let writes: Vec<(B256, B256)> = (10..40u8)
            .map(|i| (key(i), B256::repeat_byte(i.wrapping_mul(3))))
            .chain([(key(5), B256::ZERO), (key(200), B256::ZERO)])
            .collect();
        let mut one_by_one = base.clone();
        for (k, v) in &writes {
            one_by_one.insert_or_update(*k, *v).unwrap();
        }
        let mut batched = base.clone();
        let (commitment, undo) = batched.apply_writes_undoable(&writes).unwrap();
        assert_eq!(commitment, one_by_one.commitment());
        assert_eq!(batched.nodes, one_by_one.nodes);
        assert_eq!(batched.leaves, one_by_one.leaves);
        for index in 0..one_by_one.next_free_slot() + 2 {
            assert_eq!(batched.siblings(index), one_by_one.siblings(index));
        }
        batched.undo(&undo);
        assert_eq!(batched.commitment(), base.commitment());
        assert_eq!(batched.nodes, base.nodes);
        assert_eq!(batched.leaves, base.leaves);
        assert_eq!(batched.index_of_key, base.index_of_key);
    }

    #[test]
    fn siblings_fold_to_the_root() {
        let mut tree = StateTree::new();
        for i in 1..6u8 {
            tree.insert_or_update(B256::repeat_byte(i * 40), B256::repeat_byte(i))
                .unwrap();
        }
        for index in 0..tree.next_free_slot() + 1 {
            let mut hash = tree.leaf(index).hash();
            for (level, sibling) in tree.siblings(index).iter().enumerate() {
                hash = if (index >> level) & 1 == 0 {
                    node(hash, *sibling)
                } else {
                    node(*sibling, hash)
                };
            }
            assert_eq!(hash, tree.root());
        }
    }
}
