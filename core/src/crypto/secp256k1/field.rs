//! What the group law ([`super::point`]) needs of a representation of the base field
//! `p = 2²⁵⁶ − 2³² − 977`: the guest's delegated Montgomery form ([`super::montgomery_element`])
//! and the limbs of 64-bit hosts ([`super::field_4x64`]) and of wasm ([`super::field_10x26`])
//! all implement it, so all run one group law.
//!
//! Representations may reduce lazily: an element then has a *magnitude* `m`, a bound on how far
//! its limbs may have grown (a canonical element has magnitude 1; a sum adds magnitudes). The
//! callers pass the bound they know where an operation needs it and keep the inputs of
//! [`CurveField::mul`] and [`CurveField::square`] at magnitude ≤ [`MAX_MUL_MAGNITUDE`].
//! Representations that always reduce ignore the magnitudes.

use alloc::vec::Vec;

use crate::primitives::U256;

/// The largest magnitude [`CurveField::mul`] and [`CurveField::square`] accept.
pub const MAX_MUL_MAGNITUDE: u32 = 64;

/// Entries of the constant generator tables: the odd multiples `P, 3P, …, 127P` (w-NAF window
/// 8, the widest window of a constant table).
pub const GENERATOR_TABLE_LEN: usize = 64;

/// One representation of secp256k1's base field with the curve's constants in it.
pub trait CurveField: Copy + 'static {
    /// 1.
    const ONE: Self;
    /// The curve's `b = 7`.
    const B: Self;
    /// The endomorphism's `β` (a cube root of unity): `λ·(x, y) = (β·x, y)`.
    const BETA: Self;
    /// The w-NAF window of the generator tables (at most 15): they hold `2^(window − 2)`
    /// entries.
    const GENERATOR_WINDOW: u32;

    /// The generator tables: `(2i + 1)·G` and `(2i + 1)·2¹²⁸·G` at index `i`.
    fn generator_tables() -> [&'static [Affine<Self>]; 2];

    /// The element `x` for a plain `x < p` (magnitude 1).
    fn from_u256(x: &U256) -> Self;
    /// The plain value in `[0, p)`.
    fn to_u256(&self) -> U256;
    /// Whether the plain value is odd.
    fn is_odd(&self) -> bool {
        self.to_u256().bit(0)
    }
    /// Whether the element is zero modulo `p`.
    fn is_zero(&self) -> bool;
    /// `self + b` (the magnitudes add).
    fn add(&self, b: &Self) -> Self;
    /// `2·self` (twice the magnitude).
    fn double(&self) -> Self;
    /// `self − b` for `b` of magnitude ≤ `b_magnitude` (magnitude: `self`'s plus
    /// `b_magnitude + 1`).
    fn sub(&self, b: &Self, b_magnitude: u32) -> Self;
    /// `−self` for `self` of magnitude ≤ `magnitude` (magnitude `magnitude + 1`).
    fn negate(&self, magnitude: u32) -> Self;
    /// `self·b` (magnitude 1).
    fn mul(&self, b: &Self) -> Self;
    /// `self²` (magnitude 1).
    fn square(&self) -> Self;
    /// `self ← self·b` (magnitude 1). The group law ([`super::point`]) works in place: the
    /// guest's delegated operations overwrite an operand in memory, so a result returned by
    /// value costs it a 32-byte copy; the limbed fields compile either form alike.
    #[inline(always)]
    fn mul_assign(&mut self, b: &Self) {
        *self = self.mul(b);
    }
    /// `self ← self²` (magnitude 1).
    #[inline(always)]
    fn square_assign(&mut self) {
        *self = self.square();
    }
    /// `self ← self + b` (the magnitudes add).
    #[inline(always)]
    fn add_assign(&mut self, b: &Self) {
        *self = self.add(b);
    }
    /// `self ← 2·self` (twice the magnitude).
    #[inline(always)]
    fn double_assign(&mut self) {
        *self = self.double();
    }
    /// `self ← k·self` for a small `k` in `[1, 8]` (`k` times the magnitude); by default the
    /// doublings and sums of `k`'s binary digits (a power of two without a copy of `self`).
    #[inline(always)]
    fn mul_small_assign(&mut self, k: u32) {
        if k.is_power_of_two() {
            for _ in 0..k.trailing_zeros() {
                self.double_assign();
            }
            return;
        }
        let x = *self;
        for bit in (0..31 - k.leading_zeros()).rev() {
            self.double_assign();
            if (k >> bit) & 1 == 1 {
                self.add_assign(&x);
            }
        }
    }
    /// `self ← self − b` for `b` of magnitude ≤ `b_magnitude` (as [`Self::sub`]).
    #[inline(always)]
    fn sub_assign(&mut self, b: &Self, b_magnitude: u32) {
        *self = self.sub(b, b_magnitude);
    }
    /// `self ← b − self` for `self` of magnitude ≤ `magnitude` (as [`Self::sub`]).
    #[inline(always)]
    fn sub_from_assign(&mut self, b: &Self, magnitude: u32) {
        *self = b.sub(self, magnitude);
    }
    /// `self ← self − 2b` for `b` of magnitude ≤ `b_magnitude` (as [`Self::sub`] of `2b`).
    #[inline(always)]
    fn sub_twice_assign(&mut self, b: &Self, b_magnitude: u32) {
        *self = self.sub(&b.double(), 2 * b_magnitude);
    }
    /// `self ← −self` for `self` of magnitude ≤ `magnitude` (as [`Self::negate`]).
    #[inline(always)]
    fn negate_assign(&mut self, magnitude: u32) {
        *self = self.negate(magnitude);
    }
    /// `self⁻¹`, zero for zero (magnitude 1). May take time that depends on the value: every
    /// input of signature recovery is public.
    fn invert(&self) -> Self;
    /// A square root (magnitude 1), or `None` if `self` is not a square.
    fn sqrt(&self) -> Option<Self>;
    /// `r⁻¹ mod n` (the group order) in the Montgomery form of `curve::SCALARS`, for
    /// `r` in `[1, n)`: the scalar inverse recovery needs, computed the way this
    /// representation's target does it fastest.
    fn invert_scalar(r: &U256) -> U256;
}

/// A finite point in affine coordinates (of magnitude ≤ 2).
#[derive(Clone, Copy, Debug)]
pub struct Affine<F> {
    /// `x`.
    pub x: F,
    /// `y`.
    pub y: F,
}

/// `values ← values⁻¹`, each non-zero, with one field inversion (Montgomery's trick: the
/// inverse of the product, multiplied back by the prefix products; 3 products a value).
pub fn invert_all<F: CurveField>(values: &mut [F]) {
    let mut prefix = Vec::with_capacity(values.len());
    let mut product = F::ONE;
    for value in values.iter() {
        prefix.push(product);
        product.mul_assign(value);
    }
    let mut inverse = product.invert();
    for (value, before) in values.iter_mut().zip(&prefix).rev() {
        let mut value_inverse = inverse;
        value_inverse.mul_assign(before);
        inverse.mul_assign(value);
        *value = value_inverse;
    }
}
