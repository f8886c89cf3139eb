//! secp256k1 points over any [`CurveField`] in Jacobian coordinates (`(X, Y, Z)` standing
//! for `(X/Z², Y/Z³)`), added to affine points (of the curve or of an isomorphic one, see
//! [`Jacobian::odd_multiples_shared_z`]), with the `a = 0` doubling. Addition handles every
//! case (infinity, equal and opposite points), so a sum is right for any inputs. The magnitudes
//! in the comments are those of lazily reduced fields ([`super::field`]).

use alloc::vec::Vec;

use super::field::{Affine, CurveField};

/// The largest magnitude of any Jacobian point's coordinates (a doubling's `X`).
const JACOBIAN_MAGNITUDE: u32 = 10;
/// The largest magnitude of an affine point's coordinates ([`Affine`]).
const AFFINE_MAGNITUDE: u32 = 2;

/// A point in Jacobian coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
    /// The point at infinity (the coordinates are then meaningless).
    infinity: bool,
}

impl<F: CurveField> Jacobian<F> {
    /// The point at infinity.
    pub const INFINITY: Jacobian<F> = Jacobian {
        x: F::ONE,
        y: F::ONE,
        z: F::ONE,
        infinity: true,
    };

    /// `P` with `Z = 1`.
    #[inline(always)]
    pub fn from_affine(p: &Affine<F>) -> Jacobian<F> {
        Jacobian {
            x: p.x,
            y: p.y,
            z: F::ONE,
            infinity: false,
        }
    }

    /// Whether this is the point at infinity.
    #[inline(always)]
    pub fn is_infinity(&self) -> bool {
        self.infinity
    }

    /// `P ← 2P`: with `S = 4XY²` and `M = 3X²`, `X' = M² − 2S`, `Y' = M(S − X') − 8Y⁴`,
    /// `Z' = 2YZ` (3 multiplications and 4 squarings). No point of the curve has `Y = 0`.
    /// Every step overwrites one operand (see [`CurveField::mul_assign`]).
    pub fn double_in_place(&mut self) {
        if self.infinity {
            return;
        }
        self.z.mul_assign(&self.y);
        self.z.double_assign(); // 2
        self.y.square_assign(); // Y²
        let mut s = self.x;
        s.mul_assign(&self.y);
        s.mul_small_assign(4); // 4
        self.x.square_assign();
        let mut m = self.x;
        // 3X² as 2X² + X² (a small multiple would copy X² first, in the guest's memory too).
        m.double_assign();
        m.add_assign(&self.x); // 3
        self.x = m;
        self.x.square_assign();
        self.x.sub_twice_assign(&s, 4); // 10
        self.y.square_assign();
        self.y.mul_small_assign(8); // 8Y⁴, 8
        s.sub_assign(&self.x, 10);
        s.mul_assign(&m);
        self.y.sub_from_assign(&s, 8); // 10
    }

    /// `P ← P + Q` for an affine `Q`, or `P − Q` when `subtract` (8 multiplications and 3
    /// squarings in general).
    pub fn add_affine_in_place(&mut self, q: &Affine<F>, subtract: bool) {
        if self.infinity {
            *self = Jacobian::from_affine(q);
            if subtract {
                self.y.negate_assign(AFFINE_MAGNITUDE);
            }
            return;
        }
        let mut u2 = self.z;
        u2.square_assign();
        let mut s2 = self.z;
        s2.mul_assign(&u2);
        s2.mul_assign(&q.y);
        if subtract {
            s2.negate_assign(1); // 2
        }
        u2.mul_assign(&q.x);
        self.finish_add(u2, s2, JACOBIAN_MAGNITUDE);
    }

    /// The common end of the additions, with `P` as `(U1, S1, Z)` (`U1` and `S1` of magnitude
    /// ≤ `magnitude`) and `Q` as `(U2, S2, Z)` (`U2` of magnitude 1, `S2` ≤ 2): `H = U2 − U1`
    /// and `R = S2 − S1` are both zero when `Q = P`, and only `H` when `Q = −P`.
    #[inline(always)]
    fn finish_add(&mut self, mut h: F, mut r: F, magnitude: u32) {
        h.sub_assign(&self.x, magnitude); // ≤ 20
        r.sub_assign(&self.y, magnitude); // ≤ 21
        if h.is_zero() {
            if r.is_zero() {
                self.double_in_place();
            } else {
                *self = Jacobian::INFINITY;
            }
            return;
        }
        self.add_distinct(h, r);
    }

    /// The general case of [`Self::finish_add`], given `H ≠ 0` (magnitude ≤ 20) and `R` (≤ 21):
    /// `X3 = R² − H³ − 2·U1·H²`, `Y3 = R(U1·H² − X3) − S1·H³`, `Z3 = Z·H`.
    #[inline(always)]
    fn add_distinct(&mut self, mut h: F, r: F) {
        self.z.mul_assign(&h);
        let mut v = h;
        v.square_assign(); // H²
        h.mul_assign(&v); // H³
        v.mul_assign(&self.x); // U1·H²
        self.x = r;
        self.x.square_assign();
        self.x.sub_assign(&h, 1);
        self.x.sub_twice_assign(&v, 1); // 6
        v.sub_assign(&self.x, 6);
        v.mul_assign(&r);
        self.y.mul_assign(&h);
        self.y.sub_from_assign(&v, 1); // 3
    }

    /// `P ← P + Q`, or `P − Q` when `subtract`, for `Q = (q.x, q.y, 1/z)` in Jacobian
    /// coordinates: an affine point of the curve seen from the isomorphic curve that a table of
    /// [`Self::odd_multiples_shared_z`] with shared `Z = z` lives on (9 multiplications and 3
    /// squarings in general). With `A = Z1·z`, `P + Q` is the mixed addition of `Q` to
    /// `(X1, Y1, A)` whose `Z3 = A·H` is then divided by `z` again, so `U1 = X1`, `S1 = Y1`,
    /// `U2 = q.x·A²`, `S2 = q.y·A³` and `Z3 = Z1·H`.
    pub fn add_affine_over_z_in_place(&mut self, q: &Affine<F>, subtract: bool, z: &F) {
        let mut u2 = *z;
        if self.infinity {
            // Q itself: (q.x·z², q.y·z³, 1).
            u2.square_assign();
            let mut s2 = u2;
            s2.mul_assign(z);
            s2.mul_assign(&q.y);
            if subtract {
                s2.negate_assign(1);
            }
            u2.mul_assign(&q.x);
            *self = Jacobian {
                x: u2,
                y: s2,
                z: F::ONE,
                infinity: false,
            };
            return;
        }
        u2.mul_assign(&self.z); // A
        let mut s2 = u2;
        u2.square_assign();
        s2.mul_assign(&u2);
        s2.mul_assign(&q.y);
        if subtract {
            s2.negate_assign(1); // 2
        }
        u2.mul_assign(&q.x);
        self.finish_add(u2, s2, JACOBIAN_MAGNITUDE);
    }

    /// `P ← (X, Y, Z·z)`: from the curve isomorphic to secp256k1 by `(x, y) ↦ (z²·x, z³·y)`,
    /// where `P` was computed against a table of [`Self::odd_multiples_shared_z`], back to
    /// secp256k1.
    pub fn leave_isomorphic_curve(&mut self, z: &F) {
        self.z.mul_assign(z);
    }

    /// The odd multiples `P, 3P, …, (2N − 1)P` of an affine `P`, all with one `Z` (returned
    /// beside their `X` and `Y`, magnitude 1), for additions as affine points on the
    /// isomorphic curve `y² = x³ + 7·Z⁶` (libsecp256k1's "effective affine" tables,
    /// `ecmult_impl.h`). `2P = (Xd, Yd, Zd)` is affine on the curve scaled by `Zd`, where
    /// `P` is `(Zd²·x, Zd³·y, 1)`; adding `2P` there `N − 1` times is `N − 1` mixed additions,
    /// each multiplying `Z` by its `H`, and multiplying an entry's `X` and `Y` by the square
    /// and cube of the later `H`s brings it to the last entry's `Z`. No addition meets an
    /// equal or opposite point: `(2i + 1)P = ±2P` would make `(2i − 1)P` or `(2i + 3)P` the
    /// point at infinity, and `P` has prime order `n > 2N + 1`.
    pub fn odd_multiples_shared_z<const N: usize>(p: &Affine<F>) -> ([Affine<F>; N], F) {
        let mut twice = Jacobian::from_affine(p);
        twice.double_in_place();
        let mut scale = twice.z;
        scale.square_assign();
        let mut entry = Jacobian::from_affine(p);
        entry.x.mul_assign(&scale);
        scale.mul_assign(&twice.z);
        entry.y.mul_assign(&scale);
        let mut entries = [entry; N];
        let mut ratios = [F::ONE; N];
        for i in 1..N {
            let mut u2 = entry.z;
            u2.square_assign();
            let mut s2 = entry.z;
            s2.mul_assign(&u2);
            s2.mul_assign(&twice.y);
            u2.mul_assign(&twice.x);
            let mut h = u2;
            h.sub_assign(&entry.x, JACOBIAN_MAGNITUDE);
            s2.sub_assign(&entry.y, JACOBIAN_MAGNITUDE);
            ratios[i] = h;
            entry.add_distinct(h, s2);
            entries[i] = entry;
        }
        // The last entry's coordinates are brought to magnitude 1 too.
        let mut table = [Affine {
            x: F::ONE,
            y: F::ONE,
        }; N];
        let mut ratio = F::ONE;
        for i in (0..N).rev() {
            if i + 1 < N {
                ratio.mul_assign(&ratios[i + 1]);
            }
            let mut ratio_power = ratio;
            ratio_power.square_assign();
            table[i].x = entries[i].x;
            table[i].x.mul_assign(&ratio_power);
            ratio_power.mul_assign(&ratio);
            table[i].y = entries[i].y;
            table[i].y.mul_assign(&ratio_power);
        }
        let mut z = twice.z;
        z.mul_assign(&entry.z);
        (table, z)
    }

    /// The affine point (magnitude 1), or `None` at infinity.
    pub fn to_affine(self) -> Option<Affine<F>> {
        if self.infinity {
            return None;
        }
        let z_inverse = self.z.invert();
        Some(self.to_affine_given(z_inverse))
    }

    /// The affine points of `points` (magnitude 1), `None` at infinity, with one field
    /// inversion for all of them (Montgomery's trick: the inverse of the product of the `Z`s,
    /// multiplied back by the prefix products, gives each `Z⁻¹`; 3 multiplications a point).
    pub fn batch_to_affine(points: &[Jacobian<F>]) -> Vec<Option<Affine<F>>> {
        let finite = points.iter().filter(|p| !p.infinity);
        let mut prefix = Vec::with_capacity(points.len());
        let mut product = F::ONE;
        for point in finite.clone() {
            prefix.push(product);
            product.mul_assign(&point.z);
        }
        // No finite point has Z = 0, so the product is invertible.
        let mut inverse = product.invert();
        let mut z_inverses = Vec::with_capacity(prefix.len());
        for (point, before) in finite.rev().zip(prefix.iter().rev()) {
            let mut z_inverse = inverse;
            z_inverse.mul_assign(before);
            z_inverses.push(z_inverse);
            inverse.mul_assign(&point.z);
        }
        points
            .iter()
            .map(|point| {
                if point.infinity {
                    None
                } else {
                    z_inverses
                        .pop()
                        .map(|z_inverse| point.to_affine_given(z_inverse))
                }
            })
            .collect()
    }

    /// The affine point of a finite `P` (magnitude 1) given `Z⁻¹`.
    #[inline(always)]
    fn to_affine_given(mut self, mut z_inverse: F) -> Affine<F> {
        let mut z_inverse2 = z_inverse;
        z_inverse2.square_assign();
        z_inverse.mul_assign(&z_inverse2);
        self.x.mul_assign(&z_inverse2);
        self.y.mul_assign(&z_inverse);
        Affine {
            x: self.x,
            y: self.y,
        }
    }
}
