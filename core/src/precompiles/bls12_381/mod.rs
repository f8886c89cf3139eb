//! BLS12-381 precompiles (EIP-2537, Prague): G1ADD (0x0b), G1MSM (0x0c), G2ADD (0x0d),
//! G2MSM (0x0e), PAIRING_CHECK (0x0f), MAP_FP_TO_G1 (0x10), MAP_FP2_TO_G2 (0x11).
//!
//! Every malformed input fails, consuming all gas. A wrong input length fails before the gas
//! check and costs no native (as in upstream ZKsync OS
//! `basic_system/src/system_functions/bls12_381/`); any other malformation is found after the
//! native was charged. Additions check that points are on the curve; MSMs and the pairing also
//! check the subgroup.

mod encoding;
mod map_to_curve;
mod msm;

use super::{charge_gas, PrecompileFailure, PrecompileNativeCosts, PrecompileOutput};
use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::CurveGroup;
use ark_ff::Zero;
use encoding::{
    decode_fp, decode_fp2, decode_g1, decode_g2, decode_scalar, encode_g1, encode_g2, Subgroup,
    FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN,
};

/// G1ADD gas.
const G1_ADD_GAS: u64 = 375;
/// G2ADD gas.
const G2_ADD_GAS: u64 = 600;
/// G1 multiplication gas: the G1MSM gas per pair before the discount.
const G1_MUL_GAS: u64 = 12_000;
/// G2 multiplication gas: the G2MSM gas per pair before the discount.
const G2_MUL_GAS: u64 = 22_500;
/// PAIRING_CHECK gas per call.
const PAIRING_BASE_GAS: u64 = 37_700;
/// PAIRING_CHECK gas per (G1, G2) pair.
const PAIRING_PER_PAIR_GAS: u64 = 32_600;
/// MAP_FP_TO_G1 gas.
const MAP_FP_TO_G1_GAS: u64 = 5_500;
/// MAP_FP2_TO_G2 gas.
const MAP_FP2_TO_G2_GAS: u64 = 23_800;
/// Bytes of one (G1, G2) pair of the pairing input.
const PAIRING_PAIR_LEN: usize = G1_LEN + G2_LEN;

/// Fails with `InvalidInput` (no native) unless the length is right, then checks the gas.
fn admit(length_ok: bool, gas_cost: u64, gas_limit: u64) -> Result<(), PrecompileFailure> {
    if !length_ok {
        return Err(PrecompileFailure::invalid_input(0));
    }
    charge_gas(gas_cost, gas_limit)
}

/// The call's result once gas and native are charged: `None` output means malformed input.
fn finish(
    gas_used: u64,
    native_used: u64,
    output: Option<Vec<u8>>,
) -> Result<PrecompileOutput, PrecompileFailure> {
    match output {
        Some(output) => Ok(PrecompileOutput {
            gas_used,
            native_used,
            output,
        }),
        None => Err(PrecompileFailure::invalid_input(native_used)),
    }
}

/// Input `a ‖ b` (two G1 points, 256 bytes). Returns `a + b`.
pub(super) fn g1_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == 2 * G1_LEN, G1_ADD_GAS, gas_limit)?;
    let (a, b) = input.split_at(G1_LEN);
    let sum = decode_g1(a, Subgroup::Unchecked)
        .zip(decode_g1(b, Subgroup::Unchecked))
        .map(|(a, b)| encode_g1(&(a + b).into_affine()));
    finish(G1_ADD_GAS, costs.bls12_g1_add_native, sum)
}

/// Input `a ‖ b` (two G2 points, 512 bytes). Returns `a + b`.
pub(super) fn g2_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == 2 * G2_LEN, G2_ADD_GAS, gas_limit)?;
    let (a, b) = input.split_at(G2_LEN);
    let sum = decode_g2(a, Subgroup::Unchecked)
        .zip(decode_g2(b, Subgroup::Unchecked))
        .map(|(a, b)| encode_g2(&(a + b).into_affine()));
    finish(G2_ADD_GAS, costs.bls12_g2_add_native, sum)
}

/// Input: `k >= 1` pairs `point ‖ scalar` (G1, 160 bytes each). Returns `Σ scalar * point`.
pub(super) fn g1_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let prices = MsmPrices {
        gas_per_pair: G1_MUL_GAS,
        native_per_pair: costs.bls12_g1_msm_per_pair_native,
        discounts: &msm::G1_DISCOUNTS,
    };
    msm_call::<G1Projective>(input, gas_limit, &prices, G1_LEN, decode_g1, encode_g1)
}

/// Input: `k >= 1` pairs `point ‖ scalar` (G2, 288 bytes each). Returns `Σ scalar * point`.
pub(super) fn g2_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let prices = MsmPrices {
        gas_per_pair: G2_MUL_GAS,
        native_per_pair: costs.bls12_g2_msm_per_pair_native,
        discounts: &msm::G2_DISCOUNTS,
    };
    msm_call::<G2Projective>(input, gas_limit, &prices, G2_LEN, decode_g2, encode_g2)
}

/// What an MSM costs per pair before the discount, and the discount table.
struct MsmPrices {
    gas_per_pair: u64,
    native_per_pair: u64,
    discounts: &'static [u16; 128],
}

/// An MSM call over the group `G`, whose points take `point_len` bytes.
fn msm_call<G: CurveGroup<ScalarField = ark_bls12_381::Fr>>(
    input: &[u8],
    gas_limit: u64,
    prices: &MsmPrices,
    point_len: usize,
    decode: fn(&[u8], Subgroup) -> Option<G::Affine>,
    encode: fn(&G::Affine) -> Vec<u8>,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pair_len = point_len + SCALAR_LEN;
    let pairs = input.len() / pair_len;
    let gas_used = msm::discounted_cost(pairs as u64, prices.gas_per_pair, prices.discounts);
    admit(
        pairs > 0 && input.len().is_multiple_of(pair_len),
        gas_used,
        gas_limit,
    )?;
    let native_used = msm::discounted_cost(pairs as u64, prices.native_per_pair, prices.discounts);
    let mut bases = Vec::with_capacity(pairs);
    let mut scalars = Vec::with_capacity(pairs);
    for pair in input.chunks_exact(pair_len) {
        let (point, scalar) = pair.split_at(point_len);
        let Some(point) = decode(point, Subgroup::Checked) else {
            return Err(PrecompileFailure::invalid_input(native_used));
        };
        bases.push(point);
        scalars.push(decode_scalar(scalar));
    }
    let result = msm::msm::<G>(&bases, &scalars).into_affine();
    finish(gas_used, native_used, Some(encode(&result)))
}

/// Input: `k >= 1` pairs `g1 ‖ g2` (384 bytes each). Returns the 32-byte word 1 if the
/// product of the pairings is the identity, else 0.
pub(super) fn pairing_check(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = (input.len() / PAIRING_PAIR_LEN) as u64;
    let gas_used = PAIRING_BASE_GAS.saturating_add(PAIRING_PER_PAIR_GAS.saturating_mul(pairs));
    admit(
        pairs > 0 && input.len().is_multiple_of(PAIRING_PAIR_LEN),
        gas_used,
        gas_limit,
    )?;
    let native_used = costs
        .bls12_pairing_base_native
        .saturating_add(costs.bls12_pairing_per_pair_native.saturating_mul(pairs));
    let mut g1s: Vec<G1Affine> = Vec::with_capacity(pairs as usize);
    let mut g2s: Vec<G2Affine> = Vec::with_capacity(pairs as usize);
    for pair in input.chunks_exact(PAIRING_PAIR_LEN) {
        let (g1, g2) = pair.split_at(G1_LEN);
        let decoded = decode_g1(g1, Subgroup::Checked).zip(decode_g2(g2, Subgroup::Checked));
        let Some((g1, g2)) = decoded else {
            return Err(PrecompileFailure::invalid_input(native_used));
        };
        g1s.push(g1);
        g2s.push(g2);
    }
    let mut word = alloc::vec![0u8; 32];
    word[31] = u8::from(Bls12_381::multi_pairing(g1s, g2s).is_zero());
    finish(gas_used, native_used, Some(word))
}

/// Input: one Fp element (64 bytes). Returns its G1 image (EIP-2537 field-to-curve map).
pub(super) fn map_fp_to_g1(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == FP_LEN, MAP_FP_TO_G1_GAS, gas_limit)?;
    let point = decode_fp(input).map(|u| encode_g1(&map_to_curve::map_fp_to_g1(u)));
    finish(MAP_FP_TO_G1_GAS, costs.bls12_map_fp_to_g1_native, point)
}

/// Input: one Fp2 element (128 bytes). Returns its G2 image (EIP-2537 field-to-curve map).
pub(super) fn map_fp2_to_g2(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == FP2_LEN, MAP_FP2_TO_G2_GAS, gas_limit)?;
    let point = decode_fp2(input).map(|u| encode_g2(&map_to_curve::map_fp2_to_g2(u)));
    finish(MAP_FP2_TO_G2_GAS, costs.bls12_map_fp2_to_g2_native, point)
}
