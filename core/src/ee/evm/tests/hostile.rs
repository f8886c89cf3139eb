//! Hostile bytecode: every case ends in the right halt (all gas consumed) and never panics.

extern crate std;

use super::harness::{cat, push32, Call, TARGET};
use crate::ee::evm::instructions::MAX_MEMORY_BYTES;
use crate::ee::evm::Tracer;
use crate::ee::evm::{Frame, FrameEnd, Halt};
use crate::primitives::{Bytes, U256};

fn halts_with(call: Call, halt: Halt) {
    let out = call.run();
    assert_eq!(out.outcome.end, FrameEnd::Halt(halt));
    assert_eq!(out.outcome.ergs_left, 0, "a halt consumes all gas");
    assert_eq!(out.outcome.refund, 0);
    assert!(out.storage.is_empty());
    assert!(out.logs.is_empty());
}

fn halts(code: &[u8], halt: Halt) {
    halts_with(Call::to_code(code), halt);
}

#[test]
fn huge_memory_offsets_run_out_of_gas() {
    // MSTORE(2^64, 1).
    halts(
        &[0x60, 1, 0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x52],
        Halt::OutOfGas,
    );
    // MSTORE(2^255, 1).
    halts(
        &cat(&[&[0x60, 1], &push32(U256::from(1) << 255), &[0x52]]),
        Halt::OutOfGas,
    );
    // MLOAD(2^256 - 1): offset + 32 would overflow.
    halts(&cat(&[&push32(U256::MAX), &[0x51]]), Halt::OutOfGas);
    // MSTORE just past the memory cap: offset MAX_MEMORY_BYTES - 16 (PUSH4).
    let offset = (MAX_MEMORY_BYTES as u32 - 16).to_be_bytes();
    halts(
        &[
            0x60, 1, 0x63, offset[0], offset[1], offset[2], offset[3], 0x52,
        ],
        Halt::OutOfGas,
    );
    // A memory size that fits the cap but not the gas: MLOAD at 1 MiB with 1,000,000 gas
    // (32,769 words cost 3 × 32,769 + 32,769² / 512 = 2,195,620 gas).
    halts(&[0x62, 0x10, 0x00, 0x00, 0x51], Halt::OutOfGas);
}

#[test]
fn zero_length_at_a_huge_offset_touches_no_memory() {
    // RETURN(2^256 - 1, 0) succeeds with empty output: no memory is expanded.
    let out = Call::to_code(&cat(&[&[0x60, 0], &push32(U256::MAX), &[0xf3]])).run();
    assert_eq!(out.outcome.end, FrameEnd::Success(Bytes::new()));
    // PUSH1 3, PUSH32 3, RETURN 0.
    assert_eq!(out.ergs_used, 6 * 256);
}

#[test]
fn huge_lengths_run_out_of_gas() {
    // CALLDATACOPY(0, 0, 2^256 - 1).
    halts(
        &cat(&[&push32(U256::MAX), &[0x60, 0, 0x60, 0, 0x37]]),
        Halt::OutOfGas,
    );
    // CALLDATACOPY(0, 0, 2^27 - 1): within the memory cap, but the copy alone costs
    // 3 × 4,194,304 gas.
    halts(
        &[0x63, 0x07, 0xff, 0xff, 0xff, 0x60, 0, 0x60, 0, 0x37],
        Halt::OutOfGas,
    );
    // KECCAK256(0, 2^200).
    halts(
        &cat(&[&push32(U256::from(1) << 200), &[0x60, 0, 0x20]]),
        Halt::OutOfGas,
    );
    // LOG0(0, 2^64).
    halts(
        &[0x68, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0x60, 0, 0xa0],
        Halt::OutOfGas,
    );
    // CALL with an input length of 2^255.
    let mut code = alloc::vec![0x60, 0, 0x60, 0];
    code.extend_from_slice(&push32(U256::from(1) << 255));
    code.extend_from_slice(&[0x60, 0, 0x60, 0, 0x30, 0x5a, 0xf1]);
    halts(&code, Halt::OutOfGas);
}

#[test]
fn create_with_huge_initcode() {
    // CREATE(0, 0, 2^255): the size can never be paid for.
    halts(
        &cat(&[&push32(U256::from(1) << 255), &[0x60, 0, 0x60, 0, 0xf0]]),
        Halt::OutOfGas,
    );
    // CREATE(0, 0, 49,153): one byte over EIP-3860's limit, memory affordable.
    let mut call = Call::to_code(&[0x61, 0xc0, 0x01, 0x60, 0, 0x60, 0, 0xf0]);
    call.gas = 10_000_000;
    halts_with(call, Halt::InitcodeTooLarge);
    // CREATE2 the same.
    let mut call = Call::to_code(&[0x60, 0, 0x61, 0xc0, 0x01, 0x60, 0, 0x60, 0, 0xf5]);
    call.gas = 10_000_000;
    halts_with(call, Halt::InitcodeTooLarge);
}

#[test]
fn stack_limits() {
    // 1,024 PUSH0 fit.
    let mut code = alloc::vec![0x5f; 1024];
    let out = Call::to_code(&code).run();
    assert_eq!(out.outcome.end, FrameEnd::Success(Bytes::new()));
    // The 1,025th overflows.
    code.push(0x5f);
    halts(&code, Halt::StackOverflow);
    // DUP1 on a full stack overflows too.
    code.pop();
    code.push(0x80);
    halts(&code, Halt::StackOverflow);
    // Underflows.
    halts(&[0x01], Halt::StackUnderflow);
    halts(&[0x60, 1, 0x01], Halt::StackUnderflow);
    halts(&[0x80], Halt::StackUnderflow);
    halts(&[0x60, 1, 0x90], Halt::StackUnderflow);
    halts(
        &[0x60, 1, 0x60, 1, 0x60, 1, 0x60, 1, 0x60, 1, 0x60, 1, 0xf1],
        Halt::StackUnderflow,
    );
    halts(&[0x50], Halt::StackUnderflow);
    // The same bounds hold in every kind of dispatch arm: PUSH32 (one arm for PUSH5..PUSH32) on
    // a full stack, MCOPY with two words, SSTORE with one (an out-of-line opcode), LOG4 with five
    // (an arm for LOG0..LOG4).
    let mut full = alloc::vec![0x5f; 1024];
    full.extend_from_slice(&push32(U256::MAX));
    halts(&full, Halt::StackOverflow);
    halts(&[0x5f, 0x5f, 0x5e], Halt::StackUnderflow);
    halts(&[0x5f, 0x55], Halt::StackUnderflow);
    halts(&[0x5f, 0x5f, 0x5f, 0x5f, 0x5f, 0xa4], Halt::StackUnderflow);
}

#[test]
fn invalid_jumps() {
    // To a STOP.
    halts(&[0x60, 3, 0x56, 0x00], Halt::InvalidJump);
    // Into PUSH data: byte 1 is a 0x5b inside PUSH1.
    halts(&[0x60, 0x5b, 0x60, 1, 0x56], Halt::InvalidJump);
    // Past the end, and to 2^256 - 1.
    halts(&[0x61, 0xff, 0xff, 0x56], Halt::InvalidJump);
    halts(&cat(&[&push32(U256::MAX), &[0x56]]), Halt::InvalidJump);
    // JUMPI with a true condition to a bad target.
    halts(&[0x60, 1, 0x60, 0, 0x57], Halt::InvalidJump);
}

#[test]
fn invalid_and_undefined_opcodes() {
    for opcode in [0xfe, 0x0c, 0x21, 0xef, 0x1e, 0xa5, 0xf6] {
        halts(&[opcode], Halt::InvalidOpcode(opcode));
    }
    // From Osaka CLZ is defined, so on an empty stack it underflows instead.
    let mut call = Call::to_code(&[0x1e]);
    call.hardfork = crate::config::Hardfork::Osaka;
    halts_with(call, Halt::StackUnderflow);
}

#[test]
fn returndatacopy_out_of_bounds() {
    // RETURNDATACOPY(0, 0, 1) with no return data.
    halts(
        &[0x60, 1, 0x60, 0, 0x60, 0, 0x3e],
        Halt::ReturnDataOutOfBounds,
    );
    // RETURNDATACOPY(0, 2^256 - 1, 0): the offset alone is out of bounds.
    halts(
        &cat(&[&[0x60, 0], &push32(U256::MAX), &[0x60, 0, 0x3e]]),
        Halt::ReturnDataOutOfBounds,
    );
}

/// Counts frames and the deepest one.
#[derive(Default)]
struct DepthTracer {
    entered: usize,
    exited: usize,
    deepest: usize,
}

impl Tracer for DepthTracer {
    fn frame_enter(&mut self, frame: &Frame) {
        self.entered += 1;
        self.deepest = self.deepest.max(frame.depth);
    }

    fn frame_exit(&mut self, _depth: usize, _end: &FrameEnd, _ergs_left: u64) {
        self.exited += 1;
    }
}

/// Calls itself with calldata `depth + 1`, storing `depth + 1` in slot 0 first:
/// `PUSH1 0 CALLDATALOAD PUSH1 1 ADD DUP1 PUSH1 0 SSTORE PUSH1 0 MSTORE`
/// `CALL(GAS, ADDRESS, 0, 0, 32, 0, 0) STOP`.
const RECURSE: [u8; 27] = [
    0x60, 0, 0x35, 0x60, 1, 0x01, 0x80, 0x60, 0, 0x55, 0x60, 0, 0x52, 0x60, 0, 0x60, 0, 0x60, 32,
    0x60, 0, 0x60, 0, 0x30, 0x5a, 0xf1, 0x00,
];

fn recurse_to_the_depth_limit() {
    let mut call = Call::to_code(&RECURSE);
    // Each level keeps back 1/64 and spends about 240 gas itself, so level d gets about
    // G × (63/64)^d − 64 × 240; (63/64)^1024 ≈ 1.0e-7, so G = 10^12 leaves the deepest
    // level ~90,000 gas (10^11 would run out near depth 990).
    call.gas = 1_000_000_000_000;
    let mut tracer = DepthTracer::default();
    let out = call.run_with(&mut tracer, u64::MAX);
    assert_eq!(out.outcome.end, FrameEnd::Success(Bytes::new()));
    // Frames at depths 0..=1024 ran (1,025 frames); the CALL at depth 1024 failed.
    assert_eq!(tracer.entered, 1_025);
    assert_eq!(tracer.exited, 1_025);
    assert_eq!(tracer.deepest, 1_024);
    assert_eq!(
        out.storage,
        [(TARGET, U256::ZERO, U256::ZERO, U256::from(1_025))]
    );
}

#[test]
fn call_depth_limit() {
    recurse_to_the_depth_limit();
}

#[test]
fn call_depth_limit_on_a_small_host_stack() {
    // The runner keeps frames on the heap: 1,025 nested calls fit a 256 KiB thread stack.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(recurse_to_the_depth_limit)
        .unwrap()
        .join()
        .unwrap();
}
