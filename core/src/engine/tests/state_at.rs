//! The state at recent blocks: account queries, calls, estimates and traces at a block number,
//! the history window that bounds them, and the errors beyond it.

use super::*;
use crate::primitives::keccak256;

/// Holds slot 0 (set by the tests).
const HOLDER: Address = address!("00000000000000000000000000000000000a11c0");
/// Runs `READ_SLOT0`.
const READER: Address = address!("00000000000000000000000000000000000a11c1");
/// `SSTORE(0, 1)`: `PUSH1 1 PUSH1 0 SSTORE STOP`.
const SET_SLOT0: [u8; 6] = hex!("600160005500");
/// Returns `NUMBER` and `TIMESTAMP` as two words:
/// `NUMBER PUSH1 0 MSTORE TIMESTAMP PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`.
const BLOCK_READER: [u8; 13] = hex!("4360005242602052604060 00f3");
const CLOCK: Address = address!("00000000000000000000000000000000000a11c2");

fn pay(value: u64) -> BlockTx {
    BlockTx::Request(alloc::boxed::Box::new(TxRequest {
        from: Some(SENDER),
        to: Some(OTHER),
        value: U256::from(value),
        gas: Some(21_000),
        ..Default::default()
    }))
}

fn code(engine: &mut Engine, address: Address, code: &[u8]) {
    engine
        .set_account(
            address,
            AccountInput {
                code: Bytes::copy_from_slice(code),
                ..Default::default()
            },
        )
        .expect("stored");
}

fn word(output: &[u8], index: usize) -> U256 {
    U256::from_be_slice(&output[index * 32..(index + 1) * 32])
}

/// Blocks 1 (pays 5 wei), 2 (pays 3 wei) and 3 (empty); slot 0 of [`HOLDER`] is 1 before
/// block 1, set to 7 between blocks 1 and 2, and to 9 after block 3.
/// The [`CLOCK`] contract called on the state of block `at`.
fn clock_at(engine: &Engine, at: u64, block: Option<&BlockOverrides>) -> CallResult {
    engine
        .call_at(
            &call_to(CLOCK, None),
            &StateOverride::default(),
            block,
            Some(at),
        )
        .expect("call")
}

fn three_blocks() -> Engine {
    let mut engine = funded_engine(Hardfork::Cancun);
    code(&mut engine, READER, &READ_SLOT0);
    code(&mut engine, CLOCK, &BLOCK_READER);
    engine.set_storage(READER, U256::ZERO, U256::from(1));
    engine.run_block(&[pay(5)], None).expect("block 1");
    engine.set_storage(READER, U256::ZERO, U256::from(7));
    engine.run_block(&[pay(3)], None).expect("block 2");
    engine.run_block(&[], None).expect("block 3");
    engine.set_storage(READER, U256::ZERO, U256::from(9));
    engine
}

#[test]
fn queries_read_the_state_each_recent_block_left() {
    let engine = three_blocks();
    let balance = |n| {
        engine
            .account_at(&OTHER, n)
            .expect("kept")
            .map(|a| a.balance)
    };
    assert_eq!(balance(0), None);
    assert_eq!(balance(1), Some(U256::from(5)));
    assert_eq!(balance(2), Some(U256::from(8)));
    assert_eq!(balance(3), Some(U256::from(8)));
    let nonce = |n| {
        engine
            .account_at(&SENDER, n)
            .expect("kept")
            .map(|a| a.nonce)
    };
    assert_eq!(
        [nonce(0), nonce(1), nonce(2), nonce(3)],
        [Some(0), Some(1), Some(2), Some(2)]
    );
    // An edit after block n belongs to the state at n (the state block n + 1 ran on).
    let slot = |n| engine.storage_at(&READER, &U256::ZERO, n).expect("kept");
    assert_eq!(
        [slot(0), slot(1), slot(2), slot(3)],
        [1, 7, 7, 9].map(U256::from)
    );
    let code = engine
        .account_at(&READER, 0)
        .expect("kept")
        .expect("exists");
    assert_eq!(code.code.as_ref(), &READ_SLOT0);
    assert_eq!(code.code_hash, keccak256(&READ_SLOT0));
    // The head's state is the current one.
    assert_eq!(
        engine.account_at(&SENDER, 3).expect("head"),
        engine.get_account(&SENDER)
    );
    assert_eq!(
        engine.account_at(&OTHER, 4).expect_err("future"),
        EngineError::UnknownBlock
    );
}

#[test]
fn calls_run_on_a_blocks_state_in_that_blocks_context() {
    let engine = three_blocks();
    let read = |at| {
        let result = engine
            .call_at(&call_to(READER, None), &StateOverride::default(), None, at)
            .expect("call");
        word(&result.output, 0)
    };
    assert_eq!(
        [
            read(Some(0)),
            read(Some(1)),
            read(Some(2)),
            read(Some(3)),
            read(None)
        ],
        [1, 7, 7, 9, 9].map(U256::from)
    );
    // At block 1 the call runs in block 1: its number and timestamp (as geth's and anvil's).
    let block1 = engine.get_block(1).expect("block 1").clone();
    let clock = clock_at(&engine, 1, None);
    assert_eq!(word(&clock.output, 0), U256::from(1));
    assert_eq!(word(&clock.output, 1), U256::from(block1.timestamp));
    // A block override still applies.
    let overridden = BlockOverrides {
        timestamp: Some(1_000),
        ..Default::default()
    };
    let clock = clock_at(&engine, 1, Some(&overridden));
    assert_eq!(word(&clock.output, 1), U256::from(1_000));
    // A trace at a block sees the same state as a call there.
    let trace = engine
        .trace_call_at(
            &call_to(READER, None),
            &StateOverride::default(),
            (None, Some(0)),
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect("trace");
    assert_eq!(word(&trace.output, 0), U256::from(1));
}

#[test]
fn estimates_price_the_storage_a_block_left() {
    let mut engine = funded_engine(Hardfork::Cancun);
    code(&mut engine, HOLDER, &SET_SLOT0);
    let request = || BlockTx::Request(alloc::boxed::Box::new(call_to(HOLDER, Some(100_000))));
    engine
        .run_block(&[request()], None)
        .expect("block 1 sets slot 0");
    let gas = |at| {
        engine
            .estimate_gas_at(&call_to(HOLDER, None), &StateOverride::default(), None, at)
            .expect("estimate")
            .gas_used
    };
    // At block 0 slot 0 is zero: a cold SSTORE from zero costs 2,100 + 20,000 (EIP-2929,
    // EIP-2200); at block 1 it already holds 1: 2,100 + 100. Difference 19,900.
    assert_eq!(gas(Some(0)) - gas(Some(1)), 19_900);
    assert_eq!(gas(Some(1)), gas(None));
}

#[test]
fn the_window_keeps_the_head_and_the_blocks_before_it() {
    let mut engine = funded_engine(Hardfork::Cancun);
    assert_eq!(engine.history_blocks(), DEFAULT_HISTORY_BLOCKS);
    engine.set_history_blocks(2).expect("window");
    for _ in 0..4 {
        engine.run_block(&[], None).expect("block");
    }
    for kept in 2..=4 {
        assert!(engine.account_at(&SENDER, kept).is_ok(), "block {kept}");
    }
    let old = EngineError::HistoryUnavailable;
    assert_eq!(engine.account_at(&SENDER, 1).expect_err("old"), old);
    assert_eq!(
        engine.storage_at(&SENDER, &U256::ZERO, 0).expect_err("old"),
        old
    );
    let request = call_to(OTHER, None);
    let none = StateOverride::default();
    assert_eq!(
        engine
            .call_at(&request, &none, None, Some(1))
            .expect_err("old"),
        old
    );
    assert_eq!(
        engine
            .estimate_gas_at(&request, &none, None, Some(1))
            .expect_err("old"),
        EstimateError::Invalid(old.clone())
    );
    let trace = engine.trace_call_at(
        &request,
        &none,
        (None, Some(1)),
        TracerConfig::OpcodeStats,
        TraceBudget::default(),
    );
    assert_eq!(trace.expect_err("old"), old);
    // A smaller window forgets at once; the head stays readable with none.
    engine.set_history_blocks(0).expect("window");
    assert_eq!(engine.account_at(&SENDER, 3).expect_err("old"), old);
    assert!(engine.account_at(&SENDER, 4).is_ok());
    assert!(matches!(
        engine.set_history_blocks(MAX_HISTORY_BLOCKS + 1),
        Err(EngineError::BadInput(_))
    ));
    assert_eq!(engine.history_blocks(), 0);
}

#[test]
fn a_gap_in_block_numbers_holds_no_state() {
    let mut engine = funded_engine(Hardfork::Cancun);
    code(&mut engine, CLOCK, &BLOCK_READER);
    engine.run_block(&[pay(5)], None).expect("block 1");
    let jump = BlockOverrides {
        number: Some(10),
        ..Default::default()
    };
    engine.run_block(&[pay(3)], Some(jump)).expect("block 10");
    assert_eq!(
        engine.account_at(&OTHER, 5).expect_err("no block 5"),
        EngineError::UnknownBlock
    );
    // Block 1's state is the one block 10 ran on; a call at block 1 runs in block 1.
    let balance = |n| {
        engine
            .account_at(&OTHER, n)
            .expect("kept")
            .map(|a| a.balance)
    };
    assert_eq!(balance(1), Some(U256::from(5)));
    assert_eq!(balance(10), Some(U256::from(8)));
    let clock = clock_at(&engine, 1, None);
    assert_eq!(word(&clock.output, 0), U256::from(1));
    assert_eq!(word(&clock_at(&engine, 10, None).output, 0), U256::from(10));
}
