//! `eth_createAccessList`: what the list names, its gas, and a search that does not settle.

use super::*;
use crate::tx::AccessListItem;

const THIRD: Address = address!("00000000000000000000000000000000000d00d0");

/// `PUSH1 0 SLOAD POP` (its own slot 0), `PUSH20 OTHER BALANCE POP`, a `STATICCALL` of the
/// identity precompile, a `CALL` of [`THIRD`], `CALLER BALANCE POP` (the sender), `STOP`.
fn naming_code() -> Bytes {
    let mut code = hex!("60005450 73").to_vec();
    code.extend_from_slice(OTHER.as_slice());
    code.extend_from_slice(&hex!("3150 60008080806004 5afa50 6000808080 80 73"));
    code.extend_from_slice(THIRD.as_slice());
    code.extend_from_slice(&hex!("5af150 333150 00"));
    Bytes::from(code)
}

fn engine_with(code: Bytes) -> Engine {
    let mut engine = funded_engine(Hardfork::Cancun);
    let account = AccountInput {
        code,
        ..Default::default()
    };
    engine.set_account(CONTRACT, account).expect("stored");
    engine
}

fn item(address: Address, slots: &[u64]) -> AccessListItem {
    AccessListItem {
        address,
        storage_keys: slots
            .iter()
            .map(|slot| B256::from(U256::from(*slot).to_be_bytes::<32>()))
            .collect(),
    }
}

/// The answer's gas is the request's with the answer's list.
fn assert_gas_is_the_lists(engine: &Engine, request: TxRequest, found: &AccessListResult) {
    let with_list = TxRequest {
        access_list: found.access_list.clone(),
        ..request
    };
    let listed = engine
        .call(&with_list, &StateOverride::new(), None)
        .expect("call");
    assert_eq!(found.call.gas_used, listed.gas_used);
}

fn create_list(engine: &Engine, request: &TxRequest) -> AccessListResult {
    engine
        .create_access_list_at(request, &StateOverride::new(), None, None)
        .expect("access list")
}

#[test]
fn lists_named_accounts_and_slots_in_order_without_sender_and_precompiles() {
    let engine = engine_with(naming_code());
    let request = call_to(CONTRACT, Some(200_000));
    let found = create_list(&engine, &request);
    // The recipient is listed for its slot; the sender (CALLER BALANCE) and the identity
    // precompile are not; OTHER (0x..0beef0) sorts before CONTRACT (0x..0c0de0).
    assert_eq!(
        found.access_list,
        alloc::vec![item(OTHER, &[]), item(CONTRACT, &[0]), item(THIRD, &[])]
    );
    assert!(found.call.success);
    // The list costs 3 × 2,400 + 1,900 = 9,100 gas up front and saves 2,000 on the SLOAD and
    // 2,500 on each of BALANCE(OTHER) and CALL(THIRD): 2,100 more than without it.
    let plain = engine
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert_eq!(found.call.gas_used, plain.gas_used + 2_100);
    assert_gas_is_the_lists(&engine, request, &found);
}

#[test]
fn the_request_list_is_kept_and_cleaned() {
    let engine = engine_with(Bytes::copy_from_slice(&READ_SLOT0));
    let mut request = call_to(CONTRACT, Some(100_000));
    // The sender without slots is dropped, a duplicate merged, an unused slot kept (geth
    // starts from the request's list).
    request.access_list = alloc::vec![item(SENDER, &[]), item(THIRD, &[7]), item(THIRD, &[7, 3]),];
    let found = create_list(&engine, &request);
    assert_eq!(
        found.access_list,
        alloc::vec![item(CONTRACT, &[0]), item(THIRD, &[3, 7])]
    );
}

/// Reads the slot numbered by the gas left: `GAS SLOAD POP STOP`. Each list changes the gas its
/// run starts with, so each run names one more slot (geth's search, whose lists only grow,
/// would go on until the gas runs out).
const GAS_SLOT: [u8; 4] = hex!("5a545000");

#[test]
fn a_search_that_does_not_settle_stops_with_its_last_run() {
    let engine = engine_with(Bytes::copy_from_slice(&GAS_SLOT));
    let request = call_to(CONTRACT, Some(100_000));
    let found = create_list(&engine, &request);
    // `GAS` sees 100,000 − 21,000 − 2 = 78,998 without a list and 78,998 − 2,400 − 1,900·k
    // with k slots listed. The eighth run ran with the seven slots the first seven named.
    assert_eq!(ACCESS_LIST_MAX_RUNS, 8);
    let slots = [65_198, 67_098, 68_998, 70_898, 72_798, 74_698, 78_998];
    assert_eq!(found.access_list, alloc::vec![item(CONTRACT, &slots)]);
    assert_gas_is_the_lists(&engine, request, &found);
}

#[test]
fn a_request_the_chain_refuses_is_an_error() {
    let engine = engine_with(Bytes::copy_from_slice(&READ_SLOT0));
    let mut request = call_to(CONTRACT, Some(100_000));
    request.value = U256::from(ETHER_WEI) * U256::from(2u64);
    let error = engine
        .create_access_list_at(&request, &StateOverride::new(), None, None)
        .expect_err("no funds");
    let call_error = engine
        .call(&request, &StateOverride::new(), None)
        .expect_err("no funds");
    assert_eq!(error, call_error);
}

#[test]
fn a_reverting_run_is_an_answer() {
    let engine = engine_with(Bytes::copy_from_slice(&REVERTER));
    let found = create_list(&engine, &call_to(CONTRACT, Some(100_000)));
    assert!(found.access_list.is_empty());
    assert!(!found.call.success);
    assert_eq!(&found.call.output[..], &hex!("deadbeef"));
}

/// Reads slot `i % 3` for `i` from 1,500 down to 1: `PUSH2 1500 JUMPDEST DUP1 PUSH1 3 SWAP1 MOD
/// SLOAD POP PUSH1 1 SWAP1 SUB DUP1 PUSH1 3 JUMPI STOP`.
const SLOT_LOOP: [u8; 20] = hex!("6105dc5b8060039006545060019003806003 5700");

#[test]
fn slots_named_many_times_are_listed_once() {
    let engine = engine_with(Bytes::copy_from_slice(&SLOT_LOOP));
    let found = create_list(&engine, &call_to(CONTRACT, Some(500_000)));
    assert!(found.call.success);
    assert_eq!(found.access_list, alloc::vec![item(CONTRACT, &[0, 1, 2])]);
}
