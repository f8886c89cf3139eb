//! KZG point evaluation (0x0a, EIP-4844): checks that the blob committed to by `commitment`
//! evaluates to `y` at `z`.

use super::outcome::{charge_gas, PrecompileFailure, PrecompileOutput};
use crate::primitives::hex;
use crate::resources::precompile_native::PrecompileNativeCosts;
use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, Fr, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, PrimeField, Zero};
use ark_serialize::CanonicalDeserialize;
use sha2::{Digest, Sha256};

/// Point evaluation gas, per call.
const POINT_EVALUATION_GAS: u64 = 50_000;
/// Exact input length: versioned hash ‖ z ‖ y ‖ commitment ‖ proof.
const INPUT_LEN: usize = 192;
/// First byte of a KZG versioned hash.
const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;

/// `[τ]G2` of the Ethereum KZG ceremony (g2_monomial[1] of the mainnet trusted setup),
/// compressed. Verification needs no other setup point.
const TAU_G2_COMPRESSED: [u8; 96] = hex!(
    "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d"
    "2914e5870cb452d2afaaab24f3499f72185cbfee53492714734429b7b38608e2"
    "3926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2"
);

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
) -> Result<PrecompileOutput, PrecompileFailure> {
    if input.len() != INPUT_LEN {
        return Err(PrecompileFailure::invalid_input(0));
    }
    charge_gas(POINT_EVALUATION_GAS, gas_limit)?;
    let native_used = costs.point_evaluation_native;
    let (versioned_hash, rest) = input.split_at(32);
    let (z, rest) = rest.split_at(32);
    let (y, rest) = rest.split_at(32);
    let (commitment, proof) = rest.split_at(48);
    let mut expected_hash: [u8; 32] = Sha256::digest(commitment).into();
    expected_hash[0] = VERSIONED_HASH_VERSION_KZG;
    if versioned_hash != expected_hash || !verify_kzg_proof(commitment, z, y, proof) {
        return Err(PrecompileFailure::invalid_input(native_used));
    }
    Ok(PrecompileOutput {
        gas_used: POINT_EVALUATION_GAS,
        native_used,
        output: SUCCESS_OUTPUT.to_vec(),
    })
}

/// A scalar from 32 big-endian bytes; `None` if not below BLS_MODULUS.
fn decode_scalar(bytes: &[u8]) -> Option<Fr> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    Fr::from_bigint(BigInt::new(limbs))
}

/// A G1 point from its 48-byte compressed encoding, checked to be in the subgroup. The
/// infinity encoding must be exactly `0xc0` followed by zeros.
fn decode_g1(bytes: &[u8]) -> Option<G1Affine> {
    let point = G1Affine::deserialize_compressed(bytes).ok()?;
    if point.is_zero() {
        let (first, rest) = bytes.split_first()?;
        if *first != 0xc0 || rest.iter().any(|&b| b != 0) {
            return None;
        }
    }
    Some(point)
}

/// Checks `e(commitment - [y]G1, G2) == e(proof, [τ]G2 - [z]G2)`; `false` on any malformed
/// field element or point.
fn verify_kzg_proof(commitment: &[u8], z: &[u8], y: &[u8], proof: &[u8]) -> bool {
    let (Some(z), Some(y), Some(commitment), Some(proof)) = (
        decode_scalar(z),
        decode_scalar(y),
        decode_g1(commitment),
        decode_g1(proof),
    ) else {
        return false;
    };
    // A compile-time constant from the ceremony; the subgroup check is skipped for it.
    let Ok(tau_g2) = G2Affine::deserialize_compressed_unchecked(TAU_G2_COMPRESSED.as_slice())
    else {
        return false;
    };
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    let commitment_minus_y = (commitment.into_group() - g1 * y).into_affine();
    let tau_minus_z = (tau_g2.into_group() - g2 * z).into_affine();
    let lhs: Vec<G1Affine> = alloc::vec![commitment_minus_y, proof];
    let rhs: Vec<G2Affine> = alloc::vec![-g2, tau_minus_z];
    Bls12_381::multi_pairing(lhs, rhs).is_zero()
}

#[cfg(test)]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use super::*;
    use crate::config::Hardfork;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

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
    fn encoding_matches_the_ceremony_generators() {
        // g1 and g2 generators as the trusted setup file encodes them (g2_monomial[0]).
        let g1 = hex!("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
        assert_eq!(decode_g1(&g1), Some(G1Affine::generator()));
        let g2 = hex!(
            "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
            "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        );
        let g2 = G2Affine::deserialize_compressed(g2.as_slice()).unwrap();
        assert_eq!(g2, G2Affine::generator());
    }

    #[test]
    fn second_vector_at_max_z() {
        assert_eq!(call(&VECTOR_MAX_Z, 50_000).unwrap().output, SUCCESS_OUTPUT);
    }

    #[test]
    fn tau_g2_is_a_valid_subgroup_point() {
        let point = G2Affine::deserialize_compressed(TAU_G2_COMPRESSED.as_slice()).unwrap();
        assert!(!point.is_zero());
        assert_ne!(point, G2Affine::generator());
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
