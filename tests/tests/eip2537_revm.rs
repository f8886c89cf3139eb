//! The BLS12-381 precompiles against revm's (revm-precompile 43) on random inputs: subgroup
//! points, infinity, points on the curve outside the subgroup, points off the curve, field
//! elements not below p, non-zero padding, wrong lengths, scalars of every size, MSMs of 1 to 40
//! pairs, pairings of 1 to 4 pairs (some of which hold), and gas limits one below the price.
//! Both must fail together, or succeed with the same output and gas.

use revm::precompile::bls12_381::g1_add::g1_add;
use revm::precompile::bls12_381::g1_msm::g1_msm;
use revm::precompile::bls12_381::g2_add::g2_add;
use revm::precompile::bls12_381::g2_msm::g2_msm;
use revm::precompile::bls12_381::map_fp2_to_g2::map_fp2_to_g2;
use revm::precompile::bls12_381::map_fp_to_g1::map_fp_to_g1;
use revm::precompile::bls12_381::pairing::pairing;
use revm::precompile::{EthPrecompileResult, PrecompileHalt};
use serde::Deserialize;
use std::path::PathBuf;
use zkos_core::config::Hardfork;
use zkos_core::precompiles::{run, Precompile};
use zkos_core::primitives::{hex, U256};
use zkos_core::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

/// Gas limit of the calls that are not meant to run out of gas.
const AMPLE_GAS: u64 = 100_000_000;
/// The base-field modulus p, big-endian.
const P: [u8; 48] = hex!(
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
);
/// The group order r.
const R: U256 = U256::from_be_bytes(hex!(
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
));

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Points taken from the EIP's failure vectors, as the tests of the EIP generated them.
struct Fixtures {
    g1_outside_subgroup: Vec<u8>,
    g2_outside_subgroup: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Failure {
    name: String,
    input: String,
}

fn first_point_of(file: &str, name: &str, len: usize) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/eip-2537")
        .join(file);
    let vectors: Vec<Failure> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vector = vectors.iter().find(|v| v.name == name).unwrap();
    hex::decode(&vector.input).unwrap()[..len].to_vec()
}

fn fixtures() -> Fixtures {
    Fixtures {
        g1_outside_subgroup: first_point_of(
            "fail-msm_G1_bls.json",
            "bls_g1msm_g1_not_in_correct_subgroup",
            128,
        ),
        g2_outside_subgroup: first_point_of(
            "fail-msm_G2_bls.json",
            "bls_pairing_g2_not_in_correct_subgroup",
            256,
        ),
    }
}

/// A random field element below p in its 64-byte encoding.
fn fp(rng: &mut Rng) -> Vec<u8> {
    let mut out = vec![0u8; 16];
    let mut value = rng.bytes(48);
    value[0] %= 0x1a;
    out.extend(value);
    out
}

/// A random subgroup point of G1 (`g2 == false`) or G2, made by revm's map.
fn subgroup_point(rng: &mut Rng, g2: bool) -> Vec<u8> {
    let result = if g2 {
        map_fp2_to_g2(&[fp(rng), fp(rng)].concat(), AMPLE_GAS)
    } else {
        map_fp_to_g1(&fp(rng), AMPLE_GAS)
    };
    result.unwrap().bytes.to_vec()
}

/// A point encoding: usually a subgroup point, otherwise infinity, a point outside the
/// subgroup, or a corrupted encoding (flipped value bit, non-zero padding, coordinate = p).
fn point(rng: &mut Rng, g2: bool, fixtures: &Fixtures) -> Vec<u8> {
    let mut point = subgroup_point(rng, g2);
    let coordinate = 64 * rng.below(point.len() as u64 / 64) as usize;
    match rng.below(12) {
        0 => point.fill(0),
        1 if g2 => point = fixtures.g2_outside_subgroup.clone(),
        1 => point = fixtures.g1_outside_subgroup.clone(),
        2 => point[coordinate + 16 + rng.below(48) as usize] ^= 1 << rng.below(8),
        3 => point[coordinate + rng.below(16) as usize] = 1 + rng.below(255) as u8,
        4 => point[coordinate + 16..coordinate + 64].copy_from_slice(&P),
        _ => {}
    }
    point
}

/// A 32-byte scalar: 0, 1, r - 1, r, 2^256 - 1 or random.
fn scalar(rng: &mut Rng) -> Vec<u8> {
    let value = match rng.below(10) {
        0 => U256::ZERO,
        1 => U256::from(1),
        2 => R - U256::from(1),
        3 => R,
        4 => U256::MAX,
        5 => U256::from(rng.below(1 << 20)),
        _ => U256::from_be_slice(&rng.bytes(32)),
    };
    value.to_be_bytes::<32>().to_vec()
}

/// Sometimes drops or adds a byte.
fn maybe_bad_length(rng: &mut Rng, mut input: Vec<u8>) -> Vec<u8> {
    match rng.below(25) {
        0 => {
            input.pop();
        }
        1 => input.push(0),
        2 => input.clear(),
        _ => {}
    }
    input
}

/// Runs `input` on both and compares; a success is also run one gas unit short.
fn compare(
    precompile: Precompile,
    revm: fn(&[u8], u64) -> EthPrecompileResult,
    input: &[u8],
) -> bool {
    let ours = run(
        precompile,
        input,
        AMPLE_GAS,
        Hardfork::Prague,
        &PRECOMPILE_NATIVE_COSTS_V1,
    );
    let theirs = revm(input, AMPLE_GAS);
    let context = || format!("{precompile:?} input {}", hex::encode(input));
    match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours.output, theirs.bytes.to_vec(), "{}", context());
            assert_eq!(ours.gas_used, theirs.gas_used, "{}", context());
            let short = run(
                precompile,
                input,
                ours.gas_used - 1,
                Hardfork::Prague,
                &PRECOMPILE_NATIVE_COSTS_V1,
            );
            assert!(short.is_err(), "{}", context());
            assert_eq!(
                revm(input, ours.gas_used - 1).unwrap_err(),
                PrecompileHalt::OutOfGas,
                "{}",
                context()
            );
            true
        }
        (Err(_), Err(_)) => false,
        _ => panic!("{}: zkos {ours:?}, revm {theirs:?}", context()),
    }
}

/// Runs `cases` inputs from `make`; checks that both successes and failures occurred.
fn differential(
    precompile: Precompile,
    revm: fn(&[u8], u64) -> EthPrecompileResult,
    cases: u64,
    make: impl Fn(&mut Rng) -> Vec<u8>,
) {
    let mut rng = Rng(0x2537_0000 + precompile as u64);
    let mut successes = 0;
    for _ in 0..cases {
        let input = make(&mut rng);
        successes += u64::from(compare(precompile, revm, &input));
    }
    assert!(
        successes > cases / 5 && successes < cases,
        "{precompile:?}: {successes} of {cases} succeeded"
    );
}

#[test]
fn g1_add_matches_revm() {
    let fixtures = fixtures();
    differential(Precompile::Bls12G1Add, g1_add, 400, |rng| {
        let a = point(rng, false, &fixtures);
        let b = if rng.below(8) == 0 {
            a.clone()
        } else {
            point(rng, false, &fixtures)
        };
        maybe_bad_length(rng, [a, b].concat())
    });
}

#[test]
fn g2_add_matches_revm() {
    let fixtures = fixtures();
    differential(Precompile::Bls12G2Add, g2_add, 300, |rng| {
        let a = point(rng, true, &fixtures);
        let b = if rng.below(8) == 0 {
            a.clone()
        } else {
            point(rng, true, &fixtures)
        };
        maybe_bad_length(rng, [a, b].concat())
    });
}

/// `k` pairs of mostly valid points (a corruption makes the whole call fail), k in 1..=40.
fn msm_input(rng: &mut Rng, g2: bool, fixtures: &Fixtures) -> Vec<u8> {
    let pairs = [1, 1, 2, 3, 5, 8, 40][rng.below(7) as usize] + rng.below(3) as usize;
    let corrupt = rng.below(3) == 0;
    let mut input = Vec::new();
    for _ in 0..pairs {
        let point = if corrupt {
            point(rng, g2, fixtures)
        } else if rng.below(10) == 0 {
            vec![0u8; if g2 { 256 } else { 128 }]
        } else {
            subgroup_point(rng, g2)
        };
        input.extend(point);
        input.extend(scalar(rng));
    }
    maybe_bad_length(rng, input)
}

#[test]
fn g1_msm_matches_revm() {
    let fixtures = fixtures();
    differential(Precompile::Bls12G1Msm, g1_msm, 200, |rng| {
        msm_input(rng, false, &fixtures)
    });
}

#[test]
fn g2_msm_matches_revm() {
    let fixtures = fixtures();
    differential(Precompile::Bls12G2Msm, g2_msm, 120, |rng| {
        msm_input(rng, true, &fixtures)
    });
}

#[test]
fn pairing_matches_revm() {
    let fixtures = fixtures();
    let mut holds = 0;
    let mut rng = Rng(7);
    for _ in 0..40 {
        // (a*P, Q) and ((r - a)*P, Q): the product of the pairings is e(P, Q)^r = 1.
        let p = subgroup_point(&mut rng, false);
        let q = subgroup_point(&mut rng, true);
        let a = U256::from_be_slice(&rng.bytes(32)) % R;
        let times = |k: U256| {
            let input = [p.clone(), k.to_be_bytes::<32>().to_vec()].concat();
            g1_msm(&input, AMPLE_GAS).unwrap().bytes.to_vec()
        };
        let mut input = [times(a), q.clone(), times(R - a), q].concat();
        if rng.below(3) == 0 {
            let at = rng.below(input.len() as u64) as usize;
            input[at] ^= 1 << rng.below(8);
        }
        let ours = run(
            Precompile::Bls12PairingCheck,
            &input,
            AMPLE_GAS,
            Hardfork::Prague,
            &PRECOMPILE_NATIVE_COSTS_V1,
        );
        if ours.as_ref().is_ok_and(|out| out.output[31] == 1) {
            holds += 1;
        }
        compare(Precompile::Bls12PairingCheck, pairing, &input);
    }
    assert!(holds > 10, "only {holds} pairings held");
    differential(Precompile::Bls12PairingCheck, pairing, 60, |rng| {
        let pairs = 1 + rng.below(4);
        let mut pick = |g2: bool| {
            if rng.below(4) == 0 {
                point(rng, g2, &fixtures)
            } else {
                subgroup_point(rng, g2)
            }
        };
        let input = (0..pairs)
            .flat_map(|_| [pick(false), pick(true)].concat())
            .collect();
        maybe_bad_length(rng, input)
    });
}

#[test]
fn map_fp_to_g1_matches_revm() {
    differential(Precompile::Bls12MapFpToG1, map_fp_to_g1, 300, |rng| {
        let mut input = fp(rng);
        match rng.below(6) {
            0 => input[16..].copy_from_slice(&P),
            1 => input[rng.below(16) as usize] = 1,
            _ => {}
        }
        maybe_bad_length(rng, input)
    });
}

#[test]
fn map_fp2_to_g2_matches_revm() {
    differential(Precompile::Bls12MapFp2ToG2, map_fp2_to_g2, 200, |rng| {
        let mut input = [fp(rng), fp(rng)].concat();
        let at = 64 * rng.below(2) as usize;
        match rng.below(6) {
            0 => input[at + 16..at + 64].copy_from_slice(&P),
            1 => input[at + rng.below(16) as usize] = 1,
            _ => {}
        }
        maybe_bad_length(rng, input)
    });
}
