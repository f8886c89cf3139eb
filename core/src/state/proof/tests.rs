use super::*;
use crate::state::tree::MIN_SENTINEL_KEY;

/// xorshift64: deterministic pseudo-random numbers for the tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn b256(&mut self) -> B256 {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        B256::new(out)
    }
}

fn key(byte: u8) -> B256 {
    B256::repeat_byte(byte)
}

/// Tree with keys 0x20…, 0x40…, 0x60… (values 1, 2, 3), inserted in the order 0x40, 0x20, 0x60.
fn small_tree() -> StateTree {
    let mut tree = StateTree::new();
    for (k, v) in [(0x40, 2), (0x20, 1), (0x60, 3)] {
        tree.insert_or_update(key(k), key(v)).unwrap();
    }
    tree
}

/// Every single-bit change of the proof's bytes fails to decode or fails to verify.
fn assert_every_bit_flip_rejected(
    initial: &StateCommitment,
    proof: &BatchProof,
    reads: &[(B256, Option<B256>)],
    writes: &[(B256, B256)],
) {
    let bytes = proof.to_bytes();
    let mut tampered = bytes.clone();
    for position in 0..bytes.len() {
        for bit in 0..8 {
            tampered[position] ^= 1 << bit;
            if let Ok(bad) = BatchProof::from_bytes(&tampered) {
                assert!(
                    apply_batch(initial, &bad, reads, writes).is_err(),
                    "tampered byte {position} bit {bit} accepted"
                );
            }
            tampered[position] ^= 1 << bit;
        }
    }
}

#[test]
fn batch_apply_matches_tree_after_pseudo_random_writes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tree = StateTree::new();
    let mut known: Vec<B256> = Vec::new();
    // Updates, inserts and zero writes to absent keys (skips) seen.
    let mut kinds_seen = [0usize; 3];
    for round in 0..6 {
        let mut writes = Vec::new();
        for i in 0..(3 + round * 2) {
            let choice = rng.next() % 4;
            let k = if choice == 0 && !known.is_empty() {
                known[(rng.next() % known.len() as u64) as usize]
            } else {
                rng.b256()
            };
            if writes.iter().any(|(w, _)| *w == k) {
                continue;
            }
            // Every fifth write stores zero (to an absent key this is a skip).
            let v = if i % 5 == 4 { B256::ZERO } else { rng.b256() };
            kinds_seen[match (tree.get(&k).is_some(), v.is_zero()) {
                (true, _) => 0,
                (false, false) => 1,
                (false, true) => 2,
            }] += 1;
            writes.push((k, v));
        }
        let mut reads: Vec<B256> = known.iter().take(3).copied().collect();
        reads.push(rng.b256());
        reads.extend(writes.iter().map(|(k, _)| *k));

        let initial = tree.commitment();
        let claims: Vec<(B256, Option<B256>)> = reads.iter().map(|k| (*k, tree.get(k))).collect();
        let proof = tree.prove_batch(&reads, &writes).unwrap();
        assert_eq!(
            tree.commitment(),
            initial,
            "proving must not change the tree"
        );
        assert_eq!(BatchProof::from_bytes(&proof.to_bytes()), Ok(proof.clone()));
        let expected = tree.apply_writes(&writes).unwrap();
        assert_eq!(
            apply_batch(&initial, &proof, &claims, &writes),
            Ok(expected)
        );
        for (k, v) in &writes {
            if !v.is_zero() {
                known.push(*k);
            }
            assert_eq!(
                tree.get(k).unwrap_or_default(),
                *v,
                "tree must hold the written value"
            );
        }
    }
    assert!(tree.next_free_slot() > 20);
    assert!(
        kinds_seen.iter().all(|&n| n > 0),
        "update/insert/skip: {kinds_seen:?}"
    );
}

#[test]
fn shared_paths_are_sent_and_hashed_once() {
    // Leaves 0 and 1 (the sentinels) are siblings: the climb pairs them at the leaf level and
    // needs one hash at each of the 63 levels above (the subtree right of the path). Two
    // separate paths would send 2 × 64 hashes.
    let tree = StateTree::new();
    let proof = tree
        .prove_batch(&[MIN_SENTINEL_KEY, B256::repeat_byte(0xff)], &[])
        .unwrap();
    assert_eq!(proof.leaves.len(), 2);
    assert_eq!(proof.hashes.len(), TREE_DEPTH - 1);
    // small_tree holds indices 0..=4. Reading 0x20… (index 3) and 0x60… (index 4) and showing
    // 0x50… absent (neighbours 0x40… at index 2 and 0x60… at 4): leaves 2, 3 and 4 once each.
    // Level 0: 2 and 3 pair, 4 needs its sibling 5; level 1: positions 1 and 2, each needs its
    // sibling (0 and 3); level 2: positions 0 and 1 pair; from level 3 on one node (position
    // 0), one hash per level: 1 + 2 + 0 + 61.
    let tree = small_tree();
    let reads = [key(0x20), key(0x60), key(0x50)];
    let proof = tree.prove_batch(&reads, &[]).unwrap();
    let indices: Vec<u64> = proof.leaves.iter().map(|(index, _)| *index).collect();
    assert_eq!(indices, [2, 3, 4]);
    assert_eq!(proof.hashes.len(), 1 + 2 + (TREE_DEPTH - 3));
    let claims = [
        (key(0x20), Some(key(1))),
        (key(0x60), Some(key(3))),
        (key(0x50), None),
    ];
    assert_eq!(
        apply_batch(&tree.commitment(), &proof, &claims, &[]),
        Ok(tree.commitment())
    );
}

#[test]
fn batch_rejects_every_tampering_of_proof_and_claims() {
    let tree = small_tree();
    let initial = tree.commitment();
    // One update of 0x60…, then one insert between 0x20… and 0x40… (last, so nothing after
    // it could mask a wrongly accepted insert), with a present and an absent read.
    let writes = [(key(0x60), key(8)), (key(0x30), key(7))];
    let claims = [(key(0x40), Some(key(2))), (key(0x50), None)];
    let proof = tree.prove_batch(&[key(0x40), key(0x50)], &writes).unwrap();
    let mut after = tree.clone();
    let expected = after.apply_writes(&writes).unwrap();
    assert_eq!(
        apply_batch(&initial, &proof, &claims, &writes),
        Ok(expected)
    );
    assert_every_bit_flip_rejected(&initial, &proof, &claims, &writes);
    // A write of zero to the absent key (a skip) is proven by the same neighbours.
    let skip = [(key(0x30), B256::ZERO)];
    let skip_proof = tree.prove_batch(&[], &skip).unwrap();
    assert_eq!(apply_batch(&initial, &skip_proof, &[], &skip), Ok(initial));
    assert_every_bit_flip_rejected(&initial, &skip_proof, &[], &skip);

    // Read claims are checked against the initial commitment.
    for position in 0..32 {
        for mask in [0x01u8, 0xff] {
            let mut wrong = key(2);
            wrong.0[position] ^= mask;
            let bad_claims = [(key(0x40), Some(wrong)), (key(0x50), None)];
            assert_eq!(
                apply_batch(&initial, &proof, &bad_claims, &writes),
                Err(ProofError::ClaimMismatch)
            );
        }
    }
    let bad_claims = [(key(0x40), Some(key(2))), (key(0x50), Some(B256::ZERO))];
    assert_eq!(
        apply_batch(&initial, &proof, &bad_claims, &writes),
        Err(ProofError::ClaimMismatch)
    );
    let bad_claims = [(key(0x40), None), (key(0x50), None)];
    assert_eq!(
        apply_batch(&initial, &proof, &bad_claims, &writes),
        Err(ProofError::ClaimMismatch)
    );
}

#[test]
fn batch_rejects_missing_extra_and_misplaced_parts() {
    let tree = small_tree();
    let initial = tree.commitment();
    let writes = [(key(0x30), key(7))];
    let proof = tree.prove_batch(&[], &writes).unwrap();
    // The insert relinks 0x20… (index 3), whose next is 0x40… (index 2).
    let indices: Vec<u64> = proof.leaves.iter().map(|(index, _)| *index).collect();
    assert_eq!(indices, [2, 3]);
    // A neighbour left out.
    let mut short = proof.clone();
    short.leaves.remove(0);
    assert_eq!(
        apply_batch(&initial, &short, &[], &writes),
        Err(ProofError::MissingLeaf(key(0x30)))
    );
    // Leaves out of order, a leaf twice, a leaf at or past next_free_slot.
    let mut swapped = proof.clone();
    swapped.leaves.swap(0, 1);
    assert_eq!(
        apply_batch(&initial, &swapped, &[], &writes),
        Err(ProofError::UnsortedLeaves)
    );
    let mut twice = proof.clone();
    twice.leaves.push(twice.leaves[1]);
    assert_eq!(
        apply_batch(&initial, &twice, &[], &writes),
        Err(ProofError::UnsortedLeaves)
    );
    let mut past = proof.clone();
    past.leaves.push((5, Leaf::EMPTY));
    assert_eq!(
        apply_batch(&initial, &past, &[], &writes),
        Err(ProofError::IndexOutOfRange {
            index: 5,
            next_free_slot: 5
        })
    );
    // The same key at two indices.
    let mut duplicate = proof.clone();
    duplicate.leaves.push((4, duplicate.leaves[0].1));
    assert_eq!(
        apply_batch(&initial, &duplicate, &[], &writes),
        Err(ProofError::DuplicateKey(key(0x40)))
    );
    // A hash too few, a hash too many.
    let mut fewer = proof.clone();
    fewer.hashes.pop();
    assert_eq!(
        apply_batch(&initial, &fewer, &[], &writes),
        Err(ProofError::MissingHash)
    );
    let mut more = proof.clone();
    more.hashes.push(B256::ZERO);
    assert_eq!(
        apply_batch(&initial, &more, &[], &writes),
        Err(ProofError::UnusedHashes(1))
    );
    // A proof of other leaves: 0x50… sits between 0x40… and 0x60…, not next to 0x30….
    let other = tree.prove_batch(&[], &[(key(0x50), key(7))]).unwrap();
    assert!(apply_batch(&initial, &other, &[], &writes).is_err());
    // Against another commitment (one more slot, or another root).
    let wider = StateCommitment {
        next_free_slot: initial.next_free_slot + 1,
        ..initial
    };
    assert_eq!(
        apply_batch(&wider, &proof, &[], &writes),
        Err(ProofError::RootMismatch)
    );
    let sentinel = B256::repeat_byte(0xff);
    assert_eq!(
        apply_batch(&initial, &proof, &[], &[(sentinel, key(1))]),
        Err(ProofError::InvalidWrites(TreeError::SentinelKey(sentinel)))
    );
    // Nothing touched: nothing to prove, the commitment stays.
    let empty = tree.prove_batch(&[], &[]).unwrap();
    assert_eq!(empty, BatchProof::default());
    assert_eq!(apply_batch(&initial, &empty, &[], &[]), Ok(initial));
}

#[test]
fn decoding_reports_typed_errors() {
    let tree = small_tree();
    let bytes = tree.prove_batch(&[key(0x20)], &[]).unwrap().to_bytes();
    assert_eq!(
        BatchProof::from_bytes(&bytes[..bytes.len() - 1]),
        Err(ProofDecodeError::UnexpectedEnd)
    );
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0, 0]);
    assert_eq!(
        BatchProof::from_bytes(&longer),
        Err(ProofDecodeError::TrailingBytes(2))
    );
    // A huge count with no items behind it fails without allocating for the count.
    assert_eq!(
        BatchProof::from_bytes(&[0xff, 0xff, 0xff, 0xff]),
        Err(ProofDecodeError::UnexpectedEnd)
    );
    assert_eq!(
        BatchProof::from_bytes(&[]),
        Err(ProofDecodeError::UnexpectedEnd)
    );
}
