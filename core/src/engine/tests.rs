//! Engine tests: accounts, blocks and receipts, calls with overrides, estimation, bad input.

use super::*;
use crate::config::ChainConfig;
use crate::ee::evm::CallKind;
use crate::primitives::{address, hex};
use crate::tx::{Signature, Transaction, EIP1559_TX_TYPE};
use k256::ecdsa::SigningKey;

/// Secret key of the ethereum/tests sender 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
const SECRET_KEY: [u8; 32] =
    hex!("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
const SENDER: Address = address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b");
const CONTRACT: Address = address!("00000000000000000000000000000000000c0de0");
const OTHER: Address = address!("00000000000000000000000000000000000beef0");
const ETHER_WEI: u64 = 1_000_000_000_000_000_000;

/// Stores 1 in slot 0 only if more than 50,000 gas is left at its `GAS` opcode, else reverts:
/// `PUSH3 50000 GAS GT PUSH1 13 JUMPI PUSH1 0 DUP1 REVERT JUMPDEST PUSH1 1 PUSH1 0 SSTORE STOP`.
const GAS_GATED: [u8; 20] = hex!("6200c3505a11600d57600080fd5b6001600055 00");

/// Reverts with the 4 bytes 0xdeadbeef: `PUSH4 0xdeadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT`.
const REVERTER: [u8; 13] = hex!("63deadbeef6000526004601cfd");

/// Returns slot 0: `PUSH1 0 SLOAD PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`.
const READ_SLOT0: [u8; 11] = hex!("60005460005260206000f3");

fn engine() -> Engine {
    let mut engine = Engine::new(ChainConfig::ethereum(1, Hardfork::Cancun));
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&GAS_GATED),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

fn sign(tx: &mut Transaction) {
    let key = SigningKey::from_slice(&SECRET_KEY).expect("valid key");
    let prehash = tx.signing_hash().expect("hashable");
    let (signature, recovery_id) = key.sign_prehash_recoverable(prehash.as_slice());
    let bytes = signature.to_bytes();
    tx.signature = Some(Signature {
        y_parity: recovery_id.is_y_odd(),
        r: U256::from_be_slice(&bytes[..32]),
        s: U256::from_be_slice(&bytes[32..]),
    });
}

fn transfer(nonce: u64, value: u64) -> Transaction {
    let mut tx = Transaction::empty(EIP1559_TX_TYPE);
    tx.chain_id = Some(1);
    tx.nonce = nonce;
    tx.gas_limit = 21_000;
    tx.max_fee_per_gas = 2_000;
    tx.max_priority_fee_per_gas = 10;
    tx.to = Some(OTHER);
    tx.value = U256::from(value);
    tx
}

fn call_to(to: Address, gas: Option<u64>) -> CallRequest {
    CallRequest {
        from: Some(SENDER),
        to: Some(to),
        gas,
        ..Default::default()
    }
}

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
fn call_never_changes_the_engine() {
    let engine = engine();
    let result = engine
        .call(&call_to(CONTRACT, None), &StateOverride::new(), None)
        .expect("call");
    assert!(result.success);
    // 21000 + PUSH3 3 + GAS 2 + GT 3 + PUSH1 3 + JUMPI 10 + JUMPDEST 1 + PUSH1 3 + PUSH1 3
    // + SSTORE (cold 2100 + set 20000) = 43,128.
    assert_eq!(result.gas_used, 43_128);
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::ZERO);
    assert_eq!(engine.get_nonce(&SENDER), 0);
    assert_eq!(engine.head().number, 0);
}

#[test]
fn call_applies_state_overrides() {
    let engine = engine();
    let mut overrides = StateOverride::new();
    let mut diff = alloc::collections::BTreeMap::new();
    diff.insert(U256::ZERO, U256::from(0x2au64));
    overrides.insert(
        OTHER,
        AccountOverride {
            code: Some(Bytes::copy_from_slice(&READ_SLOT0)),
            state_diff: diff,
            ..Default::default()
        },
    );
    let result = engine
        .call(&call_to(OTHER, None), &overrides, None)
        .expect("call");
    assert_eq!(U256::from_be_slice(&result.output), U256::from(0x2au64));
    // Without overrides the account has no code: empty output.
    let plain = engine
        .call(&call_to(OTHER, None), &StateOverride::new(), None)
        .expect("call");
    assert!(plain.output.is_empty());
    // A balance override lets a poor sender send value.
    let poor = Address::repeat_byte(0x55);
    let mut request = call_to(OTHER, None);
    request.from = Some(poor);
    request.value = U256::from(10u64);
    let err = engine
        .call(&request, &StateOverride::new(), None)
        .expect_err("no funds");
    assert_eq!(err.code(), "ZKOS_TX_INVALID");
    let mut rich = StateOverride::new();
    rich.insert(
        poor,
        AccountOverride {
            balance: Some(U256::from(10u64)),
            ..Default::default()
        },
    );
    assert!(engine.call(&request, &rich, None).expect("funded").success);
    // `state` together with `stateDiff` is refused.
    let mut both = overrides.clone();
    if let Some(o) = both.get_mut(&OTHER) {
        o.state = Some(alloc::collections::BTreeMap::new());
    }
    let err = engine
        .call(&call_to(OTHER, None), &both, None)
        .expect_err("contradiction");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
}

#[test]
fn estimate_finds_the_gas_gate_within_tolerance() {
    let engine = engine();
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    // The gate passes iff gas left after GAS (limit − 21000 − 3 − 2) exceeds 50,000, so the
    // smallest working limit is 71,006.
    assert!(estimate.gas_limit >= 71_006, "{estimate:?}");
    assert!(estimate.gas_limit <= 71_006 * 1015 / 1000, "{estimate:?}");
    assert_eq!(estimate.gas_used, 43_128);
    let run = |gas| {
        engine
            .call(&call_to(CONTRACT, Some(gas)), &StateOverride::new(), None)
            .expect("call")
            .success
    };
    assert!(run(estimate.gas_limit));
    assert!(!run(estimate.gas_limit * 985 / 1000));
    assert!(!run(71_005));
}

#[test]
fn estimate_of_a_plain_transfer_is_21000() {
    let engine = engine();
    let mut request = call_to(OTHER, None);
    request.value = U256::from(1u64);
    let estimate = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect("estimate");
    assert_eq!(estimate.gas_limit, 21_000);
}

#[test]
fn estimate_reports_reverts_and_invalid_requests() {
    let mut engine = engine();
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::copy_from_slice(&REVERTER),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(OTHER, None), &StateOverride::new())
        .expect_err("reverts");
    assert_eq!(
        err,
        EstimateError::Reverted {
            data: Bytes::from_static(&hex!("deadbeef"))
        }
    );
    assert_eq!(err.code(), "ZKOS_ESTIMATE_REVERTED");
    let mut request = call_to(CONTRACT, None);
    request.gas_price = Some(1);
    request.max_fee_per_gas = Some(1);
    let err = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect_err("contradiction");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
    let err = engine
        .estimate_gas(&call_to(CONTRACT, Some(30_000)), &StateOverride::new())
        .expect_err("gate closed at 30,000");
    assert_eq!(err.code(), "ZKOS_ESTIMATE_REVERTED");
}

#[test]
fn impersonated_requests_take_nonces_in_turn() {
    let mut engine = engine();
    let request = |to| {
        BlockTx::Request(alloc::boxed::Box::new(CallRequest {
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

/// `STATICCALL` the identity precompile with no input, then `CALL` [`OTHER`], then stop.
fn caller_code() -> Bytes {
    let mut code = hex!("60006000600060006004 5afa50").to_vec();
    code.extend_from_slice(&hex!("6000600060006000600073"));
    code.extend_from_slice(OTHER.as_slice());
    code.extend_from_slice(&hex!("5af15000"));
    Bytes::from(code)
}

#[test]
fn step_logger_records_each_opcode_with_costs() {
    let engine = engine();
    let trace = engine
        .trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Steps(crate::trace::StepLogConfig::default()),
        )
        .expect("trace");
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
    let trace = engine
        .trace_call(
            &call_to(caller, Some(200_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Calls(crate::trace::CallTracerConfig::default()),
        )
        .expect("trace");
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
    let only_top = engine
        .trace_call(
            &call_to(caller, Some(200_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Calls(crate::trace::CallTracerConfig {
                only_top_call: true,
                with_log: false,
            }),
        )
        .expect("trace");
    let TraceOutput::Calls(top) = only_top.output_trace else {
        panic!("calls expected");
    };
    assert!(top.calls.is_empty());
}

#[test]
fn prestate_diff_reports_only_changes() {
    let engine = engine();
    let trace = engine
        .trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Prestate(PrestateConfig {
                diff_mode: true,
                ..Default::default()
            }),
        )
        .expect("trace");
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
    assert_eq!(pre.get(&SENDER).and_then(|a| a.nonce), Some(0));
    assert!(pre.get(&CONTRACT).is_some_and(|a| a.storage.is_empty()));
    // The coinbase is touched but unchanged: absent.
    assert!(!pre.contains_key(&Address::ZERO) && !post.contains_key(&Address::ZERO));
    let full = engine
        .trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Prestate(PrestateConfig::default()),
        )
        .expect("trace");
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

type BTreeMapU = alloc::collections::BTreeMap<U256, U256>;

#[test]
fn opcode_stats_count_and_cost() {
    let engine = engine();
    let trace = engine
        .trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            TracerConfig::OpcodeStats,
        )
        .expect("trace");
    let TraceOutput::OpcodeStats(stats) = trace.output_trace else {
        panic!("stats expected");
    };
    let of = |op: u8| {
        stats
            .iter()
            .find(|s| s.op == op)
            .copied()
            .unwrap_or_default()
    };
    assert_eq!(of(crate::ee::evm::opcode::PUSH1).count, 3);
    assert_eq!(of(crate::ee::evm::opcode::PUSH1).ergs, 3 * 3 * 256);
    assert_eq!(of(crate::ee::evm::opcode::SSTORE).ergs, 22_100 * 256);
    assert_eq!(stats.iter().map(|s| s.count).sum::<u64>(), 10);
    assert!(of(crate::ee::evm::opcode::SSTORE).native > of(crate::ee::evm::opcode::PUSH1).native);
}

#[test]
fn included_transactions_can_be_traced_again() {
    let mut engine = engine();
    let request = BlockTx::Request(alloc::boxed::Box::new(call_to(CONTRACT, Some(100_000))));
    let report = engine.run_block(&[request], None).expect("block");
    let hash = report.receipts[0].tx_hash;
    let trace = engine
        .trace_transaction(&hash, TracerConfig::OpcodeStats)
        .expect("trace");
    assert_eq!(trace.gas_used, report.receipts[0].gas_used);
    assert_eq!(trace.native_used, report.receipts[0].native_used);
    let err = engine
        .trace_transaction(&B256::repeat_byte(1), TracerConfig::OpcodeStats)
        .expect_err("unknown");
    assert_eq!(err.code(), "ZKOS_UNKNOWN_TX");
}

fn zk_engine(fees: FeeParams) -> Engine {
    let mut engine = Engine::with_fees(ChainConfig::zk(1), fees);
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(ETHER_WEI),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&GAS_GATED),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

#[test]
fn zk_estimate_covers_native_and_holds_on_chain() {
    // Native priced at the base fee: 1000 / 1000 = 1 native per gas, so native decides.
    let fees = FeeParams {
        native_price: U256::from(1_000u64),
        ..FeeParams::default()
    };
    let mut engine = zk_engine(fees);
    let mut request = call_to(OTHER, None);
    request.value = U256::from(1u64);
    let estimate = engine
        .estimate_gas(&request, &StateOverride::new())
        .expect("estimate");
    assert_eq!(estimate.native_cover_gas, estimate.native_used);
    assert!(estimate.native_used > 21_000, "{estimate:?}");
    assert!(estimate.gas_limit >= estimate.native_cover_gas);
    // Sent with that limit at the base fee, the transfer is included and succeeds.
    request.gas = Some(estimate.gas_limit);
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(request.clone()))],
            None,
        )
        .expect("block");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert!(report.receipts[0].status);
    // Far below the cover the transaction cannot buy its intrinsic native.
    request.gas = Some(estimate.native_cover_gas / 2);
    let report = engine
        .run_block(&[BlockTx::Request(alloc::boxed::Box::new(request))], None)
        .expect("block");
    assert!(report.receipts.first().is_none_or(|r| !r.status));
}

#[test]
fn zk_estimate_of_gas_gate_holds_on_chain() {
    let mut engine = zk_engine(FeeParams::default());
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    assert!(estimate.gas_limit >= 71_006, "{estimate:?}");
    assert!(estimate.pubdata_used > 0, "{estimate:?}");
    let report = engine
        .run_block(
            &[BlockTx::Request(alloc::boxed::Box::new(call_to(
                CONTRACT,
                Some(estimate.gas_limit),
            )))],
            None,
        )
        .expect("block");
    assert!(report.receipts[0].status, "{report:?}");
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::from(1u64));
}

#[test]
fn session_steps_through_phases_and_opcodes() {
    let engine = engine();
    let mut session = engine
        .session(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
        )
        .expect("session");
    assert_eq!(session.phase(), Phase::Validation);
    assert!(session.frames().is_empty());
    let report = session.step(1).expect("validation");
    assert_eq!(report.phase, Phase::FeeCharge);
    assert_eq!(session.costs().intrinsic_gas, 0);
    let report = session.step(1).expect("fee charge");
    assert_eq!(report.phase, Phase::Execution);
    let frames = session.frames();
    assert_eq!(frames.len(), 1);
    assert_eq!((frames[0].pc, frames[0].opcode), (0, 0x62));
    assert_eq!(frames[0].gas, 100_000 - 21_000);
    assert_eq!(session.costs().intrinsic_gas, 21_000);
    let report = session
        .continue_until(
            &Breakpoint {
                opcode: Some(crate::ee::evm::opcode::SSTORE),
                ..Default::default()
            },
            1_000,
        )
        .expect("to SSTORE");
    // PUSH3 GAS GT PUSH1 JUMPI JUMPDEST PUSH1 PUSH1, then SSTORE is next at pc 18.
    assert_eq!(report.steps, 8);
    assert_eq!(session.frames()[0].pc, 18);
    assert_eq!(session.stack(), alloc::vec![U256::from(1u64), U256::ZERO]);
    assert!(session.storage().persistent.is_empty());
    assert_eq!(
        session.costs().execution_ergs,
        (3 + 2 + 3 + 3 + 10 + 1 + 3 + 3) * 256
    );
    session.step(1).expect("SSTORE");
    let storage = session.storage();
    assert_eq!(
        storage.persistent,
        alloc::vec![SlotView {
            address: CONTRACT,
            key: U256::ZERO,
            original: U256::ZERO,
            current: U256::from(1u64),
        }]
    );
    assert_eq!(
        session.costs().execution_ergs,
        (3 + 2 + 3 + 3 + 10 + 1 + 3 + 3 + 22_100) * 256
    );
    assert!(session.costs().execution_native > 0);
    let report = session
        .continue_until(&Breakpoint::default(), 1_000)
        .expect("to the next phase");
    assert_eq!((report.steps, report.phase), (1, Phase::Pubdata));
    let report = session.step(10).expect("settle");
    assert!(report.finished);
    let result = session.result().expect("finished").expect("valid");
    assert!(result.success);
    assert_eq!(result.gas_used, 43_128);
    assert_eq!(session.costs().gas_used, Some(43_128));
    assert_eq!(
        session.step(1).expect_err("finished").code(),
        "ZKOS_SESSION_FINISHED"
    );
    assert_eq!(engine.get_storage(&CONTRACT, &U256::ZERO), U256::ZERO);
}

#[test]
fn session_passes_through_every_phase_in_order() {
    let engine = engine();
    let request = call_to(CONTRACT, Some(100_000));
    let mut session = engine
        .session(&request, &StateOverride::new(), None)
        .expect("session");
    let mut phases = alloc::vec![session.phase()];
    let mut steps = 0;
    while !session.finished() {
        let report = session.step(1).expect("step");
        assert_eq!(report.steps, 1);
        steps += 1;
        if phases.last() != Some(&report.phase) {
            phases.push(report.phase);
        }
    }
    assert_eq!(
        phases,
        alloc::vec![
            Phase::Validation,
            Phase::FeeCharge,
            Phase::Execution,
            Phase::Pubdata,
            Phase::Refund,
            Phase::Finished,
        ]
    );
    // One step per opcode (PUSH3 GAS GT PUSH1 JUMPI JUMPDEST PUSH1 PUSH1 SSTORE STOP; the last
    // one ends execution) and one per other phase transition: validation, fee charge, pubdata,
    // refund.
    assert_eq!(steps, 10 + 4);
    assert_eq!(session.costs().steps, 10);
    let called = engine
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert_eq!(session.result().expect("finished").expect("valid"), called);
}

#[test]
fn session_breakpoints_stop_at_fee_charge_pubdata_and_refund() {
    let engine = engine();
    let mut session = engine
        .session(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
        )
        .expect("session");
    let at = |phase| Breakpoint {
        phase: Some(phase),
        ..Default::default()
    };
    let report = session
        .continue_until(&at(Phase::FeeCharge), 1_000)
        .expect("to the fee charge");
    assert_eq!((report.steps, report.phase), (1, Phase::FeeCharge));
    let report = session
        .continue_until(&at(Phase::Pubdata), 1_000)
        .expect("to pubdata");
    // The fee charge, then the ten opcodes.
    assert_eq!((report.steps, report.phase), (11, Phase::Pubdata));
    let report = session
        .continue_until(&at(Phase::Refund), 1_000)
        .expect("to the refund");
    assert_eq!((report.steps, report.phase), (1, Phase::Refund));
    assert!(!report.finished);
    assert_eq!(session.costs().gas_refunded, None);
    assert_eq!(session.costs().gas_used, None);
    let report = session.step(1).expect("refund");
    assert!(report.finished);
    assert_eq!(session.costs().gas_refunded, Some(0));
    assert_eq!(session.costs().gas_used, Some(43_128));
}

#[test]
fn session_reports_an_invalid_transaction() {
    let engine = engine();
    let mut request = call_to(CONTRACT, Some(100_000));
    request.from = Some(Address::repeat_byte(0x99));
    request.value = U256::from(5u64);
    let mut session = engine
        .session(&request, &StateOverride::new(), None)
        .expect("session");
    let report = session.step(3).expect("validation");
    assert!(report.finished);
    let err = session.result().expect("finished").expect_err("no funds");
    assert_eq!(err.code(), "ZKOS_TX_INVALID");
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
fn estimate_names_out_of_gas_and_halts() {
    let mut engine = engine();
    // `JUMPDEST PUSH1 0 JUMP`: loops until the gas runs out.
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::from_static(&hex!("5b600056")),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(OTHER, None), &StateOverride::new())
        .expect_err("never enough");
    assert_eq!(
        err,
        EstimateError::OutOfGasAtCap {
            cap: DEFAULT_BLOCK_GAS_LIMIT_GAS
        }
    );
    // `INVALID`.
    let invalid = Address::repeat_byte(0xfe);
    engine
        .set_account(
            invalid,
            AccountInput {
                code: Bytes::from_static(&[0xfe]),
                ..Default::default()
            },
        )
        .expect("stored");
    let err = engine
        .estimate_gas(&call_to(invalid, None), &StateOverride::new())
        .expect_err("halts");
    assert_eq!(
        err,
        EstimateError::Halted(crate::ee::evm::Halt::InvalidOpcode(0xfe))
    );
    assert_eq!(err.code(), "ZKOS_ESTIMATE_HALTED");
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
fn old_blocks_leave_the_trace_history() {
    let mut engine = engine();
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
        .trace_transaction(&hash, TracerConfig::OpcodeStats)
        .is_ok());
    for _ in 0..TRACE_HISTORY_BLOCKS {
        engine.run_block(&[], None).expect("empty block");
    }
    let err = engine
        .trace_transaction(&hash, TracerConfig::OpcodeStats)
        .expect_err("too old");
    assert_eq!(err.code(), "ZKOS_HISTORY_UNAVAILABLE");
    // The receipt itself stays available.
    assert!(engine.get_receipt(&hash).is_some());
    assert_eq!(engine.head().number, 1 + TRACE_HISTORY_BLOCKS as u64);
    assert_eq!(engine.head().timestamp, 1 + TRACE_HISTORY_BLOCKS as u64);
}

#[test]
fn deployments_and_logs_in_receipts() {
    let mut engine = engine();
    // Initcode `PUSH1 0 PUSH1 0 LOG0 PUSH1 1 PUSH1 0 RETURN`: emits an empty LOG0 and deploys
    // one zero byte (`STOP`).
    let deploy = CallRequest {
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
        )
        .expect("trace");
    let TraceOutput::Calls(root) = traced.output_trace else {
        panic!("calls expected");
    };
    assert_eq!(root.logs.len(), 1);
    assert_eq!(root.logs[0].log.address, OTHER);
}

#[test]
fn zk_estimate_fee_at_prices() {
    let engine = zk_engine(FeeParams::default());
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, None), &StateOverride::new())
        .expect("estimate");
    // Price 0 counts as the base fee (1000 wei); native and pubdata cost 1 wei each, so the
    // gas side (43,128 × 1000 wei) dominates.
    assert_eq!(estimate.fee, U256::from(estimate.gas_used * 1_000));
    assert!(estimate.gas_used >= 43_128);
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
    assert_eq!(
        report.rejected[0].error.reason().as_deref(),
        Some("InsufficientFunds")
    );
}

/// Stores the hash of the previous block in slot 0:
/// `PUSH1 1 NUMBER SUB BLOCKHASH PUSH1 0 SSTORE STOP`.
const STORE_PARENT_HASH: [u8; 9] = hex!("600143034060005500");
const PARENT_HASH_READER: Address = address!("00000000000000000000000000000000000b10c4");

/// A signed EIP-1559 transaction from the sender, encoded.
fn signed_raw(nonce: u64, to: Option<Address>, gas_limit: u64, data: &[u8]) -> Bytes {
    let mut tx = transfer(nonce, 0);
    tx.to = to;
    tx.gas_limit = gas_limit;
    tx.data = Bytes::copy_from_slice(data);
    sign(&mut tx);
    crate::tx::encode(&tx).expect("encodes").into()
}

#[test]
fn engine_blocks_commit_like_forward_mode() {
    use crate::bootloader::BlockContext;
    use crate::oracle::run_block_forward;
    use crate::state::header::{BlockHeader as ChainHeader, EMPTY_OMMERS_HASH};
    use crate::state::world::{AccountState, WorldState};
    use alloc::vec;

    let config = ChainConfig::zk(1);
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
                },
                &[],
            )
            .expect("stored");
    }
    assert_eq!(engine.state_commitment(), world.commitment());

    // Genesis: the ZKsync OS header of an empty block 0 with the default fee parameters.
    let genesis_hash = ChainHeader {
        ommers_hash: EMPTY_OMMERS_HASH,
        gas_limit: DEFAULT_BLOCK_GAS_LIMIT_GAS,
        base_fee_per_gas: U256::from(DEFAULT_BASE_FEE_WEI),
        ..ChainHeader::default()
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

/// A minimal token: `transfer(to, amount)` moves `amount` from the caller's balance (slot =
/// address) to `to`'s without checks and emits `Transfer(caller, to, amount)`:
/// `PUSH1 0x24 CALLDATALOAD CALLER SLOAD DUP2 SWAP1 SUB CALLER SSTORE` (caller -= amount);
/// `PUSH1 4 CALLDATALOAD DUP1 SLOAD DUP3 ADD SWAP1 SSTORE` (to += amount);
/// `PUSH1 0 MSTORE PUSH1 4 CALLDATALOAD CALLER PUSH32 <Transfer> PUSH1 32 PUSH1 0 LOG3 STOP`.
const TOKEN_RUNTIME: [u8; 65] = hex!(
    "6024353354819003335560043580548201905560005260043533"
    "7fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
    "60206000a300"
);
const TOKEN: Address = address!("0000000000000000000000000000000000070c00");
const MESSAGE: &[u8] = b"hello zkos";

/// `sendToL1(MESSAGE)` calldata: selector, offset 32, length 10, the message padded to 32.
fn send_to_l1_call() -> Vec<u8> {
    let mut data = hex!("62f84b24").to_vec();
    data.extend_from_slice(&U256::from(32u64).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(MESSAGE.len()).to_be_bytes::<32>());
    data.extend_from_slice(MESSAGE);
    data.resize(4 + 64 + 32, 0);
    data
}

/// A ZKsync OS engine with the sender funded and holding 10,000 tokens.
fn token_engine() -> Engine {
    let mut engine = zk_engine(FeeParams::default());
    engine
        .set_account(
            TOKEN,
            AccountInput {
                nonce: 1,
                code: Bytes::copy_from_slice(&TOKEN_RUNTIME),
                storage: alloc::vec![(
                    U256::from_be_slice(SENDER.as_slice()),
                    U256::from(10_000u64)
                )],
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

/// An ETH transfer, an ERC-20 transfer and an L2→L1 message, signed.
fn mixed_block() -> Vec<BlockTx> {
    let mut token_call = hex!("a9059cbb").to_vec();
    token_call.extend_from_slice(OTHER.into_word().as_slice());
    token_call.extend_from_slice(&U256::from(250u64).to_be_bytes::<32>());
    let mut eth = transfer(0, 1_000);
    eth.gas_limit = 500_000;
    sign(&mut eth);
    alloc::vec![
        BlockTx::Raw(crate::tx::encode(&eth).expect("encodes").into()),
        BlockTx::Raw(signed_raw(1, Some(TOKEN), 500_000, &token_call)),
        BlockTx::Raw(signed_raw(
            2,
            Some(crate::system::L1_MESSENGER_ADDRESS),
            500_000,
            &send_to_l1_call()
        )),
    ]
}

#[test]
fn block_session_seals_what_run_block_produces() {
    let txs = mixed_block();
    let mut mined = token_engine();
    let expected = mined.run_block(&txs, None).expect("block");
    assert!(expected.rejected.is_empty(), "{:?}", expected.rejected);
    assert_eq!(expected.receipts.len(), 3);
    assert!(expected.receipts.iter().all(|r| r.status));
    assert_eq!(expected.receipts[2].l2_to_l1_messages.len(), 1);

    let mut engine = token_engine();
    let head = engine.head().clone();
    let mut session = engine.block_session(&txs, None).expect("session");
    assert_eq!(session.tx_count(), 3);
    // Each transaction passes through its phases; the tx index moves at each boundary.
    let mut seen = alloc::vec![(session.phase(), session.tx_index())];
    while session.phase() != Phase::BlockFinish {
        let report = session.step(1).expect("step");
        if seen.last() != Some(&(report.phase, report.tx_index)) {
            seen.push((report.phase, report.tx_index));
        }
    }
    let mut expected_phases = Vec::new();
    for tx in 0..3 {
        for phase in [
            Phase::Validation,
            Phase::FeeCharge,
            Phase::Execution,
            Phase::Pubdata,
            Phase::Refund,
        ] {
            // The ETH transfer to an account without code has no opcode to run: its fee
            // charge step enters (and ends) execution at once.
            if !(tx == 0 && phase == Phase::Execution) {
                expected_phases.push((phase, tx));
            }
        }
    }
    expected_phases.push((Phase::BlockFinish, 3));
    assert_eq!(seen, expected_phases);
    assert!(session.block().is_none());
    // The message is final once its transaction ended, before the block finish.
    let messages = session.messages();
    assert_eq!(messages.len(), 1);
    assert!(!messages[0].pending);
    assert_eq!(messages[0].tx_index, 2);
    let report = session.step(1).expect("block finish");
    assert!(report.finished);
    let sealed = session.block().expect("sealed").clone();
    assert_eq!(sealed.header.hash, expected.header.hash);
    assert_eq!(sealed.header.pubdata, expected.header.pubdata);
    assert_eq!(
        sealed.header.block_public_input,
        expected.header.block_public_input
    );
    assert_eq!(
        sealed.header.batch_public_input,
        expected.header.batch_public_input
    );
    assert_eq!(
        sealed.header.state_commitment,
        expected.header.state_commitment
    );
    assert_eq!(sealed.receipts, expected.receipts);
    assert_eq!(sealed, expected);
    assert_eq!(session.pubdata().expect("pubdata"), expected.header.pubdata);
    // Stepping changed nothing; committing keeps exactly the block run_block kept.
    assert_eq!(engine.head(), &head);
    let committed = engine.commit_session(&mut session).expect("commit");
    assert_eq!(session.block(), Some(&expected));
    assert!(engine.commit_session(&mut session).is_err());
    assert_eq!(committed, expected);
    assert_eq!(engine.head(), mined.head());
    assert_eq!(engine.state_commitment(), mined.state_commitment());
    assert_eq!(
        engine.get_storage(&TOKEN, &U256::from_be_slice(OTHER.as_slice())),
        U256::from(250u64)
    );
    let hash = expected.receipts[1].tx_hash;
    assert_eq!(engine.get_receipt(&hash), mined.get_receipt(&hash));
}

#[test]
fn block_session_commit_refuses_a_stale_or_unfinished_session() {
    let txs = mixed_block();
    let mut engine = token_engine();
    let mut unfinished = engine.block_session(&txs, None).expect("session");
    assert_eq!(
        engine.commit_session(&mut unfinished),
        Err(EngineError::BadInput(
            "the block session has not finished (or was committed)"
        ))
    );
    let mut session = engine.block_session(&txs, None).expect("session");
    session.step(u64::MAX).expect("run");
    assert!(session.finished());
    engine.set_storage(OTHER, U256::ZERO, U256::from(1u64));
    assert_eq!(
        engine.commit_session(&mut session),
        Err(EngineError::BadInput(
            "the chain changed since the session was opened"
        ))
    );
    let mut call = engine
        .session(&call_to(OTHER, None), &StateOverride::new(), None)
        .expect("session");
    assert_eq!(
        engine.commit_session(&mut call),
        Err(EngineError::BadInput(
            "only a block session can be committed"
        ))
    );
}

#[test]
fn block_session_breaks_at_block_finish_and_rejects_like_run_block() {
    let mut txs = mixed_block();
    // A duplicate of the first transaction (nonce 0 again) is rejected at its turn.
    txs.insert(1, txs[0].clone());
    let mut mined = token_engine();
    let expected = mined.run_block(&txs, None).expect("block");
    assert_eq!(expected.rejected.len(), 1);
    assert_eq!(expected.rejected[0].position, 1);
    let engine = token_engine();
    let mut session = engine.block_session(&txs, None).expect("session");
    let report = session
        .continue_until(
            &Breakpoint {
                phase: Some(Phase::BlockFinish),
                ..Default::default()
            },
            1_000_000,
        )
        .expect("to the block finish");
    assert_eq!((report.phase, report.tx_index), (Phase::BlockFinish, 4));
    assert!(!report.finished);
    session.step(1).expect("block finish");
    assert_eq!(session.block(), Some(&expected));
}

#[test]
fn call_results_carry_l2_to_l1_messages() {
    let engine = token_engine();
    let request = CallRequest {
        from: Some(SENDER),
        to: Some(crate::system::L1_MESSENGER_ADDRESS),
        data: send_to_l1_call().into(),
        ..Default::default()
    };
    let result = engine
        .call(&request, &StateOverride::new(), None)
        .expect("call");
    assert!(result.success);
    assert_eq!(result.l2_to_l1_messages.len(), 1);
    assert_eq!(result.l2_to_l1_messages[0].sender, SENDER);
    assert_eq!(result.l2_to_l1_messages[0].data.as_ref(), MESSAGE);
}

#[test]
fn session_shows_a_message_and_its_pubdata_right_after_the_sending_step() {
    let engine = token_engine();
    let request = CallRequest {
        from: Some(SENDER),
        to: Some(crate::system::L1_MESSENGER_ADDRESS),
        data: send_to_l1_call().into(),
        gas: Some(500_000),
        ..Default::default()
    };
    let mut session = engine
        .session(&request, &StateOverride::new(), None)
        .expect("session");
    // The forwarder's CALL to the messenger hook is at pc 26 (see L1_MESSENGER_CODE).
    session
        .continue_until(
            &Breakpoint {
                pc: Some(26),
                depth: Some(0),
                ..Default::default()
            },
            1_000,
        )
        .expect("to the CALL");
    assert!(session.messages().is_empty());
    let contains =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(&session.pubdata().expect("pubdata"), MESSAGE));
    session.step(1).expect("CALL");
    assert_eq!(session.phase(), Phase::Execution);
    assert!(session.result().is_none());
    let messages = session.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].pending);
    assert_eq!(messages[0].message.sender, SENDER);
    assert_eq!(messages[0].message.data.as_ref(), MESSAGE);
    assert!(contains(&session.pubdata().expect("pubdata"), MESSAGE));
    session.step(u64::MAX).expect("to the end");
    let messages = session.messages();
    assert_eq!(messages.len(), 1);
    assert!(!messages[0].pending);
    let result = session.result().expect("ended").expect("valid");
    assert_eq!(
        result.l2_to_l1_messages,
        alloc::vec![messages[0].message.clone()]
    );
}

/// Logs and reverts: `PUSH1 0 PUSH1 0 LOG0 PUSH1 0 PUSH1 0 REVERT`.
const LOG_THEN_REVERT: [u8; 10] = hex!("60006000a060006000fd");

#[test]
fn pending_logs_appear_at_once_and_leave_with_a_reverted_frame() {
    use crate::ee::evm::opcode::{LOG0, REVERT};
    let mut engine = engine();
    let inner = address!("0000000000000000000000000000000000000b0b");
    engine
        .set_account(
            inner,
            AccountInput {
                code: Bytes::copy_from_slice(&LOG_THEN_REVERT),
                ..Default::default()
            },
        )
        .expect("stored");
    // CALL(gas, inner, 0, 0, 0, 0, 0) POP, then PUSH1 1 PUSH1 0 LOG0 (one byte of data) STOP.
    let mut outer = hex!("6000600060006000600073").to_vec();
    outer.extend_from_slice(inner.as_slice());
    outer.extend_from_slice(&hex!("5af150600160006000a000"));
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: outer.into(),
                ..Default::default()
            },
        )
        .expect("stored");
    let mut session = engine
        .session(&call_to(OTHER, Some(200_000)), &StateOverride::new(), None)
        .expect("session");
    let at = |opcode, depth| Breakpoint {
        opcode: Some(opcode),
        depth: Some(depth),
        ..Default::default()
    };
    session
        .continue_until(&at(LOG0, 1), 1_000)
        .expect("to LOG0");
    assert!(session.logs().is_empty());
    session.step(1).expect("LOG0");
    let logs = session.logs();
    assert_eq!(logs.len(), 1);
    assert!(logs[0].pending);
    assert_eq!(logs[0].log.address, inner);
    session
        .continue_until(&at(REVERT, 1), 1_000)
        .expect("to REVERT");
    assert_eq!(session.logs().len(), 1);
    session.step(1).expect("REVERT");
    assert!(session.logs().is_empty());
    session
        .continue_until(&at(LOG0, 0), 1_000)
        .expect("to LOG0");
    session.step(1).expect("LOG0");
    let logs = session.logs();
    assert_eq!(logs.len(), 1);
    assert!(logs[0].pending);
    assert_eq!(logs[0].log.address, OTHER);
    session.step(u64::MAX).expect("to the end");
    let logs = session.logs();
    assert_eq!(logs.len(), 1);
    assert!(!logs[0].pending);
    let result = session.result().expect("ended").expect("valid");
    assert_eq!(result.logs, alloc::vec![logs[0].log.clone()]);
}

#[test]
fn session_native_so_far_never_decreases_within_a_transaction() {
    // The native a transaction has been charged (intrinsic plus execution, until its receipt)
    // only grows: the unmetered bookkeeping of the fee charge and of the previous transaction's
    // refund must not show up as execution native.
    let txs = mixed_block();
    let engine = token_engine();
    let mut session = engine.block_session(&txs, None).expect("session");
    let mut last = (session.tx_index(), 0u64);
    while session.phase() != Phase::BlockFinish {
        let report = session.step(1).expect("step");
        let costs = session.costs();
        let so_far = match costs.native_used {
            Some(total) => total,
            None => costs.intrinsic_native + costs.execution_native,
        };
        if report.tx_index == last.0 {
            assert!(
                so_far >= last.1,
                "tx {} {:?}: {} after {}",
                report.tx_index,
                report.phase,
                so_far,
                last.1
            );
        }
        last = (
            report.tx_index,
            if costs.native_used.is_some() {
                0
            } else {
                so_far
            },
        );
    }
}
