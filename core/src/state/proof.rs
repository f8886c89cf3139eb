//! Merkle proofs for the state tree: single reads, single writes, and the block-end batch that
//! checks every read claim against the initial commitment and applies the net writes.
//!
//! Each path is verified on its own (shared prefixes are not folded), and writes are applied one
//! after another, each proven against the root left by the write before it. Costs in path
//! recomputations: existing read 1, absent read 2, update 2, insert 5, zero write to an absent
//! key 2.
//!
//! Byte encoding (integers little-endian): a leaf proof is `index u64 ‖ key ‖ value ‖ next u64 ‖
//! 64 siblings (leaf level first)`; enums start with a one-byte tag; lists start with a `u32`
//! count.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::tree::{
    check_write_batch, hash_node, Leaf, StateCommitment, StateTree, TreeError, MIN_SENTINEL_INDEX,
    TREE_DEPTH,
};
use crate::primitives::B256;

/// Encoded length of a [`LeafProof`] in bytes.
pub const LEAF_PROOF_LEN_BYTES: usize = 8 + 32 + 32 + 8 + 32 * TREE_DEPTH;

const READ_PRESENT_TAG: u8 = 0;
const READ_ABSENT_TAG: u8 = 1;
const WRITE_UPDATE_TAG: u8 = 0;
const WRITE_INSERT_TAG: u8 = 1;
const WRITE_SKIP_TAG: u8 = 2;

/// Why a proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofError {
    /// The path does not lead to the expected root.
    RootMismatch,
    /// A leaf index is not below the commitment's `next_free_slot`.
    IndexOutOfRange {
        /// Index in the proof.
        index: u64,
        /// `next_free_slot` of the commitment.
        next_free_slot: u64,
    },
    /// The proven leaf holds another key than the one asked for.
    KeyMismatch,
    /// The previous neighbour's `next` is not the index of the next neighbour.
    NotNeighbours,
    /// The key does not lie strictly between the two neighbour keys.
    KeyNotBetween,
    /// The proven value differs from the claimed one.
    ClaimMismatch,
    /// The kind of write proof does not fit the write (insert of zero, skip of a non-zero value).
    WrongWriteKind,
    /// The number of read or write proofs differs from the number of claims or writes.
    CountMismatch,
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
    /// An enum tag byte has no meaning.
    UnknownTag(u8),
    /// Bytes were left after the item (count of them).
    TrailingBytes(usize),
}

/// One leaf with its 64 sibling hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeafProof {
    /// Leaf index.
    pub index: u64,
    /// Leaf contents.
    pub leaf: Leaf,
    /// Sibling hashes from the leaf level up to just below the root.
    pub siblings: Box<[B256; TREE_DEPTH]>,
}

/// Proof that a key is absent: two linked leaves whose keys enclose it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AbsenceProof {
    /// Leaf with the largest key below the asked key.
    pub previous: LeafProof,
    /// Leaf that `previous.next` points to; its key is above the asked key.
    pub next: LeafProof,
}

/// Proof of a read: the key's leaf, or proof of its absence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProof {
    /// The key has a leaf.
    Present(LeafProof),
    /// The key has no leaf (it reads as absent).
    Absent(AbsenceProof),
}

/// Proof for one net write, against the root left by the writes before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteProof {
    /// The key has a leaf; its value is replaced.
    Update(LeafProof),
    /// The key is new and its value non-zero: it is appended at `next_free_slot`.
    Insert {
        /// Absence of the key, giving the predecessor to relink.
        neighbours: AbsenceProof,
        /// Siblings of the empty leaf at `next_free_slot`, after the predecessor is relinked.
        free_slot_siblings: Box<[B256; TREE_DEPTH]>,
    },
    /// The key is new and the value zero: nothing changes.
    Skip(AbsenceProof),
}

/// Proof for a block's storage: one proof per read claim, then one per net write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchProof {
    /// Read proofs, in the order of the read claims.
    pub reads: Vec<ReadProof>,
    /// Write proofs, in the order of the writes.
    pub writes: Vec<WriteProof>,
}

fn fold_path(leaf_hash: B256, index: u64, siblings: &[B256; TREE_DEPTH]) -> B256 {
    let mut hash = leaf_hash;
    for (level, sibling) in siblings.iter().enumerate() {
        hash = if (index >> level) & 1 == 0 {
            hash_node(&hash, sibling)
        } else {
            hash_node(sibling, &hash)
        };
    }
    hash
}

impl LeafProof {
    /// The root this path leads to.
    pub fn root(&self) -> B256 {
        self.root_with(&self.leaf)
    }

    /// The root this path leads to with `leaf` in place of the proven leaf.
    pub fn root_with(&self, leaf: &Leaf) -> B256 {
        fold_path(leaf.hash(), self.index, &self.siblings)
    }
}

/// Checks that `proof` is a leaf of the tree committed to by `commitment`.
pub fn verify_leaf(commitment: &StateCommitment, proof: &LeafProof) -> Result<(), ProofError> {
    if proof.index >= commitment.next_free_slot {
        return Err(ProofError::IndexOutOfRange {
            index: proof.index,
            next_free_slot: commitment.next_free_slot,
        });
    }
    if proof.root() != commitment.root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that `key` has no leaf in the tree committed to by `commitment`.
pub fn verify_absence(
    commitment: &StateCommitment,
    key: &B256,
    proof: &AbsenceProof,
) -> Result<(), ProofError> {
    if proof.previous.leaf.next != proof.next.index {
        return Err(ProofError::NotNeighbours);
    }
    if !(proof.previous.leaf.key < *key && *key < proof.next.leaf.key) {
        return Err(ProofError::KeyNotBetween);
    }
    verify_leaf(commitment, &proof.previous)?;
    verify_leaf(commitment, &proof.next)
}

/// Checks a read proof for `key` and returns the proven value (`None` when absent).
pub fn verify_read(
    commitment: &StateCommitment,
    key: &B256,
    proof: &ReadProof,
) -> Result<Option<B256>, ProofError> {
    match proof {
        ReadProof::Present(leaf) => {
            if leaf.leaf.key != *key {
                return Err(ProofError::KeyMismatch);
            }
            verify_leaf(commitment, leaf)?;
            Ok(Some(leaf.leaf.value))
        }
        ReadProof::Absent(absence) => {
            verify_absence(commitment, key, absence)?;
            Ok(None)
        }
    }
}

/// Checks that `key` holds `claimed` (`None` = absent) in the tree committed to by `commitment`.
pub fn verify_read_claim(
    commitment: &StateCommitment,
    key: &B256,
    claimed: Option<B256>,
    proof: &ReadProof,
) -> Result<(), ProofError> {
    if verify_read(commitment, key, proof)? == claimed {
        Ok(())
    } else {
        Err(ProofError::ClaimMismatch)
    }
}

/// Checks one write proof against `commitment` and returns the commitment after the write.
pub fn apply_write(
    commitment: &StateCommitment,
    key: &B256,
    value: &B256,
    proof: &WriteProof,
) -> Result<StateCommitment, ProofError> {
    match proof {
        WriteProof::Update(existing) => {
            if existing.leaf.key != *key {
                return Err(ProofError::KeyMismatch);
            }
            verify_leaf(commitment, existing)?;
            let updated = Leaf {
                value: *value,
                ..existing.leaf
            };
            Ok(StateCommitment {
                root: existing.root_with(&updated),
                next_free_slot: commitment.next_free_slot,
            })
        }
        WriteProof::Skip(absence) => {
            if !value.is_zero() {
                return Err(ProofError::WrongWriteKind);
            }
            verify_absence(commitment, key, absence)?;
            Ok(*commitment)
        }
        WriteProof::Insert {
            neighbours,
            free_slot_siblings,
        } => {
            if value.is_zero() {
                return Err(ProofError::WrongWriteKind);
            }
            verify_absence(commitment, key, neighbours)?;
            let new_index = commitment.next_free_slot;
            let next_free_slot = new_index.checked_add(1).ok_or(ProofError::TreeFull)?;
            let previous = &neighbours.previous;
            let relinked = Leaf {
                next: new_index,
                ..previous.leaf
            };
            let relinked_root = previous.root_with(&relinked);
            if fold_path(Leaf::EMPTY.hash(), new_index, free_slot_siblings) != relinked_root {
                return Err(ProofError::RootMismatch);
            }
            let inserted = Leaf {
                key: *key,
                value: *value,
                next: previous.leaf.next,
            };
            Ok(StateCommitment {
                root: fold_path(inserted.hash(), new_index, free_slot_siblings),
                next_free_slot,
            })
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
    if proof.reads.len() != reads.len() || proof.writes.len() != writes.len() {
        return Err(ProofError::CountMismatch);
    }
    check_write_batch(writes).map_err(ProofError::InvalidWrites)?;
    for ((key, claimed), read_proof) in reads.iter().zip(&proof.reads) {
        verify_read_claim(initial, key, *claimed, read_proof)?;
    }
    let mut commitment = *initial;
    for ((key, value), write_proof) in writes.iter().zip(&proof.writes) {
        commitment = apply_write(&commitment, key, value, write_proof)?;
    }
    Ok(commitment)
}

impl StateTree {
    /// The path of the leaf at `index` (an unused index gives the empty leaf's path).
    pub fn prove_leaf(&self, index: u64) -> LeafProof {
        LeafProof {
            index,
            leaf: self.leaf(index),
            siblings: Box::new(self.siblings(index)),
        }
    }

    /// Proof of the value of `key`, or of its absence.
    pub fn prove_read(&self, key: &B256) -> ReadProof {
        match self.index_of(key) {
            Some(index) => ReadProof::Present(self.prove_leaf(index)),
            None => ReadProof::Absent(self.prove_absence(key)),
        }
    }

    /// Neighbour leaves enclosing an absent `key`.
    fn prove_absence(&self, key: &B256) -> AbsenceProof {
        // Only the min key has no predecessor, and it is always present.
        let (previous_index, previous) = self
            .predecessor(key)
            .unwrap_or((MIN_SENTINEL_INDEX, self.leaf(MIN_SENTINEL_INDEX)));
        AbsenceProof {
            previous: self.prove_leaf(previous_index),
            next: self.prove_leaf(previous.next),
        }
    }

    /// Builds the batch proof for read claims on `reads` (their values are [`StateTree::get`])
    /// and the net `writes`, leaving this tree unchanged. Works on a clone of the tree.
    pub fn prove_batch(
        &self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, TreeError> {
        check_write_batch(writes)?;
        let reads = reads.iter().map(|key| self.prove_read(key)).collect();
        let mut working = self.clone();
        let mut write_proofs = Vec::with_capacity(writes.len());
        for (key, value) in writes {
            let proof = match working.index_of(key) {
                Some(index) => WriteProof::Update(working.prove_leaf(index)),
                None if value.is_zero() => WriteProof::Skip(working.prove_absence(key)),
                None => {
                    let neighbours = working.prove_absence(key);
                    let new_index = working.next_free_slot();
                    working.insert_or_update(*key, *value)?;
                    write_proofs.push(WriteProof::Insert {
                        neighbours,
                        free_slot_siblings: Box::new(working.siblings(new_index)),
                    });
                    continue;
                }
            };
            working.insert_or_update(*key, *value)?;
            write_proofs.push(proof);
        }
        Ok(BatchProof {
            reads,
            writes: write_proofs,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], ProofDecodeError> {
        let (head, rest) = self
            .bytes
            .split_first_chunk::<N>()
            .ok_or(ProofDecodeError::UnexpectedEnd)?;
        self.bytes = rest;
        Ok(*head)
    }

    fn u8(&mut self) -> Result<u8, ProofDecodeError> {
        Ok(self.take::<1>()?[0])
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

    fn siblings(&mut self) -> Result<Box<[B256; TREE_DEPTH]>, ProofDecodeError> {
        let mut out = Box::new([B256::ZERO; TREE_DEPTH]);
        for slot in out.iter_mut() {
            *slot = self.b256()?;
        }
        Ok(out)
    }

    fn finish<T>(self, value: T) -> Result<T, ProofDecodeError> {
        if self.bytes.is_empty() {
            Ok(value)
        } else {
            Err(ProofDecodeError::TrailingBytes(self.bytes.len()))
        }
    }
}

fn write_siblings(out: &mut Vec<u8>, siblings: &[B256; TREE_DEPTH]) {
    for sibling in siblings {
        out.extend_from_slice(sibling.as_slice());
    }
}

fn write_count(out: &mut Vec<u8>, count: usize) {
    // Proof lists come from one block's storage accesses, far below u32::MAX.
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    out.extend_from_slice(&count.to_le_bytes());
}

impl LeafProof {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.index.to_le_bytes());
        out.extend_from_slice(self.leaf.key.as_slice());
        out.extend_from_slice(self.leaf.value.as_slice());
        out.extend_from_slice(&self.leaf.next.to_le_bytes());
        write_siblings(out, &self.siblings);
    }

    fn read(reader: &mut Reader<'_>) -> Result<Self, ProofDecodeError> {
        let index = reader.u64()?;
        let key = reader.b256()?;
        let value = reader.b256()?;
        let next = reader.u64()?;
        let siblings = reader.siblings()?;
        Ok(Self {
            index,
            leaf: Leaf { key, value, next },
            siblings,
        })
    }

    /// Byte encoding (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(LEAF_PROOF_LEN_BYTES);
        self.write(&mut out);
        out
    }

    /// Decodes [`LeafProof::to_bytes`] output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofDecodeError> {
        let mut reader = Reader { bytes };
        let value = Self::read(&mut reader)?;
        reader.finish(value)
    }
}

impl AbsenceProof {
    fn write(&self, out: &mut Vec<u8>) {
        self.previous.write(out);
        self.next.write(out);
    }

    fn read(reader: &mut Reader<'_>) -> Result<Self, ProofDecodeError> {
        Ok(Self {
            previous: LeafProof::read(reader)?,
            next: LeafProof::read(reader)?,
        })
    }
}

impl ReadProof {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Present(leaf) => {
                out.push(READ_PRESENT_TAG);
                leaf.write(out);
            }
            Self::Absent(absence) => {
                out.push(READ_ABSENT_TAG);
                absence.write(out);
            }
        }
    }

    fn read(reader: &mut Reader<'_>) -> Result<Self, ProofDecodeError> {
        match reader.u8()? {
            READ_PRESENT_TAG => Ok(Self::Present(LeafProof::read(reader)?)),
            READ_ABSENT_TAG => Ok(Self::Absent(AbsenceProof::read(reader)?)),
            tag => Err(ProofDecodeError::UnknownTag(tag)),
        }
    }

    /// Byte encoding (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    /// Decodes [`ReadProof::to_bytes`] output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofDecodeError> {
        let mut reader = Reader { bytes };
        let value = Self::read(&mut reader)?;
        reader.finish(value)
    }
}

impl WriteProof {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Self::Update(leaf) => {
                out.push(WRITE_UPDATE_TAG);
                leaf.write(out);
            }
            Self::Insert {
                neighbours,
                free_slot_siblings,
            } => {
                out.push(WRITE_INSERT_TAG);
                neighbours.write(out);
                write_siblings(out, free_slot_siblings);
            }
            Self::Skip(absence) => {
                out.push(WRITE_SKIP_TAG);
                absence.write(out);
            }
        }
    }

    fn read(reader: &mut Reader<'_>) -> Result<Self, ProofDecodeError> {
        match reader.u8()? {
            WRITE_UPDATE_TAG => Ok(Self::Update(LeafProof::read(reader)?)),
            WRITE_INSERT_TAG => Ok(Self::Insert {
                neighbours: AbsenceProof::read(reader)?,
                free_slot_siblings: reader.siblings()?,
            }),
            WRITE_SKIP_TAG => Ok(Self::Skip(AbsenceProof::read(reader)?)),
            tag => Err(ProofDecodeError::UnknownTag(tag)),
        }
    }
}

impl BatchProof {
    /// Byte encoding: read count, reads, write count, writes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_count(&mut out, self.reads.len());
        for read in &self.reads {
            read.write(&mut out);
        }
        write_count(&mut out, self.writes.len());
        for write in &self.writes {
            write.write(&mut out);
        }
        out
    }

    /// Decodes [`BatchProof::to_bytes`] output; trailing bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofDecodeError> {
        let mut reader = Reader { bytes };
        let read_count = reader.u32()?;
        let mut reads = Vec::new();
        for _ in 0..read_count {
            reads.push(ReadProof::read(&mut reader)?);
        }
        let write_count = reader.u32()?;
        let mut writes = Vec::new();
        for _ in 0..write_count {
            writes.push(WriteProof::read(&mut reader)?);
        }
        reader.finish(Self { reads, writes })
    }
}

#[cfg(test)]
mod tests;
