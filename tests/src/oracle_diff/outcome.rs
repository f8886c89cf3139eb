//! What a block did, in terms both sides report: per transaction and per block.

use alloy_primitives::{Address, B256};

/// How a transaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Included and succeeded.
    Success,
    /// Included and reverted (or halted).
    Reverted,
    /// Not included.
    Invalid,
}

impl Status {
    /// The oracle's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Reverted => "reverted",
            Status::Invalid => "invalid",
        }
    }
}

/// An event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Emitter.
    pub address: Address,
    /// Topics.
    pub topics: Vec<B256>,
    /// Data.
    pub data: Vec<u8>,
}

/// One transaction's result. For an invalid transaction only `status` and `reason` count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxOutcome {
    /// How it ended.
    pub status: Status,
    /// For an invalid transaction, the rejection reason normalised to one name (see
    /// [`super::compare::normalise_reason`]).
    pub reason: Option<String>,
    /// Gas charged.
    pub gas_used: u64,
    /// Gas given back by the refund counter.
    pub gas_refunded: u64,
    /// Native used, pubdata's native included.
    pub native_used: u64,
    /// Native used for computation.
    pub computational_native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// Return or revert data.
    pub return_data: Vec<u8>,
    /// Events.
    pub logs: Vec<LogEntry>,
    /// Deployed contract.
    pub contract_address: Option<Address>,
    /// L2→L1 logs the transaction sent (`None` where a side does not say).
    pub l2_to_l1_logs: Option<u64>,
    /// Transaction hash (`None` where a side does not say: zkos for bytes that do not decode).
    pub hash: Option<B256>,
    /// Recovered sender (`None` where a side does not say: zkos for a rejected transaction).
    pub from: Option<Address>,
}

impl TxOutcome {
    /// An invalid transaction with `reason`.
    pub fn invalid(reason: String) -> Self {
        Self {
            status: Status::Invalid,
            reason: Some(reason),
            gas_used: 0,
            gas_refunded: 0,
            native_used: 0,
            computational_native_used: 0,
            pubdata_used: 0,
            return_data: Vec::new(),
            logs: Vec::new(),
            contract_address: None,
            l2_to_l1_logs: None,
            hash: None,
            from: None,
        }
    }
}

/// One block's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockOutcome {
    /// Per transaction, in input order.
    pub txs: Vec<TxOutcome>,
    /// The block's pubdata bytes, with the block hash inside zeroed (the hashes are compared
    /// on their own).
    pub pubdata: Vec<u8>,
    /// The block header hash, for zkos recomputed with a zero parent hash as the oracle's
    /// (see [`super::header`]).
    pub header_hash: B256,
    /// Computational native of the whole block (`None` where a side does not say).
    pub computational_native: Option<u64>,
    /// The state tree's next free leaf after the block (`None` where a side does not say). Its
    /// root is not compared: the oracle's rig builds the pre-state's leaves in another order
    /// (and records pre-state code apart) than zkos's `Engine::set_account`, so the roots differ
    /// before any transaction runs; the number of leaves agrees.
    pub next_free_slot: Option<u64>,
}
