//! Stepping sessions: one simulated transaction run through the bootloader's phases and the
//! EVM opcode by opcode, with the machine state read on request.

use super::block::BlockOverrides;
use super::call::{CallRequest, CallResult};
use super::error::EngineError;
use super::exec::start;
use super::state::{Snapshot, StateOverride};
use super::Engine;
use crate::bootloader::TxReceipt;
use crate::bootloader::{BlockContext, TxExecution, TxPhase};
use crate::config::ChainConfig;
use crate::ee::evm::{CallKind, Frame};
use crate::io::Io;
use crate::primitives::{Address, Bytes, U256};
use crate::resources::ERGS_PER_GAS;
use crate::trace::Tracer;
use crate::tx::intrinsic::intrinsic_gas;
use crate::tx::Transaction;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

/// Where [`Session::continue_until`] stops. Every set field must match; an empty breakpoint
/// stops at the next phase change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breakpoint {
    /// Program counter of the next opcode.
    pub pc: Option<u64>,
    /// The next opcode.
    pub opcode: Option<u8>,
    /// The phase.
    pub phase: Option<TxPhase>,
    /// Call depth (0 for the transaction's frame).
    pub depth: Option<u64>,
}

/// One live EVM frame, outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameView {
    /// Depth (0 for the transaction's frame).
    pub depth: u64,
    /// How it was entered.
    pub kind: CallKind,
    /// `ADDRESS`.
    pub address: Address,
    /// Whose code runs.
    pub code_address: Address,
    /// `CALLER`.
    pub caller: Address,
    /// `CALLVALUE`.
    pub value: U256,
    /// Calldata.
    pub input: Bytes,
    /// Program counter of the next opcode.
    pub pc: u64,
    /// The next opcode (0 = `STOP` past the end of the code).
    pub opcode: u8,
    /// Ergs left.
    pub ergs: u64,
    /// Gas left (`ergs / 256`).
    pub gas: u64,
    /// Refund counter.
    pub refund: i64,
    /// Whether state changes are forbidden.
    pub is_static: bool,
    /// Stack depth.
    pub stack_len: u64,
    /// Memory size in bytes.
    pub memory_len: u64,
}

/// A storage slot the transaction touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotView {
    /// Contract.
    pub address: Address,
    /// Slot.
    pub key: U256,
    /// Value when the transaction started.
    pub original: U256,
    /// Value now.
    pub current: U256,
}

/// Storage the transaction touched so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StorageView {
    /// Persistent slots read or written, with their value at the start and now.
    pub persistent: Vec<SlotView>,
    /// Transient slots written, with the last value written (not undone by a revert).
    pub transient: Vec<(Address, U256, U256)>,
}

/// Costs so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Costs {
    /// Intrinsic gas, charged by the fee charge.
    pub intrinsic_gas: u64,
    /// Intrinsic native (ZKsync OS flow; 0 in the Ethereum flow).
    pub intrinsic_native: u64,
    /// Ergs used by EVM execution so far.
    pub execution_ergs: u64,
    /// Native used by EVM execution so far.
    pub execution_native: u64,
    /// EVM steps run.
    pub steps: u64,
    /// Gas charged in total (after the transaction finished).
    pub gas_used: Option<u64>,
    /// Native used in total (after the transaction finished).
    pub native_used: Option<u64>,
    /// Pubdata bytes (after the pubdata phase).
    pub pubdata_used: Option<u64>,
    /// Gas given back by the refund counter (after the refund phase).
    pub gas_refunded: Option<u64>,
}

/// What a step request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// Steps taken (EVM opcodes, and one per bootloader phase transition).
    pub steps: u64,
    /// The phase now.
    pub phase: TxPhase,
    /// Whether the transaction has finished.
    pub finished: bool,
}

/// Records the slots a session touched.
#[derive(Debug, Default)]
struct Touched {
    slots: BTreeSet<(Address, U256)>,
    transient: BTreeMap<(Address, U256), U256>,
}

impl Tracer for Touched {
    fn storage_read(&mut self, address: &Address, key: &U256, _value: &U256, transient: bool) {
        if !transient {
            self.slots.insert((*address, *key));
        }
    }

    fn storage_write(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        if transient {
            self.transient.insert((*address, *key), *value);
        } else {
            self.slots.insert((*address, *key));
        }
    }
}

/// A transaction being stepped.
pub struct Session {
    io: Io<Snapshot>,
    config: ChainConfig,
    context: BlockContext,
    tx: Transaction,
    from: Address,
    execution: Option<TxExecution>,
    phase: TxPhase,
    touched: Touched,
    steps: u64,
    initial_ergs: Option<u64>,
    result: Option<TxReceipt>,
    invalid: Option<EngineError>,
}

fn view(frame: &Frame) -> FrameView {
    FrameView {
        depth: frame.depth as u64,
        kind: frame.kind,
        address: frame.address,
        code_address: frame.code_address,
        caller: frame.caller,
        value: frame.value,
        input: frame.input.clone(),
        pc: frame.pc as u64,
        opcode: frame.code.padded().get(frame.pc).copied().unwrap_or(0),
        ergs: frame.ergs,
        gas: frame.ergs / ERGS_PER_GAS,
        refund: frame.refund,
        is_static: frame.is_static,
        stack_len: frame.stack.len() as u64,
        memory_len: frame.memory.len() as u64,
    }
}

impl Engine {
    /// Opens a stepping session for `request` simulated on the head state (as
    /// [`Engine::call`]); nothing runs until [`Session::step`].
    pub fn session(
        &self,
        request: &CallRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
    ) -> Result<Session, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let simulation = self.simulation(request, overrides, &block, None)?;
        let snapshot = Snapshot::new(self.state.clone(), overrides.clone());
        Ok(Session {
            io: Io::new(snapshot, self.costs.clone()),
            config: self.config,
            context: simulation.env,
            tx: simulation.tx,
            from: simulation.from,
            execution: None,
            phase: TxPhase::Validation,
            touched: Touched::default(),
            steps: 0,
            initial_ergs: None,
            result: None,
            invalid: None,
        })
    }
}

impl Session {
    /// The phase the transaction is in.
    pub fn phase(&self) -> TxPhase {
        self.phase
    }

    /// Whether the transaction has finished (or was found invalid).
    pub fn finished(&self) -> bool {
        self.phase == TxPhase::Finished
    }

    /// Takes one step: validation, the fee charge, one opcode at a time, the pubdata charge,
    /// then the refund and fees (which finish the transaction).
    fn step_once(&mut self) -> Result<(), EngineError> {
        if self.phase == TxPhase::Validation {
            match start(
                &mut self.io,
                &self.config,
                &self.context,
                &self.tx,
                self.from,
                true,
            ) {
                Ok(execution) => {
                    self.phase = execution.phase();
                    self.execution = Some(execution);
                }
                Err(reason) => {
                    self.invalid = Some(EngineError::from(reason));
                    self.phase = TxPhase::Finished;
                }
            }
            return Ok(());
        }
        let Some(execution) = self.execution.as_mut() else {
            return Err(EngineError::SessionFinished);
        };
        match self.phase {
            TxPhase::Execution => {
                execution.run(&mut self.io, &mut self.touched, 1);
                self.steps += 1;
            }
            TxPhase::FeeCharge => {
                execution.advance(&mut self.io);
                // A zero budget enters the top-level frame without running an opcode, so its
                // first opcode can be inspected.
                execution.run(&mut self.io, &mut self.touched, 0);
                self.initial_ergs = execution
                    .runner()
                    .and_then(|r| r.frames().first())
                    .map(|f| f.ergs);
            }
            _ => {
                execution.advance(&mut self.io);
            }
        }
        self.phase = execution.phase();
        if self.phase == TxPhase::Finished {
            if let Some(execution) = self.execution.take() {
                self.result = Some(execution.finish(&mut self.io));
            }
        }
        Ok(())
    }

    /// Takes up to `n` steps; stops early when the transaction finishes.
    pub fn step(&mut self, n: u64) -> Result<StepReport, EngineError> {
        if self.finished() {
            return Err(EngineError::SessionFinished);
        }
        let mut taken = 0;
        while taken < n && !self.finished() {
            self.step_once()?;
            taken += 1;
        }
        Ok(self.report(taken))
    }

    /// Steps until the next opcode, depth and phase match `at` (checked after every step), the
    /// transaction finishes, or `max_steps` were taken.
    pub fn continue_until(
        &mut self,
        at: &Breakpoint,
        max_steps: u64,
    ) -> Result<StepReport, EngineError> {
        if self.finished() {
            return Err(EngineError::SessionFinished);
        }
        let start_phase = self.phase;
        let mut taken = 0;
        while taken < max_steps && !self.finished() {
            self.step_once()?;
            taken += 1;
            if self.matches(at, start_phase) {
                break;
            }
        }
        Ok(self.report(taken))
    }

    fn matches(&self, at: &Breakpoint, start_phase: TxPhase) -> bool {
        let empty =
            at.pc.is_none() && at.opcode.is_none() && at.phase.is_none() && at.depth.is_none();
        if empty {
            return self.phase != start_phase;
        }
        if at.phase.is_some_and(|p| p != self.phase) {
            return false;
        }
        let needs_frame = at.pc.is_some() || at.opcode.is_some() || at.depth.is_some();
        if !needs_frame {
            return true;
        }
        let Some(top) = self.frames().pop() else {
            return false;
        };
        at.pc.is_none_or(|pc| pc == top.pc)
            && at.opcode.is_none_or(|op| op == top.opcode)
            && at.depth.is_none_or(|d| d == top.depth)
    }

    fn report(&self, steps: u64) -> StepReport {
        StepReport {
            steps,
            phase: self.phase,
            finished: self.finished(),
        }
    }

    fn live_frames(&self) -> &[Frame] {
        self.execution
            .as_ref()
            .and_then(|e| e.runner())
            .map(|r| r.frames())
            .unwrap_or_default()
    }

    /// The live frames, outermost first.
    pub fn frames(&self) -> Vec<FrameView> {
        self.live_frames().iter().map(view).collect()
    }

    /// Stack of the innermost frame, bottom first (empty outside execution).
    pub fn stack(&self) -> Vec<U256> {
        self.live_frames()
            .last()
            .map(|f| f.stack.as_slice().to_vec())
            .unwrap_or_default()
    }

    /// Memory of the innermost frame.
    pub fn memory(&self) -> Bytes {
        self.live_frames()
            .last()
            .map(|f| Bytes::copy_from_slice(f.memory.as_slice()))
            .unwrap_or_default()
    }

    /// Return data of the innermost frame's last call.
    pub fn return_data(&self) -> Bytes {
        self.live_frames()
            .last()
            .map(|f| f.return_data.clone())
            .unwrap_or_default()
    }

    /// Storage the transaction touched so far.
    pub fn storage(&mut self) -> StorageView {
        let persistent = self
            .touched
            .slots
            .iter()
            .map(|(address, key)| {
                let (original, current, _warm) = self.io.peek_slot(address, key);
                SlotView {
                    address: *address,
                    key: *key,
                    original,
                    current,
                }
            })
            .collect();
        StorageView {
            persistent,
            transient: self
                .touched
                .transient
                .iter()
                .map(|((a, k), v)| (*a, *k, *v))
                .collect(),
        }
    }

    /// Costs so far.
    pub fn costs(&self) -> Costs {
        let intrinsic = intrinsic_gas(&self.tx, self.config.hardfork).gas;
        let intrinsic_native = self
            .execution
            .as_ref()
            .and_then(|e| e.native_budget())
            .map(|b| b.intrinsic_native)
            .unwrap_or(0);
        let held: u64 = self.live_frames().iter().map(|f| f.ergs).sum();
        let execution_ergs = match (self.initial_ergs, self.phase) {
            (Some(initial), TxPhase::Execution) => initial.saturating_sub(held),
            _ => 0,
        };
        Costs {
            intrinsic_gas: if matches!(self.phase, TxPhase::Validation | TxPhase::FeeCharge) {
                0
            } else {
                intrinsic
            },
            intrinsic_native,
            execution_ergs,
            execution_native: if self.execution.is_some() {
                self.io.native_used()
            } else {
                0
            },
            steps: self.steps,
            gas_used: self.result.as_ref().map(|r| r.gas_used),
            native_used: self.result.as_ref().map(|r| r.native_used),
            pubdata_used: self
                .result
                .as_ref()
                .map(|r| r.pubdata_used)
                .or_else(|| self.execution.as_ref().and_then(|e| e.pubdata_used())),
            gas_refunded: self.result.as_ref().map(|r| r.gas_refunded),
        }
    }

    /// The outcome once finished: the call result, or why the transaction was invalid.
    pub fn result(&self) -> Option<Result<CallResult, EngineError>> {
        if let Some(invalid) = &self.invalid {
            return Some(Err(invalid.clone()));
        }
        self.result.clone().map(|r| Ok(CallResult::from(r)))
    }
}
