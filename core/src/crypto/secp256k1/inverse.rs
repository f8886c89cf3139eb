//! `a⁻¹ mod m` by Bernstein and Yang's divsteps ("Fast constant-time gcd computation and
//! modular inversion", 2019), in their variable-time form: batches of 62 divsteps decided on
//! the low 64 bits of `f` and `g` alone, each batch then applied to the full numbers as one
//! 2×2 matrix (libsecp256k1's `modinv64` works this way). Its time depends on the values,
//! which is fine for signature recovery: every input is public.
//!
//! Numbers are five signed limbs of 62 bits (`Σ xᵢ·2^(62·i)`, limbs 0–3 in `[0, 2⁶²)`, limb 4
//! carrying the sign), enough for `|x| < 2²⁵⁷`.

use crate::primitives::U256;

/// Bits per limb.
const LIMB_BITS: u32 = 62;
/// The low 62 bits.
const LIMB_MASK: i64 = (1 << LIMB_BITS) - 1;
/// Divsteps per batch.
const BATCH: u32 = 62;

/// A signed number in 62-bit limbs.
type Limbs = [i64; 5];

/// The transition of a batch: after it, `2⁶²·f' = u·f + v·g` and `2⁶²·g' = q·f + r·g`.
struct Matrix {
    u: i64,
    v: i64,
    q: i64,
    r: i64,
}

/// `a⁻¹ mod m` for an odd `m < 2²⁵⁶` and `a` in `[1, m)` coprime to it (every such `a` when `m`
/// is prime); zero for `a = 0`.
pub fn invert_vartime(a: &U256, m: &U256) -> U256 {
    if *a == U256::ZERO {
        return U256::ZERO;
    }
    let modulus = to_limbs(m);
    let m_inverse = inverse_mod_2_64(m.as_limbs()[0]);
    // d·a ≡ f and e·a ≡ g (mod m) throughout, with d and e in [0, m); the divsteps keep
    // |f|, |g| ≤ m and end with g = 0 and f = ±gcd(a, m) = ±1.
    let mut f = modulus;
    let mut g = to_limbs(a);
    let mut d: Limbs = [0; 5];
    let mut e: Limbs = [1, 0, 0, 0, 0];
    let mut delta = 1;
    while g != [0; 5] {
        let matrix = divsteps(&mut delta, f[0] as u64, g[0] as u64);
        apply_to_coefficients(&matrix, &mut d, &mut e, &modulus, m_inverse);
        apply_exact(&matrix, &mut f, &mut g);
    }
    if f[4] < 0 {
        // f = −1: a⁻¹ = −d.
        negate_mod(&mut d, &modulus);
    }
    from_limbs(&d)
}

/// `BATCH` divsteps on the low bits of `f` (odd) and `g`: with `δ > 0` and `g` odd,
/// `(δ, f, g) ← (1 − δ, g, (g − f)/2)`; with `g` odd otherwise, `(1 + δ, f, (g + f)/2)`; with
/// `g` even, `(1 + δ, f, g/2)`. A step's choice depends on bit 0 of `g` only, so 64 bits decide
/// 62 steps. A run of even `g` is taken at once.
fn divsteps(delta: &mut i64, mut f: u64, mut g: u64) -> Matrix {
    // 2ⁱ·f_i = u·f + v·g and 2ⁱ·g_i = q·f + r·g after i steps: each entry stays within 2ⁱ.
    let (mut u, mut v, mut q, mut r) = (1i64, 0i64, 0i64, 1i64);
    let mut left = BATCH;
    loop {
        let zeros = (g | (1 << left)).trailing_zeros();
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        *delta += i64::from(zeros);
        left -= zeros;
        if left == 0 {
            return Matrix { u, v, q, r };
        }
        if *delta > 0 {
            *delta = 1 - *delta;
            let (old_f, old_u, old_v) = (f, u, v);
            f = g;
            u = q << 1;
            v = r << 1;
            g = g.wrapping_sub(old_f) >> 1;
            q -= old_u;
            r -= old_v;
        } else {
            *delta += 1;
            g = g.wrapping_add(f) >> 1;
            q += u;
            r += v;
            u <<= 1;
            v <<= 1;
        }
        left -= 1;
    }
}

/// `(f, g) ← ((u·f + v·g)/2⁶², (q·f + r·g)/2⁶²)`, both exact divisions.
fn apply_exact(t: &Matrix, f: &mut Limbs, g: &mut Limbs) {
    let (u, v, q, r) = (
        i128::from(t.u),
        i128::from(t.v),
        i128::from(t.q),
        i128::from(t.r),
    );
    let mut cf = u * i128::from(f[0]) + v * i128::from(g[0]);
    let mut cg = q * i128::from(f[0]) + r * i128::from(g[0]);
    cf >>= LIMB_BITS;
    cg >>= LIMB_BITS;
    for i in 1..5 {
        cf += u * i128::from(f[i]) + v * i128::from(g[i]);
        cg += q * i128::from(f[i]) + r * i128::from(g[i]);
        f[i - 1] = cf as i64 & LIMB_MASK;
        g[i - 1] = cg as i64 & LIMB_MASK;
        cf >>= LIMB_BITS;
        cg >>= LIMB_BITS;
    }
    f[4] = cf as i64;
    g[4] = cg as i64;
}

/// `(d, e) ← ((u·d + v·e)/2⁶², (q·d + r·e)/2⁶²) mod m`: each numerator plus the multiple of `m`
/// that makes it divisible by 2⁶² (`m_inverse` is `m⁻¹ mod 2⁶⁴`). With `d, e` in `[0, m)` and
/// `|u| + |v|, |q| + |r| ≤ 2⁶²`, the quotients lie in `(−m, 2m)`, brought back to `[0, m)`.
fn apply_to_coefficients(t: &Matrix, d: &mut Limbs, e: &mut Limbs, m: &Limbs, m_inverse: u64) {
    let low = |a: i64, b: i64| {
        let numerator = (a as u64)
            .wrapping_mul(d[0] as u64)
            .wrapping_add((b as u64).wrapping_mul(e[0] as u64));
        (numerator.wrapping_mul(m_inverse).wrapping_neg() & LIMB_MASK as u64) as i64
    };
    let (md, me) = (low(t.u, t.v), low(t.q, t.r));
    let (u, v, q, r) = (
        i128::from(t.u),
        i128::from(t.v),
        i128::from(t.q),
        i128::from(t.r),
    );
    let (md, me) = (i128::from(md), i128::from(me));
    let mut cd = u * i128::from(d[0]) + v * i128::from(e[0]) + md * i128::from(m[0]);
    let mut ce = q * i128::from(d[0]) + r * i128::from(e[0]) + me * i128::from(m[0]);
    cd >>= LIMB_BITS;
    ce >>= LIMB_BITS;
    for i in 1..5 {
        cd += u * i128::from(d[i]) + v * i128::from(e[i]) + md * i128::from(m[i]);
        ce += q * i128::from(d[i]) + r * i128::from(e[i]) + me * i128::from(m[i]);
        d[i - 1] = cd as i64 & LIMB_MASK;
        e[i - 1] = ce as i64 & LIMB_MASK;
        cd >>= LIMB_BITS;
        ce >>= LIMB_BITS;
    }
    d[4] = cd as i64;
    e[4] = ce as i64;
    reduce_once(d, m);
    reduce_once(e, m);
}

/// `x` from `(−m, 2m)` into `[0, m)`.
fn reduce_once(x: &mut Limbs, m: &Limbs) {
    if x[4] < 0 {
        add_multiple(x, m, 1);
    } else {
        let mut reduced = *x;
        add_multiple(&mut reduced, m, -1);
        if reduced[4] >= 0 {
            *x = reduced;
        }
    }
}

/// `x ← m − x` for `x` in `[0, m)` (zero stays zero).
fn negate_mod(x: &mut Limbs, m: &Limbs) {
    if *x != [0; 5] {
        for limb in x.iter_mut() {
            *limb = -*limb;
        }
        add_multiple(x, m, 1);
    }
}

/// `x ← x + sign·m` for `sign = ±1`, carrying so that limbs 0–3 are in `[0, 2⁶²)` again.
fn add_multiple(x: &mut Limbs, m: &Limbs, sign: i64) {
    let mut carry = 0i64;
    for i in 0..5 {
        carry += x[i] + sign * m[i];
        if i < 4 {
            x[i] = carry & LIMB_MASK;
            carry >>= LIMB_BITS;
        } else {
            x[i] = carry;
        }
    }
}

/// `m⁻¹ mod 2⁶⁴` for odd `m`: Newton's iteration `x ← x·(2 − m·x)` doubles the correct low
/// bits, from the 3 that `x = m` has (`m² ≡ 1 mod 8`).
fn inverse_mod_2_64(m: u64) -> u64 {
    let mut x = m;
    for _ in 0..5 {
        x = x.wrapping_mul(2u64.wrapping_sub(m.wrapping_mul(x)));
    }
    x
}

/// `x < 2²⁵⁶` in 62-bit limbs.
fn to_limbs(x: &U256) -> Limbs {
    let mut limbs = [0; 5];
    for (i, limb) in limbs.iter_mut().enumerate() {
        *limb = (*x >> (LIMB_BITS as usize * i)).as_limbs()[0] as i64 & LIMB_MASK;
    }
    limbs
}

/// The number in `[0, 2²⁵⁶)` that limbs in range hold.
fn from_limbs(x: &Limbs) -> U256 {
    x.iter().rev().fold(U256::ZERO, |sum, &limb| {
        (sum << LIMB_BITS as usize) | U256::from(limb as u64)
    })
}
