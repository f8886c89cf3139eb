//! RIPEMD-160 (0x03): the digest, left-padded to a 32-byte word. It lives with the curve
//! arithmetic because it is rarely called and its code is large for the npm main module.

use alloc::vec::Vec;
use ripemd::{Digest, Ripemd160};

/// Bytes of zero padding before the 20-byte digest in the precompile's 32-byte output.
const DIGEST_PADDING_BYTES: usize = 12;

/// RIPEMD-160 of `input` as a 32-byte word.
pub(super) fn word(input: &[u8]) -> Vec<u8> {
    let mut output = Vec::with_capacity(32);
    output.resize(DIGEST_PADDING_BYTES, 0);
    output.extend_from_slice(&Ripemd160::digest(input));
    output
}
