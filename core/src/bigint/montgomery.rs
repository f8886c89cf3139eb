//! Arithmetic modulo an odd modulus `m < 2²⁵⁶` in Montgomery form (`x` is held as
//! `x·R mod m`, `R = 2²⁵⁶`), over the 256-bit operations of [`super::word`]: a product is four
//! 256-bit multiplications and no division, so on the guest every step stays on the bigint
//! delegation, and everywhere else the same code runs on `ruint`. ZKsync OS's delegated bn254
//! field also multiplies in Montgomery form over its 256-bit delegation
//! (`crypto/src/bn254/fields/fq.rs`, reduction constant `−m⁻¹ mod 2²⁵⁶`); this one reduces by
//! subtraction with `m⁻¹`, so the reduction ends in one subtraction whose borrow says whether
//! to add the modulus back.
//!
//! Elements are `U256`s below `m` in Montgomery form; every method takes and returns such
//! elements unless its name says otherwise. The `_assign` forms overwrite their first operand.

use super::word;
use crate::primitives::U256;

/// Bits of the exponent consumed per multiplication in [`MontgomeryField::pow`].
const POW_WINDOW_BITS: usize = 4;
/// Entries of [`MontgomeryField::pow`]'s table: `base⁰ … base¹⁵`.
const POW_TABLE_LEN: usize = 1 << POW_WINDOW_BITS;

/// The field (or ring) of integers modulo one odd modulus below 2²⁵⁶, with the constants
/// Montgomery arithmetic needs.
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
    pub const fn modulus(&self) -> &U256 {
        &self.modulus
    }

    /// The Montgomery form of 1.
    pub const fn one(&self) -> U256 {
        self.one
    }

    /// The Montgomery form of the plain `x` (any `x < 2²⁵⁶`: `x·R² mod m < m·R` still reduces).
    #[inline(always)]
    pub fn to_montgomery(&self, x: &U256) -> U256 {
        self.mul(x, &self.r_squared)
    }

    /// The plain value of `x`.
    #[inline(always)]
    pub fn from_montgomery(&self, x: &U256) -> U256 {
        let mut plain = *x;
        self.reduce(&mut plain, &U256::ZERO);
        plain
    }

    /// `a·b`.
    #[inline(always)]
    pub fn mul(&self, a: &U256, b: &U256) -> U256 {
        let mut product = *a;
        self.mul_assign(&mut product, b);
        product
    }

    /// `a ← a·b`: the Montgomery reduction of the 512-bit product. Five 256-bit operations,
    /// six when the final difference borrows.
    #[inline(always)]
    pub fn mul_assign(&self, a: &mut U256, b: &U256) {
        let mut high = *a;
        word::mul_high(&mut high, b);
        word::mul_low(a, b);
        self.reduce(a, &high);
    }

    /// `a²`.
    #[inline(always)]
    pub fn square(&self, a: &U256) -> U256 {
        let mut product = *a;
        self.square_assign(&mut product);
        product
    }

    /// `a ← a²`.
    #[inline(always)]
    pub fn square_assign(&self, a: &mut U256) {
        let mut high = *a;
        word::mul_high(&mut high, a);
        word::square(a);
        self.reduce(a, &high);
    }

    /// `low ← (high·R + low)·R⁻¹ mod m` for a numerator below `m·R`.
    #[inline(always)]
    fn reduce(&self, low: &mut U256, high: &U256) {
        // q = low·m⁻¹ mod R makes q·m ≡ low (mod R), so the low halves of the numerator and of
        // q·m are equal and numerator − q·m = (high − ⌊q·m / R⌋)·R, which lies in
        // (−m·R, m·R): the difference of the high halves is the result, plus m if it
        // borrowed. `low` becomes q, then the high half of q·m, then the result.
        word::mul_low(low, &self.modulus_inverse);
        word::mul_high(low, &self.modulus);
        if word::sub_reversed(low, high) {
            word::add(low, &self.modulus);
        }
    }

    /// `a + b`.
    #[inline(always)]
    pub fn add(&self, a: &U256, b: &U256) -> U256 {
        let mut sum = *a;
        self.add_assign(&mut sum, b);
        sum
    }

    /// `a ← a + b` (a sum that carries out of 256 bits is at least `m` and wraps back below it).
    #[inline(always)]
    pub fn add_assign(&self, a: &mut U256, b: &U256) {
        if word::add(a, b) || !word::lt(a, &self.modulus) {
            word::sub(a, &self.modulus);
        }
    }

    /// `2a`.
    #[inline(always)]
    pub fn double(&self, a: &U256) -> U256 {
        let mut doubled = *a;
        self.double_assign(&mut doubled);
        doubled
    }

    /// `a ← 2a`.
    #[inline(always)]
    pub fn double_assign(&self, a: &mut U256) {
        if word::double(a) || !word::lt(a, &self.modulus) {
            word::sub(a, &self.modulus);
        }
    }

    /// `a − b`.
    #[inline(always)]
    pub fn sub(&self, a: &U256, b: &U256) -> U256 {
        let mut difference = *a;
        self.sub_assign(&mut difference, b);
        difference
    }

    /// `a ← a − b`.
    #[inline(always)]
    pub fn sub_assign(&self, a: &mut U256, b: &U256) {
        if word::sub(a, b) {
            word::add(a, &self.modulus);
        }
    }

    /// `a ← b − a`.
    #[inline(always)]
    pub fn sub_from_assign(&self, a: &mut U256, b: &U256) {
        if word::sub_reversed(a, b) {
            word::add(a, &self.modulus);
        }
    }

    /// `−a`.
    #[inline(always)]
    pub fn neg(&self, a: &U256) -> U256 {
        let mut negated = *a;
        self.neg_assign(&mut negated);
        negated
    }

    /// `a ← −a`.
    #[inline(always)]
    pub fn neg_assign(&self, a: &mut U256) {
        if !word::eq(a, &U256::ZERO) {
            word::sub_reversed(a, &self.modulus);
        }
    }

    /// Whether `a` is zero (in either form).
    pub fn is_zero(&self, a: &U256) -> bool {
        word::eq(a, &U256::ZERO)
    }

    /// Whether the plain `x` is a field element (below the modulus).
    pub fn is_canonical(&self, x: &U256) -> bool {
        word::lt(x, &self.modulus)
    }

    /// `base^exponent` for a plain exponent, four exponent bits per multiplication, every
    /// step in place (on the guest a product returned by value costs a 32-byte copy).
    pub fn pow(&self, base: &U256, exponent: &U256) -> U256 {
        let mut table = [self.one; POW_TABLE_LEN];
        table[1] = *base;
        for i in 2..POW_TABLE_LEN {
            table[i] = table[i - 1];
            self.mul_assign(&mut table[i], base);
        }
        let windows_per_limb = 64 / POW_WINDOW_BITS;
        let mut power = self.one;
        let mut started = false;
        for window in (0..256 / POW_WINDOW_BITS).rev() {
            let limb = exponent.as_limbs()[window / windows_per_limb];
            let shift = (window % windows_per_limb) * POW_WINDOW_BITS;
            let digit = ((limb >> shift) as usize) & (POW_TABLE_LEN - 1);
            if started {
                for _ in 0..POW_WINDOW_BITS {
                    self.square_assign(&mut power);
                }
                if digit != 0 {
                    self.mul_assign(&mut power, &table[digit]);
                }
            } else if digit != 0 {
                power = table[digit];
                started = true;
            }
        }
        power
    }

    /// `a⁻¹` for a prime modulus (Fermat: `a^(m−2)`); zero for zero.
    pub fn inverse(&self, a: &U256) -> U256 {
        let mut exponent = self.modulus;
        word::sub(&mut exponent, &U256::from(2u8));
        self.pow(a, &exponent)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::primitives::test_rng::TestRng;
    use ruint::Uint;

    /// The field of the odd `m`, its constants derived the slow way: the inverse by Newton's
    /// iteration (x ← x·(2 − m·x) doubles the correct low bits, from m·m ≡ 1 mod 8), the
    /// powers of two by 576-bit remainders.
    pub(crate) fn derive(m: U256) -> MontgomeryField {
        let mut inverse = m;
        for _ in 0..8 {
            inverse = inverse.wrapping_mul(U256::from(2).wrapping_sub(m.wrapping_mul(inverse)));
        }
        let wide = Uint::<576, 9>::from(m);
        let r = Uint::<576, 9>::from(1) << 256;
        let narrow = |x: Uint<576, 9>| U256::from_limbs(x.as_limbs()[..4].try_into().unwrap());
        MontgomeryField::new(m, inverse, narrow((r * r) % wide), narrow(r % wide))
    }

    /// Every operation against `ruint`'s modular arithmetic for `a` and `b` (plain, below `m`).
    fn check_pair(f: &MontgomeryField, a: U256, b: U256, e: U256) {
        let m = *f.modulus();
        let (am, bm) = (f.to_montgomery(&a), f.to_montgomery(&b));
        let back = |x: U256| f.from_montgomery(&x);
        assert_eq!(back(am), a);
        assert_eq!(back(f.mul(&am, &bm)), a.mul_mod(b, m));
        assert_eq!(back(f.square(&am)), a.mul_mod(a, m));
        assert_eq!(back(f.add(&am, &bm)), a.add_mod(b, m));
        assert_eq!(back(f.double(&am)), a.add_mod(a, m));
        assert_eq!(back(f.sub(&am, &bm)), a.add_mod(m - b, m));
        let mut from = am;
        f.sub_from_assign(&mut from, &bm);
        assert_eq!(back(from), b.add_mod(m - a, m));
        assert_eq!(back(f.neg(&am)), (m - a) % m);
        let mut negated = am;
        f.neg_assign(&mut negated);
        assert_eq!(back(negated), (m - a) % m);
        assert_eq!(back(f.pow(&am, &e)), a.pow_mod(e, m));
    }

    #[test]
    fn operations_match_ruint_for_random_odd_moduli() {
        let mut rng = TestRng::new(0x5eed);
        for round in 0..200 {
            // Odd moduli of every size up to 256 bits, 1 and the largest included.
            let m = match round {
                0 => U256::from(1u8),
                1 => U256::MAX,
                _ => (rng.word() >> (round % 256)) | U256::from(1u8),
            };
            let f = derive(m);
            assert_eq!(f.modulus_inverse.wrapping_mul(m), U256::from(1));
            for _ in 0..20 {
                let (a, b, e) = (rng.word() % m, rng.word() % m, rng.word() >> (round % 256));
                check_pair(&f, a, b, e);
            }
        }
    }

    #[test]
    fn operations_at_the_edges_of_large_moduli() {
        // 2²⁵⁵ − 19 and a modulus near 2²⁵⁶, where sums carry out of 256 bits.
        for m in [
            (U256::from(1) << 255) - U256::from(19),
            U256::MAX - U256::from(188),
        ] {
            let f = derive(m);
            let values = [
                U256::ZERO,
                U256::from(1),
                U256::from(2),
                m - U256::from(1),
                m - U256::from(2),
                m >> 1,
                U256::from(0xdead_beef_u64) << 130,
            ];
            for a in values {
                for b in values {
                    check_pair(&f, a, b, b);
                }
            }
        }
    }

    #[test]
    fn inverse_for_a_prime_modulus() {
        // The bn254 group order (prime, 254 bits) and secp256k1's (prime, 256 bits).
        for n in [
            "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        ] {
            let n = U256::from_str_radix(n, 16).unwrap();
            let f = derive(n);
            let mut rng = TestRng::new(7);
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
}
