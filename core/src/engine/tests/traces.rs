//! Traces: step logs, call trees, prestate diffs, opcode stats, and re-tracing included transactions.

use super::*;

/// `request` traced by `config` on `engine`'s head, without overrides, within the default budget.
fn traced(engine: &Engine, request: &TxRequest, config: TracerConfig) -> TraceResult {
    engine
        .trace_call(
            request,
            &StateOverride::new(),
            None,
            config,
            TraceBudget::default(),
        )
        .expect("trace")
}

#[test]
fn step_logger_records_each_opcode_with_costs() {
    let engine = engine();
    let trace = traced(
        &engine,
        &call_to(CONTRACT, Some(100_000)),
        TracerConfig::Steps(crate::trace::StepLogConfig::default()),
    );
    let TraceOutput::Steps(steps) = trace.output_trace else {
        panic!("steps expected");
    };
    let pcs: Vec<u64> = steps.iter().map(|s| s.pc).collect();
    assert_eq!(pcs, [0, 4, 5, 6, 8, 13, 14, 16, 18, 19]);
    let costs: Vec<u64> = steps.iter().map(|s| s.gas_cost).collect();
    // PUSH3 GAS GT PUSH1 JUMPI JUMPDEST PUSH1 PUSH1 SSTORE(cold, 0 -> 1) STOP.
    assert_eq!(costs, [3, 2, 3, 3, 10, 1, 3, 3, 22_100, 0]);
    assert_eq!(steps[0].gas, 100_000 - 21_000);
    assert_eq!(steps[0].ergs, (100_000 - 21_000) * 256);
    assert!(steps.iter().all(|s| s.depth == 1));
    let sstore = &steps[8];
    assert_eq!(
        sstore.stack,
        Some(alloc::vec![U256::from(1u64), U256::ZERO])
    );
    assert_eq!(
        sstore.storage,
        Some(alloc::vec![(U256::ZERO, U256::from(1u64))])
    );
    assert!(sstore.native_cost > 0);
    assert!(steps[0].memory.is_none());
    // The native of the steps adds up to the native before the last step plus its cost.
    let last = &steps[9];
    assert!(last.native >= steps[0].native + steps[..9].iter().map(|s| s.native_cost).sum::<u64>());
}

#[test]
fn call_tracer_builds_the_frame_tree() {
    let mut engine = engine();
    let caller = Address::repeat_byte(0xca);
    engine
        .set_account(
            caller,
            AccountInput {
                code: caller_code(),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::copy_from_slice(&REVERTER),
                ..Default::default()
            },
        )
        .expect("stored");
    let trace = traced(
        &engine,
        &call_to(caller, Some(200_000)),
        TracerConfig::Calls(crate::trace::CallTracerConfig::default()),
    );
    let TraceOutput::Calls(root) = trace.output_trace else {
        panic!("calls expected");
    };
    assert_eq!(
        (root.kind, root.from, root.to),
        (CallKind::Call, SENDER, caller)
    );
    assert_eq!(root.gas, 200_000);
    assert_eq!(root.gas_used, trace.gas_used);
    assert_eq!(root.calls.len(), 2, "{root:?}");
    let identity = &root.calls[0];
    assert_eq!(identity.kind, CallKind::StaticCall);
    assert_eq!(
        identity.to,
        address!("0000000000000000000000000000000000000004")
    );
    // Identity: 15 gas + 3 per word, no words.
    assert_eq!(identity.gas_used, 15);
    assert_eq!(identity.error, None);
    let reverted = &root.calls[1];
    assert_eq!(
        (reverted.kind, reverted.from, reverted.to),
        (CallKind::Call, caller, OTHER)
    );
    assert_eq!(reverted.error.as_deref(), Some("execution reverted"));
    assert_eq!(reverted.output, Bytes::from_static(&hex!("deadbeef")));
    // PUSH4 3, PUSH1 3, MSTORE 3 + 3 (one word of memory), PUSH1 3, PUSH1 3, REVERT 0 = 18.
    assert_eq!(reverted.gas_used, 18);
    assert!(reverted.native_used > 0);
    let only_top = traced(
        &engine,
        &call_to(caller, Some(200_000)),
        TracerConfig::Calls(crate::trace::CallTracerConfig {
            only_top_call: true,
            with_log: false,
        }),
    );
    let TraceOutput::Calls(top) = only_top.output_trace else {
        panic!("calls expected");
    };
    assert!(top.calls.is_empty());
}

#[test]
fn call_tracer_frame_of_a_transfer_reports_its_gas_in_ergs() {
    // No code runs at OTHER, so the top frame is built from the transaction: 21,000 gas used of
    // 50,000, in ergs 256 times each.
    let engine = engine();
    let trace = traced(
        &engine,
        &call_to(OTHER, Some(50_000)),
        TracerConfig::Calls(crate::trace::CallTracerConfig::default()),
    );
    let TraceOutput::Calls(root) = trace.output_trace else {
        panic!("calls expected");
    };
    assert_eq!((root.gas, root.gas_used), (50_000, 21_000));
    assert_eq!((root.ergs, root.ergs_used), (50_000 * 256, 21_000 * 256));
    assert!(root.calls.is_empty());
}

#[test]
fn call_tracer_frame_of_a_creation_outputs_the_code_deployed() {
    // Init code returning the two bytes 5b00 (PUSH2 5b00, PUSH1 0, MSTORE, PUSH1 2, PUSH1 30,
    // RETURN): geth's callTracer gives them as the CREATE frame's output; before, zkos gave none.
    let engine = engine();
    let create = TxRequest {
        from: Some(SENDER),
        gas: Some(100_000),
        data: Bytes::from_static(&hex!("615b006000526002601ef3")),
        ..Default::default()
    };
    let trace = traced(
        &engine,
        &create,
        TracerConfig::Calls(crate::trace::CallTracerConfig::default()),
    );
    let TraceOutput::Calls(root) = trace.output_trace else {
        panic!("calls expected");
    };
    assert_eq!(root.kind, CallKind::Create);
    assert_eq!(root.error, None);
    assert_eq!(root.output, Bytes::from_static(&hex!("5b00")));
}

#[test]
fn prestate_diff_reports_only_changes() {
    let engine = engine();
    let trace = traced(
        &engine,
        &call_to(CONTRACT, Some(100_000)),
        TracerConfig::Prestate(PrestateConfig {
            diff_mode: true,
            ..Default::default()
        }),
    );
    let TraceOutput::Prestate(Prestate::Diff { pre, post }) = trace.output_trace else {
        panic!("diff expected");
    };
    // Slot 0 of the contract goes 0 -> 1; the sender's nonce 0 -> 1 (gas price 0, so no fee).
    assert_eq!(
        post.get(&CONTRACT).map(|a| a.storage.clone()),
        Some(BTreeMapU::from([(U256::ZERO, U256::from(1u64))]))
    );
    assert_eq!(post.get(&CONTRACT).and_then(|a| a.balance), None);
    assert_eq!(post.get(&SENDER).and_then(|a| a.nonce), Some(1));
    assert_eq!(post.get(&SENDER).and_then(|a| a.balance), None);
    // A zero nonce is left out, as geth leaves it out (before, `Some(0)`).
    assert_eq!(pre.get(&SENDER).map(|a| a.nonce), Some(None));
    assert!(pre.get(&CONTRACT).is_some_and(|a| a.storage.is_empty()));
    // The coinbase is touched but unchanged: absent.
    assert!(!pre.contains_key(&Address::ZERO) && !post.contains_key(&Address::ZERO));
    let full = traced(
        &engine,
        &call_to(CONTRACT, Some(100_000)),
        TracerConfig::Prestate(PrestateConfig::default()),
    );
    let TraceOutput::Prestate(Prestate::Pre(accounts)) = full.output_trace else {
        panic!("pre expected");
    };
    assert_eq!(
        accounts.get(&CONTRACT).and_then(|a| a.code.clone()),
        Some(Bytes::copy_from_slice(&GAS_GATED))
    );
    assert_eq!(
        accounts.get(&SENDER).and_then(|a| a.balance),
        Some(U256::from(ETHER_WEI))
    );
}

/// The opcode statistics of a call to [`CONTRACT`] (the gas-gated store) on `engine`, and the
/// protocol version that charged them.
fn gated_opcode_stats(engine: &Engine) -> (ProtocolVersion, Vec<crate::engine::OpcodeStat>) {
    let trace = traced(
        engine,
        &call_to(CONTRACT, Some(100_000)),
        TracerConfig::OpcodeStats,
    );
    let TraceOutput::OpcodeStats(stats) = trace.output_trace else {
        panic!("stats expected");
    };
    (trace.protocol_version, stats)
}

#[test]
fn opcode_stats_count_and_cost() {
    let (_, stats) = gated_opcode_stats(&engine());
    let of = |op: u8| {
        stats
            .iter()
            .find(|s| s.op == op)
            .copied()
            .unwrap_or_default()
    };
    assert_eq!(of(crate::bytecode::opcode::PUSH1).count, 3);
    assert_eq!(of(crate::bytecode::opcode::PUSH1).ergs, 3 * 3 * 256);
    assert_eq!(of(crate::bytecode::opcode::SSTORE).ergs, 22_100 * 256);
    assert_eq!(stats.iter().map(|s| s.count).sum::<u64>(), 10);
    assert!(of(crate::bytecode::opcode::SSTORE).native > of(crate::bytecode::opcode::PUSH1).native);
}

#[test]
fn included_transactions_can_be_traced_again() {
    let mut engine = engine();
    let request = BlockTx::Request(alloc::boxed::Box::new(call_to(CONTRACT, Some(100_000))));
    let report = engine.run_block(&[request], None).expect("block");
    let hash = report.receipts[0].tx_hash;
    let trace = engine
        .trace_transaction(&hash, TracerConfig::OpcodeStats, TraceBudget::default())
        .expect("trace");
    assert_eq!(trace.gas_used, report.receipts[0].gas_used);
    assert_eq!(trace.native_used, report.receipts[0].native_used);
    let err = engine
        .trace_transaction(
            &B256::repeat_byte(1),
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect_err("unknown");
    assert_eq!(err.code(), "ZKOS_UNKNOWN_TX");
}

#[test]
fn old_blocks_leave_the_trace_history() {
    let mut engine = engine();
    engine.set_history_blocks(4).expect("window");
    let first = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(call_to(
                OTHER,
                Some(21_000),
            )))],
            None,
        )
        .expect("block");
    let hash = first.receipts[0].tx_hash;
    assert!(engine
        .trace_transaction(&hash, TracerConfig::OpcodeStats, TraceBudget::default())
        .is_ok());
    for _ in 0..4 {
        engine.run_block(&[], None).expect("empty block");
    }
    let err = engine
        .trace_transaction(&hash, TracerConfig::OpcodeStats, TraceBudget::default())
        .expect_err("too old");
    assert_eq!(err.code(), "ZKOS_HISTORY_UNAVAILABLE");
    // The receipt itself stays available.
    assert!(engine.get_receipt(&hash).is_some());
    assert_eq!(engine.head().number, 5);
    assert_eq!(engine.head().timestamp, 5);
}

#[test]
fn opcode_stats_name_the_protocol_version_that_charged_them() {
    let mut natives = Vec::new();
    for version in ProtocolVersion::ALL {
        let (charged_by, stats) = gated_opcode_stats(&zk_engine_at(FeeParams::default(), version));
        assert_eq!(charged_by, version);
        natives.push(stats.iter().map(|s| s.native).sum::<u64>());
    }
    // The two versions' cost tables price the same opcodes differently.
    assert_ne!(natives[0], natives[1], "{natives:?}");
}
