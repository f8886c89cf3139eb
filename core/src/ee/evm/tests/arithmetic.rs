//! Arithmetic, comparison, bitwise, shift and keccak instructions: result, gas and native.
//!
//! Native per opcode is 20 (step) + the opcode's constant: PUSH1 70, PUSH2 80, PUSH32 310,
//! ADD/SUB/MUL 60, DIV 290, SDIV/SMOD 600, MOD 240, ADDMOD 800, MULMOD 490, EXP 720 (+5,000 per
//! exponent byte), SIGNEXTEND/LT/GT/SLT/SGT 100, EQ 80, ISZERO 70, AND/OR/XOR/BYTE 90, NOT 80,
//! SHL/SHR 170, SAR 290, KECCAK256 110 (+2,500 + 17,500 per 136-byte round).

use super::harness::{cat, check_word, neg, push32, word, Call};
use crate::primitives::{b256, U256};

fn u(n: u64) -> U256 {
    U256::from(n)
}

#[test]
fn add_mul_sub() {
    // PUSH1 5, PUSH1 3, ADD: gas 3+3+3, native 70+70+60.
    word(&[0x60, 5, 0x60, 3, 0x01], u(8), 9, 200);
    // PUSH1 6, PUSH1 7, MUL: gas 3+3+5, native 70+70+60.
    word(&[0x60, 6, 0x60, 7, 0x02], u(42), 11, 200);
    // 3 - 5 wraps: PUSH1 5, PUSH1 3, SUB (a = top = 3): gas 9, native 200.
    word(&[0x60, 5, 0x60, 3, 0x03], neg(2), 9, 200);
    // MAX + 1 wraps to 0: PUSH32 MAX 310, PUSH1 1 70, ADD 60; gas 9.
    word(
        &cat(&[&push32(U256::MAX), &[0x60, 1, 0x01]]),
        U256::ZERO,
        9,
        440,
    );
}

#[test]
fn division_and_modulo() {
    // 10 / 3: PUSH1 3, PUSH1 10, DIV: gas 3+3+5, native 140+290.
    word(&[0x60, 3, 0x60, 10, 0x04], u(3), 11, 430);
    // Division by zero is 0.
    word(&[0x60, 0, 0x60, 10, 0x04], u(0), 11, 430);
    // -10 / 3 = -3 (truncated): PUSH1 3 70, PUSH32 310, SDIV 600; gas 11.
    word(
        &cat(&[&[0x60, 3], &push32(neg(10)), &[0x05]]),
        neg(3),
        11,
        980,
    );
    // 10 % 3: MOD 240; gas 11.
    word(&[0x60, 3, 0x60, 10, 0x06], u(1), 11, 380);
    // -10 smod 3 = -1 (sign of the dividend): SMOD 600.
    word(
        &cat(&[&[0x60, 3], &push32(neg(10)), &[0x07]]),
        neg(1),
        11,
        980,
    );
    // (10 + 10) % 8: PUSH1 8, PUSH1 10, PUSH1 10, ADDMOD: gas 9+8, native 210+800.
    word(&[0x60, 8, 0x60, 10, 0x60, 10, 0x08], u(4), 17, 1010);
    // (10 * 10) % 8 = 4: MULMOD 490.
    word(&[0x60, 8, 0x60, 10, 0x60, 10, 0x09], u(4), 17, 700);
    // (MAX + MAX) % 7 is computed without overflow: 2*(2^256-1) mod 7. 2^256 mod 7 = 2 (2^3 = 1
    // mod 7, 256 = 3*85 + 1), so MAX mod 7 = 1 and the sum is 2. PUSH1 7 70, 2 × PUSH32 620.
    word(
        &cat(&[&[0x60, 7], &push32(U256::MAX), &push32(U256::MAX), &[0x08]]),
        u(2),
        17,
        70 + 620 + 800,
    );
}

#[test]
fn exp_charges_per_exponent_byte() {
    // 2 ** 10: PUSH1 10, PUSH1 2, EXP: gas 3+3+10+50×1, native 140+720+5,000×1.
    word(&[0x60, 10, 0x60, 2, 0x0a], u(1024), 66, 5_860);
    // 2 ** 256 wraps to 0; the exponent 0x0100 has 2 bytes: PUSH2 80, PUSH1 70;
    // gas 3+3+10+100, native 80+70+720+10,000.
    word(&[0x61, 1, 0, 0x60, 2, 0x0a], u(0), 116, 10_870);
    // 7 ** 0 = 1 with a zero-byte exponent: gas 3+3+10, native 140+720.
    word(&[0x60, 0, 0x60, 7, 0x0a], u(1), 16, 860);
}

#[test]
fn signextend() {
    // signextend(0, 0xff) = -1: PUSH1 0xff, PUSH1 0, SIGNEXTEND: gas 3+3+5, native 140+100.
    word(&[0x60, 0xff, 0x60, 0, 0x0b], U256::MAX, 11, 240);
    // signextend(0, 0x7f) stays 0x7f.
    word(&[0x60, 0x7f, 0x60, 0, 0x0b], u(0x7f), 11, 240);
}

#[test]
fn comparisons() {
    // PUSH1 5, PUSH1 3: a = 3, b = 5. LT/GT: gas 9, native 140+100.
    word(&[0x60, 5, 0x60, 3, 0x10], u(1), 9, 240);
    word(&[0x60, 5, 0x60, 3, 0x11], u(0), 9, 240);
    // -1 <s 1: PUSH1 1 70, PUSH32 -1 310, SLT 100.
    word(&cat(&[&[0x60, 1], &push32(neg(1)), &[0x12]]), u(1), 9, 480);
    word(&cat(&[&[0x60, 1], &push32(neg(1)), &[0x13]]), u(0), 9, 480);
    // Unsigned, -1 is the largest: GT gives 1.
    word(&cat(&[&[0x60, 1], &push32(neg(1)), &[0x11]]), u(1), 9, 480);
    // EQ: native 140+80.
    word(&[0x60, 5, 0x60, 5, 0x14], u(1), 9, 220);
    // ISZERO 0: PUSH1 70 + ISZERO 70, gas 6.
    word(&[0x60, 0, 0x15], u(1), 6, 140);
}

#[test]
fn bitwise() {
    // 0x3c & 0x0f etc.: gas 9, native 140+90.
    word(&[0x60, 0x3c, 0x60, 0x0f, 0x16], u(0x0c), 9, 230);
    word(&[0x60, 0x3c, 0x60, 0x0f, 0x17], u(0x3f), 9, 230);
    word(&[0x60, 0x3c, 0x60, 0x0f, 0x18], u(0x33), 9, 230);
    // NOT 0 = MAX: gas 6, native 70+80.
    word(&[0x60, 0, 0x19], U256::MAX, 6, 150);
    // BYTE 31 of 0xabcd is 0xcd: PUSH2 80, PUSH1 70, BYTE 90; gas 9.
    word(&[0x61, 0xab, 0xcd, 0x60, 31, 0x1a], u(0xcd), 9, 240);
    // BYTE 32 is out of range: 0.
    word(&[0x61, 0xab, 0xcd, 0x60, 32, 0x1a], u(0), 9, 240);
}

#[test]
fn shifts_match_eip145_vectors() {
    // EIP-145: 1 << 1 = 2, 1 << 255 = 0x80..00, 1 << 256 = 0.
    // PUSH1 1, PUSH1 shift, SHL: gas 9, native 140+170.
    word(&[0x60, 1, 0x60, 1, 0x1b], u(2), 9, 310);
    word(&[0x60, 1, 0x60, 255, 0x1b], U256::from(1) << 255, 9, 310);
    // shift 256 needs PUSH2 (80): native 70+80+170.
    word(&[0x60, 1, 0x61, 1, 0, 0x1b], u(0), 9, 320);
    // 0x80..00 >> 255 = 1 (logical): PUSH32 310 + PUSH1 70 + SHR 170.
    word(
        &cat(&[&push32(U256::from(1) << 255), &[0x60, 255, 0x1c]]),
        u(1),
        9,
        550,
    );
    // EIP-145: 0x80..00 sar 255 = -1; SAR 290.
    word(
        &cat(&[&push32(U256::from(1) << 255), &[0x60, 255, 0x1d]]),
        U256::MAX,
        9,
        670,
    );
    // -16 sar 2 = -4.
    word(&cat(&[&push32(neg(16)), &[0x60, 2, 0x1d]]), neg(4), 9, 670);
    // EIP-145: 0x7f..ff sar 254 = 1.
    word(
        &cat(&[&push32(U256::MAX >> 1), &[0x60, 254, 0x1d]]),
        u(1),
        9,
        670,
    );
}

#[test]
fn keccak256() {
    // keccak of nothing: PUSH1 0, PUSH1 0, KECCAK256: gas 3+3+30, no memory;
    // native 70+70+110 + keccak(0 bytes: one round) 2,500+17,500.
    let empty = b256!("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    word(
        &[0x60, 0, 0x60, 0, 0x20],
        U256::from_be_bytes(empty.0),
        36,
        20_250,
    );
    // keccak of 32 zero bytes (a widely published value): PUSH1 0 PUSH1 0 MSTORE (gas 3+3+3+3
    // for one word; native 70+70+270 + 35+32) then PUSH1 32, PUSH1 0, KECCAK256 (gas 3+3+30+6
    // per word; native 140+110+20,000).
    let zero_word = b256!("290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563");
    check_word(
        Call::to_code(&[]),
        &[0x60, 0, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0x20],
        U256::from_be_bytes(zero_word.0),
        12 + 42,
        477 + 20_250,
        true,
    );
}

#[test]
fn keccak_rounds_follow_136_byte_blocks() {
    // keccak over 136 bytes of (zero) memory: two rounds (padding block). Memory grows by 5
    // words (160 bytes). PUSH1 136, PUSH1 0, KECCAK256: gas 3+3+30 + 6×5 words + memory
    // (3×5 + 25/512 = 15); native 140+110 + expansion 35+160 + 2,500+2×17,500.
    let out = check_word(
        Call::to_code(&[]),
        &[0x60, 136, 0x60, 0, 0x20],
        U256::from_be_bytes(crate::primitives::keccak256(&[0u8; 136]).0),
        36 + 30 + 15,
        250 + 195 + 37_500,
        true,
    );
    assert_eq!(out.outcome.refund, 0);
}

#[test]
fn clz_follows_the_eip7939_vectors() {
    // EIP-7939's test cases: leading zero bits of the word, 256 for zero. PUSH32 310 + CLZ
    // 150 native; gas 3 + 5 ("low").
    let high_bit = U256::from(1u64) << 255;
    for (x, zeros) in [
        (U256::ZERO, 256u64),
        (high_bit, 0),
        (U256::MAX, 0),
        (high_bit >> 1, 1),
        (U256::MAX >> 1, 1),
        (u(1), 255),
    ] {
        let mut call = Call::to_code(&[]);
        call.hardfork = crate::config::Hardfork::Osaka;
        check_word(call, &cat(&[&push32(x), &[0x1e]]), u(zeros), 8, 460, false);
    }
}
