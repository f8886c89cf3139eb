//! Inversion and square roots in secp256k1's base field by one fixed chain of squarings and
//! products (255 squarings and 15 products for an inverse, where a 4-bit window power takes
//! about 252 and 77), for every representation of the field.

use super::field::CurveField;

/// `x^(2^k)·m`, squaring in place.
#[inline(always)]
fn square_times_mul<F: CurveField>(x: &F, k: u32, m: &F) -> F {
    let mut y = *x;
    for _ in 0..k {
        y.square_assign();
    }
    y.mul_assign(m);
    y
}

/// `(x^h, x³)` with `h` = 1²²³ 0 1²² in binary, the head that both `p − 2` and `(p + 1)/4`
/// start with, built from runs of ones (`x^(2^k − 1)` for growing `k`).
fn ones_runs<F: CurveField>(x: &F) -> (F, F) {
    let x2 = square_times_mul(x, 1, x);
    let x3 = square_times_mul(&x2, 1, x);
    let x6 = square_times_mul(&x3, 3, &x3);
    let x9 = square_times_mul(&x6, 3, &x3);
    let x11 = square_times_mul(&x9, 2, &x2);
    let x22 = square_times_mul(&x11, 11, &x11);
    let x44 = square_times_mul(&x22, 22, &x22);
    let x88 = square_times_mul(&x44, 44, &x44);
    let x176 = square_times_mul(&x88, 88, &x88);
    let x220 = square_times_mul(&x176, 44, &x44);
    let x223 = square_times_mul(&x220, 3, &x3);
    (square_times_mul(&x223, 23, &x22), x2)
}

/// Fermat: `x^(p − 2)`, `p − 2` being 1²²³ 0 1²² 0000 1 0 11 0 1 in binary (zero for zero).
pub(super) fn invert<F: CurveField>(x: &F) -> F {
    let (head, x2) = ones_runs(x);
    let y = square_times_mul(&head, 5, x);
    let y = square_times_mul(&y, 3, &x2);
    square_times_mul(&y, 2, x)
}

/// `x^((p + 1)/4)` (`p ≡ 3 mod 4`), `(p + 1)/4` being 1²²³ 0 1²² 0000 11 00 in binary: a
/// square root of `x` if `x` has one.
pub(super) fn sqrt<F: CurveField>(x: &F) -> Option<F> {
    let (head, x2) = ones_runs(x);
    let mut root = square_times_mul(&head, 6, &x2);
    root.square_assign();
    root.square_assign();
    let mut check = root;
    check.square_assign();
    (check.to_u256() == x.to_u256()).then_some(root)
}
