//! BLS12-381 precompiles (EIP-2537, Prague; the final text, `EIPS/eip-2537.md`): G1ADD 0x0b,
//! G1MSM 0x0c, G2ADD 0x0d, G2MSM 0x0e, PAIRING_CHECK 0x0f, MAP_FP_TO_G1 0x10, MAP_FP2_TO_G2 0x11.
//! Gas is charged and the native of that gas reported before the arithmetic, which runs on the
//! curve backend (`crypto::curves`). Any malformed input (length, encoding, a point off its curve
//! or, for the MSMs and the pairing, outside the subgroup) fails the call.

mod gas;

use super::outcome::{charge_gas, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::sizes::{FP2_LEN, FP_LEN, G1_LEN, G2_LEN, SCALAR_LEN};
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::resources::precompile_native::PrecompileNativeCosts;
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

    /// Fails the call as malformed unless `length_ok`, else runs `op` on `input` on `curves`.
    fn run(
        &self,
        length_ok: bool,
        curves: &dyn CurveBackend,
        op: CurveOp,
        input: &[u8],
    ) -> Result<PrecompileOutput, PrecompileFailure> {
        if !length_ok {
            return Err(PrecompileFailure::invalid_input(self.native));
        }
        Ok(PrecompileOutput {
            gas_used: self.gas,
            native_used: self.native,
            output: curve_output(curves, op, input, self.native)?,
        })
    }
}

/// Whether `input` is whole `pair_len`-byte pairs, at least one.
fn whole_pairs(input: &[u8], pair_len: usize) -> bool {
    !input.is_empty() && input.len().is_multiple_of(pair_len)
}

/// 0x0b: the sum of two G1 points (no subgroup check).
pub(super) fn g1_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::G1_ADD_GAS, gas_limit, costs)?;
    call.run(
        input.len() == 2 * G1_LEN,
        curves,
        CurveOp::Bls12G1Add,
        input,
    )
}

/// 0x0d: the sum of two G2 points (no subgroup check).
pub(super) fn g2_add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::G2_ADD_GAS, gas_limit, costs)?;
    call.run(
        input.len() == 2 * G2_LEN,
        curves,
        CurveOp::Bls12G2Add,
        input,
    )
}

/// 0x0c: Σ scalar_i × point_i over G1 points in the subgroup.
pub(super) fn g1_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / G1_MSM_PAIR_LEN;
    let call = Charged::new(msm_gas(Group::G1, pairs), gas_limit, costs)?;
    let length_ok = whole_pairs(input, G1_MSM_PAIR_LEN);
    call.run(length_ok, curves, CurveOp::Bls12G1Msm, input)
}

/// 0x0e: Σ scalar_i × point_i over G2 points in the subgroup.
pub(super) fn g2_msm(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / G2_MSM_PAIR_LEN;
    let call = Charged::new(msm_gas(Group::G2, pairs), gas_limit, costs)?;
    let length_ok = whole_pairs(input, G2_MSM_PAIR_LEN);
    call.run(length_ok, curves, CurveOp::Bls12G2Msm, input)
}

/// 0x0f: whether Π e(P_i, Q_i) = 1, as a 32-byte word 0 or 1 (pairs with infinity add 1).
pub(super) fn pairing_check(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = input.len() / PAIRING_PAIR_LEN;
    let call = Charged::new(pairing_gas(pairs), gas_limit, costs)?;
    let length_ok = whole_pairs(input, PAIRING_PAIR_LEN);
    call.run(length_ok, curves, CurveOp::Bls12PairingCheck, input)
}

/// 0x10: the G1 point of an Fp element (RFC 9380 simplified SWU on the 11-isogenous curve, the
/// isogeny, then cofactor clearing).
pub(super) fn map_fp_to_g1(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::MAP_FP_TO_G1_GAS, gas_limit, costs)?;
    call.run(
        input.len() == FP_LEN,
        curves,
        CurveOp::Bls12MapFpToG1,
        input,
    )
}

/// 0x11: the G2 point of an Fp2 element (as [`map_fp_to_g1`], on the 3-isogenous curve).
pub(super) fn map_fp2_to_g2(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let call = Charged::new(gas::MAP_FP2_TO_G2_GAS, gas_limit, costs)?;
    call.run(
        input.len() == FP2_LEN,
        curves,
        CurveOp::Bls12MapFp2ToG2,
        input,
    )
}
