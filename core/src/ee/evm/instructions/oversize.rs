//! Memory operands past [`super::MAX_MEMORY_BYTES`] under protocol version 2, as upstream's interpreter
//! treats them (ADI-Stack-zkOS @ 8035ac6f, `evm_interpreter/src/utils.rs`, `gas.rs`,
//! `instructions/{system,heap,host,control_flow}.rs`). Upstream has no cap of its own: an
//! operand past 64 bits fails before anything is charged, a range ending past `u32::MAX − 31`
//! fails, and any other range pays its growth's native before its gas, so a transaction that
//! cannot pay that native runs out of native instead of halting the frame. A copy pays its own
//! native (the opcode's figure, 80 + 1 per byte) with its gas, native first, after checking its
//! length: a length past 64 bits, or one whose gas overflows the ergs counter, costs only the
//! step. Version 1 halts out of gas at once.

use crate::ee::evm::context::Exit;
use crate::ee::evm::frame::Halt;
use crate::io::{Io, StateSource};
use crate::primitives::U256;
use crate::resources::native::STEP_NATIVE;

/// Largest end of a memory range upstream grows to (`resize_heap_implementation`).
pub(super) const UPSTREAM_MAX_END: u64 = (u32::MAX - 31) as u64;

/// Whether the version follows upstream here (version 2).
pub(super) fn upstream_sizes<S: StateSource>(io: &Io<S>) -> bool {
    io.costs().opcode_native_before_gas
}

/// The halt of a memory range `[offset, offset + len)` (`len` > 0) that zkos cannot grow to:
/// under version 2, first the growth's native when upstream would have grown the memory from
/// `current` bytes.
#[cold]
pub(super) fn range<S: StateSource>(
    current: usize,
    io: &mut Io<S>,
    offset: U256,
    len: U256,
) -> Exit {
    let wide = |value: U256| u64::try_from(value).ok();
    range_u64(current, io, wide(offset), wide(len))
}

/// [`range`] of an offset and a length narrowed to 64 bits (`None`: past them).
#[cold]
pub(super) fn range_u64<S: StateSource>(
    current: usize,
    io: &mut Io<S>,
    offset: Option<u64>,
    len: Option<u64>,
) -> Exit {
    match offset.zip(len) {
        Some((offset, len)) if upstream_sizes(io) => end(current, io, offset.saturating_add(len)),
        _ => Halt::OutOfGas.into(),
    }
}

/// [`range`] of a range ending at `end` (past zkos's cap: callers come here only then).
#[cold]
pub(super) fn end<S: StateSource>(current: usize, io: &mut Io<S>, end: u64) -> Exit {
    if !upstream_sizes(io) || end > UPSTREAM_MAX_END {
        return Halt::OutOfGas.into();
    }
    let grown = end.next_multiple_of(32) - current as u64;
    let native = io.costs().memory_expansion_native(grown as usize);
    match io.charge_native(native) {
        Ok(()) => Halt::OutOfGas.into(),
        Err(out) => out.into(),
    }
}

/// Version 2: gives back the native of `opcode` beyond its step, which the interpreter charged in
/// advance and upstream charges only after operand checks that failed. Nothing under version 1.
#[cold]
pub(super) fn refund_own_native<S: StateSource>(io: &mut Io<S>, opcode: u8) {
    if !upstream_sizes(io) {
        return;
    }
    io.refund_native(own_native(io, opcode));
}

/// The native of `opcode` beyond its step.
pub(super) fn own_native<S: StateSource>(io: &Io<S>, opcode: u8) -> u64 {
    u64::from(io.costs().opcode_native[opcode as usize]).saturating_sub(STEP_NATIVE)
}
