//! The hasher of the storage maps, keyed by `(address, key)`: the maps' default seeded hasher,
//! fed sixteen bytes per step.
//!
//! The default hasher (foldhash) collects small writes in a 128-bit buffer: on wasm32 each of
//! the key's two length prefixes (20 for the address, 4 for the key's limbs) shifted it with a
//! `u128` library call, and each byte run went through its out-of-line byte hash. `SLOAD`'s slot
//! lookup was 6% of snailtracer's time in wasm, about 4.5 points of it in hashing. Here every
//! write is whole 128-bit words, each one multiply-and-fold of the seeded state (the default
//! hasher's own step for a `u128`).

use core::hash::{BuildHasher, Hasher};
use hashbrown::DefaultHashBuilder;

/// Builds [`SlotHasher`]s from a seed drawn per map, as the default builder does.
#[derive(Clone, Debug, Default)]
pub(crate) struct SlotHashBuilder(DefaultHashBuilder);

impl BuildHasher for SlotHashBuilder {
    type Hasher = SlotHasher;

    #[inline]
    fn build_hasher(&self) -> SlotHasher {
        SlotHasher(self.0.build_hasher())
    }
}

/// The default hasher, given every write as whole `u128` words.
pub(crate) struct SlotHasher(<DefaultHashBuilder as BuildHasher>::Hasher);

impl Hasher for SlotHasher {
    /// Sixteen bytes at a time; a shorter tail zero-padded to sixteen. Byte runs of different
    /// lengths differ in their length prefix ([`Self::write_usize`]), which every slice and
    /// array hash writes first. Inlined so that the key's fixed lengths unroll it, and with no
    /// copy of a variable length (wasm runs those through a call into the runtime).
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<16>() {
            self.0.write_u128(u128::from_le_bytes(*word));
            rest = tail;
        }
        if !rest.is_empty() {
            let (mut low, mut high) = (0u64, 0u64);
            for (i, byte) in rest.iter().enumerate() {
                if i < 8 {
                    low |= u64::from(*byte) << (8 * i);
                } else {
                    high |= u64::from(*byte) << (8 * (i - 8));
                }
            }
            self.0.write_u128(u128::from(low) | u128::from(high) << 64);
        }
    }

    #[inline(always)]
    fn write_usize(&mut self, n: usize) {
        self.0.write_u128(n as u128);
    }

    #[inline(always)]
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::SlotHashBuilder;
    use crate::primitives::{Address, U256};
    use core::hash::BuildHasher;

    /// Equal keys hash equally under one builder; keys one bit apart in any byte of the address
    /// or the key hash apart (a test of the wiring: each byte reaches the state).
    #[test]
    fn every_byte_of_the_key_counts() {
        let builder = SlotHashBuilder::default();
        let address = Address::repeat_byte(0x5a);
        let key = U256::from_limbs([1, 2, 3, 4]);
        let base = builder.hash_one((address, key));
        assert_eq!(base, builder.hash_one((address, key)));
        for byte in 0..20 {
            let mut other = address;
            other.0[byte] ^= 1;
            assert_ne!(base, builder.hash_one((other, key)), "address byte {byte}");
        }
        for bit in (0..256).step_by(7) {
            let other = key ^ (U256::from(1) << bit);
            assert_ne!(base, builder.hash_one((address, other)), "key bit {bit}");
        }
    }
}
