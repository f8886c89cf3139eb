//! Accounts set and read, and the state commitment following them.

use super::*;

#[test]
fn accounts_round_trip() {
    let mut engine = engine();
    engine
        .set_account(
            OTHER,
            AccountInput {
                balance: U256::from(5u64),
                nonce: 3,
                code: Bytes::from_static(&[0x00]),
                storage: alloc::vec![(U256::from(1u64), U256::from(9u64))],
            },
        )
        .expect("stored");
    let info = engine.get_account(&OTHER).expect("exists");
    assert_eq!((info.balance, info.nonce), (U256::from(5u64), 3));
    // keccak256(0x00)
    assert_eq!(
        info.code_hash,
        crate::primitives::b256!(
            "bc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a"
        )
    );
    assert_eq!(
        engine.get_storage(&OTHER, &U256::from(1u64)),
        U256::from(9u64)
    );
    assert_eq!(engine.get_storage(&OTHER, &U256::from(2u64)), U256::ZERO);
    assert!(engine.get_account(&Address::repeat_byte(0x77)).is_none());
}

#[test]
fn state_root_follows_the_state() {
    let mut engine = engine();
    let genesis_root = engine.head().state_commitment.root;
    let before = engine.state_commitment();
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(call_to(
                CONTRACT,
                Some(100_000),
            )))],
            None,
        )
        .expect("block");
    assert_eq!(report.header.state_commitment, engine.state_commitment());
    assert_ne!(report.header.state_commitment.root, before.root);
    assert_ne!(report.header.state_commitment.root, genesis_root);
    // Leaves: the tree's two sentinels, the sender's and the contract's records, and slot 0
    // of the contract (the Ethereum flow burns the base fee, so the coinbase stays absent).
    assert_eq!(engine.state_commitment().next_free_slot, 5);
    // Leaf positions follow insertion order, so a tree built from scratch holds the same
    // number of leaves but need not have the same root.
    let mut plain = crate::io::InMemoryState::new();
    for address in [SENDER, CONTRACT, Address::ZERO] {
        if let Some(info) = engine.get_account(&address) {
            plain.set_account(address, info.nonce, info.balance, info.code);
        }
        for (key, value) in engine.get_storage_all(&address) {
            plain.set_storage(address, key, value);
        }
    }
    let rebuilt = crate::state::world::WorldState::from_in_memory(&plain).expect("rebuilt");
    assert_eq!(
        rebuilt.commitment().next_free_slot,
        engine.state_commitment().next_free_slot
    );
}

/// An address holding slots but no account (no nonce, balance or code) reads the same in the
/// engine and in the forward tree built by the same blocks: absent as an account, its slots
/// kept and readable, before and after transactions touch it (a zero-value call, then a
/// transfer that creates the account), with equal state commitments throughout.
#[test]
fn a_storage_only_address_reads_alike_in_the_engine_and_the_forward_tree() {
    use crate::context::BlockContext;
    use crate::driver::run_block_forward;
    use crate::io::StateSource;
    use crate::state::world::{AccountState, WorldState};

    // Protocol version 2 installs nothing at genesis (its L1 messenger is a hook), so the
    // forward tree starts empty too.
    let config = ChainConfig::zk(1);
    let mut engine = Engine::new(config);
    let mut world = WorldState::new();
    let sender = AccountState {
        nonce: 0,
        balance: U256::from(ETHER_WEI),
        code: Bytes::new(),
        code_hash: None,
    };
    world.set_account(SENDER, sender, &[]).expect("stored");
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        )
        .expect("stored");
    let (slot, value) = (U256::from(3u64), U256::from(9u64));
    engine.set_storage(OTHER, slot, value);
    world.apply(&[], &[(OTHER, slot, value)]).expect("stored");

    let agree = |engine: &Engine, world: &mut WorldState, exists: bool| {
        assert_eq!(engine.state_commitment(), world.commitment());
        let forward = world.account(&OTHER).expect("known");
        assert_eq!(engine.get_account(&OTHER).is_some(), exists);
        assert_eq!(forward.is_some(), exists);
        assert_eq!(engine.get_storage(&OTHER, &slot), value);
        assert_eq!(world.storage(&OTHER, &slot), Ok(Some(value)));
        assert_eq!(engine.get_storage_all(&OTHER), alloc::vec![(slot, value)]);
    };
    agree(&engine, &mut world, false);

    let mut transfer_one = transfer(1, 1);
    transfer_one.to = Some(OTHER);
    sign(&mut transfer_one);
    let blocks: [(Bytes, bool); 2] = [
        (signed_raw(0, Some(OTHER), 500_000, &[]), false),
        (
            crate::tx::encode(&transfer_one).expect("encodes").into(),
            true,
        ),
    ];
    let mut hashes = alloc::vec![engine.head().hash];
    for (number, (raw, exists)) in (1u64..).zip(blocks) {
        let report = engine
            .run_block(&[BlockTx::Raw(raw.clone())], None)
            .expect("engine block");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        let context = BlockContext {
            number,
            timestamp: number,
            coinbase: Address::ZERO,
            gas_limit: DEFAULT_BLOCK_GAS_LIMIT_GAS,
            base_fee: U256::from(DEFAULT_BASE_FEE_WEI),
            native_price: U256::from(DEFAULT_NATIVE_PRICE_WEI),
            pubdata_price: U256::from(DEFAULT_PUBDATA_PRICE_WEI),
            pubdata_limit: DEFAULT_PUBDATA_LIMIT_BYTES,
            prevrandao: B256::ZERO,
            blob_base_fee: U256::from(1u64),
            block_hashes: hashes.clone(),
        };
        let proven = run_block_forward(&mut world, &config, context, alloc::vec![raw], None)
            .expect("forward");
        assert_eq!(report.header.hash, proven.commitments.block_hash);
        agree(&engine, &mut world, exists);
        hashes.push(report.header.hash);
    }
}

#[test]
fn addresses_lists_every_account_in_order() {
    let mut engine = engine();
    let before = engine.addresses();
    assert!(before.contains(&SENDER) && before.contains(&CONTRACT));
    assert!(!before.contains(&OTHER));
    engine
        .set_account(
            OTHER,
            AccountInput {
                balance: U256::from(1u64),
                ..AccountInput::default()
            },
        )
        .expect("stored");
    let after = engine.addresses();
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&OTHER));
    assert!(after.windows(2).all(|w| w[0] < w[1]));
    // An address holding storage only has no account but is listed, so that a dump of every
    // listed address with its storage keeps it; clearing its last slot unlists it.
    let storage_only = Address::repeat_byte(0x5a);
    engine.set_storage(storage_only, U256::from(5u64), U256::from(9u64));
    assert!(engine.get_account(&storage_only).is_none());
    assert!(engine.addresses().contains(&storage_only));
    engine.set_storage(storage_only, U256::from(5u64), U256::ZERO);
    assert_eq!(engine.addresses(), after);
}

#[test]
fn a_clone_is_independent_of_the_chain_it_copies() {
    let mut engine = engine();
    let snapshot = engine.clone();
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(call_to(
                CONTRACT,
                Some(100_000),
            )))],
            None,
        )
        .expect("block");
    let hash = report.receipts[0].tx_hash;
    assert_eq!(engine.head().number, 1);
    assert_eq!(snapshot.head().number, 0);
    assert_ne!(snapshot.state_commitment(), engine.state_commitment());
    assert_eq!(snapshot.get_nonce(&SENDER) + 1, engine.get_nonce(&SENDER));
    assert!(snapshot.get_transaction(&hash).is_none());
    assert!(engine.get_transaction(&hash).is_some());
}

/// A clone holds its own state versions: a block run on either side leaves the other's state
/// as it was, and the clone still re-traces a transaction included before it was made.
#[test]
fn a_clone_keeps_its_own_versions_and_trace_history() {
    use crate::engine::{TraceBudget, TracerConfig};
    let block = |engine: &mut Engine| {
        let request = BlockTx::Request(alloc::boxed::Box::new(call_to(CONTRACT, Some(100_000))));
        engine.run_block(&[request], None).expect("block")
    };
    let mut engine = engine();
    let hash = block(&mut engine).receipts[0].tx_hash;
    let mut snapshot = engine.clone();
    let at_snapshot = snapshot.state_commitment();
    block(&mut engine);
    let after_original = engine.state_commitment();
    assert_eq!(snapshot.state_commitment(), at_snapshot);
    let traced = |engine: &Engine| {
        engine
            .trace_transaction(&hash, TracerConfig::OpcodeStats, TraceBudget::default())
            .expect("traced")
    };
    assert_eq!(traced(&snapshot), traced(&engine));
    block(&mut snapshot);
    assert_eq!(engine.state_commitment(), after_original);
    assert_eq!(snapshot.state_commitment(), after_original);
    assert_eq!(snapshot.head().number, 2);
}
