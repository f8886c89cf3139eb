//! P256VERIFY (0x100, RIP-7212 / EIP-7951): secp256r1 ECDSA signature verification. Gas and
//! native are charged here; the verification runs on the curve backend (`crypto::curves`).

use super::outcome::{charge_gas, curve_output, PrecompileFailure, PrecompileOutput};
use crate::crypto::curves::{CurveBackend, CurveOp};
use crate::resources::precompile_native::PrecompileNativeCosts;

/// P256VERIFY gas, per call (EIP-7951).
const P256_VERIFY_GAS: u64 = 6_900;

/// Input `hash ‖ r ‖ s ‖ qx ‖ qy` (32-byte words). Returns the 32-byte word 1 for a valid
/// signature and empty output (still a success) otherwise, including for a wrong length.
pub(super) fn run(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    charge_gas(P256_VERIFY_GAS, gas_limit)?;
    let native_used = costs.p256_verify_native;
    Ok(PrecompileOutput {
        gas_used: P256_VERIFY_GAS,
        native_used,
        output: curve_output(curves, CurveOp::P256Verify, input, native_used)?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

    fn call(input: &[u8], gas_limit: u64) -> Result<PrecompileOutput, PrecompileFailure> {
        run(
            Precompile::P256Verify,
            input,
            gas_limit,
            Hardfork::Osaka,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
    }

    /// geth core/vm/testdata/precompiles/p256Verify.json, "CallP256Verify".
    const VECTOR: [u8; 160] = hex!(
        "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4d"
        "a73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac"
        "36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d60"
        "4aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff3"
        "7618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e"
    );
    /// The P-256 group order n.
    const N: [u8; 32] = hex!("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

    fn one() -> [u8; 32] {
        let mut word = [0u8; 32];
        word[31] = 1;
        word
    }

    #[test]
    fn geth_vector() {
        let out = call(&VECTOR, 6_900).unwrap();
        assert_eq!(out.output, one());
        assert_eq!((out.gas_used, out.native_used), (6_900, 784_000));
    }

    #[test]
    fn high_s_is_accepted() {
        // (r, n - s) verifies as well: EIP-7951 has no low-s rule.
        // n - s = ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
        //       - 36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d60
        let mut input = VECTOR;
        input[64..96].copy_from_slice(&hex!(
            "c92432fbff62073b6d794e9d50c42802fca1ee12fefbb8b3e6889fcc35f807f1"
        ));
        assert_eq!(call(&input, 6_900).unwrap().output, one());
    }

    #[test]
    fn invalid_signatures_return_empty_output() {
        let mut wrong_hash = VECTOR;
        wrong_hash[0] ^= 1;
        let mut zero_r = VECTOR;
        zero_r[32..64].fill(0);
        let mut s_is_n = VECTOR;
        s_is_n[64..96].copy_from_slice(&N);
        let mut off_curve = VECTOR;
        off_curve[159] ^= 1;
        let mut infinity = VECTOR;
        infinity[96..].fill(0);
        let too_long = [VECTOR.as_slice(), &[0u8]].concat();
        let cases: [&[u8]; 7] = [
            &wrong_hash,
            &zero_r,
            &s_is_n,
            &off_curve,
            &infinity,
            &VECTOR[..159],
            &too_long,
        ];
        for input in cases {
            let out = call(input, 6_900).unwrap();
            assert!(out.output.is_empty());
            assert_eq!((out.gas_used, out.native_used), (6_900, 784_000));
        }
    }

    #[test]
    fn out_of_gas() {
        let err = call(&VECTOR, 6_899).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
    }
}
