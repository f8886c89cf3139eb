//! Where upstream charges an opcode in another order than zkos's dispatch, which charges every
//! opcode's static gas and native before its body (protocol version 2). `EXP`, `KECCAK256`,
//! `MCOPY`, `CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY` and `EXTCODECOPY` take their operands
//! off the stack before they charge anything (ADI-Stack-zkOS @ 8035ac6f,
//! `evm_interpreter/src/instructions/{arithmetic,system,heap,host}.rs`; the others charge, then
//! pop), so on a short stack they cost the step alone.

use crate::bytecode::opcode as op;
use crate::ee::evm::frame::Frame;
use crate::io::{Io, StateSource};
use crate::resources::native::STEP_NATIVE;

/// Whether upstream pops `opcode`'s operands before it charges the opcode.
pub(crate) const fn pops_before_charging(opcode: u8) -> bool {
    matches!(
        opcode,
        op::EXP
            | op::KECCAK256
            | op::MCOPY
            | op::CALLDATACOPY
            | op::CODECOPY
            | op::RETURNDATACOPY
            | op::EXTCODECOPY
    )
}

/// Version 2: gives back the own native of the opcode at `pc` of `frame`, which halted on a
/// short stack, when upstream pops that opcode's operands first (its charge has reached `io`).
#[cold]
#[inline(never)]
pub(crate) fn underflow_settled<S: StateSource>(frame: &Frame, pc: usize, io: &mut Io<S>) {
    let opcode = frame.code.bytes().get(pc).copied().unwrap_or(op::STOP);
    if io.costs().opcode_native_before_gas && pops_before_charging(opcode) {
        let own = u64::from(io.costs().opcode_native[usize::from(opcode)]);
        io.refund_native(own.saturating_sub(STEP_NATIVE));
    }
}
