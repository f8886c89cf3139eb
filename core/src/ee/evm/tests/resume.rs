//! Resumability: a nested-call program gives the same result whatever the step budget per
//! [`crate::runner::Runner::run`] call.

use super::harness::{Call, Outcome, OTHER, TARGET, THIRD};
use crate::ee::evm::FrameEnd;
use crate::ee::evm::NoopTracer;
use crate::primitives::{Bytes, B256, U256};

/// A: SSTORE(0, 1); CALL(GAS, B, 0, 0, 0, 0, 32); POP; SSTORE(1, MLOAD(0));
/// LOG1(0, 32, 0xa1); RETURN(0, 32). 23 instructions.
pub const CODE_A: &[u8] = &[
    0x60, 1, 0x60, 0, 0x55, // SSTORE(0, 1)
    0x60, 32, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x61, 0x30, 0x00, 0x5a, 0xf1, // CALL B
    0x50, // POP
    0x60, 0, 0x51, 0x60, 1, 0x55, // SSTORE(1, MLOAD(0))
    0x60, 0xa1, 0x60, 32, 0x60, 0, 0xa1, // LOG1
    0x60, 32, 0x60, 0, 0xf3, // RETURN(0, 32)
];

/// B: SSTORE(0, 2); CALL(GAS, C, 0, 0, 0, 0, 0); SSTORE(1, result + 5); LOG0(0, 0);
/// return the word 0x2a. 24 instructions.
pub const CODE_B: &[u8] = &[
    0x60, 2, 0x60, 0, 0x55, // SSTORE(0, 2)
    0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x60, 0, 0x61, 0x40, 0x00, 0x5a, 0xf1, // CALL C
    0x60, 5, 0x01, 0x60, 1, 0x55, // SSTORE(1, result + 5)
    0x60, 0, 0x60, 0, 0xa0, // LOG0
    0x60, 0x2a, 0x60, 0, 0x52, 0x60, 32, 0x60, 0, 0xf3, // return 0x2a
];

/// C: SSTORE(0, 3); LOG0(0, 0); TSTORE(0, 7); REVERT(0, 0). 12 instructions.
pub const CODE_C: &[u8] = &[
    0x60, 3, 0x60, 0, 0x55, // SSTORE(0, 3)
    0x60, 0, 0x60, 0, 0xa0, // LOG0
    0x60, 7, 0x60, 0, 0x5d, // TSTORE(0, 7)
    0x60, 0, 0x60, 0, 0xfd, // REVERT(0, 0)
];

/// Instructions the program runs: 23 + 24 + 12.
pub const NESTED_STEPS: usize = 59;

/// A calls B, B calls C, C writes, logs and reverts.
pub fn nested_call() -> Call {
    Call::to_code(CODE_A)
        .with_contract(OTHER, 0, CODE_B)
        .with_contract(THIRD, 0, CODE_C)
}

fn check_nested_result(out: &Outcome) {
    let mut word = [0u8; 32];
    word[31] = 0x2a;
    assert_eq!(
        out.outcome.end,
        FrameEnd::Success(Bytes::copy_from_slice(&word))
    );
    // C's writes and log were rolled back; B's call result was 0, so B stored 5.
    assert_eq!(
        out.storage,
        [
            (TARGET, U256::ZERO, U256::ZERO, U256::from(1)),
            (TARGET, U256::from(1), U256::ZERO, U256::from(0x2a)),
            (OTHER, U256::ZERO, U256::ZERO, U256::from(2)),
            (OTHER, U256::from(1), U256::ZERO, U256::from(5)),
        ]
    );
    assert_eq!(out.logs.len(), 2);
    assert_eq!(out.logs[0].address, OTHER);
    assert!(out.logs[0].topics.is_empty());
    assert_eq!(out.logs[1].address, TARGET);
    assert_eq!(out.logs[1].topics, [B256::from(U256::from(0xa1))]);
}

#[test]
fn budget_does_not_change_the_result() {
    let whole = nested_call().run();
    check_nested_result(&whole);
    assert_eq!(whole.runs, 1);
    for budget in [1, 2, 3, 7, 58, 59] {
        let sliced = nested_call().run_with(&mut NoopTracer, budget);
        assert_eq!(sliced.outcome, whole.outcome, "budget {budget}");
        assert_eq!(sliced.ergs_used, whole.ergs_used, "budget {budget}");
        assert_eq!(sliced.native_used, whole.native_used, "budget {budget}");
        assert_eq!(sliced.storage, whole.storage, "budget {budget}");
        assert_eq!(sliced.logs, whole.logs, "budget {budget}");
        // Every run call but the last uses its whole budget.
        let expected_runs = NESTED_STEPS.div_ceil(budget as usize) as u64;
        assert!(
            sliced.runs == expected_runs || sliced.runs == expected_runs + 1,
            "budget {budget}: {} runs",
            sliced.runs
        );
    }
}
