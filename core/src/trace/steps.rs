//! The step logger: one record per executed opcode, the data behind geth's `structLogs` and
//! EIP-3155 lines, extended with ergs and native per step.

use super::budget::{words_bytes, TraceBudget, TraceMeter};
use super::words::{halt_message, stack_word};
use crate::bytecode::opcode;
use crate::ee::evm::Tracer;
use crate::ee::evm::{Frame, FrameEnd};
use crate::primitives::{Address, Bytes, U256};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// What each step record holds besides the always-present fields (geth's logger options).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepLogConfig {
    /// Leave out the stack.
    pub disable_stack: bool,
    /// Include memory (geth `enableMemory`).
    pub enable_memory: bool,
    /// Leave out storage at `SLOAD`/`SSTORE`.
    pub disable_storage: bool,
    /// Include the return data of the last call.
    pub enable_return_data: bool,
    /// Keep at most this many records and end the trace there without an error, as geth's
    /// `limit` (0: no such limit; the trace budget still applies).
    pub limit: usize,
}

/// One executed opcode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    /// Program counter.
    pub pc: u64,
    /// Opcode.
    pub op: u8,
    /// Gas left before the opcode.
    pub gas: u64,
    /// Gas the opcode cost (for calls and creates: including the gas handed to the callee).
    pub gas_cost: u64,
    /// Ergs left before the opcode (gas × 256 in either flow, saturating).
    pub ergs: u64,
    /// Ergs the opcode cost (gas × 256 in either flow).
    pub ergs_cost: u64,
    /// Native used by the transaction before the opcode.
    pub native: u64,
    /// Native the opcode cost.
    pub native_cost: u64,
    /// Call depth, 1 for the transaction's frame (geth convention).
    pub depth: u64,
    /// Refund counter of the transaction so far.
    pub refund: u64,
    /// Memory size in bytes before the opcode.
    pub mem_size: u64,
    /// Stack before the opcode, bottom first (unless disabled).
    pub stack: Option<Vec<U256>>,
    /// Memory before the opcode (when enabled).
    pub memory: Option<Bytes>,
    /// Return data of the frame's last call (when enabled).
    pub return_data: Option<Bytes>,
    /// The executing contract's storage seen so far, at `SLOAD`/`SSTORE` (unless disabled).
    pub storage: Option<Vec<(U256, U256)>>,
    /// The halt this opcode caused, in geth's wording.
    pub error: Option<String>,
}

/// Collects a [`StepRecord`] per opcode, within a [`TraceBudget`].
#[derive(Debug, Default)]
pub struct StepLogger {
    config: StepLogConfig,
    meter: TraceMeter,
    steps: Vec<StepRecord>,
    /// Refund counters of the live frames, outermost first.
    refunds: Vec<i64>,
    /// Storage seen per contract (geth keeps it per address for the whole transaction).
    storage: BTreeMap<Address, BTreeMap<U256, U256>>,
    /// Whether the last record belongs to an opcode whose after-hook has not run yet.
    open: bool,
    /// The frame's ergs before the last recorded opcode, in the frame's unit.
    ergs_before: u64,
}

impl StepLogger {
    /// A logger with `config` that keeps at most what `budget` allows.
    pub fn new(config: StepLogConfig, budget: TraceBudget) -> Self {
        Self {
            config,
            meter: TraceMeter::new(budget),
            ..Self::default()
        }
    }

    /// The records, in execution order.
    pub fn into_steps(self) -> Vec<StepRecord> {
        self.steps
    }

    /// Whether a record did not fit the budget (the records are incomplete).
    pub fn over_budget(&self) -> bool {
        self.meter.exceeded()
    }

    fn full(&self) -> bool {
        self.config.limit != 0 && self.steps.len() >= self.config.limit
    }

    fn snapshot(&mut self, address: &Address) {
        if self.config.disable_storage || !self.open {
            return;
        }
        let Some(seen) = self.storage.get(address) else {
            return;
        };
        if !self.meter.extend(words_bytes(seen.len().saturating_mul(2))) {
            return;
        }
        let seen = seen.iter().map(|(k, v)| (*k, *v)).collect();
        if let Some(last) = self.steps.last_mut() {
            last.storage = Some(seen);
        }
    }
}

impl Tracer for StepLogger {
    const STEPS: bool = true;

    fn before_step(&mut self, frame: &Frame, op: u8, native_used: u64) {
        self.refunds.truncate(frame.depth + 1);
        self.refunds.resize(frame.depth + 1, 0);
        if let Some(r) = self.refunds.get_mut(frame.depth) {
            *r = frame.refund;
        }
        let captured = (if self.config.disable_stack {
            0
        } else {
            words_bytes(frame.stack.len())
        })
        .saturating_add(if self.config.enable_memory {
            frame.memory.len() as u64
        } else {
            0
        })
        .saturating_add(if self.config.enable_return_data {
            frame.return_data.len() as u64
        } else {
            0
        });
        if self.full() || !self.meter.record(captured) {
            self.open = false;
            return;
        }
        let refund: i64 = self.refunds.iter().sum();
        self.steps.push(StepRecord {
            pc: frame.pc as u64,
            op,
            gas: frame.gas_left(),
            gas_cost: 0,
            ergs: frame.ergs_per_gas.zk_ergs(frame.ergs),
            ergs_cost: 0,
            native: native_used,
            native_cost: 0,
            depth: frame.depth as u64 + 1,
            refund: refund.max(0) as u64,
            mem_size: frame.memory.len() as u64,
            stack: (!self.config.disable_stack).then(|| frame.stack.as_slice().to_vec()),
            memory: self
                .config
                .enable_memory
                .then(|| Bytes::copy_from_slice(frame.memory.as_slice())),
            return_data: self
                .config
                .enable_return_data
                .then(|| frame.return_data.clone()),
            storage: None,
            error: None,
        });
        self.open = true;
        self.ergs_before = frame.ergs;
        if op == opcode::SSTORE {
            if let (Some(key), Some(value)) = (stack_word(frame, 0), stack_word(frame, 1)) {
                self.storage
                    .entry(frame.address)
                    .or_default()
                    .insert(key, value);
                self.snapshot(&frame.address);
            }
        }
    }

    fn after_step(&mut self, frame: &Frame, _op: u8, native_used: u64) {
        if !self.open {
            return;
        }
        self.open = false;
        if let Some(last) = self.steps.last_mut() {
            let cost = self.ergs_before.saturating_sub(frame.ergs);
            last.ergs_cost = frame.ergs_per_gas.zk_ergs(cost);
            last.gas_cost = frame.ergs_per_gas.gas_rounding_up(cost);
            last.native_cost = native_used.saturating_sub(last.native);
        }
    }

    fn storage_read(&mut self, address: &Address, key: &U256, value: &U256, transient: bool) {
        if transient {
            return;
        }
        self.storage
            .entry(*address)
            .or_default()
            .insert(*key, *value);
        self.snapshot(address);
    }

    fn frame_exit(&mut self, depth: usize, end: &FrameEnd, _ergs_left: u64) {
        if let FrameEnd::Halt(halt) = end {
            if let Some(last) = self.steps.last_mut() {
                if last.depth == depth as u64 + 1 && last.error.is_none() {
                    last.error = Some(halt_message(halt));
                }
            }
        }
    }
}
