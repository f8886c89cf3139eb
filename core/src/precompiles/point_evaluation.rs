//! KZG point evaluation (0x0a, EIP-4844): checks that the blob committed to by `commitment`
//! evaluates to `y` at `z`. Length, gas, native and the versioned hash here; the proof check
//! (a pairing) in `crypto::curves::kzg`.

use super::outcome::{charge_gas, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::sizes::G1_COMPRESSED_LEN;
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::hash::sha256;
use crate::primitives::hex;
use crate::resources::precompile_native::PrecompileNativeCosts;

/// Point evaluation gas, per call.
const POINT_EVALUATION_GAS: u64 = 50_000;
/// Exact input length: versioned hash ‖ z ‖ y ‖ commitment ‖ proof.
const INPUT_LEN: usize = 192;
/// Bytes of the versioned hash that starts the input.
const VERSIONED_HASH_LEN: usize = 32;
/// First byte of a KZG versioned hash.
const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;

/// The success output: FIELD_ELEMENTS_PER_BLOB (4096) and BLS_MODULUS as 32-byte words.
const SUCCESS_OUTPUT: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000001000"
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
);

/// Input `versioned_hash ‖ z ‖ y ‖ commitment ‖ proof` (exactly 192 bytes).
pub(super) fn run(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    if input.len() != INPUT_LEN {
        return Err(PrecompileFailure::invalid_input(0));
    }
    charge_gas(POINT_EVALUATION_GAS, gas_limit)?;
    let native_used = costs.point_evaluation_native;
    let (versioned_hash, opening) = input.split_at(VERSIONED_HASH_LEN);
    let commitment = &opening[64..64 + G1_COMPRESSED_LEN];
    let mut expected_hash = sha256(commitment);
    expected_hash[0] = VERSIONED_HASH_VERSION_KZG;
    if versioned_hash != expected_hash {
        return Err(PrecompileFailure::invalid_input(native_used));
    }
    curve_output(curves, CurveOp::KzgProof, opening, native_used)?;
    Ok(PrecompileOutput {
        gas_used: POINT_EVALUATION_GAS,
        native_used,
        output: SUCCESS_OUTPUT.to_vec(),
    })
}

#[cfg(test)]
#[cfg(feature = "curves")]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use super::*;
    use crate::config::Hardfork;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;
    use sha2::{Digest, Sha256};

    fn call(input: &[u8], gas_limit: u64) -> Result<PrecompileOutput, PrecompileFailure> {
        run(
            Precompile::PointEvaluation,
            input,
            gas_limit,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
    }

    /// geth core/vm/testdata/precompiles/pointEvaluation.json, "pointEvaluation1" (the upstream
    /// file; an older copy holds a vector made with a pre-ceremony test setup).
    const VECTOR: [u8; 192] = hex!(
        "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b"
        "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306"
        "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1"
        "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7"
        "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a"
    );

    /// The same blob opened at z = BLS_MODULUS - 1 (a vector used by several EVM test suites).
    const VECTOR_MAX_Z: [u8; 192] = hex!(
        "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b"
        "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000"
        "1522a4a7f34e1ea350ae07c29c96c7e79655aa926122e95fe69fcbd932ca49e9"
        "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7"
        "a62ad71d14c5719385c0686f1871430475bf3a00f0aa3f7b8dd99a9abc2160744faf0070725e00b60ad9a026a15b1a8c"
    );

    #[test]
    fn second_vector_at_max_z() {
        assert_eq!(call(&VECTOR_MAX_Z, 50_000).unwrap().output, SUCCESS_OUTPUT);
    }

    #[test]
    fn geth_vector() {
        let out = call(&VECTOR, 50_000).unwrap();
        assert_eq!(out.output, SUCCESS_OUTPUT);
        assert_eq!((out.gas_used, out.native_used), (50_000, 63_100_000));
    }

    #[test]
    fn wrong_y_fails_after_charging() {
        let mut input = VECTOR;
        input[95] ^= 1;
        let err = call(&input, 50_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 63_100_000);
    }

    #[test]
    fn versioned_hash_mismatch() {
        let mut input = VECTOR;
        input[0] = 0x02;
        let err = call(&input, 50_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
    }

    #[test]
    fn z_not_below_modulus() {
        let mut input = VECTOR;
        input[32..64].copy_from_slice(&SUCCESS_OUTPUT[32..]);
        let err = call(&input, 50_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
    }

    #[test]
    fn bad_length_and_gas() {
        let err = call(&VECTOR[..191], u64::MAX).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 0);
        let err = call(&VECTOR, 49_999).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
    }

    #[test]
    fn point_at_infinity_proof_of_constant_zero_polynomial() {
        // The zero polynomial: commitment = proof = infinity, y = 0 at any z.
        let mut infinity = [0u8; 48];
        infinity[0] = 0xc0;
        let mut input = [0u8; 192];
        let mut hash: [u8; 32] = Sha256::digest(infinity).into();
        hash[0] = 0x01;
        input[..32].copy_from_slice(&hash);
        input[32..64].copy_from_slice(&[0x11; 32]);
        input[96..144].copy_from_slice(&infinity);
        input[144..].copy_from_slice(&infinity);
        assert_eq!(call(&input, 50_000).unwrap().output, SUCCESS_OUTPUT);
        // y = 1 does not hold.
        input[95] = 1;
        assert!(call(&input, 50_000).is_err());
        // Infinity with the sign bit set is not a valid encoding.
        input[95] = 0;
        input[144] = 0xe0;
        assert!(call(&input, 50_000).is_err());
    }
}
