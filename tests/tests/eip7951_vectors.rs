//! The published EIP-7951 vectors (`tests/vectors/eip-7951/test-vectors.json`, copied from
//! ethereum/EIPs `assets/eip-7951`; Wycheproof cases and the EIP's own) against P256VERIFY.
//!
//! The file's `Gas` field is 3450, the RIP-7212 price it was written with; the final EIP text
//! prices every call, valid or not, at 6900, and that is what is asserted.

use serde::Deserialize;
use std::path::PathBuf;
use zkos_core::config::Hardfork;
use zkos_core::precompiles::{run, Precompile, PrecompileFailureKind};
use zkos_core::primitives::hex;
use zkos_core::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

/// P256VERIFY gas from Osaka (EIP-7951 "Gas Schedule").
const P256_VERIFY_GAS: u64 = 6_900;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Vector {
    name: String,
    input: String,
    expected: String,
}

#[test]
fn eip7951_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors/eip-7951/test-vectors.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let vectors: Vec<Vector> = serde_json::from_str(&text).unwrap();
    assert_eq!(vectors.len(), 781);
    let mut valid = 0;
    for vector in &vectors {
        let input = hex::decode(&vector.input).unwrap();
        let out = run(
            Precompile::P256Verify,
            &input,
            P256_VERIFY_GAS,
            Hardfork::Osaka,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
        .unwrap_or_else(|e| panic!("{}: {e:?}", vector.name));
        assert_eq!(hex::encode(&out.output), vector.expected, "{}", vector.name);
        assert_eq!(out.gas_used, P256_VERIFY_GAS, "{}", vector.name);
        valid += usize::from(!out.output.is_empty());
        let err = run(
            Precompile::P256Verify,
            &input,
            P256_VERIFY_GAS - 1,
            Hardfork::Osaka,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
        .unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas, "{}", vector.name);
    }
    // 566 signatures verify; the other 215 cases return empty output.
    assert_eq!(valid, 566);
}
