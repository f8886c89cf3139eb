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
    /// BLS12-381 G1ADD, per call.
    pub bls12_g1_add_native: u64,
    /// BLS12-381 G2ADD, per call.
    pub bls12_g2_add_native: u64,
    /// BLS12-381 G1MSM, per pair before the EIP-2537 discount (which applies to it as to gas).
    pub bls12_g1_msm_per_pair_native: u64,
    /// BLS12-381 G2MSM, per pair before the EIP-2537 discount (which applies to it as to gas).
    pub bls12_g2_msm_per_pair_native: u64,
    /// BLS12-381 PAIRING_CHECK, per call.
    pub bls12_pairing_base_native: u64,
    /// BLS12-381 PAIRING_CHECK, per (G1, G2) pair.
    pub bls12_pairing_per_pair_native: u64,
    /// BLS12-381 MAP_FP_TO_G1, per call.
    pub bls12_map_fp_to_g1_native: u64,
    /// BLS12-381 MAP_FP2_TO_G2, per call.
    pub bls12_map_fp2_to_g2_native: u64,
}

/// The 2026 cost model (the "\[new\]" values of the spec).
///
/// The BLS12-381 values are upstream ZKsync OS `basic_system/src/cost_constants.rs`
/// (`BLS12_381_*_NATIVE_COST`), each `raw + 4 * bigint delegations` as its
/// `native_with_delegations!` weighs them: G1ADD 193,000 + 4 * 35,700; G2ADD 249,000 +
/// 4 * 39,000; G1MSM per point 2,312,000 + 4 * 279,900; G2MSM per point 9,392,000 + 4 * 784,000;
/// pairing 12,140,000 + 4 * 835,600 per call and 10,700,000 + 4 * 830,500 per pair;
/// MAP_FP_TO_G1 1,640,000 + 4 * 280,200; MAP_FP2_TO_G2 4,476,000 + 4 * 575,200.
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
    bls12_g1_add_native: 335_800,
    bls12_g2_add_native: 405_000,
    bls12_g1_msm_per_pair_native: 3_431_600,
    bls12_g2_msm_per_pair_native: 12_528_000,
    bls12_pairing_base_native: 15_482_400,
    bls12_pairing_per_pair_native: 14_022_000,
    bls12_map_fp_to_g1_native: 2_760_800,
    bls12_map_fp2_to_g2_native: 6_776_800,
};

impl PrecompileNativeCosts {
    /// The cost table of `version`.
    pub const fn for_version(version: ProtocolVersion) -> &'static PrecompileNativeCosts {
        match version {
            ProtocolVersion::V1 => &PRECOMPILE_NATIVE_COSTS_V1,
        }
    }
}
