//! The guest ↔ prover interface of the Keccak-f\[1600\] delegation. The guest side is
//! `super::csr` (called by [`super::keccak::permute`]); the emulator in
//! `tests/src/riscv/emulator/hash.rs` implements the other side from the constants here. Beside
//! the bigint delegation (`bigint::abi`).
//!
//! # Keccak-f\[1600\]: `csrrw x0, 0x7cb, x0` (CSR 1995)
//!
//! - `a0` (x10): address of the 25 lanes of the state, 200 bytes, 8-byte aligned: lane
//!   `x + 5y` at offset `8·(x + 5y)`, each a little-endian `u64` (the memory layout of
//!   `[u64; 25]` on a little-endian target);
//! - the call replaces the lanes by Keccak-f\[1600\] of them (FIPS 202 §3.3, 24 rounds) and
//!   touches no other memory and no register.
//!
//! Cost. ZKsync OS's prover runs one permutation as 649 calls of its `keccak_special5`
//! delegation at CSR `0x7c0 + 11` = 1995 (24 rounds × 27 calls + 1 for the last iota:
//! zksync-os `crypto/src/sha3/delegated/precompile.rs`; zksync-airbender
//! `common_constants/src/delegation_types/keccak_special5.rs`,
//! `KECCAK_SPECIAL5_NUM_DELEGATION_CALLS`), each an instruction plus 4 cycles
//! (`KECCAK_DELEGATION_COEFFICIENT`, zksync-os `zk_ee/src/system/constants.rs`). One call here
//! stands for those 649, so a prover charges it [`KECCAK_PERMUTATION_DELEGATION_CYCLES`] =
//! 649 × (1 + 4) − 1 on top of its own instruction: 3,245 cycles per permutation, as upstream.

/// CSR number of the Keccak-f\[1600\] delegation (1995).
pub const KECCAK_CSR: u16 = 0x7cb;
/// Upstream's delegation calls per permutation.
pub const UPSTREAM_CALLS_PER_PERMUTATION: u64 = 649;
/// Upstream's weight of one of those calls, beside its instruction.
pub const UPSTREAM_CYCLES_PER_CALL: u64 = 4;
/// Extra cycles a prover charges per permutation delegation, beside the instruction's own cycle.
pub const KECCAK_PERMUTATION_DELEGATION_CYCLES: u64 =
    UPSTREAM_CALLS_PER_PERMUTATION * (1 + UPSTREAM_CYCLES_PER_CALL) - 1;
