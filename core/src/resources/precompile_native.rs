//! Native (proving-cost) constants for precompiles and the set of precompiles, one table per
//! protocol version (the precompiles in `precompiles` charge them;
//! [`super::native::NativeCostTable`] carries them).

use crate::config::ProtocolVersion;

/// Which precompiles a protocol version has in the ZKsync OS flow, and which of them compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrecompileSet {
    /// Every precompile of the hardfork, computed; P256VERIFY at 0x100 in the ZKsync OS flow
    /// from Cancun on (version 1, and the Ethereum flow).
    Full,
    /// Upstream ZKsync OS's production build (features `mock-unsupported-precompiles`, no
    /// `p256_precompile`; `system_hooks/src/lib.rs::add_precompiles`,
    /// `system_hooks/src/mock_precompiles.rs`): 0x01-0x08 computed; BLAKE2F (0x09) and point
    /// evaluation (0x0a) mocked, succeeding with empty output and no cost on an input of exactly
    /// [`BLAKE2F_MOCK_INPUT_LEN_BYTES`] / [`POINT_EVALUATION_MOCK_INPUT_LEN_BYTES`] bytes and
    /// failing otherwise; no P256VERIFY (0x100 is a plain address).
    Production,
}

/// Input length the BLAKE2F mock accepts (upstream `mock_precompiles.rs`, `Blake`).
pub const BLAKE2F_MOCK_INPUT_LEN_BYTES: usize = 213;
/// Input length the point-evaluation mock accepts (upstream `mock_precompiles.rs`,
/// `PointEval`; a valid EIP-4844 input has 192 bytes, so it fails).
pub const POINT_EVALUATION_MOCK_INPUT_LEN_BYTES: usize = 193;

/// Native (proving-cost) constants for precompiles, one value per protocol version.
///
/// Every field is in native units. Native is charged only once the gas check has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrecompileNativeCosts {
    /// Which precompiles exist and which compute.
    pub set: PrecompileSet,
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
    /// Modexp's native is the gas of the same call with the modulus length rounded up to a
    /// multiple of this many bytes (1: the gas itself).
    pub modexp_native_modulus_alignment_bytes: u64,
    /// Native modexp's call must hold before it starts; with less the call fails out of gas,
    /// charging nothing (0: no such check).
    pub modexp_minimal_native: u64,
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
    /// Whether a call whose gas does not cover the precompile still spends its native (the
    /// fixed-price precompiles and the hashes charge gas and native together, native first).
    pub native_spent_out_of_gas: bool,
}

/// The 2026 cost model (the "\[new\]" values of the spec).
pub const PRECOMPILE_NATIVE_COSTS_V1: PrecompileNativeCosts = PrecompileNativeCosts {
    set: PrecompileSet::Full,
    ecrecover_native: 522_000,
    sha256_base_native: 1_600,
    sha256_per_block_native: 4_200,
    ripemd160_base_native: 1_600,
    ripemd160_per_block_native: 4_200,
    identity_base_native: 80,
    identity_per_byte_native: 1,
    modexp_native_per_gas: 300,
    modexp_native_modulus_alignment_bytes: 1,
    modexp_minimal_native: 0,
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
    native_spent_out_of_gas: false,
};

/// Upstream ZKsync OS (ADI-Stack-zkOS @ 8035ac6f): ecrecover 350,000 + 43,000 × 4, bn254
/// add 46,000 + 1,650 × 4, mul 600,000 + 41,000 × 4, pairing 13,000,000 + 500,000 × 4 per call and
/// per pair, modexp 300 per gas of the call with its modulus rounded up to 32 bytes (its
/// bigint delegation's word, `system_functions/modexp/mod.rs::native_cost`), sha256 / ripemd160
/// 1,600 + 4,200 per block
/// (`basic_system/src/cost_constants.rs`); identity 20 + 10 per byte
/// (`system_hooks/src/precompiles.rs`); BLAKE2F and point evaluation are mocks that cost
/// nothing and P256VERIFY is absent ([`PrecompileSet::Production`]), so their figures are
/// never charged. Ecrecover, the hashes, identity and the bn254 operations charge gas and
/// native in one `Resources::charge`, which takes the native before it finds the gas short
/// (`zk_ee/src/reference_implementations/mod.rs`), so an out-of-gas call spends its native.
/// Modexp first checks that its call holds its minimal cost, 200 gas and 200 × 300 native
/// (`MODEXP_MINIMAL_COST_ERGS`, `MODEXP_WORST_CASE_NATIVE_PER_GAS`), with `has_enough`, whose
/// failure it answers as out of ergs, so a call short of that native fails out of gas and the
/// transaction keeps the native it spent (`system_functions/modexp/mod.rs`).
pub const PRECOMPILE_NATIVE_COSTS_V2: PrecompileNativeCosts = PrecompileNativeCosts {
    set: PrecompileSet::Production,
    modexp_native_modulus_alignment_bytes: 32,
    modexp_minimal_native: 200 * 300,
    identity_base_native: 20,
    identity_per_byte_native: 10,
    blake2f_base_native: 0,
    blake2f_per_round_native: 0,
    point_evaluation_native: 0,
    p256_verify_native: 0,
    native_spent_out_of_gas: true,
    ..PRECOMPILE_NATIVE_COSTS_V1
};

impl PrecompileNativeCosts {
    /// The cost table of `version`.
    pub const fn for_version(version: ProtocolVersion) -> &'static PrecompileNativeCosts {
        match version {
            ProtocolVersion::V1 => &PRECOMPILE_NATIVE_COSTS_V1,
            ProtocolVersion::V2 => &PRECOMPILE_NATIVE_COSTS_V2,
        }
    }
}
