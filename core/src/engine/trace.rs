//! Traces: a simulated request or an included transaction re-run with one collecting tracer.

use super::chain::Engine;
use super::error::EngineError;
use super::overrides::StateOverride;
use super::records::{StoredBlock, TxRecord};
use super::request::{BlockOverrides, TxRequest};
use super::runs::{RunTracer, Runs, TxRun, Unit};
use crate::bootloader::{DecodedTx, TxReceipt};
use crate::config::ProtocolVersion;
use crate::context::BlockContext;
use crate::ee::evm::CallKind;
use crate::ee::evm::NoopTracer;
use crate::io::{Io, StateSource};
use crate::primitives::{Address, Bytes, B256, U256};
use crate::resources::ERGS_PER_GAS;
use crate::trace::{
    halt_message, revert_reason, AccessCollector, CallFrame, CallTracer, CallTracerConfig,
    OpcodeStat, OpcodeStats, StepLogConfig, StepLogger, StepRecord, TraceBudget, TraceMeter,
    WORD_BYTES,
};
use crate::tx::Transaction;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

/// Options of the prestate tracer (geth's `prestateTracer`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrestateConfig {
    /// Report `{pre, post}` of what changed instead of every touched account.
    pub diff_mode: bool,
    /// Leave out code.
    pub disable_code: bool,
    /// Leave out storage.
    pub disable_storage: bool,
}

/// Which tracer to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TracerConfig {
    /// One record per opcode (geth `structLogs`, EIP-3155).
    Steps(StepLogConfig),
    /// The call tree (geth `callTracer`).
    Calls(CallTracerConfig),
    /// Touched accounts before (and after) the transaction (geth `prestateTracer`).
    Prestate(PrestateConfig),
    /// Count, ergs and native per opcode.
    OpcodeStats,
}

/// An account in a prestate trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrestateAccount {
    /// Balance (in diff mode's `post`: only when changed).
    pub balance: Option<U256>,
    /// Nonce (absent when zero, as geth leaves it out; in diff mode's `post`: only when changed).
    pub nonce: Option<u64>,
    /// Code (absent when empty, disabled, or unchanged in `post`).
    pub code: Option<Bytes>,
    /// Slots (non-zero values; in diff mode only changed slots).
    pub storage: BTreeMap<U256, U256>,
}

/// Result of the prestate tracer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prestate {
    /// Every touched account before the transaction.
    Pre(BTreeMap<Address, PrestateAccount>),
    /// What changed: before and after.
    Diff {
        /// Changed accounts before.
        pre: BTreeMap<Address, PrestateAccount>,
        /// Changed fields after (deleted accounts are absent).
        post: BTreeMap<Address, PrestateAccount>,
    },
}

/// What a tracer produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceOutput {
    /// Step records.
    Steps(Vec<StepRecord>),
    /// The transaction's call frame with its sub-calls.
    Calls(alloc::boxed::Box<CallFrame>),
    /// Touched accounts.
    Prestate(Prestate),
    /// Per-opcode totals.
    OpcodeStats(Vec<OpcodeStat>),
}

/// A trace and the outcome of the traced transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceResult {
    /// Whether the transaction succeeded.
    pub success: bool,
    /// Gas charged.
    pub gas_used: u64,
    /// Native used.
    pub native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// Return or revert data.
    pub output: Bytes,
    /// Why it failed, in geth's wording.
    pub error: Option<String>,
    /// The protocol version whose costs charged the run.
    pub protocol_version: ProtocolVersion,
    /// The tracer's data.
    pub output_trace: TraceOutput,
}

/// Where a traced transaction runs: the state version, overrides, block, earlier transactions.
#[derive(Clone)]
struct Replay {
    version: Option<u64>,
    overrides: Rc<StateOverride>,
    env: BlockContext,
    /// Whether the block's start (the flow's system calls) runs first: for a mined block's
    /// transactions, not for simulations.
    block_start: bool,
    prefix: Vec<DecodedTx>,
}

/// A tracer that turns into a [`TraceOutput`] once its transaction ran.
trait Collect: RunTracer + 'static {
    /// Whether what the tracer collected no longer fits its budget.
    fn over_budget(&self) -> bool;

    /// What the tracer collected about `tx`, which ended with `executed`, or a trace-limit
    /// error when it does not fit `budget`.
    fn output(
        self,
        tx: &DecodedTx,
        executed: &TxReceipt,
        budget: TraceBudget,
    ) -> Result<TraceOutput, EngineError>;
}

impl Collect for StepLogger {
    fn over_budget(&self) -> bool {
        StepLogger::over_budget(self)
    }

    fn output(
        self,
        _tx: &DecodedTx,
        _executed: &TxReceipt,
        _budget: TraceBudget,
    ) -> Result<TraceOutput, EngineError> {
        Ok(TraceOutput::Steps(self.into_steps()))
    }
}

impl Collect for CallTracer {
    fn over_budget(&self) -> bool {
        CallTracer::over_budget(self)
    }

    fn output(
        mut self,
        tx: &DecodedTx,
        executed: &TxReceipt,
        budget: TraceBudget,
    ) -> Result<TraceOutput, EngineError> {
        self.close();
        if CallTracer::over_budget(&self) {
            return Err(EngineError::TraceLimit(budget));
        }
        let root = top_frame(self.into_root(), &tx.tx, tx.sender, executed);
        Ok(TraceOutput::Calls(alloc::boxed::Box::new(root)))
    }
}

impl Collect for OpcodeStats {
    /// Opcode totals have a fixed size: never over a budget.
    fn over_budget(&self) -> bool {
        false
    }

    fn output(
        self,
        _tx: &DecodedTx,
        _executed: &TxReceipt,
        _budget: TraceBudget,
    ) -> Result<TraceOutput, EngineError> {
        Ok(TraceOutput::OpcodeStats(self.into_stats()))
    }
}

/// A transaction traced by `T`, within `budget`.
struct TraceUnit<T> {
    run: Option<TxRun<T>>,
    tx: DecodedTx,
    budget: TraceBudget,
}

impl<T: Collect> Unit for TraceUnit<T> {
    type Output = TraceResult;

    fn resume(&mut self, slice: u64) -> Result<TraceResult, EngineError> {
        let run = self.run.as_mut().ok_or(EngineError::SessionFinished)?;
        let executed = run.advance(slice)??;
        let run = self.run.take().ok_or(EngineError::SessionFinished)?;
        let version = run.protocol_version();
        let output = run.tracer.output(&self.tx, &executed, self.budget)?;
        Ok(trace_result(executed, output, version))
    }
}

/// A transaction traced by the prestate tracer: the run, then the state before it (the earlier
/// transactions run again on a fresh IO, reading only what the run already read).
struct PrestateUnit {
    run: TxRun<AccessCollector>,
    /// The earlier transactions on a fresh IO, once the run ended.
    pre: Option<TxRun<NoopTracer>>,
    executed: Option<TxReceipt>,
    config: PrestateConfig,
    budget: TraceBudget,
}

impl Unit for PrestateUnit {
    type Output = TraceResult;

    fn resume(&mut self, slice: u64) -> Result<TraceResult, EngineError> {
        let executed = match &self.executed {
            Some(executed) => executed.clone(),
            None => {
                let executed = self.run.advance(slice)??;
                self.executed = Some(executed.clone());
                executed
            }
        };
        let pre = self.pre.as_mut().ok_or(EngineError::SessionFinished)?;
        pre.run_all(slice)?;
        let mut pre_io = self.pre.take().ok_or(EngineError::SessionFinished)?.io;
        let tracer = &mut self.run.tracer;
        tracer.accounts.extend(executed.created);
        let mut meter = TraceMeter::new(self.budget);
        let prestate = prestate(
            tracer,
            &mut pre_io,
            &mut self.run.io,
            self.config,
            &mut meter,
        );
        if pre_io.unanswered() || self.run.io.unanswered() {
            return Err(EngineError::UnansweredRead);
        }
        let prestate = prestate.ok_or(EngineError::TraceLimit(self.budget))?;
        let version = self.run.protocol_version();
        Ok(trace_result(
            executed,
            TraceOutput::Prestate(prestate),
            version,
        ))
    }
}

fn trace_result(
    executed: TxReceipt,
    output_trace: TraceOutput,
    protocol_version: ProtocolVersion,
) -> TraceResult {
    TraceResult {
        success: executed.success,
        gas_used: executed.gas_used,
        native_used: executed.native_used,
        pubdata_used: executed.pubdata_used,
        error: error_of(&executed),
        output: executed.output,
        protocol_version,
        output_trace,
    }
}

/// The transactions block `block` ran before its included transaction `index`, in order:
/// the included ones and the ones it rejected.
fn ran_before(block: &StoredBlock, index: usize) -> Vec<DecodedTx> {
    let mut rejected = block
        .rejected_runs
        .iter()
        .take_while(|run| run.included_before <= index)
        .peekable();
    let mut prefix = Vec::new();
    for (position, record) in block.txs.iter().take(index).enumerate() {
        while let Some(run) = rejected.next_if(|run| run.included_before == position) {
            prefix.push(run.tx.clone());
        }
        prefix.push(as_decoded(record));
    }
    prefix.extend(rejected.map(|run| run.tx.clone()));
    prefix
}

/// An included transaction as the bootloader ran it.
fn as_decoded(record: &TxRecord) -> DecodedTx {
    DecodedTx {
        tx: record.tx.clone(),
        sender: record.from,
        hash: record.hash,
        simulated: record.simulated,
        // Every included transaction had its nonce checked (the replay runs its predecessors).
        skip_nonce: false,
        skip_gas_cap: false,
        // An impersonated sender may have had code, as in its block.
        skip_sender_code: record.simulated,
    }
}

fn error_of(executed: &TxReceipt) -> Option<String> {
    match (&executed.halt, executed.success) {
        (Some(halt), _) => Some(halt_message(halt)),
        (None, false) => Some(String::from("execution reverted")),
        (None, true) => None,
    }
}

impl Engine {
    /// Traces `request` simulated on the head state (as [`Engine::call`]), keeping at most
    /// what `budget` allows (beyond it: [`EngineError::TraceLimit`]).
    pub fn trace_call(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        self.trace_call_at(request, overrides, (block, None), config, budget)
    }

    /// [`Engine::trace_call`] on the state at block `at`, in block `at`'s own context (`None`:
    /// the head's state in the next block); fails for a block outside the history window.
    pub fn trace_call_at(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        (block, at): (Option<&BlockOverrides>, Option<u64>),
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        let overrides = Rc::new(overrides.clone());
        self.drive(|runs| {
            self.trace_call_in(runs, request, &overrides, (block, at), config, budget)
        })
    }

    /// [`Engine::trace_call_at`] as an operation over `runs`.
    pub(super) fn trace_call_in(
        &self,
        runs: &mut Runs,
        request: &TxRequest,
        overrides: &Rc<StateOverride>,
        (block, at): (Option<&BlockOverrides>, Option<u64>),
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let simulation = self.simulation(request, overrides, (at, &block), None)?;
        let replay = Replay {
            version: simulation.version,
            overrides: overrides.clone(),
            env: simulation.env.clone(),
            block_start: false,
            prefix: Vec::new(),
        };
        self.trace_in(runs, &replay, simulation.decoded(), config, budget)
    }

    /// Traces an included transaction by re-running its block up to it, keeping at most what
    /// `budget` allows. Works for the blocks of the history window
    /// ([`Engine::history_blocks`]).
    pub fn trace_transaction(
        &self,
        hash: &B256,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        self.drive(|runs| self.trace_transaction_in(runs, hash, config, budget))
    }

    /// [`Engine::trace_transaction`] as an operation over `runs`.
    pub(super) fn trace_transaction_in(
        &self,
        runs: &mut Runs,
        hash: &B256,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        let record = self
            .get_transaction(hash)
            .ok_or(EngineError::UnknownTransaction)?;
        let (pre_version, block) = self
            .replay_point(record.block_number)
            .ok_or(EngineError::HistoryUnavailable)?;
        let index = usize::try_from(record.index).unwrap_or(usize::MAX);
        let replay = Replay {
            version: Some(pre_version),
            overrides: Rc::default(),
            env: self.context_of(&block.header),
            block_start: true,
            prefix: ran_before(block, index),
        };
        self.trace_in(runs, &replay, as_decoded(record), config, budget)
    }

    /// `tx` after the replay's earlier transactions, traced by `tracer`.
    fn replay_run<T: RunTracer>(
        &self,
        replay: &Replay,
        tx: DecodedTx,
        tracer: T,
    ) -> Result<TxRun<T>, EngineError> {
        let run = TxRun::new(
            self.io(self.source(replay.version, replay.overrides.clone())?),
            self.flow,
            replay.env.clone(),
            replay.prefix.clone(),
            tx,
            tracer,
        );
        Ok(if replay.block_start {
            run.after_block_start(self.blob_schedule_at(replay.env.timestamp).max_blob_gas())
        } else {
            run
        })
    }

    fn trace_unit<T: Collect>(
        &self,
        replay: &Replay,
        tx: &DecodedTx,
        tracer: T,
        budget: TraceBudget,
    ) -> Result<TraceUnit<T>, EngineError> {
        let run = self
            .replay_run(replay, tx.clone(), tracer)?
            .within(budget, <T as Collect>::over_budget);
        Ok(TraceUnit {
            run: Some(run),
            tx: tx.clone(),
            budget,
        })
    }

    fn trace_in(
        &self,
        runs: &mut Runs,
        replay: &Replay,
        decoded: DecodedTx,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        match config {
            TracerConfig::Steps(c) => {
                runs.run(|| self.trace_unit(replay, &decoded, StepLogger::new(c, budget), budget))
            }
            TracerConfig::Calls(c) => {
                runs.run(|| self.trace_unit(replay, &decoded, CallTracer::new(c, budget), budget))
            }
            TracerConfig::OpcodeStats => {
                runs.run(|| self.trace_unit(replay, &decoded, OpcodeStats::default(), budget))
            }
            TracerConfig::Prestate(prestate_config) => runs.run(|| {
                let mut tracer = AccessCollector::default();
                tracer.accounts.insert(decoded.sender);
                tracer.accounts.extend(decoded.tx.to);
                tracer.accounts.insert(replay.env.coinbase);
                let run = self.replay_run(replay, decoded.clone(), tracer)?;
                let pre = match replay.prefix.split_last() {
                    Some((last, before)) => {
                        let mut pre_replay = replay.clone();
                        pre_replay.prefix = before.to_vec();
                        self.replay_run(&pre_replay, last.clone(), NoopTracer)?
                    }
                    // No earlier transaction: the pre-state is the source itself (after the
                    // block's start), read through a run that has nothing else to do.
                    None => {
                        let idle = TxRun::idle(
                            self.io(self.source(replay.version, replay.overrides.clone())?),
                            self.flow,
                            replay.env.clone(),
                        );
                        if replay.block_start {
                            idle.after_block_start(
                                self.blob_schedule_at(replay.env.timestamp).max_blob_gas(),
                            )
                        } else {
                            idle
                        }
                    }
                };
                Ok(PrestateUnit {
                    run,
                    pre: Some(pre),
                    executed: None,
                    config: prestate_config,
                    budget,
                })
            }),
        }
    }
}

/// The transaction's frame with the transaction's own figures (geth reports the gas limit and
/// the receipt's gas used at the top); built from the transaction when no code ran (a transfer,
/// a system hook), its ergs then the gas limit and the gas used in ergs.
fn top_frame(
    root: Option<CallFrame>,
    tx: &Transaction,
    from: Address,
    executed: &TxReceipt,
) -> CallFrame {
    let mut frame = root.unwrap_or_else(|| CallFrame {
        kind: if tx.is_create() {
            CallKind::Create
        } else {
            CallKind::Call
        },
        from,
        to: tx.to.or(executed.created).unwrap_or_default(),
        value: Some(tx.value),
        gas: 0,
        gas_used: 0,
        ergs: tx.gas_limit.saturating_mul(ERGS_PER_GAS),
        ergs_used: executed.gas_used.saturating_mul(ERGS_PER_GAS),
        native_used: 0,
        input: tx.data.clone(),
        output: Bytes::new(),
        error: None,
        revert_reason: None,
        calls: Vec::new(),
        logs: Vec::new(),
    });
    frame.gas = tx.gas_limit;
    frame.gas_used = executed.gas_used;
    frame.native_used = executed.native_used;
    if !tx.is_create() {
        frame.output = executed.output.clone();
    }
    frame.error = error_of(executed);
    frame.revert_reason = if executed.success || executed.halt.is_some() {
        None
    } else {
        revert_reason(&executed.output)
    };
    frame
}

/// An account's fields as an IO holds them, `None` when it does not exist.
fn account_of<S: StateSource>(
    io: &mut Io<S>,
    address: &Address,
    config: PrestateConfig,
) -> Option<PrestateAccount> {
    let account = io.account(address);
    if !account.exists {
        return None;
    }
    let code = (!config.disable_code && !account.code.is_empty())
        .then(|| Bytes::copy_from_slice(account.code.bytes()));
    Some(PrestateAccount {
        balance: Some(account.balance),
        // A zero nonce is left out, as geth's prestateTracer does (`nonce,omitempty` in
        // eth/tracers/native/prestate.go).
        nonce: (account.nonce != 0).then_some(account.nonce),
        code,
        storage: BTreeMap::new(),
    })
}

/// Counts an account of a prestate trace and its slots; `false` when they do not fit.
fn metered(meter: &mut TraceMeter, account: &PrestateAccount) -> bool {
    let code = account.code.as_ref().map_or(0, |c| c.len() as u64);
    meter.record(code) && account.storage.iter().all(|_| meter.record(2 * WORD_BYTES))
}

/// The prestate of `touched`, or `None` when it does not fit `meter`.
fn prestate<S: StateSource, P: StateSource>(
    touched: &AccessCollector,
    pre: &mut Io<S>,
    post: &mut Io<P>,
    config: PrestateConfig,
    meter: &mut TraceMeter,
) -> Option<Prestate> {
    let slot = |io: &mut Io<S>, a: &Address, k: &U256| io.peek_slot(a, k).1;
    if !config.diff_mode {
        let mut accounts = BTreeMap::new();
        for address in &touched.accounts {
            let mut account = account_of(pre, address, config).unwrap_or_default();
            account.balance.get_or_insert(U256::ZERO);
            if !config.disable_storage {
                for (a, key) in touched.slots.iter().filter(|(a, _)| a == address) {
                    let value = slot(pre, a, key);
                    if !value.is_zero() {
                        account.storage.insert(*key, value);
                    }
                }
            }
            if !metered(meter, &account) {
                return None;
            }
            accounts.insert(*address, account);
        }
        return Some(Prestate::Pre(accounts));
    }
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    for address in &touched.accounts {
        let old = account_of(pre, address, config);
        let new = account_of(post, address, config);
        let mut changed_slots = Vec::new();
        if !config.disable_storage {
            for (a, key) in touched.slots.iter().filter(|(a, _)| a == address) {
                let (o, n) = (slot(pre, a, key), post.peek_slot(a, key).1);
                if o != n {
                    changed_slots.push((*key, o, n));
                }
            }
        }
        if old == new && changed_slots.is_empty() {
            continue;
        }
        if let Some(mut account) = old.clone() {
            for (key, o, _) in &changed_slots {
                if !o.is_zero() {
                    account.storage.insert(*key, *o);
                }
            }
            if !metered(meter, &account) {
                return None;
            }
            before.insert(*address, account);
        }
        if let Some(new) = new {
            let old = old.unwrap_or_default();
            let mut account = PrestateAccount {
                balance: (new.balance != old.balance)
                    .then_some(new.balance)
                    .flatten(),
                nonce: (new.nonce != old.nonce).then_some(new.nonce).flatten(),
                code: (new.code != old.code).then_some(new.code).flatten(),
                storage: BTreeMap::new(),
            };
            for (key, _, n) in &changed_slots {
                if !n.is_zero() {
                    account.storage.insert(*key, *n);
                }
            }
            if !metered(meter, &account) {
                return None;
            }
            after.insert(*address, account);
        }
    }
    Some(Prestate::Diff {
        pre: before,
        post: after,
    })
}
