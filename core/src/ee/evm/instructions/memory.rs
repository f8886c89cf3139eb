//! Memory instructions: `MLOAD`, `MSTORE`, `MSTORE8`, `MSIZE`, the copies into memory
//! (`CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY`, `MCOPY`) and `KECCAK256` over memory.

use super::{
    b256_to_word, charge_copy, charge_gas, expand, expand_hot, expand_to, memory_offset, oversize,
    tail_at, MAX_MEMORY_BYTES,
};
use crate::bytecode::opcode as op;
use crate::bytecode::static_gas;
use crate::ee::evm::context::{Exit, Registers, Step};
use crate::ee::evm::frame::{Frame, Halt};
use crate::io::{Io, StateSource};
use crate::primitives::{keccak256, KECCAK_EMPTY, U256};
use crate::resources::gas;
use crate::resources::native::NativeCostTable;
use crate::resources::ERGS_PER_GAS;

/// `MLOAD`.
#[inline(always)]
pub(crate) fn mload<S: StateSource>(
    frame: &mut Frame,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
) -> Step {
    let offset = frame.stack.with_height(&mut regs.height).pop();
    let offset = expand_hot(frame, regs, io, costs, offset, 32)?;
    let word = frame.memory.load_word(offset);
    frame.stack.with_height(&mut regs.height).push(word);
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
    let mut stack = frame.stack.with_height(&mut regs.height);
    let (offset, value) = (stack.pop(), stack.pop());
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
    let mut stack = frame.stack.with_height(&mut regs.height);
    let (offset, value) = (stack.pop(), stack.pop());
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
    // Each operand is narrowed to 64 bits as soon as it is popped, so no whole word stays live.
    let wide_dest = u64::try_from(frame.stack.pop()).ok();
    let wide_offset = u64::try_from(frame.stack.pop()).ok();
    let wide_len = u64::try_from(frame.stack.pop()).ok();
    let dest = within_memory(wide_dest);
    let offset = wide_offset.and_then(|offset| usize::try_from(offset).ok());
    let Some(len) = within_memory(wide_len) else {
        return Err(oversize_copy(
            opcode,
            frame,
            io,
            wide_len,
            wide_dest,
            wide_offset,
        ));
    };
    if opcode == op::MCOPY {
        charge_copy(frame, io, len)?;
        if len > 0 {
            let src = offset.filter(|src| *src <= MAX_MEMORY_BYTES);
            let (Some(dest), Some(src)) = (dest, src) else {
                let from = wide_dest.zip(wide_offset).map(|(d, s)| d.max(s));
                let len = Some(len as u64);
                return Err(oversize::range_u64(frame.memory.len(), io, from, len));
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
    let dest = match dest {
        None if len > 0 => {
            let len = Some(len as u64);
            return Err(oversize::range_u64(frame.memory.len(), io, wide_dest, len));
        }
        dest => expand_to(frame, io, dest, len)?,
    };
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
    let raw_len = frame.stack.pop();
    let Some(len) = memory_offset(raw_len) else {
        // Upstream checks the length before it charges the opcode's own native.
        if u64::try_from(raw_len).is_err() {
            oversize::refund_own_native(io, op::KECCAK256);
        }
        return Err(oversize::range(frame.memory.len(), io, offset, raw_len));
    };
    let word_gas = gas::KECCAK256_WORD_GAS * gas::words(len as u64);
    let offset = if io.costs().opcode_native_before_gas {
        // Version 2 as upstream (`evm_interpreter/src/instructions/system.rs::sha3`, then
        // `basic_system/src/system_functions/keccak256.rs`): the memory grows first, then the
        // hashing's native, then the word gas.
        let offset = expand(frame, io, offset, len)?;
        io.charge_native(io.costs().keccak_opcode_native(len as u64))?;
        charge_gas(frame, word_gas)?;
        offset
    } else {
        charge_gas(frame, word_gas)?;
        let offset = expand(frame, io, offset, len)?;
        io.charge_native(io.costs().keccak_opcode_native(len as u64))?;
        offset
    };
    let hash = if len == 0 {
        KECCAK_EMPTY
    } else {
        keccak256(frame.memory.slice(offset, len))
    };
    frame.stack.push(b256_to_word(hash));
    Ok(())
}

/// `value` if it is at most [`MAX_MEMORY_BYTES`].
#[inline(always)]
fn within_memory(value: Option<u64>) -> Option<usize> {
    value
        .filter(|value| *value <= MAX_MEMORY_BYTES as u64)
        .map(|value| value as usize)
}

/// A copy opcode whose length (`None`: past 64 bits) is past [`MAX_MEMORY_BYTES`], with its
/// destination and source offsets. Version 2 as upstream (`gas.rs::copy_cost`,
/// `spend_gas_and_native`; see [`oversize`]): the own native back and out of gas when the
/// length or its gas overflows; else the copy native, then its gas, then (`RETURNDATACOPY`
/// fails its bounds) the growth to the destination range (from the larger offset for
/// `MCOPY`). Version 1: out of gas.
#[cold]
fn oversize_copy<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    len: Option<u64>,
    dest: Option<u64>,
    offset: Option<u64>,
) -> Exit {
    if !oversize::upstream_sizes(io) {
        return Halt::OutOfGas.into();
    }
    let priced = len.and_then(|len| {
        let words = len.checked_next_multiple_of(32)? / 32;
        let gas = gas::COPY_WORD_GAS.checked_mul(words)?;
        // The `VERYLOW` the table charged is part of the same checked sum upstream.
        gas.checked_add(static_gas::VERYLOW_GAS)?
            .checked_mul(ERGS_PER_GAS)?;
        let costs = io.costs();
        let native = costs
            .copy_byte_native
            .checked_mul(len)?
            .checked_add(costs.copy_base_native)?;
        Some((len, gas, native))
    });
    let Some((len, gas, native)) = priced else {
        oversize::refund_own_native(io, opcode);
        return Halt::OutOfGas.into();
    };
    if let Err(out) = io.charge_native(native) {
        return out.into();
    }
    if let Err(halt) = charge_gas(frame, gas) {
        return halt.into();
    }
    if opcode == op::RETURNDATACOPY {
        return Halt::ReturnDataOutOfBounds.into();
    }
    let from = if opcode == op::MCOPY {
        dest.zip(offset).map(|(dest, src)| dest.max(src))
    } else {
        dest
    };
    oversize::range_u64(frame.memory.len(), io, from, Some(len))
}
