//! Native (proving-cost) constants for precompiles, one table per protocol version (the
//! precompiles in `precompiles` charge them; [`super::native::NativeCostTable`] carries them).

use crate::config::ProtocolVersion;

/// Native (proving-cost) constants for precompiles, one value per protocol version.
///
/// Every field is in native units. Native is charged only once the gas check has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrecompileNativeCosts {
    /// ecrecover, per call.
    pub ecrecover_native: u64,
    /// SHA-256, per call.
    pub sha256_base_native: u64,
    /// SHA-256, per padded 64-byte block.
    pub sha256_per_block_native: u64,
    /// RIPEMD-160, per call.
    pub ripemd160_base_native: u64,
    /// RIPEMD-160, per padded 64-byte block.
    pub ripemd160_per_block_native: u64,
    /// Identity, per call.
    pub identity_base_native: u64,
    /// Identity, per input byte copied.
    pub identity_per_byte_native: u64,
    /// Modexp, per unit of gas charged.
    pub modexp_native_per_gas: u64,
    /// alt_bn128 addition, per call.
    pub bn254_add_native: u64,
    /// alt_bn128 scalar multiplication, per call.
    pub bn254_mul_native: u64,
    /// alt_bn128 pairing check, per call.
    pub bn254_pairing_base_native: u64,
    /// alt_bn128 pairing check, per (G1, G2) pair.
    pub bn254_pairing_per_pair_native: u64,
    /// BLAKE2b F, per call.
    pub blake2f_base_native: u64,
    /// BLAKE2b F, per round.
    pub blake2f_per_round_native: u64,
    /// KZG point evaluation, per call.
    pub point_evaluation_native: u64,
    /// P256VERIFY, per call.
    pub p256_verify_native: u64,
    /// The BLS12-381 precompiles (EIP-2537; Ethereum flow only), per unit of gas charged.
    pub bls12_381_native_per_gas: u64,
}

/// The 2026 cost model (the "\[new\]" values of the spec).
pub const PRECOMPILE_NATIVE_COSTS_V1: PrecompileNativeCosts = PrecompileNativeCosts {
    ecrecover_native: 522_000,
    sha256_base_native: 1_600,
    sha256_per_block_native: 4_200,
    ripemd160_base_native: 1_600,
    ripemd160_per_block_native: 4_200,
    identity_base_native: 80,
    identity_per_byte_native: 1,
    modexp_native_per_gas: 300,
    bn254_add_native: 52_600,
    bn254_mul_native: 764_000,
    bn254_pairing_base_native: 15_000_000,
    bn254_pairing_per_pair_native: 15_000_000,
    blake2f_base_native: 1_577,
    blake2f_per_round_native: 672,
    point_evaluation_native: 63_100_000,
    p256_verify_native: 784_000,
    // Ours (ZKsync OS has no BLS12-381 precompile): the rate of KZG point evaluation, also
    // BLS12-381 pairings, 63,100,000 native for 50,000 gas = 1,262 per gas.
    bls12_381_native_per_gas: 1_262,
};

impl PrecompileNativeCosts {
    /// The cost table of `version`.
    pub const fn for_version(version: ProtocolVersion) -> &'static PrecompileNativeCosts {
        match version {
            ProtocolVersion::V1 => &PRECOMPILE_NATIVE_COSTS_V1,
        }
    }
}
