//! A recording tracer sees every step with its frame, ergs and native, and balanced frame
//! enter/exit pairs.

use super::harness::{decommit_native, Call, DEFAULT_GAS};
use super::resume::{nested_call, CODE_A, CODE_B, CODE_C, NESTED_STEPS};
use crate::config::Hardfork;
use crate::ee::evm::Tracer;
use crate::ee::evm::{Frame, FrameEnd};
use crate::resources::gas::StaticErgsTable;
use crate::resources::ErgsPerGas;
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy)]
struct Step {
    pc: usize,
    opcode: u8,
    depth: usize,
    ergs_before: u64,
    native_before: u64,
    ergs_after: Option<u64>,
    native_after: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FrameEvent {
    Enter(usize),
    Exit(usize, FrameEnd),
}

#[derive(Default)]
struct Recorder {
    steps: Vec<Step>,
    frames: Vec<FrameEvent>,
}

impl Tracer for Recorder {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        self.steps.push(Step {
            pc: frame.pc,
            opcode,
            depth: frame.depth,
            ergs_before: frame.ergs,
            native_before: native_used,
            ergs_after: None,
            native_after: None,
        });
    }

    fn after_step(&mut self, frame: &Frame, opcode: u8, native_used: u64) {
        let step = self
            .steps
            .last_mut()
            .expect("after_step follows before_step");
        assert_eq!(step.opcode, opcode);
        assert_eq!(step.depth, frame.depth);
        assert!(step.ergs_after.is_none(), "one after_step per step");
        step.ergs_after = Some(frame.ergs);
        step.native_after = Some(native_used);
    }

    fn frame_enter(&mut self, frame: &Frame) {
        self.frames.push(FrameEvent::Enter(frame.depth));
    }

    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, _ergs_left: u64) {
        self.frames.push(FrameEvent::Exit(depth, end.clone()));
    }
}

#[test]
fn every_step_is_seen_with_its_costs() {
    let mut recorder = Recorder::default();
    // Budget 5 per run: stepping survives pauses.
    let out = nested_call().run_with(&mut recorder, 5);
    assert_eq!(recorder.steps.len(), NESTED_STEPS);
    let static_ergs = StaticErgsTable::for_hardfork(Hardfork::Prague, ErgsPerGas::ZK);
    let codes = [CODE_A, CODE_B, CODE_C];
    let mut adds = 0;
    for step in &recorder.steps {
        assert_eq!(codes[step.depth][step.pc], step.opcode, "{step:?}");
        let ergs_after = step.ergs_after.expect("after_step seen");
        let native_after = step.native_after.expect("after_step seen");
        if static_ergs.ergs[step.opcode as usize] > 0 {
            assert!(ergs_after < step.ergs_before, "{step:?}");
        }
        assert!(ergs_after <= step.ergs_before, "{step:?}");
        assert!(native_after > step.native_before, "{step:?}");
        match step.opcode {
            // ADD: step 20 + 40; PUSH1: 20 + 50; gas 3 each.
            0x01 => {
                adds += 1;
                assert_eq!(native_after - step.native_before, 60);
                assert_eq!(step.ergs_before - ergs_after, 3 * 256);
            }
            0x60 => {
                assert_eq!(native_after - step.native_before, 70);
                assert_eq!(step.ergs_before - ergs_after, 3 * 256);
            }
            _ => {}
        }
    }
    assert_eq!(adds, 1);
    // Depths as the calls nest: A's first 11 steps, then B's first 11, all of C, then back.
    let depths: Vec<usize> = recorder.steps.iter().map(|s| s.depth).collect();
    let mut expected = alloc::vec![0; 11];
    expected.extend([1; 11]);
    expected.extend([2; 12]);
    expected.extend([1; 13]);
    expected.extend([0; 12]);
    assert_eq!(depths, expected);
    // Native between steps is only code loading: the first step of each frame starts where
    // the CALL that entered it ended plus that frame's code load.
    let call_b = &recorder.steps[10];
    let first_b = &recorder.steps[11];
    assert_eq!(
        first_b.native_before - call_b.native_after.unwrap(),
        decommit_native(CODE_B.len())
    );
    // The last step's native is the run's total.
    assert_eq!(
        recorder.steps.last().unwrap().native_after,
        Some(out.native_used)
    );
    // Balanced, properly nested frame events.
    let mut word = [0u8; 32];
    word[31] = 0x2a;
    let word = crate::primitives::Bytes::copy_from_slice(&word);
    assert_eq!(
        recorder.frames,
        [
            FrameEvent::Enter(0),
            FrameEvent::Enter(1),
            FrameEvent::Enter(2),
            FrameEvent::Exit(2, FrameEnd::Revert(Default::default())),
            FrameEvent::Exit(1, FrameEnd::Success(word.clone())),
            FrameEvent::Exit(0, FrameEnd::Success(word)),
        ]
    );
}

#[test]
fn halting_frames_are_traced_and_exited() {
    // PUSH1 1, ADD underflows: two steps, one enter, one exit with the halt.
    let mut recorder = Recorder::default();
    Call::to_code(&[0x60, 1, 0x01]).run_with(&mut recorder, u64::MAX);
    assert_eq!(recorder.steps.len(), 2);
    assert_eq!(
        recorder.frames,
        [
            FrameEvent::Enter(0),
            FrameEvent::Exit(0, FrameEnd::Halt(crate::ee::evm::Halt::StackUnderflow)),
        ]
    );
}

#[test]
fn a_halting_step_reports_the_ergs_left_after_the_halt() {
    // PUSH1 1, ADD: ADD pays its static 3 gas and 60 native (step 20 + 40), then underflows,
    // and the halt burns the frame's ergs. after_step must see 0, not DEFAULT_GAS - 6 gas.
    let mut recorder = Recorder::default();
    Call::to_code(&[0x60, 1, 0x01]).run_with(&mut recorder, u64::MAX);
    let [push, add] = recorder.steps[..] else {
        panic!("two steps expected: {:?}", recorder.steps);
    };
    assert_eq!(push.ergs_after, Some(ErgsPerGas::ZK.ergs(DEFAULT_GAS - 3)));
    assert_eq!(add.ergs_before, ErgsPerGas::ZK.ergs(DEFAULT_GAS - 3));
    assert_eq!(add.ergs_after, Some(0));
    assert_eq!(add.native_after, Some(add.native_before + 60));
}

#[test]
fn an_out_of_gas_step_reports_zero_ergs_after() {
    // 2 gas: PUSH1 (3 gas) cannot be paid, so the first step halts with ergs 0 after it.
    let mut recorder = Recorder::default();
    let mut call = Call::to_code(&[0x60, 1, 0x00]);
    call.gas = 2;
    call.run_with(&mut recorder, u64::MAX);
    assert_eq!(recorder.steps.len(), 1);
    assert_eq!(recorder.steps[0].ergs_before, ErgsPerGas::ZK.ergs(2));
    assert_eq!(recorder.steps[0].ergs_after, Some(0));
    assert_eq!(
        recorder.frames,
        [
            FrameEvent::Enter(0),
            FrameEvent::Exit(0, FrameEnd::Halt(crate::ee::evm::Halt::OutOfGas)),
        ]
    );
}
