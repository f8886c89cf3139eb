//! arkworks' bn254 pairing over a base field whose arithmetic is [`MontgomeryField`]'s (the
//! guest's bigint delegation): the same curve as `ark_bn254`, re-instantiated with a field
//! config that overrides ark-ff's `MontConfig` operations. Both fields hold an element as its
//! Montgomery form with `R = 2²⁵⁶` in four 64-bit limbs, so every constant here is
//! `ark_bn254`'s own, re-typed bit for bit ([`fq`], [`fq2`]), and the results are identical
//! (the tests compare the two). ZKsync OS runs its bn254 pairing the same way: arkworks over a
//! field config whose operations are its 256-bit delegation (`crypto/src/bn254/fields/fq.rs`).

use super::bn254_g1::FQ;
use crate::primitives::U256;
use ark_bn254::Fr;
use ark_ec::bn::{BnConfig, TwistType};
use ark_ec::models::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::models::CurveConfig;
use ark_ff::fields::{
    Fp, Fp12Config, Fp2, Fp256, Fp2Config, Fp6, Fp6Config, MontBackend, MontConfig,
};
use ark_ff::{AdditiveGroup, BigInt, Field, Zero};

/// The base field with delegated arithmetic.
pub type Fq = Fp256<MontBackend<FqConfig, 4>>;
/// Its quadratic extension.
pub type Fq2 = Fp2<Fq2Config>;
/// The sextic extension.
pub type Fq6 = Fp6<Fq6Config>;

/// `ark_bn254`'s `x` as an element of [`Fq`] (the same Montgomery limbs).
const fn fq(x: ark_bn254::Fq) -> Fq {
    Fp::new_unchecked(x.0)
}

/// `ark_bn254`'s `x` as an element of [`Fq2`].
const fn fq2(x: ark_bn254::Fq2) -> Fq2 {
    Fq2::new(fq(x.c0), fq(x.c1))
}

/// The limbs of `x` as a word (Montgomery form).
fn word(x: &Fq) -> U256 {
    U256::from_limbs(x.0 .0)
}

/// The element whose Montgomery form is `x`.
fn element(x: U256) -> Fq {
    Fp::new_unchecked(BigInt(x.into_limbs()))
}

/// The base field's config: `ark_bn254`'s constants, [`FQ`]'s operations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FqConfig;

impl MontConfig<4> for FqConfig {
    const MODULUS: BigInt<4> = <ark_bn254::FqConfig as MontConfig<4>>::MODULUS;
    const GENERATOR: Fq = fq(<ark_bn254::FqConfig as MontConfig<4>>::GENERATOR);
    const TWO_ADIC_ROOT_OF_UNITY: Fq =
        fq(<ark_bn254::FqConfig as MontConfig<4>>::TWO_ADIC_ROOT_OF_UNITY);

    fn add_assign(a: &mut Fq, b: &Fq) {
        *a = element(FQ.add(&word(a), &word(b)));
    }

    fn sub_assign(a: &mut Fq, b: &Fq) {
        *a = element(FQ.sub(&word(a), &word(b)));
    }

    fn double_in_place(a: &mut Fq) {
        *a = element(FQ.double(&word(a)));
    }

    fn neg_in_place(a: &mut Fq) {
        *a = element(FQ.neg(&word(a)));
    }

    fn mul_assign(a: &mut Fq, b: &Fq) {
        *a = element(FQ.mul(&word(a), &word(b)));
    }

    fn square_in_place(a: &mut Fq) {
        *a = element(FQ.square(&word(a)));
    }

    fn inverse(a: &Fq) -> Option<Fq> {
        (!a.is_zero()).then(|| element(FQ.inverse(&word(a))))
    }

    fn sum_of_products<const M: usize>(a: &[Fq; M], b: &[Fq; M]) -> Fq {
        let mut sum = U256::ZERO;
        for (a, b) in a.iter().zip(b) {
            sum = FQ.add(&sum, &FQ.mul(&word(a), &word(b)));
        }
        element(sum)
    }
}

/// `F_p²` = `F_p[u] / (u² + 1)`, as `ark_bn254`'s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fq2Config;

impl Fp2Config for Fq2Config {
    type Fp = Fq;
    const NONRESIDUE: Fq = fq(ark_bn254::Fq2Config::NONRESIDUE);
    const FROBENIUS_COEFF_FP2_C1: &'static [Fq] = &[
        fq(ark_bn254::Fq2Config::FROBENIUS_COEFF_FP2_C1[0]),
        fq(ark_bn254::Fq2Config::FROBENIUS_COEFF_FP2_C1[1]),
    ];

    fn mul_fp_by_nonresidue_in_place(fe: &mut Fq) -> &mut Fq {
        fe.neg_in_place()
    }
}

/// `F_p⁶` = `F_p²[v] / (v³ − ξ)`, as `ark_bn254`'s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fq6Config;

impl Fp6Config for Fq6Config {
    type Fp2Config = Fq2Config;
    const NONRESIDUE: Fq2 = fq2(ark_bn254::Fq6Config::NONRESIDUE);
    const FROBENIUS_COEFF_FP6_C1: &'static [Fq2] =
        &fq2_array::<{ ark_bn254::Fq6Config::FROBENIUS_COEFF_FP6_C1.len() }>(
            ark_bn254::Fq6Config::FROBENIUS_COEFF_FP6_C1,
        );
    const FROBENIUS_COEFF_FP6_C2: &'static [Fq2] =
        &fq2_array::<{ ark_bn254::Fq6Config::FROBENIUS_COEFF_FP6_C2.len() }>(
            ark_bn254::Fq6Config::FROBENIUS_COEFF_FP6_C2,
        );
}

/// `F_p¹²` = `F_p⁶[w] / (w² − v)`, as `ark_bn254`'s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fq12Config;

impl Fp12Config for Fq12Config {
    type Fp6Config = Fq6Config;
    const NONRESIDUE: Fq6 = Fq6::new(Fq2::ZERO, Fq2::ONE, Fq2::ZERO);
    const FROBENIUS_COEFF_FP12_C1: &'static [Fq2] =
        &fq2_array::<{ ark_bn254::Fq12Config::FROBENIUS_COEFF_FP12_C1.len() }>(
            ark_bn254::Fq12Config::FROBENIUS_COEFF_FP12_C1,
        );
}

/// `ark_bn254`'s `values` (`N` of them), re-typed.
const fn fq2_array<const N: usize>(values: &[ark_bn254::Fq2]) -> [Fq2; N] {
    let mut out = [Fq2::ZERO; N];
    let mut i = 0;
    while i < N {
        out[i] = fq2(values[i]);
        i += 1;
    }
    out
}

/// G1: `y² = x³ + 3` over [`Fq`], as `ark_bn254`'s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct G1Config;

impl CurveConfig for G1Config {
    type BaseField = Fq;
    type ScalarField = Fr;
    const COFACTOR: &'static [u64] = <ark_bn254::g1::Config as CurveConfig>::COFACTOR;
    const COFACTOR_INV: Fr = <ark_bn254::g1::Config as CurveConfig>::COFACTOR_INV;
}

impl SWCurveConfig for G1Config {
    const COEFF_A: Fq = Fq::ZERO;
    const COEFF_B: Fq = fq(<ark_bn254::g1::Config as SWCurveConfig>::COEFF_B);
    const GENERATOR: Affine<Self> = Affine::new_unchecked(
        fq(<ark_bn254::g1::Config as SWCurveConfig>::GENERATOR.x),
        fq(<ark_bn254::g1::Config as SWCurveConfig>::GENERATOR.y),
    );
    type ZeroFlag = ();

    fn mul_by_a(_: Fq) -> Fq {
        Fq::ZERO
    }

    fn is_in_correct_subgroup_assuming_on_curve(_: &Affine<Self>) -> bool {
        // Prime order: every point on the curve is in the group.
        true
    }
}

/// G2: the sextic twist over [`Fq2`], as `ark_bn254`'s (subgroup check by the group order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct G2Config;

impl CurveConfig for G2Config {
    type BaseField = Fq2;
    type ScalarField = Fr;
    const COFACTOR: &'static [u64] = <ark_bn254::g2::Config as CurveConfig>::COFACTOR;
    const COFACTOR_INV: Fr = <ark_bn254::g2::Config as CurveConfig>::COFACTOR_INV;
}

impl SWCurveConfig for G2Config {
    const COEFF_A: Fq2 = Fq2::ZERO;
    const COEFF_B: Fq2 = fq2(<ark_bn254::g2::Config as SWCurveConfig>::COEFF_B);
    const GENERATOR: Affine<Self> = Affine::new_unchecked(
        fq2(<ark_bn254::g2::Config as SWCurveConfig>::GENERATOR.x),
        fq2(<ark_bn254::g2::Config as SWCurveConfig>::GENERATOR.y),
    );
    type ZeroFlag = ();

    fn mul_by_a(_: Fq2) -> Fq2 {
        Fq2::ZERO
    }
}

/// The pairing: `ark_bn254::Config`'s loop count, `x` and twist, over the fields above.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Config;

impl BnConfig for Config {
    const X: &'static [u64] = <ark_bn254::Config as BnConfig>::X;
    const X_IS_NEGATIVE: bool = <ark_bn254::Config as BnConfig>::X_IS_NEGATIVE;
    const ATE_LOOP_COUNT: &'static [i8] = <ark_bn254::Config as BnConfig>::ATE_LOOP_COUNT;
    const TWIST_TYPE: TwistType = <ark_bn254::Config as BnConfig>::TWIST_TYPE;
    const TWIST_MUL_BY_Q_X: Fq2 = fq2(<ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_X);
    const TWIST_MUL_BY_Q_Y: Fq2 = fq2(<ark_bn254::Config as BnConfig>::TWIST_MUL_BY_Q_Y);
    type Fp = Fq;
    type Fp2Config = Fq2Config;
    type Fp6Config = Fq6Config;
    type Fp12Config = Fq12Config;
    type G1Config = G1Config;
    type G2Config = G2Config;
}

#[cfg(test)]
mod tests;
