//! secp256k1's base field in Montgomery form over [`crate::bigint::montgomery`] (every value
//! fully reduced, so the magnitudes of [`super::field`] play no part): on the riscv32 guest
//! each product runs on the bigint delegation.

use super::curve::{BETA_MONTGOMERY, B_MONTGOMERY, FIELD, SCALARS, SCALAR_INVERSE_EXPONENT};
use super::field::{Affine, CurveField, GENERATOR_TABLE_LEN};
use super::generator_table as table;
use super::power_chain;
use crate::bigint::word;
use crate::primitives::U256;

/// An element of secp256k1's base field in Montgomery form (below `p`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Montgomery(pub U256);

impl Montgomery {
    /// The affine points of a table of Montgomery-form coordinates.
    const fn table(
        coordinates: &[[U256; 2]; GENERATOR_TABLE_LEN],
    ) -> [Affine<Montgomery>; GENERATOR_TABLE_LEN] {
        let zero = Montgomery(U256::ZERO);
        let mut points = [Affine { x: zero, y: zero }; GENERATOR_TABLE_LEN];
        let mut i = 0;
        while i < GENERATOR_TABLE_LEN {
            points[i] = Affine {
                x: Montgomery(coordinates[i][0]),
                y: Montgomery(coordinates[i][1]),
            };
            i += 1;
        }
        points
    }
}

impl CurveField for Montgomery {
    const ONE: Montgomery = Montgomery(FIELD.one());
    const B: Montgomery = Montgomery(B_MONTGOMERY);
    const BETA: Montgomery = Montgomery(BETA_MONTGOMERY);
    const GENERATOR_WINDOW: u32 = 8;

    fn generator_tables() -> [&'static [Affine<Montgomery>]; 2] {
        const TABLES: [&[Affine<Montgomery>]; 2] = [
            &Montgomery::table(&table::GENERATOR_ODD_MULTIPLES),
            &Montgomery::table(&table::SHIFTED_GENERATOR_ODD_MULTIPLES),
        ];
        TABLES
    }

    fn from_u256(x: &U256) -> Montgomery {
        Montgomery(FIELD.to_montgomery(x))
    }

    fn to_u256(&self) -> U256 {
        FIELD.from_montgomery(&self.0)
    }

    #[inline(always)]
    fn is_zero(&self) -> bool {
        word::eq(&self.0, &U256::ZERO)
    }

    #[inline(always)]
    fn add(&self, b: &Montgomery) -> Montgomery {
        let mut sum = self.0;
        FIELD.add_assign(&mut sum, &b.0);
        Montgomery(sum)
    }

    #[inline(always)]
    fn double(&self) -> Montgomery {
        let mut twice = self.0;
        FIELD.double_assign(&mut twice);
        Montgomery(twice)
    }

    #[inline(always)]
    fn sub(&self, b: &Montgomery, _: u32) -> Montgomery {
        let mut difference = self.0;
        FIELD.sub_assign(&mut difference, &b.0);
        Montgomery(difference)
    }

    #[inline(always)]
    fn negate(&self, _: u32) -> Montgomery {
        Montgomery(FIELD.neg(&self.0))
    }

    #[inline(always)]
    fn mul(&self, b: &Montgomery) -> Montgomery {
        let mut product = self.0;
        FIELD.mul_assign(&mut product, &b.0);
        Montgomery(product)
    }

    #[inline(always)]
    fn square(&self) -> Montgomery {
        let mut square = self.0;
        FIELD.square_assign(&mut square);
        Montgomery(square)
    }

    #[inline(always)]
    fn mul_assign(&mut self, b: &Montgomery) {
        FIELD.mul_assign(&mut self.0, &b.0);
    }

    #[inline(always)]
    fn square_assign(&mut self) {
        FIELD.square_assign(&mut self.0);
    }

    #[inline(always)]
    fn add_assign(&mut self, b: &Montgomery) {
        FIELD.add_assign(&mut self.0, &b.0);
    }

    #[inline(always)]
    fn double_assign(&mut self) {
        FIELD.double_assign(&mut self.0);
    }

    #[inline(always)]
    fn sub_assign(&mut self, b: &Montgomery, _: u32) {
        FIELD.sub_assign(&mut self.0, &b.0);
    }

    #[inline(always)]
    fn sub_from_assign(&mut self, b: &Montgomery, _: u32) {
        FIELD.sub_from_assign(&mut self.0, &b.0);
    }

    /// Two subtractions: cheaper on the delegation than doubling a copy of `b`.
    #[inline(always)]
    fn sub_twice_assign(&mut self, b: &Montgomery, _: u32) {
        FIELD.sub_assign(&mut self.0, &b.0);
        FIELD.sub_assign(&mut self.0, &b.0);
    }

    #[inline(always)]
    fn negate_assign(&mut self, _: u32) {
        FIELD.neg_assign(&mut self.0);
    }

    /// Fermat, by the chain of `power_chain`.
    fn invert(&self) -> Montgomery {
        power_chain::invert(self)
    }

    /// `x^((p + 1)/4)`, by the chain of `power_chain`.
    fn sqrt(&self) -> Option<Montgomery> {
        power_chain::sqrt(self)
    }

    /// Fermat (`r^(n−2)`): on the guest every product is a delegated one.
    fn invert_scalar(r: &U256) -> U256 {
        SCALARS.pow(&SCALARS.to_montgomery(r), &SCALAR_INVERSE_EXPONENT)
    }
}
