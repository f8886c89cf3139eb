//! What instructions run with besides their frame and the IO — the environment, the loop's
//! registers, the running code — and how an instruction leaves the loop.

use super::frame::{Frame, FrameEnd, Halt, Request};
use crate::bytecode::JumpTable;
use crate::config::{FlowKind, Hardfork, ProtocolVersion};
use crate::env::{BlockEnv, TxEnv};
use crate::io::{Io, OutOfNative, StateSource};
use crate::resources::gas::StaticErgsTable;
use crate::resources::native::NativeCostTable;
use crate::resources::ErgsPerGas;

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
    /// static native (for `protocol_version`) per opcode.
    pub static_costs: StaticCosts,
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

/// Each opcode's static ergs and static native side by side, `[ergs, native]`, built once per
/// transaction: the loop reads both with one load from one table.
#[derive(Clone, Debug)]
pub struct StaticCosts {
    /// `[ergs, native]` per opcode byte.
    pairs: [[u32; 2]; 256],
    /// The unit of the ergs.
    unit: ErgsPerGas,
}

impl StaticCosts {
    /// The static ergs of `ergs` beside the static native of `native`.
    pub fn new(ergs: &StaticErgsTable, native: &NativeCostTable) -> Self {
        let mut pairs = [[0u32; 2]; 256];
        for ((pair, ergs), native) in pairs.iter_mut().zip(ergs.ergs).zip(native.opcode_native) {
            *pair = [ergs, native];
        }
        Self {
            pairs,
            unit: ergs.unit(),
        }
    }

    /// `[ergs, native]` of `opcode`.
    #[inline]
    pub(super) fn of(&self, opcode: u8) -> [u32; 2] {
        self.pairs[usize::from(opcode)]
    }
}

/// The running code as the loop reads it: padded bytes, jump destinations and the native table
/// (static native per opcode, memory expansion).
#[derive(Clone, Copy)]
pub(super) struct CodeView<'a> {
    /// The code followed by 33 zero bytes.
    pub(super) bytes: &'a [u8],
    /// Its jumpdest analysis.
    pub(super) jumps: &'a JumpTable,
    /// The native prices of the transaction's protocol version.
    pub(super) costs: &'a NativeCostTable,
    /// The static ergs and native of each opcode (the environment's).
    pub(super) static_costs: &'a StaticCosts,
}

/// The values every opcode touches, kept in locals (registers) while the hot opcodes run.
///
/// The program counter and the frame's ergs are written back to the frame, and the static native
/// summed in `native_pending` is charged to the IO, before anything else can read them: before a
/// cold opcode, before the tracer looks, and when the loop leaves. Deferring the native check is
/// exact: a hot opcode changes nothing outside its frame, and running out of native reverts the
/// whole transaction, so a shortfall found at the next settlement ends it as the check after the
/// opcode would have, with the same native spent (all of it).
pub(super) struct Registers {
    /// Program counter.
    pub(super) pc: usize,
    /// Ergs left in the frame.
    pub(super) ergs: u64,
    /// Static native charged since the last settlement.
    pub(super) native_pending: u32,
}

impl Registers {
    /// The registers of `frame`, with no native pending.
    #[inline(always)]
    pub(super) fn load(frame: &Frame) -> Self {
        Self {
            pc: frame.pc,
            ergs: frame.ergs,
            native_pending: 0,
        }
    }

    /// Writes the program counter and ergs back and charges the pending native.
    #[inline(always)]
    pub(super) fn sync<S: StateSource>(
        &mut self,
        frame: &mut Frame,
        io: &mut Io<S>,
    ) -> Result<(), Exit> {
        frame.pc = self.pc;
        frame.ergs = self.ergs;
        let pending = core::mem::take(&mut self.native_pending);
        io.charge_native(u64::from(pending))?;
        Ok(())
    }

    /// Reads the program counter and ergs back after the frame was changed in place.
    #[inline(always)]
    pub(super) fn reload(&mut self, frame: &Frame) {
        self.pc = frame.pc;
        self.ergs = frame.ergs;
    }
}
