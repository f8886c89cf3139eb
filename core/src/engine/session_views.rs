//! What a stepping session shows of the machine it steps: live frames, touched storage, costs,
//! events and messages.

use crate::ee::evm::{CallKind, Frame, Tracer};
use crate::io::{L2ToL1Message, Log};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::ErgsPerGas;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

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
    /// Ergs left (gas × 256 in either flow, saturating).
    pub ergs: u64,
    /// Gas left.
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
    /// Ergs used by EVM execution so far (gas × 256 in either flow, saturating).
    pub execution_ergs: u64,
    /// Native used by EVM execution so far.
    pub execution_native: u64,
    /// EVM steps run.
    pub steps: u64,
    /// Gas charged in total (after the transaction finished, until the next one starts).
    pub gas_used: Option<u64>,
    /// Native used in total (after the transaction finished, until the next one starts).
    pub native_used: Option<u64>,
    /// Pubdata bytes (after the pubdata phase, until the next transaction starts).
    pub pubdata_used: Option<u64>,
    /// Gas given back by the refund counter (after the refund phase, until the next
    /// transaction starts).
    pub gas_refunded: Option<u64>,
}

/// An event as the session sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionLog {
    /// The event.
    pub log: Log,
    /// Index of the emitting transaction in the session.
    pub tx_index: u64,
    /// Whether its transaction is still running (a revert may still drop it).
    pub pending: bool,
}

/// An L2→L1 message as the session sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionMessage {
    /// The message.
    pub message: L2ToL1Message,
    /// Index of the sending transaction in the session.
    pub tx_index: u64,
    /// Whether its transaction is still running (a revert may still drop it).
    pub pending: bool,
}

/// What a frame shows of itself.
pub(super) fn view(frame: &Frame) -> FrameView {
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
        ergs: frame.ergs_per_gas.zk_ergs(frame.ergs),
        gas: frame.gas_left(),
        refund: frame.refund,
        is_static: frame.is_static,
        stack_len: frame.stack.len() as u64,
        memory_len: frame.memory.len() as u64,
    }
}

/// Ergs execution used so far: what the top-level frame was entered with (in its unit) minus
/// what the live `frames` hold, as ZKsync OS ergs.
pub(super) fn ergs_used((initial, unit): (u64, ErgsPerGas), frames: &[Frame]) -> u64 {
    let held = frames
        .iter()
        .fold(0u64, |held, f| held.saturating_add(f.ergs));
    unit.zk_ergs(initial.saturating_sub(held))
}

/// Records the slots a session touched.
#[derive(Debug, Default)]
pub(super) struct Touched {
    pub(super) slots: BTreeSet<(Address, U256)>,
    pub(super) transient: BTreeMap<(Address, U256), U256>,
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
