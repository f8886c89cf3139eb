//! The re-instantiated curve against `ark_bn254`: field operations on random elements, and
//! the pairing check on valid, failing and malformed inputs.

use super::super::bn254::pairing;
use super::*;
use alloc::vec::Vec;
use ark_bn254::{G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInteger, PrimeField};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn bytes(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_exact_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            chunk.copy_from_slice(&self.0.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
        }
        out
    }

    fn fq(&mut self) -> ark_bn254::Fq {
        ark_bn254::Fq::from_le_bytes_mod_order(&self.bytes())
    }

    fn fr(&mut self) -> ark_bn254::Fr {
        ark_bn254::Fr::from_le_bytes_mod_order(&self.bytes())
    }
}

#[test]
fn field_operations_match_ark_bn254() {
    let mut rng = Rng(0xabcd);
    for _ in 0..2000 {
        let (a, b) = (rng.fq(), rng.fq());
        let (da, db) = (fq(a), fq(b));
        assert_eq!((da * db).0, (a * b).0);
        assert_eq!(da.square().0, a.square().0);
        assert_eq!((da + db).0, (a + b).0);
        assert_eq!((da - db).0, (a - b).0);
        assert_eq!(da.double().0, a.double().0);
        assert_eq!((-da).0, (-a).0);
        assert_eq!(da.inverse().map(|x| x.0), a.inverse().map(|x| x.0));
        assert_eq!(da.into_bigint(), a.into_bigint());
    }
    assert_eq!(Fq::ZERO.inverse(), None);
    assert_eq!((-Fq::ZERO).0, Fq::ZERO.0);
}

fn be(x: ark_bn254::Fq) -> Vec<u8> {
    x.into_bigint().to_bytes_be()
}

fn encode_g1(p: G1Projective) -> Vec<u8> {
    let p = p.into_affine();
    if p.is_zero() {
        return alloc::vec![0; 64];
    }
    [be(p.x), be(p.y)].concat()
}

fn encode_g2(q: G2Projective) -> Vec<u8> {
    let q = q.into_affine();
    if q.is_zero() {
        return alloc::vec![0; 128];
    }
    [be(q.x.c1), be(q.x.c0), be(q.y.c1), be(q.y.c0)].concat()
}

/// Both curves' answers for `input`, asserted equal, and returned.
fn both(input: &[u8]) -> Option<Vec<u8>> {
    let ours = pairing::<Config>(input);
    assert_eq!(ours, pairing::<ark_bn254::Config>(input));
    ours
}

#[test]
fn pairing_matches_ark_bn254() {
    let mut rng = Rng(0x1234);
    let (g1, g2) = (G1Projective::generator(), G2Projective::generator());
    assert_eq!(both(&[]).unwrap()[31], 1);
    for round in 0..6 {
        let (a, b) = (rng.fr(), rng.fr());
        // e(a·G1, b·G2) · e(−ab·G1, G2) = 1.
        let holds = [
            encode_g1(g1 * a),
            encode_g2(g2 * b),
            encode_g1(-(g1 * (a * b))),
            encode_g2(g2),
        ]
        .concat();
        assert_eq!(both(&holds).unwrap()[31], 1);
        // One factor changed: the product is not 1.
        let mut fails = holds.clone();
        fails[192..256].copy_from_slice(&encode_g1(g1 * (a * b)));
        assert_eq!(both(&fails).unwrap()[31], 0);
        // Infinity on either side contributes 1.
        let with_infinity = [holds.as_slice(), &[0u8; 64], &encode_g2(g2 * a)].concat();
        assert_eq!(both(&with_infinity).unwrap()[31], 1);
        // Malformed: a coordinate flipped (off the curve or out of range), in G1 or in G2.
        let mut bad = holds.clone();
        bad[(round * 37) % 384] ^= 1 << (round % 8);
        assert_eq!(both(&bad), None);
    }
    // A G2 point on the twist but outside the subgroup.
    let outside = (1u64..)
        .find_map(|k| {
            ark_bn254::G2Affine::get_point_from_x_unchecked(
                ark_bn254::Fq2::new(ark_bn254::Fq::from(k), ark_bn254::Fq::from(0u64)),
                false,
            )
        })
        .unwrap();
    assert!(!outside.is_in_correct_subgroup_assuming_on_curve());
    let input = [encode_g1(g1), encode_g2(outside.into())].concat();
    assert_eq!(both(&input), None);
    assert_eq!(both(&[0u8; 191]), None);
}
