//! secp256k1 points with Montgomery-form coordinates ([`super::curve::FIELD`]): affine points
//! for tables and Jacobian points (`(X, Y, Z)` standing for `(X/Z², Y/Z³)`, `Z = 0` the point
//! at infinity) for the arithmetic, with the `a = 0` doubling. Addition handles every case
//! (infinity, equal and opposite points), so a sum is right for any inputs.

use super::curve::{BETA_MONTGOMERY, FIELD, FIELD_INVERSE_EXPONENT};
use crate::bigint::word;
use crate::primitives::U256;

/// A finite point in affine coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Affine {
    /// `x` in Montgomery form.
    pub x: U256,
    /// `y` in Montgomery form.
    pub y: U256,
}

impl Affine {
    /// `−P`.
    #[inline(always)]
    pub fn neg(&self) -> Affine {
        Affine {
            x: self.x,
            y: FIELD.neg(&self.y),
        }
    }
}

/// A point in Jacobian coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Jacobian {
    x: U256,
    y: U256,
    z: U256,
}

impl Jacobian {
    /// The point at infinity.
    pub const INFINITY: Jacobian = Jacobian {
        x: U256::ZERO,
        y: U256::ZERO,
        z: U256::ZERO,
    };

    /// `P` with `Z = 1`.
    #[inline(always)]
    pub fn from_affine(p: &Affine) -> Jacobian {
        Jacobian {
            x: p.x,
            y: p.y,
            z: FIELD.one(),
        }
    }

    /// Whether this is the point at infinity.
    #[inline(always)]
    pub fn is_infinity(&self) -> bool {
        word::eq(&self.z, &U256::ZERO)
    }

    /// `−P`.
    #[inline(always)]
    pub fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: FIELD.neg(&self.y),
            z: self.z,
        }
    }

    /// `λ·P = (β·x, y)` in Jacobian coordinates: `(β·X, Y, Z)`.
    #[inline(always)]
    pub fn endomorphism(&self) -> Jacobian {
        Jacobian {
            x: FIELD.mul(&self.x, &BETA_MONTGOMERY),
            y: self.y,
            z: self.z,
        }
    }

    /// `P ← 2P`: with `S = 4XY²` and `M = 3X²`, `X' = M² − 2S`, `Y' = M(S − X') − 8Y⁴`,
    /// `Z' = 2YZ` (3 multiplications and 4 squarings). No point of the curve has `Y = 0`.
    pub fn double_in_place(&mut self) {
        if self.is_infinity() {
            return;
        }
        let f = &FIELD;
        f.mul_assign(&mut self.z, &self.y);
        f.double_assign(&mut self.z);
        f.square_assign(&mut self.y);
        let mut s = self.x;
        f.mul_assign(&mut s, &self.y);
        f.double_assign(&mut s);
        f.double_assign(&mut s);
        let mut m = self.x;
        f.square_assign(&mut m);
        let x_squared = m;
        f.double_assign(&mut m);
        f.add_assign(&mut m, &x_squared);
        self.x = m;
        f.square_assign(&mut self.x);
        f.sub_assign(&mut self.x, &s);
        f.sub_assign(&mut self.x, &s);
        f.square_assign(&mut self.y);
        f.double_assign(&mut self.y);
        f.double_assign(&mut self.y);
        f.double_assign(&mut self.y);
        f.sub_assign(&mut s, &self.x);
        f.mul_assign(&mut s, &m);
        f.sub_from_assign(&mut self.y, &s);
    }

    /// `P ← P + Q` for an affine `Q` (8 multiplications and 3 squarings in general).
    pub fn add_affine_in_place(&mut self, q: &Affine) {
        if self.is_infinity() {
            *self = Jacobian::from_affine(q);
            return;
        }
        let f = &FIELD;
        let mut z_squared = self.z;
        f.square_assign(&mut z_squared);
        let mut u2 = q.x;
        f.mul_assign(&mut u2, &z_squared);
        let mut s2 = q.y;
        f.mul_assign(&mut s2, &self.z);
        f.mul_assign(&mut s2, &z_squared);
        self.finish_add(u2, s2);
    }

    /// `P ← P + Q` (12 multiplications and 4 squarings in general).
    pub fn add_in_place(&mut self, q: &Jacobian) {
        if q.is_infinity() {
            return;
        }
        if self.is_infinity() {
            *self = *q;
            return;
        }
        let f = &FIELD;
        let mut z1_squared = self.z;
        f.square_assign(&mut z1_squared);
        let mut z2_squared = q.z;
        f.square_assign(&mut z2_squared);
        let mut u2 = q.x;
        f.mul_assign(&mut u2, &z1_squared);
        let mut s2 = q.y;
        f.mul_assign(&mut s2, &self.z);
        f.mul_assign(&mut s2, &z1_squared);
        // (X1·Z2², Y1·Z2³, Z1·Z2) is P again, with Z2 folded in: U1, S1 and Z1·Z2.
        f.mul_assign(&mut self.x, &z2_squared);
        f.mul_assign(&mut z2_squared, &q.z);
        f.mul_assign(&mut self.y, &z2_squared);
        f.mul_assign(&mut self.z, &q.z);
        self.finish_add(u2, s2);
    }

    /// The common end of both additions, with `P` as `(U1, S1, Z)` and `Q` as `(U2, S2, Z)`:
    /// with `H = U2 − U1` and `R = S2 − S1`, `X3 = R² − H³ − 2·U1·H²`,
    /// `Y3 = R(U1·H² − X3) − S1·H³`, `Z3 = Z·H`; `H = 0` means `Q = ±P`.
    #[inline(always)]
    fn finish_add(&mut self, mut h: U256, mut r: U256) {
        let f = &FIELD;
        f.sub_assign(&mut h, &self.x);
        f.sub_assign(&mut r, &self.y);
        if word::eq(&h, &U256::ZERO) {
            if word::eq(&r, &U256::ZERO) {
                self.double_in_place();
            } else {
                *self = Jacobian::INFINITY;
            }
            return;
        }
        let mut h_squared = h;
        f.square_assign(&mut h_squared);
        let mut h_cubed = h_squared;
        f.mul_assign(&mut h_cubed, &h);
        f.mul_assign(&mut self.z, &h);
        let mut v = self.x;
        f.mul_assign(&mut v, &h_squared);
        self.x = r;
        f.square_assign(&mut self.x);
        f.sub_assign(&mut self.x, &h_cubed);
        f.sub_assign(&mut self.x, &v);
        f.sub_assign(&mut self.x, &v);
        f.sub_assign(&mut v, &self.x);
        f.mul_assign(&mut v, &r);
        f.mul_assign(&mut self.y, &h_cubed);
        f.sub_from_assign(&mut self.y, &v);
    }

    /// The affine point, or `None` at infinity.
    pub fn to_affine(self) -> Option<Affine> {
        if self.is_infinity() {
            return None;
        }
        let f = &FIELD;
        let z_inverse = f.pow(&self.z, &FIELD_INVERSE_EXPONENT);
        let z_inverse2 = f.square(&z_inverse);
        Some(Affine {
            x: f.mul(&self.x, &z_inverse2),
            y: f.mul(&self.y, &f.mul(&z_inverse2, &z_inverse)),
        })
    }
}
