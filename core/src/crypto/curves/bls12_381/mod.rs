//! The arithmetic of the BLS12-381 precompiles (EIP-2537, the final text `EIPS/eip-2537.md`) on
//! the arkworks curve: decode, operate, encode. Lengths, gas and native are the precompiles'
//! (`precompiles::bls12_381`); a wrong length here is malformed input all the same. Any
//! malformed input (length, encoding, a point off its curve or, for the MSMs and the pairing,
//! outside the subgroup) is `None`.

mod encoding;

use super::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN};
use alloc::vec::Vec;
use ark_bls12_381::{g1, g2, Bls12_381, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::hashing::curve_maps::wb::WBMap;
use ark_ec::hashing::map_to_curve_hasher::MapToCurve;
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::One;
use encoding::{
    decode_fp, decode_fp2, decode_g1, decode_g2, decode_scalar, encode_g1, encode_g2, Subgroup,
};

/// Bytes of one G1 MSM pair (point ‖ scalar).
const G1_MSM_PAIR_LEN: usize = G1_LEN + SCALAR_LEN;
/// Bytes of one G2 MSM pair (point ‖ scalar).
const G2_MSM_PAIR_LEN: usize = G2_LEN + SCALAR_LEN;
/// Bytes of one pairing-check pair (G1 ‖ G2).
const PAIRING_PAIR_LEN: usize = G1_LEN + G2_LEN;

/// `a + b` of two G1 points `a ‖ b` (256 bytes; no subgroup check).
pub(super) fn g1_add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != 2 * G1_LEN {
        return None;
    }
    let (a, b) = input.split_at(G1_LEN);
    let a = decode_g1(a, Subgroup::Unchecked)?;
    let b = decode_g1(b, Subgroup::Unchecked)?;
    Some(encode_g1(&(a + b).into_affine()))
}

/// `a + b` of two G2 points `a ‖ b` (512 bytes; no subgroup check).
pub(super) fn g2_add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != 2 * G2_LEN {
        return None;
    }
    let (a, b) = input.split_at(G2_LEN);
    let a = decode_g2(a, Subgroup::Unchecked)?;
    let b = decode_g2(b, Subgroup::Unchecked)?;
    Some(encode_g2(&(a + b).into_affine()))
}

/// Splits an input of whole `pair_len`-byte pairs (at least one), or `None`.
fn whole_pairs(input: &[u8], pair_len: usize) -> Option<core::slice::ChunksExact<'_, u8>> {
    (!input.is_empty() && input.len().is_multiple_of(pair_len))
        .then(|| input.chunks_exact(pair_len))
}

/// Σ scalar_i × point_i of `k >= 1` G1 pairs `point ‖ scalar` (160 bytes each), the points in
/// the subgroup.
pub(super) fn g1_msm(input: &[u8]) -> Option<Vec<u8>> {
    let chunks = whole_pairs(input, G1_MSM_PAIR_LEN)?;
    let mut points = Vec::with_capacity(chunks.len());
    let mut scalars = Vec::with_capacity(chunks.len());
    for pair in chunks {
        let (point, scalar) = pair.split_at(G1_LEN);
        points.push(decode_g1(point, Subgroup::Checked)?);
        scalars.push(decode_scalar(scalar));
    }
    let sum = G1Projective::msm_unchecked(&points, &scalars);
    Some(encode_g1(&sum.into_affine()))
}

/// Σ scalar_i × point_i of `k >= 1` G2 pairs `point ‖ scalar` (288 bytes each), the points in
/// the subgroup.
pub(super) fn g2_msm(input: &[u8]) -> Option<Vec<u8>> {
    let chunks = whole_pairs(input, G2_MSM_PAIR_LEN)?;
    let mut points = Vec::with_capacity(chunks.len());
    let mut scalars = Vec::with_capacity(chunks.len());
    for pair in chunks {
        let (point, scalar) = pair.split_at(G2_LEN);
        points.push(decode_g2(point, Subgroup::Checked)?);
        scalars.push(decode_scalar(scalar));
    }
    let sum = G2Projective::msm_unchecked(&points, &scalars);
    Some(encode_g2(&sum.into_affine()))
}

/// Whether Π e(P_i, Q_i) = 1 over `k >= 1` pairs `g1 ‖ g2` (384 bytes each), as a 32-byte word
/// 0 or 1 (pairs with infinity add 1).
pub(super) fn pairing_check(input: &[u8]) -> Option<Vec<u8>> {
    let chunks = whole_pairs(input, PAIRING_PAIR_LEN)?;
    let mut g1s: Vec<G1Affine> = Vec::with_capacity(chunks.len());
    let mut g2s: Vec<G2Affine> = Vec::with_capacity(chunks.len());
    for pair in chunks {
        let (p, q) = pair.split_at(G1_LEN);
        g1s.push(decode_g1(p, Subgroup::Checked)?);
        g2s.push(decode_g2(q, Subgroup::Checked)?);
    }
    let holds = Bls12_381::multi_pairing(g1s, g2s).0.is_one();
    let mut word = alloc::vec![0u8; 32];
    word[31] = u8::from(holds);
    Some(word)
}

/// The G1 point of an Fp element (64 bytes): RFC 9380 simplified SWU on the 11-isogenous curve,
/// the isogeny, then cofactor clearing.
pub(super) fn map_fp_to_g1(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != FP_LEN {
        return None;
    }
    let mapped = WBMap::<g1::Config>::map_to_curve(decode_fp(input)?).ok()?;
    // The isogeny's exceptional inputs come out as (0, 0), off the curve: RFC 9380 maps them to
    // infinity.
    let mapped = if mapped.is_on_curve() {
        mapped.clear_cofactor()
    } else {
        G1Affine::zero()
    };
    Some(encode_g1(&mapped))
}

/// The G2 point of an Fp2 element (128 bytes; as [`map_fp_to_g1`], on the 3-isogenous curve).
pub(super) fn map_fp2_to_g2(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != FP2_LEN {
        return None;
    }
    let mapped = WBMap::<g2::Config>::map_to_curve(decode_fp2(input)?).ok()?;
    let mapped = if mapped.is_on_curve() {
        mapped.clear_cofactor()
    } else {
        G2Affine::zero()
    };
    Some(encode_g2(&mapped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::Fq;
    use ark_ff::PrimeField;
    use core::str::FromStr;

    /// Field elements whose SWU image lies in the kernel of the 11-isogeny, so they map to the
    /// G1 identity: the four `t` of ethereum/execution-spec-tests
    /// `tests/prague/eip2537_bls_12_381_precompiles/helpers.py`
    /// (`generate_g1_map_isogeny_kernel_points`, computed with Sage), and their negations.
    const G1_KERNEL_INPUTS: [&str; 4] = [
        "1731081574565817469321317449275278355306982786154072576198758675751495027640363897075486577327802192163339186341827",
        "861410691052762088300790587394810074303505896628048305535645284922135116676755956131724844456716837983264353875219",
        "1006044755431560595281793557931171729984964515682961911911398807521437683216171091013202870577238485832047490326971",
        "1562001338336877267717400325455189014780228097985596277514975439801739125527323838522116502949589758528550231396418",
    ];

    /// The 64-byte EIP-2537 encoding of `element`.
    fn encoded(element: Fq) -> [u8; FP_LEN] {
        let mut bytes = [0u8; FP_LEN];
        let limbs = element.into_bigint().0;
        for (chunk, limb) in bytes[16..].chunks_exact_mut(8).zip(limbs.iter().rev()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        bytes
    }

    #[test]
    fn isogeny_kernel_maps_to_infinity() {
        for t in G1_KERNEL_INPUTS {
            let t = Fq::from_str(t).expect("decimal");
            for u in [t, -t] {
                assert_eq!(map_fp_to_g1(&encoded(u)), Some(alloc::vec![0u8; G1_LEN]));
            }
        }
    }

    #[test]
    fn ordinary_inputs_land_in_the_subgroup() {
        for u in [0u64, 1, 2, 12_345] {
            let output = map_fp_to_g1(&encoded(Fq::from(u))).expect("a point");
            let point = decode_g1(&output, Subgroup::Checked).expect("in the subgroup");
            assert!(!point.is_zero());
        }
    }
}
