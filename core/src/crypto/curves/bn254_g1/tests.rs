//! The delegation-ready G1 code against arkworks ([`super::super::bn254`], what every other
//! target runs) on random and edge inputs.

use super::super::bn254 as arkworks;
use super::*;
use crate::primitives::hex;
use crate::primitives::test_rng::TestRng;

/// The shared test stream, with this module's shapes of values.
struct Rng(TestRng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn word(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_exact_mut(8) {
            chunk.copy_from_slice(&self.next().to_be_bytes());
        }
        out
    }
}

/// The field modulus p, big-endian.
const P: [u8; 32] = hex!("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
/// The group order n, big-endian.
const N: [u8; 32] = hex!("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");
/// The generator (1, 2).
const GENERATOR: [u8; 64] = {
    let mut out = [0u8; 64];
    out[31] = 1;
    out[63] = 2;
    out
};

/// `p + k` (mod 2²⁵⁶) as a big-endian word.
fn plus(word: &[u8; 32], k: u64) -> [u8; 32] {
    U256::from_be_bytes(*word)
        .wrapping_add(U256::from(k))
        .to_be_bytes()
}

/// `k · G` by arkworks, encoded.
fn point(k: &[u8; 32]) -> Vec<u8> {
    arkworks::mul(&[GENERATOR.as_slice(), k].concat()).unwrap()
}

/// Encodings to combine: valid points (infinity, G, −G, random multiples), coordinates at or
/// above p, and points off the curve.
fn sample_points(rng: &mut Rng, random: usize) -> Vec<Vec<u8>> {
    let g = GENERATOR.to_vec();
    let minus_g = point(&U256::from_be_bytes(N).wrapping_sub(U256::ONE).to_be_bytes());
    let mut points = alloc::vec![[0u8; 64].to_vec(), g.clone(), minus_g];
    // x = p (out of range) with y = 2, and y = p + 2 (the generator's y, unreduced).
    points.push([P.as_slice(), &g[32..]].concat());
    points.push([&g[..32], plus(&P, 2).as_slice()].concat());
    // (1, 3) and (0, 1): off the curve; (0, p): out of range.
    points.push([&g[..32], plus(&[0; 32], 3).as_slice()].concat());
    points.push([[0u8; 32], plus(&[0; 32], 1)].concat());
    points.push([[0u8; 32], P].concat());
    for _ in 0..random {
        let p = point(&rng.word());
        if rng.next().is_multiple_of(8) {
            // Flip a bit of y: almost surely off the curve, sometimes out of range.
            let mut bad = p.clone();
            bad[63 - (rng.next() % 32) as usize] ^= 1 << (rng.next() % 8);
            points.push(bad);
        }
        points.push(p);
    }
    points
}

#[test]
fn field_constants_follow_from_p() {
    type U512 = ruint::Uint<512, 8>;
    let p = U256::from_be_bytes(P);
    assert_eq!(*FQ.modulus(), p);
    let r_mod_p = U512::from(1u8) << 256;
    let r_mod_p = r_mod_p % U512::from(p);
    assert_eq!(U512::from(FQ.one()), r_mod_p);
    assert_eq!(FQ.to_montgomery(&U256::ONE), FQ.one());
    assert_eq!(FQ.from_montgomery(&FQ.one()), U256::ONE);
    let two = FQ.to_montgomery(&U256::from(2u8));
    assert_eq!(FQ.mul(&two, &FQ.inverse(&two)), FQ.one());
}

#[test]
fn add_matches_arkworks() {
    let mut rng = Rng(TestRng::new(0x0123_4567_89ab_cdef));
    let points = sample_points(&mut rng, 60);
    let mut checked = 0;
    for a in &points {
        for b in &points {
            let input = [a.as_slice(), b].concat();
            assert_eq!(
                add(&input),
                arkworks::add(&input),
                "{}",
                hex::encode(&input)
            );
            checked += 1;
        }
    }
    // P + P and P + (−P) are among them (G, −G and each random point with itself).
    assert!(checked > 4000, "{checked}");
    assert_eq!(add(&[0u8; 127]), None);
}

#[test]
fn mul_matches_arkworks() {
    let mut rng = Rng(TestRng::new(0xfedc_ba98_7654_3210));
    let points = sample_points(&mut rng, 12);
    let n = U256::from_be_bytes(N);
    let mut scalars: Vec<[u8; 32]> = [0u64, 1, 2, 3, 15, 16, 17]
        .iter()
        .map(|&k| U256::from(k).to_be_bytes())
        .collect();
    for k in [n - U256::ONE, n, n + U256::ONE, n + n, U256::MAX] {
        scalars.push(k.to_be_bytes());
    }
    for _ in 0..20 {
        scalars.push(rng.word());
    }
    for p in &points {
        for k in &scalars {
            let input = [p.as_slice(), k].concat();
            assert_eq!(
                mul(&input),
                arkworks::mul(&input),
                "{}",
                hex::encode(&input)
            );
        }
    }
    assert_eq!(mul(&[0u8; 95]), None);
}
