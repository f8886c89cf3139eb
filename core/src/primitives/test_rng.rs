//! The tests' random vectors: one deterministic xorshift64* stream, so a failure reproduces.

use super::U256;

/// A deterministic xorshift64* generator (tests only; nothing an outcome depends on).
pub(crate) struct TestRng(u64);

impl TestRng {
    /// A stream from `seed` (not zero: zero stays zero).
    pub(crate) const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A word of four random limbs, lowest first.
    pub(crate) fn word(&mut self) -> U256 {
        U256::from_limbs(core::array::from_fn(|_| self.next()))
    }
}
