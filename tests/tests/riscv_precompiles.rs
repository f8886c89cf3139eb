//! The guest's delegated modexp and bn254 precompiles (`core/src/precompiles/modexp_word.rs`,
//! `core/src/crypto/curves/bn254_g1.rs`, `bn254_delegated.rs`) against the host's code
//! (aurora-engine-modexp, arkworks): each input is called through `STATICCALL` in the guest
//! and natively, and the status, return data, ergs and native must be equal. A host that lies
//! in the division advice modexp takes stops the guest.

use std::sync::OnceLock;
use zkos_core::bytecode::opcode as op;
use zkos_core::primitives::{hex, U256};
use zkos_tests::riscv::emulator::{Advice, Emulator};
use zkos_tests::riscv::guest::{self, CalibrateCall, CalibrateError, CalibrateResult};

fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(|| match guest::emulator() {
        Ok(emulator) => emulator,
        Err(e) => panic!("{e}"),
    })
}

/// Where the call's success flag goes, followed by its return data.
const RESULT_OFFSET: u16 = 0x0fe0;

/// Code that `STATICCALL`s `address` with the calldata as input and returns the success
/// flag (a word) followed by the precompile's return data.
fn call_precompile(address: u8, input: &[u8]) -> CalibrateCall {
    let [hi, lo] = RESULT_OFFSET.to_be_bytes();
    let [data_hi, data_lo] = (RESULT_OFFSET + 32).to_be_bytes();
    let code = vec![
        op::CALLDATASIZE,
        op::PUSH0,
        op::PUSH0,
        op::CALLDATACOPY,
        // retSize, retOffset, argsSize, argsOffset, address, gas.
        op::PUSH0,
        op::PUSH0,
        op::CALLDATASIZE,
        op::PUSH0,
        op::PUSH1,
        address,
        op::GAS,
        op::STATICCALL,
        op::PUSH2,
        hi,
        lo,
        op::MSTORE,
        op::RETURNDATASIZE,
        op::PUSH0,
        op::PUSH2,
        data_hi,
        data_lo,
        op::RETURNDATACOPY,
        op::RETURNDATASIZE,
        op::PUSH1,
        32,
        op::ADD,
        op::PUSH2,
        hi,
        lo,
        op::RETURN,
    ];
    CalibrateCall {
        gas_limit: 10_000_000,
        code,
        calldata: input.to_vec(),
        ..CalibrateCall::default()
    }
}

/// Runs `input` through the precompile at `address` in the guest and on the host, asserts
/// that they agree, and returns the guest's result.
fn agree(address: u8, input: &[u8]) -> CalibrateResult {
    let call = call_precompile(address, input);
    let host = call.run_on_host();
    let ours = guest::calibrate(emulator(), &call).unwrap();
    let what = format!("{address:#x} {}", hex::encode(input));
    assert_eq!(ours.status, host.status, "{what}");
    assert_eq!(ours.return_data, host.return_data, "{what}");
    assert_eq!(
        (ours.ergs_used, ours.native_used),
        (host.ergs_used, host.native_used),
        "{what}"
    );
    ours
}

/// Whether the precompile call succeeded (the first returned word).
fn succeeded(result: &CalibrateResult) -> bool {
    result.return_data[31] == 1
}

fn modexp_input(base: &[u8], exp: &[u8], modulus: &[u8]) -> Vec<u8> {
    let len = |n: usize| U256::from(n).to_be_bytes::<32>();
    [
        len(base.len()).as_slice(),
        &len(exp.len()),
        &len(modulus.len()),
        base,
        exp,
        modulus,
    ]
    .concat()
}

#[test]
fn modexp_matches_the_host() {
    let odd = hex!("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    let base = hex!("8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f");
    let mut wide_fits = [0u8; 40];
    wide_fits[8..].copy_from_slice(&odd);
    let mut too_wide = wide_fits;
    too_wide[7] = 1;
    let cases: [(&[u8], &[u8], &[u8]); 9] = [
        (&base, &odd, &odd),
        // Even modulus, a 64-byte base, an empty exponent, modulus 1 and 0.
        (&base, &[3], &[0x10, 0x00]),
        (&[base, base].concat(), &[0xff; 5], &odd),
        (&base, &[], &odd),
        (&base, &base, &[1]),
        (&base, &base, &[0; 32]),
        // A 40-byte modulus whose value fits 256 bits, and one that does not (the general code).
        (&base, &base, &wide_fits),
        (&base, &base, &too_wide),
        // 2²⁵⁶ − 1 as modulus and exponent.
        (&[0xff; 32], &[0xff; 32], &[0xff; 32]),
    ];
    for (base, exp, modulus) in cases {
        let result = agree(5, &modexp_input(base, exp, modulus));
        assert!(succeeded(&result));
    }
    // The delegated path is taken: a 32-byte modexp runs on hundreds of delegations.
    let result = agree(5, &modexp_input(&base, &odd, &odd));
    assert!(
        result.bigint_delegations > 1_000,
        "{}",
        result.bigint_delegations
    );
}

/// The bn254 G1 generator (1, 2).
fn generator() -> [u8; 64] {
    let mut out = [0u8; 64];
    out[31] = 1;
    out[63] = 2;
    out
}

/// −G = (1, p − 2).
fn minus_generator() -> [u8; 64] {
    let mut out = generator();
    out[32..].copy_from_slice(&hex!(
        "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45"
    ));
    out
}

#[test]
fn bn254_add_and_mul_match_the_host() {
    let p = hex!("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");
    let (g, minus_g) = (generator(), minus_generator());
    let mut off_curve = g;
    off_curve[63] = 3;
    let mut unreduced = g;
    unreduced[..32].copy_from_slice(&p);
    let add_cases: Vec<(Vec<u8>, bool)> = vec![
        ([g, g].concat(), true),
        ([g, minus_g].concat(), true),
        ([[0u8; 64], g].concat(), true),
        // Short input: zero-padded, so G + infinity.
        (g.to_vec(), true),
        ([g, off_curve].concat(), false),
        ([unreduced, g].concat(), false),
    ];
    for (input, ok) in add_cases {
        assert_eq!(succeeded(&agree(6, &input)), ok);
    }
    let n = U256::from_be_bytes(hex!(
        "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"
    ));
    let scalars = [
        U256::ZERO,
        U256::from(1),
        n - U256::from(1),
        n,
        U256::MAX,
        U256::from_be_bytes([0x8f; 32]),
    ];
    for k in scalars {
        let result = agree(7, &[g.as_slice(), &k.to_be_bytes::<32>()].concat());
        assert!(succeeded(&result));
    }
    assert!(!succeeded(&agree(
        7,
        &[off_curve.as_slice(), &[7; 32]].concat()
    )));
}

#[test]
fn bn254_pairing_matches_the_host() {
    // The G2 generator (EIP-197), x_imag ‖ x_real ‖ y_imag ‖ y_real.
    let g2 = hex!("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
    let (g, minus_g) = (generator(), minus_generator());
    // e(G, G2)·e(−G, G2) = 1; e(G, G2)² ≠ 1.
    let holds = [g.as_slice(), &g2, &minus_g, &g2].concat();
    let fails = [g.as_slice(), &g2, &g, &g2].concat();
    let result = agree(8, &holds);
    assert_eq!(result.return_data[32..], U256::from(1).to_be_bytes::<32>());
    let result = agree(8, &fails);
    assert_eq!(result.return_data[32..], [0u8; 32]);
    // A G2 coordinate changed (off the twist), and a length that is not whole pairs.
    let mut bad = holds.clone();
    bad[191] ^= 1;
    assert!(!succeeded(&agree(8, &bad)));
    assert!(!succeeded(&agree(8, &holds[..383])));
    assert!(succeeded(&agree(8, &[])));
}

/// Advice that lies (q ± 1 with a matching remainder mod 2²⁵⁶) stops the guest's modexp.
#[test]
fn lying_division_advice_stops_the_guest_modexp() {
    let odd = hex!("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    let call = call_precompile(5, &modexp_input(&[0x8f; 32], &[3], &odd));
    for lie in [Advice::QuotientPlusOne, Advice::QuotientMinusOne] {
        let liar = guest::emulator().unwrap().with_advice(lie);
        match guest::calibrate(&liar, &call) {
            Err(CalibrateError::Exit(code, message)) => {
                assert_eq!(code, guest::EXIT_PANIC, "{lie:?}");
                assert!(message.contains("advice"), "{message}");
            }
            other => panic!("{lie:?}: expected a panic exit, got {other:?}"),
        }
    }
}
