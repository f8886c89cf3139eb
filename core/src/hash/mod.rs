//! Blake2s-256 and keccak256 as the prover runs them. On riscv32 with the `delegation` feature
//! the Blake2s compression goes to the prover's round delegation ([`blake2s_abi`]) and the
//! Keccak-f\[1600\] permutation to its permutation delegation ([`keccak_abi`]); everywhere else
//! they are plain software (the `blake2` crate; the permutation of `keccak_f`, or on wasm32
//! `tiny-keccak`'s). The digests are the same bytes.
//! SHA-256 ([`sha256`]) is the `sha2` crate's, or on wasm32 a smaller one of its own.
//!
//! Trust model: both delegations are pure functions of the memory they read, computed by the
//! prover's circuits (in tests, by the emulator), so a host that answers anything else has no
//! valid proof; in the emulator a false answer to either makes a recorded block fail to prove
//! (exit 3, `tests/tests/riscv.rs`).

pub mod blake2s_abi;
pub mod keccak;
pub mod keccak_abi;
#[cfg(not(any(
    target_arch = "wasm32",
    all(target_arch = "riscv32", feature = "delegation")
)))]
mod keccak_f;

#[cfg(any(test, all(target_arch = "riscv32", feature = "delegation")))]
pub mod blake2s;
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
#[allow(unsafe_code)]
mod csr;

#[cfg(any(test, target_arch = "wasm32"))]
mod sha256_rolled;

/// The SHA-256 digest of `data` (the `sha2` crate's).
#[cfg(not(target_arch = "wasm32"))]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// The SHA-256 digest of `data` (the module `sha256_rolled`'s: the `sha2` crate's bytes from a
/// tenth of the code).
#[cfg(target_arch = "wasm32")]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha256_rolled::digest(data)
}
