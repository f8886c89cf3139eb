//! EIP-2537 encodings: a base-field element in 64 big-endian bytes (the top 16 zero, the value
//! below p), an Fp2 element as `c0 ‖ c1`, a point as `x ‖ y` with all zeros for infinity, and a
//! scalar in 32 big-endian bytes (any value).

use crate::crypto::curves::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN};
use alloc::vec::Vec;
use ark_bls12_381::{Fq, Fq2, Fr, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, PrimeField, Zero};

/// Zero bytes in front of the 48 significant bytes of an Fp element.
const FP_PADDING: usize = 16;

/// Whether a decoded point must lie in the order-q subgroup (MSM and pairing check; not the
/// additions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Subgroup {
    /// Checked.
    Checked,
    /// Not checked (the point must still be on the curve).
    Unchecked,
}

/// An Fp element from exactly [`FP_LEN`] bytes; `None` unless the top 16 bytes are zero and the
/// value is below p.
pub(super) fn decode_fp(bytes: &[u8]) -> Option<Fq> {
    let (padding, value) = bytes.split_at_checked(FP_PADDING)?;
    if value.len() != FP_LEN - FP_PADDING || padding.iter().any(|&b| b != 0) {
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

/// An Fp2 element `c0 ‖ c1` from exactly [`FP2_LEN`] bytes.
pub(super) fn decode_fp2(bytes: &[u8]) -> Option<Fq2> {
    let (c0, c1) = bytes.split_at_checked(FP_LEN)?;
    Some(Fq2::new(decode_fp(c0)?, decode_fp(c1)?))
}

/// A G1 point from exactly [`G1_LEN`] bytes: on the curve (or all zeros, infinity), and in the
/// subgroup when `subgroup` asks.
pub(super) fn decode_g1(bytes: &[u8], subgroup: Subgroup) -> Option<G1Affine> {
    let (x, y) = bytes.split_at_checked(FP_LEN)?;
    let (x, y) = (decode_fp(x)?, decode_fp(y)?);
    if x.is_zero() && y.is_zero() {
        return Some(G1Affine::zero());
    }
    let point = G1Affine::new_unchecked(x, y);
    let valid = point.is_on_curve()
        && (subgroup == Subgroup::Unchecked || point.is_in_correct_subgroup_assuming_on_curve());
    valid.then_some(point)
}

/// A G2 point from exactly [`G2_LEN`] bytes (see [`decode_g1`]).
pub(super) fn decode_g2(bytes: &[u8], subgroup: Subgroup) -> Option<G2Affine> {
    let (x, y) = bytes.split_at_checked(FP2_LEN)?;
    let (x, y) = (decode_fp2(x)?, decode_fp2(y)?);
    if x.is_zero() && y.is_zero() {
        return Some(G2Affine::zero());
    }
    let point = G2Affine::new_unchecked(x, y);
    let valid = point.is_on_curve()
        && (subgroup == Subgroup::Unchecked || point.is_in_correct_subgroup_assuming_on_curve());
    valid.then_some(point)
}

/// A scalar from [`SCALAR_LEN`] big-endian bytes, reduced modulo the subgroup order q (the
/// points it multiplies are in the subgroup, so the product is the same).
pub(super) fn decode_scalar(bytes: &[u8]) -> Fr {
    Fr::from_be_bytes_mod_order(bytes)
}

/// Appends the 64-byte encoding of `element`.
fn encode_fp(element: &Fq, out: &mut Vec<u8>) {
    out.extend_from_slice(&[0u8; FP_PADDING]);
    for limb in element.into_bigint().0.iter().rev() {
        out.extend_from_slice(&limb.to_be_bytes());
    }
}

/// The 128-byte encoding of a G1 point (all zeros for infinity).
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

/// The 256-byte encoding of a G2 point (all zeros for infinity).
pub(super) fn encode_g2(point: &G2Affine) -> Vec<u8> {
    let mut out = Vec::with_capacity(G2_LEN);
    match point.xy() {
        Some((x, y)) => {
            for element in [x.c0, x.c1, y.c0, y.c1] {
                encode_fp(&element, &mut out);
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

    /// p, the base-field modulus, in 64 bytes (EIP-2537 "Curve parameters").
    const MODULUS: [u8; 64] = hex!(
        "000000000000000000000000000000001a0111ea397fe69a4b1ba7b6434bacd7"
        "64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab"
    );

    #[test]
    fn field_elements_must_be_below_p_with_zero_padding() {
        assert_eq!(decode_fp(&MODULUS), None);
        let mut below = MODULUS;
        below[63] -= 1;
        let element = decode_fp(&below).expect("p - 1");
        assert_eq!(element, -Fq::from(1u64));
        let mut out = Vec::new();
        encode_fp(&element, &mut out);
        assert_eq!(out, below);
        let mut padded = [0u8; 64];
        padded[0] = 1;
        assert_eq!(decode_fp(&padded), None);
        assert_eq!(decode_fp(&[0u8; 63]), None);
    }

    #[test]
    fn infinity_is_all_zeros_and_round_trips() {
        let zero = decode_g1(&[0u8; G1_LEN], Subgroup::Checked).expect("infinity");
        assert!(zero.is_zero());
        assert_eq!(encode_g1(&zero), [0u8; G1_LEN]);
        let zero = decode_g2(&[0u8; G2_LEN], Subgroup::Checked).expect("infinity");
        assert_eq!(encode_g2(&zero), [0u8; G2_LEN]);
        let generator = G1Affine::generator();
        assert_eq!(
            decode_g1(&encode_g1(&generator), Subgroup::Checked),
            Some(generator)
        );
        let generator = G2Affine::generator();
        assert_eq!(
            decode_g2(&encode_g2(&generator), Subgroup::Checked),
            Some(generator)
        );
        // (0, 2) is on y^2 = x^3 + 4: a zero x alone is not infinity.
        let mut zero_two = [0u8; G1_LEN];
        zero_two[G1_LEN - 1] = 2;
        let point = decode_g1(&zero_two, Subgroup::Unchecked).expect("on the curve");
        assert!(!point.is_zero());
    }
}
