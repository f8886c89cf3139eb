//! SHA-256 (0x02), RIPEMD-160 (0x03) and identity (0x04).

use super::input::words;
use super::outcome::{charge_gas_and_native, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::hash::sha256 as sha256_digest;
use crate::resources::precompile_native::PrecompileNativeCosts;

/// SHA-256 base gas.
const SHA256_BASE_GAS: u64 = 60;
/// SHA-256 gas per 32-byte input word.
const SHA256_PER_WORD_GAS: u64 = 12;
/// RIPEMD-160 base gas.
const RIPEMD160_BASE_GAS: u64 = 600;
/// RIPEMD-160 gas per 32-byte input word.
const RIPEMD160_PER_WORD_GAS: u64 = 120;
/// Identity base gas.
const IDENTITY_BASE_GAS: u64 = 15;
/// Identity gas per 32-byte input word.
const IDENTITY_PER_WORD_GAS: u64 = 3;

/// `base + per_word * words(len)`, saturating.
fn word_gas(base: u64, per_word: u64, len: usize) -> u64 {
    base.saturating_add(per_word.saturating_mul(words(len)))
}

/// 64-byte blocks hashed by SHA-256 or RIPEMD-160 for `len` bytes: the message, a 0x80 byte and
/// the 8-byte length, rounded up to whole blocks.
fn padded_blocks(len: usize) -> u64 {
    (len as u64).saturating_add(1 + 8).div_ceil(64)
}

/// `base + per_block * padded_blocks(len)`, saturating.
fn block_native(base: u64, per_block: u64, len: usize) -> u64 {
    base.saturating_add(per_block.saturating_mul(padded_blocks(len)))
}

/// SHA-256 of the input.
pub(super) fn sha256(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let gas_used = word_gas(SHA256_BASE_GAS, SHA256_PER_WORD_GAS, input.len());
    let native_used = block_native(
        costs.sha256_base_native,
        costs.sha256_per_block_native,
        input.len(),
    );
    charge_gas_and_native(gas_used, gas_limit, native_used, costs)?;
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output: sha256_digest(input).to_vec(),
    })
}

/// RIPEMD-160 of the input, left-padded to 32 bytes.
pub(super) fn ripemd160(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let gas_used = word_gas(RIPEMD160_BASE_GAS, RIPEMD160_PER_WORD_GAS, input.len());
    let native_used = block_native(
        costs.ripemd160_base_native,
        costs.ripemd160_per_block_native,
        input.len(),
    );
    charge_gas_and_native(gas_used, gas_limit, native_used, costs)?;
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output: curve_output(curves, CurveOp::Ripemd160, input, native_used)?,
    })
}

/// The input, unchanged.
pub(super) fn identity(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let gas_used = word_gas(IDENTITY_BASE_GAS, IDENTITY_PER_WORD_GAS, input.len());
    let native_used = costs.identity_base_native.saturating_add(
        costs
            .identity_per_byte_native
            .saturating_mul(input.len() as u64),
    );
    charge_gas_and_native(gas_used, gas_limit, native_used, costs)?;
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output: input.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{run, Precompile, PrecompileFailureKind};
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

    fn call(precompile: Precompile, input: &[u8], gas_limit: u64) -> super::PrecompileOutput {
        run(
            precompile,
            input,
            gas_limit,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
        .expect("call succeeds")
    }

    #[test]
    fn sha256_nist_vectors() {
        // FIPS 180-2 / NIST examples: "abc" and the 56-byte two-block message.
        let out = call(Precompile::Sha256, b"abc", 1_000);
        assert_eq!(
            out.output,
            hex!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        // 60 + 12 * ceil(3/32) = 72 gas; 3 + 9 = 12 bytes -> 1 block: 1600 + 4200 = 5800 native.
        assert_eq!((out.gas_used, out.native_used), (72, 5_800));

        let msg = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        let out = call(Precompile::Sha256, msg, 1_000);
        assert_eq!(
            out.output,
            hex!("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        );
        // 56 bytes: 60 + 12 * 2 = 84 gas; 56 + 9 = 65 bytes -> 2 blocks: 1600 + 2 * 4200 = 10000.
        assert_eq!((out.gas_used, out.native_used), (84, 10_000));

        let out = call(Precompile::Sha256, b"", 60);
        assert_eq!(
            out.output,
            hex!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        // Empty input: 60 gas; 9 bytes of padding -> 1 block: 5800 native.
        assert_eq!((out.gas_used, out.native_used), (60, 5_800));
    }

    #[test]
    fn ripemd160_reference_vectors() {
        // Vectors from the RIPEMD-160 reference page (Bosselaers).
        let out = call(Precompile::Ripemd160, b"abc", 1_000);
        assert_eq!(
            out.output,
            hex!("0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc")
        );
        // 600 + 120 * 1 = 720 gas; 1 block: 1600 + 4200 = 5800 native.
        assert_eq!((out.gas_used, out.native_used), (720, 5_800));

        let out = call(Precompile::Ripemd160, b"", 600);
        assert_eq!(
            out.output,
            hex!("0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31")
        );
        assert_eq!(out.gas_used, 600);

        let msg = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        let out = call(Precompile::Ripemd160, msg, 1_000);
        assert_eq!(
            out.output,
            hex!("00000000000000000000000012a053384a9c0c88e405a06c27dcf49ada62eb2b")
        );
        // 600 + 120 * 2 = 840 gas; 65 padded bytes -> 2 blocks: 1600 + 8400 = 10000 native.
        assert_eq!((out.gas_used, out.native_used), (840, 10_000));
    }

    #[test]
    fn identity_copies_input() {
        let input = [7u8; 33];
        let out = call(Precompile::Identity, &input, 21);
        assert_eq!(out.output, input);
        // 15 + 3 * 2 = 21 gas; 80 + 33 = 113 native.
        assert_eq!((out.gas_used, out.native_used), (21, 113));
    }

    #[test]
    fn out_of_gas_charges_no_native() {
        for (precompile, needed) in [
            (Precompile::Sha256, 72),
            (Precompile::Ripemd160, 720),
            (Precompile::Identity, 18),
        ] {
            let err = run(
                precompile,
                b"abc",
                needed - 1,
                Hardfork::Cancun,
                &PRECOMPILE_NATIVE_COSTS_V1,
            )
            .unwrap_err();
            assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
            assert_eq!(err.native_used, 0);
        }
    }

    #[test]
    fn padded_block_boundaries() {
        // 55 bytes + 9 = 64 -> 1 block; 56 + 9 = 65 -> 2; 119 + 9 = 128 -> 2; 120 + 9 -> 3.
        assert_eq!(super::padded_blocks(55), 1);
        assert_eq!(super::padded_blocks(56), 2);
        assert_eq!(super::padded_blocks(119), 2);
        assert_eq!(super::padded_blocks(120), 3);
    }
}
