//! Walking a Merkle-Patricia proof along one key's path (the Yellow Paper's appendix D: branch
//! nodes of 16 children and a value, extension and leaf nodes with a hex-prefix path, children
//! by keccak of their RLP, or embedded when that RLP is under 32 bytes).
//!
//! The walk is a loop over the proof's nodes, never a recursion: each node either settles the
//! key (its value, or its absence) or names the next node, by hash (the next proof element) or
//! embedded in itself. Every node hashed in must match its reference; nodes past the one that
//! settles the key are refused.

use super::{ProofError, EMPTY_TRIE_ROOT};
use crate::primitives::{keccak256, B256};
use crate::tx::rlp::{decode_list, Item};
use crate::tx::TxDecodeError;
use alloc::vec::Vec;

/// Nibbles of a 32-byte key.
const KEY_NIBBLES: usize = 64;
/// Children of a branch node (its 17th item is a value).
const BRANCH_CHILDREN: usize = 16;
/// RLP of the empty string: the whole of an empty trie.
const EMPTY_NODE: &[u8] = &[0x80];
/// Length of a hash reference; an embedded node's RLP is shorter.
const HASH_LEN: usize = 32;

/// The node the walk reads next.
enum Next<'a> {
    /// The next proof element, which must hash to this.
    Hash(B256),
    /// A node embedded in its parent (its whole RLP).
    Embedded(&'a [u8]),
}

impl From<TxDecodeError> for ProofError {
    fn from(_: TxDecodeError) -> Self {
        Self::MalformedNode
    }
}

/// The value stored under `key` in the trie whose root is `root`, as `proof` shows it: `Some`
/// with the leaf's value, `None` when the proof shows the key absent.
pub(super) fn prove<'a>(
    root: &B256,
    key: &[u8; 32],
    proof: &'a [Vec<u8>],
) -> Result<Option<&'a [u8]>, ProofError> {
    if *root == EMPTY_TRIE_ROOT && proof.is_empty() {
        return Ok(None);
    }
    let path = nibbles(key);
    let mut nodes = proof.iter();
    let mut next = Next::Hash(*root);
    let mut depth = 0;
    loop {
        let node: &'a [u8] = match next {
            Next::Hash(hash) => {
                let node = nodes.next().ok_or(ProofError::MissingNode)?;
                if keccak256(node) != hash {
                    return Err(ProofError::NodeHashMismatch);
                }
                node
            }
            Next::Embedded(node) => node,
        };
        // Only the root of an empty trie is the empty string, and it hashes to the empty root.
        if node == EMPTY_NODE && *root == EMPTY_TRIE_ROOT {
            return settled(nodes, None);
        }
        let rest = path.get(depth..).ok_or(ProofError::MalformedNode)?;
        match step(node, rest)? {
            Step::Settled(value) => return settled(nodes, value),
            Step::Down(consumed, child) => {
                depth += consumed;
                next = child;
            }
        }
    }
}

/// What one node says about the rest of the key's path.
enum Step<'a> {
    /// The key's value, or its absence.
    Settled(Option<&'a [u8]>),
    /// Go on to this child, `usize` nibbles further along the path.
    Down(usize, Next<'a>),
}

/// Reads one node against `rest`, the nibbles of the key not yet walked.
fn step<'a>(node: &'a [u8], rest: &[u8]) -> Result<Step<'a>, ProofError> {
    let mut items = decode_list(node)?;
    let (first, first_rlp) = items.item()?;
    let (second, second_rlp) = items.item()?;
    if items.is_empty() {
        let Item::String(encoded_path) = first else {
            return Err(ProofError::MalformedNode);
        };
        let (is_leaf, partial) = hex_prefix(encoded_path)?;
        if is_leaf {
            let Item::String(value) = second else {
                return Err(ProofError::MalformedNode);
            };
            if value.is_empty() {
                return Err(ProofError::MalformedNode);
            }
            return Ok(Step::Settled((partial == rest).then_some(value)));
        }
        if partial.is_empty() {
            return Err(ProofError::MalformedNode);
        }
        if !rest.starts_with(&partial) {
            return Ok(Step::Settled(None));
        }
        let child = child(second, second_rlp)?.ok_or(ProofError::MalformedNode)?;
        return Ok(Step::Down(partial.len(), child));
    }
    // A branch: children 0 and 1 are read; 14 more children and the value follow.
    let index = usize::from(*rest.first().ok_or(ProofError::MalformedNode)?);
    let mut chosen = match index {
        0 => Some((first, first_rlp)),
        1 => Some((second, second_rlp)),
        _ => None,
    };
    for at in 2..BRANCH_CHILDREN {
        let item = items.item()?;
        if at == index {
            chosen = Some(item);
        }
    }
    let (value, _) = items.item()?;
    items.finish()?;
    if !matches!(value, Item::String(_)) {
        return Err(ProofError::MalformedNode);
    }
    let (item, rlp) = chosen.ok_or(ProofError::MalformedNode)?;
    Ok(match child(item, rlp)? {
        Some(next) => Step::Down(1, next),
        None => Step::Settled(None),
    })
}

/// A child reference: a hash, a node embedded whole, or nothing (the empty string).
fn child<'a>(item: Item<'a>, rlp: &'a [u8]) -> Result<Option<Next<'a>>, ProofError> {
    match item {
        Item::String([]) => Ok(None),
        Item::String(hash) => B256::try_from(hash)
            .map(|h| Some(Next::Hash(h)))
            .map_err(|_| ProofError::MalformedNode),
        Item::List(_) if rlp.len() < HASH_LEN => Ok(Some(Next::Embedded(rlp))),
        Item::List(_) => Err(ProofError::MalformedNode),
    }
}

/// A hex-prefix path: whether it ends in a leaf, and its nibbles.
fn hex_prefix(encoded: &[u8]) -> Result<(bool, Vec<u8>), ProofError> {
    let (&first, rest) = encoded.split_first().ok_or(ProofError::MalformedNode)?;
    let flags = first >> 4;
    let odd = flags & 1 == 1;
    if flags > 3 || (!odd && first & 0x0f != 0) {
        return Err(ProofError::MalformedNode);
    }
    let mut out = Vec::with_capacity(rest.len() * 2 + 1);
    if odd {
        out.push(first & 0x0f);
    }
    for byte in rest {
        out.extend_from_slice(&[byte >> 4, byte & 0x0f]);
    }
    Ok((flags & 2 == 2, out))
}

/// The 64 nibbles of a 32-byte key, high nibble first.
fn nibbles(key: &[u8; 32]) -> [u8; KEY_NIBBLES] {
    let mut out = [0; KEY_NIBBLES];
    for (at, nibble) in out.iter_mut().enumerate() {
        let byte = key.get(at / 2).copied().unwrap_or_default();
        *nibble = if at % 2 == 0 { byte >> 4 } else { byte & 0x0f };
    }
    out
}

/// `value`, once no proof node is left over.
fn settled<'a>(
    mut nodes: core::slice::Iter<'_, Vec<u8>>,
    value: Option<&'a [u8]>,
) -> Result<Option<&'a [u8]>, ProofError> {
    match nodes.next() {
        Some(_) => Err(ProofError::ExtraNode),
        None => Ok(value),
    }
}
