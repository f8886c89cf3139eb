//! Arithmetic modulo an odd modulus `m < 2²⁵⁴` in Montgomery form (`x` is held as
//! `x·R mod m`, `R = 2²⁵⁶`), over the 256-bit operations of [`super::word`]: a product is four
//! 256-bit multiplications and no division, so on the guest it stays on the bigint
//! delegation. ZKsync OS's delegated bn254 field takes the same route, Montgomery products with
//! the reduction constant `−m⁻¹ mod 2²⁵⁶` over its 256-bit delegation
//! (`crypto/src/bn254/fields/fq.rs`).
//!
//! Elements are `U256`s below `m` in Montgomery form; every method takes and returns such
//! elements unless its name says otherwise.

use super::word;
use crate::primitives::U256;

/// Bits of exponent per window of [`MontgomeryField::pow`].
const WINDOW_BITS: usize = 4;

/// The field of integers modulo one odd modulus below 2²⁵⁴ (so `2m` and the reduction's
/// sums never overflow 256 bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MontgomeryField {
    /// The modulus `m`.
    modulus: U256,
    /// `−m⁻¹ mod 2²⁵⁶`.
    neg_inverse: U256,
    /// `R² mod m`: the Montgomery form of `R`, which [`Self::to_montgomery`] multiplies by.
    r_squared: U256,
    /// `R mod m`: the Montgomery form of 1.
    one: U256,
}

impl MontgomeryField {
    /// The field of `modulus` with its precomputed constants (checked by the callers' tests).
    pub const fn new(modulus: U256, neg_inverse: U256, r_squared: U256, one: U256) -> Self {
        MontgomeryField {
            modulus,
            neg_inverse,
            r_squared,
            one,
        }
    }

    /// The modulus.
    pub fn modulus(&self) -> &U256 {
        &self.modulus
    }

    /// The Montgomery form of 1.
    pub fn one(&self) -> U256 {
        self.one
    }

    /// The Montgomery form of the plain `x < m`.
    pub fn to_montgomery(&self, x: &U256) -> U256 {
        self.mul(x, &self.r_squared)
    }

    /// The plain value of `x`.
    pub fn from_montgomery(&self, x: &U256) -> U256 {
        self.mul(x, &U256::ONE)
    }

    /// `a·b`: the Montgomery reduction of the 512-bit product, `(a·b + q·m) / R` with
    /// `q = (a·b mod R)·(−m⁻¹) mod R`. The low halves of `a·b` and `q·m` sum to 0 or `R`
    /// (a carry exactly when the first is non-zero), so only `q·m`'s high half is needed.
    /// With `a, b < m` the result is below `2m`; one subtraction reduces it.
    pub fn mul(&self, a: &U256, b: &U256) -> U256 {
        let mut low = *a;
        word::mul_low(&mut low, b);
        let mut high = *a;
        word::mul_high(&mut high, b);
        let mut q = low;
        word::mul_low(&mut q, &self.neg_inverse);
        word::mul_high(&mut q, &self.modulus);
        word::add(&mut high, &q);
        if !word::eq(&low, &U256::ZERO) {
            word::add(&mut high, &U256::ONE);
        }
        self.reduce_once(high)
    }

    /// `a²`.
    pub fn square(&self, a: &U256) -> U256 {
        self.mul(a, a)
    }

    /// `a + b`.
    pub fn add(&self, a: &U256, b: &U256) -> U256 {
        let mut sum = *a;
        word::add(&mut sum, b);
        self.reduce_once(sum)
    }

    /// `2a`.
    pub fn double(&self, a: &U256) -> U256 {
        self.add(a, a)
    }

    /// `a − b`.
    pub fn sub(&self, a: &U256, b: &U256) -> U256 {
        let mut difference = *a;
        if word::sub(&mut difference, b) {
            word::add(&mut difference, &self.modulus);
        }
        difference
    }

    /// `−a`.
    pub fn neg(&self, a: &U256) -> U256 {
        self.sub(&U256::ZERO, a)
    }

    /// Whether `a` is zero (in either form).
    pub fn is_zero(&self, a: &U256) -> bool {
        word::eq(a, &U256::ZERO)
    }

    /// Whether the plain `x` is a field element (below the modulus).
    pub fn is_canonical(&self, x: &U256) -> bool {
        word::lt(x, &self.modulus)
    }

    /// `a^e` for a plain exponent `e`, by fixed 4-bit windows from the top.
    pub fn pow(&self, a: &U256, e: &U256) -> U256 {
        let mut table = [self.one; 1 << WINDOW_BITS];
        table[1] = *a;
        for i in 2..table.len() {
            table[i] = self.mul(&table[i - 1], a);
        }
        let mut result: Option<U256> = None;
        for window in (0..e.bit_len().div_ceil(WINDOW_BITS)).rev() {
            let digit = (0..WINDOW_BITS).rev().fold(0usize, |digit, bit| {
                (digit << 1) | usize::from(e.bit(window * WINDOW_BITS + bit))
            });
            result = Some(match result {
                None => table[digit],
                Some(mut power) => {
                    for _ in 0..WINDOW_BITS {
                        power = self.square(&power);
                    }
                    if digit != 0 {
                        power = self.mul(&power, &table[digit]);
                    }
                    power
                }
            });
        }
        result.unwrap_or(self.one)
    }

    /// `a⁻¹` for a prime modulus (Fermat: `a^(m−2)`); zero for zero.
    pub fn inverse(&self, a: &U256) -> U256 {
        let mut exponent = self.modulus;
        word::sub(&mut exponent, &U256::from(2u8));
        self.pow(a, &exponent)
    }

    /// `x − m` if `x ≥ m`, else `x`, for `x < 2m`.
    fn reduce_once(&self, mut x: U256) -> U256 {
        if !word::lt(&x, &self.modulus) {
            word::sub(&mut x, &self.modulus);
        }
        x
    }
}
