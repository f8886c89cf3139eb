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

    /// `−P` of a doubling's or an addition's result (not of a negation).
    #[inline(always)]
    pub fn neg(&self) -> Jacobian<F> {
        Jacobian {
            y: self.y.negate(SUM_MAGNITUDE),
            ..*self
        }
    }

    /// `λ·P = (β·x, y)` in Jacobian coordinates: `(β·X, Y, Z)`.
    #[inline(always)]
    pub fn endomorphism(&self) -> Jacobian<F> {
        Jacobian {
            x: self.x.mul(&F::BETA),
            ..*self
        }
    }

    /// `P ← 2P`: with `S = 4XY²` and `M = 3X²`, `X' = M² − 2S`, `Y' = M(S − X') − 8Y⁴`,
    /// `Z' = 2YZ` (3 multiplications and 4 squarings). No point of the curve has `Y = 0`.
    pub fn double_in_place(&mut self) {
        if self.infinity {
            return;
        }
        self.z = self.z.mul(&self.y).double(); // 2
        let y_squared = self.y.square(); // 1
        let s = self.x.mul(&y_squared).double().double(); // 4
        let x_squared = self.x.square();
        let m = x_squared.double().add(&x_squared); // 3
        self.x = m.square().sub(&s.double(), 8); // 10
        let y4_8 = y_squared.square().double().double().double(); // 8
        self.y = s.sub(&self.x, 10).mul(&m).sub(&y4_8, 8); // 10
    }

    /// `P ← P + Q` for an affine `Q` (8 multiplications and 3 squarings in general).
    pub fn add_affine_in_place(&mut self, q: &Affine<F>) {
        if self.infinity {
            *self = Jacobian::from_affine(q);
            return;
        }
        let z_squared = self.z.square();
        let u2 = q.x.mul(&z_squared);
        let s2 = q.y.mul(&self.z).mul(&z_squared);
        self.finish_add(u2, s2, JACOBIAN_MAGNITUDE);
    }

    /// `P ← P + Q` (12 multiplications and 4 squarings in general).
    pub fn add_in_place(&mut self, q: &Jacobian<F>) {
        if q.infinity {
            return;
        }
        if self.infinity {
            *self = *q;
            return;
        }
        let z1_squared = self.z.square();
        let z2_squared = q.z.square();
        let u2 = q.x.mul(&z1_squared);
        let s2 = q.y.mul(&self.z).mul(&z1_squared);
        // (X1·Z2², Y1·Z2³, Z1·Z2) is P again, with Z2 folded in: U1, S1 and Z1·Z2.
        self.x = self.x.mul(&z2_squared);
        self.y = self.y.mul(&z2_squared.mul(&q.z));
        self.z = self.z.mul(&q.z);
        self.finish_add(u2, s2, 1);
    }

    /// The common end of both additions, with `P` as `(U1, S1, Z)` (`U1` and `S1` of magnitude
    /// ≤ `magnitude`) and `Q` as `(U2, S2, Z)`: with `H = U2 − U1` and `R = S2 − S1`,
    /// `X3 = R² − H³ − 2·U1·H²`, `Y3 = R(U1·H² − X3) − S1·H³`, `Z3 = Z·H`; `H = 0` means
    /// `Q = ±P`.
    #[inline(always)]
    fn finish_add(&mut self, u2: F, s2: F, magnitude: u32) {
        let h = u2.sub(&self.x, magnitude); // ≤ 13
        let r = s2.sub(&self.y, magnitude); // ≤ 13
        if h.is_zero() {
            if r.is_zero() {
                self.double_in_place();
            } else {
                *self = Jacobian::INFINITY;
            }
            return;
        }
        let h_squared = h.square();
        let h_cubed = h_squared.mul(&h);
        self.z = self.z.mul(&h);
        let v = self.x.mul(&h_squared);
        self.x = r.square().sub(&h_cubed, 1).sub(&v.double(), 2); // 6
        self.y = v.sub(&self.x, 6).mul(&r).sub(&self.y.mul(&h_cubed), 1); // 3
    }

    /// The affine point (magnitude 1), or `None` at infinity.
    pub fn to_affine(self) -> Option<Affine<F>> {
        if self.infinity {
            return None;
        }
        let z_inverse = self.z.invert();
        let z_inverse2 = z_inverse.square();
        Some(Affine {
            x: self.x.mul(&z_inverse2),
            y: self.y.mul(&z_inverse2.mul(&z_inverse)),
        })
    }
}
