//! Lengths of a bytecode preimage as the state stores it: the code, zero padding to a multiple
//! of [`ALIGNMENT_BYTES`], then the artifacts (protocol version 2: the jumpdest bitmap in whole
//! 64-bit words, upstream `evm_interpreter/src/lib.rs::BitMapOwned`).

/// Code in a bytecode preimage is zero-padded to a multiple of this many bytes.
pub const ALIGNMENT_BYTES: usize = 8;

/// Bytes per word of the jumpdest bitmap protocol version 2 stores.
pub const ARTIFACTS_WORD_BYTES: usize = 8;

/// Padding after `code_len` bytes of code.
pub const fn padding_len_bytes(code_len: usize) -> usize {
    (ALIGNMENT_BYTES - code_len % ALIGNMENT_BYTES) % ALIGNMENT_BYTES
}

/// Length of the artifacts protocol version 2 stores for `code_len` bytes of code: the jumpdest
/// bitmap in whole 64-bit words, `⌈code_len / 64⌉ × 8` bytes.
pub const fn artifacts_len_v2(code_len: usize) -> usize {
    code_len.div_ceil(ARTIFACTS_WORD_BYTES * 8) * ARTIFACTS_WORD_BYTES
}

/// Length of the artifacts protocol version 1 stores for `code_len` bytes of code: the jumpdest
/// bitmap in whole bytes, `⌈code_len / 8⌉`.
pub const fn artifacts_len_v1(code_len: usize) -> usize {
    code_len.div_ceil(8)
}

/// What tells protocol version 2's bytecode preimages apart: upstream keys its preimage cache
/// by the blake2s hash of the padded code and its artifacts
/// (`api/src/helpers.rs::set_properties_code`), so codes that differ only in zero bytes at the
/// end of their last 8-byte word (`0x60016000` and `0x6001600000`) share one preimage, whose
/// second load in a block is not hashed again. The padded code fixes the artifacts (zero bytes
/// are `STOP`s, outside every push), and it is the code without its trailing zeros padded to
/// the code's padded length: the keccak hash of the former with that length folded in.
/// `hash` gives the keccak hash of the whole `code` (cached by the caller), used when the code
/// ends in a non-zero byte, as real code does.
pub fn preimage_identity(
    code: &[u8],
    hash: impl FnOnce() -> crate::primitives::B256,
) -> crate::primitives::B256 {
    let trimmed = code.len() - code.iter().rev().take_while(|b| **b == 0).count();
    let mut identity = if trimmed == code.len() {
        hash()
    } else {
        crate::primitives::keccak256(&code[..trimmed])
    };
    let padded = (code.len() + padding_len_bytes(code.len())) as u64;
    for (byte, len_byte) in identity.0[24..].iter_mut().zip(padded.to_be_bytes()) {
        *byte ^= len_byte;
    }
    identity
}

#[cfg(test)]
mod tests {
    use super::preimage_identity;
    use crate::primitives::keccak256;

    fn identity(code: &[u8]) -> crate::primitives::B256 {
        preimage_identity(code, || keccak256(code))
    }

    #[test]
    fn codes_with_the_same_padded_bytes_share_a_preimage() {
        let code = [0x60, 0x01, 0x60, 0x00];
        assert_eq!(identity(&code), identity(&[0x60, 0x01, 0x60, 0x00, 0x00]));
        assert_eq!(
            identity(&code),
            identity(&[0x60, 0x01, 0x60, 0x00, 0, 0, 0, 0])
        );
        // Past the 8-byte word the padded code is longer.
        assert_ne!(
            identity(&code),
            identity(&[0x60, 0x01, 0x60, 0x00, 0, 0, 0, 0, 0])
        );
        assert_ne!(identity(&code), identity(&[0x60, 0x01, 0x60, 0x01]));
        assert_ne!(identity(&[]), identity(&[0]));
    }
}
