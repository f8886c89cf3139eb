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
