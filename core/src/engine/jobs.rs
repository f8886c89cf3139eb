//! Running engine operations to their end, and operations a host drives when the engine forks
//! a chain.
//!
//! The engine's methods (`call`, `estimate_gas`, `run_block`, ...) run an operation over
//! [`Runs`] until it ends. Over a local chain it never pauses. Over a forked chain a pause ends
//! the method with [`EngineError::StateNeeded`]; a host that fetches asynchronously uses a
//! [`Job`] instead: [`Engine::start`] it, [`Engine::resume`] it, and between two resumes
//! [`Engine::supply`] the values it asked for. A job's paused execution resumes where it
//! stopped; nothing runs twice. A job given a step slice ([`Job::slice`]) also pauses after
//! each slice of EVM steps, needing nothing: a host bounds a simulation's wall-clock time by
//! looking at its clock between two resumes and abandoning the job when it is over time.

use super::access_list::AccessListResult;
use super::call::CallResult;
use super::chain::{AccountInput, Engine};
use super::error::EngineError;
use super::estimate::{Estimate, EstimateError};
use super::overrides::StateOverride;
use super::records::{BlockReport, BlockTx};
use super::request::{BlockOverrides, TxRequest};
use super::runs::Runs;
use super::session::Session;
use super::trace::{TraceResult, TracerConfig};
use crate::io::StateKey;
use crate::primitives::{Address, B256};
use crate::trace::TraceBudget;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// An error that may be a pause for state.
pub(super) trait Pause {
    /// The keys a pause asks for.
    fn needs(&self) -> Option<&[StateKey]>;
}

impl Pause for EngineError {
    fn needs(&self) -> Option<&[StateKey]> {
        match self {
            Self::StateNeeded(keys) => Some(keys),
            _ => None,
        }
    }
}

impl Pause for EstimateError {
    fn needs(&self) -> Option<&[StateKey]> {
        match self {
            Self::Invalid(error) => error.needs(),
            _ => None,
        }
    }
}

/// What a [`Job`] runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// [`Engine::call_at`].
    Call {
        /// The request.
        request: TxRequest,
        /// State overrides.
        overrides: StateOverride,
        /// Block overrides.
        block: Option<BlockOverrides>,
        /// The block whose state and context it runs in (`None`: the head's state in the next
        /// block).
        at: Option<u64>,
    },
    /// [`Engine::create_access_list_at`].
    AccessList {
        /// The request.
        request: TxRequest,
        /// State overrides.
        overrides: StateOverride,
        /// Block overrides.
        block: Option<BlockOverrides>,
        /// The block whose state and context it runs in (`None`: the head's state in the next
        /// block).
        at: Option<u64>,
    },
    /// [`Engine::estimate_gas_at`].
    Estimate {
        /// The request.
        request: TxRequest,
        /// State overrides.
        overrides: StateOverride,
        /// Block overrides.
        block: Option<BlockOverrides>,
        /// The block whose state and context it runs in (`None`: the head's state in the next
        /// block).
        at: Option<u64>,
    },
    /// [`Engine::trace_call_at`].
    TraceCall {
        /// The request.
        request: TxRequest,
        /// State overrides.
        overrides: StateOverride,
        /// Block overrides.
        block: Option<BlockOverrides>,
        /// The block whose state and context it runs in (`None`: the head's state in the next
        /// block).
        at: Option<u64>,
        /// The tracer.
        config: TracerConfig,
        /// What the trace may hold.
        budget: TraceBudget,
    },
    /// [`Engine::trace_transaction`].
    TraceTransaction {
        /// The transaction's hash.
        hash: B256,
        /// The tracer.
        config: TracerConfig,
        /// What the trace may hold.
        budget: TraceBudget,
    },
    /// [`Engine::run_block_with`] (all or nothing: [`Engine::send_raw_transaction`]).
    Block {
        /// The transactions.
        txs: Vec<BlockTx>,
        /// Block overrides.
        overrides: Option<BlockOverrides>,
        /// Accounts set before the block, together with it.
        pre_state: Vec<(Address, AccountInput)>,
        /// Whether a rejected transaction makes the whole block an error.
        all_or_nothing: bool,
    },
    /// [`Engine::session`].
    Session {
        /// The request.
        request: TxRequest,
        /// State overrides.
        overrides: StateOverride,
        /// Block overrides.
        block: Option<BlockOverrides>,
    },
    /// [`Engine::block_session`].
    BlockSession {
        /// The transactions.
        txs: Vec<BlockTx>,
        /// Block overrides.
        overrides: Option<BlockOverrides>,
    },
    /// Fetches accounts and slots for queries ([`Engine::get_account`], ...); ends when the
    /// engine knows them all.
    Fetch(Vec<StateKey>),
}

/// What a finished [`Job`] produced.
pub enum JobOutput {
    /// A call's result.
    Call(CallResult),
    /// An access list and the run with it.
    AccessList(AccessListResult),
    /// An estimate, or why there is none.
    Estimate(Result<Estimate, EstimateError>),
    /// A trace.
    Trace(Box<TraceResult>),
    /// A produced block.
    Block(Box<BlockReport>),
    /// An opened session.
    Session(Box<Session>),
    /// The fetched values are known.
    Fetched,
}

/// Where a [`Job`] is after [`Engine::resume`].
pub enum JobStatus {
    /// It needs these values of the forked chain: fetch them and [`Engine::supply`] them.
    /// An empty list: its step slice ended ([`Job::slice`]); resume it again.
    NeedState(Vec<StateKey>),
    /// It ended.
    Done(JobOutput),
}

/// An operation a host drives (see the module documentation).
pub struct Job {
    op: Operation,
    runs: Runs,
    /// The state version before a block's pre-state was applied, while the block may still
    /// fail (then the pre-state is undone).
    undo_to: Option<u64>,
    done: bool,
}

impl Job {
    /// Makes the job pause after about `steps` EVM steps (at least one); the pause needs no
    /// state. An abandoned block job changes nothing.
    pub fn slice(&mut self, steps: u64) {
        self.runs.slice(steps);
    }
}

impl Engine {
    /// Runs `op` to its end (see the module documentation).
    pub(super) fn drive<R, E: Pause>(
        &self,
        mut op: impl FnMut(&mut Runs) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut runs = Runs::default();
        self.begin_operation();
        let result = loop {
            runs.restart();
            match op(&mut runs) {
                Err(error) if error.needs().is_some() && self.tells_itself() => {
                    self.tell(error.needs().unwrap_or_default());
                }
                other => break other,
            }
        };
        self.end_operation();
        result
    }

    /// [`Self::drive`] for an operation that changes the engine.
    pub(super) fn drive_mut<R>(
        &mut self,
        mut op: impl FnMut(&mut Self, &mut Runs) -> Result<R, EngineError>,
    ) -> Result<R, EngineError> {
        let mut runs = Runs::default();
        self.begin_operation();
        let result = loop {
            runs.restart();
            match op(self, &mut runs) {
                Err(EngineError::StateNeeded(keys)) if self.tells_itself() => self.tell(&keys),
                other => break other,
            }
        };
        self.end_operation();
        result
    }

    /// Starts `op` for a host that drives it with [`Self::resume`]. A block's pre-state is
    /// applied now and undone if the block fails or the job is abandoned.
    pub fn start(&mut self, op: Operation) -> Result<Job, EngineError> {
        let mut undo_to = None;
        if let Operation::Block { pre_state, .. } = &op {
            if !pre_state.is_empty() {
                undo_to = Some(self.state.version());
                self.apply_pre_state(pre_state)?;
            }
        }
        Ok(Job {
            op,
            runs: Runs::default(),
            undo_to,
            done: false,
        })
    }

    /// Runs `job` until it needs state or ends. After an error the job is over (a block's
    /// pre-state undone); after [`JobStatus::NeedState`], supply the values and resume again.
    pub fn resume(&mut self, job: &mut Job) -> Result<JobStatus, EngineError> {
        if job.done {
            return Err(EngineError::BadInput("the job has ended"));
        }
        job.runs.restart();
        let result = self.run_operation(&job.op, &mut job.runs);
        match result {
            Err(EngineError::StateNeeded(keys)) => return Ok(JobStatus::NeedState(keys)),
            Ok(JobOutput::Estimate(Err(EstimateError::Invalid(EngineError::StateNeeded(
                keys,
            ))))) => return Ok(JobStatus::NeedState(keys)),
            _ => {}
        }
        job.done = true;
        if let Some(version) = job.undo_to.take() {
            if result.is_err() {
                self.state.roll_back_to(version);
                self.keep_history();
            }
        }
        result.map(JobStatus::Done)
    }

    /// Gives up `job`: a block's pre-state it applied is undone. Nothing else changed.
    pub fn abandon(&mut self, mut job: Job) {
        if let Some(version) = job.undo_to.take() {
            if !job.done {
                self.state.roll_back_to(version);
                self.keep_history();
            }
        }
    }

    fn run_operation(&mut self, op: &Operation, runs: &mut Runs) -> Result<JobOutput, EngineError> {
        match op {
            Operation::Call {
                request,
                overrides,
                block,
                at,
            } => {
                let overrides = Rc::new(overrides.clone());
                self.call_in(runs, request, &overrides, block.as_ref(), *at)
                    .map(JobOutput::Call)
            }
            Operation::AccessList {
                request,
                overrides,
                block,
                at,
            } => {
                let overrides = Rc::new(overrides.clone());
                self.create_access_list_in(runs, request, &overrides, block.as_ref(), *at)
                    .map(JobOutput::AccessList)
            }
            Operation::Estimate {
                request,
                overrides,
                block,
                at,
            } => {
                let overrides = Rc::new(overrides.clone());
                let block = block.clone().unwrap_or_default();
                Ok(JobOutput::Estimate(self.estimate_in(
                    runs,
                    request,
                    &overrides,
                    (*at, &block),
                )))
            }
            Operation::TraceCall {
                request,
                overrides,
                block,
                at,
                config,
                budget,
            } => {
                let overrides = Rc::new(overrides.clone());
                let place = (block.as_ref(), *at);
                self.trace_call_in(runs, request, &overrides, place, *config, *budget)
                    .map(|t| JobOutput::Trace(Box::new(t)))
            }
            Operation::TraceTransaction {
                hash,
                config,
                budget,
            } => self
                .trace_transaction_in(runs, hash, *config, *budget)
                .map(|t| JobOutput::Trace(Box::new(t))),
            Operation::Block {
                txs,
                overrides,
                all_or_nothing,
                ..
            } => self
                .produce_in(runs, txs, overrides.clone(), *all_or_nothing)
                .map(|b| JobOutput::Block(Box::new(b))),
            Operation::Session {
                request,
                overrides,
                block,
            } => self
                .session(request, overrides, block.as_ref())
                .map(|s| JobOutput::Session(Box::new(s))),
            Operation::BlockSession { txs, overrides } => self
                .block_session(txs, overrides.clone())
                .map(|s| JobOutput::Session(Box::new(s))),
            Operation::Fetch(keys) => {
                let mut source = self.source(None, Rc::default())?;
                super::call::require(&mut source, keys).map(|()| JobOutput::Fetched)
            }
        }
    }

    /// Applies accounts set before a block as one version.
    pub(super) fn apply_pre_state(
        &mut self,
        pre_state: &[(Address, AccountInput)],
    ) -> Result<(), EngineError> {
        for (address, account) in pre_state {
            self.set_account(*address, account.clone())?;
        }
        Ok(())
    }

    #[cfg(test)]
    fn begin_operation(&self) {
        if self.forgetful {
            self.state
                .forget(Some(crate::io::forgetful::Known::default()));
        }
    }

    #[cfg(not(test))]
    fn begin_operation(&self) {}

    #[cfg(test)]
    fn end_operation(&self) {
        if let Some(known) = self.state.forget(None) {
            self.rounds.set(self.rounds.get() + known.rounds);
        }
    }

    #[cfg(not(test))]
    fn end_operation(&self) {}

    /// Whether a pause is resolved by the engine itself (tests reading over a forgetful
    /// source); otherwise it ends the operation.
    fn tells_itself(&self) -> bool {
        #[cfg(test)]
        if self.forgetful {
            return true;
        }
        false
    }

    #[cfg(test)]
    fn tell(&self, keys: &[StateKey]) {
        self.state.tell(keys);
    }

    #[cfg(not(test))]
    fn tell(&self, _keys: &[StateKey]) {}
}
