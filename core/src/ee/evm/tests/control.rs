//! Control flow, stack manipulation, returns and logs: result, gas and native.
//!
//! Native (20 step included): JUMP 80, JUMPI 110, JUMPDEST 50, DUPn 70, SWAPn 80, PUSH0 60,
//! STOP 20, RETURN 90, REVERT 200, LOGn 70 + event 6,000 + 200 per topic + 2 per data byte.

use super::harness::{decommit_native, word, Call, TARGET};
use crate::ee::evm::FrameEnd;
use crate::primitives::{Bytes, B256, U256};

#[test]
fn jumps() {
    // 0: PUSH1 4, 2: JUMP, 3: INVALID, 4: JUMPDEST, 5: PUSH1 1:
    // gas 3+8+1+3, native 70+80+50+70.
    word(
        &[0x60, 4, 0x56, 0xfe, 0x5b, 0x60, 1],
        U256::from(1),
        15,
        270,
    );
    // 0: PUSH1 1, 2: PUSH1 6, 4: JUMPI (taken), 5: INVALID, 6: JUMPDEST, 7: PUSH1 2:
    // gas 3+3+10+1+3, native 70+70+110+50+70.
    word(
        &[0x60, 1, 0x60, 6, 0x57, 0xfe, 0x5b, 0x60, 2],
        U256::from(2),
        20,
        370,
    );
    // JUMPI not taken falls through: PUSH1 0, PUSH1 9, JUMPI, PUSH1 3:
    // gas 3+3+10+3, native 70+70+110+70.
    word(&[0x60, 0, 0x60, 9, 0x57, 0x60, 3], U256::from(3), 19, 320);
}

#[test]
fn stack_ops() {
    // PUSH1 1, PUSH1 2, DUP2, ADD, SWAP1, POP → 3: gas 3+3+3+3+3+2, native 70+70+70+60+80+50.
    word(
        &[0x60, 1, 0x60, 2, 0x81, 0x01, 0x90, 0x50],
        U256::from(3),
        17,
        400,
    );
    // PUSH0: gas 2, native 60.
    word(&[0x5f], U256::ZERO, 2, 60);
}

#[test]
fn revert_returns_data_and_unused_gas() {
    // PUSH1 0x2a, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, REVERT: gas 3+3+3+3 (memory)+3+3,
    // native 70+70+270+67+70+70+200.
    let code = [0x60, 0x2a, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xfd];
    let out = Call::to_code(&code).run();
    let mut expected = [0u8; 32];
    expected[31] = 0x2a;
    assert_eq!(
        out.outcome.end,
        FrameEnd::Revert(Bytes::copy_from_slice(&expected))
    );
    out.assert_cost(18, decommit_native(code.len()) + 817);
}

#[test]
fn logs() {
    // PUSH1 0x2a, PUSH1 0, MSTORE (gas 12, native 477); PUSH1 0xbb, PUSH1 0xaa, PUSH1 32,
    // PUSH1 0, LOG2 (gas 12 + 375 + 2×375 + 8×32; native 280 + 70 + 6,000 + 2×200 + 2×32);
    // STOP (native 20).
    let code = [
        0x60, 0x2a, 0x60, 0, 0x52, 0x60, 0xbb, 0x60, 0xaa, 0x60, 32, 0x60, 0, 0xa2, 0x00,
    ];
    let out = Call::to_code(&code).run();
    assert_eq!(out.outcome.end, FrameEnd::Success(Bytes::new()));
    out.assert_cost(
        12 + 12 + 1_125 + 256,
        decommit_native(code.len()) + 477 + 280 + 70 + 6_464 + 20,
    );
    assert_eq!(out.logs.len(), 1);
    let log = &out.logs[0];
    assert_eq!(log.address, TARGET);
    assert_eq!(
        log.topics,
        [B256::from(U256::from(0xaa)), B256::from(U256::from(0xbb))]
    );
    assert_eq!(log.data.len(), 32);
    assert_eq!(log.data[31], 0x2a);

    // LOG0 with no data: PUSH1 0, PUSH1 0, LOG0: gas 6 + 375, native 140 + 70 + 6,000; STOP.
    let out = Call::to_code(&[0x60, 0, 0x60, 0, 0xa0]).run();
    out.assert_cost(381, decommit_native(5) + 6_210 + 20);
    assert_eq!(out.logs[0].topics.len(), 0);
}

#[test]
fn logs_of_a_reverted_frame_are_dropped() {
    // PUSH1 0, PUSH1 0, LOG0, PUSH1 0, PUSH1 0, REVERT.
    let out = Call::to_code(&[0x60, 0, 0x60, 0, 0xa0, 0x60, 0, 0x60, 0, 0xfd]).run();
    assert_eq!(out.outcome.end, FrameEnd::Revert(Bytes::new()));
    assert!(out.logs.is_empty());
}
