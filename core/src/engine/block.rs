//! Block production: runs transactions in order, applies the block's net state changes, and
//! keeps headers, transactions and receipts for the provider.

use super::call::{build_transaction, CallRequest};
use super::error::EngineError;
use super::exec::{execute, Executed};
use super::state::{Changes, StateOverride};
use super::{Engine, FeeParams};
use crate::ee::evm::Halt;
use crate::env::{BlockEnv, BLOCK_HASH_WINDOW};
use crate::io::{Io, Log};
use crate::primitives::{keccak256_concat, Address, Bytes, B256, U256};
use crate::trace::NoopTracer;
use crate::tx::{self, Transaction};
use alloc::boxed::Box;
use alloc::vec::Vec;

/// A transaction handed to [`Engine::run_block`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockTx {
    /// A signed EIP-2718 envelope; the sender is recovered from the signature.
    Raw(Bytes),
    /// An unsigned transaction built from call fields and sent as `request.from` (zero when
    /// absent); missing fields default as in [`Engine::call`], with the sender's nonce at its
    /// turn in the block and the block's base fee as fee cap.
    Request(Box<CallRequest>),
    /// An unsigned transaction sent as `from` (impersonation).
    Unsigned {
        /// The transaction (its signature, if any, is ignored).
        tx: Box<Transaction>,
        /// The sender.
        from: Address,
    },
}

/// Values of the next block that replace the engine's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockOverrides {
    /// Block number (must be above the head for a produced block).
    pub number: Option<u64>,
    /// Timestamp in seconds (must not go below the head's for a produced block).
    pub timestamp: Option<u64>,
    /// Fee recipient.
    pub coinbase: Option<Address>,
    /// Base fee per gas.
    pub base_fee: Option<U256>,
    /// Block gas limit.
    pub gas_limit: Option<u64>,
    /// `PREVRANDAO`.
    pub prevrandao: Option<B256>,
}

/// Header-like data of a produced block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockHeader {
    /// Block number.
    pub number: u64,
    /// Block hash: keccak256(parent hash ‖ number ‖ timestamp ‖ transaction hashes), an
    /// engine-defined value, not an Ethereum header hash.
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
    /// Price of one unit of native.
    pub native_price: U256,
    /// Price of one byte of pubdata.
    pub pubdata_price: U256,
    /// `PREVRANDAO`.
    pub prevrandao: B256,
    /// Hashes of the included transactions, in order.
    pub transactions: Vec<B256>,
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
    /// Gas given back by the refund counter.
    pub gas_refunded: u64,
    /// Native used.
    pub native_used: u64,
    /// Native used for computation (everything but pubdata).
    pub computational_native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// L2→L1 messages sent.
    pub l2_to_l1_messages: Vec<crate::bootloader::L2ToL1Message>,
    /// Return or revert data.
    pub output: Bytes,
    /// Halt reason when execution halted.
    pub halt: Option<Halt>,
}

/// An included transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxRecord {
    /// Transaction hash (for an unsigned transaction: keccak256(signing hash ‖ sender)).
    pub hash: B256,
    /// Sender.
    pub from: Address,
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
    /// Position in the list handed to [`Engine::run_block`].
    pub position: usize,
    /// Hash, when the transaction could be decoded.
    pub tx_hash: Option<B256>,
    /// Why it was rejected.
    pub error: EngineError,
}

/// What [`Engine::run_block`] produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockReport {
    /// The new block.
    pub header: BlockHeader,
    /// Receipts of the included transactions.
    pub receipts: Vec<Receipt>,
    /// Transactions left out.
    pub rejected: Vec<Rejected>,
}

/// A block as the engine keeps it.
pub(super) struct StoredBlock {
    pub(super) header: BlockHeader,
    pub(super) txs: Vec<TxRecord>,
    pub(super) receipts: Vec<Receipt>,
}

impl StoredBlock {
    /// Block 0 with no transactions.
    pub(super) fn genesis(fees: &FeeParams) -> Self {
        let mut header = BlockHeader {
            number: 0,
            hash: B256::ZERO,
            parent_hash: B256::ZERO,
            timestamp: 0,
            coinbase: fees.coinbase,
            gas_limit: fees.block_gas_limit,
            gas_used: 0,
            base_fee: fees.base_fee,
            native_price: fees.native_price,
            pubdata_price: fees.pubdata_price,
            prevrandao: B256::ZERO,
            transactions: Vec::new(),
        };
        header.hash = block_hash(&header);
        Self {
            header,
            txs: Vec::new(),
            receipts: Vec::new(),
        }
    }
}

fn block_hash(header: &BlockHeader) -> B256 {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(3 + header.transactions.len());
    let number = header.number.to_be_bytes();
    let timestamp = header.timestamp.to_be_bytes();
    parts.push(header.parent_hash.as_slice());
    parts.push(&number);
    parts.push(&timestamp);
    for hash in &header.transactions {
        parts.push(hash.as_slice());
    }
    keccak256_concat(&parts)
}

/// A transaction ready to run: decoded, with its sender and hash.
pub(super) struct Prepared {
    pub(super) tx: Transaction,
    pub(super) from: Address,
    pub(super) hash: B256,
}

/// The hash given to an unsigned transaction: keccak256(signing hash ‖ sender).
fn unsigned_hash(tx: &Transaction, from: &Address) -> Result<B256, (Option<B256>, EngineError)> {
    let signing = tx.signing_hash().map_err(|_| {
        (
            None,
            EngineError::BadInput("transaction fields do not fit its type"),
        )
    })?;
    Ok(keccak256_concat(&[signing.as_slice(), from.as_slice()]))
}

/// Decodes and recovers a block transaction; `sender_state` gives `(nonce, balance)` of an
/// account at this point of the block and `cap` the largest gas limit.
fn prepare(
    item: &BlockTx,
    chain_id: u64,
    env: &BlockEnv,
    cap: u64,
    sender_state: impl FnOnce(&Address) -> (u64, U256),
) -> Result<Prepared, (Option<B256>, EngineError)> {
    match item {
        BlockTx::Request(request) => {
            let from = request.from.unwrap_or_default();
            let tx = build_transaction(
                request,
                chain_id,
                env.base_fee,
                cap,
                sender_state(&from),
                None,
            );
            let hash = unsigned_hash(&tx, &from)?;
            Ok(Prepared { tx, from, hash })
        }
        BlockTx::Raw(bytes) => {
            let tx = tx::decode(bytes).map_err(|e| (None, EngineError::Decode(e)))?;
            let hash = crate::primitives::keccak256(bytes);
            let from = match &tx.l1 {
                Some(l1) => l1.from,
                None => {
                    tx::recover_sender(&tx).map_err(|e| (Some(hash), EngineError::Signature(e)))?
                }
            };
            Ok(Prepared { tx, from, hash })
        }
        BlockTx::Unsigned { tx, from } => {
            let mut tx = Transaction::clone(tx);
            tx.signature = None;
            let signing = tx.signing_hash().map_err(|_| {
                (
                    None,
                    EngineError::BadInput("transaction fields do not fit its type"),
                )
            })?;
            let hash = keccak256_concat(&[signing.as_slice(), from.as_slice()]);
            Ok(Prepared {
                tx,
                from: *from,
                hash,
            })
        }
    }
}

impl Engine {
    /// The latest block.
    pub fn head(&self) -> &BlockHeader {
        &self.blocks.last().unwrap_or(&self.genesis).header
    }

    /// The block environment of the block after the head, with `overrides` applied.
    pub(super) fn next_block_env(&self, overrides: &BlockOverrides) -> BlockEnv {
        let head = self.head();
        let number = overrides.number.unwrap_or(head.number + 1);
        let first = self
            .blocks
            .len()
            .saturating_sub(BLOCK_HASH_WINDOW as usize - 1);
        let block_hashes = core::iter::once(&self.genesis)
            .filter(|_| first == 0)
            .chain(self.blocks.get(first..).unwrap_or_default())
            .map(|b| b.header.hash)
            .collect();
        BlockEnv {
            number,
            timestamp: overrides.timestamp.unwrap_or(head.timestamp + 1),
            coinbase: overrides.coinbase.unwrap_or(self.fees.coinbase),
            gas_limit: overrides.gas_limit.unwrap_or(self.fees.block_gas_limit),
            base_fee: overrides.base_fee.unwrap_or(self.fees.base_fee),
            prevrandao: overrides.prevrandao.unwrap_or_default(),
            blob_base_fee: U256::from(1u64),
            block_hashes,
        }
    }

    /// Produces the next block from `txs`: transactions that are invalid against the state
    /// at their turn (or do not fit the block's gas) are left out and reported; the others are
    /// executed in order and their net changes applied. Number and timestamp advance by one
    /// unless overridden.
    pub fn run_block(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockReport, EngineError> {
        self.produce(txs, overrides, false)
    }

    /// Produces a block; with `all_or_nothing`, a rejected transaction makes it an error and
    /// nothing changes.
    fn produce(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
        all_or_nothing: bool,
    ) -> Result<BlockReport, EngineError> {
        let overrides = overrides.unwrap_or_default();
        let head_number = self.head().number;
        let head_timestamp = self.head().timestamp;
        if overrides.number.is_some_and(|n| n <= head_number) {
            return Err(EngineError::BadInput("block number must be above the head"));
        }
        if overrides.timestamp.is_some_and(|t| t < head_timestamp) {
            return Err(EngineError::BadInput(
                "timestamp must not go below the head's",
            ));
        }
        let env = self.next_block_env(&overrides);
        let parent_hash = self.head().hash;
        let no_overrides = StateOverride::new();
        let mut included: Vec<(Prepared, Executed)> = Vec::new();
        let mut rejected = Vec::new();
        let changes = {
            let mut io = Io::new(self.state.source(&no_overrides), self.costs.clone());
            let mut gas_used: u64 = 0;
            let cap = self.tx_gas_cap().min(env.gas_limit);
            for (position, item) in txs.iter().enumerate() {
                let prepared = match prepare(item, self.config.chain_id, &env, cap, |a| {
                    let account = io.account(a);
                    (account.nonce, account.balance)
                }) {
                    Ok(p) => p,
                    Err((tx_hash, error)) => {
                        rejected.push(Rejected {
                            position,
                            tx_hash,
                            error,
                        });
                        continue;
                    }
                };
                let available = env.gas_limit.saturating_sub(gas_used);
                if prepared.tx.gas_limit > available {
                    rejected.push(Rejected {
                        position,
                        tx_hash: Some(prepared.hash),
                        error: EngineError::Invalid(
                            crate::bootloader::validation::InvalidTransaction::GasLimitAboveBlock {
                                limit: prepared.tx.gas_limit,
                                available,
                            },
                        ),
                    });
                    continue;
                }
                match execute(
                    &mut io,
                    &self.config,
                    &env,
                    &prepared.tx,
                    prepared.from,
                    &mut NoopTracer,
                ) {
                    Ok(executed) => {
                        gas_used += executed.gas_used;
                        included.push((prepared, executed));
                    }
                    Err(e) => rejected.push(Rejected {
                        position,
                        tx_hash: Some(prepared.hash),
                        error: EngineError::Invalid(e),
                    }),
                }
            }
            Changes::collect(&io)
        };
        if all_or_nothing {
            if let Some(r) = rejected.into_iter().next() {
                return Err(r.error);
            }
            rejected = Vec::new();
        }
        self.state.apply(changes);
        let report = self.seal(env, parent_hash, included, rejected);
        Ok(report)
    }

    /// Decodes a signed transaction and mines it alone in a new block; returns its hash.
    /// A transaction that cannot be included is an error and produces no block.
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<B256, EngineError> {
        let item = BlockTx::Raw(Bytes::copy_from_slice(raw));
        let report = self.produce(&[item], None, true)?;
        report
            .receipts
            .first()
            .map(|r| r.tx_hash)
            .ok_or(EngineError::BadInput("transaction was not included"))
    }

    fn seal(
        &mut self,
        env: BlockEnv,
        parent_hash: B256,
        included: Vec<(Prepared, Executed)>,
        rejected: Vec<Rejected>,
    ) -> BlockReport {
        let mut header = BlockHeader {
            number: env.number,
            hash: B256::ZERO,
            parent_hash,
            timestamp: env.timestamp,
            coinbase: env.coinbase,
            gas_limit: env.gas_limit,
            gas_used: included.iter().map(|(_, e)| e.gas_used).sum(),
            base_fee: env.base_fee,
            native_price: self.fees.native_price,
            pubdata_price: self.fees.pubdata_price,
            prevrandao: env.prevrandao,
            transactions: included.iter().map(|(p, _)| p.hash).collect(),
        };
        header.hash = block_hash(&header);
        let mut cumulative = 0u64;
        let mut log_index = 0u64;
        let mut txs = Vec::with_capacity(included.len());
        let mut receipts = Vec::with_capacity(included.len());
        for (index, (prepared, executed)) in included.into_iter().enumerate() {
            let index = index as u64;
            cumulative += executed.gas_used;
            let logs = executed
                .logs
                .into_iter()
                .map(|log| {
                    let record = LogRecord { log, log_index };
                    log_index += 1;
                    record
                })
                .collect();
            receipts.push(Receipt {
                tx_hash: prepared.hash,
                tx_index: index,
                block_number: header.number,
                block_hash: header.hash,
                from: prepared.from,
                to: prepared.tx.to,
                tx_type: prepared.tx.tx_type,
                status: executed.success,
                gas_used: executed.gas_used,
                cumulative_gas_used: cumulative,
                effective_gas_price: executed.effective_gas_price,
                contract_address: executed.created,
                logs,
                gas_refunded: executed.gas_refunded,
                native_used: executed.native_used,
                computational_native_used: executed.computational_native_used,
                pubdata_used: executed.pubdata_used,
                l2_to_l1_messages: executed.l2_to_l1_messages,
                output: executed.output,
                halt: executed.halt,
            });
            self.tx_index
                .insert(prepared.hash, (header.number, index as usize));
            txs.push(TxRecord {
                hash: prepared.hash,
                from: prepared.from,
                tx: prepared.tx,
                block_number: header.number,
                index,
            });
        }
        self.blocks.push(StoredBlock {
            header: header.clone(),
            txs,
            receipts: receipts.clone(),
        });
        BlockReport {
            header,
            receipts,
            rejected,
        }
    }

    fn stored(&self, number: u64) -> Option<&StoredBlock> {
        if number == 0 {
            return Some(&self.genesis);
        }
        let index = self
            .blocks
            .binary_search_by_key(&number, |b| b.header.number)
            .ok()?;
        self.blocks.get(index)
    }

    /// The block with `number`.
    pub fn get_block(&self, number: u64) -> Option<&BlockHeader> {
        self.stored(number).map(|b| &b.header)
    }

    /// The block with `hash`.
    pub fn get_block_by_hash(&self, hash: &B256) -> Option<&BlockHeader> {
        core::iter::once(&self.genesis)
            .chain(&self.blocks)
            .map(|b| &b.header)
            .find(|h| h.hash == *hash)
    }

    /// An included transaction.
    pub fn get_transaction(&self, hash: &B256) -> Option<&TxRecord> {
        let (number, index) = self.tx_index.get(hash)?;
        self.stored(*number)?.txs.get(*index)
    }

    /// The receipt of an included transaction.
    pub fn get_receipt(&self, hash: &B256) -> Option<&Receipt> {
        let (number, index) = self.tx_index.get(hash)?;
        self.stored(*number)?.receipts.get(*index)
    }
}
