//! [`super`]'s operations on the bigint coprocessor ([`super::csr`]). Division, remainders and
//! modular reduction take the quotient and remainder as advice from the host and check them
//! with the coprocessor before use; an answer that does not check out stops the run.

use super::csr;
use crate::primitives::U256;
use core::mem::MaybeUninit;

/// `ADD`: `b ← a + b mod 2²⁵⁶`.
#[inline(always)]
pub fn add(a: &U256, b: &mut U256) {
    csr::add(b, a);
}

/// `SUB`: `b ← a − b mod 2²⁵⁶`.
#[inline(always)]
pub fn sub(a: &U256, b: &mut U256) {
    csr::sub_reversed(b, a);
}

/// `MUL`: `b ← a · b mod 2²⁵⁶`.
#[inline(always)]
pub fn mul(a: &U256, b: &mut U256) {
    csr::mul_low(b, a);
}

/// `DIV`: `b ← ⌊a / b⌋`, zero when `b` is zero.
#[inline(always)]
pub fn div(a: &U256, b: &mut U256) {
    if !csr::eq(b, &U256::ZERO) {
        *b = divide(a, b, &mut MaybeUninit::uninit())[0];
    }
}

/// `MOD`: `b ← a mod b`, zero when `b` is zero.
#[inline(always)]
pub fn rem(a: &U256, b: &mut U256) {
    if !csr::eq(b, &U256::ZERO) {
        *b = divide(a, b, &mut MaybeUninit::uninit())[1];
    }
}

/// `SDIV`: signed division truncating toward zero; zero when `b` is zero.
pub fn sdiv(a: &U256, b: &mut U256) {
    if csr::eq(b, &U256::ZERO) {
        return;
    }
    let b_negative = b.bit(255);
    let negative = a.bit(255) != b_negative;
    let n = magnitude(a);
    negate_if(b, b_negative);
    *b = divide(&n, b, &mut MaybeUninit::uninit())[0];
    negate_if(b, negative);
}

/// `SMOD`: signed remainder with the sign of `a`; zero when `b` is zero.
pub fn smod(a: &U256, b: &mut U256) {
    if csr::eq(b, &U256::ZERO) {
        return;
    }
    let b_negative = b.bit(255);
    let n = magnitude(a);
    negate_if(b, b_negative);
    *b = divide(&n, b, &mut MaybeUninit::uninit())[1];
    negate_if(b, a.bit(255));
}

/// `ADDMOD`: `n ← (a + b) mod n` without overflow; zero when `n` is zero.
pub fn addmod(a: &U256, b: &U256, n: &mut U256) {
    if csr::eq(n, &U256::ZERO) {
        return;
    }
    let mut sum = *a;
    let carry = csr::add(&mut sum, b);
    if csr::lt(a, n) && csr::lt(b, n) {
        // a + b < 2n: one conditional subtraction reduces it (mod 2²⁵⁶ the carry cancels).
        if carry || !csr::lt(&sum, n) {
            csr::sub(&mut sum, n);
        }
        *n = sum;
    } else if carry && csr::eq(n, &U256::ONE) {
        // The 257-bit sum's high half (1) is not below n = 1; everything is 0 mod 1.
        *n = U256::ZERO;
    } else {
        *n = reduce_wide(&U256::from(carry), &sum, n);
    }
}

/// `MULMOD`: `n ← (a · b) mod n` without overflow; zero when `n` is zero.
pub fn mulmod(a: &U256, b: &U256, n: &mut U256) {
    if csr::eq(n, &U256::ZERO) {
        return;
    }
    // With both factors below n the product's high half is below n, as `reduce_wide` needs.
    let a = reduced(a, n);
    let b = reduced(b, n);
    let mut low = a;
    csr::mul_low(&mut low, &b);
    let mut high = a;
    csr::mul_high(&mut high, &b);
    *n = reduce_wide(&high, &low, n);
}

/// `EXP`: `exponent ← base^exponent mod 2²⁵⁶`, by left-to-right square and multiply.
pub fn exp(base: &U256, exponent: &mut U256) {
    let bits = exponent.bit_len();
    if bits == 0 {
        *exponent = U256::ONE;
        return;
    }
    // The top bit is set: start from `base` and walk the bits below it.
    let mut power = *base;
    for bit in (0..bits - 1).rev() {
        csr::square(&mut power);
        if exponent.bit(bit) {
            csr::mul_low(&mut power, base);
        }
    }
    *exponent = power;
}

/// `LT`: `b ← (a < b)`.
#[inline(always)]
pub fn lt(a: &U256, b: &mut U256) {
    *b = U256::from(csr::lt(a, b));
}

/// `GT`: `b ← (a > b)`.
#[inline(always)]
pub fn gt(a: &U256, b: &mut U256) {
    *b = U256::from(csr::lt(b, a));
}

/// `SLT`: `b ← (a < b)` as two's-complement numbers: with different signs the negative one is
/// smaller, with equal signs the unsigned order holds.
#[inline(always)]
pub fn slt(a: &U256, b: &mut U256) {
    let a_negative = a.bit(255);
    let less = if a_negative != b.bit(255) {
        a_negative
    } else {
        csr::lt(a, b)
    };
    *b = U256::from(less);
}

/// `SGT`: `b ← (a > b)` as two's-complement numbers (see [`slt`]).
#[inline(always)]
pub fn sgt(a: &U256, b: &mut U256) {
    let b_negative = b.bit(255);
    let greater = if a.bit(255) != b_negative {
        b_negative
    } else {
        csr::lt(b, a)
    };
    *b = U256::from(greater);
}

/// `EQ`: `b ← (a = b)`.
#[inline(always)]
pub fn eq(a: &U256, b: &mut U256) {
    *b = U256::from(csr::eq(a, b));
}

/// `x ← −x mod 2²⁵⁶` when `negate`.
#[inline(always)]
fn negate_if(x: &mut U256, negate: bool) {
    if negate {
        csr::sub_reversed(x, &U256::ZERO);
    }
}

/// `|x|` of the two's-complement `x` (−2²⁵⁵ maps to 2²⁵⁵).
#[inline(always)]
fn magnitude(x: &U256) -> U256 {
    let negative = x.bit(255);
    let mut x = *x;
    negate_if(&mut x, negative);
    x
}

/// `x mod n` for `n ≠ 0`.
#[inline(always)]
fn reduced(x: &U256, n: &U256) -> U256 {
    if csr::lt(x, n) {
        *x
    } else {
        divide(x, n, &mut MaybeUninit::uninit())[1]
    }
}

/// `[⌊n / d⌋, n mod d]` for `d ≠ 0`, from checked advice written into `answer`.
fn divide<'a>(n: &U256, d: &U256, answer: &'a mut MaybeUninit<[U256; 2]>) -> &'a [U256; 2] {
    let answer = csr::division_advice(n, &U256::ZERO, d, answer);
    let [quotient, remainder] = &*answer;
    // q·d + r = n exactly (no overflow in the product or the sum) and r < d.
    let mut check = *quotient;
    let product_overflows = csr::mul_low(&mut check, d);
    let sum_overflows = csr::add(&mut check, remainder);
    if product_overflows || sum_overflows || !csr::eq(&check, n) || !csr::lt(remainder, d) {
        advice_rejected();
    }
    answer
}

/// `(high·2²⁵⁶ + low) mod d` for `high < d` (so the quotient fits 256 bits), from checked
/// advice.
pub(super) fn reduce_wide(high: &U256, low: &U256, d: &U256) -> U256 {
    let mut answer = MaybeUninit::uninit();
    let [quotient, remainder] = csr::division_advice(low, high, d, &mut answer);
    if !csr::lt(remainder, d) {
        advice_rejected();
    }
    // q·d + r with q < 2²⁵⁶ and r < d stays below 2²⁵⁶·d ≤ 2⁵¹², so the 512-bit sum below is
    // exact and must equal the numerator. The quotient's own slot takes the product's high half.
    let mut check_low = *quotient;
    csr::mul_low(&mut check_low, d);
    csr::mul_high(quotient, d);
    if csr::add(&mut check_low, remainder) {
        csr::add(quotient, &U256::ONE);
    }
    if !csr::eq(&check_low, low) || !csr::eq(quotient, high) {
        advice_rejected();
    }
    *remainder
}

/// The host's division advice does not check out: no valid result exists for this run.
#[cold]
#[inline(never)]
fn advice_rejected() -> ! {
    panic!("bigint: the host's division advice does not verify")
}
