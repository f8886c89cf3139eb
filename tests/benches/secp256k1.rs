//! Native time per secp256k1 public-key recovery: the bigint-API recovery the RISC-V guest
//! runs over its coprocessor (`zkos_core::crypto::secp256k1::recovery`, here on the portable
//! `ruint` words) against `k256` (what every other target uses), on the same signatures, with
//! the same-run ratio. Both must recover the same keys (checked before timing).

use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use std::hint::black_box;
use std::time::Instant;
use zkos_core::crypto::secp256k1::recovery::recover_public_key;
use zkos_core::primitives::{keccak256, B256};

/// Signatures in the set.
const SIGNATURES: u64 = 200;
/// Passes over the set per implementation.
const ROUNDS: u32 = 5;

/// One signed prehash: `(prehash, r, s, y_parity)`.
type Signed = (B256, B256, B256, bool);

fn signatures() -> Vec<Signed> {
    (1..=SIGNATURES)
        .map(|i| {
            let key = SigningKey::from_slice(keccak256(i.to_be_bytes().as_slice()).as_slice())
                .expect("key");
            let prehash = keccak256(i.to_le_bytes().as_slice());
            let (signature, id) = key.sign_prehash_recoverable(prehash.as_slice());
            let bytes = signature.to_bytes();
            (
                prehash,
                B256::from_slice(&bytes[..32]),
                B256::from_slice(&bytes[32..]),
                id.is_y_odd(),
            )
        })
        .collect()
}

fn with_k256(&(prehash, r, s, y_parity): &Signed) -> Option<[u8; 64]> {
    let signature = Signature::from_scalars(r.0, s.0).ok()?;
    let id = RecoveryId::new(y_parity, false);
    let key = VerifyingKey::recover_from_prehash(prehash.as_slice(), &signature, id).ok()?;
    key.to_sec1_point(false).as_bytes()[1..].try_into().ok()
}

fn with_bigint(&(prehash, r, s, y_parity): &Signed) -> Option<[u8; 64]> {
    recover_public_key(&prehash, &r, &s, y_parity)
}

/// Best-of-rounds microseconds per recovery.
fn time(set: &[Signed], recover: fn(&Signed) -> Option<[u8; 64]>) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for signed in set {
                black_box(recover(black_box(signed)));
            }
            started.elapsed().as_secs_f64() * 1e6 / set.len() as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let set = signatures();
    for signed in &set {
        assert_eq!(with_bigint(signed), with_k256(signed));
        assert!(with_k256(signed).is_some());
    }
    let k256_us = time(&set, with_k256);
    let bigint_us = time(&set, with_bigint);
    println!("| recovery | µs per recovery |");
    println!("|---|---:|");
    println!("| k256 | {k256_us:.1} |");
    println!("| bigint API on ruint words | {bigint_us:.1} |");
    println!("bigint / k256 = {:.2}", bigint_us / k256_us);
}
