//! `SHL`, `SHR`, `BYTE` and `SIGNEXTEND` on the eight 32-bit words of a word: a variable shift
//! of 64-bit limbs is a branchy multi-instruction sequence on riscv32, a 32-bit one is a single
//! instruction.

use crate::primitives::U256;

/// The eight 32-bit words of `x`, least significant first.
#[inline(always)]
fn words(x: &U256) -> [u32; 8] {
    let mut out = [0u32; 8];
    for (pair, limb) in out.chunks_exact_mut(2).zip(x.as_limbs()) {
        pair[0] = *limb as u32;
        pair[1] = (*limb >> 32) as u32;
    }
    out
}

/// The word made of eight 32-bit words, least significant first.
#[inline(always)]
fn from_words(words: &[u32; 8]) -> U256 {
    let limb = |i: usize| u64::from(words[2 * i]) | u64::from(words[2 * i + 1]) << 32;
    U256::from_limbs([limb(0), limb(1), limb(2), limb(3)])
}

/// `value` as a bit count below 256, if it is one.
#[inline(always)]
fn below_256(value: &U256) -> Option<usize> {
    let limbs = value.as_limbs();
    (limbs[0] < 256 && limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0).then_some(limbs[0] as usize)
}

/// `SHL`: `x << shift` (zero for shifts of 256 and more). Shifts the bits within the words,
/// then whole words in three fixed steps (4, 2, 1), so every index is a constant and the words
/// stay in registers.
#[cfg_attr(target_arch = "riscv32", inline(always))]
pub fn shl(shift: U256, x: U256) -> U256 {
    let Some(shift) = below_256(&shift) else {
        return U256::ZERO;
    };
    let bits = (shift % 32) as u32;
    let w = words(&x);
    let mut out = [0u32; 8];
    out[0] = w[0] << bits;
    for i in 1..8 {
        // `w[i - 1] >> 1 >> (31 - bits)` is `w[i - 1] >> (32 - bits)`, and 0 for `bits == 0`.
        out[i] = w[i] << bits | w[i - 1] >> 1 >> (31 - bits);
    }
    let skip = shift / 32;
    if skip & 4 != 0 {
        out = [0, 0, 0, 0, out[0], out[1], out[2], out[3]];
    }
    if skip & 2 != 0 {
        out = [0, 0, out[0], out[1], out[2], out[3], out[4], out[5]];
    }
    if skip & 1 != 0 {
        out = [0, out[0], out[1], out[2], out[3], out[4], out[5], out[6]];
    }
    from_words(&out)
}

/// `SHR`: `x >> shift` (zero for shifts of 256 and more), in the steps of [`shl`].
#[cfg_attr(target_arch = "riscv32", inline(always))]
pub fn shr(shift: U256, x: U256) -> U256 {
    let Some(shift) = below_256(&shift) else {
        return U256::ZERO;
    };
    let bits = (shift % 32) as u32;
    let w = words(&x);
    let mut out = [0u32; 8];
    out[7] = w[7] >> bits;
    for i in 0..7 {
        out[i] = w[i] >> bits | w[i + 1] << 1 << (31 - bits);
    }
    let skip = shift / 32;
    if skip & 4 != 0 {
        out = [out[4], out[5], out[6], out[7], 0, 0, 0, 0];
    }
    if skip & 2 != 0 {
        out = [out[2], out[3], out[4], out[5], out[6], out[7], 0, 0];
    }
    if skip & 1 != 0 {
        out = [out[1], out[2], out[3], out[4], out[5], out[6], out[7], 0];
    }
    from_words(&out)
}

/// `BYTE` in place: `x` becomes its byte `i`, counting from the most significant (zero for
/// `i` ≥ 32). Reads only the 32-bit word that holds the byte.
#[cfg_attr(target_arch = "riscv32", inline(always))]
pub fn byte(i: &U256, x: &mut U256) {
    *x = match below_256(i) {
        Some(i) if i < 32 => {
            let from_low = 31 - i;
            let limb = x.as_limbs()[from_low / 8];
            let word = if from_low % 8 >= 4 {
                (limb >> 32) as u32
            } else {
                limb as u32
            };
            U256::from_limbs([u64::from(word >> (8 * (from_low % 4)) & 0xff), 0, 0, 0])
        }
        _ => U256::ZERO,
    };
}

/// `SIGNEXTEND` in place: extends the sign of byte `b` (0 = least significant) of `x`; `x`
/// unchanged for `b` ≥ 31. Dispatches on the 32-bit word that holds the sign, so every word
/// index below is a constant and the words stay in registers.
#[cfg_attr(target_arch = "riscv32", inline(always))]
pub fn signextend(b: &U256, x: &mut U256) {
    let [byte, high1, high2, high3] = *b.as_limbs();
    if byte >= 31 || high1 | high2 | high3 != 0 {
        return;
    }
    let sign_bit = (8 * (byte % 4) + 7) as u32;
    match byte / 4 {
        0 => extend_from::<0>(x, sign_bit),
        1 => extend_from::<1>(x, sign_bit),
        2 => extend_from::<2>(x, sign_bit),
        3 => extend_from::<3>(x, sign_bit),
        4 => extend_from::<4>(x, sign_bit),
        5 => extend_from::<5>(x, sign_bit),
        6 => extend_from::<6>(x, sign_bit),
        _ => extend_from::<7>(x, sign_bit),
    }
}

/// `x` with bit `sign_bit` of its 32-bit word `I` copied into every bit above it. Each arm of
/// [`signextend`] writes `x` itself, so the words below `I`, stored back unchanged, can be left
/// out.
#[inline(always)]
fn extend_from<const I: usize>(x: &mut U256, sign_bit: u32) {
    let w = words(x);
    let fill = 0u32.wrapping_sub(w[I] >> sign_bit & 1);
    // The bits above the sign bit in its word (none when it is the word's top bit).
    let above = u32::MAX << 1 << sign_bit;
    let mut out = w;
    out[I] = w[I] & !above | fill & above;
    for word in &mut out[I + 1..] {
        *word = fill;
    }
    *x = from_words(&out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn byte_of(i: U256, mut x: U256) -> U256 {
        byte(&i, &mut x);
        x
    }

    fn extended(b: U256, mut x: U256) -> U256 {
        signextend(&b, &mut x);
        x
    }

    /// Words with every 32-bit word distinct and both halves of each limb non-zero.
    fn samples() -> [U256; 4] {
        [
            U256::from_limbs([
                0x0123_4567_89ab_cdef,
                0xfedc_ba98_7654_3210,
                0x8000_0001_7fff_fffe,
                0xa5a5_5a5a_c3c3_3c3c,
            ]),
            U256::from(0x80u64),
            U256::MAX,
            U256::from(1u64) << 255,
        ]
    }

    #[test]
    fn shifts_match_ruint() {
        for x in samples() {
            for shift in 0..300usize {
                let s = U256::from(shift);
                let (want_shl, want_shr) = if shift < 256 {
                    (x << shift, x >> shift)
                } else {
                    (U256::ZERO, U256::ZERO)
                };
                assert_eq!(shl(s, x), want_shl, "shl {shift}");
                assert_eq!(shr(s, x), want_shr, "shr {shift}");
            }
            let huge = U256::from(1u64) << 64;
            assert_eq!(shl(huge, x), U256::ZERO);
            assert_eq!(shr(huge + U256::from(1u64), x), U256::ZERO);
        }
        assert_eq!(shl(U256::from(256), U256::from(1)), U256::ZERO);
        assert_eq!(shr(U256::from(1), U256::from(4)), U256::from(2));
    }

    #[test]
    fn byte_matches_ruint() {
        for x in samples() {
            for i in 0..40usize {
                let want = if i < 32 {
                    U256::from(x.byte(31 - i))
                } else {
                    U256::ZERO
                };
                assert_eq!(byte_of(U256::from(i), x), want, "byte {i}");
            }
            assert_eq!(byte_of(U256::from(1u64) << 64, x), U256::ZERO);
        }
        assert_eq!(byte_of(U256::from(31), U256::from(0xab)), U256::from(0xab));
    }

    #[test]
    fn signextend_matches_the_definition() {
        for x in samples() {
            for b in 0..40usize {
                // Definition: bit 8b + 7 is the sign; every higher bit becomes a copy of it.
                let want = if b < 31 {
                    let bit = 8 * b + 7;
                    let low = (U256::from(1u64) << (bit + 1)) - U256::from(1u64);
                    if x.bit(bit) {
                        x | !low
                    } else {
                        x & low
                    }
                } else {
                    x
                };
                assert_eq!(extended(U256::from(b), x), want, "signextend {b}");
            }
        }
        assert_eq!(extended(U256::ZERO, U256::from(0xff)), U256::MAX);
        assert_eq!(extended(U256::ZERO, U256::from(0x7f)), U256::from(0x7f));
        assert_eq!(
            extended(U256::from(1), U256::from(0x12_80_00)),
            U256::from(0x80_00) | !U256::from(0xffff)
        );
    }
}
