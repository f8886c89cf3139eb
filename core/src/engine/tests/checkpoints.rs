//! Checkpoints and rewinds: a chain rewound to a checkpoint is, in everything the engine
//! answers, the chain that never went past it (an engine given only the blocks before it), and
//! it goes on producing the same blocks.

use super::*;

/// `transfer(to, amount)` of the test token, sent unsigned by the sender.
fn token_transfer(to: Address, amount: u64) -> BlockTx {
    let mut data = hex!("a9059cbb").to_vec();
    data.extend_from_slice(&U256::from_be_slice(to.as_slice()).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(amount).to_be_bytes::<32>());
    BlockTx::Request(alloc::boxed::Box::new(TxRequest {
        from: Some(SENDER),
        to: Some(TOKEN),
        data: Bytes::from(data),
        ..Default::default()
    }))
}

/// The recipient of the `i`th transfer.
fn recipient(i: u64) -> Address {
    let mut bytes = [0u8; 20];
    bytes[0] = 0x5e;
    bytes[12..].copy_from_slice(&(i % 7 + 1).to_be_bytes());
    Address::from(bytes)
}

/// Mines blocks `from..to` of the script both chains follow: a token transfer each (a
/// balance, a slot, a nonce and a log change), an edit of a slot every fifth block.
fn mine(engine: &mut Engine, from: u64, to: u64) -> Vec<B256> {
    let mut hashes = Vec::new();
    for i in from..to {
        if i % 5 == 0 {
            engine.set_storage(OTHER, U256::from(i), U256::from(i + 1));
        }
        let report = engine
            .run_block_strict(&[token_transfer(recipient(i), i + 1)], None)
            .expect("block");
        hashes.extend(report.receipts.iter().map(|r| r.tx_hash));
    }
    hashes
}

/// What a chain answers, compared field by field with another's.
fn assert_same_chain(rewound: &Engine, fresh: &Engine, hashes: &[B256]) {
    assert_eq!(rewound.head(), fresh.head());
    assert_eq!(rewound.state_commitment(), fresh.state_commitment());
    assert_eq!(rewound.fees(), fresh.fees());
    assert_eq!(rewound.history_blocks(), fresh.history_blocks());
    assert_eq!(rewound.addresses(), fresh.addresses());
    for address in fresh.addresses() {
        assert_eq!(rewound.get_account(&address), fresh.get_account(&address));
        assert_eq!(
            rewound.get_storage_all(&address),
            fresh.get_storage_all(&address)
        );
    }
    for number in 0..=fresh.head().number + 2 {
        assert_eq!(rewound.get_block(number), fresh.get_block(number));
        // The history window: the same blocks readable, with the same state.
        for address in [SENDER, TOKEN, recipient(number)] {
            assert_eq!(
                rewound.account_at(&address, number),
                fresh.account_at(&address, number)
            );
        }
        let key = U256::from_be_slice(SENDER.as_slice());
        assert_eq!(
            rewound.storage_at(&TOKEN, &key, number),
            fresh.storage_at(&TOKEN, &key, number)
        );
    }
    for hash in hashes {
        assert_eq!(rewound.get_receipt(hash), fresh.get_receipt(hash));
        assert_eq!(
            rewound.get_transaction(hash).map(|t| t.hash),
            fresh.get_transaction(hash).map(|t| t.hash)
        );
    }
}

#[test]
fn a_rewound_chain_is_the_chain_that_never_went_past_the_checkpoint() {
    // 150 blocks, a checkpoint, then 200 more (past the 128-block history window), code,
    // an account removed and new fees: the rewind must put back what left the window too.
    let mut rewound = token_engine();
    let mut fresh = token_engine();
    let mut hashes = mine(&mut rewound, 0, 150);
    mine(&mut fresh, 0, 150);
    let checkpoint = rewound.checkpoint();
    hashes.extend(mine(&mut rewound, 150, 350));
    rewound
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&READ_SLOT0),
                ..Default::default()
            },
        )
        .expect("stored");
    rewound
        .set_account(recipient(1), AccountInput::default())
        .expect("removed");
    rewound.set_fees(FeeParams {
        base_fee: U256::from(7u64),
        ..FeeParams::default()
    });
    assert!(rewound.get_receipt(&hashes[300]).is_some());

    rewound.rewind(&checkpoint).expect("rewound");
    assert_same_chain(&rewound, &fresh, &hashes);
    // Both go on the same: the journal the rewind left is the fresh chain's.
    let next = mine(&mut rewound, 150, 160);
    assert_eq!(next, mine(&mut fresh, 150, 160));
    assert_same_chain(&rewound, &fresh, &hashes);
}

#[test]
fn a_rewind_keeps_its_checkpoint_and_uses_up_the_later_ones() {
    let mut engine = token_engine();
    let mut fresh = token_engine();
    mine(&mut engine, 0, 3);
    mine(&mut fresh, 0, 3);
    let first = engine.checkpoint();
    mine(&mut engine, 3, 6);
    let second = engine.checkpoint();
    mine(&mut engine, 6, 9);
    engine.rewind(&second).expect("second");
    assert_eq!(engine.head().number, 6);
    engine.rewind(&first).expect("first");
    assert_eq!(engine.head().number, 3);
    // The second is used up, even once the chain is as high again.
    mine(&mut engine, 3, 9);
    assert!(engine.rewind(&second).is_err());
    assert_eq!(engine.head().number, 9);
    // The first is still usable, as often as asked.
    engine.rewind(&first).expect("first again");
    assert_same_chain(&engine, &fresh, &[]);
    engine.rewind(&first).expect("first once more");
    assert_same_chain(&engine, &fresh, &[]);
}

#[test]
fn a_checkpoint_of_another_chain_or_copy_is_refused() {
    let mut engine = token_engine();
    let mut other = token_engine();
    let checkpoint = engine.checkpoint();
    mine(&mut engine, 0, 2);
    let mut copy = engine.clone();
    mine(&mut copy, 2, 3);
    let head = copy.head().clone();
    assert!(copy.rewind(&checkpoint).is_err());
    assert!(other.rewind(&checkpoint).is_err());
    assert_eq!(copy.head(), &head);
    engine.rewind(&checkpoint).expect("its own");
    assert_eq!(engine.head().number, 0);
}

#[test]
fn a_refused_block_uses_up_a_checkpoint_taken_inside_it() {
    // A block's pre-state is applied as a version of its own; a checkpoint of that version
    // is used up when the block is refused and the version undone.
    let mut engine = token_engine();
    let base = engine.state.version();
    engine.set_storage(OTHER, U256::from(1), U256::from(2));
    let inside = engine.checkpoint();
    engine.state.roll_back_to(base);
    engine.set_storage(OTHER, U256::from(1), U256::from(3));
    assert!(engine.rewind(&inside).is_err());
    assert_eq!(engine.get_storage(&OTHER, &U256::from(1)), U256::from(3));
}

#[test]
fn readers_of_undone_versions_keep_their_state() {
    let mut engine = token_engine();
    let checkpoint = engine.checkpoint();
    mine(&mut engine, 0, 4);
    let key = U256::from_be_slice(SENDER.as_slice());
    let after = engine.get_storage(&TOKEN, &key);
    let view = engine.state.view(None).expect("view");
    let mut session = engine
        .block_session(&[token_transfer(OTHER, 1)], None)
        .expect("session");
    engine.rewind(&checkpoint).expect("rewound");
    assert_eq!(engine.get_storage(&TOKEN, &key), U256::from(10_000u64));
    // The reader still reads the head it was opened on.
    assert_eq!(view.slot(&TOKEN, &key), Ok(Some(after)));
    // A block session over the undone head is refused, even once the chain has the same head
    // again.
    mine(&mut engine, 0, 4);
    while session.phase() != SessionPhase::BlockFinish {
        session.step(1).expect("step");
    }
    session.step(1).expect("sealed");
    assert!(engine.commit_session(&mut session).is_err());
    assert_eq!(engine.head().number, 4);
}
