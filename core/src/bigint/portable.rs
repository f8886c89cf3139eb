//! The `ruint` implementation of [`super`]'s operations.

use crate::primitives::U256;
use alloy_primitives::I256;

/// `ADD`: `b ← a + b mod 2²⁵⁶`.
#[inline(always)]
pub fn add(a: &U256, b: &mut U256) {
    *b = a.wrapping_add(*b);
}

/// `SUB`: `b ← a − b mod 2²⁵⁶`.
#[inline(always)]
pub fn sub(a: &U256, b: &mut U256) {
    *b = a.wrapping_sub(*b);
}

/// `MUL`: `b ← a · b mod 2²⁵⁶`.
#[inline(always)]
pub fn mul(a: &U256, b: &mut U256) {
    *b = a.wrapping_mul(*b);
}

/// `DIV`: `b ← ⌊a / b⌋`, zero when `b` is zero.
#[inline(always)]
pub fn div(a: &U256, b: &mut U256) {
    *b = a.checked_div(*b).unwrap_or_default();
}

/// `MOD`: `b ← a mod b`, zero when `b` is zero.
#[inline(always)]
pub fn rem(a: &U256, b: &mut U256) {
    *b = a.checked_rem(*b).unwrap_or_default();
}

/// `SDIV`: signed division truncating toward zero; zero when `b` is zero.
#[inline(always)]
pub fn sdiv(a: &U256, b: &mut U256) {
    *b = if b.is_zero() {
        U256::ZERO
    } else {
        let quotient = abs(*a) / abs(*b);
        if a.bit(255) != b.bit(255) {
            quotient.wrapping_neg()
        } else {
            quotient
        }
    };
}

/// `SMOD`: signed remainder with the sign of `a`; zero when `b` is zero.
#[inline(always)]
pub fn smod(a: &U256, b: &mut U256) {
    *b = if b.is_zero() {
        U256::ZERO
    } else {
        let remainder = abs(*a) % abs(*b);
        if a.bit(255) {
            remainder.wrapping_neg()
        } else {
            remainder
        }
    };
}

fn abs(x: U256) -> U256 {
    if x.bit(255) {
        x.wrapping_neg()
    } else {
        x
    }
}

/// `ADDMOD`: `n ← (a + b) mod n` without overflow; zero when `n` is zero.
#[inline(always)]
pub fn addmod(a: &U256, b: &U256, n: &mut U256) {
    *n = if n.is_zero() {
        U256::ZERO
    } else {
        a.add_mod(*b, *n)
    };
}

/// `MULMOD`: `n ← (a · b) mod n` without overflow; zero when `n` is zero.
#[inline(always)]
pub fn mulmod(a: &U256, b: &U256, n: &mut U256) {
    *n = if n.is_zero() {
        U256::ZERO
    } else {
        a.mul_mod(*b, *n)
    };
}

/// `EXP`: `exponent ← base^exponent mod 2²⁵⁶`.
#[inline(always)]
pub fn exp(base: &U256, exponent: &mut U256) {
    *exponent = base.wrapping_pow(*exponent);
}

/// `LT`: `b ← (a < b)`.
#[inline(always)]
pub fn lt(a: &U256, b: &mut U256) {
    *b = U256::from(*a < *b);
}

/// `GT`: `b ← (a > b)`.
#[inline(always)]
pub fn gt(a: &U256, b: &mut U256) {
    *b = U256::from(*a > *b);
}

/// `SLT`: `b ← (a < b)` as two's-complement numbers.
#[inline(always)]
pub fn slt(a: &U256, b: &mut U256) {
    *b = U256::from(I256::from_raw(*a) < I256::from_raw(*b));
}

/// `SGT`: `b ← (a > b)` as two's-complement numbers.
#[inline(always)]
pub fn sgt(a: &U256, b: &mut U256) {
    *b = U256::from(I256::from_raw(*a) > I256::from_raw(*b));
}

/// `EQ`: `b ← (a = b)`.
#[inline(always)]
pub fn eq(a: &U256, b: &mut U256) {
    *b = U256::from(*a == *b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(x: u64) -> U256 {
        U256::from(x).wrapping_neg()
    }

    fn apply(f: fn(&U256, &mut U256), a: U256, b: U256) -> U256 {
        let mut b = b;
        f(&a, &mut b);
        b
    }

    #[test]
    fn signed_division_truncates_toward_zero() {
        assert_eq!(apply(sdiv, neg(7), U256::from(2)), neg(3));
        assert_eq!(apply(sdiv, U256::from(7), neg(2)), neg(3));
        assert_eq!(apply(smod, neg(7), U256::from(2)), neg(1));
        assert_eq!(apply(smod, U256::from(7), neg(2)), U256::from(1));
        // -2^255 / -1 overflows back to -2^255.
        let min = U256::from(1) << 255;
        assert_eq!(apply(sdiv, min, neg(1)), min);
        assert_eq!(apply(sdiv, neg(7), U256::ZERO), U256::ZERO);
        assert_eq!(apply(smod, neg(7), U256::ZERO), U256::ZERO);
    }

    #[test]
    fn operand_order_is_the_evm_one() {
        // SUB, DIV, MOD and EXP take the popped top as their first operand: 10 − 3, 10 / 3,
        // 10 mod 3, 3^4.
        assert_eq!(apply(sub, U256::from(10), U256::from(3)), U256::from(7));
        assert_eq!(apply(div, U256::from(10), U256::from(3)), U256::from(3));
        assert_eq!(apply(rem, U256::from(10), U256::from(3)), U256::from(1));
        assert_eq!(apply(exp, U256::from(3), U256::from(4)), U256::from(81));
        assert_eq!(apply(div, U256::from(10), U256::ZERO), U256::ZERO);
        assert_eq!(apply(lt, U256::from(3), U256::from(10)), U256::from(1));
        assert_eq!(apply(gt, U256::from(3), U256::from(10)), U256::ZERO);
        assert_eq!(apply(slt, neg(3), U256::from(10)), U256::from(1));
        assert_eq!(apply(sgt, neg(3), U256::from(10)), U256::ZERO);
        assert_eq!(apply(eq, neg(3), neg(3)), U256::from(1));
        let mut n = U256::from(7);
        addmod(&U256::MAX, &U256::from(3), &mut n);
        // 2^256 − 1 + 3 = 2^256 + 2 and 2^256 = 2^(3·85+1) ≡ 2 (mod 7), so the sum ≡ 4.
        assert_eq!(n, U256::from(4));
        let mut n = U256::ZERO;
        mulmod(&U256::from(5), &U256::from(6), &mut n);
        assert_eq!(n, U256::ZERO);
    }
}
