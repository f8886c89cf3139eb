//! Time per secp256k1 public-key recovery on the same signatures, in the thread's CPU time,
//! rounds alternating between the implementations, medians and same-run ratios: zkos's
//! recovery in 64-bit limbs (`Fe64`, what 64-bit hosts run), in 26-bit limbs (`Fe26`, what
//! wasm32 runs; here on 64-bit words), over the Montgomery field the RISC-V guest delegates
//! (`Montgomery`, here on the portable `ruint` words), and `k256` (the test oracle); and the
//! 64-bit limbs' batch, the whole set recovered together as a block's senders are (two
//! inversions for all). All must recover the same keys (checked first).

#[path = "block/clock.rs"]
mod clock;

use clock::thread_cpu_time;
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};
use std::hint::black_box;
use zkos_core::crypto::secp256k1::field_10x26::Fe26;
use zkos_core::crypto::secp256k1::field_4x64::Fe64;
use zkos_core::crypto::secp256k1::montgomery_element::Montgomery;
use zkos_core::crypto::secp256k1::recovery::{recover_public_key, recover_public_keys};
use zkos_core::primitives::{keccak256, B256};

/// Signatures in the set.
const SIGNATURES: u64 = 200;
/// Passes over the set per implementation (alternating).
const ROUNDS: usize = 15;

/// One signed prehash: `(prehash, r, s, y_parity)`.
type Signed = (B256, B256, B256, bool);

/// A recovery under test: one signature at a time, or the whole set together (as a block's
/// senders are recovered).
enum Recover {
    Each(fn(&Signed) -> Option<[u8; 64]>),
    Together(fn(&[Signed]) -> Vec<Option<[u8; 64]>>),
}

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

fn with_fe64(&(prehash, r, s, y_parity): &Signed) -> Option<[u8; 64]> {
    recover_public_key::<Fe64>(&prehash, &r, &s, y_parity)
}

fn with_fe64_together(set: &[Signed]) -> Vec<Option<[u8; 64]>> {
    recover_public_keys::<Fe64>(set)
}

fn with_fe26(&(prehash, r, s, y_parity): &Signed) -> Option<[u8; 64]> {
    recover_public_key::<Fe26>(&prehash, &r, &s, y_parity)
}

fn with_montgomery(&(prehash, r, s, y_parity): &Signed) -> Option<[u8; 64]> {
    recover_public_key::<Montgomery>(&prehash, &r, &s, y_parity)
}

/// Microseconds of thread CPU time per recovery in one pass over the set.
fn pass(set: &[Signed], recover: &Recover) -> f64 {
    let started = thread_cpu_time();
    match recover {
        Recover::Each(recover) => {
            for signed in set {
                black_box(recover(black_box(signed)));
            }
        }
        Recover::Together(recover) => {
            black_box(recover(black_box(set)));
        }
    }
    (thread_cpu_time() - started).as_secs_f64() * 1e6 / set.len() as f64
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let set = signatures();
    for signed in &set {
        let expected = with_k256(signed);
        assert!(expected.is_some());
        assert_eq!(with_fe64(signed), expected);
        assert_eq!(with_fe26(signed), expected);
        assert_eq!(with_montgomery(signed), expected);
    }
    let each: Vec<_> = set.iter().map(with_k256).collect();
    assert_eq!(with_fe64_together(&set), each);
    let implementations: [(&str, Recover); 5] = [
        ("k256", Recover::Each(with_k256)),
        (
            "zkos, 64-bit limbs (64-bit hosts)",
            Recover::Each(with_fe64),
        ),
        (
            "zkos, 64-bit limbs, the set recovered together (a block's senders)",
            Recover::Together(with_fe64_together),
        ),
        (
            "zkos, 26-bit limbs (wasm32's, on 64-bit words)",
            Recover::Each(with_fe26),
        ),
        (
            "zkos, Montgomery (the guest's, on ruint words)",
            Recover::Each(with_montgomery),
        ),
    ];
    let mut samples = vec![Vec::new(); implementations.len()];
    for _ in 0..ROUNDS {
        for ((_, recover), samples) in implementations.iter().zip(&mut samples) {
            samples.push(pass(&set, recover));
        }
    }
    let medians: Vec<f64> = samples.into_iter().map(median).collect();
    println!("| recovery | µs per recovery (CPU, median) | / k256 |");
    println!("|---|---:|---:|");
    for ((name, _), us) in implementations.iter().zip(&medians) {
        println!("| {name} | {us:.1} | {:.2} |", us / medians[0]);
    }
}
