//! Block production: runs the next block's transactions in order, applies its net state
//! changes, and keeps its header, transactions and receipts for the provider. A block's header
//! hash, pubdata and public inputs come from [`block_commitments`], the definition forward and
//! proving mode use, so an engine block commits to exactly what a proven block does.

use super::chain::{AccountInput, Engine, History};
use super::chain_state::{ChainState, Staged};
use super::error::EngineError;
use super::overrides::EngineSource;
use super::records::{
    BlockInfo, BlockReport, BlockTx, LogRecord, PendingTx, Receipt, Rejected, RejectedRun,
    StoredBlock, TxRecord,
};
use super::request::{build_transaction, BlockOverrides};
use super::runs::{pause, slice_ended, Runs, Unit};
use super::store::Changes;
use crate::bootloader::{BlockOutput, BlockProgress, BlockRun, DecodedTx, Rejection, TxReceipt};
use crate::commitment::{block_commitments, BlockCommitments};
use crate::config::{ChainConfig, FlowKind};
use crate::context::BlockContext;
use crate::ee::evm::NoopTracer;
use crate::env::BLOCK_HASH_WINDOW;
use crate::io::{Io, StateKey, StateSource};
use crate::primitives::{Address, Bloom, Bytes, B256};
use crate::resources::blob::{blob_base_fee, next_excess_blob_gas, BlobSchedule};
use crate::tx::Transaction;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;

impl Engine {
    /// The latest block.
    pub fn head(&self) -> &BlockInfo {
        &self.blocks.last().unwrap_or(&self.genesis).header
    }

    /// The blob schedule of a block at `timestamp` (the hardfork's, or the blob-parameter-only
    /// fork active then).
    pub(super) fn blob_schedule_at(&self, timestamp: u64) -> BlobSchedule {
        self.blob_schedules.at(self.config.hardfork, timestamp)
    }

    /// The excess blob gas of the block after the head, at `timestamp` (EIP-4844, bounded from
    /// Osaka by EIP-7918; that block's schedule applies).
    pub(super) fn next_excess_blob_gas(&self, timestamp: u64) -> u64 {
        let head = self.head();
        next_excess_blob_gas(
            head.excess_blob_gas,
            head.blob_gas_used,
            head.base_fee,
            &self.blob_schedule_at(timestamp),
            self.config.hardfork,
        )
    }

    /// The context of the block after the head, with `overrides` applied. Without an
    /// override, number and timestamp are the head's plus one; a head at `u64::MAX` has no
    /// such successor ([`EngineError::BlockOverflow`]).
    pub(super) fn next_block_context(
        &self,
        overrides: &BlockOverrides,
    ) -> Result<BlockContext, EngineError> {
        let head = self.head();
        let number = match overrides.number {
            Some(number) => number,
            None => head
                .number
                .checked_add(1)
                .ok_or(EngineError::BlockOverflow("number"))?,
        };
        let timestamp = match overrides.timestamp {
            Some(timestamp) => timestamp,
            None => head
                .timestamp
                .checked_add(1)
                .ok_or(EngineError::BlockOverflow("timestamp"))?,
        };
        Ok(BlockContext {
            number,
            timestamp,
            coinbase: overrides.coinbase.unwrap_or(self.fees.coinbase),
            gas_limit: overrides.gas_limit.unwrap_or(self.fees.block_gas_limit),
            base_fee: overrides.base_fee.unwrap_or(self.fees.base_fee),
            native_price: self.fees.native_price,
            pubdata_price: self.fees.pubdata_price,
            pubdata_limit: self.fees.pubdata_limit,
            prevrandao: overrides
                .prevrandao
                .unwrap_or_else(|| self.fork.as_ref().map(|p| p.prevrandao).unwrap_or_default()),
            blob_base_fee: blob_base_fee(
                self.next_excess_blob_gas(timestamp),
                &self.blob_schedule_at(timestamp),
            ),
            block_hashes: self.hashes_before(number),
        })
    }

    /// Hashes of the (at most 256) blocks below `number` the engine knows, oldest first:
    /// its own, and over a fork the fork block's parent and the fork block (older ones are
    /// asked of the host when `BLOCKHASH` reads them).
    pub(super) fn hashes_before(&self, number: u64) -> Vec<B256> {
        let fork_parent = self
            .fork
            .as_ref()
            .filter(|p| p.number > 0 && p.number - 1 < number)
            .map(|p| p.parent_hash);
        // The blocks are in number order: only the last window below `number` is read, so a
        // block's context costs the same however long the chain is.
        let end = self.blocks.partition_point(|b| b.header.number < number);
        let start = end.saturating_sub(BLOCK_HASH_WINDOW as usize);
        let mut hashes: Vec<B256> = fork_parent
            .into_iter()
            .chain(
                core::iter::once(&self.genesis)
                    .filter(|b| b.header.number < number)
                    .chain(self.blocks.get(start..end).unwrap_or_default())
                    .map(|b| b.header.hash),
            )
            .collect();
        let excess = hashes.len().saturating_sub(BLOCK_HASH_WINDOW as usize);
        hashes.drain(..excess);
        hashes
    }

    /// The blob base fee of block `header` (EIP-4844, from its excess blob gas under its
    /// schedule): the price its blob transactions paid.
    pub fn blob_base_fee_of(&self, header: &BlockInfo) -> crate::primitives::U256 {
        blob_base_fee(
            header.excess_blob_gas,
            &self.blob_schedule_at(header.timestamp),
        )
    }

    /// The blob base fee the next block (a second after the head) runs with, from the excess
    /// blob gas it inherits: geth's `eth_blobBaseFee`.
    pub fn next_blob_base_fee(&self) -> crate::primitives::U256 {
        let timestamp = self.head().timestamp.saturating_add(1);
        blob_base_fee(
            self.next_excess_blob_gas(timestamp),
            &self.blob_schedule_at(timestamp),
        )
    }

    /// The context block `header` ran with.
    pub(super) fn context_of(&self, header: &BlockInfo) -> BlockContext {
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
            blob_base_fee: self.blob_base_fee_of(header),
            block_hashes: self.hashes_before(header.number),
        }
    }

    /// Decodes the engine's block transactions once for the bootloader: raw envelopes are
    /// decoded and their senders recovered (or taken as [`Engine::pending_tx`] recovered them
    /// for the same bytes); call-style requests are built with the nonce each
    /// sender will have at its turn.
    fn decode_block_txs(
        &self,
        txs: &[BlockTx],
        context: &BlockContext,
    ) -> Vec<Result<DecodedTx, Rejection>> {
        // A request without a gas limit gets no more than a simulation would.
        let cap = self
            .tx_gas_cap()
            .min(context.gas_limit)
            .min(self.rpc_gas_cap);
        let mut next_nonce: BTreeMap<Address, u64> = BTreeMap::new();
        let mut decoded = Vec::with_capacity(txs.len());
        for item in txs {
            let tx = match item {
                BlockTx::Raw(bytes) => self.senders.decode(bytes),
                BlockTx::Request(request) => {
                    let from = request.from.unwrap_or_default();
                    let (nonce, balance) = self
                        .state
                        .account(&from)
                        .ok()
                        .flatten()
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
                    Ok(DecodedTx::impersonated(tx, from))
                }
                BlockTx::Unsigned { tx, from } => {
                    let mut tx = Transaction::clone(tx);
                    tx.signature = None;
                    Ok(DecodedTx::impersonated(tx, *from))
                }
            };
            if let Ok(tx) = &tx {
                next_nonce.insert(tx.sender, tx.tx.nonce.saturating_add(1));
            }
            decoded.push(tx);
        }
        decoded
    }

    /// Produces the next block from `txs`: transactions that are invalid against the state
    /// at their turn (or would exceed a block limit) are left out and reported; the others are
    /// executed in order and their net changes applied. Number and timestamp advance by one
    /// unless overridden: the number must rise, and the timestamp rise too in the Ethereum flow
    /// (Ethereum's header rule) or not fall in the ZKsync OS flow (upstream's rule, which
    /// proving checks).
    pub fn run_block(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockReport, EngineError> {
        self.produce(txs, overrides, false, &[])
    }

    /// [`Engine::run_block`] on the state with `pre_state`'s accounts set first, as one change:
    /// when the block fails (bad overrides, its commitments), the accounts are not set either.
    pub fn run_block_with(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
        pre_state: &[(Address, AccountInput)],
    ) -> Result<BlockReport, EngineError> {
        self.produce(txs, overrides, false, pre_state)
    }

    /// Produces the next block from `txs` only if every one of them is included: a
    /// transaction left out is an error and nothing changes (a dev node's automine).
    pub fn run_block_strict(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockReport, EngineError> {
        self.produce(txs, overrides, true, &[])
    }

    /// `item` as the next block would take it alone: its hash, sender, nonce, gas limit and
    /// fees, without running it (what a transaction pool orders by). A raw envelope that does
    /// not decode or whose sender does not recover is an error, and so is a transaction no
    /// block could take at the head's state (see `admission.rs`: a pool refuses
    /// it, as geth's and anvil's do; its nonce may be ahead of the sender's); the sender of one
    /// that decodes is kept, so a block with the same bytes does not recover it again.
    pub fn pending_tx(&mut self, item: &BlockTx) -> Result<PendingTx, EngineError> {
        let context = self.next_block_context(&BlockOverrides::default())?;
        let decoded = match item {
            BlockTx::Raw(bytes) => self.senders.admit(bytes),
            _ => self
                .decode_block_txs(core::slice::from_ref(item), &context)
                .pop()
                .ok_or(EngineError::BadInput("transaction could not be decoded"))?,
        }
        .map_err(|rejection| EngineError::from(rejection.reason))?;
        self.check_admission(&decoded, &context)?;
        Ok(PendingTx {
            hash: decoded.hash,
            sender: decoded.sender,
            nonce: decoded.tx.nonce,
            gas_limit: decoded.tx.gas_limit,
            max_fee_per_gas: decoded.tx.max_fee_per_gas,
            max_priority_fee_per_gas: decoded.tx.max_priority_fee_per_gas,
            tx_type: decoded.tx.tx_type,
            to: decoded.tx.to,
            value: decoded.tx.value,
            input: decoded.tx.data,
            access_list: decoded.tx.access_list,
            authorization_list: decoded.tx.authorization_list,
        })
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
        match self.config.flow {
            FlowKind::Ethereum if overrides.timestamp.is_some_and(|t| t <= head_timestamp) => {
                return Err(EngineError::BadInput("timestamp must be above the head's"));
            }
            FlowKind::Zk if overrides.timestamp.is_some_and(|t| t < head_timestamp) => {
                return Err(EngineError::BadInput(
                    "timestamp must not go below the head's",
                ));
            }
            _ => {}
        }
        let context = self.next_block_context(&overrides)?;
        let txs = self.decode_block_txs(txs, &context);
        Ok(BlockPlan {
            excess_blob_gas: self.next_excess_blob_gas(context.timestamp),
            context,
            txs,
            head_timestamp,
        })
    }

    /// Produces a block on the state with `pre_state` applied; with `all_or_nothing`, a
    /// rejected transaction makes it an error. After an error nothing has changed.
    fn produce(
        &mut self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
        all_or_nothing: bool,
        pre_state: &[(Address, AccountInput)],
    ) -> Result<BlockReport, EngineError> {
        let base = self.state.version();
        let produced = self.apply_pre_state(pre_state).and_then(|()| {
            self.drive_mut(|engine, runs| {
                engine.produce_in(runs, txs, overrides.clone(), all_or_nothing)
            })
        });
        if produced.is_err() && self.state.version() != base {
            self.state.roll_back_to(base);
            self.keep_history();
        }
        produced
    }

    /// [`Engine::run_block`] as an operation over `runs`.
    pub(super) fn produce_in(
        &mut self,
        runs: &mut Runs,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
        all_or_nothing: bool,
    ) -> Result<BlockReport, EngineError> {
        // Senders of requests: their nonces build the transactions.
        let senders: Vec<StateKey> = txs
            .iter()
            .filter_map(|tx| match tx {
                BlockTx::Request(request) => {
                    Some(StateKey::Account(request.from.unwrap_or_default()))
                }
                _ => None,
            })
            .collect();
        let mut source = self.source(None, Rc::default())?;
        super::call::require(&mut source, &senders)?;
        let sealed = runs.run(|| self.block_unit(txs, overrides))?;
        if all_or_nothing {
            if let Some(r) = sealed.report.rejected.first() {
                return Err(r.error.clone());
            }
        }
        self.record(sealed)
    }

    /// The next block of `txs`, ready to run.
    pub(super) fn block_unit(
        &self,
        txs: &[BlockTx],
        overrides: Option<BlockOverrides>,
    ) -> Result<BlockUnit, EngineError> {
        let plan = self.plan_block(txs, overrides)?;
        let source = self.source(None, Rc::default())?;
        let base = source.version();
        Ok(BlockUnit {
            io: self.io(source),
            run: BlockRun::new(&self.config, plan.txs.iter().cloned())
                .with_max_blob_gas(self.blob_schedule_at(plan.context.timestamp).max_blob_gas()),
            plan,
            state: self.state.share(),
            config: self.config,
            base,
        })
    }

    /// Keeps a sealed block: applies its state changes and records its header, transactions
    /// and receipts (its pre-state stays readable for re-tracing). Fails, changing nothing,
    /// when the state changed since the block ran.
    pub(super) fn record(&mut self, sealed: Sealed) -> Result<BlockReport, EngineError> {
        let Sealed {
            staged,
            report,
            txs,
            rejected_runs,
        } = sealed;
        let pre_version = staged.base();
        self.state.commit(staged)?;
        for tx in &txs {
            self.tx_index
                .insert(tx.hash, (tx.block_number, tx.index as usize));
        }
        self.blocks.push(StoredBlock {
            header: report.header.clone(),
            txs,
            receipts: report.receipts.clone(),
            rejected_runs,
            pre_version,
        });
        self.history.push_back(History {
            number: report.header.number,
            pre_version,
        });
        self.trim_history();
        Ok(report)
    }

    /// Decodes a signed transaction and mines it alone in a new block; returns its hash.
    /// A transaction that cannot be included is an error and produces no block.
    pub fn send_raw_transaction(&mut self, raw: &[u8]) -> Result<B256, EngineError> {
        let item = BlockTx::Raw(Bytes::copy_from_slice(raw));
        let report = self.produce(&[item], None, true, &[])?;
        report
            .receipts
            .first()
            .map(|r| r.tx_hash)
            .ok_or(EngineError::BadInput("transaction was not included"))
    }

    fn stored(&self, number: u64) -> Option<&StoredBlock> {
        if number == self.genesis.header.number {
            return Some(&self.genesis);
        }
        let index = self
            .blocks
            .binary_search_by_key(&number, |b| b.header.number)
            .ok()?;
        self.blocks.get(index)
    }

    /// The block with `number`.
    pub fn get_block(&self, number: u64) -> Option<&BlockInfo> {
        self.stored(number).map(|b| &b.header)
    }

    /// The block with `hash`.
    pub fn get_block_by_hash(&self, hash: &B256) -> Option<&BlockInfo> {
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

    /// The state version before block `number` (if still kept) and the block.
    pub(super) fn replay_point(&self, number: u64) -> Option<(u64, &StoredBlock)> {
        let history = self.history.iter().find(|h| h.number == number)?;
        Some((history.pre_version, self.stored(number)?))
    }
}

/// The next block's inputs, ready for the bootloader.
#[derive(Clone)]
pub(super) struct BlockPlan {
    /// The block's context.
    pub(super) context: BlockContext,
    /// Its excess blob gas (the context holds the blob base fee it sets).
    pub(super) excess_blob_gas: u64,
    /// Its transactions, decoded once (or rejected when they do not decode).
    pub(super) txs: Vec<Result<DecodedTx, Rejection>>,
    /// Timestamp of the head the block follows.
    pub(super) head_timestamp: u64,
}

/// A block run to its end, with its commitments and records, not yet kept by the engine.
#[derive(Clone)]
pub(super) struct Sealed {
    staged: Staged,
    /// What the block produced.
    pub(super) report: BlockReport,
    txs: Vec<TxRecord>,
    rejected_runs: Vec<RejectedRun>,
}

/// A block as a unit: its transactions run in order, pausing for state, then sealed.
pub(super) struct BlockUnit {
    io: Io<EngineSource>,
    run: BlockRun,
    plan: BlockPlan,
    state: ChainState,
    config: ChainConfig,
    base: u64,
}

impl Unit for BlockUnit {
    type Output = Sealed;

    fn resume(&mut self, slice: u64) -> Result<Sealed, EngineError> {
        match self
            .run
            .resume(&mut self.io, &self.plan.context, &mut NoopTracer, slice)
        {
            BlockProgress::NeedState => Err(pause(&mut self.io)),
            BlockProgress::Paused => Err(slice_ended()),
            BlockProgress::Done => {
                if self.io.unanswered() {
                    return Err(EngineError::UnansweredRead);
                }
                if self.io.curves_refused() {
                    return Err(EngineError::CurvesNotLoaded);
                }
                let output = self.run.output().clone();
                seal_block(
                    &self.config,
                    &self.state,
                    self.base,
                    &self.plan,
                    output,
                    &self.io,
                )
            }
        }
    }
}

/// Seals a block run from `plan` over version `base` of `state`: stages the net changes held
/// by `io`, builds the block's commitments ([`block_commitments`]) and its header, receipts and
/// records.
pub(super) fn seal_block<S: StateSource>(
    config: &ChainConfig,
    state: &ChainState,
    base: u64,
    plan: &BlockPlan,
    output: BlockOutput,
    io: &Io<S>,
) -> Result<Sealed, EngineError> {
    let output_blob_gas = output.blob_gas_used;
    let staged = state.stage(base, Changes::collect(io))?;
    let commitments = block_commitments(
        config,
        &plan.context,
        &output,
        staged.tree_changes(),
        staged.commitment_before(),
        plan.head_timestamp,
        staged.commitment(),
    )
    .map_err(EngineError::Commitment)?;
    let mut included = Vec::new();
    let mut rejected = Vec::new();
    let mut rejected_runs = Vec::new();
    for (position, (result, decoded)) in output.results.into_iter().zip(&plan.txs).enumerate() {
        if let (Err(_), Ok(decoded)) = (&result.outcome, decoded) {
            rejected_runs.push(RejectedRun {
                included_before: included.len(),
                tx: decoded.clone(),
            });
        }
        match (result.outcome, decoded) {
            (Ok(receipt), Ok(decoded)) => included.push((decoded.clone(), receipt)),
            (Ok(_), Err(_)) => rejected.push(Rejected {
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
    let blob_gas = BlobGas {
        used: output_blob_gas,
        excess: plan.excess_blob_gas,
    };
    let (report, txs) = seal(
        plan.context.clone(),
        blob_gas,
        commitments,
        included,
        rejected,
    );
    Ok(Sealed {
        staged,
        report,
        txs,
        rejected_runs,
    })
}

/// A block's blob gas: used by its transactions, and its excess (EIP-4844).
struct BlobGas {
    used: u64,
    excess: u64,
}

/// A block's report and transaction records from its context, its blob gas, its commitments
/// and its included transactions.
fn seal(
    context: BlockContext,
    blob_gas: BlobGas,
    commitments: BlockCommitments,
    included: Vec<(DecodedTx, TxReceipt)>,
    rejected: Vec<Rejected>,
) -> (BlockReport, Vec<TxRecord>) {
    let header = BlockInfo {
        number: context.number,
        hash: commitments.block_hash,
        parent_hash: commitments.header.parent_hash,
        timestamp: context.timestamp,
        coinbase: context.coinbase,
        gas_limit: context.gas_limit,
        gas_used: commitments.header.gas_used,
        base_fee: context.base_fee,
        blob_gas_used: blob_gas.used,
        excess_blob_gas: blob_gas.excess,
        native_price: context.native_price,
        pubdata_price: context.pubdata_price,
        pubdata_limit: context.pubdata_limit,
        prevrandao: commitments.header.mix_hash,
        transactions_root: commitments.header.transactions_root,
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
            from: prepared.sender,
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
            from: prepared.sender,
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
