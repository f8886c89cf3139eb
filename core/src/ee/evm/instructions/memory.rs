//! Memory instructions: `MLOAD`, `MSTORE`, `MSTORE8`, `MSIZE`, the copies into memory
//! (`CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY`, `MCOPY`) and `KECCAK256` over memory.

use super::{
    as_usize, b256_to_word, charge_copy, charge_gas, expand, expand_hot, expand_to, memory_offset,
    tail_at, MAX_MEMORY_BYTES,
};
use crate::bytecode::opcode as op;
use crate::ee::evm::context::{Registers, Step};
use crate::ee::evm::frame::{Frame, Halt};
use crate::io::{Io, StateSource};
use crate::primitives::{keccak256, KECCAK_EMPTY, U256};
use crate::resources::gas;
use crate::resources::native::NativeCostTable;

/// `MLOAD`.
#[inline(always)]
pub(crate) fn mload<S: StateSource>(
    frame: &mut Frame,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
) -> Step {
    let offset = frame.stack.pop();
    let offset = expand_hot(frame, regs, io, costs, offset, 32)?;
    frame.stack.push(frame.memory.load_word(offset));
    Ok(())
}

/// `MSTORE`.
#[inline(always)]
pub(crate) fn mstore<S: StateSource>(
    frame: &mut Frame,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
) -> Step {
    let offset = frame.stack.pop();
    let value = frame.stack.pop();
    let offset = expand_hot(frame, regs, io, costs, offset, 32)?;
    frame.memory.store_word(offset, value);
    Ok(())
}

/// `MSTORE8`: stores the low byte of the value.
#[inline(always)]
pub(crate) fn mstore8<S: StateSource>(
    frame: &mut Frame,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
) -> Step {
    let offset = frame.stack.pop();
    let value = frame.stack.pop();
    let offset = expand_hot(frame, regs, io, costs, offset, 1)?;
    frame.memory.store_byte(offset, value.as_limbs()[0] as u8);
    Ok(())
}

/// `MSIZE`.
#[inline(always)]
pub(crate) fn msize(frame: &mut Frame) {
    frame.stack.push(U256::from(frame.memory.len()));
}

/// `CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY` and `MCOPY`, out of line apart from the cold
/// dispatch so that a copy saves only the registers it uses.
#[inline(never)]
pub(crate) fn copy<S: StateSource>(opcode: u8, frame: &mut Frame, io: &mut Io<S>) -> Step {
    // Each operand is narrowed as soon as it is popped, so no whole word stays live.
    let dest = memory_offset(frame.stack.pop());
    let offset = usize::try_from(frame.stack.pop()).ok();
    let len = as_usize(frame.stack.pop())?;
    if opcode == op::MCOPY {
        charge_copy(frame, io, len)?;
        if len > 0 {
            let src = offset.filter(|src| *src <= MAX_MEMORY_BYTES);
            let (Some(dest), Some(src)) = (dest, src) else {
                return Err(Halt::OutOfGas.into());
            };
            expand_to(frame, io, Some(dest.max(src)), len)?;
            frame.memory.copy_within(dest, src, len);
        }
        return Ok(());
    }
    // Protocol version 2 charges the copy before it checks the return data's bounds
    // (`evm_interpreter/src/instructions/system.rs::returndatacopy`), version 1 after.
    let charged_first = io.costs().opcode_native_before_gas;
    if charged_first {
        charge_copy(frame, io, len)?;
    }
    if opcode == op::RETURNDATACOPY {
        let end = offset.and_then(|offset| offset.checked_add(len));
        if end.is_none_or(|end| end > frame.return_data.len()) {
            return Err(Halt::ReturnDataOutOfBounds.into());
        }
    }
    if !charged_first {
        charge_copy(frame, io, len)?;
    }
    let dest = expand_to(frame, io, dest, len)?;
    if len > 0 {
        let source: &[u8] = match opcode {
            op::CALLDATACOPY => &frame.input,
            op::CODECOPY => frame.code.bytes(),
            _ => &frame.return_data,
        };
        frame
            .memory
            .store_padded(dest, len, tail_at(source, offset));
    }
    Ok(())
}

/// `KECCAK256` of a memory range: the hashed words in gas, the rounds in native.
#[inline(always)]
pub(crate) fn keccak<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let offset = frame.stack.pop();
    let len = as_usize(frame.stack.pop())?;
    charge_gas(frame, gas::KECCAK256_WORD_GAS * gas::words(len as u64))?;
    let offset = expand(frame, io, offset, len)?;
    io.charge_native(io.costs().keccak_opcode_native(len as u64))?;
    let hash = if len == 0 {
        KECCAK_EMPTY
    } else {
        keccak256(frame.memory.slice(offset, len))
    };
    frame.stack.push(b256_to_word(hash));
    Ok(())
}
