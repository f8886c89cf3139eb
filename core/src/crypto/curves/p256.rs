//! The arithmetic of P256VERIFY (0x100, RIP-7212 / EIP-7951): secp256r1 ECDSA verification of
//! `hash ‖ r ‖ s ‖ qx ‖ qy` (32-byte words). Gas and native are the precompile's
//! (`precompiles::p256_verify`).

use alloc::vec::Vec;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};

/// Bytes of the input `hash ‖ r ‖ s ‖ qx ‖ qy`.
const INPUT_LEN: usize = 160;
/// SEC1 tag of an uncompressed point.
const SEC1_UNCOMPRESSED_TAG: u8 = 0x04;

/// The 32-byte word 1 for a valid signature, empty output otherwise (a wrong length included):
/// P256VERIFY has no malformed input, so this is never `None`.
pub(super) fn verify(input: &[u8]) -> Option<Vec<u8>> {
    if !holds(input) {
        return Some(Vec::new());
    }
    let mut word = alloc::vec![0u8; 32];
    word[31] = 1;
    Some(word)
}

/// Whether `input` is a well-formed, valid signature. `r` and `s` must be in `[1, n)`, the key
/// must be a curve point with coordinates below `p`; high `s` is accepted.
fn holds(input: &[u8]) -> bool {
    if input.len() != INPUT_LEN {
        return false;
    }
    let (hash, rest) = input.split_at(32);
    let (r, rest) = rest.split_at(32);
    let (s, key) = rest.split_at(32);
    let mut r_bytes = [0u8; 32];
    r_bytes.copy_from_slice(r);
    let mut s_bytes = [0u8; 32];
    s_bytes.copy_from_slice(s);
    let Ok(signature) = Signature::from_scalars(r_bytes, s_bytes) else {
        return false;
    };
    let mut sec1 = [0u8; 65];
    sec1[0] = SEC1_UNCOMPRESSED_TAG;
    sec1[1..].copy_from_slice(key);
    let Ok(key) = VerifyingKey::from_sec1_bytes(&sec1) else {
        return false;
    };
    key.verify_prehash(hash, &signature).is_ok()
}
