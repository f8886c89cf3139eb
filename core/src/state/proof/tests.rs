use super::*;
use alloc::vec;

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

const TAMPER_MASKS: [u8; 2] = [0x01, 0xff];

/// Every single-byte change of `bytes` must fail to decode or fail `check`.
fn assert_every_byte_tamper_rejected<T>(
    bytes: &[u8],
    decode: impl Fn(&[u8]) -> Result<T, ProofDecodeError>,
    check: impl Fn(&T) -> bool,
) {
    let original = decode(bytes).unwrap();
    assert!(check(&original), "untampered proof must verify");
    let mut tampered = bytes.to_vec();
    for position in 0..bytes.len() {
        for mask in TAMPER_MASKS {
            tampered[position] ^= mask;
            if let Ok(proof) = decode(&tampered) {
                assert!(
                    !check(&proof),
                    "tampered byte {position} (^{mask:#x}) accepted"
                );
            }
            tampered[position] ^= mask;
        }
    }
}

#[test]
fn present_read_verifies_and_rejects_every_tampering() {
    let tree = small_tree();
    let commitment = tree.commitment();
    let k = key(0x40);
    let proof = tree.prove_read(&k);
    assert!(matches!(proof, ReadProof::Present(_)));
    assert_eq!(verify_read(&commitment, &k, &proof), Ok(Some(key(2))));

    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), 1 + LEAF_PROOF_LEN_BYTES);
    assert_every_byte_tamper_rejected(&bytes, ReadProof::from_bytes, |p| {
        verify_read_claim(&commitment, &k, Some(key(2)), p).is_ok()
    });

    let claimed = key(2);
    for position in 0..32 {
        for mask in TAMPER_MASKS {
            let mut wrong = claimed;
            wrong.0[position] ^= mask;
            assert_eq!(
                verify_read_claim(&commitment, &k, Some(wrong), &proof),
                Err(ProofError::ClaimMismatch)
            );
        }
    }
    assert_eq!(
        verify_read_claim(&commitment, &k, None, &proof),
        Err(ProofError::ClaimMismatch)
    );
    // Asking about another key with this proof fails.
    assert_eq!(
        verify_read(&commitment, &key(0x41), &proof),
        Err(ProofError::KeyMismatch)
    );
}

#[test]
fn absent_read_verifies_and_rejects_every_tampering() {
    let tree = small_tree();
    let commitment = tree.commitment();
    let k = key(0x50);
    let proof = tree.prove_read(&k);
    let ReadProof::Absent(absence) = &proof else {
        panic!("expected an absence proof");
    };
    // Neighbours: 0x40… at index 2 and 0x60… at index 4.
    assert_eq!((absence.previous.index, absence.next.index), (2, 4));
    assert_eq!(verify_read(&commitment, &k, &proof), Ok(None));

    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), 1 + 2 * LEAF_PROOF_LEN_BYTES);
    assert_every_byte_tamper_rejected(&bytes, ReadProof::from_bytes, |p| {
        verify_read_claim(&commitment, &k, None, p).is_ok()
    });
    for position in 0..32 {
        for mask in TAMPER_MASKS {
            let mut wrong = B256::ZERO;
            wrong.0[position] ^= mask;
            assert_eq!(
                verify_read_claim(&commitment, &k, Some(wrong), &proof),
                Err(ProofError::ClaimMismatch)
            );
        }
    }
    // The same neighbours do not prove absence of keys outside (0x40…, 0x60…).
    assert_eq!(
        verify_read(&commitment, &key(0x40), &proof),
        Err(ProofError::KeyNotBetween)
    );
    assert_eq!(
        verify_read(&commitment, &key(0x70), &proof),
        Err(ProofError::KeyNotBetween)
    );
}

#[test]
fn absence_needs_linked_neighbours_and_live_indices() {
    let tree = small_tree();
    let commitment = tree.commitment();
    // 0x20… (index 3) and 0x60… (index 4) enclose 0x40… but are not linked to each other.
    let skipping = AbsenceProof {
        previous: tree.prove_leaf(3),
        next: tree.prove_leaf(4),
    };
    assert_eq!(
        verify_absence(&commitment, &key(0x40), &skipping),
        Err(ProofError::NotNeighbours)
    );
    // The empty leaf at next_free_slot has a valid path but is not a live leaf.
    let free = tree.prove_leaf(commitment.next_free_slot);
    assert_eq!(free.root(), commitment.root);
    assert_eq!(
        verify_leaf(&commitment, &free),
        Err(ProofError::IndexOutOfRange {
            index: 5,
            next_free_slot: 5
        })
    );
    // A proof against an older state is rejected after a write.
    let old = tree.prove_read(&key(0x20));
    let mut newer = tree.clone();
    newer.insert_or_update(key(0x30), key(9)).unwrap();
    assert_eq!(
        verify_read(&newer.commitment(), &key(0x20), &old),
        Err(ProofError::RootMismatch)
    );
}

#[test]
fn batch_apply_matches_tree_after_pseudo_random_writes() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tree = StateTree::new();
    let mut known: Vec<B256> = Vec::new();
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

        for write_proof in &proof.writes {
            kinds_seen[match write_proof {
                WriteProof::Update(_) => 0,
                WriteProof::Insert { .. } => 1,
                WriteProof::Skip(_) => 2,
            }] += 1;
        }
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
fn batch_rejects_every_tampering_of_proof_and_claims() {
    let tree = small_tree();
    let initial = tree.commitment();
    // One update of 0x60…, then one insert between 0x20… and 0x40… (last, so nothing after
    // it could mask a wrongly accepted insert proof).
    let writes = [(key(0x60), key(8)), (key(0x30), key(7))];
    let proof = tree.prove_batch(&[], &writes).unwrap();
    let mut after = tree.clone();
    let expected = after.apply_writes(&writes).unwrap();
    assert_eq!(apply_batch(&initial, &proof, &[], &writes), Ok(expected));
    // One flipped bit per byte (each check re-verifies up to seven 64-level paths, so the
    // two-mask sweep of the read tests would be slow in debug builds).
    let bytes = proof.to_bytes();
    let mut tampered = bytes.clone();
    for position in 0..bytes.len() {
        tampered[position] ^= 0x01;
        if let Ok(bad) = BatchProof::from_bytes(&tampered) {
            assert!(
                apply_batch(&initial, &bad, &[], &writes).is_err(),
                "tampered byte {position} accepted"
            );
        }
        tampered[position] ^= 0x01;
    }

    // Read claims in a batch are checked against the initial commitment.
    let claims = [(key(0x40), Some(key(2))), (key(0x50), None)];
    let with_reads = tree.prove_batch(&[key(0x40), key(0x50)], &writes).unwrap();
    assert_eq!(
        apply_batch(&initial, &with_reads, &claims, &writes),
        Ok(expected)
    );
    for position in 0..32 {
        for mask in TAMPER_MASKS {
            let mut wrong = key(2);
            wrong.0[position] ^= mask;
            let bad_claims = [(key(0x40), Some(wrong)), (key(0x50), None)];
            assert_eq!(
                apply_batch(&initial, &with_reads, &bad_claims, &writes),
                Err(ProofError::ClaimMismatch)
            );
        }
    }
    let bad_claims = [(key(0x40), Some(key(2))), (key(0x50), Some(B256::ZERO))];
    assert_eq!(
        apply_batch(&initial, &with_reads, &bad_claims, &writes),
        Err(ProofError::ClaimMismatch)
    );
}

#[test]
fn batch_rejects_mismatched_shapes() {
    let tree = small_tree();
    let initial = tree.commitment();
    let k = key(0x30);
    let insert = tree.prove_batch(&[], &[(k, key(1))]).unwrap();
    // The same insert proof cannot carry a zero write, and counts must line up.
    assert_eq!(
        apply_batch(&initial, &insert, &[], &[(k, B256::ZERO)]),
        Err(ProofError::WrongWriteKind)
    );
    assert_eq!(
        apply_batch(&initial, &insert, &[], &[]),
        Err(ProofError::CountMismatch)
    );
    let skip = tree.prove_batch(&[], &[(k, B256::ZERO)]).unwrap();
    assert!(matches!(skip.writes[0], WriteProof::Skip(_)));
    assert_eq!(
        apply_batch(&initial, &skip, &[], &[(k, key(1))]),
        Err(ProofError::WrongWriteKind)
    );
    assert_eq!(
        apply_batch(&initial, &skip, &[], &[(k, B256::ZERO)]),
        Ok(initial)
    );
    let sentinel = B256::repeat_byte(0xff);
    let update = BatchProof {
        reads: vec![],
        writes: vec![WriteProof::Update(tree.prove_leaf(1))],
    };
    assert_eq!(
        apply_batch(&initial, &update, &[], &[(sentinel, key(1))]),
        Err(ProofError::InvalidWrites(TreeError::SentinelKey(sentinel)))
    );
}

#[test]
fn decoding_reports_typed_errors() {
    let tree = small_tree();
    let bytes = tree.prove_read(&key(0x20)).to_bytes();
    assert_eq!(
        ReadProof::from_bytes(&bytes[..bytes.len() - 1]),
        Err(ProofDecodeError::UnexpectedEnd)
    );
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0, 0]);
    assert_eq!(
        ReadProof::from_bytes(&longer),
        Err(ProofDecodeError::TrailingBytes(2))
    );
    let mut bad_tag = bytes.clone();
    bad_tag[0] = 9;
    assert_eq!(
        ReadProof::from_bytes(&bad_tag),
        Err(ProofDecodeError::UnknownTag(9))
    );
    let leaf = tree.prove_leaf(3);
    assert_eq!(LeafProof::from_bytes(&leaf.to_bytes()), Ok(leaf));
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
