//! The BLS12-381 precompiles (EIP-2537) against the EIP's published test vectors
//! (`assets/eip-2537/*.json` of ethereum/EIPs at faaa35f, in `tests/eip2537/`): every success
//! vector gives its output for exactly its gas and fails with one gas less; every failure vector
//! fails on its input (not on gas). The `mul` vectors run on the MSM precompiles, as the EIP's
//! `test-vectors.md` says; `msm_G1_bls.json` keeps the vectors of up to 16 pairs and those of 128
//! and 129 (the table's end and `max_discount`) of the published 163.

use serde::Deserialize;
use std::path::PathBuf;
use zkos_core::config::{Hardfork, ProtocolVersion};
use zkos_core::precompiles::{run, Precompile, PrecompileFailureKind};
use zkos_core::primitives::hex;
use zkos_core::resources::precompile_native::PrecompileNativeCosts;

/// A success vector.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Vector {
    input: String,
    expected: String,
    gas: u64,
    name: String,
}

/// A failure vector (the error text is the reference client's, not compared).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FailVector {
    input: String,
    name: String,
}

fn read<T: for<'de> Deserialize<'de>>(file: &str) -> Vec<T> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/eip2537")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn call(
    precompile: Precompile,
    input: &[u8],
    gas: u64,
) -> Result<(u64, Vec<u8>), PrecompileFailureKind> {
    let costs = PrecompileNativeCosts::for_version(ProtocolVersion::V1);
    run(precompile, input, gas, Hardfork::Prague, costs)
        .map(|out| (out.gas_used, out.output))
        .map_err(|failure| failure.kind)
}

/// Runs every success vector of `file` on `precompile`; returns how many ran.
fn check_successes(precompile: Precompile, file: &str) -> usize {
    let vectors: Vec<Vector> = read(file);
    for v in &vectors {
        let input = hex::decode(&v.input).expect("hex input");
        let expected = hex::decode(&v.expected).expect("hex output");
        assert_eq!(
            call(precompile, &input, v.gas),
            Ok((v.gas, expected)),
            "{file} {}",
            v.name
        );
        assert_eq!(
            call(precompile, &input, v.gas - 1),
            Err(PrecompileFailureKind::OutOfGas),
            "{file} {} with one gas less",
            v.name
        );
    }
    vectors.len()
}

/// Runs every failure vector of `file` on `precompile`; returns how many ran.
fn check_failures(precompile: Precompile, file: &str) -> usize {
    let vectors: Vec<FailVector> = read(file);
    for v in &vectors {
        let input = hex::decode(&v.input).expect("hex input");
        assert_eq!(
            call(precompile, &input, u64::MAX).map(|(gas, _)| gas),
            Err(PrecompileFailureKind::InvalidInput),
            "{file} {}",
            v.name
        );
    }
    vectors.len()
}

#[test]
fn g1_add_vectors() {
    assert!(check_successes(Precompile::Bls12G1Add, "add_G1_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12G1Add, "fail-add_G1_bls.json") > 0);
}

#[test]
fn g2_add_vectors() {
    assert!(check_successes(Precompile::Bls12G2Add, "add_G2_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12G2Add, "fail-add_G2_bls.json") > 0);
}

#[test]
fn g1_msm_vectors() {
    assert!(check_successes(Precompile::Bls12G1Msm, "mul_G1_bls.json") > 0);
    assert!(check_successes(Precompile::Bls12G1Msm, "msm_G1_bls.json") >= 30);
    assert!(check_failures(Precompile::Bls12G1Msm, "fail-mul_G1_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12G1Msm, "fail-msm_G1_bls.json") > 0);
}

#[test]
fn g2_msm_vectors() {
    assert!(check_successes(Precompile::Bls12G2Msm, "mul_G2_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12G2Msm, "fail-mul_G2_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12G2Msm, "fail-msm_G2_bls.json") > 0);
}

#[test]
fn pairing_check_vectors() {
    assert!(check_successes(Precompile::Bls12PairingCheck, "pairing_check_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12PairingCheck, "fail-pairing_check_bls.json") > 0);
}

#[test]
fn map_to_curve_vectors() {
    assert!(check_successes(Precompile::Bls12MapFpToG1, "map_fp_to_G1_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12MapFpToG1, "fail-map_fp_to_G1_bls.json") > 0);
    assert!(check_successes(Precompile::Bls12MapFp2ToG2, "map_fp2_to_G2_bls.json") > 0);
    assert!(check_failures(Precompile::Bls12MapFp2ToG2, "fail-map_fp2_to_G2_bls.json") > 0);
}
