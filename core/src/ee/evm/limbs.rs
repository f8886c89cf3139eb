//! Word operations of the hot opcodes written out over the four 64-bit limbs.
//!
//! `ruint`'s own versions (`&=`, `is_zero`, `u64::try_from`, …) are loops over the limbs.
//! The wasm build compiles the engine at opt-level `"s"`, where rustc turns LLVM's loop
//! unrolling off, so they stay four-iteration loops there, and V8 puts an interrupt check in
//! every wasm loop header: each iteration paid one. Written out, they are straight-line code on
//! every target (what opt-level 3 makes of the loops natively).

use crate::primitives::U256;

/// Whether `x` is zero.
#[inline(always)]
pub(super) fn is_zero(x: &U256) -> bool {
    let [l0, l1, l2, l3] = *x.as_limbs();
    l0 | l1 | l2 | l3 == 0
}

/// `x` as a `u64`, if it fits.
#[inline(always)]
pub(super) fn to_u64(x: &U256) -> Option<u64> {
    let [l0, l1, l2, l3] = *x.as_limbs();
    (l1 | l2 | l3 == 0).then_some(l0)
}

/// `x` as a `usize`, if it fits.
#[inline(always)]
pub(super) fn to_usize(x: &U256) -> Option<usize> {
    to_u64(x).and_then(|v| usize::try_from(v).ok())
}

/// The word `0` or `1`.
#[inline(always)]
pub(super) fn from_bool(value: bool) -> U256 {
    U256::from_limbs([u64::from(value), 0, 0, 0])
}

/// `x ← x & y`.
#[inline(always)]
pub(super) fn and(y: &U256, x: &mut U256) {
    let (a, b) = (x.as_limbs(), y.as_limbs());
    *x = U256::from_limbs([a[0] & b[0], a[1] & b[1], a[2] & b[2], a[3] & b[3]]);
}

/// `x ← x | y`.
#[inline(always)]
pub(super) fn or(y: &U256, x: &mut U256) {
    let (a, b) = (x.as_limbs(), y.as_limbs());
    *x = U256::from_limbs([a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]]);
}

/// `x ← x ^ y`.
#[inline(always)]
pub(super) fn xor(y: &U256, x: &mut U256) {
    let (a, b) = (x.as_limbs(), y.as_limbs());
    *x = U256::from_limbs([a[0] ^ b[0], a[1] ^ b[1], a[2] ^ b[2], a[3] ^ b[3]]);
}

/// `!x`.
#[inline(always)]
pub(super) fn not(x: &U256) -> U256 {
    let [l0, l1, l2, l3] = *x.as_limbs();
    U256::from_limbs([!l0, !l1, !l2, !l3])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words whose limbs are zero, one, small or all ones in every combination.
    fn samples() -> impl Iterator<Item = U256> {
        let values = [0u64, 1, 0x8000_0000_0000_0001, u64::MAX];
        (0..256usize)
            .map(move |i| U256::from_limbs([0, 2, 4, 6].map(|shift| values[(i >> shift) & 3])))
    }

    #[test]
    fn agree_with_ruint() {
        for x in samples() {
            assert_eq!(is_zero(&x), x.is_zero());
            assert_eq!(to_u64(&x), u64::try_from(x).ok());
            assert_eq!(to_usize(&x), usize::try_from(x).ok());
            assert_eq!(not(&x), !x);
            for y in samples() {
                let (mut a, mut o, mut e) = (x, x, x);
                and(&y, &mut a);
                or(&y, &mut o);
                xor(&y, &mut e);
                assert_eq!((a, o, e), (x & y, x | y, x ^ y));
            }
        }
        assert_eq!(from_bool(true), U256::from(1));
        assert_eq!(from_bool(false), U256::ZERO);
    }
}
