//! Engines over a forked chain, driven as a host drives them (start, resume, supply): what the
//! forked chain holds wins over the flow's genesis accounts.

use super::*;
use crate::bootloader::flow::history::{
    HISTORY_SERVE_WINDOW, HISTORY_STORAGE_ADDRESS, HISTORY_STORAGE_CODE,
};
use crate::primitives::keccak256;
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

/// A forked chain's state: accounts (with their slots); every other account is empty, every
/// other slot zero, every older block hash `0x11…`.
struct Chain(Vec<(Address, AccountInput)>);

impl Chain {
    fn value(&self, key: &StateKey) -> ForkValue {
        let find = |address: &Address| self.0.iter().find(|(a, _)| a == address).map(|(_, i)| i);
        match key {
            StateKey::Account(address) => {
                let account = find(address).cloned().unwrap_or_default();
                ForkValue::Account {
                    nonce: account.nonce,
                    balance: account.balance,
                    code: account.code,
                    has_storage: account.storage.iter().any(|(_, v)| !v.is_zero()),
                }
            }
            StateKey::Storage(address, slot) => ForkValue::Slot(
                find(address)
                    .and_then(|a| a.storage.iter().find(|(k, _)| k == slot))
                    .map_or(U256::ZERO, |(_, v)| *v),
            ),
            StateKey::BlockHash(_) => ForkValue::BlockHash(B256::repeat_byte(0x11)),
        }
    }

    /// The history contract with a balance and one set slot.
    fn with_history() -> Self {
        Self(vec![(
            HISTORY_STORAGE_ADDRESS,
            AccountInput {
                nonce: 1,
                balance: U256::from(CHAIN_HISTORY_BALANCE_WEI),
                code: Bytes::from_static(&HISTORY_STORAGE_CODE),
                storage: vec![(U256::from(1), U256::from(CHAIN_HISTORY_SLOT_VALUE))],
            },
        )])
    }
}

/// Runs `op` to its end, supplying `chain`'s values; returns the output and every key asked.
fn drive(engine: &mut Engine, chain: &Chain, op: Operation) -> (JobOutput, Vec<StateKey>) {
    let mut job = engine.start(op).expect("started");
    let mut asked = Vec::new();
    loop {
        match engine.resume(&mut job).expect("runs") {
            JobStatus::Done(output) => return (output, asked),
            JobStatus::NeedState(keys) => {
                let values: Vec<_> = keys.iter().map(|k| (*k, chain.value(k))).collect();
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
    let chain = Chain::with_history();
    let (output, asked) = drive(&mut engine, &chain, op);
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
        &chain,
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
    // A local ZKsync OS chain of protocol version 1 has it from genesis; version 2 serves
    // 0x8008 as a hook and installs nothing.
    let local = Engine::new(ChainConfig::zk_at(270, ProtocolVersion::V1));
    assert!(local.get_account(&L1_MESSENGER_ADDRESS).is_some());
    let local = Engine::new(ChainConfig::zk(270));
    assert!(local.get_account(&L1_MESSENGER_ADDRESS).is_none());
}

/// Answers its own code hash and slot 1, and sets slot 2:
/// `ADDRESS EXTCODEHASH PUSH1 0 MSTORE PUSH1 1 SLOAD PUSH1 32 MSTORE`,
/// `PUSH1 1 PUSH1 2 SSTORE PUSH1 64 PUSH1 0 RETURN`.
const HASH_AND_SLOTS: [u8; 21] = hex!("303f600052600154602052600160025560406000f3");

/// The sender funded and [`HASH_AND_SLOTS`] at [`CONTRACT`] with slot 1 set.
fn contract_chain() -> Chain {
    Chain(vec![
        (
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        ),
        (
            CONTRACT,
            AccountInput {
                nonce: 1,
                code: Bytes::from_static(&HASH_AND_SLOTS),
                storage: vec![(U256::from(1), U256::from(5))],
                ..Default::default()
            },
        ),
    ])
}

/// A call, an estimate and a mined transaction give the same results (gas, native, pubdata,
/// output) over a fork as over the same state given locally: fetched code is hashed once,
/// when supplied, and charged as a local account's is.
fn fork_equals_local(config: ChainConfig) {
    let chain = contract_chain();
    let fees = FeeParams::default();
    let mut local = Engine::with_fees(config, fees);
    for (address, account) in &chain.0 {
        local
            .set_account(*address, account.clone())
            .expect("stored");
    }
    let mut forked = Engine::fork(config, fees, fork_point());
    let request = call_to(CONTRACT, Some(200_000));
    let call = Operation::Call {
        request: request.clone(),
        overrides: StateOverride::new(),
        block: None,
        at: None,
    };
    let JobOutput::Call(on_fork) = drive(&mut forked, &chain, call).0 else {
        panic!("a call");
    };
    let here = local
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert!(here.success);
    assert_eq!(on_fork, here);
    assert_eq!(&here.output[..32], keccak256(&HASH_AND_SLOTS).as_slice());
    let estimate = Operation::Estimate {
        request: request.clone(),
        overrides: StateOverride::new(),
        block: None,
        at: None,
    };
    let JobOutput::Estimate(on_fork) = drive(&mut forked, &chain, estimate).0 else {
        panic!("an estimate");
    };
    assert_eq!(on_fork, local.estimate_gas(&request, &StateOverride::new()));
    let raw = signed_raw(0, Some(CONTRACT), 200_000, &[]);
    let block = Operation::Block {
        txs: vec![BlockTx::Raw(raw.clone())],
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    };
    let JobOutput::Block(on_fork) = drive(&mut forked, &chain, block).0 else {
        panic!("a block");
    };
    let here = local.run_block(&[BlockTx::Raw(raw)], None).expect("block");
    let costs = |r: &BlockReport| {
        r.receipts
            .iter()
            .map(|r| (r.status, r.gas_used, r.native_used, r.pubdata_used))
            .collect::<Vec<_>>()
    };
    assert_eq!(costs(&on_fork), costs(&here));
    assert_eq!(costs(&here).len(), 1);
}

#[test]
fn results_over_a_fork_equal_results_over_the_same_state_given_locally() {
    fork_equals_local(ChainConfig::ethereum(1, Hardfork::Prague));
    fork_equals_local(ChainConfig::zk_at(1, ProtocolVersion::V1));
    fork_equals_local(ChainConfig::zk_at(1, ProtocolVersion::V2));
}

#[test]
fn a_forked_engine_enumerates_what_it_holds() {
    // JSON-RPC cannot list a chain's accounts or storage: a forked engine lists what it
    // fetched or changed (anvil's dump of a fork holds the same), a local write hiding the
    // fork's value.
    let chain = contract_chain();
    let mut engine = Engine::fork(
        ChainConfig::ethereum(1, Hardfork::Prague),
        FeeParams::default(),
        fork_point(),
    );
    assert!(engine.addresses().is_empty());
    let fetch = Operation::Fetch(vec![
        StateKey::Account(CONTRACT),
        StateKey::Storage(CONTRACT, U256::from(1)),
        StateKey::Storage(CONTRACT, U256::from(3)),
        StateKey::Account(OTHER),
    ]);
    drive(&mut engine, &chain, fetch);
    // OTHER is empty on the chain; slot 3 is zero.
    assert_eq!(engine.addresses(), [CONTRACT]);
    assert_eq!(
        engine.get_storage_all(&CONTRACT),
        [(U256::from(1), U256::from(5))]
    );
    // The transaction reads slot 1 and writes 1 to slot 2 (and pays from the sender).
    let block = Operation::Block {
        txs: vec![BlockTx::Raw(signed_raw(0, Some(CONTRACT), 200_000, &[]))],
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    };
    drive(&mut engine, &chain, block);
    engine.set_storage(CONTRACT, U256::from(1), U256::ZERO);
    assert_eq!(
        engine.get_storage_all(&CONTRACT),
        [(U256::from(2), U256::from(1))]
    );
    // This chain has no history contract: it was fetched as empty and is not listed (the
    // coinbase is, when the tip paid it something).
    let mut held = engine.addresses();
    held.retain(|a| *a != fork_point().coinbase);
    assert_eq!(held, [CONTRACT, SENDER]);
}

#[test]
fn a_forked_engine_tells_what_changed_since_the_fork() {
    // What eth_getProof over a fork relies on: an address without a local write holds the fork
    // block's values, fetched or not; a transaction's writes, an edit, a rollback are seen.
    let chain = contract_chain();
    let mut engine = Engine::fork(
        ChainConfig::ethereum(1, Hardfork::Prague),
        FeeParams::default(),
        fork_point(),
    );
    let fetch = Operation::Fetch(vec![
        StateKey::Account(CONTRACT),
        StateKey::Storage(CONTRACT, U256::from(1)),
        StateKey::Account(OTHER),
    ]);
    drive(&mut engine, &chain, fetch);
    let never_fetched = Address::repeat_byte(0x77);
    for address in [CONTRACT, OTHER, SENDER, never_fetched] {
        assert!(!engine.changed_since_fork(&address), "{address}");
    }
    let before = engine.checkpoint();
    // The transaction reads slot 1, writes slot 2 of the contract and pays from the sender.
    let block = Operation::Block {
        txs: vec![BlockTx::Raw(signed_raw(0, Some(CONTRACT), 200_000, &[]))],
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    };
    drive(&mut engine, &chain, block);
    assert!(engine.changed_since_fork(&CONTRACT));
    assert!(engine.changed_since_fork(&SENDER));
    assert!(!engine.changed_since_fork(&OTHER));
    engine.rewind(&before).expect("rewound");
    assert!(!engine.changed_since_fork(&CONTRACT));
    assert!(!engine.changed_since_fork(&SENDER));
    // An edit to the same value is a write all the same.
    engine.set_storage(CONTRACT, U256::from(1), U256::from(5));
    assert!(engine.changed_since_fork(&CONTRACT));
}

/// Mainnet's BPO1 and BPO2 activation timestamps (EIP-8134, EIP-8135).
const MAINNET_BPO1: u64 = 1_765_290_071;
const MAINNET_BPO2: u64 = 1_767_747_671;

/// An Osaka engine forking chain `chain_id` at a block of `timestamp` with 100,000,000 excess
/// blob gas, 20 blobs used and a base fee of 1 wei (the EIP-7918 bound stays off).
fn blob_fork(chain_id: u64, timestamp: u64) -> Engine {
    let point = ForkPoint {
        timestamp,
        excess_blob_gas: 100_000_000,
        blob_gas_used: 20 * crate::resources::gas::GAS_PER_BLOB,
        base_fee: U256::from(1u64),
        ..fork_point()
    };
    Engine::fork(
        ChainConfig::ethereum(chain_id, Hardfork::Osaka),
        FeeParams::default(),
        point,
    )
}

/// Mines an empty block on `engine` over an empty forked chain; returns its excess blob gas.
fn mined_excess(engine: &mut Engine) -> u64 {
    let op = Operation::Block {
        txs: Vec::new(),
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    };
    drive(engine, &Chain(Vec::new()), op);
    engine.head().excess_blob_gas
}

// Fees by EIP-4844's fake_exponential run in Python 3 (the script in
// `resources::blob_schedule`'s tests): f(100,786,432 / 11,684,671) = 5,572; f(101,310,720 /
// 8,346,193) = 186,942; f(100,000,000 / 5,007,716) = 470,442,149; f(100,000,000 / 11,684,671) =
// 5,209; f(101,835,008 / 5,007,716) = 678,652,430.
#[test]
fn a_forked_mainnet_block_after_bpo2_prices_blobs_by_bpo2() {
    let mut engine = blob_fork(1, MAINNET_BPO2 + 100);
    let fork_block = engine.head().clone();
    assert_eq!(engine.blob_base_fee_of(&fork_block), U256::from(5_209u64));
    // Next excess: 100,000,000 + 20 blobs − BPO2's target of 14 blobs = 100,786,432.
    assert_eq!(engine.next_blob_base_fee(), U256::from(5_572u64));
    assert_eq!(mined_excess(&mut engine), 100_786_432);
}

#[test]
fn the_block_at_bpo1_takes_its_target_and_fraction() {
    // The fork block is a second before BPO1 (Prague's schedule under Osaka); its successor is
    // at BPO1: target 10 blobs, fraction 8,346,193.
    let mut engine = blob_fork(1, MAINNET_BPO1 - 1);
    let fork_block = engine.head().clone();
    assert_eq!(
        engine.blob_base_fee_of(&fork_block),
        U256::from(470_442_149u64)
    );
    assert_eq!(engine.next_blob_base_fee(), U256::from(186_942u64));
    assert_eq!(mined_excess(&mut engine), 101_310_720);
}

#[test]
fn an_unknown_chain_or_a_given_schedule_decides_instead() {
    // Chain 31337 has no BPO fork: Osaka's target 6 and fraction 5,007,716 at any time.
    let mut engine = blob_fork(31_337, MAINNET_BPO2 + 100);
    assert_eq!(engine.next_blob_base_fee(), U256::from(678_652_430u64));
    assert_eq!(mined_excess(&mut engine), 101_835_008);
    // A chain's own schedule (EIP-7840): BPO2's parameters from its timestamp.
    let bpo2 = BlobSchedule {
        target: 14,
        max: 21,
        update_fraction: 11_684_671,
    };
    let mut engine = blob_fork(31_337, MAINNET_BPO2 + 100);
    engine.set_blob_schedules(
        BlobSchedules::new([None; 3], vec![(MAINNET_BPO2 + 100, bpo2)]).expect("valid"),
    );
    assert_eq!(engine.next_blob_base_fee(), U256::from(5_572u64));
    assert_eq!(mined_excess(&mut engine), 100_786_432);
}
