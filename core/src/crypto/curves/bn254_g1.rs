//! bn254 G1 addition (0x06) and scalar multiplication (0x07) over [`MontgomeryField`]: the
//! guest's version of [`super::bn254`]'s arkworks `add` and `mul`, with the same encodings and
//! results, every field operation a handful of bigint delegations. Points in Jacobian
//! coordinates (`X/Z², Y/Z³`) while multiplying, one field inversion at the end.
//!
//! The curve is `y² = x³ + 3` over `F_p`; G1 has prime order (cofactor 1), so every point on
//! the curve is in the group and none has order 2 (`y ≠ 0` on every finite point).

use super::sizes::{BN254_ADD_INPUT_LEN, BN254_MUL_INPUT_LEN};
use crate::bigint::montgomery::MontgomeryField;
use crate::primitives::U256;
use alloc::vec::Vec;

/// The base field `F_p`, `p = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47`
/// (EIP-196), with `p⁻¹ mod 2²⁵⁶`, `2⁵¹² mod p` and `2²⁵⁶ mod p` (computed from `p`; the tests
/// recompute them).
pub(super) const FQ: MontgomeryField = MontgomeryField::new(
    U256::from_limbs([
        0x3c20_8c16_d87c_fd47,
        0x9781_6a91_6871_ca8d,
        0xb850_45b6_8181_585d,
        0x3064_4e72_e131_a029,
    ]),
    U256::from_limbs([
        0x782d_f87d_1b79_9c77,
        0x6121_829a_e135_9536,
        0x2750_342f_e7cc_257f,
        0x0a85_dd48_6e77_7394,
    ]),
    U256::from_limbs([
        0xf32c_fc5b_538a_fa89,
        0xb5e7_1911_d445_01fb,
        0x47ab_1eff_0a41_7ff6,
        0x06d8_9f71_cab8_351f,
    ]),
    U256::from_limbs([
        0xd35d_438d_c58f_0d9d,
        0x0a78_eb28_f5c7_0b3d,
        0x666e_a36f_7879_462c,
        0x0e0a_77c1_9a07_df2f,
    ]),
);

/// The curve's `b` (`y² = x³ + b`), plain.
const CURVE_B: u8 = 3;
/// Bytes of one encoded coordinate.
const COORDINATE_BYTES: usize = 32;
/// Bits of scalar per window of [`mul`].
const WINDOW_BITS: usize = 4;

/// A finite point in affine coordinates, in Montgomery form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Affine {
    x: U256,
    y: U256,
}

/// A point in Jacobian coordinates, in Montgomery form; `z = 0` is the point at infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Jacobian {
    x: U256,
    y: U256,
    z: U256,
}

impl Jacobian {
    const INFINITY: Jacobian = Jacobian {
        x: U256::ZERO,
        y: U256::ZERO,
        z: U256::ZERO,
    };

    fn from_affine(point: &Affine) -> Jacobian {
        Jacobian {
            x: point.x,
            y: point.y,
            z: FQ.one(),
        }
    }

    fn is_infinity(&self) -> bool {
        FQ.is_zero(&self.z)
    }
}

/// `p1 + p2` of `p1 ‖ p2` (128 bytes); `None` if a point is malformed.
pub(super) fn add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != BN254_ADD_INPUT_LEN {
        return None;
    }
    let (a, b) = input.split_at(2 * COORDINATE_BYTES);
    let sum = match (decode(a)?, decode(b)?) {
        (None, point) | (point, None) => point,
        (Some(a), Some(b)) => affine_add(&a, &b),
    };
    Some(encode(sum.as_ref()))
}

/// `k * p` of `p ‖ k` (96 bytes), `k` any 256-bit number; `None` if the point is malformed.
/// Fixed 4-bit windows of `k` from the top over a table of `0·p … 15·p`; the group's order
/// divides out of any `k` on its own, so `k` is not reduced.
pub(super) fn mul(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != BN254_MUL_INPUT_LEN {
        return None;
    }
    let (point, scalar) = input.split_at(2 * COORDINATE_BYTES);
    let Some(point) = decode(point)? else {
        return Some(encode(None));
    };
    let scalar = U256::from_be_slice(scalar);
    let mut table = [Jacobian::INFINITY; 1 << WINDOW_BITS];
    table[1] = Jacobian::from_affine(&point);
    for i in 2..table.len() {
        table[i] = jacobian_add(&table[i - 1], &table[1]);
    }
    let mut product = Jacobian::INFINITY;
    for window in (0..scalar.bit_len().div_ceil(WINDOW_BITS)).rev() {
        for _ in 0..WINDOW_BITS {
            product = jacobian_double(&product);
        }
        let digit = (0..WINDOW_BITS).rev().fold(0usize, |digit, bit| {
            (digit << 1) | usize::from(scalar.bit(window * WINDOW_BITS + bit))
        });
        if digit != 0 {
            product = jacobian_add(&product, &table[digit]);
        }
    }
    Some(encode(to_affine(&product).as_ref()))
}

/// A point from `x ‖ y` (64 bytes): `Some(None)` for infinity (all zeros), `None` if a
/// coordinate is not below `p` or the point is off the curve.
fn decode(bytes: &[u8]) -> Option<Option<Affine>> {
    let (x, y) = bytes.split_at(COORDINATE_BYTES);
    let (x, y) = (U256::from_be_slice(x), U256::from_be_slice(y));
    if !FQ.is_canonical(&x) || !FQ.is_canonical(&y) {
        return None;
    }
    if FQ.is_zero(&x) && FQ.is_zero(&y) {
        return Some(None);
    }
    let point = Affine {
        x: FQ.to_montgomery(&x),
        y: FQ.to_montgomery(&y),
    };
    let x_cubed = FQ.mul(&FQ.square(&point.x), &point.x);
    let right = FQ.add(&x_cubed, &FQ.to_montgomery(&U256::from(CURVE_B)));
    (FQ.square(&point.y) == right).then_some(Some(point))
}

/// The 64-byte encoding of a point (all zeros for infinity).
fn encode(point: Option<&Affine>) -> Vec<u8> {
    let mut out = alloc::vec![0u8; 2 * COORDINATE_BYTES];
    if let Some(point) = point {
        let (x, y) = out.split_at_mut(COORDINATE_BYTES);
        x.copy_from_slice(
            &FQ.from_montgomery(&point.x)
                .to_be_bytes::<COORDINATE_BYTES>(),
        );
        y.copy_from_slice(
            &FQ.from_montgomery(&point.y)
                .to_be_bytes::<COORDINATE_BYTES>(),
        );
    }
    out
}

/// `a + b` of two finite points, with one inversion for the slope.
fn affine_add(a: &Affine, b: &Affine) -> Option<Affine> {
    let slope = if a.x == b.x {
        if a.y != b.y {
            // b = −a.
            return None;
        }
        // The tangent: 3x² / 2y (y ≠ 0 on this curve).
        let x_squared = FQ.square(&a.x);
        let numerator = FQ.add(&FQ.double(&x_squared), &x_squared);
        FQ.mul(&numerator, &FQ.inverse(&FQ.double(&a.y)))
    } else {
        FQ.mul(&FQ.sub(&b.y, &a.y), &FQ.inverse(&FQ.sub(&b.x, &a.x)))
    };
    let x = FQ.sub(&FQ.sub(&FQ.square(&slope), &a.x), &b.x);
    let y = FQ.sub(&FQ.mul(&slope, &FQ.sub(&a.x, &x)), &a.y);
    Some(Affine { x, y })
}

/// `2a` ("dbl-2009-l" for `a = 0` curves, Explicit-Formulas Database: 2M + 5S).
fn jacobian_double(a: &Jacobian) -> Jacobian {
    if a.is_infinity() {
        return Jacobian::INFINITY;
    }
    let xx = FQ.square(&a.x);
    let yy = FQ.square(&a.y);
    let yyyy = FQ.square(&yy);
    let d = FQ.double(&FQ.sub(&FQ.sub(&FQ.square(&FQ.add(&a.x, &yy)), &xx), &yyyy));
    let e = FQ.add(&FQ.double(&xx), &xx);
    let x = FQ.sub(&FQ.square(&e), &FQ.double(&d));
    let eight_yyyy = FQ.double(&FQ.double(&FQ.double(&yyyy)));
    let y = FQ.sub(&FQ.mul(&e, &FQ.sub(&d, &x)), &eight_yyyy);
    let z = FQ.double(&FQ.mul(&a.y, &a.z));
    Jacobian { x, y, z }
}

/// `a + b` ("add-2007-bl", Explicit-Formulas Database: 11M + 5S), with the cases the formula
/// does not cover: an infinite operand, `a = b` (doubling) and `a = −b` (infinity).
fn jacobian_add(a: &Jacobian, b: &Jacobian) -> Jacobian {
    if a.is_infinity() {
        return *b;
    }
    if b.is_infinity() {
        return *a;
    }
    let z1z1 = FQ.square(&a.z);
    let z2z2 = FQ.square(&b.z);
    let u1 = FQ.mul(&a.x, &z2z2);
    let u2 = FQ.mul(&b.x, &z1z1);
    let s1 = FQ.mul(&FQ.mul(&a.y, &b.z), &z2z2);
    let s2 = FQ.mul(&FQ.mul(&b.y, &a.z), &z1z1);
    if u1 == u2 {
        return if s1 == s2 {
            jacobian_double(a)
        } else {
            Jacobian::INFINITY
        };
    }
    let h = FQ.sub(&u2, &u1);
    let i = FQ.square(&FQ.double(&h));
    let j = FQ.mul(&h, &i);
    let r = FQ.double(&FQ.sub(&s2, &s1));
    let v = FQ.mul(&u1, &i);
    let x = FQ.sub(&FQ.sub(&FQ.square(&r), &j), &FQ.double(&v));
    let y = FQ.sub(&FQ.mul(&r, &FQ.sub(&v, &x)), &FQ.double(&FQ.mul(&s1, &j)));
    let z_sum_squared = FQ.square(&FQ.add(&a.z, &b.z));
    let z = FQ.mul(&FQ.sub(&FQ.sub(&z_sum_squared, &z1z1), &z2z2), &h);
    Jacobian { x, y, z }
}

/// The affine form of `a`, `None` for infinity.
fn to_affine(a: &Jacobian) -> Option<Affine> {
    if a.is_infinity() {
        return None;
    }
    let z_inverse = FQ.inverse(&a.z);
    let z_inverse_squared = FQ.square(&z_inverse);
    Some(Affine {
        x: FQ.mul(&a.x, &z_inverse_squared),
        y: FQ.mul(&FQ.mul(&a.y, &z_inverse_squared), &z_inverse),
    })
}

#[cfg(test)]
mod tests;
