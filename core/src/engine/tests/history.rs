//! EIP-2935 in the Ethereum flow: the history contract at genesis from Prague, the system call
//! that stores each block's parent hash, and its conventions (no gas counted, nothing warmed,
//! silent without code), checked against the EIP text.

use super::*;
use crate::bootloader::flow::history::{
    HISTORY_SERVE_WINDOW, HISTORY_STORAGE_ADDRESS, HISTORY_STORAGE_CODE, SYSTEM_ADDRESS,
};

fn prague_engine() -> Engine {
    funded_engine(Hardfork::Prague)
}

fn hash_of(engine: &Engine, number: u64) -> B256 {
    engine.get_block(number).expect("block").hash
}

/// The history slot of block `number` (the EIP's ring buffer index).
fn slot_of(number: u64) -> U256 {
    U256::from(number % HISTORY_SERVE_WINDOW)
}

/// Returns what the history contract answers for the parent block:
/// `PUSH1 1 NUMBER SUB PUSH1 0 MSTORE` (word 0 = number - 1);
/// `PUSH1 32 PUSH1 0 PUSH1 32 PUSH1 0 PUSH20 <history> GAS STATICCALL POP`;
/// `PUSH1 32 PUSH1 0 RETURN`.
fn parent_hash_reader() -> Bytes {
    let mut code = hex!("60014303600052602060006020600073").to_vec();
    code.extend_from_slice(HISTORY_STORAGE_ADDRESS.as_slice());
    code.extend_from_slice(&hex!("5afa5060206000f3"));
    Bytes::from(code)
}

/// Reads the history contract's balance: `PUSH20 <history> BALANCE POP STOP`.
fn history_balance_reader() -> Bytes {
    let mut code = hex!("73").to_vec();
    code.extend_from_slice(HISTORY_STORAGE_ADDRESS.as_slice());
    code.extend_from_slice(&hex!("315000"));
    Bytes::from(code)
}

#[test]
fn a_prague_chain_starts_with_the_history_contract() {
    let engine = prague_engine();
    let account = engine
        .get_account(&HISTORY_STORAGE_ADDRESS)
        .expect("installed at genesis");
    assert_eq!(account.nonce, 1);
    assert_eq!(account.code.as_ref(), HISTORY_STORAGE_CODE.as_slice());
    // Cancun has no such contract.
    let cancun = Engine::new(ChainConfig::ethereum(1, Hardfork::Cancun));
    assert!(cancun.get_account(&HISTORY_STORAGE_ADDRESS).is_none());
}

#[test]
fn each_block_stores_its_parent_hash_at_number_minus_one() {
    let mut engine = prague_engine();
    let first = engine.run_block(&[], None).expect("block 1");
    // The system call counts against no gas limit.
    assert_eq!(first.header.gas_used, 0);
    // "at the start of block 1, genesis hash will be written ... to slot 0".
    assert_eq!(
        engine.get_storage(&HISTORY_STORAGE_ADDRESS, &slot_of(0)),
        U256::from_be_bytes(hash_of(&engine, 0).0)
    );
    engine.run_block(&[], None).expect("block 2");
    assert_eq!(
        engine.get_storage(&HISTORY_STORAGE_ADDRESS, &slot_of(1)),
        U256::from_be_bytes(hash_of(&engine, 1).0)
    );
    assert_eq!(
        engine.get_storage(&HISTORY_STORAGE_ADDRESS, &slot_of(0)),
        U256::from_be_bytes(hash_of(&engine, 0).0)
    );
    assert_eq!(engine.get_storage_all(&HISTORY_STORAGE_ADDRESS).len(), 2);
    // The caller is a convention, not an account.
    assert!(engine.get_account(&SYSTEM_ADDRESS).is_none());
}

#[test]
fn blocks_skip_the_call_when_the_contract_has_no_code() {
    let mut engine = prague_engine();
    engine
        .set_account(HISTORY_STORAGE_ADDRESS, AccountInput::default())
        .expect("stored");
    engine.run_block(&[], None).expect("block 1");
    assert!(engine.get_storage_all(&HISTORY_STORAGE_ADDRESS).is_empty());
    assert!(engine.get_account(&SYSTEM_ADDRESS).is_none());
}

#[test]
fn contracts_read_the_history_and_traces_replay_the_block_start() {
    let mut engine = prague_engine();
    for (address, code) in [
        (CONTRACT, parent_hash_reader()),
        (OTHER, history_balance_reader()),
    ] {
        engine
            .set_account(
                address,
                AccountInput {
                    code,
                    ..Default::default()
                },
            )
            .expect("stored");
    }
    engine.run_block(&[], None).expect("block 1");
    let block = engine
        .run_block(
            &[
                BlockTx::Raw(signed_raw(0, Some(CONTRACT), 100_000, &[])),
                BlockTx::Raw(signed_raw(1, Some(OTHER), 100_000, &[])),
            ],
            None,
        )
        .expect("block 2");
    // The parent of block 2 is block 1: its hash is what the contract answers "get(1)" with.
    let parent = hash_of(&engine, 1);
    let receipt = engine
        .get_receipt(&block.receipts[0].tx_hash)
        .expect("receipt");
    assert!(receipt.status);
    let trace = engine
        .trace_transaction(
            &block.receipts[0].tx_hash,
            TracerConfig::Steps(crate::trace::StepLogConfig::default()),
            crate::trace::TraceBudget::default(),
        )
        .expect("trace");
    assert_eq!(trace.output.as_ref(), parent.as_slice());
    assert_eq!(trace.gas_used, receipt.gas_used);
    // The system call warms nothing: BALANCE of the history contract is a cold access.
    // 21,000 + PUSH20 3 + BALANCE (cold) 2,600 + POP 2 + STOP 0.
    assert_eq!(block.receipts[1].gas_used, 21_000 + 3 + 2_600 + 2);
}

#[test]
fn blockhash_keeps_its_256_block_window() {
    // BLOCKHASH semantics are unchanged: the previous block's hash, as in Cancun.
    let mut engine = prague_engine();
    engine
        .set_account(
            PARENT_HASH_READER,
            AccountInput {
                code: Bytes::copy_from_slice(&STORE_PARENT_HASH),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .run_block(
            &[BlockTx::Raw(signed_raw(
                0,
                Some(PARENT_HASH_READER),
                100_000,
                &[],
            ))],
            None,
        )
        .expect("block 1");
    assert_eq!(
        engine.get_storage(&PARENT_HASH_READER, &U256::ZERO),
        U256::from_be_bytes(hash_of(&engine, 0).0)
    );
}
