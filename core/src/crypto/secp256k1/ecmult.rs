//! `u1·G + u2·R` by Shamir's trick over w-NAF digits of four half-length scalars, as ZKsync OS
//! does it (`crypto/src/secp256k1/recover.rs` upstream, after libsecp256k1's `ecmult`): `u1`
//! split into its 128-bit halves against tables of `G` and `2¹²⁸·G` (the field's window: 12,
//! 8 or 7), `u2` split by the curve's endomorphism (`λ·(x, y) = (β·x, y)`) into `k1 + k2·λ` with
//! `|k1|, |k2| < 2¹²⁸` against tables of `R` and `λ·R` built per call (window 5). One doubling
//! per bit of the halves serves all four. `R`'s tables share one `Z`, so the sum runs on the
//! isomorphic curve where they are affine and every addition is a mixed one (libsecp256k1's
//! `ecmult_impl.h` does the same): `G`'s entries enter it through that curve's scaling
//! (one more multiplication each) and the sum's `Z` leaves it at the end. A batch of
//! recoveries builds its tables of `R` affine on the curve itself instead
//! ([`super::affine_tables`], [`double_mul_with_table`]), so its sums stay on the curve.

use super::curve::{
    GLV_G1, GLV_G2, GLV_MINUS_B1_MONTGOMERY, GLV_MINUS_B2_MONTGOMERY, HALF_ORDER,
    LAMBDA_MONTGOMERY, SCALARS,
};
use super::field::{Affine, CurveField};
use super::point::Jacobian;
use crate::bigint::word;
use crate::primitives::U256;

/// w-NAF window for `R`'s tables: digits are odd and below `2⁴` in magnitude.
const POINT_WINDOW: u32 = 5;
/// Odd multiples in each of `R`'s tables: `R, 3R, …, 15R`.
pub const POINT_TABLE_LEN: usize = 1 << (POINT_WINDOW - 2);
/// Digit positions of a w-NAF of a number below `2¹²⁸`: the last carry can reach bit 128.
const WNAF_LEN: usize = 129;

/// A w-NAF: `Σ digits[i]·2^i`, every non-zero digit odd and below `2^(window−1)` in
/// magnitude, at least `window − 1` zeros after each.
type Wnaf = [i16; WNAF_LEN];

/// `R`'s odd multiples `R, 3R, …, 15R` for its w-NAF digits.
pub type PointTable<F> = [Affine<F>; POINT_TABLE_LEN];

/// `u1·G + u2·r` for `u1, u2 < n` (either may be zero; the result may be the point at
/// infinity), with `r`'s tables sharing one `Z`.
pub fn double_mul<F: CurveField>(u1: &U256, r: &Affine<F>, u2: &U256) -> Jacobian<F> {
    let [g_low, g_high, r_digits, lambda_r_digits] = digits::<F>(u1, u2);
    // R's tables share one Z and are added as affine points of the isomorphic curve on which
    // they are affine; G's constant tables are added through that curve's scaling.
    let (r_table, z) = Jacobian::odd_multiples_shared_z::<POINT_TABLE_LEN>(r);
    let lambda_r_table = lambda_table(&r_table);
    let [g_table, shifted_g_table] = F::generator_tables();
    let mut sum = Jacobian::INFINITY;
    for i in (0..WNAF_LEN).rev() {
        sum.double_in_place();
        add_scaled_digit(&mut sum, g_table, g_low[i], &z);
        add_scaled_digit(&mut sum, shifted_g_table, g_high[i], &z);
        add_digit(&mut sum, &r_table, r_digits[i]);
        add_digit(&mut sum, &lambda_r_table, lambda_r_digits[i]);
    }
    sum.leave_isomorphic_curve(&z);
    sum
}

/// `u1·G + u2·R` as [`double_mul`], given `R`'s odd multiples affine on the curve itself
/// ([`super::affine_tables`]): every addition is then a mixed one on the curve.
pub fn double_mul_with_table<F: CurveField>(
    u1: &U256,
    r_table: &PointTable<F>,
    u2: &U256,
) -> Jacobian<F> {
    let [g_low, g_high, r_digits, lambda_r_digits] = digits::<F>(u1, u2);
    let lambda_r_table = lambda_table(r_table);
    let [g_table, shifted_g_table] = F::generator_tables();
    let mut sum = Jacobian::INFINITY;
    for i in (0..WNAF_LEN).rev() {
        sum.double_in_place();
        add_digit(&mut sum, g_table, g_low[i]);
        add_digit(&mut sum, shifted_g_table, g_high[i]);
        add_digit(&mut sum, r_table, r_digits[i]);
        add_digit(&mut sum, &lambda_r_table, lambda_r_digits[i]);
    }
    sum
}

/// The w-NAF digits of `u1`'s 128-bit halves (the field's generator window) and of `u2`'s
/// halves by the endomorphism (window 5).
#[inline(always)]
fn digits<F: CurveField>(u1: &U256, u2: &U256) -> [Wnaf; 4] {
    let limbs = u1.as_limbs();
    let g_low = wnaf(
        &U256::from_limbs([limbs[0], limbs[1], 0, 0]),
        F::GENERATOR_WINDOW,
        false,
    );
    let g_high = wnaf(
        &U256::from_limbs([limbs[2], limbs[3], 0, 0]),
        F::GENERATOR_WINDOW,
        false,
    );
    let (k1, k2) = split_by_lambda(u2);
    [g_low, g_high, signed_wnaf(&k1), signed_wnaf(&k2)]
}

/// `λ·P = (β·x, y)` of each of `table`'s points.
#[inline(always)]
fn lambda_table<F: CurveField>(table: &PointTable<F>) -> PointTable<F> {
    table.map(|p| {
        let mut x = p.x;
        x.mul_assign(&F::BETA);
        Affine { x, y: p.y }
    })
}

/// `sum ← sum + digit·P` from the table of `P`'s odd multiples, affine on the curve.
#[inline(always)]
fn add_scaled_digit<F: CurveField>(sum: &mut Jacobian<F>, table: &[Affine<F>], digit: i16, z: &F) {
    if digit != 0 {
        sum.add_affine_over_z_in_place(&table[table_index(digit)], digit < 0, z);
    }
}

/// `sum ← sum + digit·P` from the table of `P`'s odd multiples, affine on the curve `sum`
/// lives on.
#[inline(always)]
fn add_digit<F: CurveField>(sum: &mut Jacobian<F>, table: &[Affine<F>], digit: i16) {
    if digit != 0 {
        sum.add_affine_in_place(&table[table_index(digit)], digit < 0);
    }
}

/// The table index of the odd digit `±(2i + 1)`: `i`.
#[inline(always)]
fn table_index(digit: i16) -> usize {
    usize::from(digit.unsigned_abs() >> 1)
}

/// `(k1, k2)` modulo `n` with `k ≡ k1 + k2·λ`, each `x` or `n − x` for some `x < 2¹²⁸`: with
/// `c1 = round(k·g1 / 2³⁸⁴)` and `c2 = round(k·g2 / 2³⁸⁴)`, `k2 = c1·(−b1) + c2·(−b2)` and
/// `k1 = k − k2·λ` (libsecp256k1's `scalar_split_lambda`; the constants and the proof of the
/// bound are in `k256`'s `arithmetic/mul.rs` and `arithmetic/mul/glv.rs`).
pub(super) fn split_by_lambda(k: &U256) -> (U256, U256) {
    let c1 = rounded_shift_384(k, &GLV_G1);
    let c2 = rounded_shift_384(k, &GLV_G2);
    // The Montgomery product of a plain number and a Montgomery form is the plain product.
    let k2 = SCALARS.add(
        &SCALARS.mul(&c1, &GLV_MINUS_B1_MONTGOMERY),
        &SCALARS.mul(&c2, &GLV_MINUS_B2_MONTGOMERY),
    );
    let k1 = SCALARS.sub(k, &SCALARS.mul(&k2, &LAMBDA_MONTGOMERY));
    (k1, k2)
}

/// `round(k·g / 2³⁸⁴)`: the top 128 bits of the 512-bit product plus its bit 383.
#[inline(always)]
fn rounded_shift_384(k: &U256, g: &U256) -> U256 {
    let mut high = *k;
    word::mul_high(&mut high, g);
    let limbs = high.as_limbs();
    let mut shifted = U256::from_limbs([limbs[2], limbs[3], 0, 0]);
    if limbs[1] >> 63 == 1 {
        word::add(&mut shifted, &U256::from(1));
    }
    shifted
}

/// The w-NAF of `x` taken as a signed number (`x − n` above `n / 2`), window 5.
fn signed_wnaf(x: &U256) -> Wnaf {
    if word::lt(&HALF_ORDER, x) {
        wnaf(&SCALARS.neg(x), POINT_WINDOW, true)
    } else {
        wnaf(x, POINT_WINDOW, false)
    }
}

/// The w-NAF of `scalar < 2¹²⁸`, of `−scalar` when `negate`.
pub(super) fn wnaf(scalar: &U256, window: u32, negate: bool) -> Wnaf {
    let limbs = scalar.as_limbs();
    let mut digits = [0i16; WNAF_LEN];
    let mut carry = 0u32;
    let mut bit = 0;
    while bit < WNAF_LEN {
        if bits(limbs, bit, 1) == carry {
            bit += 1;
            continue;
        }
        // The window's value plus the carry is odd here; above half the window it becomes
        // negative and carries one into the next window.
        let value = bits(limbs, bit, window) + carry;
        carry = (value >> (window - 1)) & 1;
        let digit = value as i32 - ((carry << window) as i32);
        digits[bit] = if negate { -digit } else { digit } as i16;
        bit += window as usize;
    }
    digits
}

/// `count ≤ 32` bits of the little-endian `limbs` from bit `start` (zeros past the top).
#[inline(always)]
fn bits(limbs: &[u64; 4], start: usize, count: u32) -> u32 {
    let limb = start / 64;
    if limb >= limbs.len() {
        return 0;
    }
    let shift = start % 64;
    let mut value = limbs[limb] >> shift;
    if shift + count as usize > 64 && limb + 1 < limbs.len() {
        value |= limbs[limb + 1] << (64 - shift);
    }
    (value & ((1u64 << count) - 1)) as u32
}
