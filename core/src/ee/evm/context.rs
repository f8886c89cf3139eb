//! What instructions run with besides their frame and the IO — the environment, the loop's
//! registers, the running code — and how an instruction leaves the loop.

use super::frame::{Frame, FrameEnd, Halt, Request};
use crate::bytecode::{opcode as op, JumpTable};
use crate::config::{ChainConfig, FlowKind, Hardfork, ProtocolVersion};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Io, OutOfNative, StateSource};
use crate::resources::gas::StaticErgsTable;
use crate::resources::native::{NativeCostTable, STEP_NATIVE};
use crate::resources::ErgsPerGas;
use alloc::rc::Rc;

/// Everything an instruction reads besides its frame and the IO.
#[derive(Clone, Debug)]
pub struct Env {
    /// EVM semantics.
    pub hardfork: Hardfork,
    /// Block and transaction rules.
    pub flow: FlowKind,
    /// Protocol version of the ZKsync OS flow (what kernel space admits).
    pub protocol_version: ProtocolVersion,
    /// `CHAINID`.
    pub chain_id: u64,
    /// Block values.
    pub block: BlockEnv,
    /// Transaction values.
    pub tx: TxEnv,
    /// Static ergs (for `hardfork`, in the unit every frame of the transaction meters in) and
    /// static native (for `protocol_version`) per opcode, shared by a block's transactions.
    pub static_costs: Rc<StaticCosts>,
}

impl Env {
    /// The unit the transaction's frames meter gas in (the static table's).
    #[inline]
    pub fn ergs_per_gas(&self) -> ErgsPerGas {
        self.static_costs.unit
    }
}

/// Why [`run_frame`](super::run_frame) returned.
#[derive(Debug)]
pub enum Yield {
    /// The step budget ran out; call again to continue.
    Paused,
    /// The frame needs a call or deployment run; resume it with the result.
    Request(Request),
    /// The frame ended.
    End(FrameEnd),
    /// The next opcode reads state the source does not know yet (recorded in the IO); the frame
    /// is untouched, and calling again after the host supplied it runs that opcode.
    NeedState,
}

/// How an instruction leaves the loop. A few bytes and `Copy`, so a step's result stays in
/// registers; a normal end or a request is left in the step's outbox (see [`hand_over`]).
#[derive(Clone, Copy)]
pub(super) enum Exit {
    /// Exceptional halt: the frame's ergs are burnt.
    Halt(Halt),
    /// The outbox holds what to return to the runner.
    Outbox,
    /// The opcode was not run: it reads state the source does not know yet.
    NeedState,
    /// As [`Exit::NeedState`], after the opcode's static ergs and tally charge were taken: the
    /// loop gives them back when it settles (the opcode is the one at the program counter). Out
    /// of the dispatch, so the values before the charge are not kept alive across it.
    NeedStateCharged,
    /// The opcode's static gas fell short: an out-of-gas halt once the loop has settled what
    /// protocol version 2 charges with that gas (see `charge_order::short_of_static_gas`).
    ShortOfStaticGas,
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

/// The result of one instruction: go on, or leave the loop.
pub(super) type Step = Result<(), Exit>;

/// Puts `yielded` in the outbox and leaves the loop with it.
#[cold]
pub(super) fn hand_over(outbox: &mut Yield, yielded: Yield) -> Exit {
    *outbox = yielded;
    Exit::Outbox
}

/// Each opcode's static ergs and its charge to the loop's tally (one step and its static
/// native), in two arrays of one table: the loop indexes both with the opcode scaled by the
/// element size (no shift for a 16-byte pair) from one base register. About 3 KB, so the
/// environment holds it behind an `Rc`, built once per block (see the bootloader's
/// `BlockBuilder`).
#[derive(Clone, Debug)]
pub struct StaticCosts {
    /// Static ergs per opcode byte.
    ergs: [u32; 256],
    /// Tally charge per opcode byte.
    charges: [Word; 256],
    /// The unit of the ergs.
    unit: ErgsPerGas,
}

impl StaticCosts {
    /// The static ergs of `ergs` beside the static native of `native`, for `hardfork`: an
    /// opcode the hardfork does not define yet (`CLZ` before Osaka) charges the step alone, as
    /// every undefined byte does (upstream's interpreter charges `STEP_NATIVE_COST` before its
    /// dispatch and nothing in its `InvalidOpcode` arm: `evm_interpreter/src/interpreter.rs`).
    pub fn new(ergs: &StaticErgsTable, native: &NativeCostTable, hardfork: Hardfork) -> Self {
        let mut charges = [0; 256];
        for (byte, (charge, native)) in charges.iter_mut().zip(native.opcode_native).enumerate() {
            let native = if op::info(byte as u8).is_some_and(|i| !i.is_defined_at(hardfork)) {
                STEP_NATIVE as u32
            } else {
                native
            };
            *charge = Tally::charge_of(native);
        }
        let mut static_ergs = ergs.ergs;
        if native.log_gas_with_event {
            // `host::log` charges these with the event.
            static_ergs[usize::from(op::LOG0)..=usize::from(op::LOG4)].fill(0);
        }
        Self {
            ergs: static_ergs,
            charges,
            unit: ergs.unit(),
        }
    }

    /// The table of `config`'s hardfork in its flow's unit, with the static native of `native`,
    /// ready to share.
    pub fn for_chain(config: &ChainConfig, native: &NativeCostTable) -> Rc<Self> {
        Rc::new(Self::new(
            &StaticErgsTable::for_hardfork(config.hardfork, ErgsPerGas::of(config.flow)),
            native,
            config.hardfork,
        ))
    }

    /// The static ergs of `opcode` and its tally charge.
    #[inline]
    pub(super) fn of(&self, opcode: u8) -> (u64, Word) {
        let byte = usize::from(opcode);
        (u64::from(self.ergs[byte]), self.charges[byte])
    }
}

/// Most steps in one batch of the loop. A power of two: on 64-bit targets a batch's steps count
/// up to it, so its end is one bit of the [`Tally`].
pub(super) const MAX_BATCH_STEPS: usize = 1 << 14;

/// Where the loop's batch starts: the step count a [`Tally`] starts from, [`MAX_BATCH_STEPS`]
/// less the batch's steps (see [`Tally::start`]).
#[cfg(target_pointer_width = "64")]
pub(super) type Limit = u64;

/// Where the loop's batch ends: its number of steps (see [`Tally::start`]).
#[cfg(not(target_pointer_width = "64"))]
pub(super) type Limit = usize;

/// A [`Tally`] charge: one machine word.
#[cfg(target_pointer_width = "64")]
pub(super) type Word = u64;
/// A [`Tally`] charge: one machine word.
#[cfg(not(target_pointer_width = "64"))]
pub(super) type Word = u32;

/// The steps run in the loop's current batch and the static native charged since the last
/// settlement. On 64-bit targets both live in one word, steps in the low half and native in the
/// high half, so a step adds both with one addition of its table entry; a batch is short enough
/// that neither carries out of its half (the interpreter's test checks the native). The steps
/// count from [`MAX_BATCH_STEPS`] less the batch's up to [`MAX_BATCH_STEPS`], so the loop's
/// check for the batch's end tests one bit against a constant: no limit held in a register or
/// reloaded from the stack every step.
#[cfg(target_pointer_width = "64")]
#[derive(Clone, Copy)]
pub(super) struct Tally(u64);

#[cfg(target_pointer_width = "64")]
impl Tally {
    /// One step in the low half.
    const STEP: u64 = 1;

    /// Nothing counted.
    #[inline(always)]
    const fn new() -> Self {
        Self(0)
    }

    /// The charge of one step with `native` static native.
    const fn charge_of(native: u32) -> u64 {
        (native as u64) << 32 | Self::STEP
    }

    /// Adds `charge`, a table entry.
    #[inline(always)]
    pub(super) fn add(&mut self, charge: u64) {
        self.0 += charge;
    }

    /// Takes `charge` back (the step did not run).
    #[inline(always)]
    pub(super) fn give_back(&mut self, charge: u64) {
        self.0 -= charge;
    }

    /// Takes back the native of `charge`, added last, leaving its step counted.
    #[inline(always)]
    pub(super) fn keep_step_of(&mut self, charge: u64) {
        self.0 -= charge - Self::STEP;
    }

    /// Adds `native` (a memory growth's; at most what the interpreter's test allows per step).
    #[inline(always)]
    pub(super) fn add_native(&mut self, native: u32) {
        self.0 += u64::from(native) << 32;
    }

    /// Takes the pending native, leaving the steps.
    #[inline(always)]
    fn take_native(&mut self) -> u32 {
        let native = (self.0 >> 32) as u32;
        self.0 &= u64::from(u32::MAX);
        native
    }

    /// The bit the step count sets when it reaches [`MAX_BATCH_STEPS`].
    const BATCH_END: u64 = MAX_BATCH_STEPS as u64;

    /// Takes the steps counted in the batch of `limit`, leaving the native.
    #[inline(always)]
    pub(super) fn take_steps(&mut self, limit: Limit) -> usize {
        let steps = (self.0 & u64::from(u32::MAX)) - limit;
        self.0 &= !u64::from(u32::MAX);
        steps as usize
    }

    /// Starts a batch of `steps` steps (at most [`MAX_BATCH_STEPS`]): the step count starts at
    /// [`MAX_BATCH_STEPS`] less them, returned as [`Self::take_steps`]'s limit.
    #[inline(always)]
    pub(super) fn start(&mut self, steps: usize) -> Limit {
        let from = (MAX_BATCH_STEPS - steps.min(MAX_BATCH_STEPS)) as u64;
        self.0 += from;
        from
    }

    /// Whether the batch's steps have all run: the count reached [`MAX_BATCH_STEPS`], its one
    /// bit (a batch never counts past it).
    #[inline(always)]
    pub(super) fn reached(&self, _limit: Limit) -> bool {
        self.0 & Self::BATCH_END != 0
    }
}

/// The steps left in the loop's current batch and the static native charged since the last
/// settlement, in two 32-bit counters. The steps count down, so the loop's check compares with
/// zero and holds no limit in a register (the riscv guest's loop is an instruction shorter).
#[cfg(not(target_pointer_width = "64"))]
#[derive(Clone, Copy)]
pub(super) struct Tally {
    native: u32,
    left: usize,
}

#[cfg(not(target_pointer_width = "64"))]
impl Tally {
    /// Nothing counted.
    #[inline(always)]
    const fn new() -> Self {
        Self { native: 0, left: 0 }
    }

    /// The charge of one step with `native` static native.
    const fn charge_of(native: u32) -> u32 {
        native
    }

    /// Adds `charge`, a table entry, and counts its step.
    #[inline(always)]
    pub(super) fn add(&mut self, charge: u32) {
        self.native += charge;
        self.left -= 1;
    }

    /// Takes `charge` back (the step did not run).
    #[inline(always)]
    pub(super) fn give_back(&mut self, charge: u32) {
        self.native -= charge;
        self.left += 1;
    }

    /// Takes back the native of `charge`, added last, leaving its step counted.
    #[inline(always)]
    pub(super) fn keep_step_of(&mut self, charge: u32) {
        self.native -= charge;
    }

    /// Adds `native` (a memory growth's; at most what the interpreter's test allows per step).
    #[inline(always)]
    pub(super) fn add_native(&mut self, native: u32) {
        self.native += native;
    }

    /// Takes the pending native, leaving the steps.
    #[inline(always)]
    fn take_native(&mut self) -> u32 {
        core::mem::take(&mut self.native)
    }

    /// Takes the steps run in the batch of `limit` steps, leaving the native.
    #[inline(always)]
    pub(super) fn take_steps(&mut self, limit: Limit) -> usize {
        limit - core::mem::take(&mut self.left)
    }

    /// Starts a batch of `steps` steps; returns [`Self::take_steps`]'s limit.
    #[inline(always)]
    pub(super) fn start(&mut self, steps: usize) -> Limit {
        self.left = steps;
        steps
    }

    /// Whether the batch's steps have all run.
    #[inline(always)]
    pub(super) fn reached(&self, _limit: Limit) -> bool {
        self.left == 0
    }
}

/// The running code as the loop reads it: padded bytes, jump destinations and the native table
/// (static native per opcode, memory expansion).
///
/// The loop keeps its program counter inside `bytes`, so that the fetch of each opcode
/// ([`CodeView::opcode_at`]) needs no bound check:
/// - [`Registers::load`] and [`Registers::reload`], which take the program counter from the
///   frame, put one past the bytes on their last byte (padding: `STOP`, as a read past the end
///   would give);
/// - an opcode the hot dispatch runs is a byte other than `STOP` (0), so it lies in the code
///   itself, at most `len - 1`; it moves the counter on by at most 33 (`PUSH32`), to at most
///   `len + 32`, the last padding byte;
/// - `JUMP` and `JUMPI` land on a `JUMPDEST` of the code's own analysis, inside the code, or
///   leave the loop (an invalid jump);
/// - everything else runs with the counter synced to the frame and read back through
///   [`Registers::reload`].
#[derive(Clone, Copy)]
pub(super) struct CodeView<'a> {
    /// The code followed by 33 zero bytes (never empty).
    pub(super) bytes: &'a [u8],
    /// Its jumpdest analysis.
    pub(super) jumps: &'a JumpTable,
    /// The native prices of the transaction's protocol version.
    pub(super) costs: &'a NativeCostTable,
    /// The static ergs and native of each opcode (the environment's).
    pub(super) static_costs: &'a StaticCosts,
}

impl CodeView<'_> {
    /// The opcode at `pc`, a program counter the loop keeps inside the bytes (see [`CodeView`]).
    #[cfg(not(any(target_arch = "wasm32", target_arch = "riscv32")))]
    #[allow(unsafe_code)]
    #[inline(always)]
    pub(super) fn opcode_at(&self, pc: usize) -> u8 {
        debug_assert!(pc < self.bytes.len());
        // SAFETY: `pc < self.bytes.len()` by the invariant of the loop's program counter that
        // the type's documentation proves step by step: it is set only by `Registers::load` and
        // `Registers::reload` (which bound it), by a hot opcode read at it (a non-zero byte,
        // so inside the code, moving on by at most the 33 bytes of padding behind it) and by a
        // jump to a destination the code's own jumpdest analysis marks (inside the code).
        // Natively, the fetch's bound check against the code's length (kept on the loop's
        // stack) was two of its instructions every step (callgrind).
        unsafe { *self.bytes.get_unchecked(pc) }
    }

    /// The opcode at `pc` (`STOP` past the padding, where the loop never reads). wasm and the
    /// riscv guest keep the checked read.
    #[cfg(any(target_arch = "wasm32", target_arch = "riscv32"))]
    #[inline(always)]
    pub(super) fn opcode_at(&self, pc: usize) -> u8 {
        match self.bytes.get(pc) {
            Some(&opcode) => opcode,
            None => past_code(),
        }
    }

    /// `pc` if it lies inside the bytes, else their last (padding, `STOP`): where the loop takes
    /// a program counter from the frame, which nothing else keeps inside the code.
    #[inline(always)]
    fn bounded(&self, pc: usize) -> usize {
        if pc < self.bytes.len() {
            pc
        } else {
            self.bytes.len().saturating_sub(1)
        }
    }
}

/// The opcode past the padded code: `STOP`. Out of line, so the fetch's hot path falls through
/// to the dispatch rather than jumping over a merge.
#[cfg(any(target_arch = "wasm32", target_arch = "riscv32"))]
#[cold]
#[inline(never)]
fn past_code() -> u8 {
    op::STOP
}

/// The values every opcode touches, kept in locals (registers) while the hot opcodes run.
///
/// The program counter, the frame's ergs and its stack height are written back to the frame, and the static native
/// summed in `tally` is charged to the IO, before anything else can read them: before a
/// cold opcode, before the tracer looks, and when the loop leaves. Deferring the native check is
/// exact: a hot opcode changes nothing outside its frame, and running out of native reverts the
/// whole transaction, so a shortfall found at the next settlement ends it as the check after the
/// opcode would have, with the same native spent (all of it).
pub(super) struct Registers {
    /// Program counter.
    pub(super) pc: usize,
    /// Ergs left in the frame.
    pub(super) ergs: u64,
    /// Steps of the batch, and static native charged since the last settlement.
    pub(super) tally: Tally,
    /// The frame's stack height: the hot opcodes count it here (see
    /// [`Stack::with_height`](super::stack::Stack::with_height)) rather than load and store the
    /// stack's own every step.
    pub(super) height: usize,
}

impl Registers {
    /// The registers of `frame` running `code`, with nothing tallied (the program counter
    /// inside the code's bytes, see [`CodeView`]).
    #[inline(always)]
    pub(super) fn load(frame: &Frame, code: CodeView<'_>) -> Self {
        Self {
            pc: code.bounded(frame.pc),
            ergs: frame.ergs,
            tally: Tally::new(),
            height: frame.stack.len(),
        }
    }

    /// Writes the program counter, ergs and stack height back and charges the pending native.
    #[inline(always)]
    pub(super) fn sync<S: StateSource>(
        &mut self,
        frame: &mut Frame,
        io: &mut Io<S>,
    ) -> Result<(), Exit> {
        frame.pc = self.pc;
        frame.ergs = self.ergs;
        frame.stack.set_len(self.height);
        let pending = self.tally.take_native();
        io.charge_native(u64::from(pending))?;
        Ok(())
    }

    /// Reads the program counter, ergs and stack height back after the frame running `code`
    /// was changed in place (the program counter inside the code's bytes, see [`CodeView`]).
    #[inline(always)]
    pub(super) fn reload(&mut self, frame: &Frame, code: CodeView<'_>) {
        self.pc = code.bounded(frame.pc);
        self.ergs = frame.ergs;
        self.height = frame.stack.len();
    }
}
