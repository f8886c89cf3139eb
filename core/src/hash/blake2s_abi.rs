//! The guest ↔ prover interface of the Blake2s round delegation. The guest side is
//! `super::csr` (called by `super::blake2s`); the emulator in
//! `tests/src/riscv/emulator/hash.rs` implements the other side from the constants here.
//! Beside the bigint delegation (`bigint::abi`).
//!
//! # Blake2s round: `csrrw x0, 0x7c7, x0` (CSR 1991)
//!
//! One call is one of the ten rounds of the Blake2s compression function (RFC 7693 §3.2);
//! a compression is ten calls in a row. Registers:
//! - `a0` (x10): address of 24 words: the chaining value `h[0..8]`, then the working vector
//!   `v[0..16]`; read and written;
//! - `a1` (x11): address of the 64-byte message block `m[0..16]`; only read;
//! - `a2` (x12): the round index `r` (0 to 9); the call leaves `r + 1` in it.
//!
//! All words are little-endian `u32`, both addresses 4-byte aligned. Round 0 first loads the
//! working vector: `v[0..8] ← h`, `v[8..16] ← IV ⊕ (0, 0, 0, 0, t₀, t₁, f₀, f₁)`, where the
//! guest has written the byte counter `t` (low word, high word) and the final-block flags
//! (`f₀` = `0xffff_ffff` on the last block, `f₁` = 0) into `v[12..16]` before the call. Every
//! round then applies the eight `G` mixings with the message schedule `σ[r]`. Round 9 ends by
//! folding the result into the chaining value: `h[i] ← h[i] ⊕ v[i] ⊕ v[i + 8]`. An index above
//! 9 stops the machine. The call touches no other memory and no other register.
//!
//! A prover charges each call 16 cycles on top of the instruction itself
//! ([`BLAKE2S_ROUND_DELEGATION_CYCLES`]).
//!
//! Upstream facts, not code: ZKsync OS's prover has its Blake2s delegation at CSR
//! `0x7c0 + 7` = 1991 with the state at `x10`, the block at `x11` and a control word at `x12`,
//! one call per round, ten per compression (zksync-airbender
//! `common_constants/src/delegation_types/blake2s_with_control.rs`; zksync-os
//! `crypto/src/blake2s/delegated_extended.rs`), and weighs each call 16
//! (`BLAKE_DELEGATION_COEFFICIENT`, zksync-os `zk_ee/src/system/constants.rs`).

/// CSR number of the Blake2s round delegation (1991).
pub const BLAKE2S_CSR: u16 = 0x7c7;
/// Extra cycles a prover charges per round delegation, beside the instruction's own cycle.
pub const BLAKE2S_ROUND_DELEGATION_CYCLES: u64 = 16;
/// Rounds of one compression: calls with `a2` = 0, 1, …, 9.
pub const BLAKE2S_ROUNDS: u32 = 10;
/// Bytes of a message block.
pub const BLAKE2S_BLOCK_BYTES: usize = 64;
/// Blake2s's initialisation vector (RFC 7693 §2.6: SHA-256's initial hash value).
pub const BLAKE2S_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
/// `f₀` of the last block.
pub const BLAKE2S_LAST_BLOCK_FLAG: u32 = u32::MAX;

/// The 24 words `a0` points at: the chaining value, then the working vector.
#[cfg(any(test, all(target_arch = "riscv32", feature = "delegation")))]
#[repr(C)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundState {
    /// The chaining value `h`.
    pub h: [u32; 8],
    /// The working vector `v`; the guest sets `v[12..16]` before round 0.
    pub v: [u32; 16],
}

/// The message block `a1` points at: 64 bytes, 4-byte aligned (16 little-endian words).
#[cfg(any(test, all(target_arch = "riscv32", feature = "delegation")))]
#[repr(C, align(4))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageBlock(pub [u8; BLAKE2S_BLOCK_BYTES]);
