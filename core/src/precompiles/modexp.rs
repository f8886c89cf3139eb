//! modexp (0x05): `base ^ exp % modulus` on big-endian numbers of any length (EIP-198).
//!
//! Gas is EIP-2565 before Osaka and EIP-7883 from Osaka, where EIP-7823 also caps each length
//! at 1024 bytes. Gas is computed from the three length fields and the exponent's first 32 bytes
//! before anything is allocated, so absurd length fields fail the gas check cheaply.

use super::input::read_padded;
use super::outcome::{charge_gas_and_native, curve_output, PrecompileFailure, PrecompileOutput};
use crate::config::Hardfork;
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::primitives::U256;
use crate::resources::precompile_native::PrecompileNativeCosts;
use crate::resources::ERGS_PER_GAS;
use alloc::vec::Vec;

/// Size of the three length fields that start the input.
const HEADER_LEN: usize = 96;
/// EIP-2565 minimum gas.
const EIP2565_MIN_GAS: u128 = 200;
/// EIP-2565 divisor of `complexity * iterations`.
const EIP2565_GAS_DIVISOR: u128 = 3;
/// EIP-2565 iterations per exponent byte past the first 32.
const EIP2565_ITERATIONS_PER_BYTE: u128 = 8;
/// EIP-7883 minimum gas.
const EIP7883_MIN_GAS: u128 = 500;
/// EIP-7883 multiplication complexity when both base and modulus fit in 32 bytes.
const EIP7883_MIN_COMPLEXITY: u128 = 16;
/// EIP-7883 iterations per exponent byte past the first 32.
const EIP7883_ITERATIONS_PER_BYTE: u128 = 16;
/// EIP-7823 upper bound on each length field, in bytes (Osaka).
const EIP7823_MAX_LEN_BYTES: u64 = 1024;

/// Input `base_len ‖ exp_len ‖ mod_len ‖ base ‖ exp ‖ modulus` (zero-padded). Returns the result
/// left-padded to `mod_len` bytes; the arithmetic runs on `curves` (`CurveOp::ModExp`).
pub(super) fn run(
    input: &[u8],
    gas_limit: u64,
    hardfork: Hardfork,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let base_len = U256::from_be_bytes(read_padded::<32>(input, 0));
    let exp_len = U256::from_be_bytes(read_padded::<32>(input, 32));
    let mod_len = U256::from_be_bytes(read_padded::<32>(input, 64));
    let osaka = hardfork >= Hardfork::Osaka;
    let bound = U256::from(EIP7823_MAX_LEN_BYTES);
    if osaka && (base_len > bound || exp_len > bound || mod_len > bound) {
        return Err(PrecompileFailure::invalid_input(0));
    }
    // Saturating keeps the gas formulas exact in effect: any length beyond u64 prices the call
    // above u64::MAX gas, except with base_len == mod_len == 0 where the result is empty anyway.
    let base_len = base_len.saturating_to::<u64>();
    let exp_len = exp_len.saturating_to::<u64>();
    let mod_len = mod_len.saturating_to::<u64>();

    let exp_head = exponent_head(input, base_len, exp_len);
    let gas_for = |mod_len: u64| {
        if osaka {
            eip7883_gas(base_len, exp_len, mod_len, exp_head)
        } else {
            eip2565_gas(base_len, exp_len, mod_len, exp_head)
        }
    };
    // Gas beyond what ergs (gas × 256) hold in a u64 fails before anything is charged, as
    // upstream's checked ergs arithmetic does (`system_functions/modexp/mod.rs::ergs_cost`).
    let priced = |gas: u128| {
        u64::try_from(gas)
            .ok()
            .filter(|gas| *gas <= u64::MAX / ERGS_PER_GAS)
            .ok_or_else(PrecompileFailure::out_of_gas)
    };
    let gas_used = priced(gas_for(mod_len))?;
    // Native is priced as the gas of the modulus rounded up to the delegation's word.
    let alignment = costs.modexp_native_modulus_alignment_bytes.max(1);
    let native_gas = priced(gas_for(
        mod_len.saturating_add(alignment - 1) / alignment * alignment,
    ))?;
    let native_used = costs.modexp_native_per_gas.saturating_mul(native_gas);
    // Below the minimum gas the call fails before any native (upstream's `has_enough` check of
    // `MODEXP_MINIMAL_COST_ERGS`); past it, a version that spends native out of gas charges
    // both together, native first.
    if gas_limit < EIP2565_MIN_GAS as u64 {
        return Err(PrecompileFailure::out_of_gas());
    }
    charge_gas_and_native(gas_used, gas_limit, native_used, costs)?;

    let output = if base_len == 0 && mod_len == 0 {
        Vec::new()
    } else {
        curve_output(curves, CurveOp::ModExp, input, native_used)?
    };
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output,
    })
}

/// The first `min(exp_len, 32)` bytes of the exponent as a number.
fn exponent_head(input: &[u8], base_len: u64, exp_len: u64) -> U256 {
    let head_len = exp_len.min(32) as usize;
    let start = (HEADER_LEN as u64).saturating_add(base_len);
    let bytes = match usize::try_from(start) {
        Ok(start) => read_padded::<32>(input, start),
        Err(_) => [0u8; 32],
    };
    U256::from_be_slice(&bytes[..head_len])
}

/// Squarings needed for the exponent: its bit length minus one, at least 1, where each
/// exponent byte past the first 32 counts `per_byte` (EIP-2565 / EIP-7883).
fn iteration_count(exp_len: u64, exp_head: U256, per_byte: u128) -> u128 {
    let head_bits = (exp_head.bit_len() as u128).saturating_sub(1);
    let tail = u128::from(exp_len.saturating_sub(32)) * per_byte;
    (tail + head_bits).max(1)
}

/// 64-bit words of the longer of base and modulus.
fn max_words(base_len: u64, mod_len: u64) -> u128 {
    u128::from(base_len.max(mod_len)).div_ceil(8)
}

/// EIP-2565 gas: `max(200, words² * iterations / 3)`, saturating at `u128::MAX`.
fn eip2565_gas(base_len: u64, exp_len: u64, mod_len: u64, exp_head: U256) -> u128 {
    let words = max_words(base_len, mod_len);
    let complexity = words * words;
    let iterations = iteration_count(exp_len, exp_head, EIP2565_ITERATIONS_PER_BYTE);
    (complexity.saturating_mul(iterations) / EIP2565_GAS_DIVISOR).max(EIP2565_MIN_GAS)
}

/// EIP-7883 gas: `max(500, complexity * iterations)` with complexity 16 up to 32 bytes and
/// `2 * words²` above, saturating at `u128::MAX`.
fn eip7883_gas(base_len: u64, exp_len: u64, mod_len: u64, exp_head: U256) -> u128 {
    let complexity = if base_len.max(mod_len) <= 32 {
        EIP7883_MIN_COMPLEXITY
    } else {
        let words = max_words(base_len, mod_len);
        2 * words * words
    };
    let iterations = iteration_count(exp_len, exp_head, EIP7883_ITERATIONS_PER_BYTE);
    complexity.saturating_mul(iterations).max(EIP7883_MIN_GAS)
}

#[cfg(test)]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;
    use alloc::vec::Vec;

    fn call(
        input: &[u8],
        gas_limit: u64,
        hardfork: Hardfork,
    ) -> Result<PrecompileOutput, PrecompileFailure> {
        run(
            Precompile::Modexp,
            input,
            gas_limit,
            hardfork,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
    }

    fn header(base_len: &[u8; 32], exp_len: &[u8; 32], mod_len: &[u8; 32]) -> Vec<u8> {
        [base_len.as_slice(), exp_len, mod_len].concat()
    }

    fn len_word(len: u64) -> [u8; 32] {
        let mut word = [0u8; 32];
        word[24..].copy_from_slice(&len.to_be_bytes());
        word
    }

    // geth core/vm/testdata/precompiles/modexp_eip2565.json and modexp_eip7883.json.
    const EIP_EXAMPLE1: &[u8] = &hex!(
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000020"
        "0000000000000000000000000000000000000000000000000000000000000020"
        "03"
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"
    );
    const NAGYDANI_1_SQUARE: &[u8] = &hex!(
        "0000000000000000000000000000000000000000000000000000000000000040"
        "0000000000000000000000000000000000000000000000000000000000000001"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "e09ad9675465c53a109fac66a445c91b292d2bb2c5268addb30cd82f80fcb0033ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078a06d90ef1c72e5c85fb5"
        "02"
        "fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2bb02c2908cf4dd7c81f11c289e4bce98f3553768f392a80ce22bf5c4f4a248c6b"
    );
    const NAGYDANI_1_SQUARE_OUT: &[u8] = &hex!(
        "60008f1614cc01dcfb6bfb09c625cf90b47d4468db81b5f8b7a39d42f332eab9b2da8f2d95311648a8f243f4bb13cfb3d8f7f2a3c014122ebb3ed41b02783adc"
    );
    const NAGYDANI_1_POW: &[u8] = &hex!(
        "0000000000000000000000000000000000000000000000000000000000000040"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000040"
        "e09ad9675465c53a109fac66a445c91b292d2bb2c5268addb30cd82f80fcb0033ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078a06d90ef1c72e5c85fb5"
        "010001"
        "fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2bb02c2908cf4dd7c81f11c289e4bce98f3553768f392a80ce22bf5c4f4a248c6b"
    );
    const NAGYDANI_1_POW_OUT: &[u8] = &hex!(
        "c36d804180c35d4426b57b50c5bfcca5c01856d104564cd513b461d3c8b8409128a5573e416d0ebe38f5f736766d9dc27143e4da981dfa4d67f7dc474cbee6d2"
    );
    const NAGYDANI_2_POW: &[u8] = &hex!(
        "0000000000000000000000000000000000000000000000000000000000000080"
        "0000000000000000000000000000000000000000000000000000000000000003"
        "0000000000000000000000000000000000000000000000000000000000000080"
        "cad7d991a00047dd54d3399b6b0b937c718abddef7917c75b6681f40cc15e2be0003657d8d4c34167b2f0bbbca0ccaa407c2a6a07d50f1517a8f22979ce12a81dcaf707cc0cebfc0ce2ee84ee7f77c38b9281b9822a8d3de62784c089c9b18dcb9a2a5eecbede90ea788a862a9ddd9d609c2c52972d63e289e28f6a590ffbf51"
        "010001"
        "e6d893b80aeed5e6e9ce9afa8a5d5675c93a32ac05554cb20e9951b2c140e3ef4e433068cf0fb73bc9f33af1853f64aa27a0028cbf570d7ac9048eae5dc7b28c87c31e5810f1e7fa2cda6adf9f1076dbc1ec1238560071e7efc4e9565c49be9e7656951985860a558a754594115830bcdb421f741408346dd5997bb01c287087"
    );
    const NAGYDANI_2_POW_OUT: &[u8] = &hex!(
        "ad85e8ef13fd1dd46eae44af8b91ad1ccae5b7a1c92944f92a19f21b0b658139e0cabe9c1f679507c2de354bf2c91ebd965d1e633978a830d517d2f6f8dd5fd58065d58559de7e2334a878f8ec6992d9b9e77430d4764e863d77c0f87beede8f2f7f2ab2e7222f85cc9d98b8467f4bb72e87ef2882423ebdb6daf02dddac6db2"
    );

    #[test]
    fn geth_eip2565_vectors() {
        let one = hex!("0000000000000000000000000000000000000000000000000000000000000001");
        for (input, expected, gas) in [
            (EIP_EXAMPLE1, one.as_slice(), 1_360),
            (NAGYDANI_1_SQUARE, NAGYDANI_1_SQUARE_OUT, 200),
            (NAGYDANI_1_POW, NAGYDANI_1_POW_OUT, 341),
            (NAGYDANI_2_POW, NAGYDANI_2_POW_OUT, 1_365),
        ] {
            for hardfork in [Hardfork::Cancun, Hardfork::Prague] {
                let out = call(input, gas, hardfork).unwrap();
                assert_eq!(out.output, expected);
                assert_eq!(out.gas_used, gas);
                // 300 native per gas.
                assert_eq!(out.native_used, 300 * gas);
            }
        }
    }

    #[test]
    fn geth_eip7883_vectors() {
        for (input, expected, gas) in [
            (NAGYDANI_1_SQUARE, NAGYDANI_1_SQUARE_OUT, 500),
            (NAGYDANI_1_POW, NAGYDANI_1_POW_OUT, 2_048),
            (NAGYDANI_2_POW, NAGYDANI_2_POW_OUT, 8_192),
        ] {
            let out = call(input, gas, Hardfork::Osaka).unwrap();
            assert_eq!(out.output, expected);
            assert_eq!((out.gas_used, out.native_used), (gas, 300 * gas));
        }
    }

    #[test]
    fn eip7883_example1_gas() {
        // base 1 byte, exponent 32 bytes with top bit set (bit length 256 -> 255 iterations),
        // modulus 32 bytes: complexity 16 (max length <= 32) * 255 = 4080.
        assert_eq!(
            call(EIP_EXAMPLE1, 4_080, Hardfork::Osaka).unwrap().gas_used,
            4_080
        );
        // EIP-2565: ceil(32/8)^2 = 16; 16 * 255 / 3 = 1360.
        assert_eq!(
            call(EIP_EXAMPLE1, 1_360, Hardfork::Cancun)
                .unwrap()
                .gas_used,
            1_360
        );
    }

    #[test]
    fn long_exponent_gas() {
        // base 1 byte, exponent 33 bytes 0x01 00..00, modulus 64 bytes. The head is the first 32
        // exponent bytes, 0x01 followed by 31 zeros: bit length 249, so 248 + per_byte * 1.
        let mut input = header(&len_word(1), &len_word(33), &len_word(64));
        input.push(0x02);
        input.push(0x01);
        input.extend_from_slice(&[0u8; 32]);
        input.extend_from_slice(&[0xff; 64]);
        // EIP-2565: 8^2 * (248 + 8) / 3 = 16384 / 3 = 5461.
        assert_eq!(
            call(&input, u64::MAX, Hardfork::Cancun).unwrap().gas_used,
            5_461
        );
        // EIP-7883: 2 * 8^2 * (248 + 16) = 33792.
        assert_eq!(
            call(&input, u64::MAX, Hardfork::Osaka).unwrap().gas_used,
            33_792
        );
    }

    #[test]
    fn out_of_gas_by_one() {
        let err = call(NAGYDANI_1_POW, 340, Hardfork::Cancun).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
        let err = call(NAGYDANI_1_POW, 2_047, Hardfork::Osaka).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
    }

    #[test]
    fn result_is_left_padded_to_modulus_length() {
        // 2^1 mod 0x0100 with a 2-byte modulus = 0x0002.
        let mut input = header(&len_word(1), &len_word(1), &len_word(2));
        input.extend_from_slice(&[0x02, 0x01, 0x01, 0x00]);
        let out = call(&input, 1_000, Hardfork::Cancun).unwrap();
        assert_eq!(out.output, [0x00, 0x02]);
    }

    #[test]
    fn missing_input_bytes_are_zero() {
        // 3^e mod m where the modulus is cut off after its first byte 0x07: m = 0x0700 (2 bytes
        // declared), e = 1, so 3 mod 0x0700 = 3.
        let mut input = header(&len_word(1), &len_word(1), &len_word(2));
        input.extend_from_slice(&[0x03, 0x01, 0x07]);
        assert_eq!(
            call(&input, 1_000, Hardfork::Cancun).unwrap().output,
            [0x00, 0x03]
        );
    }

    #[test]
    fn empty_base_and_exponent() {
        // 0^0 mod 5 = 1 (as in the execution specs' pow); 0^0 mod 1 = 0.
        let mut input = header(&len_word(0), &len_word(0), &len_word(1));
        input.push(0x05);
        assert_eq!(call(&input, 200, Hardfork::Cancun).unwrap().output, [0x01]);
        input[96] = 0x01;
        assert_eq!(call(&input, 200, Hardfork::Cancun).unwrap().output, [0x00]);
        // Even modulus: 3^5 mod 16 = 243 mod 16 = 3.
        let mut input = header(&len_word(1), &len_word(1), &len_word(1));
        input.extend_from_slice(&[0x03, 0x05, 0x10]);
        assert_eq!(call(&input, 200, Hardfork::Cancun).unwrap().output, [0x03]);
    }

    #[test]
    fn zero_modulus_gives_zeros() {
        let mut input = header(&len_word(1), &len_word(1), &len_word(3));
        input.extend_from_slice(&[0x05, 0x02, 0x00, 0x00, 0x00]);
        assert_eq!(
            call(&input, 1_000, Hardfork::Cancun).unwrap().output,
            [0u8; 3]
        );
    }

    #[test]
    fn empty_base_and_modulus_give_empty_output() {
        // The exponent length is absurd, but with base_len = mod_len = 0 the complexity is 0 and
        // EIP-2565 charges the 200 minimum; nothing is read or allocated.
        let input = header(&len_word(0), &[0xff; 32], &len_word(0));
        let out = call(&input, 200, Hardfork::Cancun).unwrap();
        assert!(out.output.is_empty());
        assert_eq!(out.gas_used, 200);
    }

    #[test]
    fn huge_lengths_fail_the_gas_check_without_allocating() {
        for input in [
            header(&[0xff; 32], &len_word(1), &len_word(1)),
            header(&len_word(1), &len_word(1), &[0xff; 32]),
            header(&len_word(1), &[0xff; 32], &len_word(1)),
            header(
                &len_word(u64::MAX),
                &len_word(u64::MAX),
                &len_word(u64::MAX),
            ),
        ] {
            let err = call(&input, u64::MAX, Hardfork::Cancun).unwrap_err();
            assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
            assert_eq!(err.native_used, 0);
        }
    }

    #[test]
    fn eip7823_bound_applies_to_each_length_field() {
        // EIP-7823: each of the three lengths must be at most 1024 bytes; 1025 in any one of
        // them fails (all gas consumed) from Osaka, and before Osaka is only priced.
        for lengths in [(1025, 1, 1), (1, 1025, 1), (1, 1, 1025)] {
            let input = header(
                &len_word(lengths.0),
                &len_word(lengths.1),
                &len_word(lengths.2),
            );
            let err = call(&input, u64::MAX, Hardfork::Osaka).unwrap_err();
            assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
            assert_eq!(err.native_used, 0);
            assert!(call(&input, u64::MAX, Hardfork::Prague).is_ok());
        }
    }

    #[test]
    fn eip7823_bounds_in_osaka() {
        // 1025 bytes of base is too long from Osaka on, whatever the gas.
        let input = header(&len_word(1025), &len_word(1), &len_word(1));
        let err = call(&input, u64::MAX, Hardfork::Osaka).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        let input = header(&len_word(1), &len_word(1), &[0xff; 32]);
        let err = call(&input, u64::MAX, Hardfork::Osaka).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        // 1024 bytes everywhere is allowed. A zero exponent of 1024 bytes counts
        // 16 * (1024 - 32) = 15872 iterations; gas = 2 * 128^2 * 15872 = 520093696.
        let input = header(&len_word(1024), &len_word(1024), &len_word(1024));
        let out = call(&input, 520_093_696, Hardfork::Osaka).unwrap();
        assert_eq!(out.gas_used, 520_093_696);
        // The modulus is all zeros (missing input), so the result is 1024 zero bytes.
        assert_eq!(out.output, [0u8; 1024]);
        // Before Osaka the same lengths are merely priced: 128^2 * 8 * 992 / 3 = 43341141.
        let out = call(&input, u64::MAX, Hardfork::Prague).unwrap();
        assert_eq!(out.gas_used, 43_341_141);
    }
}
