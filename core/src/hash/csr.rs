//! The guest side of [`super::blake2s_abi`] and [`super::keccak_abi`]: inline `csrrw`s. Only
//! built for riscv32 with the `delegation` feature; with `bigint::csr` and the native stack's
//! volatile limb reads (`ee::evm::stack`), the only code of the crate with `unsafe`.

use super::blake2s_abi::{MessageBlock, RoundState, BLAKE2S_CSR};
use super::keccak_abi::KECCAK_CSR;
use core::arch::asm;

/// One Blake2s compression of `state.h` with `block`: the ten round delegations in a row, the
/// counter and flags already in `state.v[12..16]`.
#[inline(always)]
pub fn blake2s_compress(state: &mut RoundState, block: &MessageBlock) {
    // SAFETY: `a0` comes from a live `&mut RoundState` (`repr(C)`: 24 `u32`s, 4-byte aligned)
    // and `a1` from a live `&MessageBlock` (64 bytes, `align(4)`); they cannot overlap. Each
    // call reads both and writes only the 24 words behind `a0`, which the exclusive borrow
    // owns, and `a2`, declared clobbered (each call leaves the next round's index in it, so
    // the ten calls run rounds 0 to 9). No stack, no other register.
    unsafe {
        asm!(
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            "csrrw zero, {csr}, zero",
            csr = const BLAKE2S_CSR,
            in("a0") core::ptr::from_mut(state),
            in("a1") core::ptr::from_ref(block),
            inout("a2") 0u32 => _,
            options(nostack, preserves_flags),
        );
    }
}

/// Keccak-f[1600] of `state` in place, on the permutation delegation.
#[inline(always)]
pub fn keccak_permute(state: &mut [u64; 25]) {
    // SAFETY: `a0` comes from a live `&mut [u64; 25]`: 200 bytes, 8-byte aligned, little-endian
    // lanes, exactly the ABI's layout. The call reads and writes only those bytes, which the
    // exclusive borrow owns; no stack, no register.
    unsafe {
        asm!(
            "csrrw zero, {csr}, zero",
            csr = const KECCAK_CSR,
            in("a0") state.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
}
