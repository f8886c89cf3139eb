//! Calls (63/64 rule, stipend, value to a new account, static context), CREATE/CREATE2
//! (addresses, nonces, collision) and SELFDESTRUCT (EIP-6780).
//!
//! Native (20 step included): CALL/STATICCALL 1,520, CREATE/CREATE2 25,020, SELFDESTRUCT 3,100,
//! PUSH1 70, PUSH2 80, PUSH4 96, PUSH5 103, PUSH32 310; an account write (nonce, balance) 5,000,
//! a value transfer two writes (10,000), installing code 5,000 + 500 (preimage); loading code
//! into a frame 500 + 6 per byte the first time the code is seen; CREATE2 hashes the initcode
//! (keccak 2,500 + 17,500 per round).

use super::harness::{
    check_word, decommit_native, Call, Outcome, ABSENT, CALLER, OTHER, RETURN_TOP, TARGET,
};
use crate::ee::evm::frame::{create2_address, create_address};
use crate::ee::evm::FrameEnd;
use crate::primitives::{keccak256, Address, Bytes, B256, U256};

/// `PUSH1 0x2a PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: gas 18, native 707 (70+70+270+67+70+70+90).
const RETURN_2A: [u8; 10] = [0x60, 0x2a, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3];

/// `GAS` + `RETURN_TOP`: returns the gas left after `GAS`; gas 2 + 15, native 60 + 637.
fn return_gas() -> alloc::vec::Vec<u8> {
    super::harness::returning(&[0x5a])
}

fn word_of(address: Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

#[test]
fn call_copies_output_to_memory() {
    // PUSH1 32, PUSH1 0 ×4, PUSH2 0x3000, PUSH2 0xffff, CALL: pushes 7 × 3 = 21 gas; CALL
    // expands memory by a word (3) and accesses a cold account (2,600); the callee gets 0xffff
    // (less than 63/64 of what is left) and uses 18. POP 2, PUSH1 0 MLOAD 6.
    // Native: 350 + 160 + 1,520 + 67 + 121,620 (first access of an existing account) + callee
    // code 500+6×10 + callee 707 + POP 50 + 340.
    let call = Call::to_code(&[]).with_contract(OTHER, 0, &RETURN_2A);
    check_word(
        call,
        &[
            0x60, 32, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x61, 0x30, 0x00, 0x61, 0xff, 0xff, 0xf1,
            0x50, 0x60, 0, 0x51,
        ],
        U256::from(0x2a),
        21 + 2_603 + 18 + 2 + 6,
        350 + 160 + 1_520 + 67 + 121_620 + 560 + 707 + 50 + 340,
        true,
    );
}

#[test]
fn call_forwards_all_but_one_64th() {
    // Gas 100,000. PUSH1 ×5, PUSH2, PUSH32 MAX: 21. CALL: 3 (memory) + 2,600 (cold) leaves
    // 97,376; 97,376 / 64 = 1,521, so the callee gets 95,855 and its GAS reads 95,853.
    // The callee uses 17; POP 2, MLOAD 6.
    let mut call = Call::to_code(&[]).with_contract(OTHER, 0, &return_gas());
    call.gas = 100_000;
    let mut prefix = alloc::vec![0x60, 32, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x61, 0x30, 0x00];
    prefix.extend_from_slice(&super::harness::push32(U256::MAX));
    prefix.extend_from_slice(&[0xf1, 0x50, 0x60, 0, 0x51]);
    check_word(
        call,
        &prefix,
        U256::from(95_853),
        21 + 2_603 + 17 + 2 + 6,
        // 350 + 80 + 310 + 1,520 + 67 + 121,620 + callee code 554 + callee 697 + 50 + 340
        350 + 80 + 310 + 1_520 + 67 + 121_620 + 554 + 697 + 50 + 340,
        true,
    );
}

#[test]
fn value_call_adds_the_stipend() {
    // CALL with value 1 and gas 0 to OTHER (exists, has code): 21 for the pushes; 3 (memory) +
    // 2,600 (cold) + 9,000 (value). The callee gets 0 + 2,300 stipend, GAS reads 2,298, it
    // uses 17 and hands back 2,283. POP 2, MLOAD 6.
    // Native: 420 + 80 + 1,520 + 67 + 121,620 + transfer 10,000 + 554 + 697 + 50 + 340.
    let call = Call::to_code(&[])
        .with_contract(TARGET, 10, &[])
        .with_contract(OTHER, 0, &return_gas());
    let mut out = check_word(
        call,
        &[
            0x60, 32, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 1, 0x61, 0x30, 0x00, 0x60, 0, 0xf1, 0x50,
            0x60, 0, 0x51,
        ],
        U256::from(2_298),
        21 + 2_603 + 9_000 - 2_283 + 2 + 6,
        420 + 80 + 1_520 + 67 + 121_620 + 10_000 + 554 + 697 + 50 + 340,
        true,
    );
    assert_eq!(out.io.account(&OTHER).balance, U256::from(1));
    assert_eq!(out.io.account(&TARGET).balance, U256::from(9));
}

#[test]
fn value_call_to_a_new_account() {
    // CALL with value 1, gas 0 to an absent account: 21 for the pushes; 2,600 (cold) + 9,000
    // (value) + 25,000 (new account); the unused 2,300 stipend comes back. Pushes 1.
    // Native: 420 + 80 + 1,520 + 242,240 (first access of an absent account) + 10,000.
    let call = Call::to_code(&[]).with_contract(TARGET, 10, &[]);
    let mut out = check_word(
        call,
        &[
            0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 1, 0x61, 0x50, 0x00, 0x60, 0, 0xf1,
        ],
        U256::from(1),
        21 + 2_600 + 9_000 + 25_000 - 2_300,
        420 + 80 + 1_520 + 242_240 + 10_000,
        false,
    );
    let account = out.io.account(&ABSENT);
    assert!(account.exists);
    assert_eq!(account.balance, U256::from(1));
}

#[test]
fn value_call_without_balance_fails_and_returns_the_gas() {
    // As above but TARGET has no balance: CALL pushes 0; the 2,300 stipend is handed back too.
    // Native: no transfer happens.
    let call = Call::to_code(&[]).with_contract(OTHER, 0, &return_gas());
    check_word(
        call,
        &[
            0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 1, 0x61, 0x30, 0x00, 0x60, 0, 0xf1,
        ],
        U256::ZERO,
        21 + 2_600 + 9_000 - 2_300,
        420 + 80 + 1_520 + 121_620,
        false,
    );
}

#[test]
fn staticcall_forbids_sstore() {
    // OTHER: PUSH1 1, PUSH1 0, SSTORE. STATICCALL(0xffff, OTHER, 0, 0, 0, 0) → 0. The callee
    // pays the SSTORE (22,100 fits), then halts: the whole 0xffff is lost.
    // Gas: 6 pushes 18 + 2,600 + 65,535. Native: 280 + 160 + 1,520 + 121,620 + callee code
    // 500+6×5 + callee 70+70+120 (the write never reaches the IO).
    let call = Call::to_code(&[]).with_contract(OTHER, 0, &[0x60, 1, 0x60, 0, 0x55]);
    let out = check_word(
        call,
        &[
            0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x61, 0x30, 0x00, 0x61, 0xff, 0xff, 0xfa,
        ],
        U256::ZERO,
        18 + 2_600 + 65_535,
        280 + 160 + 1_520 + 121_620 + 530 + 260,
        false,
    );
    assert!(out.storage.is_empty());
}

/// Initcode `PUSH1 1 PUSH1 0 RETURN`: deploys the one byte 0x00. Gas 9 + deposit 200; native
/// 70+70+67+90 = 297.
const INIT: [u8; 5] = [0x60, 1, 0x60, 0, 0xf3];

/// `PUSH5 INIT PUSH1 0 MSTORE`: the initcode at memory 27..32. Gas 12, native 103+70+270+67.
fn store_init() -> alloc::vec::Vec<u8> {
    let mut code = alloc::vec![0x64];
    code.extend_from_slice(&INIT);
    code.extend_from_slice(&[0x60, 0, 0x52]);
    code
}

fn assert_deployed(out: &mut Outcome, address: Address) {
    assert_eq!(out.io.account(&TARGET).nonce, 2);
    let deployed = out.io.account(&address);
    assert_eq!(deployed.nonce, 1);
    assert_eq!(deployed.code.bytes(), &[0x00]);
}

/// Protocol version 1's native for what deploying one byte of code computes: keccak of the
/// code (2,500 + 1 round × 17,500 = 20,000), its jumpdest analysis (6) and blake2s of its
/// 9-byte preimage (code, 7 bytes of padding, a 1-byte bitmap: 800 + 1 chunk × 340 = 1,140).
const DEPLOY_ONE_BYTE_NATIVE_V1: u64 = 20_000 + 6 + 1_140;

#[test]
fn create_deploys_at_the_nonce_address() {
    // store_init; PUSH1 5, PUSH1 27, PUSH1 0, CREATE: 9 + 32,000 + 2 (one initcode word); the
    // constructor uses 209. Native: 510 + 210 + 25,020 + 242,240 (new address) + sender nonce
    // 5,000 + new nonce 5,000 + initcode 500+6×5 + 297 + code 5,500 + the deployed byte's
    // hashing 21,146 (see `DEPLOY_ONE_BYTE_NATIVE_V1`).
    let expected = create_address(&TARGET, 1);
    let mut prefix = store_init();
    prefix.extend_from_slice(&[0x60, 5, 0x60, 27, 0x60, 0, 0xf0]);
    let mut out = check_word(
        Call::to_code(&[]),
        &prefix,
        word_of(expected),
        12 + 9 + 32_002 + 209,
        510 + 210 + 25_020 + 242_240 + 10_000 + 530 + 297 + 5_500 + DEPLOY_ONE_BYTE_NATIVE_V1,
        true,
    );
    assert_eq!(out.outcome.created, None);
    assert_deployed(&mut out, expected);
}

#[test]
fn create2_deploys_at_the_salted_address() {
    // store_init; PUSH1 1 (salt), PUSH1 5, PUSH1 27, PUSH1 0, CREATE2: 12 + 32,000 + 2 + 6
    // (hashing one word); constructor 209. Native as CREATE plus PUSH1 70 and keccak of 5
    // bytes 20,000.
    let expected = create2_address(&TARGET, &B256::from(U256::from(1)), &keccak256(&INIT));
    let mut prefix = store_init();
    prefix.extend_from_slice(&[0x60, 1, 0x60, 5, 0x60, 27, 0x60, 0, 0xf5]);
    let mut out = check_word(
        Call::to_code(&[]),
        &prefix,
        word_of(expected),
        12 + 12 + 32_008 + 209,
        510 + 280
            + 25_020
            + 20_000
            + 242_240
            + 10_000
            + 530
            + 297
            + 5_500
            + DEPLOY_ONE_BYTE_NATIVE_V1,
        true,
    );
    assert_deployed(&mut out, expected);
}

#[test]
fn create2_collision_pushes_zero_and_burns_the_child_gas() {
    // Gas 100,000: 24 before CREATE2, which costs 32,008, leaving 67,968; 67,968 / 64 = 1,062,
    // so 66,906 go to the (never run) constructor and are lost. The nonce still goes up.
    // Native: 510 + 280 + 25,020 + 20,000 + 121,620 (existing account) + sender nonce 5,000.
    let address = create2_address(&TARGET, &B256::from(U256::from(1)), &keccak256(&INIT));
    let mut call = Call::to_code(&[]);
    call.state.set_account(address, 1, U256::ZERO, Bytes::new());
    call.gas = 100_000;
    let mut prefix = store_init();
    prefix.extend_from_slice(&[0x60, 1, 0x60, 5, 0x60, 27, 0x60, 0, 0xf5]);
    let mut out = check_word(
        call,
        &prefix,
        U256::ZERO,
        24 + 32_008 + 66_906,
        510 + 280 + 25_020 + 20_000 + 121_620 + 5_000,
        true,
    );
    assert_eq!(out.io.account(&TARGET).nonce, 2);
    assert_eq!(out.io.account(&address).code.len(), 0);
}

#[test]
fn create_collision_with_storage_only() {
    // An address with storage but no nonce or code also collides (EIP-7610).
    let address = create_address(&TARGET, 1);
    let mut call = Call::to_code(&[]);
    call.state.set_storage(address, U256::ZERO, U256::from(1));
    let mut code = store_init();
    code.extend_from_slice(&[0x60, 5, 0x60, 27, 0x60, 0, 0xf0]);
    code.extend_from_slice(&RETURN_TOP);
    call.state
        .set_account(TARGET, 1, U256::ZERO, Bytes::copy_from_slice(&code));
    let out = call.run();
    assert_eq!(out.word(), U256::ZERO);
}

#[test]
fn selfdestruct_of_an_old_contract_only_moves_its_balance() {
    // PUSH2 0x1000 (CALLER, warm), SELFDESTRUCT: gas 3 + 5,000; native 80 + 3,100 + cached
    // access 4,000 + transfer 10,000.
    let call = Call::to_code(&[0x61, 0x10, 0x00, 0xff]).with_contract(
        TARGET,
        7,
        &[0x61, 0x10, 0x00, 0xff],
    );
    let mut out = call.run();
    assert_eq!(out.outcome.end, FrameEnd::Success(Bytes::new()));
    out.assert_cost(5_003, decommit_native(4) + 80 + 3_100 + 4_000 + 10_000);
    out.io.finish_tx(true);
    let target = out.io.account(&TARGET);
    assert!(target.exists);
    assert_eq!(target.balance, U256::ZERO);
    assert_eq!(target.code.bytes(), &[0x61, 0x10, 0x00, 0xff]);
    assert_eq!(
        out.io.account(&CALLER).balance,
        U256::from(1_000_000_000_000_000_007u64)
    );
}

#[test]
fn selfdestruct_in_the_creating_transaction_deletes_the_account() {
    // PUSH4 (initcode PUSH2 0x1000 SELFDESTRUCT), PUSH1 0, MSTORE: 12; PUSH1 4, PUSH1 28,
    // PUSH1 0, CREATE: 9 + 32,002; the constructor uses 3 + 5,000 (CALLER warm, not empty).
    // Native: 96 + 70 + 270 + 67 + 210 + 25,020 + 242,240 + 10,000 (two nonces) + initcode
    // 500+24 + 80 + 3,100 + 4,000 + zeroing the balance 5,000 + installing empty code 5,500.
    let expected = create_address(&TARGET, 1);
    let prefix = [
        0x63, 0x61, 0x10, 0x00, 0xff, 0x60, 0, 0x52, 0x60, 4, 0x60, 28, 0x60, 0, 0xf0,
    ];
    let mut out = check_word(
        Call::to_code(&[]),
        &prefix,
        word_of(expected),
        12 + 32_011 + 5_003,
        503 + 210 + 25_020 + 242_240 + 10_000 + 524 + 3_180 + 4_000 + 5_000 + 5_500,
        true,
    );
    assert!(out.io.account(&expected).exists);
    out.io.finish_tx(true);
    assert!(!out.io.account(&expected).exists);
}
