//! Jobs run in step slices ([`Job::slice`]): each slice ends in a pause that needs no state, the
//! job resumes where it stopped, and the outcome is the unsliced one; an abandoned job leaves
//! the engine as it was.

use super::*;
use crate::trace::{StepLogConfig, TraceBudget};

/// Counts down from 10,000: `PUSH2 10000 JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 3 JUMPI STOP`,
/// 7 steps an iteration (about 70,000 steps, 260,000 gas: 26 gas an iteration).
const COUNTDOWN: [u8; 13] = hex!("6127105b600190038060035700");

/// Steps a slice takes in these tests: the countdown takes about 70 slices.
const SLICE_STEPS: u64 = 1_000;

fn countdown_engine() -> Engine {
    let mut engine = funded_engine(Hardfork::Cancun);
    engine
        .set_account(
            CONTRACT,
            AccountInput {
                code: Bytes::copy_from_slice(&COUNTDOWN),
                ..Default::default()
            },
        )
        .expect("stored");
    engine
}

/// Runs `op` in slices of [`SLICE_STEPS`] to its end; returns its output and the number of
/// slice pauses.
fn run_sliced(engine: &mut Engine, op: Operation) -> (JobOutput, usize) {
    run_sliced_with(engine, op, SLICE_STEPS)
}

/// Runs `op` in slices of `steps` (`u64::MAX`: unsliced) to its end, as [`run_sliced`].
fn run_sliced_with(engine: &mut Engine, op: Operation, steps: u64) -> (JobOutput, usize) {
    let mut job = engine.start(op).expect("started");
    job.slice(steps);
    let mut pauses = 0;
    loop {
        match engine.resume(&mut job).expect("runs") {
            JobStatus::Done(output) => return (output, pauses),
            // A slice ended; over the tests' forgetful source, a pause for state it is told.
            JobStatus::NeedState(keys) if keys.is_empty() => pauses += 1,
            JobStatus::NeedState(keys) => engine.state.tell(&keys),
        }
    }
}

/// Resumes `job` until its first slice ends (telling the forgetful source what it asks).
fn resume_to_a_slice_end(engine: &mut Engine, job: &mut Job) {
    loop {
        match engine.resume(job).expect("runs") {
            JobStatus::NeedState(keys) if keys.is_empty() => return,
            JobStatus::NeedState(keys) => engine.state.tell(&keys),
            JobStatus::Done(_) => panic!("the job ended within one slice"),
        }
    }
}

fn call_op() -> Operation {
    Operation::Call {
        request: call_to(CONTRACT, Some(1_000_000)),
        overrides: StateOverride::new(),
        block: None,
        at: None,
    }
}

#[test]
fn a_sliced_call_pauses_between_slices_and_ends_as_the_unsliced_one() {
    let mut engine = countdown_engine();
    let whole = engine
        .call(
            &call_to(CONTRACT, Some(1_000_000)),
            &StateOverride::new(),
            None,
        )
        .expect("call");
    assert!(whole.success);
    let (JobOutput::Call(sliced), pauses) = run_sliced(&mut engine, call_op()) else {
        panic!("a call");
    };
    assert_eq!(sliced, whole);
    // 70,000 steps in slices of 1,000.
    assert!((60..=80).contains(&pauses), "{pauses} pauses");
}

#[test]
fn a_sliced_estimate_and_trace_end_as_the_unsliced_ones() {
    let mut engine = countdown_engine();
    let request = call_to(CONTRACT, None);
    let whole = engine.estimate_gas(&request, &StateOverride::new());
    let op = Operation::Estimate {
        request: request.clone(),
        overrides: StateOverride::new(),
        block: None,
        at: None,
    };
    let (JobOutput::Estimate(sliced), pauses) = run_sliced(&mut engine, op) else {
        panic!("an estimate");
    };
    assert_eq!(sliced, whole);
    assert!(pauses > 60, "{pauses} pauses");
    let config = TracerConfig::Steps(StepLogConfig::default());
    let budget = TraceBudget::default();
    let whole = engine
        .trace_call(&request, &StateOverride::new(), None, config, budget)
        .expect("traced");
    let op = Operation::TraceCall {
        request,
        overrides: StateOverride::new(),
        block: None,
        at: None,
        config,
        budget,
    };
    let (JobOutput::Trace(sliced), _) = run_sliced(&mut engine, op) else {
        panic!("a trace");
    };
    assert_eq!(*sliced, whole);
}

#[test]
fn an_abandoned_sliced_call_leaves_the_engine_as_it_was() {
    let mut engine = countdown_engine();
    let root = engine.state_commitment().root;
    let mut job = engine.start(call_op()).expect("started");
    job.slice(SLICE_STEPS);
    resume_to_a_slice_end(&mut engine, &mut job);
    engine.abandon(job);
    assert_eq!(engine.state_commitment().root, root);
    let (JobOutput::Call(after), _) = run_sliced(&mut engine, call_op()) else {
        panic!("a call");
    };
    assert!(after.success);
}

fn block_op() -> Operation {
    Operation::Block {
        txs: alloc::vec![BlockTx::Raw(signed_raw(0, Some(CONTRACT), 1_000_000, &[]))],
        overrides: None,
        pre_state: Vec::new(),
        all_or_nothing: true,
    }
}

#[test]
fn a_sliced_block_seals_as_the_unsliced_one_and_an_abandoned_one_changes_nothing() {
    let mut whole = countdown_engine();
    let JobOutput::Block(expected) = run_sliced_with(&mut whole, block_op(), u64::MAX).0 else {
        panic!("a block");
    };
    let mut engine = countdown_engine();
    let root = engine.state_commitment().root;
    let mut job = engine.start(block_op()).expect("started");
    job.slice(SLICE_STEPS);
    resume_to_a_slice_end(&mut engine, &mut job);
    engine.abandon(job);
    assert_eq!(engine.state_commitment().root, root);
    assert_eq!(engine.head().number, 0);
    let (JobOutput::Block(sliced), pauses) = run_sliced(&mut engine, block_op()) else {
        panic!("a block");
    };
    assert!(pauses > 60, "{pauses} pauses");
    assert_eq!(sliced, expected);
    assert_eq!(engine.head().number, 1);
    assert_eq!(
        engine.state_commitment().root,
        whole.state_commitment().root
    );
}
