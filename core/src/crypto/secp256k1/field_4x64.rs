//! secp256k1's base field in four 64-bit limbs for targets with a 64×64→128 multiplication:
//! an element is any number below `2²⁵⁶` congruent to its value (so `0` and `p` both stand for
//! zero). A product is 16 limb products (10 for a square) and a fold of the upper half by
//! `2²⁵⁶ ≡ C = 2³² + 977 (mod p)`; sums and differences fold their carry or borrow at once, so
//! there are no magnitudes to track. On x86-64 (no `mulx`) a dependent product took 9.6 ns and
//! a square 9.7, where the 52-bit limbs this replaced (libsecp256k1's layout: 25 limb
//! products, lazy sums) took 13.4 and 11.9 (2026-12-06, README "Four 64-bit limbs").

use alloc::vec::Vec;
use once_cell::race::OnceBox;

use super::curve::{BETA, FIELD, SCALARS};
use super::field::{Affine, CurveField};
use super::generator_runtime;
use super::inverse::invert_vartime;
use super::power_chain;
use crate::primitives::U256;

/// `2²⁵⁶ mod p = 2³² + 977`.
const C: u64 = 0x1_0000_03D1;
/// The w-NAF window of the generator tables: 1,024 entries each (64 KiB), built once, at the
/// first recovery ([`generator_tables`]). Against window 8's constant 64 entries, a 128-bit
/// half takes about 10 additions instead of 14.
const GENERATOR_WINDOW: u32 = 12;
/// Entries of each generator table.
const GENERATOR_TABLE_LEN: usize = 1 << (GENERATOR_WINDOW - 2);
/// `p`'s limbs.
const MODULUS: [u64; 4] = [0xFFFF_FFFE_FFFF_FC2F, u64::MAX, u64::MAX, u64::MAX];

/// An element of secp256k1's base field: a number below `2²⁵⁶`, little-endian limbs, not
/// necessarily below `p`.
#[derive(Clone, Copy, Debug)]
pub struct Fe64([u64; 4]);

/// `a·b + c + carry` as (low, high) limbs; never overflows.
#[inline(always)]
fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(a) * u128::from(b) + u128::from(c) + u128::from(carry);
    (t as u64, (t >> 64) as u64)
}

/// `x·b` for a limb `x`, in five limbs.
#[inline(always)]
fn row(x: u64, b: &[u64; 4]) -> [u64; 5] {
    let (l0, h0) = mac(x, b[0], 0, 0);
    let (l1, h1) = mac(x, b[1], 0, 0);
    let (l2, h2) = mac(x, b[2], 0, 0);
    let (l3, h3) = mac(x, b[3], 0, 0);
    let (r1, carry) = adc(l1, h0, 0);
    let (r2, carry) = adc(l2, h1, carry);
    let (r3, carry) = adc(l3, h2, carry);
    // x·b < 2³²⁰, so the top limb cannot carry out.
    [l0, r1, r2, r3, h3 + carry]
}

/// `a + b + carry` as (sum, carry out).
#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(a) + u128::from(b) + u128::from(carry);
    (t as u64, (t >> 64) as u64)
}

/// `a − b − borrow` as (difference, borrow out), for a borrow of 0 or 1. Two overflowing
/// subtractions, which LLVM turns into one `sbb` of a chain; the same through `u128` and its
/// top bit took about four instructions more a limb on x86-64.
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let (difference, below) = a.overflowing_sub(b);
    let (difference, below_again) = difference.overflowing_sub(borrow);
    (difference, u64::from(below | below_again))
}

/// `limbs + x` for `x < 2⁶⁴`, and the carry out.
#[inline(always)]
fn add_small(limbs: [u64; 4], x: u64) -> ([u64; 4], u64) {
    let (r0, carry) = adc(limbs[0], x, 0);
    let (r1, carry) = adc(limbs[1], 0, carry);
    let (r2, carry) = adc(limbs[2], 0, carry);
    let (r3, carry) = adc(limbs[3], 0, carry);
    ([r0, r1, r2, r3], carry)
}

/// `limbs − x` for `x < 2⁶⁴`, and the borrow out.
#[inline(always)]
fn sub_small(limbs: [u64; 4], x: u64) -> ([u64; 4], u64) {
    let (r0, borrow) = sbb(limbs[0], x, 0);
    let (r1, borrow) = sbb(limbs[1], 0, borrow);
    let (r2, borrow) = sbb(limbs[2], 0, borrow);
    let (r3, borrow) = sbb(limbs[3], 0, borrow);
    ([r0, r1, r2, r3], borrow)
}

/// The element congruent to the 512-bit `t`: `t_low + t_high·C` is below `2²⁵⁶ + 2²⁸⁹`, so
/// its part above `2²⁵⁶` (`k ≤ 2³³`) folds in once more as `k·C < 2⁶⁷`; if that carries out,
/// what is left is below `2⁶⁷` and a last `C` cannot carry again.
#[inline(always)]
fn reduce(t: [u64; 8]) -> Fe64 {
    let (r0, k) = mac(t[4], C, t[0], 0);
    let (r1, k) = mac(t[5], C, t[1], k);
    let (r2, k) = mac(t[6], C, t[2], k);
    let (r3, k) = mac(t[7], C, t[3], k);
    let folded = u128::from(k) * u128::from(C);
    let (r0, carry) = adc(r0, folded as u64, 0);
    let (r1, carry) = adc(r1, (folded >> 64) as u64, carry);
    let (r2, carry) = adc(r2, 0, carry);
    let (r3, carry) = adc(r3, 0, carry);
    let (r0, last) = adc(r0, C & carry.wrapping_neg(), 0);
    Fe64([r0, r1 + last, r2, r3])
}

impl Fe64 {
    /// The same value below `p` (an element is below `2²⁵⁶ < 2p`, so one subtraction of `p`
    /// at most: adding `C` carries out exactly when the value is at least `p`).
    fn normalize(&self) -> [u64; 4] {
        let (reduced, carry) = add_small(self.0, C);
        if carry == 1 {
            reduced
        } else {
            self.0
        }
    }
}

/// The generator tables, built on first use ([`generator_runtime`]).
fn generator_tables() -> [&'static [Affine<Fe64>]; 2] {
    static TABLES: OnceBox<[Vec<Affine<Fe64>>; 2]> = OnceBox::new();
    generator_runtime::generator_tables(&TABLES, GENERATOR_TABLE_LEN)
}

impl CurveField for Fe64 {
    const ONE: Fe64 = Fe64([1, 0, 0, 0]);
    const B: Fe64 = Fe64([7, 0, 0, 0]);
    const BETA: Fe64 = Fe64(*BETA.as_limbs());
    const GENERATOR_WINDOW: u32 = GENERATOR_WINDOW;

    fn generator_tables() -> [&'static [Affine<Fe64>]; 2] {
        generator_tables()
    }

    fn from_u256(x: &U256) -> Fe64 {
        Fe64(*x.as_limbs())
    }

    fn to_u256(&self) -> U256 {
        U256::from_limbs(self.normalize())
    }

    fn is_odd(&self) -> bool {
        self.normalize()[0] & 1 == 1
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4] || self.0 == MODULUS
    }

    /// A carry out of `2²⁵⁶` comes back as `C`; that can carry once more only from a sum
    /// near `2²⁵⁷`, after which the value is below `C` and the second `C` stays inside.
    #[inline(always)]
    fn add(&self, b: &Fe64) -> Fe64 {
        let (r0, carry) = adc(self.0[0], b.0[0], 0);
        let (r1, carry) = adc(self.0[1], b.0[1], carry);
        let (r2, carry) = adc(self.0[2], b.0[2], carry);
        let (r3, carry) = adc(self.0[3], b.0[3], carry);
        let (mut sum, carry) = add_small([r0, r1, r2, r3], C & carry.wrapping_neg());
        if carry == 1 {
            sum[0] += C;
        }
        Fe64(sum)
    }

    #[inline(always)]
    fn double(&self) -> Fe64 {
        self.add(self)
    }

    /// One pass of limb products: the limb above `2²⁵⁶` (below `k`) folds in as a multiple of
    /// `C` below `2³⁷`; if that carries out, what is left is below `2³⁷` and a last `C` stays
    /// inside the low limb.
    #[inline(always)]
    fn mul_small_assign(&mut self, k: u32) {
        let k = u64::from(k);
        let (r0, carry) = mac(self.0[0], k, 0, 0);
        let (r1, carry) = mac(self.0[1], k, 0, carry);
        let (r2, carry) = mac(self.0[2], k, 0, carry);
        let (r3, top) = mac(self.0[3], k, 0, carry);
        let (mut product, carry) = add_small([r0, r1, r2, r3], top * C);
        product[0] += C & carry.wrapping_neg();
        self.0 = product;
    }

    /// A borrow below zero wrapped the difference by `2²⁵⁶ ≡ C`, so `C` comes off; that can
    /// borrow once more only when the wrapped difference was below `C`, and the second `C`
    /// then comes off a value above `2²⁵⁶ − C` without borrowing.
    #[inline(always)]
    fn sub(&self, b: &Fe64, _b_magnitude: u32) -> Fe64 {
        let (r0, borrow) = sbb(self.0[0], b.0[0], 0);
        let (r1, borrow) = sbb(self.0[1], b.0[1], borrow);
        let (r2, borrow) = sbb(self.0[2], b.0[2], borrow);
        let (r3, borrow) = sbb(self.0[3], b.0[3], borrow);
        let (mut difference, borrow) = sub_small([r0, r1, r2, r3], C & borrow.wrapping_neg());
        if borrow == 1 {
            difference = sub_small(difference, C).0;
        }
        Fe64(difference)
    }

    #[inline(always)]
    fn negate(&self, _magnitude: u32) -> Fe64 {
        Fe64([0; 4]).sub(self, 0)
    }

    /// Row by row: each limb of `self` times `b` as five limbs (one chain of carries through
    /// the products' halves), added to the sum so far (a second chain); where each limb
    /// product carried on its own (`a·b + t + carry`), LLVM spent two more instructions on it.
    #[inline(always)]
    fn mul(&self, b: &Fe64) -> Fe64 {
        let (a, b) = (self.0, b.0);
        let mut t = [0u64; 8];
        t[..5].copy_from_slice(&row(a[0], &b));
        for i in 1..4 {
            let r = row(a[i], &b);
            let (t0, carry) = adc(t[i], r[0], 0);
            let (t1, carry) = adc(t[i + 1], r[1], carry);
            let (t2, carry) = adc(t[i + 2], r[2], carry);
            let (t3, carry) = adc(t[i + 3], r[3], carry);
            // The sum so far is below 2^(64·(i + 4)), so this limb cannot carry out.
            t[i..i + 5].copy_from_slice(&[t0, t1, t2, t3, r[4] + carry]);
        }
        reduce(t)
    }

    /// The six products `aᵢ·aⱼ` (`i < j`) once, doubled, plus the four squares `aᵢ²`.
    #[inline(always)]
    fn square(&self) -> Fe64 {
        let a = self.0;
        let (t1, carry) = mac(a[0], a[1], 0, 0);
        let (t2, carry) = mac(a[0], a[2], 0, carry);
        let (t3, t4) = mac(a[0], a[3], 0, carry);
        let (t3, carry) = mac(a[1], a[2], t3, 0);
        let (t4, t5) = mac(a[1], a[3], t4, carry);
        let (t5, t6) = mac(a[2], a[3], t5, 0);
        // The products above sum to less than 2⁴⁴⁸, so twice them fits t1..t7: a shift by
        // one bit (as shifts, not a chain of sums, which LLVM compiled to more instructions).
        let t7 = t6 >> 63;
        let t6 = (t6 << 1) | (t5 >> 63);
        let t5 = (t5 << 1) | (t4 >> 63);
        let t4 = (t4 << 1) | (t3 >> 63);
        let t3 = (t3 << 1) | (t2 >> 63);
        let t2 = (t2 << 1) | (t1 >> 63);
        let t1 = t1 << 1;
        let (t0, high0) = mac(a[0], a[0], 0, 0);
        let (low1, high1) = mac(a[1], a[1], 0, 0);
        let (low2, high2) = mac(a[2], a[2], 0, 0);
        let (low3, high3) = mac(a[3], a[3], 0, 0);
        let (t1, carry) = adc(t1, high0, 0);
        let (t2, carry) = adc(t2, low1, carry);
        let (t3, carry) = adc(t3, high1, carry);
        let (t4, carry) = adc(t4, low2, carry);
        let (t5, carry) = adc(t5, high2, carry);
        let (t6, carry) = adc(t6, low3, carry);
        // The square is below 2⁵¹², so nothing carries out of t7.
        let t7 = t7 + high3 + carry;
        reduce([t0, t1, t2, t3, t4, t5, t6, t7])
    }

    /// Bernstein–Yang's variable-time divsteps (`inverse.rs`) in place of a power's 255
    /// squarings: every inverse recovery takes is of a public value.
    fn invert(&self) -> Fe64 {
        Fe64::from_u256(&invert_vartime(&self.to_u256(), FIELD.modulus()))
    }

    /// `x^((p + 1)/4)`, by the chain of `power_chain`.
    fn sqrt(&self) -> Option<Fe64> {
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
    use alloc::format;

    /// Values at the edges of the representation: zero in both forms, the neighbours of `p`
    /// and of `2²⁵⁶`, where the carries and borrows fold twice.
    fn edges() -> Vec<U256> {
        let p = *FIELD.modulus();
        let c = U256::from(C);
        Vec::from([
            U256::ZERO,
            U256::from(1),
            p - U256::from(1),
            p,
            p + U256::from(1),
            U256::MAX - c,
            U256::MAX - U256::from(1),
            U256::MAX,
            c - U256::from(1),
            c,
            U256::from(1) << 255,
            U256::from(u64::MAX),
        ])
    }

    #[test]
    fn every_operation_is_exact_at_the_edges() {
        let p = *FIELD.modulus();
        for a in edges() {
            let x = Fe64::from_u256(&a);
            let a_mod = a % p;
            assert_eq!(x.to_u256(), a_mod, "{a}");
            assert_eq!(x.is_zero(), a_mod == U256::ZERO, "{a}");
            assert_eq!(x.square().to_u256(), a_mod.mul_mod(a_mod, p), "{a}");
            assert_eq!(x.negate(1).to_u256(), (p - a_mod) % p, "{a}");
            for k in 1..=8 {
                let mut product = x;
                product.mul_small_assign(k);
                let expected = a_mod.mul_mod(U256::from(k), p);
                assert_eq!(product.to_u256(), expected, "{a}, k {k}");
            }
            for b in edges() {
                let y = Fe64::from_u256(&b);
                let b_mod = b % p;
                let case = format!("{a}, {b}");
                assert_eq!(x.mul(&y).to_u256(), a_mod.mul_mod(b_mod, p), "{case}");
                assert_eq!(x.add(&y).to_u256(), a_mod.add_mod(b_mod, p), "{case}");
                assert_eq!(
                    x.sub(&y, 1).to_u256(),
                    a_mod.add_mod((p - b_mod) % p, p),
                    "{case}"
                );
            }
        }
    }
}
