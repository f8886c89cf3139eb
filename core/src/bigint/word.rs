//! 256-bit word operations with their carry, borrow and comparison flags, and a wide
//! reduction: the building blocks of modular arithmetic over the bigint delegation
//! ([`super::montgomery`], the modexp precompile).
//!
//! On riscv32 with the `delegation` feature each operation is one coprocessor call
//! ([`super::abi`]) and [`reduce_wide`] takes checked division advice; elsewhere they are plain
//! `ruint` code with the same results, so the arithmetic built on them is tested on the host.

pub use imp::{add, eq, lt, mul_high, mul_low, reduce_wide, sub};

#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
mod imp {
    use super::super::{csr, delegated};
    use crate::primitives::U256;

    /// `a ← a + b mod 2²⁵⁶`; returns the carry.
    #[inline(always)]
    pub fn add(a: &mut U256, b: &U256) -> bool {
        csr::add(a, b)
    }

    /// `a ← a − b mod 2²⁵⁶`; returns the borrow (`a < b`).
    #[inline(always)]
    pub fn sub(a: &mut U256, b: &U256) -> bool {
        csr::sub(a, b)
    }

    /// `a ← a·b mod 2²⁵⁶`.
    #[inline(always)]
    pub fn mul_low(a: &mut U256, b: &U256) {
        csr::mul_low(a, b);
    }

    /// `a ← ⌊a·b / 2²⁵⁶⌋`.
    #[inline(always)]
    pub fn mul_high(a: &mut U256, b: &U256) {
        csr::mul_high(a, b);
    }

    /// Whether `a = b`.
    #[inline(always)]
    pub fn eq(a: &U256, b: &U256) -> bool {
        csr::eq(a, b)
    }

    /// Whether `a < b`.
    #[inline(always)]
    pub fn lt(a: &U256, b: &U256) -> bool {
        csr::lt(a, b)
    }

    /// `(high·2²⁵⁶ + low) mod d` for `high < d` (so `d ≠ 0`), from checked division advice.
    #[inline(always)]
    pub fn reduce_wide(high: &U256, low: &U256, d: &U256) -> U256 {
        delegated::reduce_wide(high, low, d)
    }
}

#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
mod imp {
    use crate::primitives::U256;

    /// 512-bit numbers for the wide products and reductions.
    type U512 = ruint::Uint<512, 8>;

    /// `a ← a + b mod 2²⁵⁶`; returns the carry.
    pub fn add(a: &mut U256, b: &U256) -> bool {
        let (sum, carry) = a.overflowing_add(*b);
        *a = sum;
        carry
    }

    /// `a ← a − b mod 2²⁵⁶`; returns the borrow (`a < b`).
    pub fn sub(a: &mut U256, b: &U256) -> bool {
        let (difference, borrow) = a.overflowing_sub(*b);
        *a = difference;
        borrow
    }

    /// `a ← a·b mod 2²⁵⁶`.
    pub fn mul_low(a: &mut U256, b: &U256) {
        *a = a.wrapping_mul(*b);
    }

    /// `a ← ⌊a·b / 2²⁵⁶⌋`.
    pub fn mul_high(a: &mut U256, b: &U256) {
        let product: U512 = a.widening_mul(*b);
        *a = U256::from_limbs(high_limbs(&product));
    }

    /// Whether `a = b`.
    pub fn eq(a: &U256, b: &U256) -> bool {
        a == b
    }

    /// Whether `a < b`.
    pub fn lt(a: &U256, b: &U256) -> bool {
        a < b
    }

    /// `(high·2²⁵⁶ + low) mod d` for `high < d` (so `d ≠ 0`).
    pub fn reduce_wide(high: &U256, low: &U256, d: &U256) -> U256 {
        let (low, high) = (low.as_limbs(), high.as_limbs());
        let n = U512::from_limbs([
            low[0], low[1], low[2], low[3], high[0], high[1], high[2], high[3],
        ]);
        let remainder = n % U512::from(*d);
        U256::from_limbs(low_limbs(&remainder))
    }

    /// The high 256 bits of `x`, as limbs.
    fn high_limbs(x: &U512) -> [u64; 4] {
        let limbs = x.as_limbs();
        [limbs[4], limbs[5], limbs[6], limbs[7]]
    }

    /// The low 256 bits of `x`, as limbs.
    fn low_limbs(x: &U512) -> [u64; 4] {
        let limbs = x.as_limbs();
        [limbs[0], limbs[1], limbs[2], limbs[3]]
    }
}
