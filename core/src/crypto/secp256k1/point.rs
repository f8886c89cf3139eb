//! secp256k1 points over any [`CurveField`] in Jacobian coordinates (`(X, Y, Z)` standing
//! for `(X/Z², Y/Z³)`), added to affine points or to each other, with the `a = 0` doubling.
//! Addition handles every case (infinity, equal and opposite points), so a sum is right for
//! any inputs. The magnitudes in the comments are those of lazily reduced fields
//! ([`super::field`]).

use super::field::{Affine, CurveField};

/// The largest magnitude of the coordinates a doubling or an addition leaves (a doubling's
/// `X` and `Y`).
const SUM_MAGNITUDE: u32 = 10;
/// The largest magnitude of any Jacobian point's coordinates: a sum's, or the `Y` of a
/// negated sum.
const JACOBIAN_MAGNITUDE: u32 = SUM_MAGNITUDE + 1;
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

    /// `λ·P = (β·x, y)` in Jacobian coordinates: `(β·X, Y, Z)`.
    #[inline(always)]
    pub fn endomorphism_in_place(&mut self) {
        self.x.mul_assign(&F::BETA);
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
        s.double_assign();
        s.double_assign(); // 4
        self.x.square_assign();
        let mut m = self.x;
        m.double_assign();
        m.add_assign(&self.x); // 3
        self.x = m;
        self.x.square_assign();
        self.x.sub_twice_assign(&s, 4); // 10
        self.y.square_assign();
        self.y.double_assign();
        self.y.double_assign();
        self.y.double_assign(); // 8Y⁴, 8
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

    /// `P ← P + Q`, or `P − Q` when `subtract`, for `Q` a doubling's or an addition's result
    /// (12 multiplications and 4 squarings in general).
    pub fn add_in_place(&mut self, q: &Jacobian<F>, subtract: bool) {
        if q.infinity {
            return;
        }
        if self.infinity {
            *self = *q;
            if subtract {
                self.y.negate_assign(SUM_MAGNITUDE);
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
        // (X1·Z2², Y1·Z2³, Z1·Z2) is P again, with Z2 folded in: U1, S1 and Z1·Z2.
        let mut z2_power = q.z;
        z2_power.square_assign();
        self.x.mul_assign(&z2_power);
        z2_power.mul_assign(&q.z);
        self.y.mul_assign(&z2_power);
        self.z.mul_assign(&q.z);
        self.finish_add(u2, s2, 1);
    }

    /// The common end of both additions, with `P` as `(U1, S1, Z)` (`U1` and `S1` of magnitude
    /// ≤ `magnitude`) and `Q` as `(U2, S2, Z)` (`U2` of magnitude 1, `S2` ≤ 2): with
    /// `H = U2 − U1` and `R = S2 − S1`, `X3 = R² − H³ − 2·U1·H²`, `Y3 = R(U1·H² − X3) − S1·H³`,
    /// `Z3 = Z·H`; `H = 0` means `Q = ±P`.
    #[inline(always)]
    fn finish_add(&mut self, mut h: F, mut r: F, magnitude: u32) {
        h.sub_assign(&self.x, magnitude); // ≤ 13
        r.sub_assign(&self.y, magnitude); // ≤ 14
        if h.is_zero() {
            if r.is_zero() {
                self.double_in_place();
            } else {
                *self = Jacobian::INFINITY;
            }
            return;
        }
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

    /// The affine point (magnitude 1), or `None` at infinity.
    pub fn to_affine(mut self) -> Option<Affine<F>> {
        if self.infinity {
            return None;
        }
        let mut z_inverse = self.z.invert();
        let mut z_inverse2 = z_inverse;
        z_inverse2.square_assign();
        z_inverse.mul_assign(&z_inverse2);
        self.x.mul_assign(&z_inverse2);
        self.y.mul_assign(&z_inverse);
        Some(Affine {
            x: self.x,
            y: self.y,
        })
    }
}
