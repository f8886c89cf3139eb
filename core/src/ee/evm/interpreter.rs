//! The EVM interpreter loop: runs one frame until it ends, asks the runner for a call or a
//! deployment, or uses up its step budget.
//!
//! Every opcode is charged twice from static tables (ergs and native) before it runs; dynamic
//! parts (memory expansion, copies, cold accesses, IO) are charged by the instruction itself.

use super::arithmetic;
use super::bits;
use super::frame::{
    create2_address, create_address, CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt,
    Request,
};
use super::memory::Memory;
use super::tracer::Tracer;
use crate::bigint;
use crate::bytecode::opcode as op;
use crate::bytecode::JumpTable;
use crate::config::{Flow, Hardfork};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Io, Log, OutOfNative, StateSource};
use crate::primitives::{keccak256, Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::resources::gas::{self, StaticErgsTable};
use crate::resources::native::NativeCostTable;
use crate::resources::{ergs_to_gas, gas_to_ergs};
use alloc::vec::Vec;

/// A two-operand opcode: pops `a`, replaces the new top `b` with `$f(a, b)`.
macro_rules! binary {
    ($frame:ident, $f:expr) => {{
        need($frame, 2, 1)?;
        let a = $frame.stack.pop();
        let b = $frame.stack.top_mut();
        *b = $f(a, *b);
    }};
}

/// A two-operand arithmetic opcode computed in place on the stack slots: pops `a` and calls
/// `$f(&a, &mut b)` on the new top `b` (see [`crate::bigint`]).
macro_rules! in_place {
    ($frame:ident, $f:expr) => {{
        need($frame, 2, 1)?;
        $frame.stack.pop_apply($f);
    }};
}

/// An opcode that pushes one value (evaluated after the stack check).
macro_rules! push {
    ($frame:ident, $v:expr) => {{
        need($frame, 0, 1)?;
        let v = $v;
        $frame.stack.push(v);
    }};
}

/// Largest memory a frame may address, in bytes (the size of the ZKsync OS heap buffer). Asking
/// for more is an out-of-gas halt.
pub const MAX_MEMORY_BYTES: usize = 128 << 20;

/// Everything an instruction reads besides its frame and the IO.
#[derive(Clone, Debug)]
pub struct Env {
    /// EVM semantics.
    pub hardfork: Hardfork,
    /// Block and transaction rules.
    pub flow: Flow,
    /// `CHAINID`.
    pub chain_id: u64,
    /// Block values.
    pub block: BlockEnv,
    /// Transaction values.
    pub tx: TxEnv,
    /// Static ergs per opcode for `hardfork`.
    pub ergs_table: StaticErgsTable,
}

/// Why [`run_frame`] returned.
#[derive(Debug)]
pub enum Yield {
    /// The step budget ran out; call again to continue.
    Paused,
    /// The frame needs a call or deployment run; resume it with the result.
    Request(Request),
    /// The frame ended.
    End(FrameEnd),
}

/// How an instruction leaves the loop. A few bytes and `Copy`, so a step's result stays in
/// registers; a normal end or a request is left in the step's outbox (see [`hand_over`]).
#[derive(Clone, Copy)]
enum Exit {
    /// Exceptional halt: the frame's ergs are burnt.
    Halt(Halt),
    /// The outbox holds what to return to the runner.
    Outbox,
}

/// The running code as the loop reads it: padded bytes, jump destinations and the native table
/// (static native per opcode, memory expansion).
#[derive(Clone, Copy)]
struct CodeView<'a> {
    bytes: &'a [u8],
    jumps: &'a JumpTable,
    costs: &'a NativeCostTable,
}

/// Puts `yielded` in the outbox and leaves the loop with it.
#[cold]
fn hand_over(outbox: &mut Yield, yielded: Yield) -> Exit {
    *outbox = yielded;
    Exit::Outbox
}

impl From<Halt> for Exit {
    #[inline]
    fn from(halt: Halt) -> Self {
        Exit::Halt(halt)
    }
}

impl From<OutOfNative> for Exit {
    #[inline]
    fn from(_: OutOfNative) -> Self {
        Exit::Halt(Halt::OutOfNative)
    }
}

type Step = Result<(), Exit>;

/// Opcodes run between two settlements of the pending native (see [`Registers`]). A step adds
/// its static native and at most one expansion into the zeroed backing store, of at most
/// [`MAX_ZEROED_AHEAD_BYTES`](super::memory::MAX_ZEROED_AHEAD_BYTES); a test checks on each table
/// that a full batch of the largest such steps stays below `u32::MAX`.
const NATIVE_FLUSH_STEPS: usize = 1 << 14;

/// The values every opcode touches, kept in locals (registers) while the hot opcodes run.
///
/// The program counter and the frame's ergs are written back to the frame, and the static native
/// summed in `native_pending` is charged to the IO, before anything else can read them: before a
/// cold opcode, before the tracer looks, and when the loop leaves. Deferring the native check is
/// exact: a hot opcode changes nothing outside its frame, and running out of native reverts the
/// whole transaction, so a shortfall found at the next settlement ends it as the check after the
/// opcode would have, with the same native spent (all of it).
struct Registers {
    pc: usize,
    ergs: u64,
    native_pending: u32,
}

impl Registers {
    #[inline(always)]
    fn load(frame: &Frame) -> Self {
        Self {
            pc: frame.pc,
            ergs: frame.ergs,
            native_pending: 0,
        }
    }

    /// Writes the program counter and ergs back and charges the pending native.
    #[inline(always)]
    fn sync<S: StateSource>(&mut self, frame: &mut Frame, io: &mut Io<S>) -> Result<(), Exit> {
        frame.pc = self.pc;
        frame.ergs = self.ergs;
        let pending = core::mem::take(&mut self.native_pending);
        io.charge_native(u64::from(pending))?;
        Ok(())
    }

    /// Reads the program counter and ergs back after the frame was changed in place.
    #[inline(always)]
    fn reload(&mut self, frame: &Frame) {
        self.pc = frame.pc;
        self.ergs = frame.ergs;
    }
}

/// Settles the registers after a step and decides whether the loop stops: `None` to go on,
/// else what [`run_frame`] returns. A native shortfall wins over any other end.
#[inline(always)]
fn settle<S: StateSource>(
    exit: Option<Exit>,
    regs: &mut Registers,
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
) -> Option<Yield> {
    let exit = match regs.sync(frame, io) {
        Ok(()) => exit?,
        Err(shortfall) => {
            *outbox = Yield::Paused;
            shortfall
        }
    };
    Some(match exit {
        Exit::Halt(halt) => {
            frame.ergs = 0;
            Yield::End(FrameEnd::Halt(halt))
        }
        Exit::Outbox => core::mem::replace(outbox, Yield::Paused),
    })
}

/// Runs `frame` for at most `budget` opcodes (decremented as they run).
pub fn run_frame<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    budget: &mut u64,
) -> Yield {
    let code = frame.code.clone();
    let costs = io.shared_costs();
    let view = CodeView {
        bytes: code.padded(),
        jumps: code.jump_table(),
        costs: &costs,
    };
    let bytes = view.bytes;
    // A native-width counter (one register on riscv32); a budget above it only pauses early.
    let mut steps_left = usize::try_from(*budget).unwrap_or(usize::MAX);
    let started_with = steps_left;
    let mut regs = Registers::load(frame);
    let mut outbox = Yield::Paused;
    let result = loop {
        let batch = steps_left.min(NATIVE_FLUSH_STEPS);
        if batch == 0 {
            break Yield::Paused;
        }
        let mut batch_left = batch;
        // Checked at the bottom, so a step's `Ok` branches to the countdown rather than to the
        // loop header, and the compiler can fold the check away on every arm that cannot fail.
        let ended = loop {
            let opcode = bytes.get(regs.pc).copied().unwrap_or(op::STOP);
            if T::STEPS {
                tracer.before_step(frame, opcode, io.native_used());
            }
            let stepped = step(opcode, &mut regs, frame, io, env, tracer, view, &mut outbox);
            batch_left -= 1;
            if T::STEPS {
                let ended = settle(stepped.err(), &mut regs, frame, io, &mut outbox);
                tracer.after_step(frame, opcode, io.native_used());
                if ended.is_some() {
                    break ended;
                }
            } else if let Err(exit) = stepped {
                break settle(Some(exit), &mut regs, frame, io, &mut outbox);
            }
            if batch_left == 0 {
                break settle(None, &mut regs, frame, io, &mut outbox);
            }
        };
        steps_left -= batch - batch_left;
        if let Some(ended) = ended {
            break ended;
        }
    };
    *budget -= (started_with - steps_left) as u64;
    result
}

// ---- helpers ----

/// Takes `amount` from the ergs counter `left`.
#[inline(always)]
fn charge_ergs(left: &mut u64, amount: u64) -> Result<(), Halt> {
    if *left < amount {
        return Err(Halt::OutOfGas);
    }
    *left -= amount;
    Ok(())
}

#[inline(always)]
fn charge_gas(frame: &mut Frame, gas: u64) -> Result<(), Halt> {
    charge_ergs(&mut frame.ergs, gas_to_ergs(gas))
}

#[inline(always)]
fn need(frame: &Frame, pops: usize, pushes: usize) -> Result<(), Halt> {
    if !frame.stack.has(pops) {
        return Err(Halt::StackUnderflow);
    }
    if pushes > pops && !frame.stack.has_room(pushes - pops) {
        return Err(Halt::StackOverflow);
    }
    Ok(())
}

/// `value` as a memory size or offset, if it is at most [`MAX_MEMORY_BYTES`].
#[inline(always)]
fn memory_offset(value: U256) -> Option<usize> {
    match u64::try_from(value) {
        Ok(v) if v <= MAX_MEMORY_BYTES as u64 => Some(v as usize),
        _ => None,
    }
}

/// A size or offset that must fit memory; anything larger can never be paid for.
#[inline]
fn as_usize(value: U256) -> Result<usize, Halt> {
    memory_offset(value).ok_or(Halt::OutOfGas)
}

/// Expands `memory` to cover `[offset, offset + len)`, charging gas to `ergs` and native to `io`.
/// Returns the offset as `usize` (0 when `len` is zero: no memory is touched then).
#[inline]
fn expand<S: StateSource>(
    memory: &mut Memory,
    ergs: &mut u64,
    io: &mut Io<S>,
    offset: U256,
    len: usize,
) -> Result<usize, Exit> {
    expand_to(memory, ergs, io, memory_offset(offset), len)
}

/// [`expand`] for an offset already narrowed by [`memory_offset`] (`None`: too large).
#[inline]
fn expand_to<S: StateSource>(
    memory: &mut Memory,
    ergs: &mut u64,
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
        *ergs = grow(memory, *ergs, io, end)?;
    }
    Ok(offset)
}

/// [`expand`] for the hot opcodes (`len` is 1 or 32), with the registers at hand: a growth that
/// stays inside the zeroed backing store is charged to the registers in place; anything else
/// (no growth, a growth past the store, an offset too large) goes through [`expand_to`].
#[inline(always)]
fn expand_hot<S: StateSource>(
    memory: &mut Memory,
    regs: &mut Registers,
    io: &mut Io<S>,
    costs: &NativeCostTable,
    offset: U256,
    len: usize,
) -> Result<usize, Exit> {
    let offset = memory_offset(offset);
    if let Some(offset) = offset {
        let (current, end) = (memory.len(), offset + len);
        if end > current && end <= memory.zeroed_capacity() {
            let new = (end + 31) & !31;
            let gas = gas::memory_expansion_gas((current / 32) as u64, (new / 32) as u64);
            charge_ergs(&mut regs.ergs, gas_to_ergs(gas))?;
            // At most `MAX_ZEROED_AHEAD_BYTES` new bytes: the test below bounds this in `u32`.
            regs.native_pending += costs.memory_expansion_native(new - current) as u32;
            memory.extend_within_capacity(new);
            return Ok(offset);
        }
    }
    expand_to(memory, &mut regs.ergs, io, offset, len)
}

/// Grows `memory` to cover `end` bytes (more than it has), charging gas and native; returns the
/// ergs left of `ergs`. Takes and returns the counter by value so the interpreter's copy of it
/// can stay in a register.
#[inline(never)]
fn grow<S: StateSource>(
    memory: &mut Memory,
    mut ergs: u64,
    io: &mut Io<S>,
    end: usize,
) -> Result<u64, Exit> {
    if end > MAX_MEMORY_BYTES {
        return Err(Halt::OutOfGas.into());
    }
    let current_words = (memory.len() / 32) as u64;
    let new_words = gas::words(end as u64);
    let cost = gas::memory_expansion_gas(current_words, new_words);
    charge_ergs(&mut ergs, gas_to_ergs(cost))?;
    let native = io
        .costs()
        .memory_expansion_native(((new_words - current_words) * 32) as usize);
    io.charge_native(native)?;
    memory.resize_words(new_words as usize);
    Ok(ergs)
}

/// Charges the per-word copy gas and the copy native for `len` bytes (at most
/// [`MAX_MEMORY_BYTES`], so neither product can overflow).
#[inline]
fn charge_copy<S: StateSource>(frame: &mut Frame, io: &mut Io<S>, len: usize) -> Step {
    let words = len.div_ceil(32) as u64;
    charge_gas(frame, gas::COPY_WORD_GAS * words)?;
    io.charge_native(io.costs().copy_native(len))?;
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

#[inline]
fn address_to_word(address: &Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

#[inline]
fn word_to_address(word: U256) -> Address {
    Address::from_word(B256::from(word))
}

#[inline]
fn b256_to_word(hash: B256) -> U256 {
    U256::from_be_bytes(hash.0)
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

/// Charges the EIP-2929 account access for `address` (plus its native IO).
fn access_account<S: StateSource>(frame: &mut Frame, io: &mut Io<S>, address: &Address) -> Step {
    let cold = io.access_account(address)?;
    charge_gas(frame, account_access_gas(cold))?;
    Ok(())
}

/// `dest` as a program counter if `jumps` marks it as a `JUMPDEST`.
#[inline(always)]
fn jump_target(jumps: &JumpTable, dest: U256) -> Result<usize, Exit> {
    match usize::try_from(dest) {
        Ok(dest) if jumps.is_valid(dest) => Ok(dest),
        _ => Err(Halt::InvalidJump.into()),
    }
}

// ---- the dispatch ----

/// Charges an opcode's static ergs and native and runs it: the common opcodes here, the rest in
/// [`step_cold`].
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn step<S: StateSource, T: Tracer>(
    opcode: u8,
    regs: &mut Registers,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    code: CodeView<'_>,
    outbox: &mut Yield,
) -> Step {
    let bytes = code.bytes;
    charge_ergs(&mut regs.ergs, u64::from(env.ergs_table.0[opcode as usize]))?;
    regs.native_pending += code.costs.opcode_native[opcode as usize];

    match opcode {
        op::ADD => in_place!(frame, bigint::add),
        op::MUL => in_place!(frame, bigint::mul),
        op::SUB => in_place!(frame, bigint::sub),
        op::DIV => in_place!(frame, bigint::div),
        op::SDIV => in_place!(frame, bigint::sdiv),
        op::MOD => in_place!(frame, bigint::rem),
        op::SMOD => in_place!(frame, bigint::smod),
        op::SIGNEXTEND => in_place!(frame, |b: &U256, x: &mut U256| bits::signextend(b, x)),
        op::LT => in_place!(frame, bigint::lt),
        op::GT => in_place!(frame, bigint::gt),
        op::SLT => in_place!(frame, bigint::slt),
        op::SGT => in_place!(frame, bigint::sgt),
        op::EQ => in_place!(frame, bigint::eq),
        op::ISZERO => {
            need(frame, 1, 1)?;
            let top = frame.stack.top_mut();
            *top = U256::from(top.is_zero());
        }
        op::AND => in_place!(frame, |a: &U256, b: &mut U256| *b &= a),
        op::OR => in_place!(frame, |a: &U256, b: &mut U256| *b |= a),
        op::XOR => in_place!(frame, |a: &U256, b: &mut U256| *b ^= a),
        op::NOT => {
            need(frame, 1, 1)?;
            let top = frame.stack.top_mut();
            *top = !*top;
        }
        op::BYTE => in_place!(frame, bits::byte),
        op::SHL => binary!(frame, bits::shl),
        op::SHR => binary!(frame, bits::shr),
        op::SAR => binary!(frame, arithmetic::sar),
        op::POP => {
            need(frame, 1, 0)?;
            frame.stack.pop();
        }
        op::MLOAD => {
            need(frame, 1, 1)?;
            let offset = frame.stack.pop();
            let offset = expand_hot(&mut frame.memory, regs, io, code.costs, offset, 32)?;
            frame.stack.push(frame.memory.load_word(offset));
        }
        op::MSTORE => {
            need(frame, 2, 0)?;
            let offset = frame.stack.pop();
            let value = frame.stack.pop();
            let offset = expand_hot(&mut frame.memory, regs, io, code.costs, offset, 32)?;
            frame.memory.store_word(offset, value);
        }
        op::MSTORE8 => {
            need(frame, 2, 0)?;
            let offset = frame.stack.pop();
            let value = frame.stack.pop();
            let offset = expand_hot(&mut frame.memory, regs, io, code.costs, offset, 1)?;
            frame.memory.store_byte(offset, value.as_limbs()[0] as u8);
        }
        op::JUMP => {
            need(frame, 1, 0)?;
            let dest = frame.stack.pop();
            regs.pc = jump_target(code.jumps, dest)?;
            return Ok(());
        }
        op::JUMPI => {
            need(frame, 2, 0)?;
            let dest = frame.stack.pop();
            let condition = frame.stack.pop();
            if !condition.is_zero() {
                regs.pc = jump_target(code.jumps, dest)?;
                return Ok(());
            }
        }
        op::JUMPDEST => {}
        op::PUSH0 => push!(frame, U256::ZERO),
        op::PUSH1 => {
            need(frame, 0, 1)?;
            let immediate = bytes.get(regs.pc + 1).copied().unwrap_or(0);
            frame.stack.push(U256::from(immediate));
            regs.pc += 2;
            return Ok(());
        }
        op::PUSH2..=op::PUSH4 => {
            need(frame, 0, 1)?;
            let n = (opcode - op::PUSH0) as usize;
            let start = regs.pc + 1;
            let immediate = bytes.get(start..start + n).unwrap_or_default();
            let value = immediate
                .iter()
                .fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            frame
                .stack
                .push(U256::from_limbs([u64::from(value), 0, 0, 0]));
            regs.pc += 1 + n;
            return Ok(());
        }
        op::PUSH5..=op::PUSH32 => {
            need(frame, 0, 1)?;
            let n = (opcode - op::PUSH0) as usize;
            let start = regs.pc + 1;
            frame.stack.push(push_immediate(bytes, start, n));
            regs.pc += 1 + n;
            return Ok(());
        }
        op::CALLDATACOPY | op::CODECOPY | op::RETURNDATACOPY | op::MCOPY => {
            regs.sync(frame, io)?;
            let copied = copy(opcode, frame, io);
            regs.reload(frame);
            copied?;
        }
        // One arm per DUP and SWAP: each passes its depth as a constant, and with this many
        // distinct arms the compiler dispatches every opcode through one jump table. wasm keeps
        // two range arms, which hold its module inside the size budget.
        #[cfg(target_arch = "wasm32")]
        op::DUP1..=op::DUP16 => dup(frame, usize::from(opcode - op::DUP1) + 1)?,
        #[cfg(target_arch = "wasm32")]
        op::SWAP1..=op::SWAP16 => swap(frame, usize::from(opcode - op::SWAP1) + 1)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP1 => dup(frame, 1)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP2 => dup(frame, 2)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP3 => dup(frame, 3)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP4 => dup(frame, 4)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP5 => dup(frame, 5)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP6 => dup(frame, 6)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP7 => dup(frame, 7)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP8 => dup(frame, 8)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP9 => dup(frame, 9)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP10 => dup(frame, 10)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP11 => dup(frame, 11)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP12 => dup(frame, 12)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP13 => dup(frame, 13)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP14 => dup(frame, 14)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP15 => dup(frame, 15)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::DUP16 => dup(frame, 16)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP1 => swap(frame, 1)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP2 => swap(frame, 2)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP3 => swap(frame, 3)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP4 => swap(frame, 4)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP5 => swap(frame, 5)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP6 => swap(frame, 6)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP7 => swap(frame, 7)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP8 => swap(frame, 8)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP9 => swap(frame, 9)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP10 => swap(frame, 10)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP11 => swap(frame, 11)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP12 => swap(frame, 12)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP13 => swap(frame, 13)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP14 => swap(frame, 14)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP15 => swap(frame, 15)?,
        #[cfg(not(target_arch = "wasm32"))]
        op::SWAP16 => swap(frame, 16)?,
        // Every other byte, listed rather than `_`: a match that covers all 256 values without a
        // default compiles to one jump table with no range check.
        op::STOP
        | op::ADDMOD..=op::EXP
        | 0x0c..=0x0f
        | op::CLZ..=op::CALLDATASIZE
        | op::CODESIZE
        | op::GASPRICE..=op::RETURNDATASIZE
        | op::EXTCODEHASH..=0x4f
        | op::SLOAD
        | op::SSTORE
        | op::PC..=op::GAS
        | op::TLOAD
        | op::TSTORE
        | op::LOG0..=0xff => {
            regs.sync(frame, io)?;
            let stepped = step_cold(opcode, frame, io, env, tracer, outbox);
            regs.reload(frame);
            return stepped;
        }
    }
    regs.pc += 1;
    Ok(())
}

/// The rarer opcodes, out of line so the hot loop keeps its values in registers. Static costs
/// are already charged.
#[inline(never)]
fn step_cold<S: StateSource, T: Tracer>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    tracer: &mut T,
    outbox: &mut Yield,
) -> Step {
    match opcode {
        op::STOP => {
            return Err(hand_over(
                outbox,
                Yield::End(FrameEnd::Success(Bytes::new())),
            ))
        }
        op::ADDMOD | op::MULMOD => {
            need(frame, 3, 1)?;
            let a = frame.stack.pop();
            let b = frame.stack.pop();
            let n = frame.stack.top_mut();
            if opcode == op::ADDMOD {
                bigint::addmod(&a, &b, n);
            } else {
                bigint::mulmod(&a, &b, n);
            }
        }
        op::EXP => {
            need(frame, 2, 1)?;
            let exponent = frame.stack.peek(1);
            let exponent_bytes = arithmetic::byte_len(exponent);
            charge_gas(frame, gas::EXP_BYTE_GAS * exponent_bytes)?;
            io.charge_native(io.costs().exp_byte_native * exponent_bytes)?;
            in_place!(frame, bigint::exp);
        }
        op::CLZ if env.hardfork >= Hardfork::Osaka => {
            need(frame, 1, 1)?;
            let top = frame.stack.top_mut();
            *top = arithmetic::clz(*top);
        }
        op::KECCAK256 => {
            need(frame, 2, 1)?;
            let offset = frame.stack.pop();
            let len = as_usize(frame.stack.pop())?;
            charge_gas(frame, gas::KECCAK256_WORD_GAS * gas::words(len as u64))?;
            let offset = expand(&mut frame.memory, &mut frame.ergs, io, offset, len)?;
            io.charge_native(io.costs().keccak_native(len as u64))?;
            let hash = if len == 0 {
                KECCAK_EMPTY
            } else {
                keccak256(frame.memory.slice(offset, len))
            };
            frame.stack.push(b256_to_word(hash));
        }
        op::ADDRESS => push!(frame, address_to_word(&frame.address)),
        op::BALANCE => {
            need(frame, 1, 1)?;
            let address = word_to_address(frame.stack.pop());
            access_account(frame, io, &address)?;
            frame.stack.push(io.account(&address).balance);
        }
        op::ORIGIN => push!(frame, address_to_word(&env.tx.origin)),
        op::CALLER => push!(frame, address_to_word(&frame.caller)),
        op::CALLVALUE => push!(frame, frame.value),
        op::CALLDATALOAD => {
            need(frame, 1, 1)?;
            let offset = frame.stack.pop();
            let tail = tail_from(&frame.input, offset);
            let word = match tail.get(..32) {
                Some(word) => be_word(word),
                None => {
                    let mut word = [0u8; 32];
                    word[..tail.len()].copy_from_slice(tail);
                    be_word(&word)
                }
            };
            frame.stack.push(word);
        }
        op::CALLDATASIZE => push!(frame, U256::from(frame.input.len())),
        op::CODESIZE => push!(frame, U256::from(frame.code.len())),
        op::GASPRICE => push!(frame, env.tx.gas_price),
        op::EXTCODESIZE => {
            need(frame, 1, 1)?;
            let address = word_to_address(frame.stack.pop());
            access_account(frame, io, &address)?;
            frame
                .stack
                .push(U256::from(io.account(&address).code.len()));
        }
        op::EXTCODECOPY => {
            need(frame, 4, 0)?;
            let address = word_to_address(frame.stack.pop());
            let dest = frame.stack.pop();
            let offset = frame.stack.pop();
            let len = as_usize(frame.stack.pop())?;
            charge_copy(frame, io, len)?;
            let dest = expand(&mut frame.memory, &mut frame.ergs, io, dest, len)?;
            access_account(frame, io, &address)?;
            if len > 0 {
                let code = io.account(&address).code.clone();
                frame
                    .memory
                    .store_padded(dest, len, tail_from(code.bytes(), offset));
            }
        }
        op::RETURNDATASIZE => push!(frame, U256::from(frame.return_data.len())),
        op::EXTCODEHASH => {
            need(frame, 1, 1)?;
            let address = word_to_address(frame.stack.pop());
            access_account(frame, io, &address)?;
            let account = io.account(&address);
            let hash = if !account.exists || account.is_empty() {
                U256::ZERO
            } else {
                b256_to_word(account.code.hash())
            };
            frame.stack.push(hash);
        }
        op::BLOCKHASH => {
            need(frame, 1, 1)?;
            let top = frame.stack.top_mut();
            *top = b256_to_word(env.block.block_hash(*top));
        }
        op::COINBASE => push!(frame, address_to_word(&env.block.coinbase)),
        op::TIMESTAMP => push!(frame, U256::from(env.block.timestamp)),
        op::NUMBER => push!(frame, U256::from(env.block.number)),
        op::PREVRANDAO => push!(frame, b256_to_word(env.block.prevrandao)),
        op::GASLIMIT => push!(frame, U256::from(env.block.gas_limit)),
        op::CHAINID => push!(frame, U256::from(env.chain_id)),
        op::SELFBALANCE => {
            need(frame, 0, 1)?;
            let balance = io.account(&frame.address).balance;
            frame.stack.push(balance);
        }
        op::BASEFEE => push!(frame, env.block.base_fee),
        op::BLOBHASH => {
            need(frame, 1, 1)?;
            let top = frame.stack.top_mut();
            *top = usize::try_from(*top)
                .ok()
                .and_then(|i| env.tx.blob_hashes.get(i))
                .map(|h| b256_to_word(*h))
                .unwrap_or_default();
        }
        op::BLOBBASEFEE => push!(frame, env.block.blob_base_fee),
        op::SLOAD => {
            need(frame, 1, 1)?;
            let key = frame.stack.pop();
            let access = io.sload(&frame.address, &key)?;
            charge_gas(
                frame,
                if access.cold {
                    gas::COLD_SLOAD_GAS
                } else {
                    gas::WARM_STORAGE_READ_GAS
                },
            )?;
            tracer.storage_read(&frame.address, &key, &access.value, false);
            frame.stack.push(access.value);
        }
        op::SSTORE => sstore(frame, io, tracer)?,
        op::PC => push!(frame, U256::from(frame.pc)),
        op::MSIZE => push!(frame, U256::from(frame.memory.len())),
        op::GAS => push!(frame, U256::from(ergs_to_gas(frame.ergs))),
        op::TLOAD => {
            need(frame, 1, 1)?;
            let key = frame.stack.pop();
            let value = io.tload(&frame.address, &key)?;
            tracer.storage_read(&frame.address, &key, &value, true);
            frame.stack.push(value);
        }
        op::TSTORE => {
            need(frame, 2, 0)?;
            if frame.is_static {
                return Err(Halt::StaticStateChange.into());
            }
            let key = frame.stack.pop();
            let value = frame.stack.pop();
            io.tstore(&frame.address, &key, value)?;
            tracer.storage_write(&frame.address, &key, &value, true);
        }
        op::LOG0..=op::LOG4 => {
            let topics = (opcode - op::LOG0) as usize;
            need(frame, 2 + topics, 0)?;
            if frame.is_static {
                return Err(Halt::StaticStateChange.into());
            }
            let offset = frame.stack.pop();
            let len = as_usize(frame.stack.pop())?;
            let mut topic_list = Vec::with_capacity(topics);
            for _ in 0..topics {
                topic_list.push(B256::from(frame.stack.pop()));
            }
            charge_gas(frame, gas::LOG_DATA_BYTE_GAS * len as u64)?;
            let offset = expand(&mut frame.memory, &mut frame.ergs, io, offset, len)?;
            let data = if len == 0 {
                Bytes::new()
            } else {
                Bytes::copy_from_slice(frame.memory.slice(offset, len))
            };
            let log = Log {
                address: frame.address,
                topics: topic_list,
                data,
            };
            tracer.log(&log);
            io.log(log)?;
        }
        op::CREATE | op::CREATE2 => return create(opcode, frame, io, outbox),
        op::CALL | op::CALLCODE | op::DELEGATECALL | op::STATICCALL => {
            return call(opcode, frame, io, env, outbox)
        }
        op::RETURN | op::REVERT => {
            need(frame, 2, 0)?;
            let offset = frame.stack.pop();
            let len = as_usize(frame.stack.pop())?;
            let offset = expand(&mut frame.memory, &mut frame.ergs, io, offset, len)?;
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
            return Err(hand_over(outbox, Yield::End(end)));
        }
        op::SELFDESTRUCT => return selfdestruct(frame, io, outbox),
        _ => return Err(Halt::InvalidOpcode(opcode).into()),
    }
    frame.pc += 1;
    Ok(())
}

/// `CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY` and `MCOPY`, out of line apart from
/// [`step_cold`] so that a copy saves only the registers it uses. Static costs are already
/// charged; the caller advances the program counter.
#[inline(never)]
fn copy<S: StateSource>(opcode: u8, frame: &mut Frame, io: &mut Io<S>) -> Step {
    need(frame, 3, 0)?;
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
            expand_to(
                &mut frame.memory,
                &mut frame.ergs,
                io,
                Some(dest.max(src)),
                len,
            )?;
            frame.memory.copy_within(dest, src, len);
        }
        return Ok(());
    }
    if opcode == op::RETURNDATACOPY {
        let end = offset.and_then(|offset| offset.checked_add(len));
        if end.is_none_or(|end| end > frame.return_data.len()) {
            return Err(Halt::ReturnDataOutOfBounds.into());
        }
    }
    charge_copy(frame, io, len)?;
    let dest = expand_to(&mut frame.memory, &mut frame.ergs, io, dest, len)?;
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

/// `DUPn`: pushes a copy of the `n`-th word from the top.
#[inline(always)]
fn dup(frame: &mut Frame, n: usize) -> Result<(), Halt> {
    need(frame, n, n + 1)?;
    frame.stack.dup(n);
    Ok(())
}

/// `SWAPn`: swaps the top with the `n`-th word below it.
#[inline(always)]
fn swap(frame: &mut Frame, n: usize) -> Result<(), Halt> {
    need(frame, n + 1, n + 1)?;
    frame.stack.swap(n);
    Ok(())
}

/// The `n`-byte big-endian immediate at `start` of the padded code (the code is followed by 33
/// zero bytes, so it always exists there; a shorter tail is zero-padded on the right anyway).
#[inline(always)]
fn push_immediate(bytes: &[u8], start: usize, n: usize) -> U256 {
    match bytes.get(start..start + n) {
        Some(immediate) => be_word(immediate),
        None => {
            let mut padded = [0u8; 32];
            let tail = bytes.get(start..).unwrap_or_default();
            let len = tail.len().min(n);
            padded[..len].copy_from_slice(&tail[..len]);
            be_word(&padded[..n])
        }
    }
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

/// `SSTORE` (EIP-2200 with EIP-2929 access costs and EIP-3529 refunds).
fn sstore<S: StateSource, T: Tracer>(frame: &mut Frame, io: &mut Io<S>, tracer: &mut T) -> Step {
    need(frame, 2, 0)?;
    if frame.ergs <= gas_to_ergs(gas::SSTORE_STIPEND_GAS) {
        return Err(Halt::OutOfGas.into());
    }
    let key = frame.stack.pop();
    let new = frame.stack.pop();
    let (original, current, warm) = io.peek_slot(&frame.address, &key);
    let cold = !warm;
    let mut cost = if cold { gas::COLD_SLOAD_GAS } else { 0 };
    cost += if original == current && current != new {
        if original.is_zero() {
            gas::SSTORE_SET_GAS
        } else {
            gas::SSTORE_RESET_GAS
        }
    } else {
        gas::WARM_STORAGE_READ_GAS
    };
    if current != new {
        if !original.is_zero() && !current.is_zero() && new.is_zero() {
            frame.refund += gas::SSTORE_CLEARS_SCHEDULE_REFUND;
        }
        if !original.is_zero() && current.is_zero() {
            frame.refund -= gas::SSTORE_CLEARS_SCHEDULE_REFUND;
        }
        if original == new {
            frame.refund += if original.is_zero() {
                (gas::SSTORE_SET_GAS - gas::WARM_STORAGE_READ_GAS) as i64
            } else {
                (gas::SSTORE_RESET_GAS - gas::WARM_STORAGE_READ_GAS) as i64
            };
        }
    }
    charge_gas(frame, cost)?;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    io.sstore(&frame.address, &key, new)?;
    tracer.storage_write(&frame.address, &key, &new, false);
    Ok(())
}

/// All but one 64th of `ergs` (EIP-150), rounded to whole gas.
#[inline]
fn all_but_one_64th(ergs: u64) -> u64 {
    let gas = ergs_to_gas(ergs);
    gas_to_ergs(gas - gas / 64)
}

/// `CREATE` and `CREATE2`.
fn create<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
) -> Step {
    let is_create2 = opcode == op::CREATE2;
    need(frame, if is_create2 { 4 } else { 3 }, 1)?;
    let value = frame.stack.pop();
    let offset = frame.stack.pop();
    let len = as_usize(frame.stack.pop())?;
    let salt = if is_create2 {
        B256::from(frame.stack.pop())
    } else {
        B256::ZERO
    };
    let offset = expand(&mut frame.memory, &mut frame.ergs, io, offset, len)?;
    if len > gas::MAX_INITCODE_SIZE {
        return Err(Halt::InitcodeTooLarge.into());
    }
    let init_words = gas::words(len as u64);
    let mut cost = gas::INITCODE_WORD_GAS * init_words;
    if is_create2 {
        cost += gas::KECCAK256_WORD_GAS * init_words;
    }
    charge_gas(frame, cost)?;
    let init_code = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(offset, len))
    };
    let child_ergs = all_but_one_64th(frame.ergs);
    frame.ergs -= child_ergs;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    frame.return_data = Bytes::new();
    frame.pc += 1;

    let sender = frame.address;
    let sender_account = io.account(&sender);
    let sender_nonce = sender_account.nonce;
    if sender_account.balance < value
        || sender_nonce == u64::MAX
        || frame.depth + 1 > gas::CALL_DEPTH_LIMIT
    {
        frame.ergs += child_ergs;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    let address = if is_create2 {
        io.charge_native(io.costs().keccak_native(len as u64))?;
        create2_address(&sender, &salt, &keccak256(&init_code))
    } else {
        create_address(&sender, sender_nonce)
    };
    io.access_account(&address)?;
    let target = io.account(&address);
    let collision = target.nonce != 0 || !target.code.is_empty();
    if collision || io.has_storage(&address) {
        io.set_nonce(&sender, sender_nonce + 1)?;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    io.set_nonce(&sender, sender_nonce + 1)?;
    Err(hand_over(
        outbox,
        Yield::Request(Request::Create(CreateRequest {
            kind: if is_create2 {
                CallKind::Create2
            } else {
                CallKind::Create
            },
            caller: sender,
            address,
            value,
            init_code,
            ergs: child_ergs,
        })),
    ))
}

/// `CALL`, `CALLCODE`, `DELEGATECALL`, `STATICCALL`.
fn call<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    outbox: &mut Yield,
) -> Step {
    let has_value = matches!(opcode, op::CALL | op::CALLCODE);
    need(frame, if has_value { 7 } else { 6 }, 1)?;
    let gas_requested = frame.stack.pop();
    let to = word_to_address(frame.stack.pop());
    let value = if has_value {
        frame.stack.pop()
    } else {
        U256::ZERO
    };
    let in_offset = frame.stack.pop();
    let in_len = as_usize(frame.stack.pop())?;
    let out_offset = frame.stack.pop();
    let out_len = as_usize(frame.stack.pop())?;

    let in_offset = expand(&mut frame.memory, &mut frame.ergs, io, in_offset, in_len)?;
    let out_offset = expand(&mut frame.memory, &mut frame.ergs, io, out_offset, out_len)?;

    let mut cost = account_access_gas(io.access_account(&to)?);
    let mut code_address = to;
    let mut delegated = false;
    if env.hardfork >= Hardfork::Prague {
        if let Some(target) = io.account(&to).code.delegation_target() {
            cost += account_access_gas(io.access_account(&target)?);
            code_address = target;
            delegated = true;
        }
    }
    if !value.is_zero() {
        cost += gas::CALL_VALUE_GAS;
        if opcode == op::CALL {
            let target = io.account(&to);
            if !target.exists || target.is_empty() {
                cost += gas::NEW_ACCOUNT_GAS;
            }
        }
    }
    charge_gas(frame, cost)?;
    let available = all_but_one_64th(frame.ergs);
    let requested = u64::try_from(gas_requested)
        .map(gas_to_ergs)
        .unwrap_or(u64::MAX);
    let mut child_ergs = requested.min(available);
    frame.ergs -= child_ergs;
    if opcode == op::CALL && frame.is_static && !value.is_zero() {
        return Err(Halt::StaticStateChange.into());
    }
    if !value.is_zero() {
        child_ergs += gas_to_ergs(gas::CALL_STIPEND_GAS);
    }
    frame.return_data = Bytes::new();
    frame.pc += 1;

    if (has_value && io.account(&frame.address).balance < value)
        || frame.depth + 1 > gas::CALL_DEPTH_LIMIT
    {
        frame.ergs += child_ergs;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    let input = if in_len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(in_offset, in_len))
    };
    let (kind, target, caller, transfer_value, apparent_value, is_static) = match opcode {
        op::CALL => (
            CallKind::Call,
            to,
            frame.address,
            value,
            value,
            frame.is_static,
        ),
        op::CALLCODE => (
            CallKind::CallCode,
            frame.address,
            frame.address,
            value,
            value,
            frame.is_static,
        ),
        op::DELEGATECALL => (
            CallKind::DelegateCall,
            frame.address,
            frame.caller,
            U256::ZERO,
            frame.value,
            frame.is_static,
        ),
        _ => (
            CallKind::StaticCall,
            to,
            frame.address,
            U256::ZERO,
            U256::ZERO,
            true,
        ),
    };
    Err(hand_over(
        outbox,
        Yield::Request(Request::Call(CallRequest {
            kind,
            target,
            code_address,
            delegated,
            caller,
            transfer_value,
            apparent_value,
            input,
            ergs: child_ergs,
            is_static,
            return_memory: (out_offset, out_len),
        })),
    ))
}

/// `SELFDESTRUCT` (EIP-6780: only accounts created in this transaction are deleted).
fn selfdestruct<S: StateSource>(frame: &mut Frame, io: &mut Io<S>, outbox: &mut Yield) -> Step {
    need(frame, 1, 0)?;
    let beneficiary = word_to_address(frame.stack.pop());
    let mut cost = 0;
    if io.access_account(&beneficiary)? {
        cost += gas::COLD_ACCOUNT_ACCESS_GAS;
    }
    let balance = io.account(&frame.address).balance;
    let target = io.account(&beneficiary);
    if (!target.exists || target.is_empty()) && !balance.is_zero() {
        cost += gas::NEW_ACCOUNT_GAS;
    }
    charge_gas(frame, cost)?;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    let originator = frame.address;
    if beneficiary != originator {
        io.transfer(&originator, &beneficiary, balance)?;
    }
    io.touch(&beneficiary);
    if io.account(&originator).created_in_tx {
        io.set_balance(&originator, U256::ZERO)?;
        io.mark_selfdestructed(&originator);
    }
    Err(hand_over(
        outbox,
        Yield::End(FrameEnd::Success(Bytes::new())),
    ))
}

#[cfg(test)]
mod tests {
    use super::NATIVE_FLUSH_STEPS;
    use crate::config::ProtocolVersion;
    use crate::ee::evm::memory::MAX_ZEROED_AHEAD_BYTES;
    use crate::resources::native::NativeCostTable;

    #[test]
    fn pending_native_of_a_full_batch_fits_u32() {
        let table = NativeCostTable::for_version(ProtocolVersion::V1);
        let most_static = table.opcode_native.iter().copied().max().unwrap_or(0);
        let most_inline_growth = table.memory_expansion_native(MAX_ZEROED_AHEAD_BYTES);
        let most_per_step = u64::from(most_static) + most_inline_growth;
        assert!(most_per_step * NATIVE_FLUSH_STEPS as u64 <= u64::from(u32::MAX));
    }
}
