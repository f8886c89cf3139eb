//! The arithmetic of the alt_bn128 (BN254) precompiles (EIP-196, EIP-197): decode, operate,
//! encode. Gas, native and padding are the precompiles' (`precompiles::bn254`). The riscv32
//! guest with the bigint delegation runs G1 addition and multiplication in [`super::bn254_g1`]
//! instead (same results; its tests compare the two).
//!
//! Encoding: a field element is a 32-byte big-endian number below the field modulus; a G1 point
//! is `x ‖ y`, a G2 point is `x_imag ‖ x_real ‖ y_imag ‖ y_real`; all zeros is the point at
//! infinity.

use super::sizes::BN254_PAIR_LEN;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
use super::sizes::{BN254_ADD_INPUT_LEN, BN254_MUL_INPUT_LEN};
use alloc::vec::Vec;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
use ark_bn254::Fq;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
use ark_bn254::G1Projective;
use ark_ec::bn::{Bn, BnConfig, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::AffineRepr;
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
use ark_ec::CurveGroup;
use ark_ff::{BigInt, Fp2, PrimeField, Zero};

/// `p1 + p2` of `p1 ‖ p2` (128 bytes).
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
pub(super) fn add(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != BN254_ADD_INPUT_LEN {
        return None;
    }
    let (a, b) = input.split_at(64);
    let a = decode_g1::<ark_bn254::Config>(a)?;
    let b = decode_g1::<ark_bn254::Config>(b)?;
    Some(encode_g1(&(a.into_group() + b).into_affine()))
}

/// `k * p` of `p ‖ k` (96 bytes), `k` any 256-bit number.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
pub(super) fn mul(input: &[u8]) -> Option<Vec<u8>> {
    if input.len() != BN254_MUL_INPUT_LEN {
        return None;
    }
    let (point, scalar) = input.split_at(64);
    let point = decode_g1::<ark_bn254::Config>(point)?;
    let product: G1Projective = point.mul_bigint(be_limbs(scalar));
    Some(encode_g1(&product.into_affine()))
}

/// The 32-byte word 1 if the product of the pairings of `k` pairs `g1 ‖ g2` (192 bytes each)
/// is the identity, else 0. `P` is `ark_bn254::Config`, or on the guest the same curve over the
/// delegated base field (`super::bn254_delegated::Config`).
pub(super) fn pairing<P: BnConfig>(input: &[u8]) -> Option<Vec<u8>>
where
    P::Fp: PrimeField<BigInt = BigInt<4>>,
{
    if !input.len().is_multiple_of(BN254_PAIR_LEN) {
        return None;
    }
    let mut g1s = Vec::new();
    let mut g2s = Vec::new();
    for pair in input.chunks_exact(BN254_PAIR_LEN) {
        let (g1, g2) = pair.split_at(64);
        g1s.push(decode_g1::<P>(g1)?);
        g2s.push(decode_g2::<P>(g2)?);
    }
    let holds = Bn::<P>::multi_pairing(g1s, g2s).is_zero();
    let mut output = alloc::vec![0u8; 32];
    output[31] = u8::from(holds);
    Some(output)
}

/// The four little-endian 64-bit limbs of a 32-byte big-endian number.
fn be_limbs(bytes: &[u8]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    limbs
}

/// A base-field element from 32 big-endian bytes; `None` if not below the modulus.
fn decode_fq<F: PrimeField<BigInt = BigInt<4>>>(bytes: &[u8]) -> Option<F> {
    F::from_bigint(BigInt::new(be_limbs(bytes)))
}

/// A G1 point from 64 bytes; `None` if a coordinate is out of range or the point is off the
/// curve (G1 has cofactor 1, so every curve point is in the group).
fn decode_g1<P: BnConfig>(bytes: &[u8]) -> Option<G1Affine<P>>
where
    P::Fp: PrimeField<BigInt = BigInt<4>>,
{
    let (x, y) = bytes.split_at(32);
    let x: P::Fp = decode_fq(x)?;
    let y: P::Fp = decode_fq(y)?;
    if x.is_zero() && y.is_zero() {
        return Some(G1Affine::<P>::zero());
    }
    let point = G1Affine::<P>::new_unchecked(x, y);
    point.is_on_curve().then_some(point)
}

/// A G2 point from 128 bytes; `None` if a coordinate is out of range or the point is off the
/// curve or outside the prime-order subgroup.
fn decode_g2<P: BnConfig>(bytes: &[u8]) -> Option<G2Affine<P>>
where
    P::Fp: PrimeField<BigInt = BigInt<4>>,
{
    let (x, y) = bytes.split_at(64);
    let (x_imag, x_real) = x.split_at(32);
    let (y_imag, y_real) = y.split_at(32);
    let x = Fp2::new(decode_fq(x_real)?, decode_fq(x_imag)?);
    let y = Fp2::new(decode_fq(y_real)?, decode_fq(y_imag)?);
    if x.is_zero() && y.is_zero() {
        return Some(G2Affine::<P>::zero());
    }
    let point = G2Affine::<P>::new_unchecked(x, y);
    (point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve()).then_some(point)
}

/// 64-byte encoding of a G1 point (all zeros for infinity).
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
fn encode_g1(point: &G1Affine<ark_bn254::Config>) -> Vec<u8> {
    let mut out = alloc::vec![0u8; 64];
    if let Some((x, y)) = point.xy() {
        write_fq(&mut out[..32], x);
        write_fq(&mut out[32..], y);
    }
    out
}

/// Writes `value` as 32 big-endian bytes.
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
fn write_fq(out: &mut [u8], value: Fq) {
    let limbs = value.into_bigint().0;
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
}
