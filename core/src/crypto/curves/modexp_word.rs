//! modexp for moduli of at most 256 bits over [`crate::bigint::word`]: on the guest every
//! product and reduction is a bigint delegation (a product's two halves, then the remainder
//! as checked division advice), in place of the general big-number code.

use crate::bigint::word;
use crate::primitives::U256;

/// Bytes of one 256-bit word.
const WORD_BYTES: usize = 32;

/// `base ^ exp mod modulus` of big-endian numbers of any length, or `None` when the modulus
/// does not fit 256 bits. The modulus is not zero.
pub(super) fn modexp(base: &[u8], exp: &[u8], modulus: &[u8]) -> Option<U256> {
    let modulus = fitting_word(modulus)?;
    let base = reduce(base, &modulus);
    let mut result = word::reduce_wide(&U256::ZERO, &U256::ONE, &modulus);
    let mut started = false;
    for byte in exp {
        for bit in (0..8).rev() {
            if started {
                result = mul_mod(&result, &result, &modulus);
            }
            if byte >> bit & 1 == 1 {
                result = mul_mod(&result, &base, &modulus);
                started = true;
            }
        }
    }
    Some(result)
}

/// The value of `bytes` (big-endian) if it fits 256 bits.
fn fitting_word(bytes: &[u8]) -> Option<U256> {
    let significant = bytes.len().saturating_sub(WORD_BYTES);
    if bytes[..significant].iter().any(|&b| b != 0) {
        return None;
    }
    Some(U256::from_be_slice(&bytes[significant..]))
}

/// `bytes mod modulus` (big-endian, any length), one 256-bit word at a time from the top.
fn reduce(bytes: &[u8], modulus: &U256) -> U256 {
    let head = bytes.len() % WORD_BYTES;
    let mut remainder =
        word::reduce_wide(&U256::ZERO, &U256::from_be_slice(&bytes[..head]), modulus);
    for chunk in bytes[head..].chunks_exact(WORD_BYTES) {
        remainder = word::reduce_wide(&remainder, &U256::from_be_slice(chunk), modulus);
    }
    remainder
}

/// `a·b mod modulus` for `a, b < modulus`: the product's high half is then below the modulus,
/// as [`word::reduce_wide`] needs.
fn mul_mod(a: &U256, b: &U256, modulus: &U256) -> U256 {
    let mut low = *a;
    word::mul_low(&mut low, b);
    let mut high = *a;
    word::mul_high(&mut high, b);
    word::reduce_wide(&high, &low, modulus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::test_rng::TestRng;
    use alloc::vec::Vec;

    /// The shared test stream, with this module's shapes of values.
    struct Rng(TestRng);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0.next()
        }

        fn below(&mut self, n: u64) -> usize {
            (self.next() % n) as usize
        }

        /// `len` bytes, biased toward edge values (all zero, all 0xff, a single bit).
        fn bytes(&mut self, len: usize) -> Vec<u8> {
            let mut out: Vec<u8> = (0..len).map(|_| self.next() as u8).collect();
            match self.below(8) {
                0 => out.fill(0),
                1 => out.fill(0xff),
                2 if len > 0 => {
                    let (at, bit) = (self.below(len as u64), self.below(8));
                    out.fill(0);
                    out[at] = 1 << bit;
                }
                _ => {}
            }
            out
        }
    }

    /// `aurora-engine-modexp`'s answer (the code every other target runs) as a word.
    fn aurora(base: &[u8], exp: &[u8], modulus: &[u8]) -> U256 {
        let result = aurora_engine_modexp::modexp(base, exp, modulus);
        let significant = result.len().saturating_sub(WORD_BYTES);
        assert!(result[..significant].iter().all(|&b| b == 0));
        U256::from_be_slice(&result[significant..])
    }

    #[test]
    fn matches_aurora_on_random_and_edge_inputs() {
        let mut rng = Rng(TestRng::new(0x9e37_79b9_7f4a_7c15));
        let mut checked = 0;
        for _ in 0..6000 {
            let lens = [rng.below(80), rng.below(40), 1 + rng.below(40)];
            let base = rng.bytes(lens[0]);
            let exp = rng.bytes(lens[1]);
            let mut modulus = rng.bytes(lens[2]);
            let len = modulus.len();
            // Keep the value within 256 bits most of the time; the rest must be refused.
            if len > WORD_BYTES && rng.below(4) != 0 {
                modulus[..len - WORD_BYTES].fill(0);
            }
            if modulus.iter().all(|&b| b == 0) {
                continue;
            }
            let fits = modulus[..len.saturating_sub(WORD_BYTES)]
                .iter()
                .all(|&b| b == 0);
            match modexp(&base, &exp, &modulus) {
                Some(result) => {
                    assert!(fits);
                    assert_eq!(
                        result,
                        aurora(&base, &exp, &modulus),
                        "{base:x?} {exp:x?} {modulus:x?}"
                    );
                    checked += 1;
                }
                None => assert!(!fits),
            }
        }
        assert!(checked > 4000, "{checked}");
    }

    #[test]
    fn edge_cases_match_aurora() {
        let max = [0xffu8; 32];
        let one = [1u8];
        let cases: [(&[u8], &[u8], &[u8]); 8] = [
            // 0^0 = 1 (EIP-198), modulo 1 everything is 0.
            (&[], &[], &max),
            (&[], &[], &one),
            (&max, &max, &one),
            // An even modulus, a 2²⁵⁶ − 1 modulus, base ≥ modulus, exponent with leading zeros.
            (&max, &[0, 0, 5], &[2, 0]),
            (&[7; 64], &max, &max),
            (&max, &[0, 1], &[0xff; 31]),
            (&[0, 0, 0, 2], &[255], &[0, 0, 0, 0, 0, 0, 0, 0, 0, 13]),
            (
                &[3],
                &[
                    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 1,
                ],
                &max,
            ),
        ];
        for (base, exp, modulus) in cases {
            assert_eq!(modexp(base, exp, modulus), Some(aurora(base, exp, modulus)));
        }
        // 3^(2²⁵⁶ − 1) mod 2²⁵⁶ − 1 by hand is out of reach; 2^10 mod 1000 = 24 is not.
        assert_eq!(modexp(&[2], &[10], &[3, 232]), Some(U256::from(24u8)));
    }
}
