//! Arithmetic: `ADD` .. `SIGNEXTEND`, `ADDMOD`, `MULMOD` and `EXP`. Two-operand bodies pop one
//! word and compute into the new top in place (see [`crate::bigint`]).

use super::charge_gas;
use crate::bigint;
use crate::ee::evm::bits;
use crate::ee::evm::context::Step;
use crate::ee::evm::frame::Frame;
use crate::ee::evm::stack::Words;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::resources::gas;

/// `ADD`.
#[inline(always)]
pub(crate) fn add(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::add(a, b);
    }
}

/// `MUL`.
#[inline(always)]
pub(crate) fn mul(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::mul);
}

/// `SUB`.
#[inline(always)]
pub(crate) fn sub(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::sub(a, b);
    }
}

/// `DIV` (zero for a zero divisor).
#[inline(always)]
pub(crate) fn div(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::div);
}

/// `SDIV`.
#[inline(always)]
pub(crate) fn sdiv(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::sdiv);
}

/// `MOD`.
#[inline(always)]
pub(crate) fn rem(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::rem);
}

/// `SMOD`.
#[inline(always)]
pub(crate) fn smod(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::smod);
}

/// `SIGNEXTEND`: pops the byte index and extends the sign of the word below it in place. Called
/// directly rather than through [`Words::pop_apply`], where the compiler leaves the large body
/// out of line.
#[inline(always)]
pub(crate) fn signextend(stack: &mut Words<'_>) {
    let b = stack.pop();
    bits::signextend(&b, stack.top_mut());
}

/// `ADDMOD`: pops `a` and `b` and replaces the modulus `n` with `(a + b) % n`.
#[inline(always)]
pub(crate) fn addmod(stack: &mut Words<'_>) {
    let a = stack.pop();
    let b = stack.pop();
    bigint::addmod(&a, &b, stack.top_mut());
}

/// `MULMOD`: pops `a` and `b` and replaces the modulus `n` with `(a × b) % n`.
#[inline(always)]
pub(crate) fn mulmod(stack: &mut Words<'_>) {
    let a = stack.pop();
    let b = stack.pop();
    bigint::mulmod(&a, &b, stack.top_mut());
}

/// `EXP`: charges the exponent's bytes (EIP-160) in gas and native, then computes in place.
/// Version 2 charges the native first, as upstream's `spend_gas_and_native` of `exp_cost` does
/// (`evm_interpreter/src/instructions/arithmetic.rs::eval_exp`).
#[inline(always)]
pub(crate) fn exp<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let exponent_bytes = byte_len(frame.stack.peek(1));
    let native = io.costs().exp_byte_native * exponent_bytes;
    if io.costs().opcode_native_before_gas {
        io.charge_native(native)?;
        charge_gas(frame, gas::EXP_BYTE_GAS * exponent_bytes)?;
    } else {
        charge_gas(frame, gas::EXP_BYTE_GAS * exponent_bytes)?;
        io.charge_native(native)?;
    }
    frame.stack.words().pop_apply(bigint::exp);
    Ok(())
}

/// Number of bytes in the minimal big-endian form of `x` (the `EXP` gas exponent length).
fn byte_len(x: U256) -> u64 {
    x.bit_len().div_ceil(8) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_length_in_bytes() {
        assert_eq!(byte_len(U256::ZERO), 0);
        assert_eq!(byte_len(U256::from(255)), 1);
        assert_eq!(byte_len(U256::from(256)), 2);
        assert_eq!(byte_len(U256::MAX), 32);
    }
}
