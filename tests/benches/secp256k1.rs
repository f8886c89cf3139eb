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

/// With `ZKOS_BENCH_ONE=together[/<passes>]` in the environment, recovers the set together
/// `passes` times (default 1) in [`one_batch`], prints the median µs per recovery and returns
/// `true`: a run (after one recovery that builds the generator tables) to count under an instruction counter (`valgrind --tool=callgrind
/// --toggle-collect='*one_batch*'`) or to time alone, without the other implementations.
fn run_one_if_asked(set: &[Signed]) -> bool {
    let Ok(asked) = std::env::var("ZKOS_BENCH_ONE") else {
        return false;
    };
    let (name, passes) = asked.split_once('/').unwrap_or((&asked, "1"));
    if let Some(op) = name.strip_prefix("field-") {
        field_chain(op, passes.parse().expect("a count"));
        return true;
    }
    assert_eq!(name, "together", "ZKOS_BENCH_ONE is together[/<passes>]");
    let passes: usize = passes
        .parse()
        .expect("ZKOS_BENCH_ONE's passes are a number");
    // The generator tables are built at the first recovery, outside the passes.
    black_box(with_fe64_together(&set[..1]));
    let samples = (0..passes).map(|_| one_batch(set)).collect();
    println!(
        "together: {:.2} µs per recovery (median of {passes})",
        median(samples)
    );
    true
}

/// `count` dependent field operations `op` (mul, square, add, sub), in ns each.
#[inline(never)]
fn field_chain(op: &str, count: usize) {
    use zkos_core::crypto::secp256k1::field::CurveField;
    use zkos_core::primitives::U256;
    let mut x = Fe64::from_u256(&U256::from_be_bytes(keccak256(b"x").0));
    let y = Fe64::from_u256(&U256::from_be_bytes(keccak256(b"y").0));
    let started = thread_cpu_time();
    for _ in 0..count {
        match op {
            "mul" => x.mul_assign(black_box(&y)),
            "square" => x.square_assign(),
            "add" => x.add_assign(black_box(&y)),
            "sub" => x.sub_assign(black_box(&y), 1),
            other => panic!("no field operation {other}"),
        }
    }
    let ns = (thread_cpu_time() - started).as_secs_f64() * 1e9 / count as f64;
    println!("{op}: {ns:.2} ns ({:?})", black_box(x).to_u256().bit(0));
}

/// One pass of the set recovered together, in µs per recovery.
#[inline(never)]
fn one_batch(set: &[Signed]) -> f64 {
    pass(set, &Recover::Together(with_fe64_together))
}

fn main() {
    let set = signatures();
    if run_one_if_asked(&set) {
        return;
    }
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
