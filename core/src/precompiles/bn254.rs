//! alt_bn128 (BN254) addition (0x06), scalar multiplication (0x07) and pairing check (0x08):
//! EIP-196 / EIP-197 with EIP-1108 gas: gas, native and padding here, the arithmetic (and the
//! encodings) in `crypto::curves::bn254`.

use super::input::read_padded;
use super::outcome::{charge_gas_and_native, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::sizes::{BN254_ADD_INPUT_LEN, BN254_MUL_INPUT_LEN, BN254_PAIR_LEN};
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::resources::precompile_native::PrecompileNativeCosts;

/// Addition gas (EIP-1108).
const ADD_GAS: u64 = 150;
/// Scalar multiplication gas (EIP-1108).
const MUL_GAS: u64 = 6_000;
/// Pairing check base gas (EIP-1108).
const PAIRING_BASE_GAS: u64 = 45_000;
/// Pairing check gas per (G1, G2) pair (EIP-1108).
const PAIRING_PER_PAIR_GAS: u64 = 34_000;

/// Input `p1 ‖ p2` (zero-padded to 128 bytes). Returns `p1 + p2`.
pub(super) fn add(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let native_used = costs.bn254_add_native;
    charge_gas_and_native(ADD_GAS, gas_limit, native_used, costs)?;
    let data = read_padded::<BN254_ADD_INPUT_LEN>(input, 0);
    Ok(PrecompileOutput {
        gas_used: ADD_GAS,
        native_used,
        output: curve_output(curves, CurveOp::Bn254Add, &data, native_used)?,
    })
}

/// Input `p ‖ k` (zero-padded to 96 bytes) with `k` any 256-bit number. Returns `k * p`.
pub(super) fn mul(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let native_used = costs.bn254_mul_native;
    charge_gas_and_native(MUL_GAS, gas_limit, native_used, costs)?;
    let data = read_padded::<BN254_MUL_INPUT_LEN>(input, 0);
    Ok(PrecompileOutput {
        gas_used: MUL_GAS,
        native_used,
        output: curve_output(curves, CurveOp::Bn254Mul, &data, native_used)?,
    })
}

/// Input: `k` pairs `g1 ‖ g2` (192 bytes each). Returns the 32-byte word 1 if the product of
/// the pairings is the identity, else 0.
pub(super) fn pairing(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let pairs = (input.len() / BN254_PAIR_LEN) as u64;
    let gas_used = PAIRING_BASE_GAS.saturating_add(PAIRING_PER_PAIR_GAS.saturating_mul(pairs));
    let native_used = costs
        .bn254_pairing_base_native
        .saturating_add(costs.bn254_pairing_per_pair_native.saturating_mul(pairs));
    charge_gas_and_native(gas_used, gas_limit, native_used, costs)?;
    if !input.len().is_multiple_of(BN254_PAIR_LEN) {
        return Err(PrecompileFailure::invalid_input(native_used));
    }
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output: curve_output(curves, CurveOp::Bn254Pairing, input, native_used)?,
    })
}

#[cfg(test)]
#[cfg(feature = "curves")]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;
    use alloc::vec::Vec;

    fn call(
        precompile: Precompile,
        input: &[u8],
        gas_limit: u64,
    ) -> Result<PrecompileOutput, PrecompileFailure> {
        run(
            precompile,
            input,
            gas_limit,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
    }

    // The field modulus p.
    const P: [u8; 32] = hex!("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");

    #[test]
    fn geth_add_vectors() {
        for (input, expected) in [
            // chfast1
            (
                hex!("18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f3726607c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7").to_vec(),
                hex!("2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915"),
            ),
            // cdetrio4: empty input is (inf + inf)
            (Vec::new(), [0u8; 64]),
            // cdetrio11: G + G
            (
                hex!("0000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002").to_vec(),
                hex!("030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4"),
            ),
            // cdetrio14: P + (-P) = infinity
            (
                hex!("17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8a9fe70baa9258e0b959273ffc5718c6d4cc7c17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa92e83f8d734803fc370eba25ed1f6b8768bd6d83887b87165fc2434fe11a830cb").to_vec(),
                [0u8; 64],
            ),
        ] {
            let out = call(Precompile::Bn254Add, &input, 150).unwrap();
            assert_eq!(out.output, expected);
            assert_eq!((out.gas_used, out.native_used), (150, 52_600));
        }
    }

    #[test]
    fn geth_mul_vectors() {
        for (input, expected) in [
            // chfast1
            (
                hex!("2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300909ce2e49dfad4a4619c8390cae66cefdb20400000000000000000000000000000000000000000000000011138ce750fa15c2").to_vec(),
                hex!("070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd5b0f01943074bf4f0f315690ec3cec6981afc"),
            ),
            // cdetrio1: scalar 2^256 - 1 (above the group order)
            (
                hex!("1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff").to_vec(),
                hex!("2cde5879ba6f13c0b5aa4ef627f159a3347df9722efce88a9afbb20b763b4c411aa7e43076f6aee272755a7f9b84832e71559ba0d2e0b17d5f9f01755e5b0d11"),
            ),
            // cdetrio4: scalar 9
            (
                hex!("1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f60000000000000000000000000000000000000000000000000000000000000009").to_vec(),
                hex!("1dbad7d39dbc56379f78fac1bca147dc8e66de1b9d183c7b167351bfe0aeab742cd757d51289cd8dbd0acf9e673ad67d0f0a89f912af47ed1be53664f5692575"),
            ),
        ] {
            let out = call(Precompile::Bn254Mul, &input, 6_000).unwrap();
            assert_eq!(out.output, expected);
            assert_eq!((out.gas_used, out.native_used), (6_000, 764_000));
        }
    }

    /// geth bn256Pairing.json "jeff1": one valid 2-pair product (expected 1).
    const JEFF1: [u8; 384] = hex!(
        "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf704bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550"
        "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
    );

    fn word(value: u8) -> [u8; 32] {
        let mut out = [0u8; 32];
        out[31] = value;
        out
    }

    #[test]
    fn geth_pairing_vectors() {
        let out = call(Precompile::Bn254Pairing, &JEFF1, 113_000).unwrap();
        assert_eq!(out.output, word(1));
        // 45000 + 2 * 34000 = 113000 gas; 15M + 2 * 15M = 45M native.
        assert_eq!((out.gas_used, out.native_used), (113_000, 45_000_000));

        // jeff6: same as jeff1 with the second G1 point negated: product is not 1.
        let mut jeff6 = JEFF1;
        jeff6[224..256].copy_from_slice(&hex!(
            "103188585e2364128fe25c70558f1560f4f9350baf3959e603cc91486e110936"
        ));
        let out = call(Precompile::Bn254Pairing, &jeff6, 113_000).unwrap();
        assert_eq!(out.output, word(0));

        // empty_data: the empty product is 1; 45000 gas, 15M native.
        let out = call(Precompile::Bn254Pairing, &[], 45_000).unwrap();
        assert_eq!(out.output, word(1));
        assert_eq!((out.gas_used, out.native_used), (45_000, 15_000_000));

        // one_point: e(G1, G2) != 1; 45000 + 34000 = 79000 gas.
        let one_point = hex!("00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
        let out = call(Precompile::Bn254Pairing, &one_point, 79_000).unwrap();
        assert_eq!(out.output, word(0));
        assert_eq!(out.gas_used, 79_000);
    }

    #[test]
    fn pairing_bad_length_is_invalid_after_charging() {
        // 383 bytes: 1 whole pair priced (45000 + 34000), then the length check fails.
        let err = call(Precompile::Bn254Pairing, &JEFF1[..383], 79_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 30_000_000);
        let err = call(Precompile::Bn254Pairing, &JEFF1[..383], 78_999).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
    }

    #[test]
    fn pairing_rejects_invalid_points() {
        // G1 x coordinate equal to the modulus.
        let mut input = JEFF1;
        input[..32].copy_from_slice(&P);
        let err = call(Precompile::Bn254Pairing, &input, 113_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 45_000_000);
        // G2 point off the curve (y_real + 1).
        let mut input = JEFF1;
        input[191] ^= 1;
        let err = call(Precompile::Bn254Pairing, &input, 113_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
    }

    #[test]
    fn pairing_rejects_g2_outside_subgroup() {
        // The twist has a large cofactor: the first curve point with x = (k, 0) is on the curve
        // but (almost surely, and asserted here) outside the order-r subgroup.
        use ark_bn254::{Fq, Fq2, G2Affine};
        use ark_ff::{BigInteger, PrimeField};
        let point = (1u64..)
            .find_map(|k| {
                G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(k), Fq::from(0u64)), false)
            })
            .unwrap();
        assert!(point.is_on_curve() && !point.is_in_correct_subgroup_assuming_on_curve());
        let be = |f: Fq| f.into_bigint().to_bytes_be();
        let mut input = JEFF1;
        input[256..288].copy_from_slice(&be(point.x.c1));
        input[288..320].copy_from_slice(&be(point.x.c0));
        input[320..352].copy_from_slice(&be(point.y.c1));
        input[352..384].copy_from_slice(&be(point.y.c0));
        let err = call(Precompile::Bn254Pairing, &input, 113_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
    }

    #[test]
    fn add_rejects_invalid_points() {
        // (1, 3) is not on y^2 = x^3 + 3.
        let mut input = [0u8; 128];
        input[31] = 1;
        input[63] = 3;
        let err = call(Precompile::Bn254Add, &input, 150).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 52_600);
        // y = p (not reduced) for the generator's y = 2 + p would be out of range.
        let mut input = [0u8; 128];
        input[31] = 1;
        input[32..64].copy_from_slice(&P);
        let err = call(Precompile::Bn254Add, &input, 150).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
    }

    #[test]
    fn mul_rejects_invalid_point_and_checks_gas() {
        let mut input = [0u8; 96];
        input[31] = 1;
        input[63] = 3;
        input[95] = 2;
        let err = call(Precompile::Bn254Mul, &input, 6_000).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 764_000);
        let err = call(Precompile::Bn254Mul, &input, 5_999).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
        let err = call(Precompile::Bn254Add, &input, 149).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
    }
}
