//! Arithmetic modulo an odd 256-bit modulus in Montgomery form (`x` stored as `x·2²⁵⁶ mod m`),
//! written over [`super::word`] so that on riscv32 with `delegation` every step is a
//! coprocessor call and everywhere else the same code runs on `ruint`.
//!
//! Every function takes and returns canonical residues (below the modulus); a product is
//! reduced with the modulus's inverse modulo 2²⁵⁶ rather than its negation, so the reduction
//! ends in one subtraction whose borrow says whether to add the modulus back.

use super::word;
use crate::primitives::U256;

/// Bits of the exponent consumed per multiplication in [`Modulus::pow`].
const POW_WINDOW_BITS: usize = 4;
/// Entries of [`Modulus::pow`]'s table: `base⁰ … base¹⁵`.
const POW_TABLE_LEN: usize = 1 << POW_WINDOW_BITS;

/// An odd modulus `m < 2²⁵⁶` with the constants Montgomery arithmetic needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modulus {
    /// `m`.
    pub value: U256,
    /// `m⁻¹ mod 2²⁵⁶`.
    pub inverse: U256,
    /// `2⁵¹² mod m`: converts into Montgomery form.
    pub r_squared: U256,
    /// `2²⁵⁶ mod m`: one in Montgomery form.
    pub one: U256,
}

impl Modulus {
    /// `a·b·2⁻²⁵⁶ mod m` (the Montgomery product).
    #[inline(always)]
    pub fn mul(&self, a: &U256, b: &U256) -> U256 {
        let mut product = *a;
        self.mul_assign(&mut product, b);
        product
    }

    /// `a ← a·b·2⁻²⁵⁶ mod m`.
    #[inline(always)]
    pub fn mul_assign(&self, a: &mut U256, b: &U256) {
        let mut high = *a;
        word::mul_high(&mut high, b);
        word::mul_low(a, b);
        self.reduce(a, &high);
    }

    /// `a²·2⁻²⁵⁶ mod m`.
    #[inline(always)]
    pub fn square(&self, a: &U256) -> U256 {
        let mut product = *a;
        self.square_assign(&mut product);
        product
    }

    /// `a ← a²·2⁻²⁵⁶ mod m`.
    #[inline(always)]
    pub fn square_assign(&self, a: &mut U256) {
        let mut high = *a;
        word::mul_high(&mut high, a);
        word::square(a);
        self.reduce(a, &high);
    }

    /// `low ← (high·2²⁵⁶ + low)·2⁻²⁵⁶ mod m` for a numerator below `m·2²⁵⁶`.
    #[inline(always)]
    fn reduce(&self, low: &mut U256, high: &U256) {
        // q = low·m⁻¹ mod 2²⁵⁶ makes q·m ≡ low (mod 2²⁵⁶), so the low halves of the numerator
        // and of q·m are equal and numerator − q·m = (high − ⌊q·m / 2²⁵⁶⌋)·2²⁵⁶, which lies
        // in (−m·2²⁵⁶, m·2²⁵⁶): the difference of the high halves is the result, plus m if it
        // borrowed. `low` becomes q, then the high half of q·m, then the result.
        word::mul_low(low, &self.inverse);
        word::mul_high(low, &self.value);
        if word::sub_reversed(low, high) {
            word::add(low, &self.value);
        }
    }

    /// `a + b mod m`.
    #[inline(always)]
    pub fn add(&self, a: &U256, b: &U256) -> U256 {
        let mut sum = *a;
        self.add_assign(&mut sum, b);
        sum
    }

    /// `a ← a + b mod m`.
    #[inline(always)]
    pub fn add_assign(&self, a: &mut U256, b: &U256) {
        if word::add(a, b) || !word::lt(a, &self.value) {
            word::sub(a, &self.value);
        }
    }

    /// `a ← 2a mod m`.
    #[inline(always)]
    pub fn double_assign(&self, a: &mut U256) {
        if word::double(a) || !word::lt(a, &self.value) {
            word::sub(a, &self.value);
        }
    }

    /// `a − b mod m`.
    #[inline(always)]
    pub fn sub(&self, a: &U256, b: &U256) -> U256 {
        let mut difference = *a;
        self.sub_assign(&mut difference, b);
        difference
    }

    /// `a ← a − b mod m`.
    #[inline(always)]
    pub fn sub_assign(&self, a: &mut U256, b: &U256) {
        if word::sub(a, b) {
            word::add(a, &self.value);
        }
    }

    /// `a ← b − a mod m`.
    #[inline(always)]
    pub fn sub_from_assign(&self, a: &mut U256, b: &U256) {
        if word::sub_reversed(a, b) {
            word::add(a, &self.value);
        }
    }

    /// `−a mod m`.
    #[inline(always)]
    pub fn neg(&self, a: &U256) -> U256 {
        let mut negated = *a;
        if !word::eq(a, &U256::ZERO) {
            word::sub_reversed(&mut negated, &self.value);
        }
        negated
    }

    /// The Montgomery form of `x` (any `x < 2²⁵⁶`: `x·r_squared < m·2²⁵⁶` still reduces).
    #[inline(always)]
    pub fn to_montgomery(&self, x: &U256) -> U256 {
        self.mul(x, &self.r_squared)
    }

    /// The plain residue of the Montgomery form `x`.
    #[inline(always)]
    pub fn from_montgomery(&self, x: &U256) -> U256 {
        let mut plain = *x;
        self.reduce(&mut plain, &U256::ZERO);
        plain
    }

    /// `base^exponent` (both in and out in Montgomery form; the exponent is a plain number),
    /// four exponent bits per multiplication.
    pub fn pow(&self, base: &U256, exponent: &U256) -> U256 {
        let mut table = [self.one; POW_TABLE_LEN];
        table[1] = *base;
        for i in 2..POW_TABLE_LEN {
            table[i] = self.mul(&table[i - 1], base);
        }
        let windows_per_limb = 64 / POW_WINDOW_BITS;
        let mut power: Option<U256> = None;
        for window in (0..256 / POW_WINDOW_BITS).rev() {
            let limb = exponent.as_limbs()[window / windows_per_limb];
            let shift = (window % windows_per_limb) * POW_WINDOW_BITS;
            let digit = ((limb >> shift) as usize) & (POW_TABLE_LEN - 1);
            power = match power {
                None if digit == 0 => None,
                None => Some(table[digit]),
                Some(mut p) => {
                    for _ in 0..POW_WINDOW_BITS {
                        self.square_assign(&mut p);
                    }
                    if digit != 0 {
                        self.mul_assign(&mut p, &table[digit]);
                    }
                    Some(p)
                }
            };
        }
        power.unwrap_or(self.one)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ruint::Uint;

    /// The constants of `m`, derived the slow way: the inverse by Newton's iteration
    /// (x ← x·(2 − m·x) doubles the correct low bits, from m·m ≡ 1 mod 8), the powers of two
    /// by 512-bit remainders.
    pub(crate) fn derive(m: U256) -> Modulus {
        let mut inverse = m;
        for _ in 0..8 {
            inverse = inverse.wrapping_mul(U256::from(2).wrapping_sub(m.wrapping_mul(inverse)));
        }
        let wide = Uint::<576, 9>::from(m);
        let r = Uint::<576, 9>::from(1) << 256;
        let narrow = |x: Uint<576, 9>| U256::from_limbs(x.as_limbs()[..4].try_into().unwrap());
        Modulus {
            value: m,
            inverse,
            r_squared: narrow((r * r) % wide),
            one: narrow(r % wide),
        }
    }

    #[test]
    fn arithmetic_matches_ruint_modular_ops() {
        // A 255-bit odd modulus and operands at and near its edges.
        // 2²⁵⁵ − 19 and a modulus near 2²⁵⁶, where sums carry out of 256 bits.
        for m in [
            (U256::from(1) << 255) - U256::from(19),
            U256::MAX - U256::from(188),
        ] {
            check_field(m);
        }
    }

    fn check_field(m: U256) {
        let field = derive(m);
        assert_eq!(field.inverse.wrapping_mul(m), U256::from(1));
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
                let (am, bm) = (field.to_montgomery(&a), field.to_montgomery(&b));
                let back = |x: U256| field.from_montgomery(&x);
                assert_eq!(back(field.mul(&am, &bm)), a.mul_mod(b, m));
                assert_eq!(back(field.square(&am)), a.mul_mod(a, m));
                assert_eq!(back(field.add(&am, &bm)), a.add_mod(b, m));
                assert_eq!(back(field.sub(&am, &bm)), a.add_mod(m - b, m) % m);
                let mut from = am;
                field.sub_from_assign(&mut from, &bm);
                assert_eq!(back(from), b.add_mod(m - a, m) % m);
                let mut doubled = am;
                field.double_assign(&mut doubled);
                assert_eq!(back(doubled), a.add_mod(a, m));
                assert_eq!(back(field.neg(&am)), (m - a) % m);
                assert_eq!(back(field.pow(&am, &b)), a.pow_mod(b, m));
            }
        }
    }
}
