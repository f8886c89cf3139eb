//! Deterministic mutation test: decoding never panics, and whatever it accepts is canonical.

use super::super::{decode, encode};
use super::vectors::all_vectors;
use alloc::vec::Vec;

/// xorshift64: a small deterministic generator (no dependency, same run every time).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        self.next() as u8
    }
}

/// Bytes that sit on RLP header boundaries (and the L1 type bytes).
const SPECIAL_BYTES: [u8; 12] = [
    0x00, 0x01, 0x7f, 0x80, 0x81, 0xb7, 0xb8, 0xbf, 0xc0, 0xf7, 0xf8, 0xff,
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            bytes[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            bytes[at] = rng.byte();
        }
        2 => bytes.truncate(rng.below(len + 1)),
        3 => {
            for _ in 0..1 + rng.below(40) {
                bytes.push(rng.byte());
            }
        }
        4 => {
            let at = rng.below(len + 1);
            bytes.insert(at, rng.byte());
        }
        5 if len > 0 => {
            bytes.remove(rng.below(len));
        }
        _ if len > 0 => {
            let at = rng.below(len);
            bytes[at] = SPECIAL_BYTES[rng.below(SPECIAL_BYTES.len())];
        }
        _ => bytes.push(rng.byte()),
    }
}

#[test]
fn mutated_encodings_never_panic_and_accepted_ones_are_canonical() {
    const ROUNDS_PER_VECTOR: usize = 10_000;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, mut rejected) = (0usize, 0usize);
    for seed in all_vectors() {
        for _ in 0..ROUNDS_PER_VECTOR {
            let mut bytes = seed.clone();
            for _ in 0..1 + rng.below(3) {
                mutate(&mut rng, &mut bytes);
            }
            match decode(&bytes) {
                Ok(tx) => {
                    accepted += 1;
                    assert_eq!(encode(&tx).as_deref(), Ok(&bytes[..]), "{bytes:02x?}");
                }
                Err(_) => rejected += 1,
            }
        }
    }
    // Both outcomes must occur, or the mutations test nothing: flips inside data, r or s keep
    // a transaction valid; most other changes break it.
    assert!(accepted > 2_000, "accepted {accepted}");
    assert!(rejected > 50_000, "rejected {rejected}");
}
