//! Stack instructions: `POP`, `PUSH0` .. `PUSH32`, `DUP1` .. `DUP16`, `SWAP1` .. `SWAP16`. The
//! PUSHes read their immediate from the padded code and move the program counter past it.

use super::be_word;
use crate::ee::evm::stack::Words;
use crate::primitives::U256;

/// `POP`.
#[inline(always)]
pub(crate) fn pop(stack: &mut Words<'_>) {
    stack.pop();
}

/// `PUSH0`.
#[inline(always)]
pub(crate) fn push0(stack: &mut Words<'_>) {
    stack.push(U256::ZERO);
}

/// `PUSH1` at `pc` of the padded `code`.
#[inline(always)]
pub(crate) fn push1(stack: &mut Words<'_>, pc: &mut usize, code: &[u8]) {
    let immediate = code.get(*pc + 1).copied().unwrap_or(0);
    stack.push(U256::from(immediate));
    *pc += 2;
}

/// `PUSH2` .. `PUSH4` (`n` immediate bytes): the four bytes after the opcode read as one
/// big-endian number (the padding behind the code supplies them) and shifted down to `n` bytes.
/// A fold over the `n` bytes stayed a loop in the wasm build (see `ee::evm::limbs`).
#[inline(always)]
pub(crate) fn push_small(stack: &mut Words<'_>, pc: &mut usize, code: &[u8], n: usize) {
    let value = small_immediate(code, *pc, n);
    stack.push(U256::from_limbs([u64::from(value), 0, 0, 0]));
    *pc += 1 + n;
}

/// The immediate of `PUSH1` .. `PUSH4` (`n` bytes) at `pc` of the padded `code`: the four bytes
/// after the opcode read as one big-endian number and shifted down to `n` bytes.
#[inline(always)]
pub(crate) fn small_immediate(code: &[u8], pc: usize, n: usize) -> u32 {
    let start = pc + 1;
    let four = code
        .get(start..start + 4)
        .and_then(|bytes| <[u8; 4]>::try_from(bytes).ok())
        .unwrap_or_default();
    u32::from_be_bytes(four) >> (8 * (4 - n))
}

/// `PUSH5` .. `PUSH32` (`n` immediate bytes).
#[inline(always)]
pub(crate) fn push_large(stack: &mut Words<'_>, pc: &mut usize, code: &[u8], n: usize) {
    stack.push(immediate(code, *pc + 1, n));
    *pc += 1 + n;
}

/// `DUPn`: pushes a copy of the `n`-th word from the top.
#[inline(always)]
pub(crate) fn dup(stack: &mut Words<'_>, n: usize) {
    stack.dup(n);
}

/// `SWAPn`: swaps the top with the `n`-th word below it.
#[inline(always)]
pub(crate) fn swap(stack: &mut Words<'_>, n: usize) {
    stack.swap(n);
}

/// The `n`-byte big-endian immediate at `start` of the padded code (the code is followed by 33
/// zero bytes, so it always exists there; a shorter tail is zero-padded on the right anyway).
#[inline(always)]
fn immediate(code: &[u8], start: usize, n: usize) -> U256 {
    match code.get(start..start + n) {
        Some(immediate) => be_word(immediate),
        None => {
            let mut padded = [0u8; 32];
            let tail = code.get(start..).unwrap_or_default();
            let len = tail.len().min(n);
            padded[..len].copy_from_slice(&tail[..len]);
            be_word(&padded[..n])
        }
    }
}
