//! A columnar record of a session's steps: one typed column per field (pc, opcode, depth,
//! phase, transaction, code, ergs left, and the ergs and native each step charged), filled
//! in bulk so a front end receives thousands of steps per call instead of reading the
//! session after each one.
//!
//! A step is what [`Session::step`] takes: a bootloader phase or one opcode. The pc, opcode,
//! depth, code and ergs left are those of the innermost frame before the step; the costs are
//! the difference of what the transaction has been charged before and after it (see
//! [`StepRecorder`]).

use super::error::EngineError;
use super::session::{Session, SessionPhase};
use crate::bootloader::flow::{GasBreakdown, NativeBudget};
use crate::ee::evm::CallKind;
use crate::primitives::Address;
use crate::resources::ERGS_PER_GAS;
use alloc::vec::Vec;

/// Most steps one [`StepRecorder::record`] call takes: the columns hold 47 bytes a step, so a
/// call allocates at most about 12.3 MB whatever a user asks for.
pub const MAX_RECORD_STEPS: u64 = 1 << 18;

/// `opcode` column value of a bootloader step (one past the last opcode byte).
pub const NO_OPCODE: u16 = 0x100;

/// `code` column value of a step that runs no EVM code (and of code past the 65,535th distinct
/// one, which no run within a block's gas reaches).
pub const NO_CODE: u16 = u16::MAX;

/// The `phase` column value of a session phase: validation 0, fee charge 1, execution 2,
/// pubdata 3, refund 4, block finish 5, finished 6.
pub fn phase_index(phase: SessionPhase) -> u8 {
    match phase {
        SessionPhase::Validation => 0,
        SessionPhase::FeeCharge => 1,
        SessionPhase::Execution => 2,
        SessionPhase::Pubdata => 3,
        SessionPhase::Refund => 4,
        SessionPhase::BlockFinish => 5,
        SessionPhase::Finished => 6,
    }
}

/// Recorded steps, one entry per step in every column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepColumns {
    /// Program counter of the opcode (0 for a bootloader step).
    pub pc: Vec<u32>,
    /// The opcode byte, or [`NO_OPCODE`] for a bootloader step.
    pub opcode: Vec<u16>,
    /// Call depth of the frame that runs it (0 for a bootloader step).
    pub depth: Vec<u16>,
    /// The phase the step ran in ([`phase_index`]).
    pub phase: Vec<u8>,
    /// Index of the step's transaction in the session.
    pub tx: Vec<u32>,
    /// Index of the code the step runs in [`StepRecorder::codes`], or [`NO_CODE`].
    pub code: Vec<u16>,
    /// Ergs the frame held before the opcode (0 for a bootloader step).
    pub ergs: Vec<u64>,
    /// Ergs the transaction was charged by the step (negative when a refund gives some back).
    pub ergs_cost: Vec<i64>,
    /// Native the transaction had used before the step.
    pub native: Vec<u64>,
    /// Native the transaction was charged by the step.
    pub native_cost: Vec<i64>,
}

impl StepColumns {
    fn with_capacity(steps: usize) -> Self {
        Self {
            pc: Vec::with_capacity(steps),
            opcode: Vec::with_capacity(steps),
            depth: Vec::with_capacity(steps),
            phase: Vec::with_capacity(steps),
            tx: Vec::with_capacity(steps),
            code: Vec::with_capacity(steps),
            ergs: Vec::with_capacity(steps),
            ergs_cost: Vec::with_capacity(steps),
            native: Vec::with_capacity(steps),
            native_cost: Vec::with_capacity(steps),
        }
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.pc.len()
    }

    /// Whether no step was recorded.
    pub fn is_empty(&self) -> bool {
        self.pc.is_empty()
    }
}

/// A code a step runs: a contract's deployed code, or the init code of a deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeKey {
    /// The contract whose code runs (for a deployment, the address being created).
    pub address: Address,
    /// Whether it is a deployment's init code.
    pub init: bool,
}

/// What a recorded transaction reported about its costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxNote {
    /// Its native budget, from its validation (`None` in the Ethereum flow or when invalid).
    pub budget: Option<NativeBudget>,
    /// How its gas used adds up, from its refund phase.
    pub gas: Option<GasBreakdown>,
    /// Why it was invalid (or, in a block, rejected).
    pub error: Option<EngineError>,
}

impl TxNote {
    /// The note of a transaction stepped before recording began: nothing reported.
    pub const UNRECORDED: TxNote = TxNote {
        budget: None,
        gas: None,
        error: None,
    };
}

/// Innermost frame before an opcode, as the columns keep it.
struct Top {
    pc: u32,
    opcode: u16,
    depth: u16,
    code: CodeKey,
    ergs: u64,
}

/// Records a session's steps into [`StepColumns`], call after call, keeping the codes seen and
/// what each transaction reported.
///
/// What a transaction has been charged after a step: once it ended, its gas used × 256 and
/// native used; before, during execution, its intrinsic gas × 256 plus the ergs the live frames
/// no longer hold (the fee charge step shows the intrinsic gas), and after execution the ergs
/// stay where they were until the refund settles them; native is the intrinsic native, the
/// execution native and, from the pubdata phase on, the pubdata × native per pubdata (as the
/// refund phase counts it, core/src/bootloader/flow/zk/settle.rs). A new transaction starts
/// from nothing charged; the block finish charges nothing.
#[derive(Debug, Default)]
pub struct StepRecorder {
    prev_ergs: u64,
    prev_native: u64,
    codes: Vec<CodeKey>,
    last_code: Option<(CodeKey, u16)>,
    txs: Vec<TxNote>,
}

impl StepRecorder {
    /// A recorder for a session that has not stepped yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The codes the `code` column indexes, in order of first use.
    pub fn codes(&self) -> &[CodeKey] {
        &self.codes
    }

    /// What each transaction validated so far reported, by index (empty for a transaction
    /// stepped before recording began).
    pub fn transactions(&self) -> &[TxNote] {
        &self.txs
    }

    /// Takes up to `max_steps` steps of `session` (fewer when it ends) and returns them.
    /// Fails on more than [`MAX_RECORD_STEPS`] steps (nothing runs) and with a step's own
    /// error (the steps of this call before it are lost, as when stepping one by one). Over a
    /// forked chain a step that needs state not fetched yet ends the call with the steps taken
    /// so far (as [`Session::step`] does); with none taken, it fails asking for that state.
    pub fn record(
        &mut self,
        session: &mut Session,
        max_steps: u64,
    ) -> Result<StepColumns, EngineError> {
        if max_steps > MAX_RECORD_STEPS {
            return Err(EngineError::BadInput(
                "record: at most 262,144 steps per call",
            ));
        }
        let mut columns = StepColumns::with_capacity(max_steps as usize);
        while (columns.len() as u64) < max_steps && !session.finished() {
            match self.record_step(session, &mut columns) {
                Err(EngineError::StateNeeded(_)) if !columns.is_empty() => break,
                other => other?,
            }
        }
        Ok(columns)
    }

    fn record_step(
        &mut self,
        session: &mut Session,
        columns: &mut StepColumns,
    ) -> Result<(), EngineError> {
        let before = session.phase();
        let tx_before = session.tx_index();
        let top = if before == SessionPhase::Execution {
            session.live_frames().last().map(|frame| Top {
                pc: u32::try_from(frame.pc).unwrap_or(u32::MAX),
                opcode: u16::from(frame.code.padded().get(frame.pc).copied().unwrap_or(0)),
                depth: u16::try_from(frame.depth).unwrap_or(u16::MAX),
                code: CodeKey {
                    address: frame.code_address,
                    init: matches!(frame.kind, CallKind::Create | CallKind::Create2),
                },
                ergs: frame.ergs_per_gas.zk_ergs(frame.ergs),
            })
        } else {
            None
        };
        session.step(1)?;
        let tx = session.tx_index();
        match before {
            SessionPhase::Validation => self.note_validation(session, tx_before),
            SessionPhase::Refund => {
                if let Some(note) = self.note_mut(tx_before) {
                    note.gas = session.gas_breakdown();
                }
            }
            _ => {}
        }
        let (ergs, native) = if before == SessionPhase::BlockFinish {
            (self.prev_ergs, self.prev_native)
        } else {
            self.charged(session)
        };
        let code = top.as_ref().map_or(NO_CODE, |t| self.code_of(t.code));
        columns.pc.push(top.as_ref().map_or(0, |t| t.pc));
        columns
            .opcode
            .push(top.as_ref().map_or(NO_OPCODE, |t| t.opcode));
        columns.depth.push(top.as_ref().map_or(0, |t| t.depth));
        columns.phase.push(phase_index(before));
        columns
            .tx
            .push(u32::try_from(tx_before).unwrap_or(u32::MAX));
        columns.code.push(code);
        columns.ergs.push(top.as_ref().map_or(0, |t| t.ergs));
        columns.ergs_cost.push(difference(ergs, self.prev_ergs));
        columns.native.push(self.prev_native);
        columns
            .native_cost
            .push(difference(native, self.prev_native));
        let ended = tx != tx_before;
        self.prev_ergs = if ended { 0 } else { ergs };
        self.prev_native = if ended { 0 } else { native };
        Ok(())
    }

    /// Ergs and native the running (or just ended) transaction has been charged.
    fn charged(&self, session: &Session) -> (u64, u64) {
        let costs = session.costs();
        if let Some(gas_used) = costs.gas_used {
            return (
                gas_used.saturating_mul(ERGS_PER_GAS),
                costs.native_used.unwrap_or(0),
            );
        }
        let native_per_pubdata = usize::try_from(session.tx_index())
            .ok()
            .and_then(|i| self.txs.get(i))
            .and_then(|note| note.budget)
            .map_or(0, |budget| budget.native_per_pubdata);
        let pubdata_native = costs
            .pubdata_used
            .unwrap_or(0)
            .saturating_mul(native_per_pubdata);
        let native = costs
            .intrinsic_native
            .saturating_add(costs.execution_native)
            .saturating_add(pubdata_native);
        if session.phase() != SessionPhase::Execution && self.prev_ergs > 0 {
            return (self.prev_ergs, native);
        }
        let ergs = costs
            .intrinsic_gas
            .saturating_mul(ERGS_PER_GAS)
            .saturating_add(costs.execution_ergs);
        (ergs, native)
    }

    /// After transaction `index`'s validation step: its native budget, and its error when
    /// validation refused it (the session moved past its fee charge).
    fn note_validation(&mut self, session: &Session, index: u64) {
        let refused = session.phase() != SessionPhase::FeeCharge || session.tx_index() != index;
        let error = match session.result() {
            Some(Err(error)) if refused => Some(error),
            _ => None,
        };
        let note = TxNote {
            budget: session.native_budget(),
            gas: None,
            error,
        };
        // Notes are kept by transaction index: a session recorded from the middle of a block
        // (its earlier transactions stepped unrecorded, as a replay does) leaves theirs empty.
        let Ok(slot) = usize::try_from(index) else {
            return;
        };
        if self.txs.len() <= slot {
            self.txs.resize(slot + 1, TxNote::UNRECORDED);
        }
        if let Some(entry) = self.txs.get_mut(slot) {
            *entry = note;
        }
    }

    fn note_mut(&mut self, index: u64) -> Option<&mut TxNote> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.txs.get_mut(i))
    }

    /// Index of `key` in [`Self::codes`], adding it on first use. The list is searched only
    /// when the running code changes (a call, a return), and a run holds few codes, so a
    /// linear search is cheaper (in wasm size too) than a map.
    fn code_of(&mut self, key: CodeKey) -> u16 {
        if let Some((last, index)) = self.last_code {
            if last == key {
                return index;
            }
        }
        let found = self.codes.iter().position(|code| *code == key);
        let index = match found.map(u16::try_from) {
            Some(Ok(index)) => index,
            _ => match u16::try_from(self.codes.len()) {
                Ok(index) if found.is_none() && index < NO_CODE => {
                    self.codes.push(key);
                    index
                }
                _ => return NO_CODE,
            },
        };
        self.last_code = Some((key, index));
        index
    }
}

/// `now − before` as a signed count (both stay far below 2^63: ergs are gas × 256).
fn difference(now: u64, before: u64) -> i64 {
    (i128::from(now) - i128::from(before)) as i64
}
