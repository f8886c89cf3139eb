//! EIP-2537 encodings: a base-field element is 64 big-endian bytes whose top 16 are zero and
//! whose value is below p; an Fp2 element is `c0 ‖ c1`; a point is `x ‖ y`, and all zeros is
//! the point at infinity; a scalar is 32 big-endian bytes of any value.

use crate::crypto::curves::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN};
use alloc::vec::Vec;
use ark_bls12_381::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, PrimeField};

/// Leading bytes of an encoded base-field element that must be zero.
const FP_PADDING_LEN: usize = 16;

/// Whether a decoded point must also lie in the prime-order subgroup.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Subgroup {
    /// On-curve check only (G1ADD, G2ADD).
    Unchecked,
    /// On-curve and subgroup checks (MSM, pairing).
    Checked,
}

/// A base-field element from 64 bytes; `None` if the padding is not zero or the value is not
/// below p.
pub(super) fn decode_fp(bytes: &[u8]) -> Option<Fq> {
    let (padding, value) = bytes.split_at(FP_PADDING_LEN);
    if padding.iter().any(|&b| b != 0) {
        return None;
    }
    let mut limbs = [0u64; 6];
    for (limb, chunk) in limbs.iter_mut().rev().zip(value.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    Fq::from_bigint(BigInt::new(limbs))
}

/// An Fp2 element from 128 bytes `c0 ‖ c1`.
pub(super) fn decode_fp2(bytes: &[u8]) -> Option<Fq2> {
    let (c0, c1) = bytes.split_at(FP_LEN);
    Some(Fq2::new(decode_fp(c0)?, decode_fp(c1)?))
}

/// A G1 point from 128 bytes.
pub(super) fn decode_g1(bytes: &[u8], subgroup: Subgroup) -> Option<G1Affine> {
    let (x, y) = bytes.split_at(FP_LEN);
    decode_point(bytes, decode_fp(x), decode_fp(y), subgroup)
}

/// A G2 point from 256 bytes.
pub(super) fn decode_g2(bytes: &[u8], subgroup: Subgroup) -> Option<G2Affine> {
    let (x, y) = bytes.split_at(FP2_LEN);
    decode_point(bytes, decode_fp2(x), decode_fp2(y), subgroup)
}

/// The point with coordinates `x`, `y` (all-zero `bytes` is infinity), checked to be on the
/// curve and, if asked, in the subgroup.
fn decode_point<P: SWCurveConfig>(
    bytes: &[u8],
    x: Option<P::BaseField>,
    y: Option<P::BaseField>,
    subgroup: Subgroup,
) -> Option<Affine<P>> {
    if bytes.iter().all(|&b| b == 0) {
        return Some(Affine::identity());
    }
    let point = Affine::new_unchecked(x?, y?);
    let valid = point.is_on_curve()
        && (subgroup == Subgroup::Unchecked || point.is_in_correct_subgroup_assuming_on_curve());
    valid.then_some(point)
}

/// A scalar from 32 big-endian bytes, reduced modulo the group order (every point it
/// multiplies has passed the subgroup check, so the product is unchanged).
pub(super) fn decode_scalar(bytes: &[u8]) -> Fr {
    Fr::from_be_bytes_mod_order(bytes)
}

/// Appends the 64-byte encoding of `value`.
fn encode_fp(value: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&[0u8; FP_PADDING_LEN]);
    for limb in value.into_bigint().0.iter().rev() {
        out.extend_from_slice(&limb.to_be_bytes());
    }
}

/// The 128-byte encoding of a G1 point.
pub(super) fn encode_g1(point: &G1Affine) -> Vec<u8> {
    let mut out = Vec::with_capacity(G1_LEN);
    match point.xy() {
        Some((x, y)) => {
            encode_fp(&x, &mut out);
            encode_fp(&y, &mut out);
        }
        None => out.resize(G1_LEN, 0),
    }
    out
}

/// The 256-byte encoding of a G2 point.
pub(super) fn encode_g2(point: &G2Affine) -> Vec<u8> {
    let mut out = Vec::with_capacity(G2_LEN);
    match point.xy() {
        Some((x, y)) => {
            for coordinate in [x.c0, x.c1, y.c0, y.c1] {
                encode_fp(&coordinate, &mut out);
            }
        }
        None => out.resize(G2_LEN, 0),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::hex;

    /// p, the base-field modulus, in its 64-byte encoding.
    const P: [u8; 64] = hex!(
        "00000000000000000000000000000000"
        "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
    );

    #[test]
    fn field_elements_must_be_below_p() {
        assert_eq!(decode_fp(&P), None);
        let mut p_minus_one = P;
        p_minus_one[63] -= 1;
        assert_eq!(decode_fp(&p_minus_one), Some(-Fq::from(1u8)));
    }

    #[test]
    fn padding_must_be_zero() {
        let mut one = [0u8; 64];
        one[63] = 1;
        assert_eq!(decode_fp(&one), Some(Fq::from(1u8)));
        one[15] = 1;
        assert_eq!(decode_fp(&one), None);
    }

    #[test]
    fn generators_round_trip() {
        let g1 = G1Affine::generator();
        let encoded = encode_g1(&g1);
        assert_eq!(decode_g1(&encoded, Subgroup::Checked), Some(g1));
        let g2 = G2Affine::generator();
        let encoded = encode_g2(&g2);
        assert_eq!(decode_g2(&encoded, Subgroup::Checked), Some(g2));
    }

    #[test]
    fn infinity_is_all_zeros() {
        assert_eq!(encode_g1(&G1Affine::identity()), [0u8; G1_LEN]);
        assert_eq!(encode_g2(&G2Affine::identity()), [0u8; G2_LEN]);
        assert_eq!(
            decode_g1(&[0u8; G1_LEN], Subgroup::Checked),
            Some(G1Affine::identity())
        );
        // (0, 2) is on y^2 = x^3 + 4: a zero x alone is not infinity.
        let mut zero_two = [0u8; G1_LEN];
        zero_two[127] = 2;
        assert!(decode_g1(&zero_two, Subgroup::Unchecked).is_some());
    }
}
