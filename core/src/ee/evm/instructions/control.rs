//! Control flow: `STOP`, `JUMP`, `JUMPI`, `PC`, `GAS`, `RETURN` and `REVERT`. The jumps set the
//! program counter themselves; the ends hand the frame's result to the runner.

use super::stack::small_immediate;
use super::{expand, memory_offset, oversize};
use crate::bytecode::opcode as op;
use crate::bytecode::JumpTable;
use crate::ee::evm::context::{hand_over, CodeView, Exit, Limit, Registers, Step, Yield};
use crate::ee::evm::frame::{Frame, FrameEnd, Halt};
use crate::ee::evm::limbs;
use crate::ee::evm::stack::{Stack, Words};
use crate::io::{Io, StateSource};
use crate::primitives::{Bytes, U256};

/// `STOP`: the frame succeeds with no output.
#[inline(always)]
pub(crate) fn stop(outbox: &mut Yield) -> Step {
    Err(hand_over(
        outbox,
        Yield::End(FrameEnd::Success(Bytes::new())),
    ))
}

/// `JUMP`.
#[inline(always)]
pub(crate) fn jump(stack: &mut Words<'_>, pc: &mut usize, jumps: &JumpTable) -> Step {
    let dest = stack.pop();
    *pc = jump_target(jumps, dest)?;
    Ok(())
}

/// `JUMPI`: jumps when the condition is non-zero, else steps over.
#[inline(always)]
pub(crate) fn jumpi(stack: &mut Words<'_>, pc: &mut usize, jumps: &JumpTable) -> Step {
    let dest = stack.pop();
    let condition = stack.pop();
    if limbs::is_zero(&condition) {
        *pc += 1;
    } else {
        *pc = jump_target(jumps, dest)?;
    }
    Ok(())
}

/// `PUSH2` .. `PUSH4` (`n` immediate bytes) at the program counter followed by `JUMP` or
/// `JUMPI`, run in one dispatch when no tracer steps through them (solc pushes nearly every jump
/// destination this way): the destination goes from the code to the program counter without
/// touching the stack. The push's own step is charged and counted already. `None`, with nothing
/// done, unless the jump's step can run here exactly as on its own: the batch has a step left,
/// the frame holds the jump's static ergs and `JUMPI` finds its condition on the stack. The jump
/// is charged and counted as its own step; its halt leaves the program counter on it.
#[inline(always)]
pub(crate) fn push_jump(
    n: usize,
    regs: &mut Registers,
    stack: &mut Stack,
    code: CodeView<'_>,
    limit: Limit,
) -> Option<Step> {
    let jump_at = regs.pc + 1 + n;
    let jump = code.bytes.get(jump_at).copied()?;
    if jump != op::JUMP && jump != op::JUMPI {
        return None;
    }
    let (ergs, charge) = code.static_costs.of(jump);
    if regs.tally.reached(limit) || regs.ergs < ergs || (jump == op::JUMPI && regs.height == 0) {
        return None;
    }
    let dest = small_immediate(code.bytes, regs.pc, n) as usize;
    regs.ergs -= ergs;
    regs.tally.add(charge);
    if jump == op::JUMPI && limbs::is_zero(&stack.with_height(&mut regs.height).pop()) {
        regs.pc = jump_at + 1;
        return Some(Ok(()));
    }
    if code.jumps.is_valid(dest) {
        regs.pc = dest;
        Some(Ok(()))
    } else {
        regs.pc = jump_at;
        Some(Err(Halt::InvalidJump.into()))
    }
}

/// `PC`.
#[inline(always)]
pub(crate) fn pc(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.pc));
}

/// `GAS`: the whole gas left after this instruction's own charge.
#[inline(always)]
pub(crate) fn gas(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.gas_left()));
}

/// `RETURN` and `REVERT`: the frame ends with the memory range as output.
#[inline(always)]
pub(crate) fn return_or_revert<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
) -> Step {
    let offset = frame.stack.pop();
    let raw_len = frame.stack.pop();
    let Some(len) = memory_offset(raw_len) else {
        return Err(oversize::range(frame.memory.len(), io, offset, raw_len));
    };
    let offset = expand(frame, io, offset, len)?;
    let output = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(offset, len))
    };
    let end = if opcode == op::RETURN {
        FrameEnd::Success(output)
    } else {
        FrameEnd::Revert(output)
    };
    Err(hand_over(outbox, Yield::End(end)))
}

/// `dest` as a program counter if `jumps` marks it as a `JUMPDEST`.
#[inline(always)]
fn jump_target(jumps: &JumpTable, dest: U256) -> Result<usize, Exit> {
    match limbs::to_usize(&dest) {
        Some(dest) if jumps.is_valid(dest) => Ok(dest),
        _ => Err(Halt::InvalidJump.into()),
    }
}
