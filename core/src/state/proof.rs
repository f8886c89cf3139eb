//! The block-end Merkle proof for the state tree: one multiproof that checks every read claim
//! against the initial commitment and applies the net writes.
//!
//! The proof holds each leaf of the initial tree the batch touches once (leaves read, neighbours
//! of absent keys, leaves updated, predecessors an insert relinks), by increasing index, and each
//! hash next to the touched paths that those leaves do not determine, once. The verifier looks
//! reads up among the proven leaves, applies the writes to them (new keys take the empty leaves
//! from `next_free_slot` on, in write order), then climbs the touched paths once from the leaves
//! to the root, computing the initial root and the new root side by side: a node shared by
//! several paths is hashed once per root, and once in all when nothing under it changed. The
//! initial root must be the commitment's and every hash must be used.
//!
//! A key is absent when a proven leaf with a smaller key links to a proven leaf with a larger
//! key (the leaves of a committed tree form one list sorted by key). Leaves are authenticated by
//! the root they rebuild, so a leaf, a value, an index or a hash changed anywhere makes the
//! initial root differ.
//!
//! Byte encoding (integers little-endian): `leaf count u32 ‖ leaves (index u64 ‖ key ‖ value ‖
//! next u64) ‖ hash count u32 ‖ hashes (32 bytes each)`.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use super::tree::{
    check_write_batch, hash_node, Leaf, StateCommitment, StateTree, TreeError, MIN_SENTINEL_INDEX,
    TREE_DEPTH,
};
use crate::primitives::B256;

/// Encoded length of one proven leaf in bytes.
pub const PROVEN_LEAF_LEN_BYTES: usize = 8 + 32 + 32 + 8;

/// Why a proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The proven leaves and hashes do not lead to the expected root.
    RootMismatch,
    /// A leaf index is not below the commitment's `next_free_slot`.
    IndexOutOfRange {
        /// Index in the proof.
        index: u64,
        /// `next_free_slot` of the commitment.
        next_free_slot: u64,
    },
    /// Leaf indices are not strictly increasing.
    UnsortedLeaves,
    /// Two proven leaves hold the same key.
    DuplicateKey(B256),
    /// A key's leaf, or a neighbour needed to show it absent, is not among the proven leaves.
    MissingLeaf(B256),
    /// The proven neighbours of an absent key do not enclose it.
    KeyNotBetween,
    /// The proven value differs from the claimed one.
    ClaimMismatch,
    /// The climb to the root needs more hashes than the proof holds.
    MissingHash,
    /// Hashes were left after the climb to the root (count of them).
    UnusedHashes(usize),
    /// The writes themselves are invalid (sentinel key, repeated key).
    InvalidWrites(TreeError),
    /// Appending a leaf would overflow the leaf index.
    TreeFull,
}

/// Why proof bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofDecodeError {
    /// The input ended inside an item.
    UnexpectedEnd,
    /// Bytes were left after the item (count of them).
    TrailingBytes(usize),
}

/// Proof for a block's storage: the touched leaves of the initial tree and the hashes beside
/// their paths, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchProof {
    /// `(index, leaf)` of every touched leaf below `next_free_slot`, by increasing index.
    pub leaves: Vec<(u64, Leaf)>,
    /// Hashes of the untouched subtrees next to the touched paths, in the order the climb takes
    /// them: level by level from the leaves, left to right within a level.
    pub hashes: Vec<B256>,
}

/// Climbs from the touched nodes of the leaf level (by increasing position, each once) to the
/// root. At each level a node is paired with its sibling when that is touched too, else the
/// sibling comes from `sibling(level, position)`; `parent(left, right)` makes the node above.
/// Returns the root's value, `None` when nothing is touched.
fn climb<T>(
    mut nodes: Vec<(u64, T)>,
    mut sibling: impl FnMut(usize, u64) -> Result<T, ProofError>,
    mut parent: impl FnMut(&T, &T) -> T,
) -> Result<Option<T>, ProofError> {
    for level in 0..TREE_DEPTH {
        let mut parents = Vec::with_capacity(nodes.len().div_ceil(2));
        let mut at = 0;
        while let Some((position, node)) = nodes.get(at) {
            let position = *position;
            let pair = nodes.get(at + 1).filter(|(next, _)| *next == position ^ 1);
            let value = match pair {
                Some((_, right)) if position & 1 == 0 => {
                    at += 1;
                    parent(node, right)
                }
                _ => {
                    let other = sibling(level, position ^ 1)?;
                    if position & 1 == 0 {
                        parent(node, &other)
                    } else {
                        parent(&other, node)
                    }
                }
            };
            parents.push((position >> 1, value));
            at += 1;
        }
        nodes = parents;
    }
    Ok(nodes.pop().map(|(_, root)| root))
}

/// A node of the climb in both trees: its hash before and after the batch.
struct TwoHashes {
    before: B256,
    after: B256,
}

impl TwoHashes {
    fn parent(left: &Self, right: &Self) -> Self {
        let before = hash_node(&left.before, &right.before);
        let unchanged = left.before == left.after && right.before == right.after;
        Self {
            before,
            after: if unchanged {
                before
            } else {
                hash_node(&left.after, &right.after)
            },
        }
    }
}

/// The proven leaves as the batch changes them, looked up by index and by key.
struct ProvenLeaves<'a> {
    initial: &'a [(u64, Leaf)],
    current: BTreeMap<u64, Leaf>,
    index_of_key: BTreeMap<B256, u64>,
    initial_next_free_slot: u64,
    next_free_slot: u64,
}

impl<'a> ProvenLeaves<'a> {
    fn new(commitment: &StateCommitment, leaves: &'a [(u64, Leaf)]) -> Result<Self, ProofError> {
        let mut current = BTreeMap::new();
        let mut index_of_key = BTreeMap::new();
        let mut previous: Option<u64> = None;
        for (index, leaf) in leaves {
            if previous.is_some_and(|previous| previous >= *index) {
                return Err(ProofError::UnsortedLeaves);
            }
            if *index >= commitment.next_free_slot {
                return Err(ProofError::IndexOutOfRange {
                    index: *index,
                    next_free_slot: commitment.next_free_slot,
                });
            }
            if index_of_key.insert(leaf.key, *index).is_some() {
                return Err(ProofError::DuplicateKey(leaf.key));
            }
            current.insert(*index, *leaf);
            previous = Some(*index);
        }
        Ok(Self {
            initial: leaves,
            current,
            index_of_key,
            initial_next_free_slot: commitment.next_free_slot,
            next_free_slot: commitment.next_free_slot,
        })
    }

    fn leaf(&self, index: u64, key: &B256) -> Result<Leaf, ProofError> {
        self.current
            .get(&index)
            .copied()
            .ok_or(ProofError::MissingLeaf(*key))
    }

    /// Index of the leaf holding `key`, else `Err(predecessor index)` once the proven leaves
    /// show `key` absent.
    fn find(&self, key: &B256) -> Result<Result<u64, u64>, ProofError> {
        if let Some(index) = self.index_of_key.get(key) {
            return Ok(Ok(*index));
        }
        let (_, previous_index) = self
            .index_of_key
            .range(..*key)
            .next_back()
            .ok_or(ProofError::MissingLeaf(*key))?;
        let previous = self.leaf(*previous_index, key)?;
        let next = self.leaf(previous.next, key)?;
        if next.key <= *key {
            return Err(ProofError::KeyNotBetween);
        }
        Ok(Err(*previous_index))
    }

    fn value(&self, key: &B256) -> Result<Option<B256>, ProofError> {
        match self.find(key)? {
            Ok(index) => Ok(Some(self.leaf(index, key)?.value)),
            Err(_) => Ok(None),
        }
    }

    fn write(&mut self, key: &B256, value: &B256) -> Result<(), ProofError> {
        match self.find(key)? {
            Ok(index) => {
                if let Some(leaf) = self.current.get_mut(&index) {
                    leaf.value = *value;
                }
            }
            Err(_) if value.is_zero() => {}
            Err(previous_index) => {
                let new_index = self.next_free_slot;
                self.next_free_slot = new_index.checked_add(1).ok_or(ProofError::TreeFull)?;
                let previous = self
                    .current
                    .get_mut(&previous_index)
                    .ok_or(ProofError::MissingLeaf(*key))?;
                let next = previous.next;
                previous.next = new_index;
                let inserted = Leaf {
                    key: *key,
                    value: *value,
                    next,
                };
                self.current.insert(new_index, inserted);
                self.index_of_key.insert(*key, new_index);
            }
        }
        Ok(())
    }

    /// The initial root and the new root, from the leaves and `hashes`.
    fn roots(&self, hashes: &[B256]) -> Result<Option<TwoHashes>, ProofError> {
        let empty = Leaf::EMPTY.hash();
        let mut nodes = Vec::new();
        for (index, leaf) in self.initial {
            let now = self.current.get(index).unwrap_or(leaf);
            let before = leaf.hash();
            let after = if now == leaf { before } else { now.hash() };
            nodes.push((*index, TwoHashes { before, after }));
        }
        for index in self.initial_next_free_slot..self.next_free_slot {
            let after = self.current.get(&index).unwrap_or(&Leaf::EMPTY).hash();
            nodes.push((
                index,
                TwoHashes {
                    before: empty,
                    after,
                },
            ));
        }
        let mut hashes = hashes.iter();
        let root = climb(
            nodes,
            |_, _| {
                let hash = *hashes.next().ok_or(ProofError::MissingHash)?;
                Ok(TwoHashes {
                    before: hash,
                    after: hash,
                })
            },
            TwoHashes::parent,
        )?;
        match hashes.len() {
            0 => Ok(root),
            left => Err(ProofError::UnusedHashes(left)),
        }
    }
}

/// Verifies every read claim (key → value, `None` = absent) against `initial`, then applies the
/// net writes in order (new keys take leaf indices in that order) and returns the new commitment.
pub fn apply_batch(
    initial: &StateCommitment,
    proof: &BatchProof,
    reads: &[(B256, Option<B256>)],
    writes: &[(B256, B256)],
) -> Result<StateCommitment, ProofError> {
    check_write_batch(writes).map_err(ProofError::InvalidWrites)?;
    let mut leaves = ProvenLeaves::new(initial, &proof.leaves)?;
    for (key, claimed) in reads {
        if leaves.value(key)? != *claimed {
            return Err(ProofError::ClaimMismatch);
        }
    }
    for (key, value) in writes {
        leaves.write(key, value)?;
    }
    let next_free_slot = leaves.next_free_slot;
    match leaves.roots(&proof.hashes)? {
        Some(roots) if roots.before == initial.root => Ok(StateCommitment {
            root: roots.after,
            next_free_slot,
        }),
        Some(_) => Err(ProofError::RootMismatch),
        None => Ok(*initial),
    }
}

impl StateTree {
    /// Adds the index of `key`'s leaf, or of the two leaves that enclose it.
    fn touch(&self, key: &B256, touched: &mut BTreeSet<u64>) {
        if let Some(index) = self.index_of(key) {
            touched.insert(index);
            return;
        }
        // Only the min key has no predecessor, and it is always present.
        let (previous_index, previous) = self
            .predecessor(key)
            .unwrap_or((MIN_SENTINEL_INDEX, self.leaf(MIN_SENTINEL_INDEX)));
        touched.insert(previous_index);
        touched.insert(previous.next);
    }

    /// Builds the batch proof for read claims on `reads` (their values are [`StateTree::get`])
    /// and the net `writes`, leaving this tree unchanged. Works on a clone of the tree.
    pub fn prove_batch(
        &self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, TreeError> {
        check_write_batch(writes)?;
        let mut touched = BTreeSet::new();
        for key in reads {
            self.touch(key, &mut touched);
        }
        let mut working = self.clone();
        for (key, value) in writes {
            working.touch(key, &mut touched);
            working.insert_or_update(*key, *value)?;
        }
        let initial_next_free_slot = self.next_free_slot();
        let leaves: Vec<(u64, Leaf)> = touched
            .iter()
            .filter(|index| **index < initial_next_free_slot)
            .map(|index| (*index, self.leaf(*index)))
            .collect();
        let positions = leaves
            .iter()
            .map(|(index, _)| *index)
            .chain(initial_next_free_slot..working.next_free_slot())
            .map(|index| (index, ()))
            .collect();
        let mut hashes = Vec::new();
        // The sibling closure never fails here, so neither does the climb.
        let _ = climb(
            positions,
            |level, position| {
                hashes.push(self.node(level, position));
                Ok(())
            },
            |_, _| (),
        );
        Ok(BatchProof { leaves, hashes })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ProofDecodeError> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<N>()
            .ok_or(ProofDecodeError::UnexpectedEnd)?;
        self.bytes = rest;
        Ok(*head)
    }

    fn u32(&mut self) -> Result<u32, ProofDecodeError> {
        Ok(u32::from_le_bytes(self.take()?))
    }

    fn u64(&mut self) -> Result<u64, ProofDecodeError> {
        Ok(u64::from_le_bytes(self.take()?))
    }

    fn b256(&mut self) -> Result<B256, ProofDecodeError> {
        Ok(B256::new(self.take()?))
    }
}

fn write_count(out: &mut Vec<u8>, count: usize) {
    // Proof lists come from one block's storage accesses, far below u32::MAX.
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
}

impl BatchProof {
    /// Byte encoding (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            8 + PROVEN_LEAF_LEN_BYTES * self.leaves.len() + 32 * self.hashes.len(),
        );
        write_count(&mut out, self.leaves.len());
        for (index, leaf) in &self.leaves {
            out.extend_from_slice(&index.to_le_bytes());
            out.extend_from_slice(leaf.key.as_slice());
            out.extend_from_slice(leaf.value.as_slice());
            out.extend_from_slice(&leaf.next.to_le_bytes());
        }
        write_count(&mut out, self.hashes.len());
        for hash in &self.hashes {
            out.extend_from_slice(hash.as_slice());
        }
        out
    }

    /// Decodes [`BatchProof::to_bytes`] output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofDecodeError> {
        let mut reader = Reader { bytes };
        let leaf_count = reader.u32()?;
        let mut leaves = Vec::new();
        for _ in 0..leaf_count {
            let index = reader.u64()?;
            let key = reader.b256()?;
            let value = reader.b256()?;
            let next = reader.u64()?;
            leaves.push((index, Leaf { key, value, next }));
        }
        let hash_count = reader.u32()?;
        let mut hashes = Vec::new();
        for _ in 0..hash_count {
            hashes.push(reader.b256()?);
        }
        if !reader.bytes.is_empty() {
            return Err(ProofDecodeError::TrailingBytes(reader.bytes.len()));
        }
        Ok(Self { leaves, hashes })
    }
}

#[cfg(test)]
mod tests;
