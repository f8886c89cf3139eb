//! Engines over a forked chain, driven as a host drives them (start, resume, supply): what the
//! forked chain holds wins over the flow's genesis accounts.

use super::*;
use crate::bootloader::flow::history::{
    HISTORY_SERVE_WINDOW, HISTORY_STORAGE_ADDRESS, HISTORY_STORAGE_CODE,
};
use crate::system::L1_MESSENGER_ADDRESS;
use alloc::vec;

/// The forked chain's block the tests build on.
const FORK_NUMBER: u64 = 100;
/// The history contract's balance on the forked chain (zkos's genesis gives it none).
const CHAIN_HISTORY_BALANCE_WEI: u64 = 7;
/// A value the forked chain holds in a history slot zkos never writes in these tests.
const CHAIN_HISTORY_SLOT_VALUE: u64 = 0x1234;

fn fork_point() -> ForkPoint {
    ForkPoint {
        number: FORK_NUMBER,
        hash: B256::repeat_byte(0xab),
        parent_hash: B256::repeat_byte(0xaa),
        timestamp: 1_000,
        gas_limit: 30_000_000,
        ..Default::default()
    }
}

/// The forked chain's values: the history contract with a balance and one set slot; every
/// other account empty, every other slot zero.
fn chain_value(key: &StateKey) -> ForkValue {
    match key {
        StateKey::Account(address) if *address == HISTORY_STORAGE_ADDRESS => ForkValue::Account {
            nonce: 1,
            balance: U256::from(CHAIN_HISTORY_BALANCE_WEI),
            code: Bytes::from_static(&HISTORY_STORAGE_CODE),
            has_storage: true,
        },
        StateKey::Account(_) => ForkValue::Account {
            nonce: 0,
            balance: U256::ZERO,
            code: Bytes::new(),
            has_storage: false,
        },
        StateKey::Storage(address, slot)
            if *address == HISTORY_STORAGE_ADDRESS && *slot == U256::from(1) =>
        {
            ForkValue::Slot(U256::from(CHAIN_HISTORY_SLOT_VALUE))
        }
        StateKey::Storage(..) => ForkValue::Slot(U256::ZERO),
        StateKey::BlockHash(_) => ForkValue::BlockHash(B256::repeat_byte(0x11)),
    }
}

/// Runs `op` to its end, supplying the chain's values; returns the output and every key asked.
fn drive(engine: &mut Engine, op: Operation) -> (JobOutput, Vec<StateKey>) {
    let mut job = engine.start(op).expect("started");
    let mut asked = Vec::new();
    loop {
        match engine.resume(&mut job).expect("runs") {
            JobStatus::Done(output) => return (output, asked),
            JobStatus::NeedState(keys) => {
                let values: Vec<_> = keys.iter().map(|k| (*k, chain_value(k))).collect();
                engine.supply(&values).expect("supplied");
                asked.extend(keys);
            }
        }
    }
}

#[test]
fn a_forked_prague_engine_reads_the_history_contract_from_the_chain() {
    let mut engine = Engine::fork(
        ChainConfig::ethereum(1, Hardfork::Prague),
        FeeParams::default(),
        fork_point(),
    );
    // Nothing was written at genesis: the contract is the chain's, unknown until fetched.
    let history = StateKey::Account(HISTORY_STORAGE_ADDRESS);
    assert_eq!(engine.unknown(&[history]), [history]);
    let op = Operation::Block {
        txs: Vec::new(),
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    };
    let (output, asked) = drive(&mut engine, op);
    assert!(matches!(output, JobOutput::Block(_)));
    assert!(asked.contains(&history));
    // The block's system call wrote the fork block's hash at slot (101 - 1) % 8191 of the
    // chain's contract, which keeps its balance and its other slots.
    let written = U256::from(FORK_NUMBER % HISTORY_SERVE_WINDOW);
    assert_eq!(
        engine.get_storage(&HISTORY_STORAGE_ADDRESS, &written),
        U256::from_be_bytes(fork_point().hash.0)
    );
    let account = engine.get_account(&HISTORY_STORAGE_ADDRESS).expect("held");
    assert_eq!(account.balance, U256::from(CHAIN_HISTORY_BALANCE_WEI));
    drive(
        &mut engine,
        Operation::Fetch(vec![StateKey::Storage(
            HISTORY_STORAGE_ADDRESS,
            U256::from(1),
        )]),
    );
    assert_eq!(
        engine.get_storage(&HISTORY_STORAGE_ADDRESS, &U256::from(1)),
        U256::from(CHAIN_HISTORY_SLOT_VALUE)
    );
}

#[test]
fn a_forked_zksync_os_engine_writes_no_genesis_accounts() {
    let engine = Engine::fork(ChainConfig::zk(270), FeeParams::default(), fork_point());
    let messenger = StateKey::Account(L1_MESSENGER_ADDRESS);
    assert_eq!(engine.unknown(&[messenger]), [messenger]);
    assert!(engine.addresses().is_empty());
    // A local ZKsync OS chain has it from genesis.
    let local = Engine::new(ChainConfig::zk(270));
    assert!(local.get_account(&L1_MESSENGER_ADDRESS).is_some());
}
