//! The arithmetic of the BLS12-381 precompiles (EIP-2537): decode, operate, encode. Lengths,
//! gas and native are the precompiles' (`precompiles::bls12_381`); a wrong length here is
//! malformed input all the same. Additions check that points are on the curve; MSMs and the
//! pairing also check the subgroup.

mod encoding;
mod map_to_curve;
mod msm;

use super::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN};
use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::CurveGroup;
use ark_ff::Zero;
use encoding::{
    decode_fp, decode_fp2, decode_g1, decode_g2, decode_scalar, encode_g1, encode_g2, Subgroup,
};

/// `a + b` of two G1 points (`a ‖ b`, 256 bytes).
pub(super) fn g1_add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != 2 * G1_LEN {
        return None;
    }
    let (a, b) = input.split_at(G1_LEN);
    let a = decode_g1(a, Subgroup::Unchecked)?;
    let b = decode_g1(b, Subgroup::Unchecked)?;
    Some(encode_g1(&(a + b).into_affine()))
}

/// `a + b` of two G2 points (`a ‖ b`, 512 bytes).
pub(super) fn g2_add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != 2 * G2_LEN {
        return None;
    }
    let (a, b) = input.split_at(G2_LEN);
    let a = decode_g2(a, Subgroup::Unchecked)?;
    let b = decode_g2(b, Subgroup::Unchecked)?;
    Some(encode_g2(&(a + b).into_affine()))
}

/// `Σ scalar * point` of `k >= 1` G1 pairs `point ‖ scalar` (160 bytes each).
pub(super) fn g1_msm(input: &[u8]) -> Option<Vec<u8>> {
    msm_of::<G1Projective>(input, G1_LEN, decode_g1, encode_g1)
}

/// `Σ scalar * point` of `k >= 1` G2 pairs `point ‖ scalar` (288 bytes each).
pub(super) fn g2_msm(input: &[u8]) -> Option<Vec<u8>> {
    msm_of::<G2Projective>(input, G2_LEN, decode_g2, encode_g2)
}

/// An MSM over the group `G`, whose points take `point_len` bytes.
fn msm_of<G: CurveGroup<ScalarField = Fr>>(
    input: &[u8],
    point_len: usize,
    decode: fn(&[u8], Subgroup) -> Option<G::Affine>,
    encode: fn(&G::Affine) -> Vec<u8>,
) -> Option<Vec<u8>> {
    let pair_len = point_len + SCALAR_LEN;
    if input.is_empty() || !input.len().is_multiple_of(pair_len) {
        return None;
    }
    let pairs = input.len() / pair_len;
    let mut bases = Vec::with_capacity(pairs);
    let mut scalars = Vec::with_capacity(pairs);
    for pair in input.chunks_exact(pair_len) {
        let (point, scalar) = pair.split_at(point_len);
        bases.push(decode(point, Subgroup::Checked)?);
        scalars.push(decode_scalar(scalar));
    }
    Some(encode(&msm::msm::<G>(&bases, &scalars).into_affine()))
}

/// The 32-byte word 1 if the product of the pairings of `k >= 1` pairs `g1 ‖ g2` (384 bytes
/// each) is the identity, else 0.
pub(super) fn pairing_check(input: &[u8]) -> Option<Vec<u8>> {
    let pair_len = G1_LEN + G2_LEN;
    if input.is_empty() || !input.len().is_multiple_of(pair_len) {
        return None;
    }
    let pairs = input.len() / pair_len;
    let mut g1s: Vec<G1Affine> = Vec::with_capacity(pairs);
    let mut g2s: Vec<G2Affine> = Vec::with_capacity(pairs);
    for pair in input.chunks_exact(pair_len) {
        let (g1, g2) = pair.split_at(G1_LEN);
        g1s.push(decode_g1(g1, Subgroup::Checked)?);
        g2s.push(decode_g2(g2, Subgroup::Checked)?);
    }
    let mut word = alloc::vec![0u8; 32];
    word[31] = u8::from(Bls12_381::multi_pairing(g1s, g2s).is_zero());
    Some(word)
}

/// The G1 image of one Fp element (64 bytes).
pub(super) fn map_fp_to_g1(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != FP_LEN {
        return None;
    }
    let u = decode_fp(input)?;
    Some(encode_g1(&map_to_curve::map_fp_to_g1(u)))
}

/// The G2 image of one Fp2 element (128 bytes).
pub(super) fn map_fp2_to_g2(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != FP2_LEN {
        return None;
    }
    let u = decode_fp2(input)?;
    Some(encode_g2(&map_to_curve::map_fp2_to_g2(u)))
}
