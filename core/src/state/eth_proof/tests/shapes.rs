//! Trie shapes from an independent builder (alloy-trie's `HashBuilder`, which Ethereum clients
//! use): extension nodes, branches and leaves embedded in their parents, exclusion at every kind
//! of node; then nodes that hash right but are malformed.

use super::super::trie::prove;
use super::super::{verify_answer, ProofAnswer, ProofError};
use crate::primitives::{keccak256, Address, B256};
use crate::tx::rlp::{decode_list, write_bytes, write_list, Item};
use alloc::vec::Vec;
use alloy_trie::proof::ProofRetainer;
use alloy_trie::{HashBuilder, Nibbles};

/// The root of a trie holding `entries`, and the proof of each of `targets` as nodes clients
/// send them: the root, then every node referenced by hash (embedded nodes travel inside their
/// parents).
fn build(entries: &[([u8; 32], Vec<u8>)], targets: &[[u8; 32]]) -> (B256, Vec<Vec<Vec<u8>>>) {
    let mut sorted = entries.to_vec();
    sorted.sort();
    let retainer = ProofRetainer::new(targets.iter().map(|t| Nibbles::unpack(t)).collect());
    let mut builder = HashBuilder::default().with_proof_retainer(retainer);
    for (key, value) in &sorted {
        builder.add_leaf(Nibbles::unpack(key), value);
    }
    let root = B256::from(builder.root().0);
    let nodes = builder.take_proof_nodes();
    let proofs = targets
        .iter()
        .map(|t| {
            nodes
                .matching_nodes_sorted(&Nibbles::unpack(t))
                .into_iter()
                .filter(|(path, node)| path.is_empty() || node.len() >= 32)
                .map(|(_, node)| node.to_vec())
                .collect()
        })
        .collect();
    (root, proofs)
}

/// A key of `prefix` followed by bytes of `seed`.
fn key(prefix: &[u8], seed: u8) -> [u8; 32] {
    let mut k = keccak256(&[seed]).0;
    k[..prefix.len()].copy_from_slice(prefix);
    k
}

#[test]
fn extension_branch_leaf_and_embedded_nodes() {
    // Two keys under a 10-nibble extension; two that differ in their last nibble only, with
    // one-byte values: their leaves, and the branch over them, are embedded; 60 others.
    let ext = [key(&[0xab; 5], 1), key(&[0xab; 5], 2)];
    let mut tail = [0x5c; 32];
    tail[31] = 0x01;
    let mut tail2 = tail;
    tail2[31] = 0x02;
    let mut entries: Vec<([u8; 32], Vec<u8>)> = (10..70)
        .map(|s| (key(&[], s), alloc::vec![s; 40]))
        .collect();
    entries.extend([(ext[0], alloc::vec![1; 33]), (ext[1], alloc::vec![2; 33])]);
    entries.extend([(tail, alloc::vec![7]), (tail2, alloc::vec![8])]);
    let mut tail_absent = tail;
    tail_absent[31] = 0x03;
    let mut off_extension = ext[0];
    off_extension[4] = 0xac;
    let absent = [
        key(&[], 200),
        key(&[], 201),
        tail_absent,
        off_extension,
        key(&[0xab; 5], 3),
    ];
    let present: Vec<[u8; 32]> = entries.iter().map(|(k, _)| *k).collect();
    let targets: Vec<[u8; 32]> = present.iter().chain(&absent).copied().collect();
    let (root, proofs) = build(&entries, &targets);
    for (i, (k, value)) in entries.iter().enumerate() {
        assert_eq!(
            prove(&root, k, &proofs[i]),
            Ok(Some(value.as_slice())),
            "key {i}"
        );
    }
    for (i, k) in absent.iter().enumerate() {
        assert_eq!(
            prove(&root, k, &proofs[present.len() + i]),
            Ok(None),
            "absent {i}"
        );
    }
    // The shapes walked: an extension over the two keys sharing 10 nibbles; for the keys that
    // differ in their last nibble, an extension whose (embedded) branch holds embedded leaves.
    assert_eq!(
        kinds(&proofs[present.len() - 4]),
        ["branch", "branch", "extension", "branch", "leaf"]
    );
    let tail_proof = &proofs[present.len() - 2];
    assert_eq!(kinds(tail_proof), ["branch", "branch", "extension"]);
    let leaf_rlp = list(&[&string(&[0x20]), &string(&[7])]);
    assert!(tail_proof[2].windows(leaf_rlp.len()).any(|w| w == leaf_rlp));
    // A value with a proof of another key is refused; so is a truncated one.
    assert!(prove(&root, &ext[0], &proofs[present.len() - 3]).is_err_or_none());
    let mut short = proofs[present.len() - 4].clone();
    short.pop();
    assert_eq!(prove(&root, &ext[0], &short), Err(ProofError::MissingNode));
}

/// The kind of each node of a proof.
fn kinds(proof: &[Vec<u8>]) -> Vec<&'static str> {
    proof
        .iter()
        .map(|node| {
            let mut items = decode_list(node).expect("a list");
            let (first, _) = items.item().expect("an item");
            let _ = items.item().expect("an item");
            match first {
                _ if !items.is_empty() => "branch",
                Item::String([flags, ..]) if flags >> 4 >= 2 => "leaf",
                _ => "extension",
            }
        })
        .collect()
}

trait ErrOrNone {
    fn is_err_or_none(&self) -> bool;
}

impl ErrOrNone for Result<Option<&[u8]>, ProofError> {
    fn is_err_or_none(&self) -> bool {
        !matches!(self, Ok(Some(_)))
    }
}

#[test]
fn a_trie_of_one_leaf_and_the_empty_trie() {
    let k = key(&[], 1);
    let (root, proofs) = build(&[(k, alloc::vec![9; 3])], &[k, key(&[], 2)]);
    assert_eq!(prove(&root, &k, &proofs[0]), Ok(Some([9u8; 3].as_slice())));
    assert_eq!(prove(&root, &key(&[], 2), &proofs[1]), Ok(None));
    let empty = super::super::EMPTY_TRIE_ROOT;
    assert_eq!(prove(&empty, &k, &[]), Ok(None));
    assert_eq!(prove(&empty, &k, &[alloc::vec![0x80u8]]), Ok(None));
    assert_eq!(
        prove(&empty, &k, &[alloc::vec![0x80u8], alloc::vec![0x80u8]]),
        Err(ProofError::ExtraNode)
    );
    assert_eq!(
        prove(&root, &k, &[alloc::vec![0x80u8]]),
        Err(ProofError::NodeHashMismatch)
    );
}

/// The RLP list of `items` (each already encoded).
fn list(items: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    write_list(&mut out, &items.concat());
    out
}

fn string(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    write_bytes(&mut out, data);
    out
}

/// `node` as a whole trie (its hash is the root), walked along `k`.
fn alone(node: &[u8], k: &[u8; 32]) -> Result<Option<Vec<u8>>, ProofError> {
    let proof = [node.to_vec()];
    prove(&keccak256(node), k, &proof).map(|v| v.map(<[u8]>::to_vec))
}

#[test]
fn malformed_nodes_are_typed_errors() {
    let k = [0u8; 32];
    let empty = string(&[]);
    let mut branch_items: Vec<Vec<u8>> = (0..17).map(|_| empty.clone()).collect();
    branch_items[0] = string(&[1, 2, 3, 4, 5]);
    let branch_bad_child = list(&branch_items.iter().map(Vec::as_slice).collect::<Vec<_>>());
    branch_items[0] = list(&[&string(&[0x20]), &string(&[1])]);
    branch_items[16] = list(&[]);
    let branch_list_value = list(&branch_items.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let eighteen = list(&[empty.as_slice(); 18]);
    let cases: [(&str, Vec<u8>); 11] = [
        (
            "three items",
            list(&[&string(&[1]), &string(&[2]), &string(&[3])]),
        ),
        ("one item", list(&[&string(&[0x20])])),
        ("a string, not a list", string(&[0x11; 40])),
        ("truncated", alloc::vec![0xf8]),
        ("non-canonical byte", alloc::vec![0xc3, 0x81, 0x00, 0x80]),
        (
            "hex-prefix flag 4",
            list(&[&string(&[0x40]), &string(&[1])]),
        ),
        (
            "even path with a filler",
            list(&[&string(&[0x25]), &string(&[1])]),
        ),
        (
            "leaf with a list value",
            list(&[&string(&[0x20]), &list(&[])]),
        ),
        (
            "extension with an empty path",
            list(&[&string(&[0x00]), &string(&[7; 32])]),
        ),
        ("branch child of 5 bytes", branch_bad_child),
        ("branch of 18 items", eighteen),
    ];
    for (what, node) in cases {
        assert_eq!(alone(&node, &k), Err(ProofError::MalformedNode), "{what}");
    }
    assert_eq!(
        alone(&branch_list_value, &k),
        Err(ProofError::MalformedNode),
        "branch value a list"
    );
}

#[test]
fn malformed_leaves_of_accounts_and_slots_are_typed_errors() {
    let address = Address::repeat_byte(0x42);
    let account_key = keccak256(address.as_slice()).0;
    let garbage = [
        alloc::vec![0xc0],
        alloc::vec![0x01, 0x02],
        list(&[&string(&[1])]),
    ];
    for leaf in garbage {
        let (root, proofs) = build(&[(account_key, leaf)], &[account_key]);
        let answer = ProofAnswer {
            address,
            account_proof: proofs[0].clone(),
            ..ProofAnswer::default()
        };
        assert_eq!(
            verify_answer(&root, &answer),
            Err(ProofError::MalformedNode)
        );
    }
}

/// Real nodes with bytes changed, each taken as a whole trie: any outcome but a panic.
#[test]
fn mutated_nodes_never_panic() {
    let nodes: Vec<Vec<u8>> = super::anvil::CONTRACT
        .slots
        .iter()
        .flat_map(|(_, _, proof)| proof.iter().map(|n| super::bytes(n)))
        .collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..4000 {
        let mut node = nodes[round % nodes.len()].to_vec();
        for _ in 0..1 + next() % 3 {
            let at = (next() as usize) % node.len();
            node[at] = next() as u8;
        }
        if next() % 4 == 0 {
            node.truncate((next() as usize) % node.len());
        }
        let mut k = [0u8; 32];
        k.iter_mut().for_each(|b| *b = next() as u8);
        let _ = alone(&node, &k);
    }
}

/// A slot kept in the trie as the empty string (anvil keeps a slot set to zero by
/// `anvil_setStorageAt` so) proves zero.
#[test]
fn a_slot_kept_as_the_empty_string_is_zero() {
    use super::super::{AccountClaim, SlotClaim};
    use crate::primitives::{KECCAK_EMPTY, U256};
    let slot_key = keccak256(&[0u8; 32]).0;
    let (storage_root, storage_proofs) = build(&[(slot_key, alloc::vec![0x80])], &[slot_key]);
    let address = Address::repeat_byte(7);
    let mut account = Vec::new();
    crate::tx::rlp::write_u64(&mut account, 1);
    crate::tx::rlp::write_u64(&mut account, 0);
    write_bytes(&mut account, storage_root.as_slice());
    write_bytes(&mut account, KECCAK_EMPTY.as_slice());
    let account_key = keccak256(address.as_slice()).0;
    let (root, proofs) = build(&[(account_key, list(&[&account]))], &[account_key]);
    let mut answer = ProofAnswer {
        address,
        account: AccountClaim {
            nonce: 1,
            balance: U256::ZERO,
            storage_hash: storage_root,
            code_hash: KECCAK_EMPTY,
        },
        account_proof: proofs[0].clone(),
        slots: alloc::vec![SlotClaim {
            slot: U256::ZERO,
            value: U256::ZERO,
            proof: storage_proofs[0].clone()
        }],
        code: None,
    };
    assert_eq!(verify_answer(&root, &answer), Ok(()));
    answer.slots[0].value = U256::from(1);
    assert_eq!(verify_answer(&root, &answer), Err(ProofError::SlotMismatch));
}
