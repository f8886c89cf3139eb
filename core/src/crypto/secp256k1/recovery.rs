//! Public-key recovery over any representation of the base field ([`CurveField`]), the same
//! decisions as `k256`'s `VerifyingKey::recover_from_prehash` with an unreduced `x`: `r` and `s` must lie
//! in `[1, n − 1]`, `R = (r, y)` must be on the curve with `y`'s parity the recovery bit, and
//! `Q = r⁻¹·(s·R − z·G)` (with `z` the prehash modulo `n`) must not be the point at infinity.
//! ZKsync OS recovers the same way (`crypto/src/secp256k1/recover.rs` upstream: decompress,
//! `u1 = −z·r⁻¹`, `u2 = s·r⁻¹`, one double-scalar multiplication, infinity rejected).

use super::curve::SCALARS;
use super::ecmult::double_mul;
use super::field::{Affine, CurveField};
use crate::bigint::word;
use crate::primitives::{B256, U256};

/// The uncompressed public key (`x ‖ y`, big-endian, without the SEC1 tag) that signed
/// `prehash` with `(r, s)` and recovery bit `y_parity`, or `None` for an invalid signature.
pub fn recover_public_key<F: CurveField>(
    prehash: &B256,
    r: &B256,
    s: &B256,
    y_parity: bool,
) -> Option<[u8; 64]> {
    let r = U256::from_be_bytes(r.0);
    let s = U256::from_be_bytes(s.0);
    let n = SCALARS.modulus();
    if word::eq(&r, &U256::ZERO)
        || word::eq(&s, &U256::ZERO)
        || !word::lt(&r, n)
        || !word::lt(&s, n)
    {
        return None;
    }
    // r < n < p, so r is the x coordinate as it is.
    let point = decompress(F::from_u256(&r), y_parity)?;
    // The Montgomery product of a plain number and a Montgomery form is the plain product:
    // with r⁻¹ in Montgomery form, z·r⁻¹ and s·r⁻¹ come out plain (and z, up to 2²⁵⁶ − 1,
    // is reduced on the way).
    let r_inverse = F::invert_scalar(&r);
    let z = U256::from_be_bytes(prehash.0);
    let u1 = SCALARS.neg(&SCALARS.mul(&z, &r_inverse));
    let u2 = SCALARS.mul(&s, &r_inverse);
    let key = double_mul(&u1, &point, &u2).to_affine()?;
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(&key.x.to_u256().to_be_bytes::<32>());
    bytes[32..].copy_from_slice(&key.y.to_u256().to_be_bytes::<32>());
    Some(bytes)
}

/// The curve point with `x` and `y` of parity `y_odd`, if `x³ + 7` is a square.
fn decompress<F: CurveField>(x: F, y_odd: bool) -> Option<Affine<F>> {
    let y = x.square().mul(&x).add(&F::B).sqrt()?;
    // No point has y = 0 (the group's order is odd), so exactly one of ±y is odd.
    let y = if y.is_odd() == y_odd { y } else { y.negate(1) };
    Some(Affine { x, y })
}
