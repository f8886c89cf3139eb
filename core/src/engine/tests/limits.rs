//! Budgets a caller cannot get around: trace budgets, the RPC gas cap of simulations, and
//! block numbers and timestamps that cannot overflow.

use super::*;
use crate::bootloader::InvalidTransaction;
use crate::bytecode::opcode as op;
use crate::ee::evm::Halt;

/// Runs forever: `JUMPDEST PUSH1 0 JUMP` (12 gas and 3 steps a round).
const LOOP: [u8; 4] = hex!("5b600056");
const LOOPER: Address = address!("00000000000000000000000000000000000100b0");

/// 1,000 × `PUSH0`, then a loop like [`LOOP`] at pc 1000: every step sees a 1,000-word stack.
fn deep_stack_loop() -> Bytes {
    let mut code = alloc::vec![op::PUSH0; 1000];
    code.extend_from_slice(&hex!("5b6103e856"));
    Bytes::from(code)
}

/// Makes 256 KiB of memory, then calls 0xdead (no code) with it as input in a loop:
/// `PUSH1 0 PUSH3 0x03ffe0 MSTORE` (memory up to 2^18), then at pc 7 `JUMPDEST`,
/// `PUSH1 0 PUSH1 0 PUSH3 0x040000 PUSH1 0 PUSH1 0 PUSH2 0xdead GAS CALL POP PUSH1 7 JUMP`.
fn big_input_call_loop() -> Bytes {
    Bytes::from_static(&hex!(
        "60006203ffe052"
        "5b60006000620400006000600061dead5af150600756"
    ))
}

fn with_code(engine: &mut Engine, address: Address, code: Bytes) {
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

fn steps(config: StepLogConfig) -> TracerConfig {
    TracerConfig::Steps(config)
}

#[test]
fn a_trace_of_a_deep_stack_loop_stops_at_the_default_byte_budget() {
    let mut engine = engine();
    with_code(&mut engine, LOOPER, deep_stack_loop());
    // 1,000,000 gas is about 250,000 steps of 1,000 words each: 8 GB of stack copies.
    let error = engine
        .trace_call(
            &call_to(LOOPER, Some(1_000_000)),
            &StateOverride::new(),
            None,
            steps(StepLogConfig::default()),
            TraceBudget::default(),
        )
        .expect_err("over budget");
    assert_eq!(error, EngineError::TraceLimit(TraceBudget::default()));
    assert_eq!(error.code(), "ZKOS_TRACE_LIMIT");
    // Without the stack each step is a fixed-size record: the same run fits.
    let trace = engine
        .trace_call(
            &call_to(LOOPER, Some(1_000_000)),
            &StateOverride::new(),
            None,
            steps(StepLogConfig {
                disable_stack: true,
                ..Default::default()
            }),
            TraceBudget::default(),
        )
        .expect("fits");
    let TraceOutput::Steps(records) = trace.output_trace else {
        panic!("steps expected");
    };
    // 979,000 gas after the intrinsic 21,000: 1,000 PUSH0 (2 gas each) leave 977,000, that is
    // 81,416 rounds of JUMPDEST PUSH2 JUMP (12 gas) and 8 gas, in which JUMPDEST and PUSH2 run
    // and JUMP runs out of gas (a record too).
    assert_eq!(records.len(), 1000 + 81_416 * 3 + 3);
}

#[test]
fn the_step_budget_is_exact_and_limit_still_truncates() {
    let engine = engine();
    let trace_with = |config: StepLogConfig, max_steps: u64| {
        engine.trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            steps(config),
            TraceBudget {
                max_steps,
                max_bytes: u64::MAX,
            },
        )
    };
    // GAS_GATED runs 10 opcodes.
    let TraceOutput::Steps(all) = trace_with(StepLogConfig::default(), 10)
        .expect("fits")
        .output_trace
    else {
        panic!("steps expected");
    };
    assert_eq!(all.len(), 10);
    let budget = TraceBudget {
        max_steps: 9,
        max_bytes: u64::MAX,
    };
    assert_eq!(
        trace_with(StepLogConfig::default(), 9),
        Err(EngineError::TraceLimit(budget))
    );
    // geth's `limit` ends the trace quietly, within the budget.
    let limited = StepLogConfig {
        limit: 5,
        ..Default::default()
    };
    let TraceOutput::Steps(first) = trace_with(limited, 5).expect("fits").output_trace else {
        panic!("steps expected");
    };
    assert_eq!(first, all[..5]);
}

#[test]
fn the_byte_budget_counts_stack_words_and_records() {
    let engine = engine();
    // GAS_GATED's stacks before each of its 10 opcodes hold 0, 1, 2, 1, 2, 0, 0, 1, 2, 0
    // words: 9 words = 288 bytes, plus 10 records of 128 bytes = 1,568 bytes.
    let trace_in = |max_bytes| {
        engine.trace_call(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
            steps(StepLogConfig {
                disable_storage: true,
                ..Default::default()
            }),
            TraceBudget {
                max_steps: u64::MAX,
                max_bytes,
            },
        )
    };
    assert!(trace_in(1_568).is_ok());
    assert_eq!(
        trace_in(1_567),
        Err(EngineError::TraceLimit(TraceBudget {
            max_steps: u64::MAX,
            max_bytes: 1_567
        }))
    );
}

#[test]
fn call_tracer_frames_count_their_input_against_the_budget() {
    let mut engine = engine();
    with_code(&mut engine, LOOPER, big_input_call_loop());
    // Each round copies 256 KiB of calldata into a frame record: thousands of rounds fit in
    // 1,000,000 gas, 256 of them in 64 MiB.
    let error = engine
        .trace_call(
            &call_to(LOOPER, Some(1_000_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Calls(CallTracerConfig::default()),
            TraceBudget::default(),
        )
        .expect_err("over budget");
    assert_eq!(error, EngineError::TraceLimit(TraceBudget::default()));
    // Frames are records: a step budget of 3 holds the top frame and two calls, not three.
    let call_budget = |max_steps| TraceBudget {
        max_steps,
        max_bytes: u64::MAX,
    };
    let mut caller = super::engine();
    with_code(&mut caller, OTHER, Bytes::copy_from_slice(&REVERTER));
    with_code(&mut caller, LOOPER, caller_code());
    let trace = |max_steps| {
        caller.trace_call(
            &call_to(LOOPER, Some(200_000)),
            &StateOverride::new(),
            None,
            TracerConfig::Calls(CallTracerConfig::default()),
            call_budget(max_steps),
        )
    };
    assert!(trace(3).is_ok());
    assert_eq!(trace(2), Err(EngineError::TraceLimit(call_budget(2))));
}

/// An Ethereum engine whose blocks hold 10^9 gas (so its transaction gas cap is 10^9 too),
/// with [`LOOP`] at [`LOOPER`].
fn roomy_engine() -> Engine {
    let mut engine = engine();
    let fees = FeeParams {
        block_gas_limit: 1_000_000_000,
        ..*engine.fees()
    };
    engine.set_fees(fees);
    with_code(&mut engine, LOOPER, Bytes::from_static(&LOOP));
    engine
}

fn out_of_gas_after(result: &CallResult) -> u64 {
    assert_eq!((result.success, result.halt), (false, Some(Halt::OutOfGas)));
    result.gas_used
}

#[test]
fn simulations_run_with_at_most_the_rpc_gas_cap() {
    let mut engine = roomy_engine();
    let none = StateOverride::new();
    assert_eq!(engine.rpc_gas_cap(), DEFAULT_RPC_GAS_CAP_GAS);
    // Above the cap, and without a gas field, the loop runs out of the cap's 50,000,000 gas
    // (geth lowers a request above its RPC gas cap to the cap).
    for gas in [Some(200_000_000), None] {
        let result = engine.call(&call_to(LOOPER, gas), &none, None);
        assert_eq!(out_of_gas_after(&result.expect("call")), 50_000_000);
    }
    // Below the cap the request's own limit holds.
    let result = engine.call(&call_to(LOOPER, Some(100_000)), &none, None);
    assert_eq!(out_of_gas_after(&result.expect("call")), 100_000);
    // Estimation searches up to the cap; traces and sessions run with it too.
    assert_eq!(
        engine.estimate_gas(&call_to(LOOPER, Some(200_000_000)), &none),
        Err(EstimateError::OutOfGasAtCap { cap: 50_000_000 })
    );
    let trace = engine
        .trace_call(
            &call_to(LOOPER, Some(200_000_000)),
            &none,
            None,
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect("trace");
    assert_eq!(trace.gas_used, 50_000_000);
    let mut session = engine
        .session(&call_to(LOOPER, Some(200_000_000)), &none, None)
        .expect("session");
    session.step(2).expect("validation and fee charge");
    assert_eq!(session.frames()[0].gas, 50_000_000 - 21_000);

    // The cap is the engine's to choose, from 21,000 up.
    engine.set_rpc_gas_cap(1_000_000).expect("cap");
    let result = engine.call(&call_to(LOOPER, None), &none, None);
    assert_eq!(out_of_gas_after(&result.expect("call")), 1_000_000);
    assert_eq!(
        engine.set_rpc_gas_cap(20_999),
        Err(EngineError::BadInput(
            "the RPC gas cap must be at least 21000"
        ))
    );
    assert_eq!(engine.rpc_gas_cap(), 1_000_000);
}

#[test]
fn blocks_give_requests_without_gas_the_cap_and_keep_explicit_limits() {
    let mut engine = roomy_engine();
    let request = |gas| BlockTx::Request(alloc::boxed::Box::new(call_to(LOOPER, gas)));
    let report = engine
        .run_block(&[request(None), request(Some(60_000_000))], None)
        .expect("block");
    let used: Vec<u64> = report.receipts.iter().map(|r| r.gas_used).collect();
    assert_eq!(used, [50_000_000, 60_000_000]);
}

#[test]
fn the_cap_holds_in_the_zk_flow_too() {
    let mut engine = zk_engine(FeeParams::default());
    with_code(&mut engine, LOOPER, Bytes::from_static(&LOOP));
    engine.set_rpc_gas_cap(100_000).expect("cap");
    let result = engine.call(
        &call_to(LOOPER, Some(1_000_000)),
        &StateOverride::new(),
        None,
    );
    assert_eq!(out_of_gas_after(&result.expect("call")), 100_000);
}

#[test]
fn block_numbers_cannot_overflow() {
    let mut engine = engine();
    let at = |number| BlockOverrides {
        number: Some(number),
        ..Default::default()
    };
    let last = engine
        .run_block(&[], Some(at(u64::MAX)))
        .expect("the last number");
    let commitment = engine.state_commitment();
    assert_eq!(
        engine.run_block(&[], None),
        Err(EngineError::BlockOverflow("number"))
    );
    assert_eq!(
        engine.run_block(&[], None).map_err(|e| e.code()),
        Err("ZKOS_BLOCK_OVERFLOW")
    );
    // A simulation of the next block has no number either, unless it is given one.
    let none = StateOverride::new();
    assert_eq!(
        engine.call(&call_to(CONTRACT, None), &none, None),
        Err(EngineError::BlockOverflow("number"))
    );
    assert!(engine
        .call(&call_to(CONTRACT, None), &none, Some(&at(7)))
        .is_ok());
    // Nothing changed: the head is the last block, the index finds it.
    assert_eq!(engine.head(), &last.header);
    assert_eq!(engine.get_block(u64::MAX), Some(&last.header));
    assert_eq!(engine.get_block(0).map(|b| b.number), Some(0));
    assert_eq!(engine.state_commitment(), commitment);
}

#[test]
fn timestamps_rise_in_the_ethereum_flow_and_never_overflow() {
    let mut engine = engine();
    let at = |timestamp| BlockOverrides {
        timestamp: Some(timestamp),
        ..Default::default()
    };
    engine.run_block(&[], Some(at(100))).expect("block 1");
    // Ethereum's header rule: a child's timestamp is above its parent's.
    assert_eq!(
        engine.run_block(&[], Some(at(100))),
        Err(EngineError::BadInput("timestamp must be above the head's"))
    );
    engine.run_block(&[], Some(at(u64::MAX))).expect("block 2");
    assert_eq!(
        engine.run_block(&[], None),
        Err(EngineError::BlockOverflow("timestamp"))
    );
    assert_eq!(engine.head().number, 2);
    assert_eq!(engine.head().timestamp, u64::MAX);
}

#[test]
fn timestamps_may_repeat_in_the_zk_flow() {
    // Upstream's rule (and what proving checks): a block's timestamp is not below the last.
    let mut engine = zk_engine(FeeParams::default());
    let at = |timestamp| BlockOverrides {
        timestamp: Some(timestamp),
        ..Default::default()
    };
    engine.run_block(&[], Some(at(100))).expect("block 1");
    engine.run_block(&[], Some(at(100))).expect("block 2");
    assert_eq!(
        engine.run_block(&[], Some(at(99))),
        Err(EngineError::BadInput(
            "timestamp must not go below the head's"
        ))
    );
    engine.run_block(&[], Some(at(u64::MAX))).expect("block 3");
    engine.run_block(&[], Some(at(u64::MAX))).expect("block 4");
    assert_eq!(
        engine.run_block(&[], None),
        Err(EngineError::BlockOverflow("timestamp"))
    );
    assert_eq!(engine.head().number, 4);
}

#[test]
fn ethereum_gas_limits_beyond_ergs_run_exactly() {
    // Blocks that allow any gas at no base fee: the Ethereum flow meters whole gas, so limits
    // past 2^56 (whose ZKsync OS ergs would not fit a u64) are admitted and charged exactly: a
    // call to an account without code uses 21,000 whatever its limit.
    let mut engine = engine();
    let roomy = || {
        Some(BlockOverrides {
            gas_limit: Some(u64::MAX),
            base_fee: Some(U256::ZERO),
            ..Default::default()
        })
    };
    let request = |to, gas| BlockTx::Request(alloc::boxed::Box::new(call_to(to, Some(gas))));
    let report = engine
        .run_block(&[request(OTHER, 1 << 56), request(OTHER, 1 << 63)], roomy())
        .expect("block");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let used: Vec<u64> = report.receipts.iter().map(|r| r.gas_used).collect();
    assert_eq!(used, [21_000, 21_000]);
}

/// EIP-7825's cap: 2^24 = 16,777,216 gas.
const OSAKA_TX_GAS_CAP_GAS: u64 = 1 << 24;

#[test]
fn osaka_simulations_skip_the_transaction_gas_cap_and_blocks_and_estimates_keep_it() {
    // As geth and reth: eth_call, debug_traceCall and sessions run above 2^24 (they skip the
    // transaction checks, go-ethereum `core/state_transition.go` preCheck), eth_estimateGas
    // searches up to 2^24 (`eth/gasestimator`), a block refuses a limit above it.
    let mut engine = funded_engine(Hardfork::Osaka);
    with_code(&mut engine, LOOPER, Bytes::from_static(&LOOP));
    with_code(&mut engine, CONTRACT, Bytes::from_static(&GAS_GATED));
    let none = StateOverride::new();
    let above = OSAKA_TX_GAS_CAP_GAS + 1;
    let result = engine.call(&call_to(LOOPER, Some(above)), &none, None);
    assert_eq!(out_of_gas_after(&result.expect("call")), above);
    // Without a gas field a call gets the RPC gas cap (the block holds 10^8).
    let result = engine.call(&call_to(LOOPER, None), &none, None);
    assert_eq!(
        out_of_gas_after(&result.expect("call")),
        DEFAULT_RPC_GAS_CAP_GAS
    );
    let trace = engine
        .trace_call(
            &call_to(LOOPER, Some(above)),
            &none,
            None,
            TracerConfig::OpcodeStats,
            TraceBudget::default(),
        )
        .expect("trace");
    assert_eq!(trace.gas_used, above);
    let mut session = engine
        .session(&call_to(LOOPER, Some(above)), &none, None)
        .expect("session");
    session.step(2).expect("validation and fee charge");
    assert_eq!(session.frames()[0].gas, above - 21_000);
    // The estimate's upper bound is the cap, whatever the request says.
    assert_eq!(
        engine.estimate_gas(&call_to(LOOPER, Some(above)), &none),
        Err(EstimateError::OutOfGasAtCap {
            cap: OSAKA_TX_GAS_CAP_GAS
        })
    );
    let estimate = engine
        .estimate_gas(&call_to(CONTRACT, Some(above)), &none)
        .expect("estimate");
    assert!(estimate.gas_limit <= OSAKA_TX_GAS_CAP_GAS);
    // Blocks keep the cap, for signed and for unsigned (impersonated) transactions.
    let raw = BlockTx::Raw(signed_raw(0, Some(CONTRACT), above, &[]));
    let request = BlockTx::Request(alloc::boxed::Box::new(call_to(CONTRACT, Some(above))));
    let report = engine.run_block(&[raw, request], None).expect("block");
    assert!(report.receipts.is_empty());
    for rejected in &report.rejected {
        assert_eq!(
            rejected.error,
            EngineError::Invalid(InvalidTransaction::GasLimitAboveCap { limit: above })
        );
    }
    assert_eq!(report.rejected.len(), 2);
}
