//! The engine facade: one object that holds a chain (state, blocks, receipts) and answers
//! everything a provider, a CLI or a playground asks: accounts, block production, calls, gas
//! estimation, traces and stepping sessions. Every outcome is decided here or below; bindings
//! only translate values, and everything they name is re-exported here.

mod access_list;
mod admission;
mod call;
mod chain;
mod chain_state;
mod checkpoint;
mod error;
mod estimate;
mod fees;
mod fork;
mod fork_point;
mod jobs;
mod overrides;
mod produce;
mod records;
mod request;
mod runs;
mod session;
mod session_views;
mod state_at;
mod step_columns;
mod store;
mod trace;
mod versions;

pub use access_list::{AccessListResult, ACCESS_LIST_MAX_RUNS};
pub use call::CallResult;
pub use chain::{
    AccountInfo, AccountInput, Engine, DEFAULT_HISTORY_BLOCKS, DEFAULT_RPC_GAS_CAP_GAS,
    MAX_HISTORY_BLOCKS,
};
pub use checkpoint::Checkpoint;
pub use error::EngineError;
pub use estimate::{Estimate, EstimateBreakdown, EstimateError};
pub use fees::{
    BlockParams, FeeParams, DEFAULT_BASE_FEE_WEI, DEFAULT_BLOCK_GAS_LIMIT_GAS,
    DEFAULT_NATIVE_PRICE_WEI, DEFAULT_PUBDATA_LIMIT_BYTES, DEFAULT_PUBDATA_PRICE_WEI,
    MAX_SET_BASE_FEE_WEI,
};
pub use fork_point::{ForkPoint, ForkValue};
pub use jobs::{Job, JobOutput, JobStatus, Operation};
pub use overrides::{AccountOverride, StateOverride};
pub use records::{
    BlockInfo, BlockReport, BlockTx, LogRecord, PendingTx, Receipt, Rejected, TxRecord,
};
pub use request::{BlockOverrides, TxRequest};
pub use session::{Breakpoint, Session, SessionPhase, StepReport};
pub use session_views::{Costs, FrameView, SessionLog, SessionMessage, SlotView, StorageView};
pub use step_columns::{
    phase_index, CodeKey, StepColumns, StepRecorder, TxNote, MAX_RECORD_STEPS, NO_CODE, NO_OPCODE,
};
pub use trace::{
    Prestate, PrestateAccount, PrestateConfig, TraceOutput, TraceResult, TracerConfig,
};

/// Values the engine's answers carry, from the layers below it.
pub use crate::bootloader::flow::zk::MAX_NATIVE_COMPUTATIONAL;
pub use crate::bootloader::flow::{GasBreakdown, NativeBudget};
pub use crate::bytecode::opcode::name as opcode_name;
pub use crate::crypto::curves::{CurveBackend, CurveOp, CurvesNotLoaded};
pub use crate::ee::evm::{CallKind, Halt};
pub use crate::io::StateKey;
pub use crate::io::{L2ToL1Message, Log};
pub use crate::resources::blob::BlobSchedule;
pub use crate::resources::blob_schedule::BlobSchedules;
pub use crate::state::eth_proof::{
    verify_answer, verify_header_request, verify_proof_request, AccountClaim, EthHeader,
    ProofAnswer, ProofError, SlotClaim,
};
pub use crate::state::tree::StateCommitment;
pub use crate::trace::{
    CallFrame, CallLog, CallTracerConfig, OpcodeStat, StepLogConfig, StepRecord, TraceBudget,
    DEFAULT_TRACE_MAX_BYTES, DEFAULT_TRACE_MAX_STEPS,
};

#[cfg(test)]
mod tests;
