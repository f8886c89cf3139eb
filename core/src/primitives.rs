//! Basic value types, hash functions and a small sort shared by every module.

mod sort;

pub use alloy_primitives::{address, b256, hex, Address, Bloom, BloomInput, Bytes, B256, U256};
use blake2::{Blake2s256, Digest};
use tiny_keccak::{Hasher, Keccak};

pub use sort::sort_by_key;

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> B256 {
    let mut out = [0u8; 32];
    let mut hasher = Keccak::v256();
    hasher.update(data);
    hasher.finalize(&mut out);
    B256::new(out)
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
    fn blake2s_of_abc_matches_rfc7693() {
        // RFC 7693 appendix B: BLAKE2s-256("abc").
        assert_eq!(
            blake2s256(b"abc"),
            b256!("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982")
        );
        assert_eq!(blake2s256_concat(&[b"a", b"bc"]), blake2s256(b"abc"));
    }
}
