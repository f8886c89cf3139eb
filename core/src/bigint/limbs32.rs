//! [`super`]'s operations for wasm32, which has 64-bit adds, compares and divisions but no
//! 64×64→128-bit multiply: `ruint` multiplies and divides through `u128` products, which become
//! calls of `__multi3` there. Here products are 32×32→64 bits (one `i64.mul`), multiplication
//! works on magnitudes so that small negative words cost what small positive ones do, and
//! division is one 64-bit division when both operands fit 64 bits, one `f64` division and an
//! exact correction for a 128-bit dividend over a divisor of one limb when the quotient is small
//! ([`by_limb`]), two 64-bit divisions a quotient limb for other one-limb divisors, and Knuth's
//! long division on 32-bit digits otherwise (`ADDMOD` and `MULMOD` too, over the 512-bit
//! product). Adds, subtractions and compares are unrolled over the four 64-bit limbs. A
//! remainder is taken as `n − q·d` after its quotient: wasm has no combined division and
//! remainder, and V8 runs `i64.div_u` and `i64.rem_u` as two hardware divisions.
//!
//! Compiled on the host too, where its tests check it against `ruint`.

mod by_limb;

use crate::primitives::U256;
use by_limb::{div_rem_by_limb, div_rem_estimated, Limbs, DIGIT_MASK};

/// The sign bit of the most significant limb.
const SIGN_BIT: u64 = 1 << 63;

/// `ADD`: `b ← a + b mod 2²⁵⁶`.
#[inline(always)]
pub fn add(a: &U256, b: &mut U256) {
    *b = U256::from_limbs(add_limbs(a.as_limbs(), b.as_limbs()).0);
}

/// `SUB`: `b ← a − b mod 2²⁵⁶`.
#[inline(always)]
pub fn sub(a: &U256, b: &mut U256) {
    *b = U256::from_limbs(sub_limbs(a.as_limbs(), b.as_limbs()));
}

/// `MUL`: `b ← a · b mod 2²⁵⁶`.
pub fn mul(a: &U256, b: &mut U256) {
    *b = U256::from_limbs(mul_limbs(a.as_limbs(), b.as_limbs()));
}

/// `DIV`: `b ← ⌊a / b⌋`, zero when `b` is zero.
pub fn div(a: &U256, b: &mut U256) {
    *b = U256::from_limbs(div_rem(a.as_limbs(), b.as_limbs()).0);
}

/// `MOD`: `b ← a mod b`, zero when `b` is zero.
pub fn rem(a: &U256, b: &mut U256) {
    *b = U256::from_limbs(div_rem(a.as_limbs(), b.as_limbs()).1);
}

/// `SDIV`: signed division truncating toward zero; zero when `b` is zero. `−2²⁵⁵ / −1` wraps
/// to `−2²⁵⁵`.
pub fn sdiv(a: &U256, b: &mut U256) {
    let (x, x_negative) = magnitude(a.as_limbs());
    let (y, y_negative) = magnitude(b.as_limbs());
    // A divisor of 2ᵏ below 2⁶⁴ shifts the magnitude: solc compiles a signed `x / 2` to `SDIV`
    // (a shift would round toward −∞), and snailtracer's divisor is 2 in 46% of its `SDIV`s.
    // Both magnitudes within 64 bits (the most common shape in fixed-point code): one division
    // here, without the call to `div_rem` and its remainder.
    let quotient = if fits_u64(&y) && y[0].is_power_of_two() {
        shift_right(&x, y[0].trailing_zeros())
    } else if fits_u64(&x) && fits_u64(&y) {
        [x[0].checked_div(y[0]).unwrap_or(0), 0, 0, 0]
    } else {
        div_rem(&x, &y).0
    };
    *b = U256::from_limbs(negate_if(quotient, x_negative != y_negative));
}

/// `SMOD`: signed remainder with the sign of `a`; zero when `b` is zero.
pub fn smod(a: &U256, b: &mut U256) {
    let (x, x_negative) = magnitude(a.as_limbs());
    let (y, _) = magnitude(b.as_limbs());
    let remainder = div_rem(&x, &y).1;
    *b = U256::from_limbs(negate_if(remainder, x_negative));
}

/// `ADDMOD`: `n ← (a + b) mod n` without overflow; zero when `n` is zero. Both operands are
/// reduced first, so their sum is below `2n` and one conditional subtraction finishes it (when
/// the sum carries past 2²⁵⁶, the wrapped difference is the right one).
pub fn addmod(a: &U256, b: &U256, n: &mut U256) {
    let modulus = *n.as_limbs();
    if modulus == [0; 4] {
        return;
    }
    let x = div_rem(a.as_limbs(), &modulus).1;
    let y = div_rem(b.as_limbs(), &modulus).1;
    let (sum, carry) = add_limbs(&x, &y);
    *n = U256::from_limbs(if carry || !less(&sum, &modulus, 0) {
        sub_limbs(&sum, &modulus)
    } else {
        sum
    });
}

/// `MULMOD`: `n ← (a · b) mod n` without overflow; zero when `n` is zero.
pub fn mulmod(a: &U256, b: &U256, n: &mut U256) {
    let modulus = digits(n.as_limbs());
    if digit_len(&modulus) == 0 {
        return;
    }
    let product = schoolbook(&digits(a.as_limbs()), &digits(b.as_limbs()), 16);
    *n = U256::from_limbs(join(&divide(&product, &modulus).1));
}

/// `(⌊a / b⌋, a mod b)` in one division, both zero when `b` is zero (wasm32's [`super::div_rem`]).
pub fn div_rem_words(a: &U256, b: &U256) -> (U256, U256) {
    let (quotient, remainder) = div_rem(a.as_limbs(), b.as_limbs());
    (U256::from_limbs(quotient), U256::from_limbs(remainder))
}

/// `LT`: `b ← (a < b)`.
#[inline(always)]
pub fn lt(a: &U256, b: &mut U256) {
    *b = U256::from(less(a.as_limbs(), b.as_limbs(), 0));
}

/// `GT`: `b ← (a > b)`.
#[inline(always)]
pub fn gt(a: &U256, b: &mut U256) {
    *b = U256::from(less(b.as_limbs(), a.as_limbs(), 0));
}

/// `SLT`: `b ← (a < b)` as two's-complement numbers.
#[inline(always)]
pub fn slt(a: &U256, b: &mut U256) {
    *b = U256::from(less(a.as_limbs(), b.as_limbs(), SIGN_BIT));
}

/// `SGT`: `b ← (a > b)` as two's-complement numbers.
#[inline(always)]
pub fn sgt(a: &U256, b: &mut U256) {
    *b = U256::from(less(b.as_limbs(), a.as_limbs(), SIGN_BIT));
}

/// `EQ`: `b ← (a = b)`.
#[inline(always)]
pub fn eq(a: &U256, b: &mut U256) {
    let (x, y) = (a.as_limbs(), b.as_limbs());
    let differ = (x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]);
    *b = U256::from(differ == 0);
}

/// `x < y` unsigned, after flipping `sign_flip` in both top limbs (the sign bit for a signed
/// comparison: it maps two's complement order onto unsigned order).
#[inline(always)]
fn less(x: &Limbs, y: &Limbs, sign_flip: u64) -> bool {
    let (x3, y3) = (x[3] ^ sign_flip, y[3] ^ sign_flip);
    if x3 != y3 {
        x3 < y3
    } else if x[2] != y[2] {
        x[2] < y[2]
    } else if x[1] != y[1] {
        x[1] < y[1]
    } else {
        x[0] < y[0]
    }
}

/// `x + y mod 2²⁵⁶` and the carry out.
#[inline(always)]
fn add_limbs(x: &Limbs, y: &Limbs) -> (Limbs, bool) {
    let (s0, c0) = x[0].overflowing_add(y[0]);
    let (s1, c1) = carrying_add(x[1], y[1], c0);
    let (s2, c2) = carrying_add(x[2], y[2], c1);
    let (s3, c3) = carrying_add(x[3], y[3], c2);
    ([s0, s1, s2, s3], c3)
}

/// `x − y mod 2²⁵⁶`.
#[inline(always)]
fn sub_limbs(x: &Limbs, y: &Limbs) -> Limbs {
    let (d0, b0) = x[0].overflowing_sub(y[0]);
    let (d1, b1) = borrowing_sub(x[1], y[1], b0);
    let (d2, b2) = borrowing_sub(x[2], y[2], b1);
    let d3 = x[3].wrapping_sub(y[3]).wrapping_sub(u64::from(b2));
    [d0, d1, d2, d3]
}

/// `x + y + carry` and its carry out.
#[inline(always)]
fn carrying_add(x: u64, y: u64, carry: bool) -> (u64, bool) {
    let (sum, c1) = x.overflowing_add(y);
    let (sum, c2) = sum.overflowing_add(u64::from(carry));
    (sum, c1 | c2)
}

/// `x − y − borrow` and its borrow out.
#[inline(always)]
fn borrowing_sub(x: u64, y: u64, borrow: bool) -> (u64, bool) {
    let (difference, b1) = x.overflowing_sub(y);
    let (difference, b2) = difference.overflowing_sub(u64::from(borrow));
    (difference, b1 | b2)
}

/// `−x mod 2²⁵⁶` when `negate`, else `x`.
#[inline(always)]
fn negate_if(x: Limbs, negate: bool) -> Limbs {
    if negate {
        sub_limbs(&[0; 4], &x)
    } else {
        x
    }
}

/// `|x|` of `x` read as two's complement, and whether `x` is negative. `|−2²⁵⁵|` is `2²⁵⁵`
/// (as an unsigned number, so it is exact).
#[inline(always)]
fn magnitude(x: &Limbs) -> (Limbs, bool) {
    let negative = x[3] & SIGN_BIT != 0;
    (negate_if(*x, negative), negative)
}

/// `x >> shift` for `shift` in 0..=63.
#[inline(always)]
fn shift_right(x: &Limbs, shift: u32) -> Limbs {
    let down = |limb: u64| (limb << 1) << (63 - shift);
    [
        (x[0] >> shift) | down(x[1]),
        (x[1] >> shift) | down(x[2]),
        (x[2] >> shift) | down(x[3]),
        x[3] >> shift,
    ]
}

/// Whether all limbs above the lowest are zero.
#[inline(always)]
fn fits_u64(x: &Limbs) -> bool {
    x[1] | x[2] | x[3] == 0
}

/// `x · y mod 2²⁵⁶`, computed on magnitudes: `x·y ≡ ±|x|·|y|` modulo 2²⁵⁶ with the sign of the
/// product, because `−v ≡ 2²⁵⁶ − v`.
fn mul_limbs(x: &Limbs, y: &Limbs) -> Limbs {
    let (x, x_negative) = magnitude(x);
    let (y, y_negative) = magnitude(y);
    let product = if fits_u64(&x) && fits_u64(&y) {
        let (low, high) = widening_mul(x[0], y[0]);
        [low, high, 0, 0]
    } else {
        join(&schoolbook(&digits(&x), &digits(&y), 8))
    };
    negate_if(product, x_negative != y_negative)
}

/// `a · b` as its low and high limbs, from four 32×32→64-bit products:
/// `a·b = p₀₀ + (p₀₁ + p₁₀)·2³² + p₁₁·2⁶⁴`. The middle sum of three values below 2³² fits
/// 64 bits, and the high limb is exact because `a·b < 2¹²⁸`.
#[inline(always)]
fn widening_mul(a: u64, b: u64) -> (u64, u64) {
    let (a0, a1, b0, b1) = (a & DIGIT_MASK, a >> 32, b & DIGIT_MASK, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let middle = (p00 >> 32) + (p01 & DIGIT_MASK) + (p10 & DIGIT_MASK);
    let low = (p00 & DIGIT_MASK) | (middle << 32);
    let high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    (low, high)
}

/// Digits of a 512-bit number (a product, or a dividend zero-extended), least significant first.
type Wide = [u64; 16];

/// The eight 32-bit digits of `x`, least significant first. Written out: as a loop over a
/// zeroed array (kept a loop at opt-level "s") the zeroing was a `memory.fill`, which V8 runs as
/// a call out of the wasm code.
#[inline(always)]
fn digits(x: &Limbs) -> [u64; 8] {
    [
        x[0] & DIGIT_MASK,
        x[0] >> 32,
        x[1] & DIGIT_MASK,
        x[1] >> 32,
        x[2] & DIGIT_MASK,
        x[2] >> 32,
        x[3] & DIGIT_MASK,
        x[3] >> 32,
    ]
}

/// The digits of `x` in a [`Wide`].
#[inline(always)]
fn wide(x: &Limbs) -> Wide {
    let d = digits(x);
    [
        d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], 0, 0, 0, 0, 0, 0, 0, 0,
    ]
}

/// Four 64-bit limbs from the lowest eight 32-bit digits of `d`.
#[inline(always)]
fn join(d: &[u64]) -> Limbs {
    [
        d[0] | d[1] << 32,
        d[2] | d[3] << 32,
        d[4] | d[5] << 32,
        d[6] | d[7] << 32,
    ]
}

/// Number of significant digits of `d` (0 for zero).
#[inline(always)]
fn digit_len(d: &[u64]) -> usize {
    d.iter().rposition(|&digit| digit != 0).map_or(0, |i| i + 1)
}

/// The lowest `width` digits (8 or 16) of `x · y`, by schoolbook multiplication of 32-bit digits
/// that skips zero digits of `x` and the digits above the length of `y`. Each step
/// `r + xᵢ·yⱼ + carry` is at most `(2³² − 1) + (2³² − 1)² + (2³² − 1) = 2⁶⁴ − 1`, so it fits a
/// `u64`.
fn schoolbook(x: &[u64; 8], y: &[u64; 8], width: usize) -> Wide {
    let y_len = digit_len(y);
    let mut r = [0u64; 16];
    for (i, &xi) in x.iter().enumerate().take(digit_len(x)) {
        if xi == 0 {
            continue;
        }
        let mut carry = 0u64;
        let end = (i + y_len).min(width);
        for j in i..end {
            let t = r[j] + xi * y[j - i] + carry;
            r[j] = t & DIGIT_MASK;
            carry = t >> 32;
        }
        if end < width {
            // Rows before this one reached at most digit `end − 1`, so `r[end]` is still zero.
            r[end] = carry;
        }
    }
    r
}

/// `(⌊x / y⌋, x mod y)`, both zero when `y` is zero.
fn div_rem(x: &Limbs, y: &Limbs) -> (Limbs, Limbs) {
    if fits_u64(y) {
        let divisor = y[0];
        if divisor == 0 {
            return ([0; 4], [0; 4]);
        }
        if fits_u64(x) {
            let quotient = x[0] / divisor;
            return ([quotient, 0, 0, 0], [x[0] - quotient * divisor, 0, 0, 0]);
        }
        if x[2] | x[3] == 0 {
            if let Some((q, r)) = div_rem_estimated(x[1], x[0], divisor) {
                return ([q, 0, 0, 0], [r, 0, 0, 0]);
            }
        }
        return div_rem_by_limb(x, divisor);
    } else if less(x, y, 0) {
        return ([0; 4], *x);
    }
    let (quotient, remainder) = divide(&wide(x), &digits(y));
    (join(&quotient), join(&remainder))
}

/// `(⌊u / v⌋, u mod v)` of digit arrays for `v ≠ 0`. A one-digit divisor takes one 64-bit
/// division per digit (`remainder·2³² + digit` is below `v·2³²` ≤ 2⁶⁴); a longer one Knuth's
/// algorithm D (TAOCP vol. 2, §4.3.1): the divisor is shifted so its top digit has its high bit
/// set, then each quotient digit is estimated from the top two digits of the running remainder
/// and the top digit of the divisor, corrected with the second digit (after which it is at most
/// one too large), multiplied back and subtracted, and added back in the rare case that it was.
fn divide(u: &Wide, v: &[u64; 8]) -> (Wide, [u64; 8]) {
    let n = digit_len(v);
    let m = digit_len(u);
    let mut q = [0u64; 16];
    let mut r = [0u64; 8];
    if m < n {
        // u < 2^(32·m) ≤ 2^(32·(n−1)) ≤ v, and u has fewer than eight digits.
        r.copy_from_slice(&u[..8]);
        return (q, r);
    }
    if n == 1 {
        let d = v[0];
        let mut remainder = 0u64;
        for i in (0..m).rev() {
            let current = (remainder << 32) | u[i];
            q[i] = current / d;
            remainder = current - q[i] * d;
        }
        r[0] = remainder;
        return (q, r);
    }
    // The normalising shift: 0..=31, so `32 − shift` stays within a `u64` shift.
    let shift = (v[n - 1] as u32).leading_zeros();
    let mut vn = [0u64; 8];
    for i in (1..n).rev() {
        vn[i] = ((v[i] << shift) | (v[i - 1] >> (32 - shift))) & DIGIT_MASK;
    }
    vn[0] = (v[0] << shift) & DIGIT_MASK;
    let mut un = [0u64; 17];
    un[m] = u[m - 1] >> (32 - shift);
    for i in (1..m).rev() {
        un[i] = ((u[i] << shift) | (u[i - 1] >> (32 - shift))) & DIGIT_MASK;
    }
    un[0] = (u[0] << shift) & DIGIT_MASK;

    let (top, second) = (vn[n - 1], vn[n - 2]);
    for j in (0..=m - n).rev() {
        // The two top digits of the remainder over the top digit of the divisor: at most two
        // above the true digit, and at most one after the second-digit correction.
        let numerator = (un[j + n] << 32) | un[j + n - 1];
        let mut q_hat = numerator / top;
        let mut r_hat = numerator - q_hat * top;
        while q_hat > DIGIT_MASK || q_hat * second > ((r_hat << 32) | un[j + n - 2]) {
            q_hat -= 1;
            r_hat += top;
            if r_hat > DIGIT_MASK {
                break;
            }
        }
        // un[j..=j+n] −= q_hat · vn. Each difference lies in (−2³³, 2³²), so its top bit is
        // the borrow.
        let mut carry = 0u64;
        let mut borrow = 0u64;
        for i in 0..n {
            let product = q_hat * vn[i] + carry;
            carry = product >> 32;
            let t = un[i + j]
                .wrapping_sub(product & DIGIT_MASK)
                .wrapping_sub(borrow);
            un[i + j] = t & DIGIT_MASK;
            borrow = t >> 63;
        }
        let t = un[j + n].wrapping_sub(carry).wrapping_sub(borrow);
        un[j + n] = t & DIGIT_MASK;
        if t >> 63 != 0 {
            // q_hat was one too large: add the divisor back once.
            q_hat -= 1;
            let mut carry = 0u64;
            for i in 0..n {
                let sum = un[i + j] + vn[i] + carry;
                un[i + j] = sum & DIGIT_MASK;
                carry = sum >> 32;
            }
            un[j + n] = (un[j + n] + carry) & DIGIT_MASK;
        }
        q[j] = q_hat;
    }
    for i in 0..n {
        r[i] = ((un[i] >> shift) | (un[i + 1] << (32 - shift))) & DIGIT_MASK;
    }
    (q, r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bigint::portable;
    use crate::primitives::test_rng::TestRng;

    /// The shared test stream, with this module's shapes of values.
    struct Rng(TestRng);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0.next()
        }

        /// A word of a random shape: the edge values, small or negative small numbers, one
        /// to four random limbs, a 32-bit-digit boundary, or a power of two.
        fn word(&mut self) -> U256 {
            let r = self.next();
            let small = u64::from(self.next() as u32);
            let value = match r % 12 {
                0 => U256::ZERO,
                1 => U256::MAX,
                2 => U256::from(1) << 255,
                3 => U256::from(small),
                4 => U256::from(small).wrapping_neg(),
                5 => U256::from(self.next()),
                6 => U256::from(self.next()).wrapping_neg(),
                7 => U256::from_limbs([self.next(), self.next(), 0, 0]),
                8 => U256::from_limbs([self.next(), self.next(), self.next(), self.next()]),
                9 => U256::from(1) << (self.next() % 256),
                10 => (U256::from(1) << (32 * (1 + self.next() % 7))) - U256::from(r % 3),
                _ => U256::from_limbs([self.next(), self.next(), self.next(), 0]),
            };
            if r & (1 << 40) != 0 {
                value >> (self.next() % 256)
            } else {
                value
            }
        }
    }

    type Op = fn(&U256, &mut U256);

    /// Every operation of this module beside its `ruint` counterpart.
    const PAIRS: [(&str, Op, Op); 12] = [
        ("add", add, portable::add),
        ("sub", sub, portable::sub),
        ("mul", mul, portable::mul),
        ("div", div, portable::div),
        ("rem", rem, portable::rem),
        ("sdiv", sdiv, portable::sdiv),
        ("smod", smod, portable::smod),
        ("lt", lt, portable::lt),
        ("gt", gt, portable::gt),
        ("slt", slt, portable::slt),
        ("sgt", sgt, portable::sgt),
        ("eq", eq, portable::eq),
    ];

    type ModOp = fn(&U256, &U256, &mut U256);

    /// The modular operations beside their `ruint` counterparts.
    const MODULAR: [(&str, ModOp, ModOp); 2] = [
        ("addmod", addmod, portable::addmod),
        ("mulmod", mulmod, portable::mulmod),
    ];

    fn check(a: U256, b: U256) {
        for (name, ours, reference) in PAIRS {
            let (mut got, mut want) = (b, b);
            ours(&a, &mut got);
            reference(&a, &mut want);
            assert_eq!(got, want, "{name}({a:#x}, {b:#x})");
        }
        let (mut quotient, mut remainder) = (b, b);
        portable::div(&a, &mut quotient);
        portable::rem(&a, &mut remainder);
        assert_eq!(
            div_rem_words(&a, &b),
            (quotient, remainder),
            "div_rem({a:#x}, {b:#x})"
        );
    }

    fn check_modular(a: U256, b: U256, n: U256) {
        for (name, ours, reference) in MODULAR {
            let (mut got, mut want) = (n, n);
            ours(&a, &b, &mut got);
            reference(&a, &b, &mut want);
            assert_eq!(got, want, "{name}({a:#x}, {b:#x}, {n:#x})");
        }
    }

    #[test]
    fn agrees_with_ruint_on_edge_values() {
        let edges = [
            U256::ZERO,
            U256::from(1),
            U256::from(2),
            U256::from(u32::MAX),
            U256::from(u64::from(u32::MAX) + 1),
            U256::from(u64::MAX),
            U256::from(u64::MAX) + U256::from(1),
            U256::from(1) << 128,
            U256::from(1) << 255,
            (U256::from(1) << 255) - U256::from(1),
            U256::MAX,
            U256::MAX - U256::from(1),
            U256::from(7).wrapping_neg(),
            U256::from(u32::MAX).wrapping_neg(),
            U256::from(u64::MAX).wrapping_neg(),
        ];
        for &a in &edges {
            for &b in &edges {
                check(a, b);
                for &n in &edges {
                    check_modular(a, b, n);
                }
            }
        }
    }

    #[test]
    fn long_division_adds_back() {
        // Quotient digit estimates that are one too large after the second-digit correction,
        // so the add-back step runs (found by a search over digit patterns with that branch
        // counted; it runs with probability about 2⁻³¹ per digit on random words).
        let cases: [(Limbs, Limbs); 6] = [
            (
                [
                    0xffffffff,
                    0x17fffffff,
                    0x7fffffff00000000,
                    0x800000007fffffff,
                ],
                [
                    0x8000000000000000,
                    0xffffffff00000000,
                    0x7fffffff00000000,
                    0,
                ],
            ),
            (
                [
                    0x3222a20380000000,
                    0x8000000000000000,
                    0x80000000,
                    0x8000000080000000,
                ],
                [0xffffffff44ebfb69, 0x7fffffff80000000, 0, 0],
            ),
            (
                [
                    0x80000000ffffffff,
                    0x17fffffff,
                    0x8000000000000000,
                    0xffffffff,
                ],
                [0x490020c100000000, 0xffffffff00000000, 1, 0],
            ),
            (
                [
                    0x1ffffffff,
                    0x7fffffff00000001,
                    0x7fffffff80000000,
                    0xffffffff,
                ],
                [0x8000000080000000, 0xffffffff, 0, 0],
            ),
            (
                [
                    0xc65de3a900000001,
                    0xc981b6a17fffffff,
                    0xe444cdaf80000000,
                    0x80000000,
                ],
                [0x8000000000000001, 0x8000000000000000, 0, 0],
            ),
            (
                [
                    0xf167652500000001,
                    0x7fffffff,
                    0x8000000000000000,
                    0x100000000,
                ],
                [0x100000001, 1, 0, 0],
            ),
        ];
        for (x, y) in cases {
            let (x, y) = (U256::from_limbs(x), U256::from_limbs(y));
            check(x, y);
            // The same quotient digits again, with the product's high half above them.
            check_modular(x, U256::from(1) << 64, y);
        }
    }

    /// Divisors of one limb (`div_rem_by_limb`) whose top digits make the two-limb division's
    /// estimates too large: a top digit of exactly 2³¹ after the shift beside a full low digit,
    /// and dividends whose digits sit just below the divisor's.
    #[test]
    fn one_limb_divisors_correct_their_estimates() {
        let divisors = [
            1,
            3,
            DIGIT_MASK,
            1 << 32,
            (1 << 32) + 1,
            0x8000_0000_ffff_ffff,
            0x4000_0000_ffff_ffff,
            (1 << 63) - 1,
            1 << 63,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        for d in divisors {
            for pattern in [
                u64::MAX,
                d - 1,
                d,
                0x8000_0000_0000_0000,
                0x7fff_ffff_ffff_ffff,
                1,
            ] {
                for top in 1..4 {
                    let mut limbs = [0u64; 4];
                    for limb in limbs.iter_mut().take(top + 1) {
                        *limb = pattern;
                    }
                    check(U256::from_limbs(limbs), U256::from(d));
                    limbs[0] = !pattern;
                    check(U256::from_limbs(limbs), U256::from(d));
                }
            }
        }
        // (2¹²⁸ − 1) / (2⁶⁴ − 1) = 2⁶⁴ + 1 exactly: (2⁶⁴ − 1)(2⁶⁴ + 1) = 2¹²⁸ − 1.
        let (q, r) = div_rem(&[u64::MAX, u64::MAX, 0, 0], &[u64::MAX, 0, 0, 0]);
        assert_eq!(q, [1, 1, 0, 0]);
        assert_eq!(r, [0; 4]);
    }

    #[test]
    fn agrees_with_ruint_on_random_words() {
        let mut rng = Rng(TestRng::new(0x9e37_79b9_7f4a_7c15));
        for _ in 0..200_000 {
            let (a, b) = (rng.word(), rng.word());
            check(a, b);
            check(a, a);
            check_modular(a, b, rng.word());
            // ±2ᵏ with `k` up to 64: `sdiv`'s shift (`k` < 64) and past it.
            let power = U256::from(1) << (rng.next() % 65);
            check(a, power);
            check(a, power.wrapping_neg());
        }
    }

    #[test]
    fn hand_derived_products_and_quotients() {
        // (2⁶⁴ − 1)² = 2¹²⁸ − 2⁶⁵ + 1: low limb 1, high limb 2⁶⁴ − 2.
        let mut b = U256::from(u64::MAX);
        mul(&U256::from(u64::MAX), &mut b);
        assert_eq!(b.into_limbs(), [1, u64::MAX - 1, 0, 0]);
        // −3 · 5 = −15 and −3 · −5 = 15 modulo 2²⁵⁶.
        let mut b = U256::from(5);
        mul(&U256::from(3).wrapping_neg(), &mut b);
        assert_eq!(b, U256::from(15).wrapping_neg());
        let mut b = U256::from(5).wrapping_neg();
        mul(&U256::from(3).wrapping_neg(), &mut b);
        assert_eq!(b, U256::from(15));
        // (2²⁵⁶ − 1) / 3 = 0x5555…5 (3 · 0x55 = 0xff in every byte), remainder 0.
        let (q, r) = div_rem(&[u64::MAX; 4], &[3, 0, 0, 0]);
        assert_eq!(q, [0x5555_5555_5555_5555; 4]);
        assert_eq!(r, [0; 4]);
        // −7 / 2 = −3, −7 mod 2 = −1, truncating toward zero.
        let mut b = U256::from(2);
        sdiv(&U256::from(7).wrapping_neg(), &mut b);
        assert_eq!(b, U256::from(3).wrapping_neg());
        let mut b = U256::from(2);
        smod(&U256::from(7).wrapping_neg(), &mut b);
        assert_eq!(b, U256::from(1).wrapping_neg());
        // −1 < 0 signed, but 2²⁵⁶ − 1 > 0 unsigned.
        let mut b = U256::ZERO;
        slt(&U256::MAX, &mut b);
        assert_eq!(b, U256::from(1));
        let mut b = U256::ZERO;
        lt(&U256::MAX, &mut b);
        assert_eq!(b, U256::ZERO);
    }
}
