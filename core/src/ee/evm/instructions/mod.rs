//! The EVM instructions, one file per family, and the charges they share (gas, memory expansion,
//! copies, account access).
//!
//! An instruction runs after the interpreter charged its static ergs and native and checked its
//! stack bounds (both from the opcode table), so a body pops and pushes without checks and
//! charges only what depends on its operands. Hot bodies take the loop's registers; the
//! interpreter advances the program counter unless a body says otherwise.

pub(super) mod arithmetic;
pub(super) mod bitwise;
pub(super) mod charge_order;
pub(super) mod control;
pub(super) mod environment;
pub(super) mod host;
pub(super) mod memory;
mod oversize;
pub(super) mod stack;
pub(super) mod system;
pub(super) mod system_materialised;

use super::context::{Exit, Registers, Step};
use super::frame::{Frame, Halt};
use super::limbs;
use super::memory::{Memory, MAX_ZEROED_AHEAD_BYTES};
use crate::io::{Io, StateSource};
use crate::primitives::{Address, B256, U256};
use crate::resources::gas;
use crate::resources::native::{ChargingModel, NativeCostTable};
use crate::resources::ErgsPerGas;

/// Largest memory a frame may address, in bytes (the size of the ZKsync OS heap buffer). Asking
/// for more is an out-of-gas halt.
pub const MAX_MEMORY_BYTES: usize = 128 << 20;

/// Takes `amount` from the ergs counter `left`.
#[inline(always)]
pub(super) fn charge_ergs(left: &mut u64, amount: u64) -> Result<(), Halt> {
    if *left < amount {
        return Err(Halt::OutOfGas);
    }
    *left -= amount;
    Ok(())
}

/// Takes `gas` from the frame's ergs.
#[inline(always)]
fn charge_gas(frame: &mut Frame, gas: u64) -> Result<(), Halt> {
    charge_ergs(&mut frame.ergs, frame.ergs_per_gas.ergs(gas))
}

/// `value` as a memory size or offset, if it is at most [`MAX_MEMORY_BYTES`].
#[inline(always)]
fn memory_offset(value: U256) -> Option<usize> {
    match limbs::to_u64(&value) {
        Some(v) if v <= MAX_MEMORY_BYTES as u64 => Some(v as usize),
        _ => None,
    }
}

/// Expands the frame's memory to cover `[offset, offset + len)`, charging gas to its ergs and
/// native to `io`. Returns the offset as `usize` (0 when `len` is zero: no memory is touched
/// then).
#[inline]
fn expand<S: StateSource>(
    frame: &mut Frame,
    io: &mut Io<S>,
    offset: U256,
    len: usize,
) -> Result<usize, Exit> {
    match memory_offset(offset) {
        None if len > 0 => Err(oversize::range(
            frame.memory.len(),
            io,
            offset,
            U256::from(len),
        )),
        narrowed => expand_to(frame, io, narrowed, len),
    }
}

/// [`expand`] for an offset already narrowed by [`memory_offset`] (`None`: too large).
#[inline]
fn expand_to<S: StateSource>(
    frame: &mut Frame,
    io: &mut Io<S>,
    offset: Option<usize>,
    len: usize,
) -> Result<usize, Exit> {
    let unit = frame.ergs_per_gas;
    expand_memory(&mut frame.memory, &mut frame.ergs, unit, io, offset, len)
}

/// [`expand_to`] on a memory and an ergs counter of `unit` held apart.
#[inline]
fn expand_memory<S: StateSource>(
    memory: &mut Memory,
    ergs: &mut u64,
    unit: ErgsPerGas,
    io: &mut Io<S>,
    offset: Option<usize>,
    len: usize,
) -> Result<usize, Exit> {
    if len == 0 {
        return Ok(0);
    }
    let offset = offset.ok_or(Halt::OutOfGas)?;
    let end = offset + len;
    if end > memory.len() {
        *ergs = grow(memory, *ergs, unit, io, end)?;
    }
    Ok(offset)
}

/// [`expand`] for the hot opcodes (`len` is 1 or 32), with the registers at hand: a growth that
/// stays inside the zeroed backing store is charged to the registers in place; anything else
/// (no growth, a growth past the store, an offset too large) goes through [`expand_memory`].
#[inline(always)]
fn expand_hot<S: StateSource>(
    frame: &mut Frame,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
    offset: U256,
    len: usize,
) -> Result<usize, Exit> {
    let (memory, unit) = (&mut frame.memory, frame.ergs_per_gas);
    let raw = offset;
    let offset = memory_offset(offset);
    if let Some(offset) = offset {
        let (current, end) = (memory.len(), offset + len);
        if end > current && end <= memory.zeroed_capacity() {
            let new = (end + 31) & !31;
            // At most `MAX_ZEROED_AHEAD_BYTES` more, to at most `MAX_MEMORY_BYTES` plus that:
            // inside `small_growth_gas`'s range.
            const {
                assert!(MAX_ZEROED_AHEAD_BYTES / 32 <= gas::SMALL_GROWTH_MAX_WORDS as usize);
                assert!(MAX_MEMORY_BYTES / 32 <= 1 << 22);
            };
            let gas = gas::small_growth_gas((current / 32) as u32, (new / 32) as u32);
            // At most `MAX_ZEROED_AHEAD_BYTES` new bytes: the interpreter's test bounds this in
            // `u32`.
            let native = costs.memory_expansion_native(new - current) as u32;
            if costs.opcode_native_before_gas {
                regs.tally.add_native(native);
                charge_ergs(&mut regs.ergs, unit.ergs(u64::from(gas)))?;
            } else {
                charge_ergs(&mut regs.ergs, unit.ergs(u64::from(gas)))?;
                regs.tally.add_native(native);
            }
            memory.extend_within_capacity(new);
            return Ok(offset);
        }
    }
    if offset.is_none() {
        return Err(oversize::range(memory.len(), io, raw, U256::from(len)));
    }
    expand_memory(memory, &mut regs.ergs, unit, io, offset, len)
}

/// Grows `memory` to cover `end` bytes (more than it has), charging gas and native; returns the
/// ergs left of `ergs` (in `unit`). Takes and returns the counter by value so the interpreter's
/// copy of it can stay in a register.
#[inline(never)]
fn grow<S: StateSource>(
    memory: &mut Memory,
    mut ergs: u64,
    unit: ErgsPerGas,
    io: &mut Io<S>,
    end: usize,
) -> Result<u64, Exit> {
    if end > MAX_MEMORY_BYTES {
        return Err(oversize::end(memory.len(), io, end as u64));
    }
    let current_words = (memory.len() / 32) as u64;
    let new_words = gas::words(end as u64);
    let cost = gas::memory_expansion_gas(current_words, new_words);
    let native = io
        .costs()
        .memory_expansion_native(((new_words - current_words) * 32) as usize);
    if io.costs().opcode_native_before_gas {
        io.charge_native(native)?;
        charge_ergs(&mut ergs, unit.ergs(cost))?;
    } else {
        charge_ergs(&mut ergs, unit.ergs(cost))?;
        io.charge_native(native)?;
    }
    memory.resize_words(new_words as usize);
    Ok(ergs)
}

/// Charges the per-word copy gas and the copy native for `len` bytes (at most
/// [`MAX_MEMORY_BYTES`], so neither product can overflow).
#[inline]
fn charge_copy<S: StateSource>(frame: &mut Frame, io: &mut Io<S>, len: usize) -> Step {
    let words = len.div_ceil(32) as u64;
    let native = io.costs().copy_native(len);
    if io.costs().opcode_native_before_gas {
        io.charge_native(native)?;
        charge_gas(frame, gas::COPY_WORD_GAS * words)?;
    } else {
        charge_gas(frame, gas::COPY_WORD_GAS * words)?;
        io.charge_native(native)?;
    }
    Ok(())
}

/// `data` from `offset` on (empty when `offset` is past its end).
#[inline]
fn tail_from(data: &[u8], offset: U256) -> &[u8] {
    tail_at(data, usize::try_from(offset).ok())
}

/// `data` from `offset` on (empty when `offset` is `None` or past the end).
#[inline(always)]
fn tail_at(data: &[u8], offset: Option<usize>) -> &[u8] {
    offset
        .and_then(|offset| data.get(offset..))
        .unwrap_or_default()
}

/// The big-endian number in `bytes` (at most 32), built from 32-bit words read from the end: no
/// 256-bit shift and no byte loop beyond the leading `len % 4` bytes.
#[inline(always)]
fn be_word(bytes: &[u8]) -> U256 {
    let fold = |bytes: &[u8]| bytes.iter().fold(0, |acc, &b| acc << 8 | u32::from(b));
    let mut words = [0u32; 8];
    let mut chunks = bytes.rchunks_exact(4);
    for (word, chunk) in words.iter_mut().zip(&mut chunks) {
        *word = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    if let Some(word) = words.get_mut(bytes.len() / 4) {
        *word = fold(chunks.remainder());
    }
    let limb = |i: usize| u64::from(words[2 * i]) | u64::from(words[2 * i + 1]) << 32;
    U256::from_limbs([limb(0), limb(1), limb(2), limb(3)])
}

/// An address as a stack word.
#[inline]
fn address_to_word(address: &Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

/// A stack word as an address (its low 20 bytes).
#[inline]
fn word_to_address(word: U256) -> Address {
    Address::from_word(B256::from(word))
}

/// A hash as a stack word.
#[inline]
fn b256_to_word(hash: B256) -> U256 {
    U256::from_be_bytes(hash.0)
}

/// The highest address upstream's EVM treats as a precompile when it prices an account
/// access (`evm_interpreter/src/utils.rs::is_precompile`: 1 to 10).
const HIGHEST_PRECOMPILE_ADDRESS: u64 = 10;

/// Whether upstream's EVM treats `address` as a precompile in its account-access pricing.
fn is_upstream_precompile(address: &Address) -> bool {
    let bytes = address.as_slice();
    bytes[..12].iter().all(|b| *b == 0) && {
        let low = u64::from_be_bytes(bytes[12..].try_into().unwrap_or_default());
        (1..=HIGHEST_PRECOMPILE_ADDRESS).contains(&low)
    }
}

/// EIP-2929 gas of an account access.
#[inline]
fn account_access_gas(cold: bool) -> u64 {
    if cold {
        gas::COLD_ACCOUNT_ACCESS_GAS
    } else {
        gas::WARM_STORAGE_READ_GAS
    }
}

/// Charges the EIP-2929 account access for `address` (plus its native IO). Under protocol
/// version 2 an account not yet in the block's cache is read only when the frame has the
/// access's gas: upstream (`account_cache.rs::materialize_element`) charges the access's
/// native, then its warm and cold gas, and reads the account last, so an access short of gas
/// has spent the access's native alone.
fn access_account<S: StateSource>(frame: &mut Frame, io: &mut Io<S>, address: &Address) -> Step {
    access_short_of_gas(frame, io, address)?;
    let cold = io.access_account(address)?;
    charge_gas(frame, account_access_gas(cold))?;
    Ok(())
}

/// Halts (out of gas) an access under protocol version 2 to an account not yet in the block's
/// cache when the frame lacks the access's gas, having charged the access's native alone: the
/// account is never read ([`access_account`]; a call's callee likewise, upstream
/// `runner.rs::read_callee_account_properties` reading it through `materialize_element`).
fn access_short_of_gas<S: StateSource>(frame: &Frame, io: &mut Io<S>, address: &Address) -> Step {
    if io.costs().model == ChargingModel::Materialised && !io.account(address).materialised {
        let gas = if is_upstream_precompile(address) {
            gas::WARM_STORAGE_READ_GAS
        } else {
            gas::COLD_ACCOUNT_ACCESS_GAS
        };
        if frame.ergs < frame.ergs_per_gas.ergs(gas) {
            io.charge_native(io.costs().account_access_native)?;
            return Err(Halt::OutOfGas.into());
        }
    }
    Ok(())
}
