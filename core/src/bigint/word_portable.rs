//! The `ruint` implementation of [`super::word`]: the same signatures as the coprocessor's
//! guest side, so code written over them runs (and is tested) on every target.

use crate::primitives::U256;

/// `a ← a + b mod 2²⁵⁶`; returns the carry.
#[inline(always)]
pub fn add(a: &mut U256, b: &U256) -> bool {
    let (sum, carry) = a.overflowing_add(*b);
    *a = sum;
    carry
}

/// `a ← a − b mod 2²⁵⁶`; returns the borrow.
#[inline(always)]
pub fn sub(a: &mut U256, b: &U256) -> bool {
    let (difference, borrow) = a.overflowing_sub(*b);
    *a = difference;
    borrow
}

/// `a ← b − a mod 2²⁵⁶`; returns the borrow.
#[inline(always)]
pub fn sub_reversed(a: &mut U256, b: &U256) -> bool {
    let (difference, borrow) = b.overflowing_sub(*a);
    *a = difference;
    borrow
}

/// `a ← a·b mod 2²⁵⁶`; returns whether the full product exceeds 256 bits.
#[inline(always)]
pub fn mul_low(a: &mut U256, b: &U256) -> bool {
    let (product, overflow) = a.overflowing_mul(*b);
    *a = product;
    overflow
}

/// `a ← ⌊a·b / 2²⁵⁶⌋`.
#[inline(always)]
pub fn mul_high(a: &mut U256, b: &U256) {
    let wide: ruint::Uint<512, 8> = a.widening_mul(*b);
    let limbs = wide.as_limbs();
    *a = U256::from_limbs([limbs[4], limbs[5], limbs[6], limbs[7]]);
}

/// `a ← a² mod 2²⁵⁶`.
#[inline(always)]
pub fn square(a: &mut U256) {
    *a = a.wrapping_mul(*a);
}

/// `a ← 2a mod 2²⁵⁶`; returns the carry.
#[inline(always)]
pub fn double(a: &mut U256) -> bool {
    let (sum, carry) = a.overflowing_add(*a);
    *a = sum;
    carry
}

/// Whether `a = b`.
#[inline(always)]
pub fn eq(a: &U256, b: &U256) -> bool {
    a == b
}

/// Whether `a < b`.
#[inline(always)]
pub fn lt(a: &U256, b: &U256) -> bool {
    a < b
}
