//! EVM precompiled contracts with Ethereum gas and ZKsync OS native (proving) costs.
//!
//! Semantics follow the Ethereum execution specs for Cancun; Osaka changes (EIP-7883 modexp
//! pricing, EIP-7823 modexp bounds, EIP-7951 P256VERIFY) apply when `hardfork >= Osaka`; the
//! BLS12-381 precompiles (EIP-2537) exist in the Ethereum flow from Prague.
//! A failing call consumes all gas given to it; the native spent before the failure is reported.

mod blake2f;
mod bls12_381;
mod bn254;
mod ecrecover;
mod hashes;
mod input;
mod modexp;
mod outcome;
mod p256_verify;
mod point_evaluation;

pub use outcome::{PrecompileFailure, PrecompileFailureKind, PrecompileOutput};

use crate::config::{FlowKind, Hardfork};
use crate::crypto::curves::{CurveBackend, DEFAULT_CURVES};
use crate::primitives::Address;
use crate::resources::precompile_native::{
    PrecompileNativeCosts, PrecompileSet, BLAKE2F_MOCK_INPUT_LEN_BYTES,
    POINT_EVALUATION_MOCK_INPUT_LEN_BYTES,
};
use alloc::vec::Vec;

/// Which precompile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precompile {
    /// 0x01: secp256k1 public-key recovery.
    Ecrecover,
    /// 0x02: SHA-256.
    Sha256,
    /// 0x03: RIPEMD-160 (output left-padded to 32 bytes).
    Ripemd160,
    /// 0x04: identity (data copy).
    Identity,
    /// 0x05: modular exponentiation (EIP-198).
    Modexp,
    /// 0x06: alt_bn128 point addition (EIP-196).
    Bn254Add,
    /// 0x07: alt_bn128 scalar multiplication (EIP-196).
    Bn254Mul,
    /// 0x08: alt_bn128 pairing check (EIP-197).
    Bn254Pairing,
    /// 0x09: BLAKE2b F compression (EIP-152).
    Blake2f,
    /// 0x0a: KZG point evaluation (EIP-4844).
    PointEvaluation,
    /// 0x0b: BLS12-381 G1 addition (EIP-2537).
    Bls12G1Add,
    /// 0x0c: BLS12-381 G1 multi-scalar multiplication (EIP-2537).
    Bls12G1Msm,
    /// 0x0d: BLS12-381 G2 addition (EIP-2537).
    Bls12G2Add,
    /// 0x0e: BLS12-381 G2 multi-scalar multiplication (EIP-2537).
    Bls12G2Msm,
    /// 0x0f: BLS12-381 pairing check (EIP-2537).
    Bls12PairingCheck,
    /// 0x10: BLS12-381 map of an Fp element to G1 (EIP-2537).
    Bls12MapFpToG1,
    /// 0x11: BLS12-381 map of an Fp2 element to G2 (EIP-2537).
    Bls12MapFp2ToG2,
    /// 0x100: secp256r1 signature verification (RIP-7212 / EIP-7951).
    P256Verify,
}

/// Every precompile, in address order.
const ALL_PRECOMPILES: [Precompile; 18] = [
    Precompile::Ecrecover,
    Precompile::Sha256,
    Precompile::Ripemd160,
    Precompile::Identity,
    Precompile::Modexp,
    Precompile::Bn254Add,
    Precompile::Bn254Mul,
    Precompile::Bn254Pairing,
    Precompile::Blake2f,
    Precompile::PointEvaluation,
    Precompile::Bls12G1Add,
    Precompile::Bls12G1Msm,
    Precompile::Bls12G2Add,
    Precompile::Bls12G2Msm,
    Precompile::Bls12PairingCheck,
    Precompile::Bls12MapFpToG1,
    Precompile::Bls12MapFp2ToG2,
    Precompile::P256Verify,
];

impl Precompile {
    /// The precompile at `address` under these rules, if any. 0x01..=0x0a for Cancun+ in both
    /// flows; the BLS12-381 ones at 0x0b..=0x11 in `FlowKind::Ethereum` from `Hardfork::Prague`
    /// (ZKsync OS's production build has none); P256Verify at 0x100 in `FlowKind::Zk` always
    /// (with the [`PrecompileSet::Full`] set), and in `FlowKind::Ethereum` from
    /// `Hardfork::Osaka` (EIP-7951).
    pub fn at(
        address: &Address,
        hardfork: Hardfork,
        flow: FlowKind,
        set: PrecompileSet,
    ) -> Option<Precompile> {
        let bytes = address.as_slice();
        let (high, low) = bytes.split_at(18);
        if high.iter().any(|&b| b != 0) {
            return None;
        }
        let number = u16::from_be_bytes([low[0], low[1]]);
        let precompile = match number {
            0x01 => Precompile::Ecrecover,
            0x02 => Precompile::Sha256,
            0x03 => Precompile::Ripemd160,
            0x04 => Precompile::Identity,
            0x05 => Precompile::Modexp,
            0x06 => Precompile::Bn254Add,
            0x07 => Precompile::Bn254Mul,
            0x08 => Precompile::Bn254Pairing,
            0x09 => Precompile::Blake2f,
            0x0a => Precompile::PointEvaluation,
            0x0b => Precompile::Bls12G1Add,
            0x0c => Precompile::Bls12G1Msm,
            0x0d => Precompile::Bls12G2Add,
            0x0e => Precompile::Bls12G2Msm,
            0x0f => Precompile::Bls12PairingCheck,
            0x10 => Precompile::Bls12MapFpToG1,
            0x11 => Precompile::Bls12MapFp2ToG2,
            0x100 => Precompile::P256Verify,
            _ => return None,
        };
        let active = match (precompile, set) {
            (Precompile::P256Verify, PrecompileSet::Production) => false,
            (Precompile::P256Verify, PrecompileSet::Full) => {
                flow == FlowKind::Zk || hardfork >= Hardfork::Osaka
            }
            (
                Precompile::Bls12G1Add
                | Precompile::Bls12G1Msm
                | Precompile::Bls12G2Add
                | Precompile::Bls12G2Msm
                | Precompile::Bls12PairingCheck
                | Precompile::Bls12MapFpToG1
                | Precompile::Bls12MapFp2ToG2,
                _,
            ) => flow == FlowKind::Ethereum && hardfork >= Hardfork::Prague,
            _ => true,
        };
        active.then_some(precompile)
    }

    /// The address this precompile lives at.
    pub fn address(self) -> Address {
        let number: u16 = match self {
            Precompile::Ecrecover => 0x01,
            Precompile::Sha256 => 0x02,
            Precompile::Ripemd160 => 0x03,
            Precompile::Identity => 0x04,
            Precompile::Modexp => 0x05,
            Precompile::Bn254Add => 0x06,
            Precompile::Bn254Mul => 0x07,
            Precompile::Bn254Pairing => 0x08,
            Precompile::Blake2f => 0x09,
            Precompile::PointEvaluation => 0x0a,
            Precompile::Bls12G1Add => 0x0b,
            Precompile::Bls12G1Msm => 0x0c,
            Precompile::Bls12G2Add => 0x0d,
            Precompile::Bls12G2Msm => 0x0e,
            Precompile::Bls12PairingCheck => 0x0f,
            Precompile::Bls12MapFpToG1 => 0x10,
            Precompile::Bls12MapFp2ToG2 => 0x11,
            Precompile::P256Verify => 0x100,
        };
        let mut bytes = [0u8; 20];
        bytes[18..].copy_from_slice(&number.to_be_bytes());
        Address::from(bytes)
    }

    /// All active precompile addresses (EIP-2929 pre-warms them).
    pub fn active(
        hardfork: Hardfork,
        flow: FlowKind,
        set: PrecompileSet,
    ) -> impl Iterator<Item = Address> {
        ALL_PRECOMPILES
            .into_iter()
            .map(Precompile::address)
            .filter(move |address| Precompile::at(address, hardfork, flow, set).is_some())
    }
}

/// Runs `precompile` on `input` with `gas_limit` gas (a mock where `costs.set` mocks it), with
/// the default curve backend ([`DEFAULT_CURVES`]: the linked arithmetic when the `curves`
/// feature is on).
pub fn run(
    precompile: Precompile,
    input: &[u8],
    gas_limit: u64,
    hardfork: Hardfork,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    run_with(
        precompile,
        input,
        gas_limit,
        hardfork,
        costs,
        DEFAULT_CURVES,
    )
}

/// Runs `precompile` on `input` with `gas_limit` gas (a mock where `costs.set` mocks it); the
/// curve precompiles' arithmetic runs on `curves`.
pub fn run_with(
    precompile: Precompile,
    input: &[u8],
    gas_limit: u64,
    hardfork: Hardfork,
    costs: &PrecompileNativeCosts,
    curves: &dyn CurveBackend,
) -> Result<PrecompileOutput, PrecompileFailure> {
    if costs.set == PrecompileSet::Production {
        match precompile {
            Precompile::Blake2f => return mock(input, BLAKE2F_MOCK_INPUT_LEN_BYTES),
            Precompile::PointEvaluation => {
                return mock(input, POINT_EVALUATION_MOCK_INPUT_LEN_BYTES)
            }
            _ => {}
        }
    }
    match precompile {
        Precompile::Ecrecover => ecrecover::run(input, gas_limit, costs),
        Precompile::Sha256 => hashes::sha256(input, gas_limit, costs),
        Precompile::Ripemd160 => hashes::ripemd160(input, gas_limit, costs, curves),
        Precompile::Identity => hashes::identity(input, gas_limit, costs),
        Precompile::Modexp => modexp::run(input, gas_limit, hardfork, costs, curves),
        Precompile::Bn254Add => bn254::add(input, gas_limit, costs, curves),
        Precompile::Bn254Mul => bn254::mul(input, gas_limit, costs, curves),
        Precompile::Bn254Pairing => bn254::pairing(input, gas_limit, costs, curves),
        Precompile::Blake2f => blake2f::run(input, gas_limit, costs),
        Precompile::PointEvaluation => point_evaluation::run(input, gas_limit, costs, curves),
        Precompile::Bls12G1Add => bls12_381::g1_add(input, gas_limit, costs, curves),
        Precompile::Bls12G1Msm => bls12_381::g1_msm(input, gas_limit, costs, curves),
        Precompile::Bls12G2Add => bls12_381::g2_add(input, gas_limit, costs, curves),
        Precompile::Bls12G2Msm => bls12_381::g2_msm(input, gas_limit, costs, curves),
        Precompile::Bls12PairingCheck => bls12_381::pairing_check(input, gas_limit, costs, curves),
        Precompile::Bls12MapFpToG1 => bls12_381::map_fp_to_g1(input, gas_limit, costs, curves),
        Precompile::Bls12MapFp2ToG2 => bls12_381::map_fp2_to_g2(input, gas_limit, costs, curves),
        Precompile::P256Verify => p256_verify::run(input, gas_limit, costs, curves),
    }
}

/// A mocked precompile of [`PrecompileSet::Production`]: success with empty output and no cost
/// on an input of exactly `accepted_len` bytes; otherwise a failure that costs no native (and,
/// as every failure, all gas of the call).
fn mock(input: &[u8], accepted_len: usize) -> Result<PrecompileOutput, PrecompileFailure> {
    if input.len() == accepted_len {
        Ok(PrecompileOutput {
            gas_used: 0,
            native_used: 0,
            output: Vec::new(),
        })
    } else {
        Err(PrecompileFailure::invalid_input(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::address;
    use alloc::vec::Vec;

    #[test]
    fn addresses_round_trip() {
        for precompile in ALL_PRECOMPILES {
            assert_eq!(
                Precompile::at(
                    &precompile.address(),
                    Hardfork::Osaka,
                    FlowKind::Ethereum,
                    PrecompileSet::Full
                ),
                Some(precompile)
            );
        }
        assert_eq!(
            Precompile::PointEvaluation.address(),
            address!("000000000000000000000000000000000000000a")
        );
        assert_eq!(
            Precompile::P256Verify.address(),
            address!("0000000000000000000000000000000000000100")
        );
    }

    #[test]
    fn unknown_addresses_are_not_precompiles() {
        for address in [
            address!("0000000000000000000000000000000000000000"),
            address!("000000000000000000000000000000000000000b"),
            address!("0000000000000000000000000000000000000012"),
            address!("0000000000000000000000000000000000000101"),
            address!("0100000000000000000000000000000000000001"),
        ] {
            assert_eq!(
                Precompile::at(&address, Hardfork::Osaka, FlowKind::Zk, PrecompileSet::Full),
                None
            );
        }
    }

    #[test]
    fn p256_verify_activation() {
        let address = Precompile::P256Verify.address();
        assert_eq!(
            Precompile::at(
                &address,
                Hardfork::Cancun,
                FlowKind::Ethereum,
                PrecompileSet::Full
            ),
            None
        );
        assert_eq!(
            Precompile::at(
                &address,
                Hardfork::Prague,
                FlowKind::Ethereum,
                PrecompileSet::Full
            ),
            None
        );
        assert_eq!(
            Precompile::at(
                &address,
                Hardfork::Osaka,
                FlowKind::Ethereum,
                PrecompileSet::Full
            ),
            Some(Precompile::P256Verify)
        );
        assert_eq!(
            Precompile::at(
                &address,
                Hardfork::Cancun,
                FlowKind::Zk,
                PrecompileSet::Full
            ),
            Some(Precompile::P256Verify)
        );
    }

    #[test]
    fn bls12_381_activation() {
        // EIP-2537 from Prague, in the Ethereum flow only.
        for precompile in &ALL_PRECOMPILES[10..17] {
            let address = precompile.address();
            for (hardfork, flow, active) in [
                (Hardfork::Cancun, FlowKind::Ethereum, false),
                (Hardfork::Prague, FlowKind::Ethereum, true),
                (Hardfork::Osaka, FlowKind::Ethereum, true),
                (Hardfork::Osaka, FlowKind::Zk, false),
            ] {
                assert_eq!(
                    Precompile::at(&address, hardfork, flow, PrecompileSet::Full),
                    active.then_some(*precompile),
                    "{precompile:?} {hardfork:?} {flow:?}"
                );
            }
        }
        assert_eq!(
            Precompile::Bls12MapFp2ToG2.address(),
            address!("0000000000000000000000000000000000000011")
        );
    }

    #[test]
    fn active_sets() {
        // 0x01..=0x0a everywhere, 0x0b..=0x11 in the Ethereum flow from Prague, plus 0x100
        // where P256VERIFY is active.
        assert_eq!(
            Precompile::active(Hardfork::Cancun, FlowKind::Ethereum, PrecompileSet::Full).count(),
            10
        );
        assert_eq!(
            Precompile::active(Hardfork::Prague, FlowKind::Ethereum, PrecompileSet::Full).count(),
            17
        );
        assert_eq!(
            Precompile::active(Hardfork::Osaka, FlowKind::Ethereum, PrecompileSet::Full).count(),
            18
        );
        let zk: Vec<Address> =
            Precompile::active(Hardfork::Cancun, FlowKind::Zk, PrecompileSet::Full).collect();
        assert_eq!(zk.len(), 11);
        assert_eq!(zk[0], address!("0000000000000000000000000000000000000001"));
        assert_eq!(zk[9], address!("000000000000000000000000000000000000000a"));
        assert_eq!(zk[10], address!("0000000000000000000000000000000000000100"));
    }
}
