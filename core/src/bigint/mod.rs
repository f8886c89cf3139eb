//! The 256-bit arithmetic of the EVM's arithmetic opcodes (`ADD` … `MULMOD`, `EXP`) and
//! comparisons (`LT`, `GT`, `SLT`, `SGT`, `EQ`), in place:
//! each function takes the popped operand(s) by reference and overwrites the slot that becomes
//! the new stack top.
//!
//! On riscv32 with the `delegation` feature the work goes to the prover's bigint coprocessor
//! and division advice ([`abi`]); everywhere else it is plain `ruint` code.

pub mod abi;

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
#[allow(unsafe_code)]
mod csr;
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
mod delegated;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
mod portable;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
mod word_portable;

pub mod montgomery;

/// 256-bit word operations that expose the carry, the borrow and the high half of a product,
/// for modular arithmetic written over them ([`montgomery`]): the coprocessor on riscv32 with
/// the `delegation` feature, plain `ruint` code everywhere else. Each takes its first operand
/// by `&mut` and overwrites it with the result.
pub mod word {
    #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
    pub use super::csr::{add, double, eq, lt, mul_high, mul_low, square, sub, sub_reversed};
    #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
    pub use super::word_portable::{
        add, double, eq, lt, mul_high, mul_low, square, sub, sub_reversed,
    };
}

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
pub use delegated::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
pub use portable::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};
