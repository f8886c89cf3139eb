//! `a⁻¹ mod m` by the binary extended Euclidean algorithm, on four 64-bit limbs: a few
//! thousand additions and shifts in place of a 256-bit exponentiation. Its time depends on
//! the values, which is fine for signature recovery: every input is public.

use crate::primitives::U256;

/// Four little-endian 64-bit limbs.
type Limbs = [u64; 4];

/// `a⁻¹ mod m` for an odd `m` and `a` in `[1, m)` coprime to it (every such `a` when `m` is
/// prime); zero for `a = 0`.
pub fn invert_vartime(a: &U256, m: &U256) -> U256 {
    let m = *m.as_limbs();
    let mut u = *a.as_limbs();
    if u == [0; 4] {
        return U256::ZERO;
    }
    let mut v = m;
    // x1·a ≡ u and x2·a ≡ v (mod m) throughout; gcd(u, v) = gcd(a, m) = 1.
    let mut x1: Limbs = [1, 0, 0, 0];
    let mut x2: Limbs = [0; 4];
    loop {
        while u[0] & 1 == 0 {
            halve(&mut u);
            halve_mod(&mut x1, &m);
        }
        while v[0] & 1 == 0 {
            halve(&mut v);
            halve_mod(&mut x2, &m);
        }
        // Both odd: equal only when both are the gcd, 1.
        if u == [1, 0, 0, 0] {
            return U256::from_limbs(x1);
        }
        if v == [1, 0, 0, 0] {
            return U256::from_limbs(x2);
        }
        if at_least(&u, &v) {
            sub(&mut u, &v);
            sub_mod(&mut x1, &x2, &m);
        } else {
            sub(&mut v, &u);
            sub_mod(&mut x2, &x1, &m);
        }
    }
}

/// `x ← x / 2` (even `x`).
#[inline(always)]
fn halve(x: &mut Limbs) {
    x[0] = (x[0] >> 1) | (x[1] << 63);
    x[1] = (x[1] >> 1) | (x[2] << 63);
    x[2] = (x[2] >> 1) | (x[3] << 63);
    x[3] >>= 1;
}

/// `x ← x / 2 mod m` for `x < m`: `(x + m) / 2` when `x` is odd, with the sum's 257th bit.
#[inline(always)]
fn halve_mod(x: &mut Limbs, m: &Limbs) {
    if x[0] & 1 == 0 {
        halve(x);
        return;
    }
    let carry = add(x, m);
    halve(x);
    x[3] |= u64::from(carry) << 63;
}

/// `x ← x − y mod m` for `x, y < m`.
#[inline(always)]
fn sub_mod(x: &mut Limbs, y: &Limbs, m: &Limbs) {
    if sub(x, y) {
        add(x, m);
    }
}

/// `x ← x + y mod 2²⁵⁶`; whether it carried out.
#[inline(always)]
fn add(x: &mut Limbs, y: &Limbs) -> bool {
    let mut carry = false;
    for (a, b) in x.iter_mut().zip(y) {
        let (sum, c1) = a.overflowing_add(*b);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        *a = sum;
        carry = c1 | c2;
    }
    carry
}

/// `x ← x − y mod 2²⁵⁶`; whether it borrowed.
#[inline(always)]
fn sub(x: &mut Limbs, y: &Limbs) -> bool {
    let mut borrow = false;
    for (a, b) in x.iter_mut().zip(y) {
        let (difference, b1) = a.overflowing_sub(*b);
        let (difference, b2) = difference.overflowing_sub(u64::from(borrow));
        *a = difference;
        borrow = b1 | b2;
    }
    borrow
}

/// `x ≥ y`.
#[inline(always)]
fn at_least(x: &Limbs, y: &Limbs) -> bool {
    for (a, b) in x.iter().rev().zip(y.iter().rev()) {
        if a != b {
            return a > b;
        }
    }
    true
}
