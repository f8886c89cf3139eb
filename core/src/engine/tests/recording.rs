//! Bulk recording of a session's steps into columns.

use super::*;

/// The call to [`GAS_GATED`] with 100,000 gas, recorded `chunk` steps at a time.
fn record_gas_gated(chunk: u64) -> (StepColumns, StepRecorder) {
    let engine = engine();
    let mut session = engine
        .session(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
        )
        .expect("session");
    let mut recorder = StepRecorder::new();
    let mut all = StepColumns::default();
    while !session.finished() {
        let part = recorder.record(&mut session, chunk).expect("recorded");
        assert!(part.len() as u64 <= chunk);
        all.pc.extend(part.pc);
        all.opcode.extend(part.opcode);
        all.depth.extend(part.depth);
        all.phase.extend(part.phase);
        all.tx.extend(part.tx);
        all.code.extend(part.code);
        all.ergs.extend(part.ergs);
        all.ergs_cost.extend(part.ergs_cost);
        all.native.extend(part.native);
        all.native_cost.extend(part.native_cost);
    }
    (all, recorder)
}

#[test]
fn recorder_columns_follow_the_phases_and_opcodes() {
    let (columns, recorder) = record_gas_gated(3);
    // Validation, fee charge, the ten opcodes (PUSH3 GAS GT PUSH1 JUMPI JUMPDEST PUSH1 PUSH1
    // SSTORE STOP, see GAS_GATED), pubdata, refund.
    let op = NO_OPCODE;
    assert_eq!(
        columns.opcode,
        [op, op, 0x62, 0x5a, 0x11, 0x60, 0x57, 0x5b, 0x60, 0x60, 0x55, 0x00, op, op]
    );
    assert_eq!(columns.pc, [0, 0, 0, 4, 5, 6, 8, 13, 14, 16, 18, 19, 0, 0]);
    assert_eq!(columns.phase, [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4]);
    assert!(columns.depth.iter().all(|d| *d == 0));
    assert!(columns.tx.iter().all(|t| *t == 0));
    assert_eq!(
        recorder.codes(),
        [CodeKey {
            address: CONTRACT,
            init: false
        }]
    );
    let code = [
        NO_CODE, NO_CODE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NO_CODE, NO_CODE,
    ];
    assert_eq!(columns.code, code);
    // The frame starts with the gas limit less the 21,000 intrinsic gas.
    assert_eq!(columns.ergs[2], (100_000 - 21_000) * 256);
    // Each step's ergs: the fee charge the intrinsic gas, each opcode its gas (Cancun: a cold
    // SSTORE of a fresh slot 22,100), nothing after; 43,128 gas in all, no refund.
    let gas: Vec<i64> = columns.ergs_cost.iter().map(|e| e / 256).collect();
    assert_eq!(gas, [0, 21_000, 3, 2, 3, 3, 10, 1, 3, 3, 22_100, 0, 0, 0]);
    assert!(columns.ergs_cost.iter().all(|e| e % 256 == 0));
    let note = &recorder.transactions()[0];
    assert_eq!(note.gas.map(|g| g.gas_used()), Some(43_128));
    assert_eq!(note.error, None);
    // The native column runs the sum of the costs before each step.
    let mut native = 0i64;
    for (before, cost) in columns.native.iter().zip(&columns.native_cost) {
        assert_eq!(*before as i64, native);
        native += cost;
    }
}

#[test]
fn recorder_records_the_same_steps_in_any_chunk_size() {
    let (one, _) = record_gas_gated(1);
    let (many, _) = record_gas_gated(MAX_RECORD_STEPS);
    assert_eq!(one, many);
}

#[test]
fn recorder_refuses_more_than_its_bound_before_stepping() {
    let engine = engine();
    let mut session = engine
        .session(
            &call_to(CONTRACT, Some(100_000)),
            &StateOverride::new(),
            None,
        )
        .expect("session");
    let mut recorder = StepRecorder::new();
    let err = recorder
        .record(&mut session, MAX_RECORD_STEPS + 1)
        .expect_err("over the bound");
    assert_eq!(err.code(), "ZKOS_BAD_INPUT");
    assert_eq!(session.phase(), SessionPhase::Validation);
    assert!(recorder.transactions().is_empty());
    assert!(recorder
        .record(&mut session, 0)
        .expect("nothing")
        .is_empty());
}

#[test]
fn recorder_notes_an_invalid_transaction() {
    let engine = engine();
    // Gas limit below the 21,000 intrinsic gas: validation refuses it.
    let mut session = engine
        .session(
            &call_to(CONTRACT, Some(20_000)),
            &StateOverride::new(),
            None,
        )
        .expect("session");
    let mut recorder = StepRecorder::new();
    let columns = recorder.record(&mut session, 10).expect("recorded");
    assert_eq!(columns.opcode, [NO_OPCODE]);
    assert_eq!(columns.ergs_cost, [0]);
    let error = recorder.transactions()[0].error.clone().expect("refused");
    assert_eq!(error.code(), "ZKOS_TX_INVALID");
}

/// Every step of `session` from here to its end, recorded in one recorder.
fn record_rest(session: &mut Session, recorder: &mut StepRecorder) -> StepColumns {
    let mut all = StepColumns::default();
    while !session.finished() {
        let part = recorder
            .record(session, MAX_RECORD_STEPS)
            .expect("recorded");
        all.opcode.extend(part.opcode);
        all.phase.extend(part.phase);
        all.tx.extend(part.tx);
        all.ergs_cost.extend(part.ergs_cost);
        all.native_cost.extend(part.native_cost);
    }
    all
}

#[test]
fn recorder_started_mid_block_keeps_notes_by_transaction_index() {
    // The block recorded from its start is the reference; a second session steps its first
    // transaction unrecorded (as a replay of a chain's transaction does) and records the rest.
    let txs = mixed_block();
    let engine = token_engine();
    let mut whole = engine.block_session(&txs, None).expect("session");
    let mut reference = StepRecorder::new();
    let expected = record_rest(&mut whole, &mut reference);

    let mut session = engine.block_session(&txs, None).expect("session");
    while session.tx_index() == 0 {
        session.step(1).expect("step");
    }
    let mut recorder = StepRecorder::new();
    let columns = record_rest(&mut session, &mut recorder);

    let notes = recorder.transactions();
    assert_eq!(notes.len(), 3);
    assert_eq!(notes[0], TxNote::UNRECORDED);
    assert_eq!(notes[1..], reference.transactions()[1..]);
    // The ZKsync OS flow: each recorded transaction has its native budget and gas breakdown.
    assert!(notes[1..]
        .iter()
        .all(|n| n.budget.is_some() && n.gas.is_some()));
    // The same steps with the same costs as the reference from transaction 1 on.
    let from = expected.tx.iter().position(|t| *t == 1).expect("tx 1");
    assert_eq!(columns.tx, expected.tx[from..]);
    assert_eq!(columns.opcode, expected.opcode[from..]);
    assert_eq!(columns.phase, expected.phase[from..]);
    assert_eq!(columns.ergs_cost, expected.ergs_cost[from..]);
    assert_eq!(columns.native_cost, expected.native_cost[from..]);
}
