//! The odd-multiple tables of many points at once, affine on the curve itself: each step of
//! all the tables (the doubling `2P`, then one addition of `2P` per entry) shares one field
//! inversion by Montgomery's trick, so an entry costs about 5 products and a square (3 of the
//! products are its share of the inversion) where a table with one shared `Z` per point
//! ([`Jacobian::odd_multiples_shared_z`]) takes about 15. Sums over these tables stay on the
//! curve, so the constant tables of `G` are added without the isomorphic curve's scaling.
//!
//! [`Jacobian::odd_multiples_shared_z`]: super::point::Jacobian::odd_multiples_shared_z

use alloc::vec::Vec;

use super::field::{invert_all, Affine, CurveField};

/// The largest magnitude of a table's input coordinates ([`Affine`]).
const AFFINE_MAGNITUDE: u32 = 2;

/// For each of `points`, its odd multiples `P, 3P, …, (2N − 1)P`, affine (magnitude 1). No
/// doubling meets `y = 0` (the group's order is odd) and no addition an equal or opposite
/// point: `(2i + 1)P = ±2P` would make `(2i − 1)P` or `(2i + 3)P` the point at infinity, and
/// `P` has prime order `n > 2N + 1`.
pub(super) fn odd_multiples<F: CurveField, const N: usize>(
    points: &[Affine<F>],
) -> Vec<[Affine<F>; N]> {
    // 2P: λ = 3x² / 2y.
    let mut denominators: Vec<F> = points.iter().map(|p| p.y.double()).collect();
    invert_all(&mut denominators);
    let twice: Vec<Affine<F>> = points
        .iter()
        .zip(&denominators)
        .map(|(p, inverse)| {
            let mut slope = p.x.square();
            slope = slope.double().add(&slope); // 3
            slope.mul_assign(inverse);
            let x = slope.square().sub(&p.x.double(), 2 * AFFINE_MAGNITUDE);
            line_point(p, &slope, x)
        })
        .collect();
    let mut tables: Vec<[Affine<F>; N]> = points
        .iter()
        .map(|p| {
            [Affine {
                x: normalized(&p.x),
                y: normalized(&p.y),
            }; N]
        })
        .collect();
    for i in 1..N {
        // (2i + 1)P = (2i − 1)P + 2P: λ = (y₁ − y₂) / (x₁ − x₂).
        denominators.clear();
        for (table, step) in tables.iter().zip(&twice) {
            denominators.push(table[i - 1].x.sub(&step.x, 1));
        }
        invert_all(&mut denominators);
        for ((table, step), inverse) in tables.iter_mut().zip(&twice).zip(denominators.drain(..)) {
            let entry = table[i - 1];
            let mut slope = entry.y.sub(&step.y, 1);
            slope.mul_assign(&inverse);
            let x = slope.square().sub(&entry.x, 1).sub(&step.x, 1);
            table[i] = line_point(&entry, &slope, x);
        }
    }
    tables
}

/// The third point of the line of slope `slope` through `p` (magnitude ≤ 2), given its `x`
/// (magnitude ≤ 6), negated: `(x, slope·(p.x − x) − p.y)`, normalised.
#[inline(always)]
fn line_point<F: CurveField>(p: &Affine<F>, slope: &F, x: F) -> Affine<F> {
    let mut y = p.x.sub(&x, 6);
    y.mul_assign(slope);
    let y = y.sub(&p.y, AFFINE_MAGNITUDE);
    Affine {
        x: normalized(&x),
        y: normalized(&y),
    }
}

/// `x` at magnitude 1.
#[inline(always)]
fn normalized<F: CurveField>(x: &F) -> F {
    F::from_u256(&x.to_u256())
}
