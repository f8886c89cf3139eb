//! Engine operations that survive a pause for state. An operation (a call, an estimate, a trace,
//! a block) is plain code over [`Runs`]: each execution it starts is a [`Unit`] that runs until
//! it ends or needs state the source does not know yet. A paused unit is kept; the operation is
//! then asked again once the host supplied the state, finds the results of the units that
//! ended in [`Runs`] and resumes the paused one where it stopped. No execution ever runs twice:
//! only the operation's own bookkeeping (building a request, comparing results) is redone.

use super::error::EngineError;
use super::overrides::EngineSource;
use crate::bootloader::{
    tx_state_ready, BlockBuilder, ChainFlow, DecodedTx, Flow, InvalidTransaction, TxExecution,
    TxProgress, TxReceipt,
};
use crate::config::ProtocolVersion;
use crate::context::BlockContext;
use crate::ee::evm::{NoopTracer, Tracer};
use crate::io::Io;
use crate::trace::{AccessCollector, CallTracer, Erased, OpcodeStats, StepLogger, TraceBudget};
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::any::Any;

/// An execution that can pause for state.
pub(super) trait Unit: 'static {
    /// What it ends with.
    type Output: Clone + 'static;

    /// Runs until the end, or until it needs state ([`EngineError::StateNeeded`] with the keys;
    /// calling again after they were supplied goes on from there). With a `slice` of fewer
    /// than `u64::MAX` EVM steps it also pauses after about that many steps, with no keys.
    fn resume(&mut self, slice: u64) -> Result<Self::Output, EngineError>;
}

/// The units of one operation: the outputs of those that ended, in the order the operation
/// started them, and the one that is paused.
pub(super) struct Runs {
    done: Vec<Box<dyn Any>>,
    paused: Option<Box<dyn Any>>,
    cursor: usize,
    /// EVM steps a unit runs before it pauses without keys (`u64::MAX`: until it ends or
    /// needs state), so that a host can look at its clock between two slices.
    slice: u64,
}

impl Default for Runs {
    fn default() -> Self {
        Self {
            done: Vec::new(),
            paused: None,
            cursor: 0,
            slice: u64::MAX,
        }
    }
}

impl Runs {
    /// Makes every unit pause after about `steps` EVM steps (at least one).
    pub(super) fn slice(&mut self, steps: u64) {
        self.slice = steps.max(1);
    }

    /// Starts the operation's code from the top again (units keep their results).
    pub(super) fn restart(&mut self) {
        self.cursor = 0;
    }

    /// The operation's next unit: its result when it ended before, else it runs (resumed when
    /// it is the paused one, else made by `make`).
    pub(super) fn run<U: Unit>(
        &mut self,
        make: impl FnOnce() -> Result<U, EngineError>,
    ) -> Result<U::Output, EngineError> {
        let index = self.cursor;
        self.cursor += 1;
        if let Some(done) = self.done.get(index) {
            return done
                .downcast_ref::<U::Output>()
                .cloned()
                .ok_or(EngineError::BadInput(
                    "an operation changed between its runs",
                ));
        }
        let mut unit = match self.paused.take() {
            Some(paused) => *paused
                .downcast::<U>()
                .map_err(|_| EngineError::BadInput("an operation changed between its runs"))?,
            None => make()?,
        };
        match unit.resume(self.slice) {
            Ok(output) => {
                self.done.push(Box::new(output.clone()));
                Ok(output)
            }
            Err(EngineError::StateNeeded(keys)) => {
                self.paused = Some(Box::new(unit));
                Err(EngineError::StateNeeded(keys))
            }
            Err(error) => Err(error),
        }
    }
}

/// The pause at the end of a step slice: it needs no state, only to be resumed.
pub(super) fn slice_ended() -> EngineError {
    EngineError::StateNeeded(Vec::new())
}

/// The pause of `io`'s run: the keys it found missing (an empty list would mean a pause
/// without a cause, a defect reported as such).
pub(super) fn pause(io: &mut Io<EngineSource>) -> EngineError {
    let keys = io.take_missing();
    if keys.is_empty() {
        return EngineError::UnansweredRead;
    }
    EngineError::StateNeeded(keys)
}

/// EVM steps a traced run takes between two looks at its tracer's budget: once the budget ran
/// out, the run stops within this many steps.
const BUDGET_CHECK_STEPS: u64 = 1 << 14;

/// A traced run's budget and the check that says its tracer went over it.
type BudgetCheck<T> = (TraceBudget, fn(&T) -> bool);

/// How a run hands its tracer to the EVM: the no-op tracer as it is (calls, estimates and
/// blocks keep the EVM compiled for it), each collecting tracer through [`Erased`], so the EVM
/// is compiled for two tracer types rather than one per tracer (each copy is in the wasm).
pub(super) trait RunTracer: Tracer + Sized {
    /// Runs at most `steps` EVM steps of `execution` on `io`, traced by this tracer.
    fn run(
        &mut self,
        execution: &mut TxExecution,
        io: &mut Io<EngineSource>,
        steps: u64,
    ) -> TxProgress {
        execution.run(io, &mut Erased::new(self), steps)
    }
}

impl RunTracer for NoopTracer {
    fn run(
        &mut self,
        execution: &mut TxExecution,
        io: &mut Io<EngineSource>,
        steps: u64,
    ) -> TxProgress {
        execution.run(io, self, steps)
    }
}

impl RunTracer for StepLogger {}

impl RunTracer for CallTracer {}

impl RunTracer for OpcodeStats {}

impl RunTracer for AccessCollector {}

/// One transaction run after earlier ones on one IO, with `T` tracing it (the earlier ones run
/// untraced and their results are dropped): calls, estimate attempts and traces.
pub(super) struct TxRun<T> {
    pub(super) io: Io<EngineSource>,
    pub(super) tracer: T,
    flow: ChainFlow,
    pub(super) context: BlockContext,
    /// Whether the block's start (the flow's system calls) still has to run first.
    block_start: bool,
    /// A mined block's replay: every transaction runs as its block ran it (the block's room and
    /// limits checked, a transaction over them rolled back and rejected), so the ones rejected
    /// in the block are rejected again, with the same effect on the block's caches.
    block: Option<BlockBuilder>,
    /// The earlier transactions not started yet, then the transaction.
    queue: VecDeque<DecodedTx>,
    running: Option<TxExecution>,
    /// When the tracer has a budget: the run stops with [`EngineError::TraceLimit`] once the
    /// check says it went over (checked every [`BUDGET_CHECK_STEPS`] steps and at the end).
    budget: Option<BudgetCheck<T>>,
}

impl<T: RunTracer> TxRun<T> {
    /// `tx` after `before` on `source`, in block `context`.
    pub(super) fn new(
        io: Io<EngineSource>,
        flow: ChainFlow,
        context: BlockContext,
        before: Vec<DecodedTx>,
        tx: DecodedTx,
        tracer: T,
    ) -> Self {
        let mut queue: VecDeque<DecodedTx> = before.into();
        queue.push_back(tx);
        Self {
            io,
            tracer,
            flow,
            context,
            block_start: false,
            block: None,
            queue,
            running: None,
            budget: None,
        }
    }

    /// The protocol version that charges this run.
    pub(super) fn protocol_version(&self) -> ProtocolVersion {
        self.flow.config().protocol_version
    }

    /// This run as a mined block's replay: the block's start runs first and every transaction
    /// runs as the block ran it (see [`TxRun::block`]); simulations run without either.
    /// `max_blob_gas` is the block's blob limit.
    pub(super) fn after_block_start(mut self, max_blob_gas: u64) -> Self {
        self.block_start = true;
        self.block = Some(BlockBuilder::new(self.flow.config()).with_max_blob_gas(max_blob_gas));
        self
    }

    /// Runs the block's start if it is still to run, or pauses.
    fn start_block(&mut self) -> Result<(), EngineError> {
        if self.block_start {
            if !self.flow.start_block(&mut self.io, &self.context) {
                return Err(pause(&mut self.io));
            }
            self.block_start = false;
        }
        Ok(())
    }

    /// This run, stopped with [`EngineError::TraceLimit`] as soon as `over_budget` says the
    /// tracer went over `budget`.
    pub(super) fn within(mut self, budget: TraceBudget, over_budget: fn(&T) -> bool) -> Self {
        self.budget = Some((budget, over_budget));
        self
    }

    /// The trace-limit error when the tracer went over its budget.
    fn check_budget(&self) -> Result<(), EngineError> {
        match self.budget {
            Some((budget, over_budget)) if over_budget(&self.tracer) => {
                Err(EngineError::TraceLimit(budget))
            }
            _ => Ok(()),
        }
    }

    /// Runs every transaction (results dropped), or pauses (after `slice` steps at most).
    pub(super) fn run_all(&mut self, slice: u64) -> Result<(), EngineError> {
        self.start_block()?;
        if !self.queue.is_empty() || self.running.is_some() {
            // The results of the earlier transactions are not needed.
            let _ = self.advance(slice)?;
        }
        Ok(())
    }

    /// Runs until the transaction's receipt (or why it is invalid), or a pause: for state, or
    /// (when `slice` is below `u64::MAX`) after about `slice` EVM steps.
    pub(super) fn advance(
        &mut self,
        slice: u64,
    ) -> Result<Result<TxReceipt, InvalidTransaction>, EngineError> {
        self.start_block()?;
        let sliced = slice != u64::MAX;
        loop {
            if let Some(mut execution) = self.running.take() {
                let last = self.queue.is_empty();
                let progress = if last {
                    let steps = match self.budget {
                        Some(_) => BUDGET_CHECK_STEPS.min(slice),
                        None => slice,
                    };
                    self.tracer.run(&mut execution, &mut self.io, steps)
                } else {
                    execution.run(&mut self.io, &mut NoopTracer, slice)
                };
                match progress {
                    TxProgress::Paused => {
                        self.running = Some(execution);
                        if last {
                            self.check_budget()?;
                        }
                        if sliced {
                            return Err(slice_ended());
                        }
                    }
                    TxProgress::NeedState => {
                        self.running = Some(execution);
                        return Err(pause(&mut self.io));
                    }
                    TxProgress::Executed => {
                        let outcome = self.finish(execution);
                        if self.io.unanswered() {
                            return Err(EngineError::UnansweredRead);
                        }
                        if self.io.curves_refused() {
                            return Err(EngineError::CurvesNotLoaded);
                        }
                        if last {
                            self.check_budget()?;
                            return Ok(outcome);
                        }
                    }
                }
                continue;
            }
            let Some(tx) = self.queue.front() else {
                return Err(EngineError::BadInput("the transaction already ran"));
            };
            if !tx_state_ready(&mut self.io, self.flow.config(), &self.context, tx) {
                return Err(pause(&mut self.io));
            }
            let Some(tx) = self.queue.pop_front() else {
                continue;
            };
            let last = self.queue.is_empty();
            match self.start(tx) {
                Ok(execution) => self.running = Some(execution),
                Err(invalid) if last => return Ok(Err(invalid)),
                // An earlier transaction rejected again, as in its block.
                Err(_) => {}
            }
        }
    }

    /// Validates `tx` (in a mined block's replay: also whether the block has room for it).
    fn start(&mut self, tx: DecodedTx) -> Result<TxExecution, InvalidTransaction> {
        let Some(block) = self.block.as_mut() else {
            return TxExecution::start(&mut self.io, &self.flow, &self.context, tx);
        };
        let started = block.start(&mut self.io, &self.context, tx);
        match started {
            Ok(execution) => Ok(execution),
            Err(rejection) => {
                let reason = rejection.reason.clone();
                block.end(&mut self.io, &self.context, Err(rejection));
                Err(reason)
            }
        }
    }

    /// Ends an executed transaction: its receipt, or (in a mined block's replay) why the
    /// block's limits rejected it.
    fn finish(&mut self, execution: TxExecution) -> Result<TxReceipt, InvalidTransaction> {
        let Some(block) = self.block.as_mut() else {
            return Ok(execution.finish(&mut self.io));
        };
        block
            .end(&mut self.io, &self.context, Ok(execution))
            .outcome
            .clone()
    }
}

impl TxRun<NoopTracer> {
    /// A run with nothing to run: `io` reads its source as it is.
    pub(super) fn idle(io: Io<EngineSource>, flow: ChainFlow, context: BlockContext) -> Self {
        Self {
            io,
            tracer: NoopTracer,
            flow,
            context,
            block_start: false,
            block: None,
            queue: VecDeque::new(),
            running: None,
            budget: None,
        }
    }
}

impl Unit for TxRun<NoopTracer> {
    type Output = Result<TxReceipt, InvalidTransaction>;

    fn resume(&mut self, slice: u64) -> Result<Self::Output, EngineError> {
        self.advance(slice)
    }
}
