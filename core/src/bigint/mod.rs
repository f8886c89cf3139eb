//! The 256-bit arithmetic of the EVM's arithmetic opcodes (`ADD` … `MULMOD`, `EXP`) and
//! comparisons (`LT`, `GT`, `SLT`, `SGT`, `EQ`), in place:
//! each function takes the popped operand(s) by reference and overwrites the slot that becomes
//! the new stack top.
//!
//! On riscv32 with the `delegation` feature the work goes to the prover's bigint coprocessor
//! and division advice ([`abi`]); everywhere else it is plain `ruint` code. [`word`] exposes the
//! flagged 256-bit operations themselves and [`montgomery`] builds modular arithmetic on them,
//! for the precompiles the guest runs over the delegation.

pub mod abi;
#[cfg(any(
    test,
    all(target_arch = "riscv32", feature = "delegation", feature = "curves")
))]
pub mod montgomery;
#[cfg(any(test, all(target_arch = "riscv32", feature = "delegation")))]
pub mod word;

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
#[allow(unsafe_code)]
mod csr;
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
mod delegated;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
mod portable;

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
pub use delegated::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
pub use portable::{
    add, addmod, div, eq, exp, gt, lt, mul, mulmod, rem, sdiv, sgt, slt, smod, sub,
};
