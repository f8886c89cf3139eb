//! Inversion and square roots in secp256k1's base field by one fixed chain of squarings and
//! products, for the limbed fields ([`super::field_5x52`], [`super::field_10x26`]); the guest's
//! Montgomery field takes delegated powers instead.

use super::field::CurveField;

/// `x^(2^k)`.
#[inline(always)]
fn square_times<F: CurveField>(x: &F, k: u32) -> F {
    let mut y = *x;
    for _ in 0..k {
        y = y.square();
    }
    y
}

/// `(x^h, x³)` with `h` = 1²²³ 0 1²² in binary, the head that both `p − 2` and `(p + 1)/4`
/// start with, built from runs of ones (`x^(2^k − 1)` for growing `k`).
fn ones_runs<F: CurveField>(x: &F) -> (F, F) {
    let x2 = x.square().mul(x);
    let x3 = x2.square().mul(x);
    let x6 = square_times(&x3, 3).mul(&x3);
    let x9 = square_times(&x6, 3).mul(&x3);
    let x11 = square_times(&x9, 2).mul(&x2);
    let x22 = square_times(&x11, 11).mul(&x11);
    let x44 = square_times(&x22, 22).mul(&x22);
    let x88 = square_times(&x44, 44).mul(&x44);
    let x176 = square_times(&x88, 88).mul(&x88);
    let x220 = square_times(&x176, 44).mul(&x44);
    let x223 = square_times(&x220, 3).mul(&x3);
    (square_times(&x223, 23).mul(&x22), x2)
}

/// Fermat: `x^(p − 2)`, `p − 2` being 1²²³ 0 1²² 0000 1 0 11 0 1 in binary (zero for zero).
pub(super) fn invert<F: CurveField>(x: &F) -> F {
    let (head, x2) = ones_runs(x);
    let y = square_times(&head, 5).mul(x);
    let y = square_times(&y, 3).mul(&x2);
    square_times(&y, 2).mul(x)
}

/// `x^((p + 1)/4)` (`p ≡ 3 mod 4`), `(p + 1)/4` being 1²²³ 0 1²² 0000 11 00 in binary: a
/// square root of `x` if `x` has one.
pub(super) fn sqrt<F: CurveField>(x: &F) -> Option<F> {
    let (head, x2) = ones_runs(x);
    let root = square_times(&square_times(&head, 6).mul(&x2), 2);
    (root.square().to_u256() == x.to_u256()).then_some(root)
}
