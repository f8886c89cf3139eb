//! Stepping sessions: phases, breakpoints, invalid transactions, block sessions, pending logs and messages.

use super::*;

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
    assert_eq!(session.phase(), SessionPhase::Validation);
    assert!(session.frames().is_empty());
    let report = session.step(1).expect("validation");
    assert_eq!(report.phase, SessionPhase::FeeCharge);
    assert_eq!(session.costs().intrinsic_gas, 0);
    let report = session.step(1).expect("fee charge");
    assert_eq!(report.phase, SessionPhase::Execution);
    let frames = session.frames();
    assert_eq!(frames.len(), 1);
    assert_eq!((frames[0].pc, frames[0].opcode), (0, 0x62));
    assert_eq!(frames[0].gas, 100_000 - 21_000);
    assert_eq!(session.costs().intrinsic_gas, 21_000);
    let report = session
        .continue_until(
            &Breakpoint {
                opcode: Some(crate::bytecode::opcode::SSTORE),
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
    assert_eq!((report.steps, report.phase), (1, SessionPhase::Pubdata));
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
            SessionPhase::Validation,
            SessionPhase::FeeCharge,
            SessionPhase::Execution,
            SessionPhase::Pubdata,
            SessionPhase::Refund,
            SessionPhase::Finished,
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
        .continue_until(&at(SessionPhase::FeeCharge), 1_000)
        .expect("to the fee charge");
    assert_eq!((report.steps, report.phase), (1, SessionPhase::FeeCharge));
    let report = session
        .continue_until(&at(SessionPhase::Pubdata), 1_000)
        .expect("to pubdata");
    // The fee charge, then the ten opcodes.
    assert_eq!((report.steps, report.phase), (11, SessionPhase::Pubdata));
    let report = session
        .continue_until(&at(SessionPhase::Refund), 1_000)
        .expect("to the refund");
    assert_eq!((report.steps, report.phase), (1, SessionPhase::Refund));
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
    while session.phase() != SessionPhase::BlockFinish {
        let report = session.step(1).expect("step");
        if seen.last() != Some(&(report.phase, report.tx_index)) {
            seen.push((report.phase, report.tx_index));
        }
    }
    let mut expected_phases = Vec::new();
    for tx in 0..3 {
        for phase in [
            SessionPhase::Validation,
            SessionPhase::FeeCharge,
            SessionPhase::Execution,
            SessionPhase::Pubdata,
            SessionPhase::Refund,
        ] {
            // The ETH transfer to an account without code has no opcode to run: its fee
            // charge step enters (and ends) execution at once.
            if !(tx == 0 && phase == SessionPhase::Execution) {
                expected_phases.push((phase, tx));
            }
        }
    }
    expected_phases.push((SessionPhase::BlockFinish, 3));
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

/// Two engines with the same genesis and as many edits share head hash and state version; a
/// session of one still cannot be committed to the other (its block was staged on the other's
/// state), nor to an engine of another chain id, and the refused engine is unchanged.
#[test]
fn block_session_commit_refuses_a_session_of_another_engine() {
    let txs = [BlockTx::Raw(signed_raw(0, Some(OTHER), 100_000, &[]))];
    let mut opener = engine();
    let mut session = opener.block_session(&txs, None).expect("session");
    session.step(u64::MAX).expect("run");
    assert!(session.finished());
    for chain_id in [1, 2] {
        let mut other = Engine::new(ChainConfig::ethereum(chain_id, Hardfork::Cancun));
        for address in [SENDER, CONTRACT] {
            other
                .set_account(
                    address,
                    AccountInput {
                        balance: U256::from(7u64),
                        ..Default::default()
                    },
                )
                .expect("stored");
        }
        assert_eq!(other.head().hash, opener.head().hash);
        let before = (other.head().clone(), other.state_commitment());
        assert_eq!(
            other.commit_session(&mut session),
            Err(EngineError::BadInput(
                "the session was opened by another engine"
            ))
        );
        assert_eq!((other.head().clone(), other.state_commitment()), before);
    }
    assert!(opener.commit_session(&mut session).is_ok());
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
                phase: Some(SessionPhase::BlockFinish),
                ..Default::default()
            },
            1_000_000,
        )
        .expect("to the block finish");
    assert_eq!(
        (report.phase, report.tx_index),
        (SessionPhase::BlockFinish, 4)
    );
    assert!(!report.finished);
    session.step(1).expect("block finish");
    assert_eq!(session.block(), Some(&expected));
}

#[test]
fn session_shows_a_message_and_its_pubdata_right_after_the_sending_step() {
    let engine = token_engine();
    let request = TxRequest {
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
    assert_eq!(session.phase(), SessionPhase::Execution);
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

#[test]
fn pending_logs_appear_at_once_and_leave_with_a_reverted_frame() {
    use crate::bytecode::opcode::{LOG0, REVERT};
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
    while session.phase() != SessionPhase::BlockFinish {
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

#[test]
fn session_breaks_gas_used_down_and_shows_the_native_budget() {
    // 512 rounds of keccak256 over 32 bytes of memory:
    // PUSH2 0x0200; loop: JUMPDEST PUSH1 32 PUSH0 KECCAK256 POP PUSH1 1 SWAP1 SUB DUP1 PUSH1 3
    // JUMPI; STOP. Gas by hand: PUSH2 3, then per round JUMPDEST 1 + PUSH1 3 + PUSH0 2 +
    // KECCAK256 (30 + 6 per word) 36 + POP 2 + PUSH1 3 + SWAP1 3 + SUB 3 + DUP1 3 + PUSH1 3 +
    // JUMPI 10 = 69, and 3 for the first word of memory: 3 + 512 × 69 + 3 = 35,334.
    const KECCAK_LOOP: [u8; 18] = hex!("6102005b60205f2050600190038060035700");
    const EXECUTION_GAS: u64 = 35_334;
    const GAS_LIMIT: u64 = 1_000_000;
    // 10^9 wei per gas over 10^7 wei per native: 100 native per gas.
    let fees = FeeParams {
        base_fee: U256::from(1_000_000_000u64),
        native_price: U256::from(10_000_000u64),
        ..FeeParams::default()
    };
    let mut engine = zk_engine(fees);
    engine
        .set_account(
            OTHER,
            AccountInput {
                code: Bytes::copy_from_slice(&KECCAK_LOOP),
                ..Default::default()
            },
        )
        .expect("stored");
    let request = TxRequest {
        gas_price: Some(1_000_000_000),
        ..call_to(OTHER, Some(GAS_LIMIT))
    };
    let mut session = engine
        .session(&request, &StateOverride::new(), None)
        .expect("session");
    assert_eq!(session.native_budget(), None);
    session.step(1).expect("validation");
    let budget = session.native_budget().expect("ZKsync OS flow");
    assert_eq!(budget.native_per_gas, 100);
    assert_eq!(budget.total, GAS_LIMIT * 100);
    assert_eq!(session.gas_breakdown(), None);
    session.step(u32::MAX.into()).expect("to the end");
    let result = session.result().expect("ended").expect("valid");
    assert!(result.success);
    let gas = session.gas_breakdown().expect("settled");
    assert_eq!(
        (gas.intrinsic_gas, gas.execution_gas),
        (21_000, EXECUTION_GAS)
    );
    assert_eq!((gas.refunded_gas, gas.floor_gas, gas.capped_gas), (0, 0, 0));
    // Each keccak proves for ~20,000 native against 69 gas × 100: native overtakes gas, and
    // the gas used is what the native used buys back at 100 per gas.
    let native_gas = result.native_used / 100;
    assert!(native_gas > 21_000 + EXECUTION_GAS);
    assert_eq!(gas.native_gas, native_gas);
    assert_eq!(gas.delta_gas, native_gas - (21_000 + EXECUTION_GAS));
    assert_eq!(result.gas_used, native_gas);
    assert_eq!(gas.gas_used(), result.gas_used);
    assert_eq!(session.native_budget(), Some(budget));
}
