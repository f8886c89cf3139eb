//! Division by a one-limb divisor (`0 < d < 2⁶⁴`): through one `f64` division when the quotient
//! is small ([`div_rem_estimated`]), else limb by limb with two 64-bit divisions a limb.

/// A word's 64-bit limbs, least significant first.
pub(super) type Limbs = [u64; 4];

/// The low 32 bits of a `u64`: one digit.
pub(super) const DIGIT_MASK: u64 = 0xffff_ffff;

/// 2⁶⁴, exact as an `f64`.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// 2⁴⁹: [`div_rem_estimated`] takes estimates below it, which are within 0.26 of the quotient.
const ESTIMATE_LIMIT: f64 = 562_949_953_421_312.0;

/// [`div_rem_estimated`] takes divisors below 2⁶², so that `x − q·d` for an estimate `q` one
/// off, between `−d` and `2d`, fits an `i64`.
const DIVISOR_LIMIT: u64 = 1 << 62;

/// `(⌊x / d⌋, x mod d)` for `x = high·2⁶⁴ + low` and `0 < d < 2⁶²` when the quotient is below
/// about 2⁴⁹ (`None` otherwise), from one `f64` division: wasm's `i64.div_u` is a hardware
/// division that V8 guards, and the limb-by-limb path takes two of them and their corrections.
///
/// Exact: converting `high` and `low`, adding, converting `d` and dividing are each rounded to
/// nearest, a relative error of at most `u = 2⁻⁵³` each, so the estimate is the real quotient
/// `x / d` times `1 + ε` with `|ε| ≤ (1 + u)³ / (1 − u) − 1 < 4.01u`. An estimate below 2⁴⁹
/// is then within `2⁴⁹ · (1 + 2⁻⁴⁸) · 4.01 · 2⁻⁵³ < 0.26` of `x / d`, so its integer part `q` is
/// `⌊x / d⌋` or one off either way, and `x − q·d` lies in `[−d, 2d)`: within an `i64` for
/// `d < 2⁶²`, so its low 64 bits (a wrapping multiply and subtraction) are the value. One
/// correction step makes it exact.
#[inline(always)]
pub(super) fn div_rem_estimated(high: u64, low: u64, d: u64) -> Option<(u64, u64)> {
    if d >= DIVISOR_LIMIT {
        return None;
    }
    let estimate = (high as f64 * TWO_POW_64 + low as f64) / d as f64;
    if estimate >= ESTIMATE_LIMIT {
        return None;
    }
    let q = estimate as u64;
    let (r, divisor) = (low.wrapping_sub(q.wrapping_mul(d)) as i64, d as i64);
    Some(if r < 0 {
        (q - 1, (r + divisor) as u64)
    } else if r >= divisor {
        (q + 1, (r - divisor) as u64)
    } else {
        (q, r as u64)
    })
}

/// `(⌊x / d⌋, x mod d)` for `0 < d < 2⁶⁴`, limb by limb from the highest non-zero quotient limb:
/// both are shifted left until the divisor's top bit is set (the quotient stays, the remainder
/// comes out shifted), and each step divides the running remainder and the next limb by the
/// divisor ([`div_two_limbs`]). wasm divides 64 bits by 64 bits in one instruction, so this
/// takes two divisions a limb where [`super::divide`] loops over 32-bit digit arrays.
pub(super) fn div_rem_by_limb(x: &Limbs, d: u64) -> (Limbs, Limbs) {
    let shift = d.leading_zeros();
    let divisor = d << shift;
    let mut top = x.iter().rposition(|&limb| limb != 0).unwrap_or(0);
    let mut quotient = [0u64; 4];
    let mut remainder = carried(x[top], shift);
    if x[top] < d && top > 0 {
        // The top quotient limb is zero: `x[top] < d` leaves nothing to carry up, and the
        // shifted top limb, below the shifted divisor, is the first remainder.
        remainder = shifted(x, top, shift);
        top -= 1;
    }
    for i in (0..=top).rev() {
        (quotient[i], remainder) = div_two_limbs(remainder, shifted(x, i, shift), divisor);
    }
    (quotient, [remainder >> shift, 0, 0, 0])
}

/// Limb `i` of `x` shifted left by `shift` (0..=63).
#[inline(always)]
fn shifted(x: &Limbs, i: usize, shift: u32) -> u64 {
    (x[i] << shift) | if i == 0 { 0 } else { carried(x[i - 1], shift) }
}

/// The bits of `limb` that a left shift by `shift` (0..=63) moves into the next limb up (`>> 64`
/// would overflow). This and [`shifted`] are functions, not closures: at the wasm build's
/// inliner thresholds a closure was a call at every use.
#[inline(always)]
fn carried(limb: u64, shift: u32) -> u64 {
    (limb >> 1) >> (63 - shift)
}

/// `(⌊(high·2⁶⁴ + low) / d⌋, (high·2⁶⁴ + low) mod d)` for `d ≥ 2⁶³` and `high < d` (so the
/// quotient fits 64 bits): Knuth's algorithm D with 32-bit digits, a two-digit divisor and a
/// four-digit dividend, written out (the two-word division of Hacker's Delight, §9.4). Each
/// quotient digit is estimated from the remainder's top 64 bits over the divisor's top digit
/// and corrected with its low digit, after which it is exact; the partial remainders are below
/// `d`, so they fit 64 bits and the products taken off them may wrap.
#[inline(always)]
fn div_two_limbs(high: u64, low: u64, d: u64) -> (u64, u64) {
    let (q_high, rest) = quotient_digit(high, low >> 32, d);
    let (q_low, remainder) = quotient_digit(rest, low & DIGIT_MASK, d);
    ((q_high << 32) | q_low, remainder)
}

/// One step of [`div_two_limbs`]: the digit `⌊(numerator·2³² + next) / d⌋` for `numerator < d`
/// and `next < 2³²`, and the remainder.
#[inline(always)]
fn quotient_digit(numerator: u64, next: u64, d: u64) -> (u64, u64) {
    let (d_high, d_low) = (d >> 32, d & DIGIT_MASK);
    let mut q = numerator / d_high;
    let mut r = numerator - q * d_high;
    while q > DIGIT_MASK || q * d_low > ((r << 32) | next) {
        q -= 1;
        r += d_high;
        if r > DIGIT_MASK {
            break;
        }
    }
    let rest = ((numerator << 32) | next).wrapping_sub(q.wrapping_mul(d));
    (q, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::test_rng::TestRng;

    /// `div_rem_estimated` beside `u128` division: the answer when it gives one, and that it
    /// gives one at least when the quotient is below 2⁴⁸ and the divisor below 2⁶².
    fn check(x: u128, d: u64) {
        let (high, low) = ((x >> 64) as u64, x as u64);
        let (quotient, remainder) = (x / u128::from(d), x % u128::from(d));
        match div_rem_estimated(high, low, d) {
            Some((q, r)) => assert_eq!(
                (u128::from(q), u128::from(r)),
                (quotient, remainder),
                "{x:#x} / {d:#x}"
            ),
            None => assert!(
                quotient >= 1 << 48 || d >= DIVISOR_LIMIT,
                "{x:#x} / {d:#x} not estimated"
            ),
        }
    }

    #[test]
    fn estimates_are_corrected_to_the_exact_quotient() {
        let divisors = [
            1,
            2,
            3,
            7,
            1_000_000,
            DIGIT_MASK,
            1 << 32,
            (1 << 32) + 1,
            0xffff_ffff_ffff,
            (1 << 53) - 1,
            1 << 53,
            (1 << 53) + 1,
            DIVISOR_LIMIT - 1,
            DIVISOR_LIMIT,
            u64::MAX,
        ];
        for d in divisors {
            let d128 = u128::from(d);
            // Multiples of `d` and their neighbours, where an estimate one off shows first,
            // with quotients on both sides of the limit.
            for q in [
                0u128,
                1,
                2,
                (1 << 32) - 1,
                1 << 47,
                (1 << 48) - 1,
                (1 << 49) - 1,
                1 << 49,
                (1 << 49) + 1,
                1 << 60,
            ] {
                for x in [
                    q * d128,
                    (q * d128).wrapping_sub(1),
                    q * d128 + 1,
                    q * d128 + d128 - 1,
                ] {
                    check(x, d);
                }
            }
            for x in [
                u128::from(u64::MAX) + 1,
                u128::from(u64::MAX) << 32,
                u128::MAX >> 32,
                u128::MAX,
            ] {
                check(x, d);
            }
        }
    }

    #[test]
    fn agrees_with_u128_division_on_random_operands() {
        let mut rng = TestRng::new(0x2545_f491_4f6c_dd1d);
        let mut next = || rng.next();
        for _ in 0..1_000_000 {
            // A 65–128-bit dividend and a divisor of 1–62 bits, and a quotient near a multiple.
            let x = (u128::from(next()) << 64 | u128::from(next())) >> (next() % 64);
            let d = (next() >> (2 + next() % 62)).max(1);
            check(x, d);
            let q = x / u128::from(d);
            check(
                (q * u128::from(d))
                    .wrapping_add(u128::from(next() % 3))
                    .wrapping_sub(1),
                d,
            );
        }
    }
}
