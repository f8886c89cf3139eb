//! Block production: runs transactions in order, applies the block's net state changes, and
//! keeps headers, transactions and receipts for the provider. A block's header hash, pubdata
//! and public inputs come from [`block_commitments`], the definition forward and proving mode
//! use, so an engine block commits to exactly what a proven block does.

use super::call::{build_transaction, CallRequest};
use super::error::EngineError;
use super::state::{Changes, Staged, StateOverride, WorldState};
use super::{Engine, FeeParams, History, TRACE_HISTORY_BLOCKS};
use crate::bootloader::{run_block, BlockContext, BlockOutput, BlockTransaction, TxReceipt};
use crate::config::ChainConfig;
use crate::ee::evm::Halt;
use crate::env::BLOCK_HASH_WINDOW;
use crate::io::{Io, Log, StateSource};
use crate::oracle::{block_commitments, BlockCommitments};
use crate::primitives::{Address, Bloom, Bytes, B256, U256};
use crate::state::header::{BlockHeader as ChainHeader, EMPTY_OMMERS_HASH};
use crate::state::tree::StateCommitment;
use crate::trace::NoopTracer;
use crate::tx::{self, Transaction};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// A transaction handed to [`Engine::run_block`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockTx {
    /// A signed EIP-2718 envelope; the sender is recovered from the signature.
    Raw(Bytes),
    /// An unsigned transaction built from call fields and sent as `request.from` (zero when
    /// absent); missing fields default as in [`Engine::call`], with the sender's nonce at its
    /// turn in the block and the block's base fee as fee cap. Runs as a bootloader simulated
    /// transaction (the ZKsync OS flow does not check its nonce).
    Request(Box<CallRequest>),
    /// An unsigned transaction sent as `from` (impersonation; a bootloader simulated
    /// transaction).
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
    /// Price of one unit of native.
    pub native_price: U256,
    /// Price of one byte of pubdata.
    pub pubdata_price: U256,
    /// Most pubdata bytes the block may publish.
    pub pubdata_limit: u64,
    /// `PREVRANDAO`.
    pub prevrandao: B256,
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
    pub l2_to_l1_messages: Vec<crate::bootloader::L2ToL1Message>,
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
    /// Block 0 with no transactions over the empty state; its hash is the hash of the header
    /// ZKsync OS would build for it (parent zero, no transactions, zero gas used).
    pub(super) fn genesis(fees: &FeeParams) -> Self {
        let chain_header = ChainHeader {
            ommers_hash: EMPTY_OMMERS_HASH,
            beneficiary: fees.coinbase,
            gas_limit: fees.block_gas_limit,
            base_fee_per_gas: fees.base_fee,
            ..ChainHeader::default()
        };
        let header = BlockHeader {
            number: 0,
            hash: chain_header.hash(),
            parent_hash: B256::ZERO,
            timestamp: 0,
            coinbase: fees.coinbase,
            gas_limit: fees.block_gas_limit,
            gas_used: 0,
            base_fee: fees.base_fee,
            native_price: fees.native_price,
            pubdata_price: fees.pubdata_price,
            pubdata_limit: fees.pubdata_limit,
            prevrandao: B256::ZERO,
            state_commitment: crate::state::world::WorldState::new().commitment(),
            transactions: Vec::new(),
            pubdata: Bytes::new(),
            block_public_input: B256::ZERO,
            batch_public_input: B256::ZERO,
        };
        Self {
            header,
            txs: Vec::new(),
            receipts: Vec::new(),
        }
    }
}

/// A block transaction decoded for the records: the transaction, its sender, and whether it
/// runs without a signature.
#[derive(Clone)]
struct Prepared {
    tx: Transaction,
    from: Address,
    simulated: bool,
}

impl Engine {
    /// The latest block.
    pub fn head(&self) -> &BlockHeader {
        &self.blocks.last().unwrap_or(&self.genesis).header
    }

    /// The context of the block after the head, with `overrides` applied.
    pub(super) fn next_block_context(&self, overrides: &BlockOverrides) -> BlockContext {
        let head = self.head();
        let number = overrides.number.unwrap_or(head.number + 1);
        BlockContext {
            number,
            timestamp: overrides.timestamp.unwrap_or(head.timestamp + 1),
            coinbase: overrides.coinbase.unwrap_or(self.fees.coinbase),
            gas_limit: overrides.gas_limit.unwrap_or(self.fees.block_gas_limit),
            base_fee: overrides.base_fee.unwrap_or(self.fees.base_fee),
            native_price: self.fees.native_price,
            pubdata_price: self.fees.pubdata_price,
            pubdata_limit: self.fees.pubdata_limit,
            prevrandao: overrides.prevrandao.unwrap_or_default(),
            blob_base_fee: U256::from(1u64),
            block_hashes: self.hashes_before(number),
        }
    }

    /// Hashes of the (at most 256) blocks below `number`, oldest first.
    fn hashes_before(&self, number: u64) -> Vec<B256> {
        let mut hashes: Vec<B256> = core::iter::once(&self.genesis)
            .chain(&self.blocks)
            .map(|b| &b.header)
            .filter(|h| h.number < number)
            .map(|h| h.hash)
            .collect();
        let excess = hashes.len().saturating_sub(BLOCK_HASH_WINDOW as usize);
        hashes.drain(..excess);
        hashes
    }

    /// The context block `header` ran with.
    pub(super) fn context_of(&self, header: &BlockHeader) -> BlockContext {
        BlockContext {
            number: header.number,
            timestamp: header.timestamp,
            coinbase: header.coinbase,
            gas_limit: header.gas_limit,
            base_fee: header.base_fee,
            native_price: header.native_price,
            pubdata_price: header.pubdata_price,
            pubdata_limit: header.pubdata_limit,
            prevrandao: header.prevrandao,
            blob_base_fee: U256::from(1u64),
            block_hashes: self.hashes_before(header.number),
        }
    }

    /// Turns the engine's block transactions into the bootloader's, building call-style
    /// requests with the nonce each sender will have at their turn.
    fn to_bootloader(
        &self,
        txs: &[BlockTx],
        context: &BlockContext,
    ) -> (Vec<BlockTransaction>, Vec<Option<Prepared>>) {
        let cap = self.tx_gas_cap().min(context.gas_limit);
        let mut next_nonce: BTreeMap<Address, u64> = BTreeMap::new();
        let mut items = Vec::with_capacity(txs.len());
        let mut prepared = Vec::with_capacity(txs.len());
        for item in txs {
            let (block_tx, p) = match item {
                BlockTx::Raw(bytes) => {
                    let decoded = tx::decode(bytes).ok().and_then(|tx| {
                        let from = match &tx.l1 {
                            Some(l1) => l1.from,
                            None => tx::recover_sender(&tx).ok()?,
                        };
                        Some(Prepared {
                            tx,
                            from,
                            simulated: false,
                        })
                    });
                    (BlockTransaction::Encoded(bytes.clone()), decoded)
                }
                BlockTx::Request(request) => {
                    let from = request.from.unwrap_or_default();
                    let (nonce, balance) = self
                        .state
                        .account(&from)
                        .map(|(n, b, _)| (n, b))
                        .unwrap_or_default();
                    let nonce = next_nonce.get(&from).copied().unwrap_or(nonce);
                    let tx = build_transaction(
                        request,
                        self.config.chain_id,
                        context.base_fee,
                        cap,
                        (nonce, balance),
                        None,
                    );
                    (
                        BlockTransaction::Simulated {
                            tx: tx.clone(),
                            from,
                        },
                        Some(Prepared {
                            tx,
                            from,
                            simulated: true,
                        }),
                    )
                }
                BlockTx::Unsigned { tx, from } => {
                    let mut tx = Transaction::clone(tx);
                    tx.signature = None;
                    (
                        BlockTransaction::Simulated {
                            tx: tx.clone(),
                            from: *from,
                        },
                        Some(Prepared {
                            tx,
                            from: *from,
                            simulated: true,
                        }),
                    )
                }
            };
            if let Some(p) = &p {
                next_nonce.insert(p.from, p.tx.nonce.saturating_add(1));
            }
            items.push(block_tx);
            prepared.push(p);
        }
        (items, prepared)
    }

    /// Produces the next block from `txs`: transactions that are invalid against the state
    /// at their turn (or would exceed a block limit) are left out and reported; the others are
    /// executed in order and their net changes applied. Number and timestamp advance by one
    /// unless overridden.
    pub fn run_block(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockReport, EngineError> {
        self.produce(txs, overrides, false)
    }

    /// Checks the overrides of the next block and prepares its transactions.
    pub(super) fn plan_block(
        &self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockPlan, EngineError> {
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
        let context = self.next_block_context(&overrides);
        let (items, prepared) = self.to_bootloader(txs, &context);
        Ok(BlockPlan {
            context,
            items,
            prepared,
            head_timestamp,
        })
    }

    /// Produces a block; with `all_or_nothing`, a rejected transaction makes it an error and
    /// nothing changes.
    fn produce(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
        all_or_nothing: bool,
    ) -> Result<BlockReport, EngineError> {
        let plan = self.plan_block(txs, overrides)?;
        let no_overrides = StateOverride::new();
        let sealed = {
            let mut io = Io::new(self.state.source(&no_overrides), self.costs.clone());
            let output = run_block(
                &mut io,
                &self.config,
                &plan.context,
                &plan.items,
                &mut NoopTracer,
            );
            seal_block(&self.config, &self.state, &plan, output, &io)?
        };
        if all_or_nothing {
            if let Some(r) = sealed.report.rejected.first() {
                return Err(r.error.clone());
            }
        }
        Ok(self.record(sealed))
    }

    /// Keeps a sealed block: applies its state changes and records its header, transactions
    /// and receipts (and the pre-state for re-tracing).
    pub(super) fn record(&mut self, sealed: Sealed) -> BlockReport {
        let Sealed {
            staged,
            report,
            txs,
        } = sealed;
        let pre_state = self.state.clone();
        self.state.commit(staged);
        for tx in &txs {
            self.tx_index
                .insert(tx.hash, (tx.block_number, tx.index as usize));
        }
        self.blocks.push(StoredBlock {
            header: report.header.clone(),
            txs,
            receipts: report.receipts.clone(),
        });
        self.history.push_back(History {
            number: report.header.number,
            pre_state,
        });
        while self.history.len() > TRACE_HISTORY_BLOCKS {
            self.history.pop_front();
        }
        report
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

    /// The pre-state of block `number` (if still kept) and the block.
    pub(super) fn replay_point(&self, number: u64) -> Option<(&WorldState, &StoredBlock)> {
        let history = self.history.iter().find(|h| h.number == number)?;
        Some((&history.pre_state, self.stored(number)?))
    }
}

/// The next block's inputs, ready for the bootloader.
pub(super) struct BlockPlan {
    /// The block's context.
    pub(super) context: BlockContext,
    /// Its transactions as the bootloader takes them.
    pub(super) items: Vec<BlockTransaction>,
    /// The same transactions decoded for the records (`None` when undecodable).
    prepared: Vec<Option<Prepared>>,
    /// Timestamp of the head the block follows.
    pub(super) head_timestamp: u64,
}

/// A block run to its end, with its commitments and records, not yet kept by the engine.
pub(super) struct Sealed {
    staged: Staged,
    /// What the block produced.
    pub(super) report: BlockReport,
    txs: Vec<TxRecord>,
}

/// Seals a block run from `plan` over `state`: stages the net changes held by `io`, builds
/// the block's commitments ([`block_commitments`]) and its header, receipts and records.
pub(super) fn seal_block<S: StateSource>(
    config: &ChainConfig,
    state: &WorldState,
    plan: &BlockPlan,
    output: BlockOutput,
    io: &Io<S>,
) -> Result<Sealed, EngineError> {
    let staged = state.stage(Changes::collect(io))?;
    let commitments = block_commitments(
        config,
        &plan.context,
        &output,
        staged.tree_changes(),
        state.commitment(),
        plan.head_timestamp,
        staged.commitment(),
    )
    .map_err(EngineError::Commitment)?;
    let mut included = Vec::new();
    let mut rejected = Vec::new();
    for (position, (result, p)) in output
        .results
        .into_iter()
        .zip(plan.prepared.iter().cloned())
        .enumerate()
    {
        match (result.outcome, p) {
            (Ok(receipt), Some(p)) => included.push((p, receipt)),
            (Ok(_), None) => rejected.push(Rejected {
                position,
                tx_hash: Some(result.tx_hash),
                error: EngineError::BadInput("transaction could not be recorded"),
            }),
            (Err(reason), _) => rejected.push(Rejected {
                position,
                tx_hash: Some(result.tx_hash),
                error: EngineError::from(reason),
            }),
        }
    }
    let (report, txs) = seal(plan.context.clone(), commitments, included, rejected);
    Ok(Sealed {
        staged,
        report,
        txs,
    })
}

/// A block's report and transaction records from its context, its commitments and its
/// included transactions.
fn seal(
    context: BlockContext,
    commitments: BlockCommitments,
    included: Vec<(Prepared, TxReceipt)>,
    rejected: Vec<Rejected>,
) -> (BlockReport, Vec<TxRecord>) {
    let header = BlockHeader {
        number: context.number,
        hash: commitments.block_hash,
        parent_hash: commitments.header.parent_hash,
        timestamp: context.timestamp,
        coinbase: context.coinbase,
        gas_limit: context.gas_limit,
        gas_used: commitments.header.gas_used,
        base_fee: context.base_fee,
        native_price: context.native_price,
        pubdata_price: context.pubdata_price,
        pubdata_limit: context.pubdata_limit,
        prevrandao: context.prevrandao,
        state_commitment: commitments.state_after.state,
        transactions: included.iter().map(|(_, r)| r.tx_hash).collect(),
        pubdata: Bytes::from(commitments.pubdata),
        block_public_input: commitments.block_public_input,
        batch_public_input: commitments.batch_public_input,
    };
    let mut cumulative = 0u64;
    let mut log_index = 0u64;
    let mut txs = Vec::with_capacity(included.len());
    let mut receipts = Vec::with_capacity(included.len());
    for (index, (prepared, executed)) in included.into_iter().enumerate() {
        let index = index as u64;
        let hash = executed.tx_hash;
        cumulative += executed.gas_used;
        let mut logs_bloom = Bloom::ZERO;
        for log in &executed.logs {
            logs_bloom.accrue_raw_log(log.address, &log.topics);
        }
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
            tx_hash: hash,
            tx_index: index,
            block_number: header.number,
            block_hash: header.hash,
            from: prepared.from,
            to: prepared.tx.to,
            tx_type: prepared.tx.tx_type,
            status: executed.success,
            gas_used: executed.gas_used,
            cumulative_gas_used: cumulative,
            effective_gas_price: executed.gas_price,
            contract_address: executed.created,
            logs,
            logs_bloom,
            gas_refunded: executed.gas_refunded,
            native_used: executed.native_used,
            computational_native_used: executed.computational_native_used,
            pubdata_used: executed.pubdata_used,
            l2_to_l1_messages: executed.l2_to_l1_messages,
            output: executed.output,
            halt: executed.halt,
        });
        txs.push(TxRecord {
            hash,
            from: prepared.from,
            simulated: prepared.simulated,
            tx: prepared.tx,
            block_number: header.number,
            index,
        });
    }
    let report = BlockReport {
        header,
        receipts,
        rejected,
    };
    (report, txs)
}
