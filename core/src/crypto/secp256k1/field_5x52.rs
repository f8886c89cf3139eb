//! secp256k1's base field in five 52-bit limbs (`Σ nᵢ·2^(52·i)`) for targets with a 64×64→128
//! multiplication: a product is 25 limb products summed in 128-bit columns and reduced by
//! folding, as `2²⁶⁰ ≡ 0x1000003D10` and `2²⁵⁶ ≡ 0x1000003D1 (mod p)` for
//! `p = 2²⁵⁶ − 2³² − 977` (the layout libsecp256k1's `field_5x52` uses). Sums are not
//! reduced: an element of magnitude `m` has limbs 0–3 below `m·2⁵³` and limb 4 below `m·2⁴⁹`
//! ([`super::field`]).

use alloc::vec::Vec;
use once_cell::race::OnceBox;

use super::curve::{BETA, FIELD, SCALARS};
use super::field::{Affine, CurveField};
use super::generator_runtime;
use super::inverse::invert_vartime;
use super::power_chain;
use crate::primitives::U256;

/// Bits per limb below the top one.
const LIMB_BITS: u32 = 52;
/// The low 52 bits.
const LIMB_MASK: u64 = (1 << LIMB_BITS) - 1;
/// Bits of the top limb in a reduced element (`4·52 + 48 = 256`).
const TOP_LIMB_BITS: u32 = 48;
/// The low 48 bits.
const TOP_LIMB_MASK: u64 = (1 << TOP_LIMB_BITS) - 1;
/// `2²⁵⁶ mod p = 2³² + 977`.
const FOLD_256: u64 = 0x1_0000_03D1;
/// `2²⁶⁰ mod p = 16·(2³² + 977)`.
const FOLD_260: u64 = FOLD_256 << 4;
/// The w-NAF window of the generator tables: 1,024 entries each (80 KiB), built once, at the
/// first recovery ([`generator_tables`]). Against window 8's constant 64 entries, a 128-bit
/// half takes about 10 additions instead of 14.
const GENERATOR_WINDOW: u32 = 12;
/// Entries of each generator table.
const GENERATOR_TABLE_LEN: usize = 1 << (GENERATOR_WINDOW - 2);

/// `p`'s limbs.
const MODULUS: [u64; 5] = [
    0xF_FFFE_FFFF_FC2F,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    TOP_LIMB_MASK,
];

/// An element of secp256k1's base field in 52-bit limbs, possibly unreduced.
#[derive(Clone, Copy, Debug)]
pub struct Fe52([u64; 5]);

impl Fe52 {
    /// The element `x` for any plain `x < 2²⁵⁶` (magnitude 1).
    pub const fn from_u256_const(x: &U256) -> Fe52 {
        let l = x.as_limbs();
        Fe52([
            l[0] & LIMB_MASK,
            ((l[0] >> 52) | (l[1] << 12)) & LIMB_MASK,
            ((l[1] >> 40) | (l[2] << 24)) & LIMB_MASK,
            ((l[2] >> 28) | (l[3] << 36)) & LIMB_MASK,
            l[3] >> 16,
        ])
    }

    /// The same value with every limb in range and below `p` (canonical).
    fn normalize(&self) -> [u64; 5] {
        let [mut t0, mut t1, mut t2, mut t3, mut t4] = self.0;
        carry(&mut t0, &mut t1, &mut t2, &mut t3, &mut t4);
        // What lies above 2²⁵⁶ (at most 2m + 1 for magnitude m) folds back in.
        let above = t4 >> TOP_LIMB_BITS;
        t4 &= TOP_LIMB_MASK;
        t0 += above * FOLD_256;
        carry(&mut t0, &mut t1, &mut t2, &mut t3, &mut t4);
        // Now the value is below 2²⁵⁶ + 2⁴²; one subtraction of p reduces it if it is ≥ p.
        let at_least_p = (t4 >> TOP_LIMB_BITS) != 0
            || (t4 == TOP_LIMB_MASK && (t1 & t2 & t3) == LIMB_MASK && t0 >= MODULUS[0]);
        if at_least_p {
            t0 += FOLD_256;
            carry(&mut t0, &mut t1, &mut t2, &mut t3, &mut t4);
            t4 &= TOP_LIMB_MASK;
        }
        [t0, t1, t2, t3, t4]
    }
}

/// The generator tables, built on first use ([`generator_runtime`]).
fn generator_tables() -> [&'static [Affine<Fe52>]; 2] {
    static TABLES: OnceBox<[Vec<Affine<Fe52>>; 2]> = OnceBox::new();
    generator_runtime::generator_tables(&TABLES, GENERATOR_TABLE_LEN)
}

/// Moves each limb's bits above 52 into the next limb (the top limb keeps its excess).
#[inline(always)]
fn carry(t0: &mut u64, t1: &mut u64, t2: &mut u64, t3: &mut u64, t4: &mut u64) {
    *t1 += *t0 >> LIMB_BITS;
    *t0 &= LIMB_MASK;
    *t2 += *t1 >> LIMB_BITS;
    *t1 &= LIMB_MASK;
    *t3 += *t2 >> LIMB_BITS;
    *t2 &= LIMB_MASK;
    *t4 += *t3 >> LIMB_BITS;
    *t3 &= LIMB_MASK;
}

/// The full product of two limbs.
#[inline(always)]
fn wide(a: u64, b: u64) -> u128 {
    u128::from(a) * u128::from(b)
}

/// The element `Σ cᵢ·2^(52·i)` of the nine 128-bit columns of a product, magnitude 1, with
/// the columns summed and folded in libsecp256k1's order (`field_5x52_int128_impl.h`): two
/// 128-bit accumulators, `d` over columns 3 to 8 (each folded down by `2²⁶⁰ ≡ FOLD_260` as
/// soon as its low 52 bits are known) and `c` over columns 0 to 2, so only a few products are
/// live at a time. `columns` yields column `i` when called with `i`; inlined, each column's
/// products are computed where the column is added. With inputs of magnitude ≤ 64 (limbs
/// below 2⁵⁹, limb 4 below 2⁵⁵), every column is below 2¹²¹ and neither accumulator exceeds
/// 2¹²²; the top limb is below 2⁵¹ before its last fold.
#[inline(always)]
fn reduce(columns: impl Fn(usize) -> u128) -> Fe52 {
    // Column 8 folds into column 3: 2⁴¹⁶ = 2¹⁵⁶·2²⁶⁰. Its low 64 bits now, the rest (below
    // 2⁴⁶) with column 4, at 2⁶⁴ times the fold (2²⁶⁰·2⁶⁴ = 2⁵²·2²⁶⁰·2¹²).
    let mut c = columns(8);
    let mut d = columns(3) + wide(c as u64, FOLD_260);
    c >>= 64;
    let t3 = d as u64 & LIMB_MASK;
    d >>= LIMB_BITS;
    d += columns(4) + wide(c as u64, FOLD_260 << 12);
    let t4_full = d as u64 & LIMB_MASK;
    d >>= LIMB_BITS;
    // Bits 256–259 of limb 4 go with column 5, which folds at 2²⁵⁶ as (2⁴·column + bits).
    let t4 = t4_full & TOP_LIMB_MASK;
    let above_256 = t4_full >> TOP_LIMB_BITS;
    d += columns(5);
    let u0 = ((d as u64 & LIMB_MASK) << 4) | above_256;
    d >>= LIMB_BITS;
    c = columns(0) + wide(u0, FOLD_256);
    let r0 = c as u64 & LIMB_MASK;
    c >>= LIMB_BITS;
    // Columns 6 and 7 fold into columns 1 and 2.
    c += columns(1);
    d += columns(6);
    c += wide(d as u64 & LIMB_MASK, FOLD_260);
    d >>= LIMB_BITS;
    let r1 = c as u64 & LIMB_MASK;
    c >>= LIMB_BITS;
    c += columns(2);
    d += columns(7);
    c += wide(d as u64, FOLD_260);
    d >>= 64;
    let r2 = c as u64 & LIMB_MASK;
    c >>= LIMB_BITS;
    // What is left of d (below 2⁵²) sits at 2⁶⁴ above column 7's fold, at column 3.
    c += wide(d as u64, FOLD_260 << 12) + u128::from(t3);
    let r3 = c as u64 & LIMB_MASK;
    c >>= LIMB_BITS;
    // Below 2⁵¹: its bits above 2⁴⁸ fold once more into limb 0 (which stays below 2⁵³).
    let r4 = c as u64 + t4;
    Fe52([
        r0 + (r4 >> TOP_LIMB_BITS) * FOLD_256,
        r1,
        r2,
        r3,
        r4 & TOP_LIMB_MASK,
    ])
}

impl CurveField for Fe52 {
    const ONE: Fe52 = Fe52([1, 0, 0, 0, 0]);
    const B: Fe52 = Fe52([7, 0, 0, 0, 0]);
    const BETA: Fe52 = Fe52::from_u256_const(&BETA);
    const GENERATOR_WINDOW: u32 = GENERATOR_WINDOW;
    /// A square is 15 limb products against a product's 25.
    const CHEAP_SQUARES: bool = true;

    fn generator_tables() -> [&'static [Affine<Fe52>]; 2] {
        generator_tables()
    }

    fn from_u256(x: &U256) -> Fe52 {
        Fe52::from_u256_const(x)
    }

    fn to_u256(&self) -> U256 {
        let [n0, n1, n2, n3, n4] = self.normalize();
        U256::from_limbs([
            n0 | (n1 << 52),
            (n1 >> 12) | (n2 << 40),
            (n2 >> 24) | (n3 << 28),
            (n3 >> 36) | (n4 << 16),
        ])
    }

    fn is_odd(&self) -> bool {
        self.normalize()[0] & 1 == 1
    }

    /// libsecp256k1's `fe_normalizes_to_zero_var`: with the top limb folded once, a value
    /// that is zero modulo `p` is `0` or `p` once carried, and no carry changes limb 0's low 52
    /// bits, so any other value there decides it before the carries.
    fn is_zero(&self) -> bool {
        let [mut t0, mut t1, mut t2, mut t3, mut t4] = self.0;
        t0 += (t4 >> TOP_LIMB_BITS) * FOLD_256;
        t4 &= TOP_LIMB_MASK;
        let low = t0 & LIMB_MASK;
        if low != 0 && low != MODULUS[0] {
            return false;
        }
        carry(&mut t0, &mut t1, &mut t2, &mut t3, &mut t4);
        let limbs = [t0, t1, t2, t3, t4];
        limbs == [0; 5] || limbs == MODULUS
    }

    #[inline(always)]
    fn add(&self, b: &Fe52) -> Fe52 {
        Fe52(core::array::from_fn(|i| self.0[i] + b.0[i]))
    }

    #[inline(always)]
    fn double(&self) -> Fe52 {
        self.add(self)
    }

    #[inline(always)]
    fn sub(&self, b: &Fe52, b_magnitude: u32) -> Fe52 {
        self.add(&b.negate(b_magnitude))
    }

    /// `2(m + 1)·p − self`, limb by limb: each of `2(m + 1)·p`'s limbs is at least `m·2⁵³`
    /// (limb 4: `m·2⁴⁹`), so none goes negative.
    #[inline(always)]
    fn negate(&self, magnitude: u32) -> Fe52 {
        let multiple = 2 * (u64::from(magnitude) + 1);
        Fe52(core::array::from_fn(|i| multiple * MODULUS[i] - self.0[i]))
    }

    /// Inputs of magnitude ≤ 64 have limbs below 2⁵⁹, so each column of five products stays
    /// below 2¹²¹.
    #[inline(always)]
    fn mul(&self, b: &Fe52) -> Fe52 {
        let [a0, a1, a2, a3, a4] = self.0;
        let [b0, b1, b2, b3, b4] = b.0;
        reduce(|column| match column {
            0 => wide(a0, b0),
            1 => wide(a0, b1) + wide(a1, b0),
            2 => wide(a0, b2) + wide(a1, b1) + wide(a2, b0),
            3 => wide(a0, b3) + wide(a1, b2) + wide(a2, b1) + wide(a3, b0),
            4 => wide(a0, b4) + wide(a1, b3) + wide(a2, b2) + wide(a3, b1) + wide(a4, b0),
            5 => wide(a1, b4) + wide(a2, b3) + wide(a3, b2) + wide(a4, b1),
            6 => wide(a2, b4) + wide(a3, b3) + wide(a4, b2),
            7 => wide(a3, b4) + wide(a4, b3),
            _ => wide(a4, b4),
        })
    }

    #[inline(always)]
    fn square(&self) -> Fe52 {
        let [a0, a1, a2, a3, a4] = self.0;
        let [d0, d1, d2, d3] = [a0 * 2, a1 * 2, a2 * 2, a3 * 2];
        reduce(|column| match column {
            0 => wide(a0, a0),
            1 => wide(d0, a1),
            2 => wide(d0, a2) + wide(a1, a1),
            3 => wide(d0, a3) + wide(d1, a2),
            4 => wide(d0, a4) + wide(d1, a3) + wide(a2, a2),
            5 => wide(d1, a4) + wide(d2, a3),
            6 => wide(d2, a4) + wide(a3, a3),
            7 => wide(d3, a4),
            _ => wide(a4, a4),
        })
    }

    /// Bernstein–Yang's variable-time divsteps (`inverse.rs`) in place of a power's 255
    /// squarings: every inverse recovery takes is of a public value.
    fn invert(&self) -> Fe52 {
        Fe52::from_u256(&invert_vartime(&self.to_u256(), FIELD.modulus()))
    }

    /// `x^((p + 1)/4)`, by the chain of `power_chain`.
    fn sqrt(&self) -> Option<Fe52> {
        power_chain::sqrt(self)
    }

    /// Bernstein–Yang's variable-time divsteps (`inverse.rs`), then one Montgomery
    /// product.
    fn invert_scalar(r: &U256) -> U256 {
        SCALARS.to_montgomery(&invert_vartime(r, SCALARS.modulus()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An element with every limb at the largest value of magnitude 64.
    const LARGEST: Fe52 = Fe52([64 << 53, 64 << 53, 64 << 53, 64 << 53, 64 << 49]);

    /// Whether `x` has magnitude 1: limbs 0–3 below 2⁵³, limb 4 below 2⁴⁹.
    fn has_magnitude_one(x: &Fe52) -> bool {
        x.0[..4].iter().all(|&limb| limb < 1 << 53) && x.0[4] < 1 << 49
    }

    #[test]
    fn products_of_the_largest_inputs_have_magnitude_one() {
        let value = LARGEST.to_u256();
        let p = *FIELD.modulus();
        // Limbs one below the bound too (every limb's low bits set).
        let below = Fe52(LARGEST.0.map(|limb| limb - 1));
        for (x, y) in [
            (LARGEST, LARGEST),
            (below, below),
            (LARGEST, below),
            (below, Fe52::ONE),
        ] {
            let (a, b) = (x.to_u256(), y.to_u256());
            let product = x.mul(&y);
            assert!(has_magnitude_one(&product), "{:?}", product.0);
            assert_eq!(product.to_u256(), a.mul_mod(b, p));
            let square = x.square();
            assert!(has_magnitude_one(&square), "{:?}", square.0);
            assert_eq!(square.to_u256(), a.mul_mod(a, p));
        }
        assert_eq!(LARGEST.mul(&Fe52::ONE).to_u256(), value);
    }
}
