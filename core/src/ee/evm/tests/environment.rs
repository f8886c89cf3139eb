//! Environment and memory instructions: result, gas and native.
//!
//! Native constants used (20 step included): ADDRESS/CALLER/CALLVALUE/CALLDATASIZE/CODESIZE/
//! CHAINID/PC/MSIZE/GAS/NUMBER/TIMESTAMP 60, CALLDATALOAD 320, CALLDATACOPY/MCOPY 120 (+80 + 1
//! per byte copied), BALANCE 80, SELFBALANCE 670, POP 50, MLOAD/MSTORE 270, MSTORE8 100; memory
//! expansion 35 + 1 per new byte; an account access 4,000 when cached, 121,120 + 500 (Merkle
//! path + preimage) the first time for an existing account, 2 × 121,120 for an absent one.

use super::harness::{
    cat, check_word, word, Call, ABSENT, CALLER, CHAIN_ID, DEFAULT_GAS, OTHER, TARGET,
};
use crate::primitives::{Bytes, U256};

fn addr_word(a: crate::primitives::Address) -> U256 {
    U256::from_be_slice(a.as_slice())
}

#[test]
fn context_values() {
    // Each is one opcode: gas 2 (BASE), native 60.
    word(&[0x30], addr_word(TARGET), 2, 60);
    word(&[0x33], addr_word(CALLER), 2, 60);
    word(&[0x32], addr_word(CALLER), 2, 60); // ORIGIN
    word(&[0x34], U256::ZERO, 2, 60); // CALLVALUE
    word(&[0x46], U256::from(CHAIN_ID), 2, 60);
    word(&[0x43], U256::from(100), 2, 60); // NUMBER
    word(&[0x42], U256::from(1_700_000_000u64), 2, 60); // TIMESTAMP
    word(&[0x3a], U256::from(9), 2, 60); // GASPRICE
    word(&[0x48], U256::from(7), 2, 60); // BASEFEE
                                         // CODESIZE sees the whole code: 1 + RETURN_TOP's 8 bytes.
    word(&[0x38], U256::from(9), 2, 60);
    // PUSH1 0, POP, PC: gas 3+2+2, native 70+50+60.
    word(&[0x60, 0, 0x50, 0x58], U256::from(3), 7, 180);
    // GAS as the first opcode: the limit minus its own 2.
    word(&[0x5a], U256::from(DEFAULT_GAS - 2), 2, 60);
}

#[test]
fn calldata() {
    let with_input = || {
        let mut call = Call::to_code(&[]);
        call.input = Bytes::from(alloc::vec![0xaa, 0xbb, 0xcc, 0xdd]);
        call
    };
    let loaded = U256::from(0xaabbccddu64) << 224;
    // CALLDATASIZE: gas 2, native 60.
    check_word(with_input(), &[0x36], U256::from(4), 2, 60, false);
    // PUSH1 0, CALLDATALOAD (zero-padded): gas 3+3, native 70+320.
    check_word(with_input(), &[0x60, 0, 0x35], loaded, 6, 390, false);
    // Loading past the end gives zero.
    check_word(with_input(), &[0x60, 4, 0x35], U256::ZERO, 6, 390, false);
    // PUSH1 4, PUSH1 0, PUSH1 0, CALLDATACOPY: gas 9 + 3 + 3 per word + 3 memory;
    // native 210 + 120 + copy 80+4 + expansion 35+32. Then PUSH1 0, MLOAD: gas 6, native 340.
    check_word(
        with_input(),
        &[0x60, 4, 0x60, 0, 0x60, 0, 0x37, 0x60, 0, 0x51],
        loaded,
        18 + 6,
        481 + 340,
        true,
    );
}

#[test]
fn balances_charge_account_access() {
    let mut call = Call::to_code(&[]);
    call.state
        .set_account(OTHER, 0, U256::from(77), Bytes::copy_from_slice(&[0x00]));
    // BALANCE of the (warm, cached) caller: PUSH2 80 + BALANCE 80 + cached access 4,000;
    // gas 3 + 100 (warm).
    check_word(
        Call::to_code(&[]),
        &[0x61, 0x10, 0x00, 0x31],
        U256::from(1_000_000_000_000_000_000u64),
        103,
        4_160,
        false,
    );
    // BALANCE of a cold existing account: gas 3 + 2,600; native 160 + 121,120 + 500.
    check_word(
        call,
        &[0x61, 0x30, 0x00, 0x31],
        U256::from(77),
        2_603,
        160 + 121_620,
        false,
    );
    // BALANCE of an absent account: gas 3 + 2,600; native 160 + 2 × 121,120.
    check_word(
        Call::to_code(&[]),
        &[0x61, 0x50, 0x00, 0x31],
        U256::ZERO,
        2_603,
        160 + 242_240,
        false,
    );
    assert_eq!(ABSENT.as_slice()[18], 0x50);
    // SELFBALANCE: gas 5, native 670, no IO charge; the 5 wei sent with the call cost two
    // account writes of 4,000 + 1,000.
    let mut rich = Call::to_code(&[]);
    rich.value = U256::from(5);
    check_word(rich, &[0x47], U256::from(5), 5, 670 + 10_000, false);
}

#[test]
fn value_transfer_into_the_top_frame_is_visible() {
    // CALLVALUE with value 5: the top frame moved 5 wei from the caller.
    let mut call = Call::to_code(&[]);
    call.value = U256::from(5);
    let mut out = check_word(call, &[0x34], U256::from(5), 2, 60 + 10_000, false);
    // The transfer cost two account writes of 4,000 + 1,000 native (counted above).
    assert_eq!(out.io.account(&TARGET).balance, U256::from(5));
}

#[test]
fn memory_store_load() {
    // PUSH1 0x2a, PUSH1 0x40, MSTORE: gas 9 + memory of 3 words (9), native 410 + 35+96.
    // PUSH1 0x40, MLOAD: gas 6, native 340.
    check_word(
        Call::to_code(&[]),
        &[0x60, 0x2a, 0x60, 0x40, 0x52, 0x60, 0x40, 0x51],
        U256::from(0x2a),
        18 + 6,
        541 + 340,
        true,
    );
    // PUSH2 0x1234, PUSH1 31, MSTORE8 stores the low byte 0x34 at 31: gas 9+3, native
    // 80+70+100+67; PUSH1 0, MLOAD.
    check_word(
        Call::to_code(&[]),
        &[0x61, 0x12, 0x34, 0x60, 31, 0x53, 0x60, 0, 0x51],
        U256::from(0x34),
        12 + 6,
        317 + 340,
        true,
    );
    // PUSH1 0x40, MLOAD, POP, MSIZE = 0x60: gas 3+3+9+2+2, native 70+270+131+50+60.
    check_word(
        Call::to_code(&[]),
        &[0x60, 0x40, 0x51, 0x50, 0x59],
        U256::from(0x60),
        19,
        581,
        true,
    );
}

#[test]
fn mcopy() {
    // PUSH1 0x2a PUSH1 0 MSTORE: gas 12, native 477. PUSH1 32 (len), PUSH1 0 (src), PUSH1 32
    // (dest), MCOPY: gas 9 + 3 + 3 per word + 3 for the second word; native 210 + 120 +
    // copy 80+32 + expansion 35+32. PUSH1 32, MLOAD: gas 6, native 340.
    check_word(
        Call::to_code(&[]),
        &cat(&[
            &[0x60, 0x2a, 0x60, 0, 0x52],
            &[0x60, 32, 0x60, 0, 0x60, 32, 0x5e],
            &[0x60, 32, 0x51],
        ]),
        U256::from(0x2a),
        12 + 18 + 6,
        477 + 509 + 340,
        true,
    );
}

#[test]
fn returndatasize_without_call_is_zero() {
    word(&[0x3d], U256::ZERO, 2, 60);
}
