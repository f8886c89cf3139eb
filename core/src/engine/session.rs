//! Stepping sessions: one simulated transaction, or a whole block of transactions, run
//! through the bootloader's phases and the EVM opcode by opcode, with the machine state read
//! on request. A block session ends with a block-finish step that seals the block exactly as
//! [`Engine::run_block`] does.

use super::call::CallResult;
use super::chain::Engine;
use super::chain_state::ChainState;
use super::error::EngineError;
use super::overrides::{EngineSource, StateOverride};
use super::produce::{seal_block, BlockPlan, Sealed};
use super::records::{BlockReport, BlockTx};
use super::request::{BlockOverrides, TxRequest};
use super::runs::pause;
use super::session_views::{
    ergs_used, view, Costs, FrameView, SessionLog, SessionMessage, SlotView, StorageView, Touched,
};
use super::store::Changes;
use crate::bootloader::flow::{GasBreakdown, NativeBudget};
use crate::bootloader::{
    tx_state_ready, BlockBuilder, DecodedTx, Rejection, TxExecution, TxPhase, TxProgress, TxReceipt,
};
use crate::commitment::block_commitments;
use crate::config::ChainConfig;
use crate::context::BlockContext;
use crate::ee::evm::Frame;
use crate::io::Io;
use crate::primitives::{Bytes, U256};
use crate::resources::ErgsPerGas;
use crate::trace::Erased;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// Where a session is: the transaction phase it applies next, the block finish, or the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SessionPhase {
    /// Validation of the next transaction.
    Validation,
    /// The fee charge.
    FeeCharge,
    /// EVM execution.
    Execution,
    /// The pubdata charge.
    Pubdata,
    /// Refund and fees (ends the transaction).
    Refund,
    /// Every transaction of a block session has ended; the next step seals the block.
    BlockFinish,
    /// The session has ended.
    Finished,
}

impl From<TxPhase> for SessionPhase {
    fn from(phase: TxPhase) -> Self {
        match phase {
            TxPhase::Validation => Self::Validation,
            TxPhase::FeeCharge => Self::FeeCharge,
            TxPhase::Execution => Self::Execution,
            TxPhase::Pubdata => Self::Pubdata,
            TxPhase::Refund => Self::Refund,
            TxPhase::Finished => Self::Finished,
        }
    }
}

/// Where [`Session::continue_until`] stops. Every set field must match; an empty breakpoint
/// stops at the next phase change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breakpoint {
    /// Program counter of the next opcode.
    pub pc: Option<u64>,
    /// The next opcode.
    pub opcode: Option<u8>,
    /// The phase.
    pub phase: Option<SessionPhase>,
    /// Call depth (0 for the transaction's frame).
    pub depth: Option<u64>,
}

/// What a step request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// Steps taken (EVM opcodes, and one per bootloader phase transition).
    pub steps: u64,
    /// The phase now.
    pub phase: SessionPhase,
    /// Index of the transaction the phase belongs to (the number of transactions in a block
    /// session at [`SessionPhase::BlockFinish`] and after).
    pub tx_index: u64,
    /// Whether the session has ended.
    pub finished: bool,
}

/// What a session runs.
enum Mode {
    /// One simulated transaction (as [`Engine::call`]), not checked against block limits.
    Call(Box<DecodedTx>),
    /// The transactions of the next block (as [`Engine::run_block`]).
    Block(Box<BlockMode>),
}

/// A block session's inputs and, once sealed, its block.
struct BlockMode {
    plan: BlockPlan,
    sealed: Option<Sealed>,
    /// The block once committed to the engine.
    committed: Option<BlockReport>,
}

/// A transaction, or a block of transactions, being stepped. A session runs on a snapshot
/// of the engine's state and never changes the engine; a finished block session can be kept
/// with [`Engine::commit_session`].
pub struct Session {
    io: Io<EngineSource>,
    state: ChainState,
    /// The state version the session reads.
    base: u64,
    /// Test support: every step reads over a forgetful source (see [`Engine`]'s field), which
    /// keeps what it was told for the session's life, as a forked engine keeps supplied values.
    #[cfg(test)]
    forgetful: bool,
    #[cfg(test)]
    known: Option<crate::io::forgetful::Known>,
    config: ChainConfig,
    context: BlockContext,
    head_timestamp: u64,
    mode: Mode,
    builder: BlockBuilder,
    /// Whether the block's start (see [`BlockBuilder::begin`]) has run.
    begun: bool,
    tx_index: usize,
    execution: Option<TxExecution>,
    phase: SessionPhase,
    touched: Touched,
    steps: u64,
    /// The top-level frame's ergs when it was entered, in their unit.
    initial_ergs: Option<(u64, ErgsPerGas)>,
    intrinsic_gas: u64,
    /// The native budget of the running (or last) transaction (ZKsync OS flow).
    budget: Option<NativeBudget>,
    /// How the last transaction's gas used adds up, once its refund phase ran.
    gas: Option<GasBreakdown>,
    last: Option<Result<TxReceipt, EngineError>>,
    /// Index of the emitting transaction of each final event (the first events in the IO).
    log_txs: Vec<u64>,
    /// Index of the sending transaction of each final message.
    message_txs: Vec<u64>,
}

impl Engine {
    /// Opens a stepping session for `request` simulated on the head state (as
    /// [`Engine::call`]); nothing runs until [`Session::step`].
    pub fn session(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
    ) -> Result<Session, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let overrides = Rc::new(overrides.clone());
        let simulation =
            self.drive(|_| self.simulation(request, &overrides, (None, &block), None))?;
        self.open(
            overrides,
            simulation.env.clone(),
            self.head().timestamp,
            Mode::Call(Box::new(simulation.decoded())),
        )
    }

    /// Opens a stepping session over the next block made of `txs` (as
    /// [`Engine::run_block`]): each transaction is stepped through its phases, then a
    /// [`SessionPhase::BlockFinish`] step seals the block. The engine does not change.
    pub fn block_session(
        &self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<Session, EngineError> {
        let senders: Vec<crate::io::StateKey> = txs
            .iter()
            .filter_map(|tx| match tx {
                BlockTx::Request(request) => Some(crate::io::StateKey::Account(
                    request.from.unwrap_or_default(),
                )),
                _ => None,
            })
            .collect();
        self.drive(|_| super::call::require(&mut self.source(None, Rc::default())?, &senders))?;
        let plan = self.plan_block(txs, overrides)?;
        let context = plan.context.clone();
        let head_timestamp = plan.head_timestamp;
        let mode = Mode::Block(Box::new(BlockMode {
            plan,
            sealed: None,
            committed: None,
        }));
        self.open(Rc::default(), context, head_timestamp, mode)
    }

    fn open(
        &self,
        overrides: Rc<StateOverride>,
        context: BlockContext,
        head_timestamp: u64,
        mode: Mode,
    ) -> Result<Session, EngineError> {
        let source = self.source(None, overrides)?;
        let base = source.version();
        let phase = match &mode {
            Mode::Block(block) if block.plan.txs.is_empty() => SessionPhase::BlockFinish,
            _ => SessionPhase::Validation,
        };
        let mut io = self.io(source);
        let builder = BlockBuilder::new(&self.config)
            .with_max_blob_gas(self.blob_schedule_at(context.timestamp).max_blob_gas());
        // A block's start runs now, or at the first step when it needs state a forked chain
        // has not supplied yet.
        let begun = !matches!(mode, Mode::Block(_)) || builder.begin(&mut io, &context);
        Ok(Session {
            io,
            state: self.state.share(),
            begun,
            base,
            #[cfg(test)]
            forgetful: self.forgetful,
            #[cfg(test)]
            known: None,
            config: self.config,
            context,
            head_timestamp,
            mode,
            builder,
            tx_index: 0,
            execution: None,
            phase,
            touched: Touched::default(),
            steps: 0,
            initial_ergs: None,
            intrinsic_gas: 0,
            budget: None,
            gas: None,
            last: None,
            log_txs: Vec::new(),
            message_txs: Vec::new(),
        })
    }

    /// Keeps the block a finished block session sealed, as [`Engine::run_block`] would have
    /// produced it; the session can then not be committed again. Fails (changing nothing)
    /// when the session is not a finished, uncommitted block session, when another engine
    /// opened it, or when the chain's head or state changed since the session was opened.
    pub fn commit_session(&mut self, session: &mut Session) -> Result<BlockReport, EngineError> {
        let Mode::Block(block) = &mut session.mode else {
            return Err(EngineError::BadInput(
                "only a block session can be committed",
            ));
        };
        let Some(sealed) = &block.sealed else {
            return Err(EngineError::BadInput(
                "the block session has not finished (or was committed)",
            ));
        };
        // A session of another engine may match this one's head and version (same genesis,
        // as many edits) while its block was staged on other state or another chain config.
        if !session.state.is_same(&self.state) || session.config != self.config {
            return Err(EngineError::BadInput(
                "the session was opened by another engine",
            ));
        }
        let stale = sealed.report.header.parent_hash != self.head().hash
            || session.base != self.state.version();
        if stale {
            return Err(EngineError::BadInput(
                "the chain changed since the session was opened",
            ));
        }
        match block.sealed.take() {
            Some(sealed) => {
                let report = self.record(sealed)?;
                block.committed = Some(report.clone());
                Ok(report)
            }
            None => Err(EngineError::BadInput(
                "the block session has not finished (or was committed)",
            )),
        }
    }
}

impl Session {
    /// The phase the session is in.
    pub fn phase(&self) -> SessionPhase {
        self.phase
    }

    /// Whether the session has ended.
    pub fn finished(&self) -> bool {
        self.phase == SessionPhase::Finished
    }

    /// Index of the transaction being stepped (the number of transactions once all ended).
    pub fn tx_index(&self) -> u64 {
        self.tx_index as u64
    }

    /// Number of transactions the session runs.
    pub fn tx_count(&self) -> u64 {
        match &self.mode {
            Mode::Call(_) => 1,
            Mode::Block(block) => block.plan.txs.len() as u64,
        }
    }

    /// The next transaction, decoded (or why it does not decode).
    fn item(&self) -> Option<Result<DecodedTx, Rejection>> {
        match &self.mode {
            Mode::Call(tx) => (self.tx_index == 0).then(|| Ok(DecodedTx::clone(tx))),
            Mode::Block(block) => block.plan.txs.get(self.tx_index).cloned(),
        }
    }

    /// Takes one step ([`Self::take_step`]); once the curve backend refused an operation, that
    /// step and every later one fail with [`EngineError::CurvesNotLoaded`].
    fn step_once(&mut self) -> Result<(), EngineError> {
        self.check_curves()?;
        self.take_step()?;
        self.check_curves()
    }

    /// Fails once the curve backend refused an operation of this session.
    fn check_curves(&self) -> Result<(), EngineError> {
        let refused = self.io.curves_refused();
        (!refused).then_some(()).ok_or(EngineError::CurvesNotLoaded)
    }

    /// Takes one step: validation, the fee charge, one opcode at a time, the pubdata charge,
    /// the refund and fees (which end the transaction), and in a block session the block
    /// finish after the last transaction.
    fn take_step(&mut self) -> Result<(), EngineError> {
        if !self.begun {
            if !self.builder.begin(&mut self.io, &self.context) {
                return Err(pause(&mut self.io));
            }
            self.begun = true;
        }
        match self.phase {
            SessionPhase::Finished => return Err(EngineError::SessionFinished),
            SessionPhase::BlockFinish => return self.finish_block(),
            SessionPhase::Validation => {
                self.last = None;
                self.budget = None;
                self.gas = None;
                let Some(item) = self.item() else {
                    return Err(EngineError::SessionFinished);
                };
                if let Ok(tx) = &item {
                    if !tx_state_ready(&mut self.io, &self.config, &self.context, tx) {
                        return Err(pause(&mut self.io));
                    }
                }
                match item.and_then(|tx| self.builder.start(&mut self.io, &self.context, tx)) {
                    Ok(execution) => {
                        self.intrinsic_gas = execution.intrinsic_gas();
                        self.budget = execution.native_budget().copied();
                        self.phase = execution.phase().into();
                        self.execution = Some(execution);
                    }
                    Err(rejection) => self.end_tx(Err(rejection)),
                }
                return Ok(());
            }
            _ => {}
        }
        let Some(execution) = self.execution.as_mut() else {
            return Err(EngineError::SessionFinished);
        };
        match execution.phase() {
            TxPhase::Execution => {
                if execution.run(&mut self.io, &mut Erased::new(&mut self.touched), 1)
                    == TxProgress::NeedState
                {
                    return Err(pause(&mut self.io));
                }
                self.steps += 1;
            }
            TxPhase::FeeCharge => {
                execution.advance(&mut self.io);
                // A zero budget enters the top-level frame without running an opcode, so its
                // first opcode can be inspected.
                execution.run(&mut self.io, &mut Erased::new(&mut self.touched), 0);
                self.initial_ergs = execution
                    .runner()
                    .and_then(|r| r.frames().first())
                    .map(|f| (f.ergs, f.ergs_per_gas));
            }
            _ => {
                execution.advance(&mut self.io);
            }
        }
        let phase = execution.phase();
        self.phase = phase.into();
        if phase == TxPhase::Finished {
            self.gas = execution.gas_breakdown();
            if let Some(execution) = self.execution.take() {
                self.end_tx(Ok(execution));
            }
        }
        Ok(())
    }

    /// Ends the current transaction (a call's result, or the block's inclusion or
    /// rejection), marks its events final and moves to the next transaction.
    fn end_tx(&mut self, started: Result<TxExecution, Rejection>) {
        self.last = Some(match &self.mode {
            Mode::Call(_) => started
                .map(|execution| execution.finish(&mut self.io))
                .map_err(|rejection| EngineError::from(rejection.reason)),
            Mode::Block(_) => {
                self.builder.end(&mut self.io, &self.context, started);
                match self.builder.output().results.last() {
                    Some(result) => result.outcome.clone().map_err(EngineError::from),
                    None => Err(EngineError::SessionFinished),
                }
            }
        });
        if !matches!(self.last, Some(Ok(_))) {
            self.gas = None;
        }
        let tx_index = self.tx_index as u64;
        self.log_txs.resize(self.io.logs().len(), tx_index);
        self.message_txs.resize(self.io.messages().len(), tx_index);
        self.tx_index += 1;
        self.phase = match &self.mode {
            Mode::Call(_) => SessionPhase::Finished,
            Mode::Block(block) if self.tx_index < block.plan.txs.len() => SessionPhase::Validation,
            Mode::Block(_) => SessionPhase::BlockFinish,
        };
    }

    /// The block-finish step: seals the block from the transactions' output and the net
    /// changes, as [`Engine::run_block`] does.
    fn finish_block(&mut self) -> Result<(), EngineError> {
        let Mode::Block(block) = &mut self.mode else {
            return Err(EngineError::SessionFinished);
        };
        let output = self.builder.output().clone();
        let sealed = seal_block(
            &self.config,
            &self.state,
            self.base,
            &block.plan,
            output,
            &self.io,
        )?;
        block.sealed = Some(sealed);
        self.phase = SessionPhase::Finished;
        Ok(())
    }

    /// Takes one step, resolving pauses itself in tests that read over a forgetful source.
    fn step_resolving(&mut self) -> Result<(), EngineError> {
        loop {
            match self.step_once() {
                Err(EngineError::StateNeeded(keys)) if self.tells_itself() => {
                    self.tell(&keys);
                }
                other => return other,
            }
        }
    }

    /// Takes one step, or reports why it cannot: when `taken` steps were taken already, a
    /// step that needs state the engine does not know yet ends the request there (the next
    /// request asks for it), else it fails with [`EngineError::StateNeeded`].
    fn step_or_stop(&mut self, taken: u64) -> Result<bool, EngineError> {
        match self.step_resolving() {
            Ok(()) => Ok(true),
            Err(EngineError::StateNeeded(_)) if taken > 0 => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Takes up to `n` steps; stops early when the session ends, or when the next step needs
    /// state a forked chain has not supplied yet (asking for it in the next request).
    pub fn step(&mut self, n: u64) -> Result<StepReport, EngineError> {
        if self.finished() {
            return Err(EngineError::SessionFinished);
        }
        self.begin_step();
        let mut taken = 0;
        let stepped = loop {
            if taken >= n || self.finished() {
                break Ok(());
            }
            match self.step_or_stop(taken) {
                Ok(true) => taken += 1,
                Ok(false) => break Ok(()),
                Err(error) => break Err(error),
            }
        };
        self.end_step();
        stepped.map(|()| self.report(taken))
    }

    /// Steps until the next opcode, depth and phase match `at` (checked after every step), the
    /// session ends, or `max_steps` were taken. An empty breakpoint stops when the phase or
    /// the transaction changes.
    pub fn continue_until(
        &mut self,
        at: &Breakpoint,
        max_steps: u64,
    ) -> Result<StepReport, EngineError> {
        if self.finished() {
            return Err(EngineError::SessionFinished);
        }
        let start = (self.phase, self.tx_index);
        self.begin_step();
        let mut taken = 0;
        let stepped = loop {
            if taken >= max_steps || self.finished() {
                break Ok(());
            }
            match self.step_or_stop(taken) {
                Ok(true) => taken += 1,
                Ok(false) => break Ok(()),
                Err(error) => break Err(error),
            }
            if self.matches(at, start) {
                break Ok(());
            }
        };
        self.end_step();
        stepped.map(|()| self.report(taken))
    }

    #[cfg(test)]
    fn begin_step(&mut self) {
        if self.forgetful {
            self.state
                .forget(Some(self.known.take().unwrap_or_default()));
        }
    }

    #[cfg(not(test))]
    fn begin_step(&mut self) {}

    #[cfg(test)]
    fn end_step(&mut self) {
        self.known = self.state.forget(None);
    }

    #[cfg(not(test))]
    fn end_step(&mut self) {}

    fn tells_itself(&self) -> bool {
        #[cfg(test)]
        if self.forgetful {
            return true;
        }
        false
    }

    #[cfg(test)]
    fn tell(&self, keys: &[crate::io::StateKey]) {
        self.state.tell(keys);
    }

    #[cfg(not(test))]
    fn tell(&self, _keys: &[crate::io::StateKey]) {}

    fn matches(&self, at: &Breakpoint, start: (SessionPhase, usize)) -> bool {
        let empty =
            at.pc.is_none() && at.opcode.is_none() && at.phase.is_none() && at.depth.is_none();
        if empty {
            return (self.phase, self.tx_index) != start;
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
            tx_index: self.tx_index as u64,
            finished: self.finished(),
        }
    }
    /// The live frames, outermost first, without copying them.
    pub(super) fn live_frames(&self) -> &[Frame] {
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

    /// Storage the session touched so far (`original`: the value when the running or last
    /// transaction started).
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

    /// Costs of the running (or just ended) transaction so far.
    pub fn costs(&self) -> Costs {
        let intrinsic_native = self
            .execution
            .as_ref()
            .and_then(|e| e.native_budget())
            .map(|b| b.intrinsic_native)
            .unwrap_or(0);
        let execution_ergs = match (self.initial_ergs, self.phase) {
            (Some(initial), SessionPhase::Execution) => ergs_used(initial, self.live_frames()),
            _ => 0,
        };
        let receipt = self.last.as_ref().and_then(|r| r.as_ref().ok());
        Costs {
            intrinsic_gas: if matches!(
                self.phase,
                SessionPhase::Validation | SessionPhase::FeeCharge
            ) {
                0
            } else {
                self.intrinsic_gas
            },
            intrinsic_native,
            execution_ergs,
            // The fee charge and the refund run unmetered bookkeeping on the same counter; only
            // what execution used (from the fee charge's reset on) is execution native.
            execution_native: match self.phase {
                SessionPhase::Execution | SessionPhase::Pubdata | SessionPhase::Refund
                    if self.execution.is_some() =>
                {
                    self.io.native_used()
                }
                _ => 0,
            },
            steps: self.steps,
            gas_used: receipt.map(|r| r.gas_used),
            native_used: receipt.map(|r| r.native_used),
            pubdata_used: receipt
                .map(|r| r.pubdata_used)
                .or_else(|| self.execution.as_ref().and_then(|e| e.pubdata_used())),
            gas_refunded: receipt.map(|r| r.gas_refunded),
        }
    }

    /// The native budget validation fixed for the running transaction (kept until the next
    /// one starts): native per gas, the native limit and how it divides; `None` before
    /// validation, for an invalid transaction and in the Ethereum flow (native is not priced).
    pub fn native_budget(&self) -> Option<NativeBudget> {
        self.budget
    }

    /// How the gas used of the transaction that just ended adds up (intrinsic, execution,
    /// refund, floor, deltaGas), from its refund phase until the next transaction starts;
    /// `None` before and for an invalid transaction.
    pub fn gas_breakdown(&self) -> Option<GasBreakdown> {
        self.gas
    }

    /// The outcome of the last transaction that ended: its result, or why it was invalid
    /// (`None` while none has ended since the current one started).
    pub fn result(&self) -> Option<Result<CallResult, EngineError>> {
        self.last.clone().map(|r| r.map(CallResult::from))
    }

    /// Events so far, in order: those of ended transactions, then the running transaction's
    /// (pending: a revert of their frame removes them).
    pub fn logs(&self) -> Vec<SessionLog> {
        let running = self.tx_index as u64;
        self.io
            .logs()
            .iter()
            .enumerate()
            .map(|(i, log)| SessionLog {
                log: log.clone(),
                tx_index: self.log_txs.get(i).copied().unwrap_or(running),
                pending: i >= self.log_txs.len(),
            })
            .collect()
    }

    /// L2→L1 messages so far, in order, as [`Self::logs`].
    pub fn messages(&self) -> Vec<SessionMessage> {
        let running = self.tx_index as u64;
        self.io
            .messages()
            .iter()
            .enumerate()
            .map(|(i, message)| SessionMessage {
                message: message.clone(),
                tx_index: self.message_txs.get(i).copied().unwrap_or(running),
                pending: i >= self.message_txs.len(),
            })
            .collect()
    }

    /// The pubdata the block would publish if it ended now: the net state changes so far
    /// (the running transaction's included), the L2→L1 logs and messages so far, encoded by
    /// the block's own encoder ([`block_commitments`]); the block hash in it is that of the
    /// block as it stands. For a call session the block holds the call alone (with state
    /// overrides the diffs are taken against the engine's state).
    pub fn pubdata(&self) -> Result<Bytes, EngineError> {
        if let Some(block) = self.block() {
            return Ok(block.header.pubdata.clone());
        }
        let output = self.builder.pending_output(&self.io);
        let staged = self.state.stage(self.base, Changes::collect(&self.io))?;
        let commitments = block_commitments(
            &self.config,
            &self.context,
            &output,
            staged.tree_changes(),
            staged.commitment_before(),
            self.head_timestamp,
            staged.commitment(),
        )
        .map_err(EngineError::Commitment)?;
        Ok(Bytes::from(commitments.pubdata))
    }

    /// The block a block session sealed (after its [`SessionPhase::BlockFinish`] step): what
    /// [`Engine::run_block`] returns for the same transactions.
    pub fn block(&self) -> Option<&BlockReport> {
        match &self.mode {
            Mode::Block(block) => block
                .sealed
                .as_ref()
                .map(|s| &s.report)
                .or(block.committed.as_ref()),
            Mode::Call(_) => None,
        }
    }
}
