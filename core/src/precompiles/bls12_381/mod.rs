//! BLS12-381 precompiles (EIP-2537, Prague): G1ADD (0x0b), G1MSM (0x0c), G2ADD (0x0d),
//! G2MSM (0x0e), PAIRING_CHECK (0x0f), MAP_FP_TO_G1 (0x10), MAP_FP2_TO_G2 (0x11).
//!
//! Every malformed input fails, consuming all gas. A wrong input length fails before the gas
//! check and costs no native (as in upstream ZKsync OS
//! `basic_system/src/system_functions/bls12_381/`); any other malformation is found after the
//! native was charged. Additions check that points are on the curve; MSMs and the pairing also
//! check the subgroup.

mod msm_discount;

use super::outcome::{charge_gas, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN};
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::resources::precompile_native::PrecompileNativeCosts;

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

/// The call's result once gas and native are charged: the backend's arithmetic on `input`.
fn finish(
    curves: &dyn CurveBackend,
    op: CurveOp,
    input: &[u8],
    gas_used: u64,
    native_used: u64,
) -> Result<PrecompileOutput, PrecompileFailure> {
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output: curve_output(curves, op, input, native_used)?,
    })
}

/// Input `a ‖ b` (two G1 points, 256 bytes). Returns `a + b`.
pub(super) fn g1_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == 2 * G1_LEN, G1_ADD_GAS, gas_limit)?;
    let native_used = costs.bls12_g1_add_native;
    finish(curves, CurveOp::Bls12G1Add, input, G1_ADD_GAS, native_used)
}

/// Input `a ‖ b` (two G2 points, 512 bytes). Returns `a + b`.
pub(super) fn g2_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == 2 * G2_LEN, G2_ADD_GAS, gas_limit)?;
    let native_used = costs.bls12_g2_add_native;
    finish(curves, CurveOp::Bls12G2Add, input, G2_ADD_GAS, native_used)
}

/// Input: `k >= 1` pairs `point ‖ scalar` (G1, 160 bytes each). Returns `Σ scalar * point`.
pub(super) fn g1_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let msm = Msm {
        op: CurveOp::Bls12G1Msm,
        point_len: G1_LEN,
        gas_per_pair: G1_MUL_GAS,
        native_per_pair: costs.bls12_g1_msm_per_pair_native,
        discounts: &msm_discount::G1_DISCOUNTS,
    };
    msm.call(input, gas_limit, curves)
}

/// Input: `k >= 1` pairs `point ‖ scalar` (G2, 288 bytes each). Returns `Σ scalar * point`.
pub(super) fn g2_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let msm = Msm {
        op: CurveOp::Bls12G2Msm,
        point_len: G2_LEN,
        gas_per_pair: G2_MUL_GAS,
        native_per_pair: costs.bls12_g2_msm_per_pair_native,
        discounts: &msm_discount::G2_DISCOUNTS,
    };
    msm.call(input, gas_limit, curves)
}

/// An MSM precompile: its operation, point size, prices per pair before the discount, and the
/// discount table.
struct Msm {
    op: CurveOp,
    point_len: usize,
    gas_per_pair: u64,
    native_per_pair: u64,
    discounts: &'static [u16; 128],
}

impl Msm {
    /// Checks the length, charges the discounted gas and native, then runs the MSM.
    fn call(
        &self,
        input: &[u8],
        gas_limit: u64,
        curves: &dyn CurveBackend,
    ) -> Result<PrecompileOutput, PrecompileFailure> {
        let pair_len = self.point_len + SCALAR_LEN;
        let pairs = (input.len() / pair_len) as u64;
        let gas_used = msm_discount::discounted_cost(pairs, self.gas_per_pair, self.discounts);
        admit(
            pairs > 0 && input.len().is_multiple_of(pair_len),
            gas_used,
            gas_limit,
        )?;
        let native_used =
            msm_discount::discounted_cost(pairs, self.native_per_pair, self.discounts);
        finish(curves, self.op, input, gas_used, native_used)
    }
}

/// Input: `k >= 1` pairs `g1 ‖ g2` (384 bytes each). Returns the 32-byte word 1 if the
/// product of the pairings is the identity, else 0.
pub(super) fn pairing_check(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
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
    finish(
        curves,
        CurveOp::Bls12PairingCheck,
        input,
        gas_used,
        native_used,
    )
}

/// Input: one Fp element (64 bytes). Returns its G1 image (EIP-2537 field-to-curve map).
pub(super) fn map_fp_to_g1(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == FP_LEN, MAP_FP_TO_G1_GAS, gas_limit)?;
    let native_used = costs.bls12_map_fp_to_g1_native;
    finish(
        curves,
        CurveOp::Bls12MapFpToG1,
        input,
        MAP_FP_TO_G1_GAS,
        native_used,
    )
}

/// Input: one Fp2 element (128 bytes). Returns its G2 image (EIP-2537 field-to-curve map).
pub(super) fn map_fp2_to_g2(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    admit(input.len() == FP2_LEN, MAP_FP2_TO_G2_GAS, gas_limit)?;
    let native_used = costs.bls12_map_fp2_to_g2_native;
    finish(
        curves,
        CurveOp::Bls12MapFp2ToG2,
        input,
        MAP_FP2_TO_G2_GAS,
        native_used,
    )
}
