//! What the engine keeps and reports about blocks: the transactions handed to it, the blocks it
//! produced with their receipts and transaction records, and what it left out.

use super::error::EngineError;
use super::fees::FeeParams;
use super::request::TxRequest;
use crate::bootloader::DecodedTx;
use crate::ee::evm::Halt;
use crate::io::{L2ToL1Message, Log};
use crate::primitives::{Address, Bloom, Bytes, B256, U256};
use crate::state::header::{BlockHeader, EMPTY_OMMERS_HASH};
use crate::state::tree::StateCommitment;
use crate::state::world::WorldState;
use crate::tx::{AccessListItem, Authorization, Transaction};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// A transaction handed to [`Engine::run_block`](crate::engine::Engine::run_block).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockTx {
    /// A signed EIP-2718 envelope; the sender is recovered from the signature.
    Raw(Bytes),
    /// An unsigned transaction built from call fields and sent as `request.from` (zero when
    /// absent); missing fields default as in [`Engine::call`](crate::engine::Engine::call), with the sender's nonce at its
    /// turn in the block and the block's base fee as fee cap. Runs without a signature check;
    /// a nonce it names must be the sender's, as for a signed transaction.
    Request(Box<TxRequest>),
    /// An unsigned transaction sent as `from` (impersonation): no signature check, but its
    /// nonce must be the sender's, as for a signed transaction.
    Unsigned {
        /// The transaction (its signature, if any, is ignored).
        tx: Box<Transaction>,
        /// The sender.
        from: Address,
    },
}

/// A transaction as the next block would take it, before it runs
/// ([`Engine::pending_tx`](crate::engine::Engine::pending_tx)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTx {
    /// Transaction hash (as its receipt will carry it).
    pub hash: B256,
    /// Sender (recovered, or the request's `from`).
    pub sender: Address,
    /// Nonce.
    pub nonce: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Fee cap per gas, in wei (the gas price of a legacy transaction).
    pub max_fee_per_gas: u128,
    /// Tip cap per gas, in wei (the gas price of a legacy transaction).
    pub max_priority_fee_per_gas: u128,
    /// EIP-2718 type.
    pub tx_type: u8,
    /// Recipient (`None` for a deployment).
    pub to: Option<Address>,
    /// Value, in wei.
    pub value: U256,
    /// Calldata or init code.
    pub input: Bytes,
    /// EIP-2930 access list (typed transactions; empty for legacy ones).
    pub access_list: Vec<AccessListItem>,
    /// EIP-7702 authorization list (type 0x04; empty otherwise).
    pub authorization_list: Vec<Authorization>,
}

/// A produced block as the engine reports it: its header fields, its commitments and its
/// transactions' hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    /// Block number.
    pub number: u64,
    /// Block hash: keccak256 of the RLP of the ZKsync OS block header (see
    /// [`crate::state::header`]), the hash the block's pubdata and public inputs commit to.
    pub hash: B256,
    /// Hash of the previous block (zero for genesis).
    pub parent_hash: B256,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Fee recipient.
    pub coinbase: Address,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Gas used by the included transactions.
    pub gas_used: u64,
    /// Base fee per gas.
    pub base_fee: U256,
    /// Blob gas of the included transactions.
    pub blob_gas_used: u64,
    /// Excess blob gas (EIP-4844), which sets the block's blob base fee.
    pub excess_blob_gas: u64,
    /// Price of one unit of native.
    pub native_price: U256,
    /// Price of one byte of pubdata.
    pub pubdata_price: U256,
    /// Most pubdata bytes the block may publish.
    pub pubdata_limit: u64,
    /// `PREVRANDAO`: the header's mix hash (always 1 under protocol version 2).
    pub prevrandao: B256,
    /// The header's transactions root: the rolling keccak of the transaction hashes it rolls
    /// (under protocol version 2 the bootloader's own hashes, see
    /// [`crate::state::header::header_tx_hash`]).
    pub transactions_root: B256,
    /// State commitment after the block: Blake2s tree root and next free leaf index.
    pub state_commitment: StateCommitment,
    /// Hashes of the included transactions, in order.
    pub transactions: Vec<B256>,
    /// The block's pubdata (empty for genesis).
    pub pubdata: Bytes,
    /// Block public input: blake2s over the chain states before and after and the block
    /// output (zero for genesis, which is not proven).
    pub block_public_input: B256,
    /// Batch public input (one block per batch): keccak over the chain states before and
    /// after and the batch output (zero for genesis).
    pub batch_public_input: B256,
}

/// An event with its position in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// The event.
    pub log: Log,
    /// Index of the event within its block.
    pub log_index: u64,
}

/// Receipt of an included transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Transaction hash.
    pub tx_hash: B256,
    /// Index within the block.
    pub tx_index: u64,
    /// Block number.
    pub block_number: u64,
    /// Block hash.
    pub block_hash: B256,
    /// Sender.
    pub from: Address,
    /// Recipient (`None` for a deployment).
    pub to: Option<Address>,
    /// EIP-2718 type.
    pub tx_type: u8,
    /// Whether execution succeeded.
    pub status: bool,
    /// Gas charged.
    pub gas_used: u64,
    /// Gas used by this and the earlier transactions of the block.
    pub cumulative_gas_used: u64,
    /// Price per gas paid.
    pub effective_gas_price: U256,
    /// Deployed contract.
    pub contract_address: Option<Address>,
    /// Events.
    pub logs: Vec<LogRecord>,
    /// Ethereum's 2048-bit bloom filter of the events' addresses and topics.
    pub logs_bloom: Bloom,
    /// Gas given back by the refund counter.
    pub gas_refunded: u64,
    /// Native used.
    pub native_used: u64,
    /// Native used for computation (everything but pubdata).
    pub computational_native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// L2→L1 messages sent.
    pub l2_to_l1_messages: Vec<L2ToL1Message>,
    /// Return or revert data.
    pub output: Bytes,
    /// Halt reason when execution halted.
    pub halt: Option<Halt>,
}

/// An included transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    /// Transaction hash (for an unsigned transaction: its signing hash).
    pub hash: B256,
    /// Sender.
    pub from: Address,
    /// Whether it ran without a signature (impersonated).
    pub simulated: bool,
    /// The transaction.
    pub tx: Transaction,
    /// Block number.
    pub block_number: u64,
    /// Index within the block.
    pub index: u64,
}

/// A transaction that was not included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Position in the list handed to [`Engine::run_block`](crate::engine::Engine::run_block).
    pub position: usize,
    /// Hash, when the transaction could be decoded.
    pub tx_hash: Option<B256>,
    /// Why it was rejected.
    pub error: EngineError,
}

/// What [`Engine::run_block`](crate::engine::Engine::run_block) produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockReport {
    /// The new block.
    pub header: BlockInfo,
    /// Receipts of the included transactions.
    pub receipts: Vec<Receipt>,
    /// Transactions left out.
    pub rejected: Vec<Rejected>,
}

/// A block as the engine keeps it.
#[derive(Clone)]
pub(super) struct StoredBlock {
    pub(super) header: BlockInfo,
    pub(super) txs: Vec<TxRecord>,
    pub(super) receipts: Vec<Receipt>,
    /// The decoded transactions the block ran and rejected, in order.
    pub(super) rejected_runs: Vec<RejectedRun>,
    /// The state version the block ran on (its entry in the history window).
    pub(super) pre_version: u64,
}

/// A decoded transaction its block ran and rejected: a replay of the block runs it again at
/// its turn, since what it left in the block's caches (protocol version 2 keeps them) changes
/// what later transactions pay.
#[derive(Clone)]
pub(super) struct RejectedRun {
    /// Number of included transactions before it.
    pub(super) included_before: usize,
    /// The transaction as the block ran it.
    pub(super) tx: DecodedTx,
}

impl StoredBlock {
    /// Block 0 with no transactions over the empty state; its hash is the hash of the header
    /// ZKsync OS would build for it (parent zero, no transactions, zero gas used).
    pub(super) fn genesis(fees: &FeeParams) -> Self {
        let chain_header = BlockHeader {
            ommers_hash: EMPTY_OMMERS_HASH,
            beneficiary: fees.coinbase,
            gas_limit: fees.block_gas_limit,
            base_fee_per_gas: fees.base_fee,
            ..BlockHeader::default()
        };
        let header = BlockInfo {
            number: 0,
            hash: chain_header.hash(),
            parent_hash: B256::ZERO,
            timestamp: 0,
            coinbase: fees.coinbase,
            gas_limit: fees.block_gas_limit,
            gas_used: 0,
            base_fee: fees.base_fee,
            blob_gas_used: 0,
            excess_blob_gas: 0,
            native_price: fees.native_price,
            pubdata_price: fees.pubdata_price,
            pubdata_limit: fees.pubdata_limit,
            prevrandao: B256::ZERO,
            transactions_root: B256::ZERO,
            state_commitment: WorldState::new().commitment(),
            transactions: Vec::new(),
            pubdata: Bytes::new(),
            block_public_input: B256::ZERO,
            batch_public_input: B256::ZERO,
        };
        Self {
            header,
            txs: Vec::new(),
            receipts: Vec::new(),
            rejected_runs: Vec::new(),
            pre_version: 0,
        }
    }
}
