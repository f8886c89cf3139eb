//! BLS12-381 precompiles (EIP-2537, Prague; the final text, `EIPS/eip-2537.md`): G1ADD 0x0b,
//! G1MSM 0x0c, G2ADD 0x0d, G2MSM 0x0e, PAIRING_CHECK 0x0f, MAP_FP_TO_G1 0x10, MAP_FP2_TO_G2 0x11,
//! on the arkworks curve. Any malformed input (length, encoding, a point off its curve or, for the
//! MSMs and the pairing, outside the subgroup) fails the call.

mod encoding;
mod gas;

use super::outcome::{charge_gas, PrecompileFailure, PrecompileOutput};
use crate::resources::precompile_native::PrecompileNativeCosts;
use alloc::vec::Vec;
use ark_bls12_381::{g1, g2, Bls12_381, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::hashing::curve_maps::wb::WBMap;
use ark_ec::hashing::map_to_curve_hasher::MapToCurve;
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::One;
use encoding::{
    decode_fp, decode_fp2, decode_g1, decode_g2, decode_scalar, encode_g1, encode_g2, Subgroup,
    FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN,
};
use gas::{msm_gas, pairing_gas, Group};

/// Bytes of one G1 MSM pair (point ‖ scalar).
const G1_MSM_PAIR_LEN: usize = G1_LEN + SCALAR_LEN;
/// Bytes of one G2 MSM pair (point ‖ scalar).
const G2_MSM_PAIR_LEN: usize = G2_LEN + SCALAR_LEN;
/// Bytes of one pairing-check pair (G1 ‖ G2).
const PAIRING_PAIR_LEN: usize = G1_LEN + G2_LEN;

/// A checked call: the gas check passed, the native of `gas` is charged.
struct Charged {
    gas: u64,
    native: u64,
}

impl Charged {
    fn new(
        gas: u64,
        gas_limit: u64,
        costs: &PrecompileNativeCosts,
    ) -> Result<Self, PrecompileFailure> {
        charge_gas(gas, gas_limit)?;
        Ok(Self {
            gas,
            native: costs.bls12_381_native_per_gas.saturating_mul(gas),
        })
    }

    fn invalid(&self) -> PrecompileFailure {
        PrecompileFailure::invalid_input(self.native)
    }

    fn output(&self, output: Vec<u8>) -> Result<PrecompileOutput, PrecompileFailure> {
        Ok(PrecompileOutput {
            gas_used: self.gas,
            native_used: self.native,
            output,
        })
    }
}

/// 0x0b: the sum of two G1 points (no subgroup check).
pub(super) fn g1_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::G1_ADD_GAS, gas_limit, costs)?;
    if input.len() != 2 * G1_LEN {
        return Err(call.invalid());
    }
    let (a, b) = input.split_at(G1_LEN);
    let a = decode_g1(a, Subgroup::Unchecked).ok_or_else(|| call.invalid())?;
    let b = decode_g1(b, Subgroup::Unchecked).ok_or_else(|| call.invalid())?;
    call.output(encode_g1(&(a + b).into_affine()))
}

/// 0x0d: the sum of two G2 points (no subgroup check).
pub(super) fn g2_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::G2_ADD_GAS, gas_limit, costs)?;
    if input.len() != 2 * G2_LEN {
        return Err(call.invalid());
    }
    let (a, b) = input.split_at(G2_LEN);
    let a = decode_g2(a, Subgroup::Unchecked).ok_or_else(|| call.invalid())?;
    let b = decode_g2(b, Subgroup::Unchecked).ok_or_else(|| call.invalid())?;
    call.output(encode_g2(&(a + b).into_affine()))
}

/// Splits an input of whole `pair_len`-byte pairs (at least one), or `None`.
fn whole_pairs(input: &[u8], pair_len: usize) -> Option<core::slice::ChunksExact<'_, u8>> {
    (!input.is_empty() && input.len().is_multiple_of(pair_len))
        .then(|| input.chunks_exact(pair_len))
}

/// 0x0c: Σ scalar_i × point_i over G1 points in the subgroup.
pub(super) fn g1_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / G1_MSM_PAIR_LEN;
    let call = Charged::new(msm_gas(Group::G1, pairs), gas_limit, costs)?;
    let chunks = whole_pairs(input, G1_MSM_PAIR_LEN).ok_or_else(|| call.invalid())?;
    let mut points = Vec::with_capacity(pairs);
    let mut scalars = Vec::with_capacity(pairs);
    for pair in chunks {
        let (point, scalar) = pair.split_at(G1_LEN);
        points.push(decode_g1(point, Subgroup::Checked).ok_or_else(|| call.invalid())?);
        scalars.push(decode_scalar(scalar));
    }
    let sum = G1Projective::msm_unchecked(&points, &scalars);
    call.output(encode_g1(&sum.into_affine()))
}

/// 0x0e: Σ scalar_i × point_i over G2 points in the subgroup.
pub(super) fn g2_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / G2_MSM_PAIR_LEN;
    let call = Charged::new(msm_gas(Group::G2, pairs), gas_limit, costs)?;
    let chunks = whole_pairs(input, G2_MSM_PAIR_LEN).ok_or_else(|| call.invalid())?;
    let mut points = Vec::with_capacity(pairs);
    let mut scalars = Vec::with_capacity(pairs);
    for pair in chunks {
        let (point, scalar) = pair.split_at(G2_LEN);
        points.push(decode_g2(point, Subgroup::Checked).ok_or_else(|| call.invalid())?);
        scalars.push(decode_scalar(scalar));
    }
    let sum = G2Projective::msm_unchecked(&points, &scalars);
    call.output(encode_g2(&sum.into_affine()))
}

/// 0x0f: whether Π e(P_i, Q_i) = 1, as a 32-byte word 0 or 1 (pairs with infinity add 1).
pub(super) fn pairing_check(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / PAIRING_PAIR_LEN;
    let call = Charged::new(pairing_gas(pairs), gas_limit, costs)?;
    let chunks = whole_pairs(input, PAIRING_PAIR_LEN).ok_or_else(|| call.invalid())?;
    let mut g1s: Vec<G1Affine> = Vec::with_capacity(pairs);
    let mut g2s: Vec<G2Affine> = Vec::with_capacity(pairs);
    for pair in chunks {
        let (p, q) = pair.split_at(G1_LEN);
        g1s.push(decode_g1(p, Subgroup::Checked).ok_or_else(|| call.invalid())?);
        g2s.push(decode_g2(q, Subgroup::Checked).ok_or_else(|| call.invalid())?);
    }
    let holds = Bls12_381::multi_pairing(g1s, g2s).0.is_one();
    let mut word = [0u8; 32];
    word[31] = u8::from(holds);
    call.output(word.to_vec())
}

/// 0x10: the G1 point of an Fp element (RFC 9380 simplified SWU on the 11-isogenous curve, the
/// isogeny, then cofactor clearing).
pub(super) fn map_fp_to_g1(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::MAP_FP_TO_G1_GAS, gas_limit, costs)?;
    if input.len() != FP_LEN {
        return Err(call.invalid());
    }
    let element = decode_fp(input).ok_or_else(|| call.invalid())?;
    let mapped = WBMap::<g1::Config>::map_to_curve(element).map_err(|_| call.invalid())?;
    // The isogeny's exceptional inputs come out as (0, 0), off the curve: RFC 9380 maps them to
    // infinity.
    let mapped = if mapped.is_on_curve() {
        mapped.clear_cofactor()
    } else {
        G1Affine::zero()
    };
    call.output(encode_g1(&mapped))
}

/// 0x11: the G2 point of an Fp2 element (as [`map_fp_to_g1`], on the 3-isogenous curve).
pub(super) fn map_fp2_to_g2(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::MAP_FP2_TO_G2_GAS, gas_limit, costs)?;
    if input.len() != FP2_LEN {
        return Err(call.invalid());
    }
    let element = decode_fp2(input).ok_or_else(|| call.invalid())?;
    let mapped = WBMap::<g2::Config>::map_to_curve(element).map_err(|_| call.invalid())?;
    let mapped = if mapped.is_on_curve() {
        mapped.clear_cofactor()
    } else {
        G2Affine::zero()
    };
    call.output(encode_g2(&mapped))
}
