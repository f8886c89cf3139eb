//! ecrecover (0x01): the address that signed a 32-byte hash.

use super::input::read_padded;
use super::outcome::{charge_gas_and_native, PrecompileFailure, PrecompileOutput};
use crate::crypto::secp256k1::recover_address;
use crate::primitives::B256;
use crate::resources::precompile_native::PrecompileNativeCosts;
use alloc::vec::Vec;

/// ecrecover gas, per call.
const ECRECOVER_GAS: u64 = 3_000;

/// Input `hash ‖ v ‖ r ‖ s` (32-byte words, zero-padded to 128 bytes). Returns the signer
/// left-padded to 32 bytes, or empty output (still a success) for any invalid signature.
pub(super) fn run(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    charge_gas_and_native(ECRECOVER_GAS, gas_limit, costs.ecrecover_native, costs)?;
    let data = read_padded::<128>(input, 0);
    let output = recover(&data).unwrap_or_default();
    Ok(PrecompileOutput {
        gas_used: ECRECOVER_GAS,
        native_used: costs.ecrecover_native,
        output,
    })
}

/// The 32-byte output for a well-formed signature, `None` otherwise.
fn recover(data: &[u8; 128]) -> Option<Vec<u8>> {
    let (hash, rest) = data.split_at(32);
    let (v, rest) = rest.split_at(32);
    let (r, s) = rest.split_at(32);
    let (v_high, v_low) = v.split_at(31);
    if v_high.iter().any(|&b| b != 0) {
        return None;
    }
    let y_parity = match v_low {
        [27] => false,
        [28] => true,
        _ => return None,
    };
    let address = recover_address(
        &B256::from_slice(hash),
        &B256::from_slice(r),
        &B256::from_slice(s),
        y_parity,
    )?;
    let mut output = Vec::with_capacity(32);
    output.extend_from_slice(&[0u8; 12]);
    output.extend_from_slice(address.as_slice());
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::super::{run, Precompile, PrecompileFailureKind};
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

    fn call(input: &[u8], gas_limit: u64) -> super::PrecompileOutput {
        run(
            Precompile::Ecrecover,
            input,
            gas_limit,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
        .expect("ecrecover never fails after the gas check")
    }

    // geth core/vm/testdata/precompiles/ecRecover.json, "ValidKey".
    const VALID: [u8; 128] = hex!(
        "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
        "000000000000000000000000000000000000000000000000000000000000001c"
        "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
        "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549"
    );
    const SIGNER: [u8; 32] =
        hex!("000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b");

    #[test]
    fn geth_valid_key() {
        let out = call(&VALID, 3_000);
        assert_eq!(out.output, SIGNER);
        assert_eq!((out.gas_used, out.native_used), (3_000, 522_000));
    }

    #[test]
    fn geth_invalid_vectors_return_empty_output() {
        for input in [
            // CallEcrecoverUnrecoverableKey
            hex!(
                "a8b53bdf3306a35a7103ab5504a0c9b492295564b6202b1942a84ef300107281"
                "000000000000000000000000000000000000000000000000000000000000001b"
                "3078356531653033663533636531386237373263636230303933666637316633"
                "6635336635633735623734646362333161383561613862383839326234653862"
                "1122334455667788991011121314151617181920212223242526272829303132"
            )
            .to_vec(),
            // InvalidHighV-bits-1
            hex!(
                "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
                "100000000000000000000000000000000000000000000000000000000000001c"
                "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
                "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549"
            )
            .to_vec(),
            // InvalidHighV-bits-2
            hex!(
                "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
                "000000000000000000000000000000000000001000000000000000000000001c"
                "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
                "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549"
            )
            .to_vec(),
        ] {
            let out = call(&input, 3_000);
            assert!(out.output.is_empty());
            assert_eq!((out.gas_used, out.native_used), (3_000, 522_000));
        }
    }

    #[test]
    fn v_other_than_27_or_28_is_invalid() {
        let mut input = VALID;
        input[63] = 1;
        assert!(call(&input, 3_000).output.is_empty());
        input[63] = 29;
        assert!(call(&input, 3_000).output.is_empty());
    }

    #[test]
    fn out_of_range_scalars_are_invalid() {
        // s = n (secp256k1 group order) is out of range.
        let mut input = VALID;
        input[96..].copy_from_slice(&hex!(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
        ));
        assert!(call(&input, 3_000).output.is_empty());
        // r = 0.
        let mut input = VALID;
        input[64..96].fill(0);
        assert!(call(&input, 3_000).output.is_empty());
    }

    #[test]
    fn high_s_is_accepted() {
        // (r, n - s) with the other parity is the same signature: the precompile does not apply
        // the EIP-2 low-s rule. n - s for s = eeb940b1...4549:
        // fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141
        // - eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549
        // = 1146bf4e2fc4de1c94f1b81868960f68bc842490f1b6bc98387ba6b57599fbf8
        let mut input = VALID;
        input[63] = 0x1b;
        input[96..].copy_from_slice(&hex!(
            "1146bf4e2fc4de1c94f1b81868960f68bc842490f1b6bc98387ba6b57599fbf8"
        ));
        assert_eq!(call(&input, 3_000).output, SIGNER);
    }

    #[test]
    fn short_input_is_zero_padded() {
        // Without s the signature has s = 0: invalid, but not an error.
        let out = call(&VALID[..96], 3_000);
        assert!(out.output.is_empty());
        // Trailing bytes beyond 128 are ignored.
        let mut long = VALID.to_vec();
        long.extend_from_slice(&[0xff; 10]);
        assert_eq!(call(&long, 3_000).output, SIGNER);
    }

    #[test]
    fn out_of_gas() {
        let err = run(
            Precompile::Ecrecover,
            &VALID,
            2_999,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
        .unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
    }
}
