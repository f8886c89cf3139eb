//! Where upstream charges an opcode in another order than zkos's dispatch, which charges every
//! opcode's static gas and native before its body (protocol version 2; version 1 keeps the
//! dispatch's order). `EXP`, `KECCAK256`, `MCOPY`, `CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY`
//! and `EXTCODECOPY` take their operands off the stack before they charge anything (ADI-Stack-zkOS
//! @ 8035ac6f, `evm_interpreter/src/instructions/{arithmetic,system,heap,host}.rs`; the others
//! charge, then pop), so on a short stack they cost the step alone. Short of the static gas,
//! upstream has still charged the native that comes with it, native first: `EXP`'s exponent
//! bytes (`exp_cost`), and `TLOAD`'s and `TSTORE`'s transient access, whose gas and native
//! upstream's IO charges together (`basic_system/src/system_implementation/system/io_subsystem.rs`).

use crate::bytecode::opcode as op;
use crate::bytecode::static_gas::VERYLOW_GAS;
use crate::ee::evm::context::{Tally, Word};
use crate::ee::evm::frame::{Frame, Halt};
use crate::io::{Io, OutOfNative, StateSource};
use crate::primitives::U256;
use crate::resources::gas;
use crate::resources::native::{NativeCostTable, STEP_NATIVE};
use crate::resources::ERGS_PER_GAS;

use super::oversize::UPSTREAM_MAX_END;

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

/// The halt of such an opcode on a short stack whose dispatch added `charge` to `tally`:
/// version 2 keeps only the step's native.
#[cold]
#[inline(never)]
pub(crate) fn underflow(charge: Word, tally: &mut Tally, costs: &NativeCostTable) -> Halt {
    if costs.opcode_native_before_gas {
        tally.give_back(charge);
        tally.add_step();
        tally.add_native(STEP_NATIVE as u32);
    }
    Halt::StackUnderflow
}

/// [`underflow`] once the dispatch's charge has reached `io`.
#[cold]
#[inline(never)]
pub(crate) fn underflow_settled<S: StateSource>(opcode: u8, io: &mut Io<S>) -> Halt {
    if io.costs().opcode_native_before_gas && pops_before_charging(opcode) {
        let own = u64::from(io.costs().opcode_native[usize::from(opcode)]);
        io.refund_native(own.saturating_sub(STEP_NATIVE));
    }
    Halt::StackUnderflow
}

/// The native of `opcode`, whose dispatch `charge` could not pay its static gas: version 1 counts
/// the step alone, version 2 the whole charge (native before gas), except the step alone on a
/// short stack for an opcode upstream pops first, and then the native upstream charges with the
/// static gas: `EXP`'s exponent bytes, a copy's bytes (`CALLDATACOPY`, `CODECOPY`,
/// `RETURNDATACOPY`, `MCOPY`), a transient access outside a static frame.
#[cold]
#[inline(never)]
pub(crate) fn short_of_static_gas<S: StateSource>(
    opcode: u8,
    charge: Word,
    tally: &mut Tally,
    frame: &Frame,
    ergs_left: u64,
    io: &mut Io<S>,
) -> Result<(), OutOfNative> {
    let costs = io.costs();
    if !costs.opcode_native_before_gas {
        tally.add_step();
        return Ok(());
    }
    let height = frame.stack.len();
    let short_stack = pops_before_charging(opcode) && op::stack_underflows(opcode, height);
    // `sha3` checks its length before its own native.
    let wide_hash =
        opcode == op::KECCAK256 && !short_stack && frame.stack.peek(1) > U256::from(u64::MAX);
    if short_stack || wide_hash {
        tally.add_step();
        tally.add_native(STEP_NATIVE as u32);
        return Ok(());
    }
    tally.add(charge);
    let with_gas = match opcode {
        op::EXP => costs.exp_byte_native * frame.stack.peek(1).bit_len().div_ceil(8) as u64,
        op::KECCAK256 => keccak_native(frame, ergs_left, costs),
        op::CALLDATACOPY | op::CODECOPY | op::RETURNDATACOPY | op::MCOPY => {
            copy_native(costs, frame.stack.peek(2))
        }
        op::TLOAD if height >= 1 => costs.transient_access_native,
        op::TSTORE if height >= 2 && !frame.is_static => costs.transient_access_native,
        _ => 0,
    };
    io.charge_native(with_gas)
}

/// What `KECCAK256` short of its static 30 gas has spent upstream beyond its own native
/// (`system.rs::sha3`, then the keccak system function): a range it can grow to pays its
/// growth's native, then, if `ergs_left` pays the growth's gas, the hashing's native, each before
/// the gas that fails. An empty or unreachable range fails first.
fn keccak_native(frame: &Frame, ergs_left: u64, costs: &NativeCostTable) -> u64 {
    let (Ok(offset), Ok(len)) = (
        u64::try_from(frame.stack.peek(0)),
        u64::try_from(frame.stack.peek(1)),
    ) else {
        return 0;
    };
    let Some(end) = offset
        .checked_add(len)
        .filter(|end| len > 0 && *end <= UPSTREAM_MAX_END)
    else {
        return 0;
    };
    let (current_words, new_words) = (frame.memory.len() as u64 / 32, gas::words(end));
    let mut native = 0;
    if new_words > current_words {
        native += costs.memory_expansion_native(((new_words - current_words) * 32) as usize);
        let growth_gas = gas::memory_expansion_gas(current_words, new_words);
        if frame.ergs_per_gas.ergs(growth_gas) > ergs_left {
            return native;
        }
    }
    native + costs.keccak_opcode_native(len)
}

/// The native upstream charges with a copy's gas (`gas.rs::copy_cost_plus_very_low_gas`): none
/// when the length is past 64 bits or the gas or native overflows (it fails out of gas first).
fn copy_native(costs: &NativeCostTable, len: U256) -> u64 {
    let Ok(len) = u64::try_from(len) else {
        return 0;
    };
    let gas = len
        .checked_next_multiple_of(32)
        .map(|end| end / 32 * gas::COPY_WORD_GAS + VERYLOW_GAS);
    let native = costs
        .copy_byte_native
        .checked_mul(len)
        .and_then(|bytes| bytes.checked_add(costs.copy_base_native));
    match (gas.and_then(|gas| gas.checked_mul(ERGS_PER_GAS)), native) {
        (Some(_), Some(native)) => native,
        _ => 0,
    }
}
