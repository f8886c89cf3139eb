//! Basic value types, hash functions and a small sort shared by every module.

mod sort;

pub use alloy_primitives::{address, b256, hex, Address, Bloom, BloomInput, Bytes, B256, U256};
use blake2::{Blake2s256, Digest};
use tiny_keccak::{Hasher, Keccak};

pub use sort::sort_by_key;

/// Bytes keccak256 absorbs per permutation (its rate: 1600 - 2 × 256 bits).
const KECCAK256_RATE_BYTES: usize = 136;

/// keccak256 of `data`: the sponge run directly on the permutation's lanes (FIPS 202 with the
/// original Keccak padding `0x01 .. 0x80`), which spares the buffering of a streaming hasher on
/// the short inputs `KECCAK256` mostly sees.
pub fn keccak256(data: &[u8]) -> B256 {
    let mut state = [0u64; 25];
    let mut blocks = data.chunks_exact(KECCAK256_RATE_BYTES);
    for block in &mut blocks {
        absorb_block(&mut state, block);
        tiny_keccak::keccakf(&mut state);
    }
    let rest = blocks.remainder();
    let mut last = [0u8; KECCAK256_RATE_BYTES];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] ^= 0x01;
    last[KECCAK256_RATE_BYTES - 1] ^= 0x80;
    absorb_block(&mut state, &last);
    tiny_keccak::keccakf(&mut state);
    let mut out = [0u8; 32];
    for (bytes, lane) in out.chunks_exact_mut(8).zip(state) {
        bytes.copy_from_slice(&lane.to_le_bytes());
    }
    B256::new(out)
}

/// XORs one rate-sized block into the state's first lanes, little-endian.
#[inline(always)]
fn absorb_block(state: &mut [u64; 25], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        *lane ^= u64::from_le_bytes(word);
    }
}

/// keccak256 of the concatenation of `parts`.
pub fn keccak256_concat(parts: &[&[u8]]) -> B256 {
    let mut out = [0u8; 32];
    let mut hasher = Keccak::v256();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize(&mut out);
    B256::new(out)
}

/// Blake2s-256 of `data`.
pub fn blake2s256(data: &[u8]) -> B256 {
    B256::from_slice(&Blake2s256::digest(data))
}

/// Blake2s-256 of the concatenation of `parts`.
pub fn blake2s256_concat(parts: &[&[u8]]) -> B256 {
    let mut hasher = Blake2s256::new();
    for part in parts {
        hasher.update(part);
    }
    B256::from_slice(&hasher.finalize())
}

/// keccak256 of the empty string (the code hash of an account without code).
pub const KECCAK_EMPTY: B256 =
    b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keccak_of_empty_matches_constant() {
        assert_eq!(keccak256(&[]), KECCAK_EMPTY);
    }

    #[test]
    fn keccak_matches_the_streaming_hasher_across_block_edges() {
        // Every length up to three blocks and a byte, so each place the padding can fall (the
        // last byte of a block, a block of its own) is covered; tiny-keccak is the reference.
        let data: alloc::vec::Vec<u8> = (0..=3 * KECCAK256_RATE_BYTES as u32)
            .map(|i| (i * 7 + 3) as u8)
            .collect();
        for len in 0..data.len() {
            assert_eq!(
                keccak256(&data[..len]),
                keccak256_concat(&[&data[..len / 3], &data[len / 3..len]]),
                "length {len}"
            );
        }
    }

    #[test]
    fn keccak_of_abc_matches_the_published_vector() {
        // Keccak-256("abc") as Ethereum tooling publishes it (original padding, not SHA3-256).
        assert_eq!(
            keccak256(b"abc"),
            b256!("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")
        );
    }

    #[test]
    fn blake2s_of_abc_matches_rfc7693() {
        // RFC 7693 appendix B: BLAKE2s-256("abc").
        assert_eq!(
            blake2s256(b"abc"),
            b256!("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982")
        );
        assert_eq!(blake2s256_concat(&[b"a", b"bc"]), blake2s256(b"abc"));
    }
}
