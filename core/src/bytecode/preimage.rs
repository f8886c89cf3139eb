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
