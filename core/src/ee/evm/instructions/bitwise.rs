//! Comparison and bitwise logic: `LT` .. `ISZERO`, `AND` .. `NOT`, `BYTE`, the shifts and `CLZ`.

use crate::bigint;
use crate::ee::evm::stack::Words;
use crate::ee::evm::{bits, limbs};
use crate::primitives::U256;

/// `LT`.
#[inline(always)]
pub(crate) fn lt(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::lt(a, b);
    }
}

/// `GT`.
#[inline(always)]
pub(crate) fn gt(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::gt(a, b);
    }
}

/// `SLT`.
#[inline(always)]
pub(crate) fn slt(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::slt(a, b);
    }
}

/// `SGT`.
#[inline(always)]
pub(crate) fn sgt(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        bigint::sgt(a, b);
    }
}

/// `EQ`.
#[inline(always)]
pub(crate) fn eq(stack: &mut Words<'_>) {
    stack.pop_apply(bigint::eq);
}

/// `ISZERO`.
#[inline(always)]
pub(crate) fn iszero(stack: &mut Words<'_>) {
    let top = stack.top_mut();
    *top = limbs::from_bool(limbs::is_zero(top));
}

/// `AND`.
#[inline(always)]
pub(crate) fn and(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        limbs::and(a, b);
    }
}

/// `OR`.
#[inline(always)]
pub(crate) fn or(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        limbs::or(a, b);
    }
}

/// `XOR`.
#[inline(always)]
pub(crate) fn xor(stack: &mut Words<'_>) {
    if let Some((a, b)) = stack.pop_operands() {
        limbs::xor(a, b);
    }
}

/// `NOT`.
#[inline(always)]
pub(crate) fn not(stack: &mut Words<'_>) {
    let top = stack.top_mut();
    *top = limbs::not(top);
}

/// `BYTE`.
#[inline(always)]
pub(crate) fn byte(stack: &mut Words<'_>) {
    stack.pop_apply(bits::byte);
}

/// `SHL`: pops the shift and replaces the value below it.
#[inline(always)]
pub(crate) fn shl(stack: &mut Words<'_>) {
    let shift = stack.pop();
    let x = stack.top_mut();
    *x = bits::shl(shift, *x);
}

/// `SHR`.
#[inline(always)]
pub(crate) fn shr(stack: &mut Words<'_>) {
    let shift = stack.pop();
    let x = stack.top_mut();
    *x = bits::shr(shift, *x);
}

/// `SAR`.
#[inline(always)]
pub(crate) fn sar(stack: &mut Words<'_>) {
    let shift = stack.pop();
    let x = stack.top_mut();
    *x = arithmetic_shift_right(shift, *x);
}

/// `CLZ` (EIP-7939): the number of leading zero bits of the top word; 256 for zero.
#[inline(always)]
pub(crate) fn clz(stack: &mut Words<'_>) {
    let top = stack.top_mut();
    *top = U256::from(top.leading_zeros());
}

/// `x >> shift` filling with the sign bit.
fn arithmetic_shift_right(shift: U256, x: U256) -> U256 {
    let negative = x.bit(255);
    if shift >= U256::from(256) {
        return if negative { U256::MAX } else { U256::ZERO };
    }
    let shift = shift.as_limbs()[0] as usize;
    if negative {
        !((!x) >> shift)
    } else {
        x >> shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(x: u64) -> U256 {
        U256::from(x).wrapping_neg()
    }

    #[test]
    fn sar_and_clz() {
        assert_eq!(arithmetic_shift_right(U256::from(4), neg(16)), neg(1));
        assert_eq!(arithmetic_shift_right(U256::from(300), neg(16)), U256::MAX);
        assert_eq!(
            arithmetic_shift_right(U256::from(4), U256::from(32)),
            U256::from(2)
        );
        let mut stack = crate::ee::evm::stack::Stack::new();
        for (x, zeros) in [(U256::ZERO, 256), (U256::from(1), 255), (U256::MAX, 0)] {
            stack.push(x);
            clz(&mut stack.words());
            assert_eq!(stack.pop(), U256::from(zeros));
        }
    }
}
