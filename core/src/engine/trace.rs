//! Traces: a simulated request or an included transaction re-run with one collecting tracer.

use super::chain::Engine;
use super::chain_state::ChainState;
use super::error::EngineError;
use super::exec::{execute, execute_within};
use super::overrides::{Source, StateOverride};
use super::records::TxRecord;
use super::request::{BlockOverrides, TxRequest};
use crate::bootloader::{DecodedTx, Flow, TxReceipt};
use crate::context::BlockContext;
use crate::ee::evm::CallKind;
use crate::ee::evm::{NoopTracer, Tracer};
use crate::io::{Io, StateSource};
use crate::primitives::{Address, Bytes, B256, U256};
use crate::trace::{
    halt_message, revert_reason, AccessCollector, Budgeted, CallFrame, CallTracer,
    CallTracerConfig, Erased, OpcodeStat, OpcodeStats, StepLogConfig, StepLogger, StepRecord,
    TraceBudget, TraceMeter, WORD_BYTES,
};
use crate::tx::Transaction;
use alloc::collections::BTreeMap;
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
    /// Nonce (in diff mode's `post`: only when changed).
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
    /// The tracer's data.
    pub output_trace: TraceOutput,
}

/// Where a traced transaction runs: the base state, block, earlier transactions, overrides.
struct Replay<'a> {
    base: &'a ChainState,
    overrides: &'a StateOverride,
    env: BlockContext,
    /// Whether the block's start (the flow's system calls) runs first: for a mined block's
    /// transactions, not for simulations.
    block_start: bool,
    prefix: &'a [TxRecord],
}

impl Replay<'_> {
    /// An IO over the base state with the block start and the earlier transactions applied.
    fn io(&self, engine: &Engine) -> Io<Source<'_>> {
        let mut io = engine.io(self.base.source(self.overrides));
        if self.block_start {
            engine.flow.start_block(&mut io, &self.env);
        }
        for record in self.prefix {
            // Included transactions were valid in this position when the block was produced.
            let _ = execute(
                &mut io,
                &engine.flow,
                &self.env,
                as_decoded(record),
                &mut NoopTracer,
            );
        }
        io
    }

    /// Runs `tx` traced; a trace-limit error as soon as `over_budget` says the tracer's
    /// budget ran out.
    fn run<T: Tracer>(
        &self,
        engine: &Engine,
        tx: DecodedTx,
        tracer: &mut T,
        budget: TraceBudget,
        over_budget: fn(&T) -> bool,
    ) -> Result<(Io<Source<'_>>, TxReceipt), EngineError> {
        let mut io = self.io(engine);
        let mut budgeted = Budgeted::new(tracer, over_budget);
        let tracer = &mut Erased::budgeted(&mut budgeted);
        let executed = execute_within(
            &mut io,
            &engine.flow,
            &self.env,
            tx,
            tracer,
            Erased::over_budget,
        )?;
        if io.curves_refused() {
            return Err(EngineError::CurvesNotLoaded);
        }
        let executed = executed.ok_or(EngineError::TraceLimit(budget))?;
        Ok((io, executed))
    }
}

/// The budget check of a tracer that needs none: opcode totals have a fixed size and the
/// access sets grow only with paid-for cold accesses (the prestate's output is metered as it
/// is built).
fn unbounded<T>(_: &T) -> bool {
    false
}

/// An included transaction as the bootloader ran it.
fn as_decoded(record: &TxRecord) -> DecodedTx {
    DecodedTx {
        tx: record.tx.clone(),
        sender: record.from,
        hash: record.hash,
        simulated: record.simulated,
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
        let block = block.cloned().unwrap_or_default();
        let simulation = self.simulation(request, overrides, &block, None)?;
        let replay = Replay {
            base: &self.state,
            overrides,
            env: simulation.env.clone(),
            block_start: false,
            prefix: &[],
        };
        self.trace_in(&replay, simulation.decoded(), config, budget)
    }

    /// Traces an included transaction by re-running its block up to it, keeping at most what
    /// `budget` allows. Works for the last
    /// [`TRACE_HISTORY_BLOCKS`](super::TRACE_HISTORY_BLOCKS) blocks.
    pub fn trace_transaction(
        &self,
        hash: &B256,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        let record = self
            .get_transaction(hash)
            .ok_or(EngineError::UnknownTransaction)?;
        let (pre_state, block) = self
            .replay_point(record.block_number)
            .ok_or(EngineError::HistoryUnavailable)?;
        let index = usize::try_from(record.index).unwrap_or(usize::MAX);
        let no_overrides = StateOverride::new();
        let replay = Replay {
            base: pre_state,
            overrides: &no_overrides,
            env: self.context_of(&block.header),
            block_start: true,
            prefix: block.txs.get(..index).unwrap_or_default(),
        };
        self.trace_in(&replay, as_decoded(record), config, budget)
    }

    fn trace_in(
        &self,
        replay: &Replay<'_>,
        decoded: DecodedTx,
        config: TracerConfig,
        budget: TraceBudget,
    ) -> Result<TraceResult, EngineError> {
        let (tx, from) = (&decoded.tx, decoded.sender);
        let (executed, output_trace) = match config {
            TracerConfig::Steps(step_config) => {
                let mut tracer = StepLogger::new(step_config, budget);
                let (_, executed) = replay.run(
                    self,
                    decoded.clone(),
                    &mut tracer,
                    budget,
                    StepLogger::over_budget,
                )?;
                (executed, TraceOutput::Steps(tracer.into_steps()))
            }
            TracerConfig::Calls(call_config) => {
                let mut tracer = CallTracer::new(call_config, budget);
                let (_, executed) = replay.run(
                    self,
                    decoded.clone(),
                    &mut tracer,
                    budget,
                    CallTracer::over_budget,
                )?;
                tracer.close();
                if tracer.over_budget() {
                    return Err(EngineError::TraceLimit(budget));
                }
                let root = top_frame(tracer.into_root(), tx, from, &executed);
                (executed, TraceOutput::Calls(alloc::boxed::Box::new(root)))
            }
            TracerConfig::OpcodeStats => {
                let mut tracer = OpcodeStats::default();
                let (_, executed) =
                    replay.run(self, decoded.clone(), &mut tracer, budget, unbounded)?;
                (executed, TraceOutput::OpcodeStats(tracer.into_stats()))
            }
            TracerConfig::Prestate(prestate_config) => {
                let mut tracer = AccessCollector::default();
                let (mut post, executed) =
                    replay.run(self, decoded.clone(), &mut tracer, budget, unbounded)?;
                tracer.accounts.insert(from);
                if let Some(to) = tx.to {
                    tracer.accounts.insert(to);
                }
                if let Some(created) = executed.created {
                    tracer.accounts.insert(created);
                }
                tracer.accounts.insert(replay.env.coinbase);
                let mut pre = replay.io(self);
                let mut meter = TraceMeter::new(budget);
                let prestate = prestate(&tracer, &mut pre, &mut post, prestate_config, &mut meter)
                    .ok_or(EngineError::TraceLimit(budget))?;
                (executed, TraceOutput::Prestate(prestate))
            }
        };
        Ok(TraceResult {
            success: executed.success,
            gas_used: executed.gas_used,
            native_used: executed.native_used,
            pubdata_used: executed.pubdata_used,
            error: error_of(&executed),
            output: executed.output,
            output_trace,
        })
    }
}

/// The transaction's frame with the transaction's own figures (geth reports the gas limit and
/// the receipt's gas used at the top); built from the transaction when no code ran.
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
        ergs: 0,
        ergs_used: 0,
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
        nonce: Some(account.nonce),
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
