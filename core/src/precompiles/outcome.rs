//! What a precompile call returns, the gas check every precompile makes first, and the answer
//! of a curve backend as a call result.

use crate::crypto::curves::{CurveBackend, CurveOp, CurvesNotLoaded};
use crate::resources::precompile_native::PrecompileNativeCosts;
use alloc::vec::Vec;

/// A successful precompile call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecompileOutput {
    /// Gas charged (at most the gas limit of the call).
    pub gas_used: u64,
    /// Native (proving) resource charged.
    pub native_used: u64,
    /// Return data.
    pub output: Vec<u8>,
}

/// A failed precompile call: all gas given to the call is consumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecompileFailure {
    /// Why the call failed.
    pub kind: PrecompileFailureKind,
    /// Native spent before the failure (0 when the gas check failed).
    pub native_used: u64,
}

/// Why a precompile call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrecompileFailureKind {
    /// The call's gas does not cover the precompile's gas cost.
    OutOfGas,
    /// The input is malformed (bad length, value out of range, point not on the curve, ...).
    InvalidInput,
    /// The curve backend refused: the call has no result in this build yet (see
    /// [`CurvesNotLoaded`]).
    CurvesNotLoaded,
}

impl PrecompileFailure {
    /// Failed gas check: nothing was computed, so no native is charged.
    pub(super) fn out_of_gas() -> Self {
        Self {
            kind: PrecompileFailureKind::OutOfGas,
            native_used: 0,
        }
    }

    /// Malformed input, detected after `native_used` was charged.
    pub(super) fn invalid_input(native_used: u64) -> Self {
        Self {
            kind: PrecompileFailureKind::InvalidInput,
            native_used,
        }
    }
}

/// Fails with `OutOfGas` (native 0) unless `gas_cost` fits in `gas_limit`.
pub(super) fn charge_gas(gas_cost: u64, gas_limit: u64) -> Result<(), PrecompileFailure> {
    if gas_cost > gas_limit {
        Err(PrecompileFailure::out_of_gas())
    } else {
        Ok(())
    }
}

/// [`charge_gas`] for a precompile that charges `native` together with the gas: a failed
/// check spends it when `costs` say so.
pub(super) fn charge_gas_and_native(
    gas_cost: u64,
    gas_limit: u64,
    native: u64,
    costs: &PrecompileNativeCosts,
) -> Result<(), PrecompileFailure> {
    charge_gas(gas_cost, gas_limit).map_err(|failure| PrecompileFailure {
        native_used: if costs.native_spent_out_of_gas {
            native
        } else {
            0
        },
        ..failure
    })
}

/// The output of `op` on `input` from `curves`, once gas and `native_used` are charged:
/// `InvalidInput` (with that native) when the input is malformed, `CurvesNotLoaded` when the
/// backend refused.
pub(super) fn curve_output(
    curves: &dyn CurveBackend,
    op: CurveOp,
    input: &[u8],
    native_used: u64,
) -> Result<Vec<u8>, PrecompileFailure> {
    match curves.run(op, input) {
        Ok(Some(output)) => Ok(output),
        Ok(None) => Err(PrecompileFailure::invalid_input(native_used)),
        Err(CurvesNotLoaded) => Err(PrecompileFailure {
            kind: PrecompileFailureKind::CurvesNotLoaded,
            native_used: 0,
        }),
    }
}
