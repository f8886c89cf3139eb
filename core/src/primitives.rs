//! Basic value types, hash functions and a small sort shared by every module.

mod sort;
#[cfg(test)]
pub(crate) mod test_rng;

pub use alloy_primitives::{address, b256, hex, Address, Bloom, BloomInput, Bytes, B256, U256};
#[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
use blake2::{Blake2s256, Digest};
#[cfg(any(
    target_arch = "wasm32",
    all(target_arch = "riscv32", not(feature = "delegation"))
))]
use tiny_keccak::{Hasher, Keccak};

pub use sort::sort_by_key;

/// keccak256 of `data` (`hash::keccak`: on the prover's permutation delegation in the riscv32
/// guest).
pub fn keccak256(data: &[u8]) -> B256 {
    B256::new(crate::hash::keccak::keccak256(data))
}

/// keccak256 of the concatenation of `parts`: `hash::keccak`'s sponge (the prover's
/// delegation in the riscv32 guest, `keccak_f` natively, where it is about 0.87 of
/// `tiny-keccak`'s time), `tiny-keccak`'s streaming hasher on wasm32 (for size).
pub fn keccak256_concat(parts: &[&[u8]]) -> B256 {
    #[cfg(not(any(
        target_arch = "wasm32",
        all(target_arch = "riscv32", not(feature = "delegation"))
    )))]
    {
        B256::new(crate::hash::keccak::keccak256_parts(parts))
    }
    #[cfg(any(
        target_arch = "wasm32",
        all(target_arch = "riscv32", not(feature = "delegation"))
    ))]
    {
        let mut out = [0u8; 32];
        let mut hasher = Keccak::v256();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize(&mut out);
        B256::new(out)
    }
}

/// Blake2s-256 of `data`.
pub fn blake2s256(data: &[u8]) -> B256 {
    #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
    {
        B256::new(crate::hash::blake2s::blake2s256(&[data]))
    }
    #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
    {
        B256::from_slice(&Blake2s256::digest(data))
    }
}

/// Blake2s-256 of the concatenation of `parts` (on the prover's round delegation in the
/// riscv32 guest).
pub fn blake2s256_concat(parts: &[&[u8]]) -> B256 {
    #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
    {
        B256::new(crate::hash::blake2s::blake2s256(parts))
    }
    #[cfg(not(all(target_arch = "riscv32", feature = "delegation")))]
    {
        let mut hasher = Blake2s256::new();
        for part in parts {
            hasher.update(part);
        }
        B256::from_slice(&hasher.finalize())
    }
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
