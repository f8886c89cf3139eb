//! Public-key recovery over any representation of the base field ([`CurveField`]), the same
//! decisions as `k256`'s `VerifyingKey::recover_from_prehash` with an unreduced `x`: `r` and `s` must lie
//! in `[1, n − 1]`, `R = (r, y)` must be on the curve with `y`'s parity the recovery bit, and
//! `Q = r⁻¹·(s·R − z·G)` (with `z` the prehash modulo `n`) must not be the point at infinity.
//! ZKsync OS recovers the same way (`crypto/src/secp256k1/recover.rs` upstream: decompress,
//! `u1 = −z·r⁻¹`, `u2 = s·r⁻¹`, one double-scalar multiplication, infinity rejected).

use alloc::vec::Vec;

use super::affine_tables;
use super::curve::SCALARS;
use super::ecmult::{double_mul, double_mul_with_table, PointTable};
use super::field::{Affine, CurveField};
use super::point::Jacobian;
use crate::bigint::word;
use crate::primitives::{B256, U256};

/// One signature to recover: `(prehash, r, s, y_parity)`.
pub type Signed = (B256, B256, B256, bool);

/// The uncompressed public key (`x ‖ y`, big-endian, without the SEC1 tag) that signed
/// `prehash` with `(r, s)` and recovery bit `y_parity`, or `None` for an invalid signature.
pub fn recover_public_key<F: CurveField>(
    prehash: &B256,
    r: &B256,
    s: &B256,
    y_parity: bool,
) -> Option<[u8; 64]> {
    let pending = Pending::<F>::new(&(*prehash, *r, *s, y_parity))?;
    let r_inverse = F::invert_scalar(&pending.r);
    pending.multiply(&r_inverse).to_affine().map(key_bytes)
}

/// Signatures whose tables of `R` are built together ([`affine_tables`]): a few hundred
/// inversions' worth of work shared, their 640 bytes a table kept in the caches.
pub(super) const TABLE_BATCH: usize = 128;

/// What [`recover_public_key`] returns for each of `signatures`, with the inversions of all
/// of them shared (Montgomery's trick): one of the product of the valid signatures' `r` modulo
/// `n`, one of the product of their sums' `Z` modulo `p`, and, per 128 signatures, one for
/// each step of their tables of `R` (built affine on the curve, all steps side by side).
pub fn recover_public_keys<F: CurveField>(signatures: &[Signed]) -> Vec<Option<[u8; 64]>> {
    let pending: Vec<Option<Pending<F>>> = signatures.iter().map(Pending::new).collect();
    let valid: Vec<&Pending<F>> = pending.iter().flatten().collect();
    let r_values: Vec<U256> = valid.iter().map(|p| p.r).collect();
    let r_inverses = invert_scalars::<F>(&r_values);
    let mut sums: Vec<Jacobian<F>> = Vec::with_capacity(valid.len());
    for (batch, r_inverses) in valid
        .chunks(TABLE_BATCH)
        .zip(r_inverses.chunks(TABLE_BATCH))
    {
        let points: Vec<Affine<F>> = batch.iter().map(|p| p.point).collect();
        let tables = affine_tables::odd_multiples(&points);
        sums.extend(
            batch
                .iter()
                .zip(r_inverses)
                .zip(&tables)
                .map(|((p, r_inverse), table)| p.multiply_with_table(r_inverse, table)),
        );
    }
    let mut keys = Jacobian::batch_to_affine(&sums).into_iter();
    pending
        .iter()
        .map(|p| {
            p.as_ref()
                .and_then(|_| keys.next().flatten().map(key_bytes))
        })
        .collect()
}

/// A signature whose scalars are in range and whose `R` is on the curve: what is left is
/// `Q = r⁻¹·(s·R − z·G)`.
struct Pending<F> {
    /// `R`.
    point: Affine<F>,
    /// `r`, in `[1, n − 1]`.
    r: U256,
    /// `s`, in `[1, n − 1]`.
    s: U256,
    /// The prehash as a number.
    z: U256,
}

impl<F: CurveField> Pending<F> {
    /// The checks of recovery before the multiplication; `None` for a signature they reject.
    fn new(&(prehash, r, s, y_parity): &Signed) -> Option<Self> {
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
        Some(Self {
            point,
            r,
            s,
            z: U256::from_be_bytes(prehash.0),
        })
    }

    /// `r⁻¹·(s·R − z·G)` given `r⁻¹` in the Montgomery form of `SCALARS`.
    fn multiply(&self, r_inverse: &U256) -> Jacobian<F> {
        // The Montgomery product of a plain number and a Montgomery form is the plain product:
        // with r⁻¹ in Montgomery form, z·r⁻¹ and s·r⁻¹ come out plain (and z, up to 2²⁵⁶ − 1,
        // is reduced on the way).
        let u1 = SCALARS.neg(&SCALARS.mul(&self.z, r_inverse));
        let u2 = SCALARS.mul(&self.s, r_inverse);
        double_mul(&u1, &self.point, &u2)
    }

    /// [`Self::multiply`] given `R`'s table, affine on the curve.
    fn multiply_with_table(&self, r_inverse: &U256, table: &PointTable<F>) -> Jacobian<F> {
        let u1 = SCALARS.neg(&SCALARS.mul(&self.z, r_inverse));
        let u2 = SCALARS.mul(&self.s, r_inverse);
        double_mul_with_table(&u1, table, &u2)
    }
}

/// The Montgomery forms of `values⁻¹ mod n` (each value in `[1, n − 1]`) with one inversion:
/// prefix products, the inverse of the whole product, and two multiplications back per value.
fn invert_scalars<F: CurveField>(values: &[U256]) -> Vec<U256> {
    let forms: Vec<U256> = values.iter().map(|v| SCALARS.to_montgomery(v)).collect();
    let mut prefix = Vec::with_capacity(forms.len());
    let mut product = SCALARS.one();
    for form in &forms {
        prefix.push(product);
        SCALARS.mul_assign(&mut product, form);
    }
    // n is prime and no value is zero modulo n, so the product is invertible.
    let mut inverse = F::invert_scalar(&SCALARS.from_montgomery(&product));
    let mut inverses = Vec::with_capacity(forms.len());
    for (form, before) in forms.iter().zip(&prefix).rev() {
        inverses.push(SCALARS.mul(&inverse, before));
        SCALARS.mul_assign(&mut inverse, form);
    }
    inverses.reverse();
    inverses
}

/// `x ‖ y`, big-endian.
fn key_bytes<F: CurveField>(key: Affine<F>) -> [u8; 64] {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(&key.x.to_u256().to_be_bytes::<32>());
    bytes[32..].copy_from_slice(&key.y.to_u256().to_be_bytes::<32>());
    bytes
}

/// The curve point with `x` and `y` of parity `y_odd`, if `x³ + 7` is a square.
fn decompress<F: CurveField>(x: F, y_odd: bool) -> Option<Affine<F>> {
    let y = x.square().mul(&x).add(&F::B).sqrt()?;
    // No point has y = 0 (the group's order is odd), so exactly one of ±y is odd.
    let y = if y.is_odd() == y_odd { y } else { y.negate(1) };
    Some(Affine { x, y })
}
