//! secp256k1's base field in ten 26-bit limbs (`Σ nᵢ·2^(26·i)`, the top limb 22 bits) for
//! 32-bit targets such as wasm32, where a 64×64→128 product is a library call but a 32×32→64
//! one is a single instruction: a product is 100 limb products summed in 64-bit columns, then
//! folded with `2²⁵⁶ ≡ 2³² + 977 (mod p)` (the layout libsecp256k1's `field_10x26` uses). An
//! element of magnitude `m` has limbs 0–8 below `m·2²⁷` and limb 9 below `m·2²³`
//! ([`super::field`]); products take magnitudes up to 8, so [`CurveField::sub`] and
//! [`CurveField::negate`] reduce their result to magnitude 1 (sums stay below 8 in the group
//! law).

use super::curve::{BETA, FIELD, SCALARS};
#[cfg(not(target_arch = "wasm32"))]
use super::field::GENERATOR_TABLE_LEN;
use super::field::{Affine, CurveField};
#[cfg(target_arch = "wasm32")]
use super::generator_runtime;
#[cfg(not(target_arch = "wasm32"))]
use super::generator_table_plain as table;
use super::inverse::invert_vartime;
use super::power_chain;
use crate::primitives::U256;
#[cfg(target_arch = "wasm32")]
use alloc::vec::Vec;
#[cfg(target_arch = "wasm32")]
use once_cell::race::OnceBox;

/// The generator tables' w-NAF window here: 7 (32 entries each, `P, 3P, …, 63P`) where the
/// other fields take 8. 26-bit limbs take 40 bytes a coordinate, so the two tables are 5,120
/// bytes: constant data on the targets without a wasm download, built once at the first
/// recovery in wasm.
const FE26_GENERATOR_WINDOW: u32 = 7;
/// Entries of each generator table at window [`FE26_GENERATOR_WINDOW`].
const FE26_TABLE_LEN: usize = 1 << (FE26_GENERATOR_WINDOW - 2);

/// Bits per limb below the top one.
const LIMB_BITS: u32 = 26;
/// The low 26 bits.
const LIMB_MASK: u32 = (1 << LIMB_BITS) - 1;
/// Bits of the top limb in a reduced element (`9·26 + 22 = 256`).
const TOP_LIMB_BITS: u32 = 22;
/// The low 22 bits.
const TOP_LIMB_MASK: u32 = (1 << TOP_LIMB_BITS) - 1;
/// `2²⁵⁶ mod p = 2³² + 977`: 977 in limb 0 and `2³² = 2⁶·2²⁶` in limb 1.
const FOLD_LOW: u32 = 977;
/// The part of `2²⁵⁶ mod p` in limb 1: `2⁶`.
const FOLD_HIGH: u32 = 1 << 6;
/// `p`'s limbs.
const MODULUS: [u32; 10] = [
    0x3FF_FC2F,
    0x3FF_FFBF,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    LIMB_MASK,
    TOP_LIMB_MASK,
];

/// An element of secp256k1's base field in 26-bit limbs, possibly unreduced.
#[derive(Clone, Copy, Debug)]
pub struct Fe26([u32; 10]);

impl Fe26 {
    /// The element `x` for any plain `x < 2²⁵⁶` (magnitude 1).
    pub const fn from_u256_const(x: &U256) -> Fe26 {
        let l = x.as_limbs();
        let mut limbs = [0u32; 10];
        let mut i = 0;
        while i < 10 {
            let bit = 26 * i;
            let (word, shift) = (bit / 64, bit % 64);
            let mut value = l[word] >> shift;
            if shift > 64 - 26 && word < 3 {
                value |= l[word + 1] << (64 - shift);
            }
            limbs[i] = value as u32 & LIMB_MASK;
            i += 1;
        }
        Fe26(limbs)
    }

    /// The affine points of the first `FE26_TABLE_LEN` entries of a table of plain
    /// coordinates.
    #[cfg(not(target_arch = "wasm32"))]
    pub const fn table(plain: &[[U256; 2]; GENERATOR_TABLE_LEN]) -> [Affine<Fe26>; FE26_TABLE_LEN] {
        let zero = Fe26([0; 10]);
        let mut points = [Affine { x: zero, y: zero }; FE26_TABLE_LEN];
        let mut i = 0;
        while i < FE26_TABLE_LEN {
            points[i] = Affine {
                x: Fe26::from_u256_const(&plain[i][0]),
                y: Fe26::from_u256_const(&plain[i][1]),
            };
            i += 1;
        }
        points
    }

    /// The same value with limbs 0–8 below 2²⁶ and limb 9 below 2²² + 1 (magnitude 1) from
    /// limbs below 2³¹.
    #[inline(always)]
    fn reduce_weak(mut self) -> Fe26 {
        let n = &mut self.0;
        carry(n);
        let above = n[9] >> TOP_LIMB_BITS;
        n[9] &= TOP_LIMB_MASK;
        n[0] += above * FOLD_LOW;
        n[1] += above * FOLD_HIGH;
        carry(n);
        self
    }

    /// The canonical limbs (the value below `p`).
    fn normalize(&self) -> [u32; 10] {
        let mut n = self.reduce_weak().0;
        // Below 2²⁵⁶ + 2²⁵ now: at least p when it reached 2²⁵⁶ or every limb is p's but the
        // lowest two, which are at least p's.
        let high_ones = n[2..9].iter().all(|&limb| limb == LIMB_MASK);
        let at_least_p = (n[9] >> TOP_LIMB_BITS) != 0
            || (n[9] == TOP_LIMB_MASK
                && high_ones
                && (n[1] > MODULUS[1] || (n[1] == MODULUS[1] && n[0] >= MODULUS[0])));
        if at_least_p {
            n[0] += FOLD_LOW;
            n[1] += FOLD_HIGH;
            carry(&mut n);
            n[9] &= TOP_LIMB_MASK;
        }
        n
    }
}

/// Moves each limb's bits above 26 into the next limb (the top limb keeps its excess).
#[inline(always)]
fn carry(n: &mut [u32; 10]) {
    n[1] += n[0] >> LIMB_BITS;
    n[0] &= LIMB_MASK;
    n[2] += n[1] >> LIMB_BITS;
    n[1] &= LIMB_MASK;
    n[3] += n[2] >> LIMB_BITS;
    n[2] &= LIMB_MASK;
    n[4] += n[3] >> LIMB_BITS;
    n[3] &= LIMB_MASK;
    n[5] += n[4] >> LIMB_BITS;
    n[4] &= LIMB_MASK;
    n[6] += n[5] >> LIMB_BITS;
    n[5] &= LIMB_MASK;
    n[7] += n[6] >> LIMB_BITS;
    n[6] &= LIMB_MASK;
    n[8] += n[7] >> LIMB_BITS;
    n[7] &= LIMB_MASK;
    n[9] += n[8] >> LIMB_BITS;
    n[8] &= LIMB_MASK;
}

/// The element `Σ cᵢ·2^(26·i)` of nineteen 64-bit columns (each below 2⁶³·⁴), magnitude 1.
#[inline(always)]
fn reduce(c: [u64; 19]) -> Fe26 {
    let mask = u64::from(LIMB_MASK);
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18] = c;
    // 26-bit limbs r0…r18 and r19, the last carry.
    let r0 = c0 & mask;
    let c1 = c1 + (c0 >> LIMB_BITS);
    let r1 = c1 & mask;
    let c2 = c2 + (c1 >> LIMB_BITS);
    let r2 = c2 & mask;
    let c3 = c3 + (c2 >> LIMB_BITS);
    let r3 = c3 & mask;
    let c4 = c4 + (c3 >> LIMB_BITS);
    let r4 = c4 & mask;
    let c5 = c5 + (c4 >> LIMB_BITS);
    let r5 = c5 & mask;
    let c6 = c6 + (c5 >> LIMB_BITS);
    let r6 = c6 & mask;
    let c7 = c7 + (c6 >> LIMB_BITS);
    let r7 = c7 & mask;
    let c8 = c8 + (c7 >> LIMB_BITS);
    let r8 = c8 & mask;
    let c9 = c9 + (c8 >> LIMB_BITS);
    let r9 = c9 & mask;
    let c10 = c10 + (c9 >> LIMB_BITS);
    let r10 = c10 & mask;
    let c11 = c11 + (c10 >> LIMB_BITS);
    let r11 = c11 & mask;
    let c12 = c12 + (c11 >> LIMB_BITS);
    let r12 = c12 & mask;
    let c13 = c13 + (c12 >> LIMB_BITS);
    let r13 = c13 & mask;
    let c14 = c14 + (c13 >> LIMB_BITS);
    let r14 = c14 & mask;
    let c15 = c15 + (c14 >> LIMB_BITS);
    let r15 = c15 & mask;
    let c16 = c16 + (c15 >> LIMB_BITS);
    let r16 = c16 & mask;
    let c17 = c17 + (c16 >> LIMB_BITS);
    let r17 = c17 & mask;
    let c18 = c18 + (c17 >> LIMB_BITS);
    let r18 = c18 & mask;
    let r19 = c18 >> LIMB_BITS;
    // value = low + 2²⁵⁶·high with high's 26-bit limbs hⱼ = bits 256 + 26j onwards, which
    // start at bit 22 of r9; 2²⁵⁶ ≡ 977 + 2⁶·2²⁶ folds each hⱼ into limbs j and j + 1.
    let h0 = (r9 >> TOP_LIMB_BITS) | ((r10 << 4) & mask);
    let h1 = (r10 >> TOP_LIMB_BITS) | ((r11 << 4) & mask);
    let h2 = (r11 >> TOP_LIMB_BITS) | ((r12 << 4) & mask);
    let h3 = (r12 >> TOP_LIMB_BITS) | ((r13 << 4) & mask);
    let h4 = (r13 >> TOP_LIMB_BITS) | ((r14 << 4) & mask);
    let h5 = (r14 >> TOP_LIMB_BITS) | ((r15 << 4) & mask);
    let h6 = (r15 >> TOP_LIMB_BITS) | ((r16 << 4) & mask);
    let h7 = (r16 >> TOP_LIMB_BITS) | ((r17 << 4) & mask);
    let h8 = (r17 >> TOP_LIMB_BITS) | ((r18 << 4) & mask);
    let h9 = (r18 >> TOP_LIMB_BITS) | ((r19 << 4) & mask);
    let h10 = r19 >> TOP_LIMB_BITS;
    let low = u64::from(FOLD_LOW);
    let high = u64::from(FOLD_HIGH);
    let t0 = r0 + h0 * low;
    let t1 = r1 + h1 * low + h0 * high;
    let t2 = r2 + h2 * low + h1 * high;
    let t3 = r3 + h3 * low + h2 * high;
    let t4 = r4 + h4 * low + h3 * high;
    let t5 = r5 + h5 * low + h4 * high;
    let t6 = r6 + h6 * low + h5 * high;
    let t7 = r7 + h7 * low + h6 * high;
    let t8 = r8 + h8 * low + h7 * high;
    let t9 = (r9 & u64::from(TOP_LIMB_MASK)) + h9 * low + h8 * high;
    let t10 = h10 * low + h9 * high;
    let t11 = h10 * high;
    // Below 2²⁹⁸ now: carry, then fold what lies above 2²⁵⁶ (below 2⁴²) once more.
    let t1 = t1 + (t0 >> LIMB_BITS);
    let t2 = t2 + (t1 >> LIMB_BITS);
    let t3 = t3 + (t2 >> LIMB_BITS);
    let t4 = t4 + (t3 >> LIMB_BITS);
    let t5 = t5 + (t4 >> LIMB_BITS);
    let t6 = t6 + (t5 >> LIMB_BITS);
    let t7 = t7 + (t6 >> LIMB_BITS);
    let t8 = t8 + (t7 >> LIMB_BITS);
    let t9 = t9 + (t8 >> LIMB_BITS);
    let t10 = t10 + (t9 >> LIMB_BITS);
    let t11 = t11 + (t10 >> LIMB_BITS);
    let above = ((t9 & mask) >> TOP_LIMB_BITS) | ((t10 & mask) << 4) | (t11 << 30);
    let mut n = [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9].map(|t| t as u32 & LIMB_MASK);
    n[9] &= TOP_LIMB_MASK;
    // Limbs 0 and 1 absorb the fold (below 2⁵² and 2⁴⁸); carry it to the top.
    let t0 = u64::from(n[0]) + above * low;
    let t1 = u64::from(n[1]) + above * high + (t0 >> LIMB_BITS);
    n[0] = t0 as u32 & LIMB_MASK;
    n[1] = t1 as u32 & LIMB_MASK;
    n[2] += (t1 >> LIMB_BITS) as u32;
    carry(&mut n);
    Fe26(n)
}

/// The full product of two limbs.
#[inline(always)]
fn wide(a: u32, b: u32) -> u64 {
    u64::from(a) * u64::from(b)
}

impl CurveField for Fe26 {
    const ONE: Fe26 = Fe26([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const B: Fe26 = Fe26([7, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const BETA: Fe26 = Fe26::from_u256_const(&BETA);
    const GENERATOR_WINDOW: u32 = FE26_GENERATOR_WINDOW;

    /// Built at the first recovery in wasm ([`generator_runtime`]), constant data elsewhere.
    #[cfg(target_arch = "wasm32")]
    fn generator_tables() -> [&'static [Affine<Fe26>]; 2] {
        static TABLES: OnceBox<[Vec<Affine<Fe26>>; 2]> = OnceBox::new();
        generator_runtime::generator_tables(&TABLES, FE26_TABLE_LEN)
    }

    /// Constant data here, built at the first recovery in wasm.
    #[cfg(not(target_arch = "wasm32"))]
    fn generator_tables() -> [&'static [Affine<Fe26>]; 2] {
        const TABLES: [&[Affine<Fe26>]; 2] = [
            &Fe26::table(&table::GENERATOR_ODD_MULTIPLES),
            &Fe26::table(&table::SHIFTED_GENERATOR_ODD_MULTIPLES),
        ];
        TABLES
    }

    fn from_u256(x: &U256) -> Fe26 {
        Fe26::from_u256_const(x)
    }

    fn to_u256(&self) -> U256 {
        let n = self.normalize();
        let mut limbs = [0u64; 4];
        for (i, &limb) in n.iter().enumerate() {
            let bit = 26 * i;
            let (word, shift) = (bit / 64, bit % 64);
            limbs[word] |= u64::from(limb) << shift;
            if shift > 64 - 26 && word < 3 {
                limbs[word + 1] |= u64::from(limb) >> (64 - shift);
            }
        }
        U256::from_limbs(limbs)
    }

    fn is_odd(&self) -> bool {
        self.normalize()[0] & 1 == 1
    }

    fn is_zero(&self) -> bool {
        self.normalize() == [0; 10]
    }

    #[inline(always)]
    fn add(&self, b: &Fe26) -> Fe26 {
        Fe26(core::array::from_fn(|i| self.0[i] + b.0[i]))
    }

    #[inline(always)]
    fn double(&self) -> Fe26 {
        self.add(self)
    }

    /// Reduced to magnitude 1 (for `self` below magnitude 8 and `b_magnitude` below 14).
    #[inline(always)]
    fn sub(&self, b: &Fe26, b_magnitude: u32) -> Fe26 {
        let multiple = 2 * (b_magnitude + 1);
        Fe26(core::array::from_fn(|i| {
            self.0[i] + multiple * MODULUS[i] - b.0[i]
        }))
        .reduce_weak()
    }

    /// `2(m + 1)·p − self` limb by limb (each of its limbs is at least `m·2²⁷`, limb 9:
    /// `m·2²³`), reduced to magnitude 1 (for `magnitude` below 20).
    #[inline(always)]
    fn negate(&self, magnitude: u32) -> Fe26 {
        Fe26([0; 10]).sub(self, magnitude)
    }

    /// Inputs of magnitude ≤ 8 have limbs below 2³⁰, so each column of ten products stays
    /// below 2⁶³·⁴. Not inlined: one copy of the unrolled product keeps the wasm module small
    /// (inlined everywhere it was 27 KB larger gzip for 6% less time per recovery).
    #[inline(never)]
    fn mul(&self, b: &Fe26) -> Fe26 {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9] = self.0;
        let [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9] = b.0;
        reduce([
            wide(a0, b0),
            wide(a0, b1) + wide(a1, b0),
            wide(a0, b2) + wide(a1, b1) + wide(a2, b0),
            wide(a0, b3) + wide(a1, b2) + wide(a2, b1) + wide(a3, b0),
            wide(a0, b4) + wide(a1, b3) + wide(a2, b2) + wide(a3, b1) + wide(a4, b0),
            wide(a0, b5) + wide(a1, b4) + wide(a2, b3) + wide(a3, b2) + wide(a4, b1) + wide(a5, b0),
            wide(a0, b6)
                + wide(a1, b5)
                + wide(a2, b4)
                + wide(a3, b3)
                + wide(a4, b2)
                + wide(a5, b1)
                + wide(a6, b0),
            wide(a0, b7)
                + wide(a1, b6)
                + wide(a2, b5)
                + wide(a3, b4)
                + wide(a4, b3)
                + wide(a5, b2)
                + wide(a6, b1)
                + wide(a7, b0),
            wide(a0, b8)
                + wide(a1, b7)
                + wide(a2, b6)
                + wide(a3, b5)
                + wide(a4, b4)
                + wide(a5, b3)
                + wide(a6, b2)
                + wide(a7, b1)
                + wide(a8, b0),
            wide(a0, b9)
                + wide(a1, b8)
                + wide(a2, b7)
                + wide(a3, b6)
                + wide(a4, b5)
                + wide(a5, b4)
                + wide(a6, b3)
                + wide(a7, b2)
                + wide(a8, b1)
                + wide(a9, b0),
            wide(a1, b9)
                + wide(a2, b8)
                + wide(a3, b7)
                + wide(a4, b6)
                + wide(a5, b5)
                + wide(a6, b4)
                + wide(a7, b3)
                + wide(a8, b2)
                + wide(a9, b1),
            wide(a2, b9)
                + wide(a3, b8)
                + wide(a4, b7)
                + wide(a5, b6)
                + wide(a6, b5)
                + wide(a7, b4)
                + wide(a8, b3)
                + wide(a9, b2),
            wide(a3, b9)
                + wide(a4, b8)
                + wide(a5, b7)
                + wide(a6, b6)
                + wide(a7, b5)
                + wide(a8, b4)
                + wide(a9, b3),
            wide(a4, b9) + wide(a5, b8) + wide(a6, b7) + wide(a7, b6) + wide(a8, b5) + wide(a9, b4),
            wide(a5, b9) + wide(a6, b8) + wide(a7, b7) + wide(a8, b6) + wide(a9, b5),
            wide(a6, b9) + wide(a7, b8) + wide(a8, b7) + wide(a9, b6),
            wide(a7, b9) + wide(a8, b8) + wide(a9, b7),
            wide(a8, b9) + wide(a9, b8),
            wide(a9, b9),
        ])
    }

    #[inline(never)]
    fn square(&self) -> Fe26 {
        let [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9] = self.0;
        let [d0, d1, d2, d3, d4, d5, d6, d7, d8] =
            [a0, a1, a2, a3, a4, a5, a6, a7, a8].map(|a| a * 2);
        reduce([
            wide(a0, a0),
            wide(d0, a1),
            wide(d0, a2) + wide(a1, a1),
            wide(d0, a3) + wide(d1, a2),
            wide(d0, a4) + wide(d1, a3) + wide(a2, a2),
            wide(d0, a5) + wide(d1, a4) + wide(d2, a3),
            wide(d0, a6) + wide(d1, a5) + wide(d2, a4) + wide(a3, a3),
            wide(d0, a7) + wide(d1, a6) + wide(d2, a5) + wide(d3, a4),
            wide(d0, a8) + wide(d1, a7) + wide(d2, a6) + wide(d3, a5) + wide(a4, a4),
            wide(d0, a9) + wide(d1, a8) + wide(d2, a7) + wide(d3, a6) + wide(d4, a5),
            wide(d1, a9) + wide(d2, a8) + wide(d3, a7) + wide(d4, a6) + wide(a5, a5),
            wide(d2, a9) + wide(d3, a8) + wide(d4, a7) + wide(d5, a6),
            wide(d3, a9) + wide(d4, a8) + wide(d5, a7) + wide(a6, a6),
            wide(d4, a9) + wide(d5, a8) + wide(d6, a7),
            wide(d5, a9) + wide(d6, a8) + wide(a7, a7),
            wide(d6, a9) + wide(d7, a8),
            wide(d7, a9) + wide(a8, a8),
            wide(d8, a9),
            wide(a9, a9),
        ])
    }

    /// Bernstein–Yang's variable-time divsteps (`inverse.rs`) in place of a power's 255
    /// squarings: every inverse recovery takes is of a public value.
    fn invert(&self) -> Fe26 {
        Fe26::from_u256(&invert_vartime(&self.to_u256(), FIELD.modulus()))
    }

    /// `x^((p + 1)/4)`, by the chain of `power_chain`.
    fn sqrt(&self) -> Option<Fe26> {
        power_chain::sqrt(self)
    }

    /// Bernstein–Yang's variable-time divsteps (`inverse.rs`), then one Montgomery
    /// product.
    fn invert_scalar(r: &U256) -> U256 {
        SCALARS.to_montgomery(&invert_vartime(r, SCALARS.modulus()))
    }
}
