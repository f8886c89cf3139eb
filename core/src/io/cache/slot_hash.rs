//! The hasher of the storage maps, keyed by `(address, key)`: a seeded multiply-and-fold over
//! the key's 52 bytes, sixteen bytes per step, written out for the hot lookups
//! ([`SlotHashBuilder::hash_slot`]) and the same steps behind [`Hasher`] for the map itself.
//!
//! Each step takes sixteen bytes as two 64-bit halves, XORs the low half into the running state
//! and the high half into a second seed, multiplies the two as 128-bit product and folds it to
//! 64 bits (high half XOR low half). Both seeds are drawn per map from the default hasher's own
//! random state, so keys chosen to collide need the seeds, as with the default hasher (whose
//! step for a `u128` this is); on wasm32 that state comes from addresses, as foldhash has no
//! other entropy there without `std`. A key takes four steps: the address's first sixteen bytes,
//! its last four zero-padded, the key's two halves. The default hasher's path took six (the two
//! length prefixes too) and, with its state on the shadow stack and its byte loops kept loops,
//! was an out-of-line call of about 3% of snailtracer's time in wasm.

use crate::primitives::{Address, U256};
use core::hash::{BuildHasher, Hasher};
use hashbrown::DefaultHashBuilder;

/// Builds [`SlotHasher`]s with two seeds drawn per map.
#[derive(Clone, Debug)]
pub(crate) struct SlotHashBuilder {
    /// The state a hash starts from.
    start: u64,
    /// XORed into the high half of every step.
    fold: u64,
}

impl Default for SlotHashBuilder {
    fn default() -> Self {
        let random = DefaultHashBuilder::default();
        Self {
            start: random.hash_one(0u64),
            fold: random.hash_one(1u64),
        }
    }
}

impl SlotHashBuilder {
    /// The hash of `(address, key)`, equal to the map's own ([`BuildHasher::hash_one`]),
    /// straight-line.
    #[inline(always)]
    pub(crate) fn hash_slot(&self, address: &Address, key: &U256) -> u64 {
        let [head @ .., t0, t1, t2, t3] = address.0 .0;
        let [k0, k1, k2, k3] = *key.as_limbs();
        let mut state = self.start;
        state = self.step(state, low_high(&head));
        state = self.step(state, (u64::from_ne_bytes([t0, t1, t2, t3, 0, 0, 0, 0]), 0));
        state = self.step(state, (k0, k1));
        self.step(state, (k2, k3))
    }

    /// One step: sixteen bytes as their two 64-bit halves.
    #[inline(always)]
    fn step(&self, state: u64, (low, high): (u64, u64)) -> u64 {
        folded_multiply(state ^ low, self.fold ^ high)
    }
}

impl BuildHasher for SlotHashBuilder {
    type Hasher = SlotHasher;

    #[inline]
    fn build_hasher(&self) -> SlotHasher {
        SlotHasher {
            builder: self.clone(),
            state: self.start,
        }
    }
}

/// The steps of [`SlotHashBuilder::hash_slot`] over whatever bytes are written.
pub(crate) struct SlotHasher {
    builder: SlotHashBuilder,
    state: u64,
}

impl Hasher for SlotHasher {
    /// Sixteen bytes a step; a shorter tail zero-padded to sixteen. Keys are of one type, whose
    /// byte runs have fixed lengths ([`Self::write_usize`]), and a `U256` writes its limbs'
    /// bytes in native order, which the halves read back as the limbs themselves.
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((chunk, tail)) = rest.split_first_chunk::<16>() {
            self.state = self.builder.step(self.state, low_high(chunk));
            rest = tail;
        }
        if !rest.is_empty() {
            self.state = self.builder.step(self.state, padded(rest));
        }
    }

    /// Nothing: the maps' one key type, `(Address, U256)`, hashes as a 20-byte and a 32-byte run
    /// behind their lengths, so the two length prefixes are the same for every key and add
    /// nothing to tell keys apart.
    #[inline(always)]
    fn write_usize(&mut self, _: usize) {}

    #[inline(always)]
    fn finish(&self) -> u64 {
        self.state
    }
}

/// Whether the map's key `entry` is `(address, key)`: word compares, where the derived
/// equality of the address's bytes is a call of `memcmp` on wasm32.
#[inline(always)]
pub(crate) fn is_slot(entry: &(Address, U256), address: &Address, key: &U256) -> bool {
    let [head @ .., t0, t1, t2, t3] = entry.0 .0 .0;
    let [other_head @ .., u0, u1, u2, u3] = address.0 .0;
    let (x, y) = (entry.1.as_limbs(), key.as_limbs());
    let limbs_differ = (x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]);
    limbs_differ == 0
        && low_high(&head) == low_high(&other_head)
        && u32::from_ne_bytes([t0, t1, t2, t3]) == u32::from_ne_bytes([u0, u1, u2, u3])
}

/// Sixteen bytes as two 64-bit halves in native byte order.
#[inline(always)]
fn low_high(chunk: &[u8; 16]) -> (u64, u64) {
    let (halves, _) = chunk.as_chunks::<8>();
    (u64::from_ne_bytes(halves[0]), u64::from_ne_bytes(halves[1]))
}

/// Fewer than sixteen bytes zero-padded to sixteen, as [`low_high`].
#[inline(always)]
fn padded(bytes: &[u8]) -> (u64, u64) {
    let mut chunk = [0u8; 16];
    chunk[..bytes.len()].copy_from_slice(bytes);
    low_high(&chunk)
}

/// The 128-bit product of `x` and `y` folded to 64 bits (its halves XORed).
#[inline(always)]
fn folded_multiply(x: u64, y: u64) -> u64 {
    #[cfg(target_pointer_width = "64")]
    {
        let product = u128::from(x) * u128::from(y);
        (product as u64) ^ ((product >> 64) as u64)
    }
    #[cfg(not(target_pointer_width = "64"))]
    {
        folded_multiply_by_halves(x, y)
    }
}

/// [`folded_multiply`] from four 32×32→64-bit products, for 32-bit targets, where a `u128`
/// multiply is a library call. The middle sum of three values below 2³² fits 64 bits.
#[cfg(any(test, not(target_pointer_width = "64")))]
#[inline(always)]
fn folded_multiply_by_halves(x: u64, y: u64) -> u64 {
    const MASK: u64 = 0xffff_ffff;
    let (x0, x1, y0, y1) = (x & MASK, x >> 32, y & MASK, y >> 32);
    let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let middle = (p00 >> 32) + (p01 & MASK) + (p10 & MASK);
    let low = (p00 & MASK) | (middle << 32);
    let high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    low ^ high
}

#[cfg(test)]
mod tests {
    use super::{folded_multiply, folded_multiply_by_halves, is_slot, SlotHashBuilder};
    use crate::primitives::{Address, U256};
    use core::hash::BuildHasher;

    /// Equal keys hash equally under one builder; keys one bit apart in any byte of the address
    /// or the key hash apart (a test of the wiring: each byte reaches the state); the
    /// written-out hash is the map's own for every key tried, and the key compare tells each of
    /// them from the base key.
    #[test]
    fn every_byte_of_the_key_counts() {
        let builder = SlotHashBuilder::default();
        let address = Address::repeat_byte(0x5a);
        let key = U256::from_limbs([1, 2, 3, 4]);
        let base = builder.hash_one((address, key));
        assert_eq!(base, builder.hash_one((address, key)));
        assert_eq!(base, builder.hash_slot(&address, &key));
        assert!(is_slot(&(address, key), &address, &key));
        for byte in 0..20 {
            let mut other = address;
            other.0[byte] ^= 1;
            let hash = builder.hash_one((other, key));
            assert_ne!(base, hash, "address byte {byte}");
            assert_eq!(hash, builder.hash_slot(&other, &key), "address byte {byte}");
            assert!(
                !is_slot(&(other, key), &address, &key),
                "address byte {byte}"
            );
            assert!(
                !is_slot(&(address, key), &other, &key),
                "address byte {byte}"
            );
        }
        for bit in 0..256 {
            let other = key ^ (U256::from(1) << bit);
            let hash = builder.hash_one((address, other));
            assert_ne!(base, hash, "key bit {bit}");
            assert_eq!(hash, builder.hash_slot(&address, &other), "key bit {bit}");
            assert!(!is_slot(&(address, other), &address, &key), "key bit {bit}");
        }
    }

    /// The folded product, and its 32-bit form (the wasm build's), against `u128` arithmetic on
    /// the edges and a spread of values.
    #[test]
    fn folded_multiply_is_the_folded_product() {
        let values = [
            0u64,
            1,
            0xffff_ffff,
            0x1_0000_0000,
            u64::MAX,
            0x9e37_79b9_7f4a_7c15,
            0x0123_4567_89ab_cdef,
        ];
        for &x in &values {
            for &y in &values {
                let product = u128::from(x) * u128::from(y);
                let expected = (product as u64) ^ ((product >> 64) as u64);
                assert_eq!(folded_multiply(x, y), expected, "{x:#x} · {y:#x}");
                assert_eq!(folded_multiply_by_halves(x, y), expected, "{x:#x} · {y:#x}");
            }
        }
    }
}
