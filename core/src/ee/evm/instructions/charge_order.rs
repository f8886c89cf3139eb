//! Where upstream charges an opcode in another order than zkos's dispatch, which charges every
//! opcode's static gas and native before its body (protocol version 2). `EXP`, `KECCAK256`,
//! `MCOPY`, `CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY` and `EXTCODECOPY` take their operands
//! off the stack before they charge anything (ADI-Stack-zkOS @ 8035ac6f,
//! `evm_interpreter/src/instructions/{arithmetic,system,heap,host}.rs`; the others charge, then
//! pop), so on a short stack they cost the step alone. Where zkos's static gas is part of a
//! larger charge upstream, that charge's native is spent before its gas fails, so an opcode short
//! of its static gas has spent it too: `EXP`'s exponent bytes (`arithmetic.rs::exp_cost`), a
//! copy's bytes (`gas.rs::copy_cost_plus_very_low_gas`), `TLOAD`'s and `TSTORE`'s transient
//! access (`basic_system/src/system_implementation/system/io_subsystem.rs`, `storage_read` and
//! `storage_write`), `KECCAK256`'s memory growth and hashing (`system.rs::sha3`, then
//! `basic_system/src/system_functions/keccak256.rs`). Both are settled where the frame's halt is,
//! out of the interpreter's hot loop.

use crate::bytecode::opcode as op;
use crate::bytecode::static_gas::VERYLOW_GAS;
use crate::ee::evm::frame::{Frame, Halt};
use crate::io::{Io, StateSource};
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

/// Version 2: settles the halt of the opcode at `frame`'s pc, whose static gas fell short after
/// its static native was charged: gives back that native beyond the step where upstream checks
/// the operands first and they fail (a short stack, an unpriceable length), else charges the
/// native upstream charges with that gas. Out of gas, or out of native when that native is not
/// there. Version 1 charged the step alone and adds nothing.
#[cold]
#[inline(never)]
pub(crate) fn short_of_static_gas<S: StateSource>(frame: &Frame, io: &mut Io<S>) -> Halt {
    let costs = io.costs();
    if !costs.opcode_native_before_gas {
        return Halt::OutOfGas;
    }
    let opcode = frame
        .code
        .bytes()
        .get(frame.pc)
        .copied()
        .unwrap_or(op::STOP);
    match native_with_static_gas(opcode, frame, costs) {
        Some(native) => {
            if io.charge_native(native).is_err() {
                return Halt::OutOfNative;
            }
        }
        None => {
            let own = u64::from(costs.opcode_native[usize::from(opcode)]);
            io.refund_native(own.saturating_sub(STEP_NATIVE));
        }
    }
    Halt::OutOfGas
}

/// The native upstream charges beside `opcode`'s static native before the static gas fails,
/// or `None` when it fails before charging the opcode at all.
fn native_with_static_gas(opcode: u8, frame: &Frame, costs: &NativeCostTable) -> Option<u64> {
    let height = frame.stack.len();
    if pops_before_charging(opcode) && op::stack_underflows(opcode, height) {
        return None;
    }
    Some(match opcode {
        op::EXP => costs.exp_byte_native * frame.stack.peek(1).bit_len().div_ceil(8) as u64,
        // `sha3` checks its length before its own native.
        op::KECCAK256 => keccak_native(frame, u64::try_from(frame.stack.peek(1)).ok()?, costs),
        op::CALLDATACOPY | op::CODECOPY | op::RETURNDATACOPY | op::MCOPY => {
            copy_native(costs, frame.stack.peek(2))?
        }
        op::TLOAD if height >= 1 => costs.transient_access_native,
        op::TSTORE if height >= 2 && !frame.is_static => costs.transient_access_native,
        _ => 0,
    })
}

/// What `KECCAK256` of `len` bytes short of its static 30 gas has spent upstream beyond its own
/// native: a range it can grow to pays its growth's native, then, if the frame's ergs pay the
/// growth's gas, the hashing's native, each before the gas that fails. An empty or unreachable
/// range fails first.
fn keccak_native(frame: &Frame, len: u64, costs: &NativeCostTable) -> u64 {
    let Some(end) = u64::try_from(frame.stack.peek(0))
        .ok()
        .and_then(|offset| offset.checked_add(len))
        .filter(|end| len > 0 && *end <= UPSTREAM_MAX_END)
    else {
        return 0;
    };
    let (current_words, new_words) = (frame.memory.len() as u64 / 32, gas::words(end));
    let mut native = 0;
    if new_words > current_words {
        native += costs.memory_expansion_native(((new_words - current_words) * 32) as usize);
        let growth_gas = gas::memory_expansion_gas(current_words, new_words);
        if frame.ergs_per_gas.ergs(growth_gas) > frame.ergs {
            return native;
        }
    }
    native + costs.keccak_opcode_native(len)
}

/// The native upstream charges with a copy's gas (`gas.rs::copy_cost_plus_very_low_gas`), or
/// `None` when the length is past 64 bits or the gas or native overflows (upstream fails before
/// charging the copy).
fn copy_native(costs: &NativeCostTable, len: U256) -> Option<u64> {
    let len = u64::try_from(len).ok()?;
    let words = len.checked_next_multiple_of(32)? / 32;
    gas::COPY_WORD_GAS
        .checked_mul(words)?
        .checked_add(VERYLOW_GAS)?
        .checked_mul(ERGS_PER_GAS)?;
    costs
        .copy_byte_native
        .checked_mul(len)?
        .checked_add(costs.copy_base_native)
}
