//! Pauses for state the source does not know yet: each opcode that reads state asks for exactly
//! what it reads, once, before it runs (the harness runs every other test of this module over
//! such a source too and checks that it ends exactly as over a source that knows everything).

use super::harness::{Call, CALLER, OTHER, TARGET, THIRD};
use crate::io::StateKey;
use crate::primitives::{Address, U256};
use alloc::vec;
use alloc::vec::Vec;

fn push_address(code: &mut Vec<u8>, address: Address) {
    code.push(0x73);
    code.extend_from_slice(address.as_slice());
}

#[test]
fn every_state_read_pauses_once_for_its_own_key() {
    // SLOAD 5; BALANCE OTHER; EXTCODEHASH THIRD; STATICCALL OTHER (known by then: no pause);
    // SSTORE 5 (the slot is known: no pause); STOP.
    let mut code = vec![0x60, 0x05, 0x54, 0x50];
    push_address(&mut code, OTHER);
    code.extend_from_slice(&[0x31, 0x50]);
    push_address(&mut code, THIRD);
    code.extend_from_slice(&[0x3f, 0x50]);
    code.extend_from_slice(&[0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0]);
    push_address(&mut code, OTHER);
    code.extend_from_slice(&[0x61, 0xff, 0xff, 0xfa, 0x50]);
    code.extend_from_slice(&[0x60, 0x07, 0x60, 0x05, 0x55, 0x00]);
    let call = Call::to_code(&code).with_contract(OTHER, 3, &[0x00]);
    assert_eq!(
        call.pauses(),
        vec![
            // Entering the frame: the callee and the caller together.
            vec![StateKey::Account(TARGET), StateKey::Account(CALLER)],
            vec![StateKey::Storage(TARGET, U256::from(5))],
            vec![StateKey::Account(OTHER)],
            vec![StateKey::Account(THIRD)],
        ]
    );
}

#[test]
fn a_delegated_callee_asks_for_its_delegate_next() {
    // CALL OTHER, whose code delegates to THIRD (EIP-7702): OTHER first, then THIRD.
    let mut designator = vec![0xef, 0x01, 0x00];
    designator.extend_from_slice(THIRD.as_slice());
    let mut code = vec![0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0];
    push_address(&mut code, OTHER);
    code.extend_from_slice(&[0x61, 0xff, 0xff, 0xf1, 0x00]);
    let call = Call::to_code(&code)
        .with_contract(OTHER, 0, &designator)
        .with_contract(THIRD, 0, &[0x00]);
    let pauses = call.pauses();
    assert_eq!(
        &pauses[1..],
        &[
            vec![StateKey::Account(OTHER)],
            vec![StateKey::Account(THIRD)]
        ]
    );
}

#[test]
fn create2_asks_for_the_salted_address_before_it_runs() {
    // CREATE2 with empty init code and salt 0: the address is keccak(0xff ‖ TARGET ‖ 0 ‖
    // keccak("")), asked for before the opcode charges anything.
    let code = [0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0xf5, 0x00];
    let address = crate::ee::evm::frame::create2_address(
        &TARGET,
        &crate::primitives::B256::ZERO,
        &crate::primitives::keccak256(&[]),
    );
    let pauses = Call::to_code(&code).pauses();
    assert_eq!(&pauses[1..], &[vec![StateKey::Account(address)]]);
}
