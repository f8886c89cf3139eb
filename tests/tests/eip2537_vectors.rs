//! The published EIP-2537 vectors (`tests/vectors/eip-2537`, copied from ethereum/EIPs
//! `assets/eip-2537`) against the BLS12-381 precompiles: every success vector returns its
//! `Expected` output for exactly its `Gas` and fails out of gas one unit below; every `fail-*`
//! vector fails as malformed input (the call then consumes all its gas) with the native of the
//! gas it was charged: the EIP's price of an input of that length, checked before the input.

use serde::Deserialize;
use std::path::PathBuf;
use zkos_core::config::Hardfork;
use zkos_core::precompiles::{run, Precompile, PrecompileFailureKind, PrecompileOutput};
use zkos_core::primitives::hex;
use zkos_core::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

/// Gas limit of every failing call: more than any vector needs.
const AMPLE_GAS: u64 = 100_000_000;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Success {
    name: String,
    input: String,
    expected: String,
    gas: u64,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Failure {
    name: String,
    input: String,
    expected_error: String,
}

fn load<T: for<'de> Deserialize<'de>>(file: &str) -> Vec<T> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/eip-2537")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn call(
    precompile: Precompile,
    input: &[u8],
    gas_limit: u64,
) -> Result<PrecompileOutput, zkos_core::precompiles::PrecompileFailure> {
    run(
        precompile,
        input,
        gas_limit,
        Hardfork::Prague,
        &PRECOMPILE_NATIVE_COSTS_V1,
    )
}

/// Runs every success vector of `file`; returns how many there were.
fn check_successes(file: &str, precompile: Precompile) -> usize {
    let vectors: Vec<Success> = load(file);
    for vector in &vectors {
        let input = hex::decode(&vector.input).unwrap();
        let out = call(precompile, &input, vector.gas)
            .unwrap_or_else(|e| panic!("{file} {}: {e:?}", vector.name));
        assert_eq!(
            hex::encode(&out.output),
            vector.expected,
            "{file} {}",
            vector.name
        );
        assert_eq!(out.gas_used, vector.gas, "{file} {}", vector.name);
        assert!(out.native_used > 0, "{file} {}", vector.name);
        let short = call(precompile, &input, vector.gas - 1).unwrap_err();
        assert_eq!(
            (short.kind, short.native_used),
            (PrecompileFailureKind::OutOfGas, 0),
            "{file} {}",
            vector.name
        );
    }
    vectors.len()
}

/// Runs every failure vector of `file`; returns how many there were.
fn check_failures(file: &str, precompile: Precompile) -> usize {
    let per_gas = PRECOMPILE_NATIVE_COSTS_V1.bls12_381_native_per_gas;
    let vectors: Vec<Failure> = load(file);
    for vector in &vectors {
        let input = hex::decode(&vector.input).unwrap();
        let err = call(precompile, &input, AMPLE_GAS).unwrap_err();
        let context = format!("{file} {}: {:?}", vector.name, vector.expected_error);
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput, "{context}");
        // The native is that of the gas charged: with exactly that gas the call still reaches
        // the input and fails on it; one gas less fails the gas check, before any native.
        assert_eq!(err.native_used % per_gas, 0, "{context}");
        let gas = err.native_used / per_gas;
        let exact = call(precompile, &input, gas).unwrap_err();
        assert_eq!(
            (exact.kind, exact.native_used),
            (PrecompileFailureKind::InvalidInput, err.native_used),
            "{context}"
        );
        if let Some(short) = gas.checked_sub(1) {
            let short = call(precompile, &input, short).unwrap_err();
            assert_eq!(
                (short.kind, short.native_used),
                (PrecompileFailureKind::OutOfGas, 0),
                "{context}"
            );
        }
    }
    vectors.len()
}

#[test]
fn g1_add() {
    assert_eq!(
        check_successes("add_G1_bls.json", Precompile::Bls12G1Add),
        9
    );
    assert_eq!(
        check_failures("fail-add_G1_bls.json", Precompile::Bls12G1Add),
        7
    );
}

#[test]
fn g2_add() {
    assert_eq!(
        check_successes("add_G2_bls.json", Precompile::Bls12G2Add),
        9
    );
    assert_eq!(
        check_failures("fail-add_G2_bls.json", Precompile::Bls12G2Add),
        7
    );
}

#[test]
fn g1_mul_through_msm() {
    assert_eq!(
        check_successes("mul_G1_bls.json", Precompile::Bls12G1Msm),
        11
    );
    assert_eq!(
        check_failures("fail-mul_G1_bls.json", Precompile::Bls12G1Msm),
        8
    );
}

#[test]
fn g2_mul_through_msm() {
    assert_eq!(
        check_successes("mul_G2_bls.json", Precompile::Bls12G2Msm),
        11
    );
    assert_eq!(
        check_failures("fail-mul_G2_bls.json", Precompile::Bls12G2Msm),
        8
    );
}

#[test]
fn g1_msm() {
    // 14 vectors of points and the 149 of the discount table (k = 1..=149 infinity points).
    assert_eq!(
        check_successes("msm_G1_bls.json", Precompile::Bls12G1Msm),
        163
    );
    assert_eq!(
        check_failures("fail-msm_G1_bls.json", Precompile::Bls12G1Msm),
        8
    );
}

#[test]
fn g2_msm_failures() {
    // The success file msm_G2_bls.json (6.5 MB) could not be fetched; see the README.
    assert_eq!(
        check_failures("fail-msm_G2_bls.json", Precompile::Bls12G2Msm),
        8
    );
}

#[test]
fn pairing_check() {
    assert_eq!(
        check_successes("pairing_check_bls.json", Precompile::Bls12PairingCheck),
        15
    );
    assert_eq!(
        check_failures("fail-pairing_check_bls.json", Precompile::Bls12PairingCheck),
        25
    );
}

#[test]
fn map_fp_to_g1() {
    assert_eq!(
        check_successes("map_fp_to_G1_bls.json", Precompile::Bls12MapFpToG1),
        5
    );
    assert_eq!(
        check_failures("fail-map_fp_to_G1_bls.json", Precompile::Bls12MapFpToG1),
        5
    );
}

#[test]
fn map_fp2_to_g2() {
    assert_eq!(
        check_successes("map_fp2_to_G2_bls.json", Precompile::Bls12MapFp2ToG2),
        5
    );
    assert_eq!(
        check_failures("fail-map_fp2_to_G2_bls.json", Precompile::Bls12MapFp2ToG2),
        5
    );
}
