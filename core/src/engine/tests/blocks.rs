//! Block production: raw and impersonated transactions, receipts, rejections, hostile bytes,
//! and blocks that commit like forward mode.

use super::*;

#[test]
fn raw_transactions_are_mined_with_receipts() {
    let mut engine = engine();
    let mut first = transfer(0, 100);
    sign(&mut first);
    let mut second = transfer(1, 200);
    sign(&mut second);
    let report = engine
        .run_block(
            &[
                BlockTx::Raw(crate::tx::encode(&first).expect("encodes").into()),
                BlockTx::Raw(crate::tx::encode(&second).expect("encodes").into()),
            ],
            None,
        )
        .expect("block");
    assert!(report.rejected.is_empty());
    assert_eq!(report.header.number, 1);
    assert_eq!(report.header.timestamp, 1);
    assert_eq!(report.receipts.len(), 2);
    // Two plain transfers: 21,000 gas each; cumulative gas adds up.
    assert_eq!(report.receipts[0].cumulative_gas_used, 21_000);
    assert_eq!(report.receipts[1].cumulative_gas_used, 42_000);
    // Effective price = min(2000, base fee 1000 + tip 10) = 1010.
    assert_eq!(report.receipts[0].effective_gas_price, U256::from(1_010u64));
    assert_eq!(engine.get_balance(&OTHER), U256::from(300u64));
    assert_eq!(
        engine.get_balance(&SENDER),
        U256::from(ETHER_WEI - 300 - 2 * 21_000 * 1_010)
    );
    assert_eq!(engine.get_nonce(&SENDER), 2);
    let hash = report.receipts[1].tx_hash;
    assert_eq!(
        hash,
        crate::primitives::keccak256(&crate::tx::encode(&second).expect("encodes"))
    );
    assert_eq!(engine.get_receipt(&hash), Some(&report.receipts[1]));
    assert_eq!(engine.get_transaction(&hash).map(|t| t.from), Some(SENDER));
    assert_eq!(
        engine.get_block(1).map(|b| b.hash),
        Some(report.header.hash)
    );
    assert_eq!(
        engine
            .get_block_by_hash(&report.header.hash)
            .map(|b| b.number),
        Some(1)
    );
}

#[test]
fn invalid_transactions_are_rejected_and_leave_no_trace() {
    let mut engine = engine();
    let mut stale = transfer(5, 1);
    sign(&mut stale);
    let raw = crate::tx::encode(&stale).expect("encodes");
    let err = engine
        .send_raw_transaction(&raw)
        .expect_err("nonce too high");
    assert_eq!(err.code(), "ZKOS_TX_INVALID");
    assert_eq!(engine.head().number, 0);
    let err = engine
        .send_raw_transaction(&[0x02, 0xc0])
        .expect_err("garbage");
    assert_eq!(err.code(), "ZKOS_TX_DECODE");
    let err = engine.send_raw_transaction(&[]).expect_err("empty");
    assert_eq!(err.code(), "ZKOS_TX_DECODE");
    let report = engine
        .run_block(&[BlockTx::Raw(raw.into())], None)
        .expect("block");
    assert_eq!(report.receipts.len(), 0);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].position, 0);
    let err = engine
        .run_block(
            &[],
            Some(BlockOverrides {
                number: Some(1),
                ..Default::default()
            }),
        )
        .expect_err("number not above head");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
    assert!(engine.get_receipt(&B256::ZERO).is_none());
}

#[test]
fn impersonated_requests_take_nonces_in_turn() {
    let mut engine = engine();
    let request = |to| {
        BlockTx::Request(alloc::boxed::Box::new(TxRequest {
            from: Some(SENDER),
            to: Some(to),
            gas: Some(100_000),
            ..Default::default()
        }))
    };
    let report = engine
        .run_block(&[request(CONTRACT), request(OTHER)], None)
        .expect("block");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(engine.get_nonce(&SENDER), 2);
    // The gate was open (100,000 − 21,005 > 50,000), so slot 0 holds 1 after the block.
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::from(1u64));
    // Fee cap = base fee (1000) and no tip: 43,128 + 21,000 gas at 1000 wei.
    assert_eq!(
        engine.get_balance(&SENDER),
        U256::from(ETHER_WEI - (43_128 + 21_000) * 1_000)
    );
    assert_eq!(report.receipts[1].cumulative_gas_used, 64_128);
}

#[test]
fn impersonated_transactions_have_their_nonce_checked_in_both_flows() {
    let request = |nonce| {
        BlockTx::Request(alloc::boxed::Box::new(TxRequest {
            from: Some(SENDER),
            to: Some(OTHER),
            gas: Some(21_000),
            nonce: Some(nonce),
            ..Default::default()
        }))
    };
    // Fee cap 2,000 wei is above both engines' base fee (1,000 wei); no signature.
    let unsigned = |nonce| BlockTx::Unsigned {
        tx: alloc::boxed::Box::new(transfer(nonce, 1)),
        from: SENDER,
    };
    for mut engine in [engine(), zk_engine(FeeParams::default())] {
        // The sender's nonce is 0: 5 is too high.
        let report = engine.run_block(&[request(5)], None).expect("block");
        assert!(report.receipts.is_empty());
        assert_eq!(report.rejected[0].error.reason(), Some("NonceTooHigh"));
        let report = engine
            .run_block(&[unsigned(0), unsigned(0), request(1)], None)
            .expect("block");
        // The second nonce 0 comes after the first was used; nonce 1 then follows in turn.
        assert_eq!(report.receipts.len(), 2);
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].position, 1);
        assert_eq!(report.rejected[0].error.reason(), Some("NonceTooLow"));
        assert_eq!(engine.get_nonce(&SENDER), 2);
    }
    // A call (simulation) still skips the nonce check in the ZKsync OS flow.
    let engine = zk_engine(FeeParams::default());
    let stale = TxRequest {
        nonce: Some(9),
        ..call_to(OTHER, Some(21_000))
    };
    assert!(
        engine
            .call(&stale, &StateOverride::new(), None)
            .expect("call")
            .success
    );
}

#[test]
fn hostile_raw_bytes_are_errors_not_panics() {
    let mut engine = engine();
    // A small linear congruential generator: deterministic junk of many lengths and types.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..300 {
        let len = round % 90;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (seed >> 33) as u8
            })
            .collect();
        let err = engine
            .send_raw_transaction(&bytes)
            .expect_err("junk is never a valid transaction");
        assert!(
            ["ZKOS_TX_DECODE", "ZKOS_TX_SIGNATURE", "ZKOS_TX_INVALID"].contains(&err.code()),
            "{err:?}"
        );
    }
    assert_eq!(engine.head().number, 0);
}

#[test]
fn deployments_and_logs_in_receipts() {
    let mut engine = engine();
    // Initcode `PUSH1 0 PUSH1 0 LOG0 PUSH1 1 PUSH1 0 RETURN`: emits an empty LOG0 and deploys
    // one zero byte (`STOP`).
    let deploy = TxRequest {
        from: Some(SENDER),
        data: Bytes::from_static(&hex!("60006000a060016000f3")),
        gas: Some(200_000),
        ..Default::default()
    };
    // `PUSH1 0 PUSH1 0 LOG0 STOP`.
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::from_static(&hex!("60006000a000")),
                ..Default::default()
            },
        )
        .expect("stored");
    let report = engine
        .run_block(
            &[
                BlockTx::Request(alloc::boxed::Box::new(deploy)),
                BlockTx::Request(alloc::boxed::Box::new(call_to(OTHER, Some(100_000)))),
            ],
            None,
        )
        .expect("block");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    // CREATE address of the ethereum/tests sender at nonce 0.
    let created = address!("6295ee1b4f6dd65047762f924ecd367c17eabf8f");
    assert_eq!(report.receipts[0].contract_address, Some(created));
    assert_eq!(engine.get_code(&created), Bytes::from_static(&[0x00]));
    let indexes: Vec<u64> = report
        .receipts
        .iter()
        .flat_map(|r| r.logs.iter().map(|l| l.log_index))
        .collect();
    assert_eq!(indexes, [0, 1]);
    assert_eq!(report.receipts[1].logs[0].log.address, OTHER);
    // Each receipt's bloom holds its own events' emitters (LOG0: no topics) and nothing else.
    let has = |bloom: &crate::primitives::Bloom, address: &Address| {
        bloom.contains_input(crate::primitives::BloomInput::Raw(address.as_slice()))
    };
    assert!(has(&report.receipts[0].logs_bloom, &created));
    assert!(!has(&report.receipts[0].logs_bloom, &OTHER));
    assert!(has(&report.receipts[1].logs_bloom, &OTHER));
    assert!(!has(&report.receipts[1].logs_bloom, &created));
    let traced = engine
        .trace_transaction(
            &report.receipts[1].tx_hash,
            TracerConfig::Calls(crate::trace::CallTracerConfig {
                only_top_call: false,
                with_log: true,
            }),
            TraceBudget::default(),
        )
        .expect("trace");
    let TraceOutput::Calls(root) = traced.output_trace else {
        panic!("calls expected");
    };
    assert_eq!(root.logs.len(), 1);
    assert_eq!(root.logs[0].log.address, OTHER);
}

#[test]
fn a_sender_without_funds_is_told_so() {
    let mut engine = engine();
    let mut request = call_to(OTHER, None);
    request.from = Some(Address::repeat_byte(0x42));
    request.value = U256::from(5u64);
    let report = engine
        .run_block(&[BlockTx::Request(alloc::boxed::Box::new(request))], None)
        .expect("block");
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].error.reason(), Some("InsufficientFunds"));
}

#[test]
fn engine_blocks_commit_like_forward_mode() {
    use crate::context::BlockContext;
    use crate::driver::run_block_forward;
    use crate::state::header::{BlockHeader, EMPTY_OMMERS_HASH};
    use crate::state::world::{AccountState, WorldState};
    use alloc::vec;

    let config = ChainConfig::zk_at(1, ProtocolVersion::V1);
    let mut engine = Engine::new(config);
    let mut world = WorldState::new();
    // A ZKsync OS engine starts with the L1 messenger forwarder; so does the forward world.
    world
        .set_account(
            crate::system::L1_MESSENGER_ADDRESS,
            AccountState {
                nonce: 1,
                balance: U256::ZERO,
                code: Bytes::copy_from_slice(&crate::system::genesis::L1_MESSENGER_CODE),
                code_hash: None,
            },
            &[],
        )
        .expect("stored");
    let genesis_accounts = [
        (SENDER, U256::from(ETHER_WEI), Bytes::new()),
        (CONTRACT, U256::ZERO, Bytes::copy_from_slice(&GAS_GATED)),
        (
            PARENT_HASH_READER,
            U256::ZERO,
            Bytes::copy_from_slice(&STORE_PARENT_HASH),
        ),
    ];
    for (address, balance, code) in genesis_accounts {
        engine
            .set_account(
                address,
                AccountInput {
                    balance,
                    code: code.clone(),
                    ..Default::default()
                },
            )
            .expect("stored");
        world
            .set_account(
                address,
                AccountState {
                    nonce: 0,
                    balance,
                    code,
                    code_hash: None,
                },
                &[],
            )
            .expect("stored");
    }
    assert_eq!(engine.state_commitment(), world.commitment());

    // Genesis: the ZKsync OS header of an empty block 0 with the default fee parameters.
    let genesis_hash = BlockHeader {
        ommers_hash: EMPTY_OMMERS_HASH,
        gas_limit: DEFAULT_BLOCK_GAS_LIMIT_GAS,
        base_fee_per_gas: U256::from(DEFAULT_BASE_FEE_WEI),
        ..BlockHeader::default()
    }
    .hash();
    assert_eq!(engine.head().hash, genesis_hash);

    // Block 1 deploys code (`PUSH1 0 PUSH1 0 LOG0 PUSH1 1 PUSH1 0 RETURN`: one zero byte)
    // and writes slot 0 of the gas-gated contract; block 2 stores BLOCKHASH(1) and transfers.
    let blocks = [
        vec![
            signed_raw(0, None, 500_000, &hex!("60006000a060016000f3")),
            signed_raw(1, Some(CONTRACT), 500_000, &[]),
        ],
        vec![
            signed_raw(2, Some(PARENT_HASH_READER), 500_000, &[]),
            signed_raw(3, Some(OTHER), 500_000, &[]),
        ],
    ];
    let mut hashes = vec![genesis_hash];
    for (number, raw) in (1u64..).zip(blocks) {
        let txs: Vec<BlockTx> = raw.iter().cloned().map(BlockTx::Raw).collect();
        let report = engine.run_block(&txs, None).expect("engine block");
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
        assert!(report.receipts.iter().all(|r| r.status));

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
        let proven = run_block_forward(&mut world, &config, context, raw, None).expect("forward");
        let committed = &proven.commitments;
        assert_eq!(report.header.hash, committed.block_hash);
        assert_eq!(report.header.hash, committed.header.hash());
        assert_eq!(report.header.parent_hash, *hashes.last().expect("parent"));
        assert_eq!(report.header.gas_used, committed.header.gas_used);
        assert_eq!(report.header.pubdata.as_ref(), committed.pubdata.as_slice());
        assert!(!report.header.pubdata.is_empty());
        assert_eq!(report.header.state_commitment, committed.state_after.state);
        assert_eq!(report.header.state_commitment, world.commitment());
        assert_eq!(
            report.header.block_public_input,
            committed.block_public_input
        );
        assert_eq!(
            report.header.batch_public_input,
            committed.batch_public_input
        );
        assert_eq!(engine.get_block(number), Some(&report.header));
        hashes.push(committed.block_hash);
    }
    // BLOCKHASH(1) inside block 2 is block 1's header hash.
    assert_eq!(
        engine.get_storage(&PARENT_HASH_READER, &U256::ZERO),
        U256::from_be_bytes(hashes[1].0)
    );
    assert_eq!(engine.get_block(2).map(|b| b.parent_hash), Some(hashes[1]));
}

#[test]
fn pending_tx_names_the_hash_sender_and_nonce_the_block_gives() {
    let mut engine = engine();
    let raw = BlockTx::Raw(signed_raw(0, Some(CONTRACT), 100_000, &[]));
    let pending = engine.pending_tx(&raw).expect("decodes");
    assert_eq!(
        (pending.sender, pending.nonce, pending.gas_limit),
        (SENDER, 0, 100_000)
    );
    let report = engine.run_block(&[raw], None).expect("block");
    assert_eq!(report.receipts[0].tx_hash, pending.hash);
    let request = BlockTx::Request(alloc::boxed::Box::new(call_to(CONTRACT, Some(90_000))));
    let pending = engine.pending_tx(&request).expect("builds");
    assert_eq!(
        (pending.sender, pending.nonce, pending.gas_limit),
        (SENDER, 1, 90_000)
    );
    let report = engine.run_block(&[request], None).expect("block");
    assert_eq!(report.receipts[0].tx_hash, pending.hash);
    assert!(engine
        .pending_tx(&BlockTx::Raw(Bytes::from_static(&[0x02, 0xc0])))
        .is_err());
}

#[test]
fn senders_recovered_when_pooled_give_the_same_block() {
    // A pool admits the transactions (recovering their senders once), then mines them: the
    // block is the one an engine that never saw them before produces.
    let txs = mixed_block();
    let mut pooled = token_engine();
    for tx in &txs {
        pooled.pending_tx(tx).expect("admitted");
    }
    assert_eq!(pooled.senders.len(), txs.len());
    let mut cold = token_engine();
    assert_eq!(
        pooled.run_block(&txs, None).expect("block"),
        cold.run_block(&txs, None).expect("block")
    );
}

#[test]
fn a_strict_block_with_a_transaction_left_out_changes_nothing() {
    let mut engine = engine();
    let head = engine.head().clone();
    let root = engine.state_commitment();
    let too_high = BlockTx::Raw(signed_raw(5, Some(CONTRACT), 100_000, &[]));
    assert!(engine.run_block_strict(&[too_high], None).is_err());
    assert_eq!(engine.head(), &head);
    assert_eq!(engine.state_commitment(), root);
    let ok = BlockTx::Raw(signed_raw(0, Some(CONTRACT), 100_000, &[]));
    let overrides = BlockOverrides {
        timestamp: Some(1_000),
        ..BlockOverrides::default()
    };
    let report = engine
        .run_block_strict(&[ok], Some(overrides))
        .expect("included");
    assert_eq!((report.header.number, report.header.timestamp), (1, 1_000));
    assert_eq!(report.receipts.len(), 1);
}

#[test]
fn pending_tx_carries_the_access_list_the_block_records() {
    // A pool shows a waiting transaction as a mined one is shown: with its access list (before,
    // the pending form had none, and the dev node answered `[]` for it).
    let mut engine = engine();
    let mut request = call_to(CONTRACT, Some(90_000));
    let listed = crate::tx::AccessListItem {
        address: CONTRACT,
        storage_keys: alloc::vec![B256::from(U256::from(7u64).to_be_bytes::<32>())],
    };
    request.access_list = alloc::vec![listed.clone()];
    let request = BlockTx::Request(alloc::boxed::Box::new(request));
    let pending = engine.pending_tx(&request).expect("builds");
    assert_eq!(pending.access_list, alloc::vec![listed]);
    assert!(pending.authorization_list.is_empty());
    engine.run_block(&[request], None).expect("block");
    let mined = engine.get_transaction(&pending.hash).expect("mined");
    assert_eq!(mined.tx.access_list, pending.access_list);
}
