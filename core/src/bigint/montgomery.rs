//! Arithmetic modulo an odd modulus `m < 2²⁵⁴` in Montgomery form (`x` is held as
//! `x·R mod m`, `R = 2²⁵⁶`), over the 256-bit operations of [`super::word`]: a product is four
//! 256-bit multiplications and no division, so on the guest it stays on the bigint
//! delegation. ZKsync OS's delegated bn254 field also multiplies in Montgomery form over its
//! 256-bit delegation (`crypto/src/bn254/fields/fq.rs`, reduction constant `−m⁻¹ mod 2²⁵⁶`);
//! this one reduces by subtraction with `m⁻¹`, which needs no carry or comparison.
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
    /// `m⁻¹ mod 2²⁵⁶`.
    modulus_inverse: U256,
    /// `R² mod m`: the Montgomery form of `R`, which [`Self::to_montgomery`] multiplies by.
    r_squared: U256,
    /// `R mod m`: the Montgomery form of 1.
    one: U256,
}

impl MontgomeryField {
    /// The field of `modulus` with its precomputed constants (checked by the callers' tests).
    pub const fn new(modulus: U256, modulus_inverse: U256, r_squared: U256, one: U256) -> Self {
        MontgomeryField {
            modulus,
            modulus_inverse,
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

    /// `a·b`: the Montgomery reduction of the 512-bit product `T = a·b`, as `(T − q·m) / R`
    /// with `q = (T mod R)·m⁻¹ mod R`. The low halves of `T` and `q·m` are then equal, so the
    /// result is the difference of the high halves, each below `m`: one borrow, corrected by
    /// adding `m`. Five 256-bit operations, six when the difference is negative.
    pub fn mul(&self, a: &U256, b: &U256) -> U256 {
        let mut high = *a;
        word::mul_high(&mut high, b);
        let mut q = *a;
        word::mul_low(&mut q, b);
        word::mul_low(&mut q, &self.modulus_inverse);
        word::mul_high(&mut q, &self.modulus);
        if word::sub(&mut high, &q) {
            word::add(&mut high, &self.modulus);
        }
        high
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

#[cfg(test)]
mod tests {
    use super::*;

    type U512 = ruint::Uint<512, 8>;

    /// The field of the odd `m < 2²⁵⁴` with its constants computed by `ruint`.
    fn field(m: U256) -> MontgomeryField {
        let r_mod_m = (U512::from(1u8) << 256) % U512::from(m);
        // 2⁵¹² does not fit U512: (2⁵¹¹ mod m)·2 mod m.
        let r_squared = (U512::from(1u8) << 511) % U512::from(m);
        let r_squared = (r_squared << 1) % U512::from(m);
        let low = |x: U512| U256::from_limbs(x.as_limbs()[..4].try_into().unwrap());
        MontgomeryField::new(m, m.inv_ring().unwrap(), low(r_squared), low(r_mod_m))
    }

    /// A small deterministic generator (xorshift64*), so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn word(&mut self) -> U256 {
            let mut limbs = [0u64; 4];
            for limb in &mut limbs {
                self.0 ^= self.0 >> 12;
                self.0 ^= self.0 << 25;
                self.0 ^= self.0 >> 27;
                *limb = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
            }
            U256::from_limbs(limbs)
        }
    }

    #[test]
    fn operations_match_ruint_for_random_odd_moduli() {
        let mut rng = Rng(0x5eed);
        for round in 0..200 {
            // Odd moduli of every size up to 254 bits, 1 and the largest included.
            let m = match round {
                0 => U256::from(1u8),
                1 => (U256::from(1u8) << 254) - U256::from(1u8),
                _ => (rng.word() >> (2 + round % 250)) | U256::from(1u8),
            };
            let f = field(m);
            for _ in 0..20 {
                let (a, b) = (rng.word() % m, rng.word() % m);
                let (ma, mb) = (f.to_montgomery(&a), f.to_montgomery(&b));
                assert_eq!(f.from_montgomery(&ma), a);
                assert_eq!(f.from_montgomery(&f.mul(&ma, &mb)), a.mul_mod(b, m));
                assert_eq!(f.from_montgomery(&f.square(&ma)), a.mul_mod(a, m));
                assert_eq!(f.from_montgomery(&f.add(&ma, &mb)), a.add_mod(b, m));
                assert_eq!(f.from_montgomery(&f.double(&ma)), a.add_mod(a, m));
                assert_eq!(f.from_montgomery(&f.sub(&ma, &mb)), a.add_mod(m - b, m));
                assert_eq!(f.from_montgomery(&f.neg(&ma)), (m - a) % m);
                let e = rng.word() >> (round % 256);
                assert_eq!(f.from_montgomery(&f.pow(&ma, &e)), a.pow_mod(e, m));
            }
        }
    }

    #[test]
    fn inverse_for_a_prime_modulus() {
        // The bn254 group order (prime, 254 bits).
        let n = U256::from_str_radix(
            "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
            16,
        )
        .unwrap();
        let f = field(n);
        let mut rng = Rng(7);
        for a in [U256::from(1u8), U256::from(2u8), n - U256::from(1u8)]
            .into_iter()
            .chain((0..200).map(|_| rng.word() % n))
        {
            let inverse = f.from_montgomery(&f.inverse(&f.to_montgomery(&a)));
            assert_eq!(Some(inverse), a.inv_mod(n));
        }
        assert_eq!(f.inverse(&U256::ZERO), U256::ZERO);
    }
}
