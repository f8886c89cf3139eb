//! The pieces calibration programs are built from: push and memory-write snippets, fixed operand
//! words, and the precompile inputs.

use zkos_core::bytecode::opcode as op;

/// A 256-bit operand with no structure.
pub(super) const WORD_A: [u8; 32] = [
    0x8f, 0x3a, 0x5c, 0x27, 0xe1, 0xd9, 0x4b, 0x60, 0xa7, 0xc2, 0xf1, 0xe8, 0xd3, 0xb6, 0xa9, 0xc4,
    0xf7, 0xe2, 0xd5, 0xb8, 0xa1, 0xc4, 0xf7, 0xe0, 0xd3, 0xb6, 0xa9, 0xc2, 0xf5, 0xe8, 0xd1, 0xb4,
];
/// A 128-bit operand (divisor).
pub(super) const WORD_B: [u8; 32] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc2, 0xf5, 0xe8, 0xd1, 0xb4, 0xa7, 0xc0, 0xf3,
    0xe6, 0xd9, 0xb2, 0xa5, 0xc8, 0xf1, 0xe4, 0xd7,
];
/// A 255-bit modulus.
pub(super) const WORD_N: [u8; 32] = [
    0x7f, 0xe3, 0x19, 0x4d, 0x62, 0xb8, 0x0c, 0x95, 0x3e, 0x71, 0xa4, 0xd6, 0x28, 0x5b, 0x8f, 0xc1,
    0x04, 0x37, 0x6a, 0x9d, 0xd0, 0x13, 0x46, 0x79, 0xac, 0xdf, 0x12, 0x45, 0x78, 0xab, 0xde, 0x11,
];

/// The recipient of the transfer-like CALL (an account the guest does not create: the CALL
/// touches it into existence with its value).
pub(super) const RECIPIENT_WORD: [u8; 32] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xef, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x01, 0x23,
];

/// `PUSH32 word`.
pub(super) fn push_word(word: &[u8; 32]) -> Vec<u8> {
    let mut out = vec![op::PUSH32];
    out.extend_from_slice(word);
    out
}

/// `PUSH1 value`.
pub(super) fn push_u8(value: u8) -> Vec<u8> {
    vec![op::PUSH1, value]
}

/// `PUSH2 value`.
pub(super) fn push_u16(value: u16) -> Vec<u8> {
    let [hi, lo] = value.to_be_bytes();
    vec![op::PUSH2, hi, lo]
}

/// `PUSH4 value`.
pub(super) fn push_u32(value: u32) -> Vec<u8> {
    let mut out = vec![op::PUSH4];
    out.extend_from_slice(&value.to_be_bytes());
    out
}

/// Writes `data` to memory at `offset` with 32-byte `MSTORE`s (zero-padded).
pub(super) fn write_memory(offset: u16, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, chunk) in data.chunks(32).enumerate() {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        out.extend(push_word(&word));
        out.extend(push_u16(offset + 32 * index as u16));
        out.push(op::MSTORE);
    }
    out
}

/// Grows memory to at least `bytes` (one `MSTORE` of the last word).
pub(super) fn expand_memory(bytes: u32) -> Vec<u8> {
    let mut out = vec![op::PUSH0];
    out.extend(push_u32(bytes - 32));
    out.push(op::MSTORE);
    out
}

/// `reps` copies of `operands` (each pushed in order, so the last is on top).
pub(super) fn pushes(reps: u64, operands: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..reps {
        for operand in operands {
            out.extend_from_slice(operand);
        }
    }
    out
}

/// An ecrecover input `hash ‖ v ‖ r ‖ s` signed with a fixed key.
pub(super) fn ecrecover_input() -> Vec<u8> {
    let key = k256::ecdsa::SigningKey::from_slice(&WORD_N).expect("WORD_N is a valid scalar");
    let hash = WORD_A;
    let (signature, recovery) = key.sign_prehash_recoverable(&hash);
    let mut v = [0u8; 32];
    v[31] = 27 + recovery.to_byte();
    [hash.as_slice(), &v, signature.to_bytes().as_slice()].concat()
}

/// A modexp input with 32-byte base, exponent and modulus.
pub(super) fn modexp_input() -> Vec<u8> {
    let mut len = [0u8; 32];
    len[31] = 32;
    [len, len, len, WORD_A, WORD_N, WORD_N].concat()
}

/// `(1, 2)` (the bn254 G1 generator) twice: an ecAdd input.
pub(super) fn bn254_add_input() -> Vec<u8> {
    let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
    x[31] = 1;
    y[31] = 2;
    [x, y, x, y].concat()
}

/// The G1 generator and a 256-bit scalar: an ecMul input.
pub(super) fn bn254_mul_input() -> Vec<u8> {
    let (mut x, mut y) = ([0u8; 32], [0u8; 32]);
    x[31] = 1;
    y[31] = 2;
    [x, y, WORD_A].concat()
}

/// A BLAKE2b F input with 12 rounds and the final-block flag set (EIP-152 layout).
pub(super) fn blake2f_input() -> Vec<u8> {
    let mut input = 12u32.to_be_bytes().to_vec();
    input.extend(WORD_A.repeat(2)); // h
    input.extend(WORD_N.repeat(4)); // m
    input.extend([0u8; 16]); // t
    input.push(1); // f
    input
}
