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

/// The element `Σ cᵢ·2^(52·i)` of nine 128-bit columns (each below 2¹²³), magnitude 1.
#[inline(always)]
fn reduce(mut c: [u128; 9]) -> Fe52 {
    // The upper columns become 52-bit limbs h5…h8 and a top h9.
    c[6] += c[5] >> LIMB_BITS;
    c[7] += c[6] >> LIMB_BITS;
    c[8] += c[7] >> LIMB_BITS;
    let h = [c[5], c[6], c[7], c[8]].map(|column| column as u64 & LIMB_MASK);
    let h9 = c[8] >> LIMB_BITS;
    // hᵢ·2^(52·i) = hᵢ·2^(52·(i−5))·2²⁶⁰, folded down with 2²⁶⁰ ≡ FOLD_260.
    let mut t0 = c[0] + wide(h[0], FOLD_260);
    let mut t1 = c[1] + wide(h[1], FOLD_260);
    let mut t2 = c[2] + wide(h[2], FOLD_260);
    let mut t3 = c[3] + wide(h[3], FOLD_260);
    let mut t4 = c[4] + h9 * u128::from(FOLD_260);
    t1 += t0 >> LIMB_BITS;
    t2 += t1 >> LIMB_BITS;
    t3 += t2 >> LIMB_BITS;
    t4 += t3 >> LIMB_BITS;
    // Above bit 256: fold with 2²⁵⁶ ≡ FOLD_256 (the excess is below 2⁷⁵).
    let above = t4 >> TOP_LIMB_BITS;
    t0 = (t0 & u128::from(LIMB_MASK)) + above * u128::from(FOLD_256);
    let n0 = t0 as u64 & LIMB_MASK;
    t1 = (t1 & u128::from(LIMB_MASK)) + (t0 >> LIMB_BITS);
    let n1 = t1 as u64 & LIMB_MASK;
    let n2 = (t2 as u64 & LIMB_MASK) + (t1 >> LIMB_BITS) as u64;
    Fe52([n0, n1, n2, t3 as u64 & LIMB_MASK, t4 as u64 & TOP_LIMB_MASK])
}

impl CurveField for Fe52 {
    const ONE: Fe52 = Fe52([1, 0, 0, 0, 0]);
    const B: Fe52 = Fe52([7, 0, 0, 0, 0]);
    const BETA: Fe52 = Fe52::from_u256_const(&BETA);
    const GENERATOR_WINDOW: u32 = GENERATOR_WINDOW;

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

    fn is_zero(&self) -> bool {
        self.normalize() == [0; 5]
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
        reduce([
            wide(a0, b0),
            wide(a0, b1) + wide(a1, b0),
            wide(a0, b2) + wide(a1, b1) + wide(a2, b0),
            wide(a0, b3) + wide(a1, b2) + wide(a2, b1) + wide(a3, b0),
            wide(a0, b4) + wide(a1, b3) + wide(a2, b2) + wide(a3, b1) + wide(a4, b0),
            wide(a1, b4) + wide(a2, b3) + wide(a3, b2) + wide(a4, b1),
            wide(a2, b4) + wide(a3, b3) + wide(a4, b2),
            wide(a3, b4) + wide(a4, b3),
            wide(a4, b4),
        ])
    }

    #[inline(always)]
    fn square(&self) -> Fe52 {
        let [a0, a1, a2, a3, a4] = self.0;
        let [d0, d1, d2, d3] = [a0 * 2, a1 * 2, a2 * 2, a3 * 2];
        reduce([
            wide(a0, a0),
            wide(d0, a1),
            wide(d0, a2) + wide(a1, a1),
            wide(d0, a3) + wide(d1, a2),
            wide(d0, a4) + wide(d1, a3) + wide(a2, a2),
            wide(d1, a4) + wide(d2, a3),
            wide(d2, a4) + wide(a3, a3),
            wide(d3, a4),
            wide(a4, a4),
        ])
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
