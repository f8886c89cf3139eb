//! `PUSH2` .. `PUSH4` followed by `JUMP` or `JUMPI` run in one dispatch when no tracer steps
//! through them. The two steps must keep every observable of running them one by one: the
//! result, the gas and native used, where an out-of-gas or a halt happens, and the step count
//! (which decides where a step budget pauses the run).
//!
//! Native (20 step included): PUSH1 70, PUSH2 80, PUSH3 88, JUMP 80, JUMPI 110, JUMPDEST 50.

use super::harness::{word, Call, DEFAULT_GAS};
use crate::ee::evm::frame::Halt;
use crate::ee::evm::{FrameEnd, NoopTracer, Tracer};
use crate::primitives::U256;
use crate::resources::ErgsPerGas;

/// A tracer that steps through every opcode, so each runs in its own dispatch.
struct Stepping;

impl Tracer for Stepping {
    const STEPS: bool = true;
}

/// 0: PUSH1 1, 2: PUSH2 7, 5: JUMPI (taken), 6: INVALID, 7: JUMPDEST, 8: PUSH1 2.
const TAKEN: [u8; 10] = [0x60, 1, 0x61, 0, 7, 0x57, 0xfe, 0x5b, 0x60, 2];
/// 0: PUSH1 0, 2: PUSH2 7, 5: JUMPI (falls through), 6: PUSH1 3.
const NOT_TAKEN: [u8; 8] = [0x60, 0, 0x61, 0, 7, 0x57, 0x60, 3];
/// 0: PUSH3 5, 4: JUMP, 5: JUMPDEST, 6: PUSH1 1.
const JUMP: [u8; 8] = [0x62, 0, 0, 5, 0x56, 0x5b, 0x60, 1];
/// 0: PUSH4 7, 5: JUMP to 7, the data of 6: PUSH1 0x5b (not a destination).
const INTO_PUSH_DATA: [u8; 8] = [0x63, 0, 0, 0, 7, 0x56, 0x60, 0x5b];
/// 0: PUSH2 4, 3: JUMPI with no condition below the destination, 4: JUMPDEST.
const NO_CONDITION: [u8; 5] = [0x61, 0, 4, 0x57, 0x5b];
/// A countdown from 3: 0: PUSH1 3, 2: JUMPDEST, 3: PUSH1 1, 5: SWAP1, 6: SUB, 7: DUP1,
/// 8: PUSH2 2, 11: JUMPI, 12: STOP.
const LOOP: [u8; 13] = [
    0x60, 3, 0x5b, 0x60, 1, 0x90, 0x03, 0x80, 0x61, 0, 2, 0x57, 0x00,
];

#[test]
fn fused_jumps_cost_what_their_steps_cost() {
    // Gas 3+3+10+1+3, native 70+80+110+50+70.
    word(&TAKEN, U256::from(2), 20, 380);
    // Gas 3+3+10+3, native 70+80+110+70.
    word(&NOT_TAKEN, U256::from(3), 19, 330);
    // Gas 3+8+1+3, native 88+80+50+70.
    word(&JUMP, U256::from(1), 15, 288);
}

#[test]
fn fused_jumps_halt_where_their_steps_halt() {
    let halt = |code: &[u8]| Call::to_code(code).run().outcome.end;
    assert!(matches!(
        halt(&INTO_PUSH_DATA),
        FrameEnd::Halt(Halt::InvalidJump)
    ));
    assert!(matches!(
        halt(&NO_CONDITION),
        FrameEnd::Halt(Halt::StackUnderflow)
    ));
}

/// The end, gas and native used and [`Runner::run`](crate::runner::Runner::run) calls of `code`
/// run with `gas` and `budget`, fused (no tracer) or stepped.
fn observed(code: &[u8], gas: u64, budget: u64, fused: bool) -> (FrameEnd, u64, u64, u64) {
    let mut call = Call::to_code(code);
    call.gas = gas;
    let out = if fused {
        call.run_with(&mut NoopTracer, budget)
    } else {
        call.run_with(&mut Stepping, budget)
    };
    (out.outcome.end, out.ergs_used, out.native_used, out.runs)
}

#[test]
fn fused_jumps_match_stepped_runs_at_every_gas_limit_and_budget() {
    for code in [
        &TAKEN[..],
        &NOT_TAKEN,
        &JUMP,
        &INTO_PUSH_DATA,
        &NO_CONDITION,
        &LOOP,
    ] {
        let all = observed(code, DEFAULT_GAS, u64::MAX, false).1 / ErgsPerGas::ZK.ergs(1);
        // Every gas limit up to one past what the code uses: out of gas at each step.
        for gas in 0..=all + 1 {
            assert_eq!(
                observed(code, gas, u64::MAX, true),
                observed(code, gas, u64::MAX, false),
                "code {code:02x?}, gas {gas}"
            );
        }
        // Budgets that pause between a push and its jump (the run counts must agree).
        for budget in 1..=3 {
            assert_eq!(
                observed(code, DEFAULT_GAS, budget, true),
                observed(code, DEFAULT_GAS, budget, false),
                "code {code:02x?}, budget {budget}"
            );
        }
    }
}
