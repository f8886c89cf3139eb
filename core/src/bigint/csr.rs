//! The guest side of [`super::abi`]: one inline `csrrw` per call. Only built for riscv32 with
//! the `delegation` feature; with `hash::csr` and the native stack's volatile limb reads
//! (`ee::evm::stack`), the only code of the crate with `unsafe`.
//!
//! Layout: `U256` (`ruint::Uint<256, 4>`) is `#[repr(transparent)]` over `[u64; 4]`, least
//! significant limb first, so on little-endian riscv32 a `&U256` points at exactly the 32 bytes
//! of eight little-endian `u32` words the ABI expects, 8-byte aligned.

use super::abi::{
    ADVICE_CSR, BIGINT_CSR, OP_ADD, OP_EQ, OP_LT, OP_MUL_HIGH, OP_MUL_LOW, OP_SUB, OP_SUB_REVERSED,
};
use crate::primitives::U256;
use core::arch::asm;
use core::mem::MaybeUninit;

/// Runs a writing op: `a ← a op b`, returns the flag.
#[inline(always)]
fn write_op<const OP: u32>(a: &mut U256, b: &U256) -> bool {
    let flag: u32;
    // SAFETY: `a0` comes from a live `&mut U256` and `a1` from a live `&U256` (they cannot
    // overlap); the coprocessor reads the 32 bytes behind each and writes only the 32 bytes
    // behind `a0`, which the exclusive borrow owns. It uses no stack and writes no register but
    // `flag`, declared as an output.
    unsafe {
        asm!(
            "csrrwi {flag}, {csr}, {op}",
            flag = lateout(reg) flag,
            csr = const BIGINT_CSR,
            op = const OP,
            in("a0") core::ptr::from_mut(a),
            in("a1") core::ptr::from_ref(b),
            options(nostack, preserves_flags),
        );
    }
    flag != 0
}

/// Runs a comparing op on `a` and `b`, which it only reads; returns the flag.
#[inline(always)]
fn read_op<const OP: u32>(a: &U256, b: &U256) -> bool {
    let flag: u32;
    // SAFETY: both addresses come from live `&U256`s; EQ and LT (the only ops passed here) read
    // the 32 bytes behind each and write no memory, as `readonly` declares.
    unsafe {
        asm!(
            "csrrwi {flag}, {csr}, {op}",
            flag = lateout(reg) flag,
            csr = const BIGINT_CSR,
            op = const OP,
            in("a0") core::ptr::from_ref(a),
            in("a1") core::ptr::from_ref(b),
            options(nostack, preserves_flags, readonly),
        );
    }
    flag != 0
}

/// `a ← a + b mod 2²⁵⁶`; returns the carry.
#[inline(always)]
pub fn add(a: &mut U256, b: &U256) -> bool {
    write_op::<OP_ADD>(a, b)
}

/// `a ← a − b mod 2²⁵⁶`; returns the borrow.
#[inline(always)]
pub fn sub(a: &mut U256, b: &U256) -> bool {
    write_op::<OP_SUB>(a, b)
}

/// `a ← b − a mod 2²⁵⁶`; returns the borrow.
#[inline(always)]
pub fn sub_reversed(a: &mut U256, b: &U256) -> bool {
    write_op::<OP_SUB_REVERSED>(a, b)
}

/// `a ← a·b mod 2²⁵⁶`; returns whether the full product exceeds 256 bits.
#[inline(always)]
pub fn mul_low(a: &mut U256, b: &U256) -> bool {
    write_op::<OP_MUL_LOW>(a, b)
}

/// `a ← ⌊a·b / 2²⁵⁶⌋`.
#[inline(always)]
pub fn mul_high(a: &mut U256, b: &U256) {
    write_op::<OP_MUL_HIGH>(a, b);
}

/// Runs a writing op with both operand addresses `a`'s: `a ← a op a`, returns the flag.
#[inline(always)]
fn aliased_op<const OP: u32>(a: &mut U256) -> bool {
    let at = core::ptr::from_mut(a);
    let flag: u32;
    // SAFETY: `at` comes from a live `&mut U256` used for nothing else during the call; the
    // coprocessor reads those 32 bytes (as A and as B) before it writes them and touches no
    // other memory, no stack and no register but `flag`, declared as an output.
    unsafe {
        asm!(
            "csrrwi {flag}, {csr}, {op}",
            flag = lateout(reg) flag,
            csr = const BIGINT_CSR,
            op = const OP,
            in("a0") at,
            in("a1") at,
            options(nostack, preserves_flags),
        );
    }
    flag != 0
}

/// `a ← a² mod 2²⁵⁶` (both operand addresses are `a`'s).
#[inline(always)]
pub fn square(a: &mut U256) {
    aliased_op::<OP_MUL_LOW>(a);
}

/// `a ← 2a mod 2²⁵⁶` (both operand addresses are `a`'s); returns the carry.
#[inline(always)]
pub fn double(a: &mut U256) -> bool {
    aliased_op::<OP_ADD>(a)
}

/// Whether `a = b`.
#[inline(always)]
pub fn eq(a: &U256, b: &U256) -> bool {
    read_op::<OP_EQ>(a, b)
}

/// Whether `a < b`.
#[inline(always)]
pub fn lt(a: &U256, b: &U256) -> bool {
    read_op::<OP_LT>(a, b)
}

/// Asks the host for `⌊n / d⌋` and `n mod d` of the 512-bit `high·2²⁵⁶ + low`, written into
/// `answer` as `[quotient, remainder]`. Unverified: the caller checks the answer.
#[inline(always)]
pub fn division_advice<'a>(
    low: &U256,
    high: &U256,
    d: &U256,
    answer: &'a mut MaybeUninit<[U256; 2]>,
) -> &'a mut [U256; 2] {
    // SAFETY: `a0`–`a2` come from live shared references to 32 bytes each and `a3` from the
    // exclusive `answer` (64 bytes); the host reads the first three and writes only the fourth.
    // It uses no stack and changes no register.
    unsafe {
        asm!(
            "csrrw zero, {csr}, zero",
            csr = const ADVICE_CSR,
            in("a0") core::ptr::from_ref(low),
            in("a1") core::ptr::from_ref(high),
            in("a2") core::ptr::from_ref(d),
            in("a3") answer.as_mut_ptr(),
            options(nostack, preserves_flags),
        );
    }
    // SAFETY: the advice CSR writes all 64 bytes behind `a3` (any bytes are a valid
    // `[U256; 2]`), or the machine stops and this line never runs.
    unsafe { answer.assume_init_mut() }
}
