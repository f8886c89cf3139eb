//! The guest ↔ prover interface for 256-bit arithmetic on riscv32: one bigint delegation CSR
//! and one advice CSR. The guest side is `super::csr`; the emulator in
//! `tests/src/riscv/emulator.rs` implements the other side from the constants here.
//!
//! # Bigint delegation: `csrrwi rd, 0x7ca, op` (CSR 1994)
//!
//! - the instruction's 5-bit immediate selects the op ([`OP_ADD`] … [`OP_LT`]), so no
//!   register is spent on it;
//! - `a0` (x10): address of operand A, 32 bytes, read and written;
//! - `a1` (x11): address of operand B, 32 bytes, only read (it may equal `a0`);
//! - `rd` receives the op's flag (0 or 1); no other register changes.
//!
//! Both operands are 4-byte aligned, eight little-endian `u32` words, least significant first
//! (the memory layout of a `U256` on a little-endian target). An op reads both operands fully
//! before it writes A, and it touches no other memory. A prover charges each delegation as
//! 4 cycles on top of the instruction itself ([`BIGINT_DELEGATION_CYCLES`]).
//!
//! # Division advice: `csrrw x0, 0x7c0, x0` (CSR 0x7c0)
//!
//! Registers instead of the instruction's fields:
//! - `a0`, `a1`: addresses of the low and the high 32 bytes of the 512-bit numerator N;
//! - `a2`: address of the 32-byte divisor D;
//! - `a3`: address of a 64-byte buffer the host fills with the quotient Q then the remainder R.
//!
//! The registers are left unchanged; all operands have the bigint layout above.
//!
//! The guest only asks when D ≠ 0 and the high half of N is below D, so Q fits 256 bits. The
//! answer is untrusted: the guest checks Q·D + R = N and R < D before it uses it, so a host
//! that lies can stop the run (a panic) but never change a result. 0x7c0 is the first CSR of
//! the RISC-V privileged spec's custom machine-mode read/write range (0x7c0–0x7ff), the number
//! ZKsync OS uses for its non-determinism source; division advice is exactly such a source.

/// CSR number of the bigint delegation (1994).
pub const BIGINT_CSR: u16 = 0x7ca;
/// CSR number of the division advice.
pub const ADVICE_CSR: u16 = 0x7c0;
/// Extra cycles a prover charges per bigint delegation, beside the instruction's own cycle.
pub const BIGINT_DELEGATION_CYCLES: u64 = 4;

/// A ← A + B mod 2²⁵⁶; flag: the carry out.
pub const OP_ADD: u32 = 0;
/// A ← A − B mod 2²⁵⁶; flag: the borrow (A < B).
pub const OP_SUB: u32 = 1;
/// A ← B − A mod 2²⁵⁶; flag: the borrow (B < A).
pub const OP_SUB_REVERSED: u32 = 2;
/// A ← low 256 bits of A·B; flag: whether the high 256 bits are non-zero.
pub const OP_MUL_LOW: u32 = 3;
/// A ← high 256 bits of A·B; flag: 0.
pub const OP_MUL_HIGH: u32 = 4;
/// A unchanged; flag: A = B.
pub const OP_EQ: u32 = 5;
/// A unchanged; flag: A < B (unsigned).
pub const OP_LT: u32 = 6;
