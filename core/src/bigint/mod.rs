//! The 256-bit arithmetic of the EVM's arithmetic opcodes (`ADD` … `MULMOD`, `EXP`) and
//! comparisons (`LT`, `GT`, `SLT`, `SGT`, `EQ`), in place:
//! each function takes the popped operand(s) by reference and overwrites the slot that becomes
//! the new stack top.
//!
//! On riscv32 with the `delegation` feature the work goes to the prover's bigint coprocessor
//! and division advice ([`abi`]); on wasm32 all but `EXP` are 32-bit-digit code (`limbs32`:
//! wasm has no 64×64→128-bit multiply); everywhere else it is plain `ruint` code. [`word`]
//! exposes the flagged 256-bit operations themselves and [`montgomery`] builds modular
//! arithmetic on them, for the precompiles the guest runs over the delegation.

use crate::primitives::U256;

pub mod abi;
pub mod montgomery;
pub mod word;

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
#[allow(unsafe_code)]
mod csr;
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
mod delegated;
#[cfg(any(target_arch = "wasm32", test))]
mod limbs32;
// wasm32 takes only `exp` from here.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
mod portable;

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
pub use delegated::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};
#[cfg(target_arch = "wasm32")]
pub use limbs32::{add, addmod, div, eq, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub};
#[cfg(target_arch = "wasm32")]
pub use portable::exp;
#[cfg(not(any(
    all(target_arch = "riscv32", feature = "delegation"),
    target_arch = "wasm32"
)))]
pub use portable::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};

/// `(⌊a / b⌋, a mod b)`, both zero when `b` is zero: the engine's own 256-bit divisions (fees,
/// native budgets, the blob fee), here `ruint`'s.
#[cfg(not(target_arch = "wasm32"))]
pub fn div_rem(a: &U256, b: &U256) -> (U256, U256) {
    if b.is_zero() {
        (U256::ZERO, U256::ZERO)
    } else {
        a.div_rem(*b)
    }
}

/// `(⌊a / b⌋, a mod b)`, both zero when `b` is zero: the engine's own 256-bit divisions (fees,
/// native budgets, the blob fee) on `DIV`'s code, so the wasm module carries one 256-bit
/// division (`ruint`'s was 8.7 KB of code besides it).
#[cfg(target_arch = "wasm32")]
pub fn div_rem(a: &U256, b: &U256) -> (U256, U256) {
    limbs32::div_rem_words(a, b)
}

/// `⌈a / b⌉`, zero when `b` is zero ([`div_rem`]).
pub fn div_ceil(a: &U256, b: &U256) -> U256 {
    let (quotient, remainder) = div_rem(a, b);
    if remainder.is_zero() {
        quotient
    } else {
        // A non-zero remainder means `b ≥ 2`, so the quotient is below `2²⁵⁵`.
        quotient + U256::from(1u8)
    }
}
