//! The block loop: runs a block's decoded transactions in order over one [`Io`], reports each
//! transaction's receipt or the reason it was rejected, and totals what the block commits to.
//! The net state changes stay in the `Io` ([`Io::accounts`], [`Io::storage_diffs`]), where
//! the caller reads them after the block.

use super::flow::{blob_gas, max_blob_gas_per_block, BlockUsage, ChainFlow, Flow};
use super::input::{DecodedTx, Rejection};
use super::reads::tx_state_ready;
use super::receipt::{TxReceipt, TxResult};
use super::transaction::{BlockStaticCosts, TxExecution, TxProgress};
use crate::config::{ChainConfig, FlowKind, ProtocolVersion};
use crate::context::BlockContext;
use crate::ee::evm::stack::Stack;
use crate::ee::evm::Tracer;
use crate::io::{Io, L2ToL1Message, StateSource};
use crate::primitives::{keccak256, keccak256_concat, B256, KECCAK_EMPTY, U256};
use crate::state::header::header_tx_hash;
use crate::state::l2_logs::L2ToL1Log;
use crate::system::{BOOTLOADER_FORMAL_ADDRESS, L1_MESSENGER_ADDRESS};
use crate::tx::{L1_PRIORITY_TX_TYPE, UPGRADE_TX_TYPE};
use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// What a block produced besides its state changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockOutput {
    /// One result per transaction, in block order (rejected ones included).
    pub results: Vec<TxResult>,
    /// Gas used by the included transactions.
    pub gas_used: u64,
    /// Computational native used by the included transactions.
    pub computational_native_used: u64,
    /// Pubdata bytes of the included transactions.
    pub pubdata_used: u64,
    /// Blob gas of the included transactions.
    pub blob_gas_used: u64,
    /// L2→L1 logs: one per priority transaction and one per user message, in order.
    pub logs: Vec<L2ToL1Log>,
    /// User L2→L1 messages, in order.
    pub messages: Vec<L2ToL1Message>,
    /// Hashes of the included transactions, in order.
    pub tx_hashes: Vec<B256>,
    /// The hashes the block header's transactions root rolls, in order (see
    /// [`crate::state::header::header_tx_hash`]).
    pub header_tx_hashes: Vec<B256>,
    /// Rolling hash of the included transactions: `h = keccak(h ‖ tx_hash)` from zero.
    pub tx_rolling_hash: B256,
    /// Number of included L1 priority transactions.
    pub l1_tx_count: u64,
    /// Rolling hash of the included priority transactions: `h = keccak(h ‖ tx_hash)` from
    /// keccak of the empty string.
    pub priority_rolling_hash: B256,
    /// Hash of the upgrade transaction, zero when the block has none.
    pub upgrade_tx_hash: B256,
}

impl BlockOutput {
    /// What the block has used, as its limits count it, with `max_blob_gas` its blob limit.
    pub fn usage(&self, max_blob_gas: u64) -> BlockUsage {
        BlockUsage {
            max_blob_gas,
            gas: self.gas_used,
            blob_gas: self.blob_gas_used,
            computational_native: self.computational_native_used,
            pubdata: self.pubdata_used,
            l2_to_l1_logs: self.logs.len() as u64,
        }
    }
}

/// Runs `txs` as one block under `config`'s flow. Each transaction comes decoded once (see
/// [`super::BlockTransaction::decode`]); invalid ones are reported and not included, and leave
/// the state untouched. For a source that knows everything ([`BlockRun`] is the same loop for
/// one that may not).
pub fn run_block<S, T, I>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    txs: I,
    tracer: &mut T,
) -> BlockOutput
where
    S: StateSource,
    T: Tracer,
    I: IntoIterator<Item = Result<DecodedTx, Rejection>>,
{
    let mut run = BlockRun::new(config, txs);
    run.resume(io, block, tracer, u64::MAX);
    run.into_output()
}

/// Whether [`BlockRun::resume`] ran the block to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockProgress {
    /// Every transaction ended.
    Done,
    /// The block start or a transaction needs state the source does not know yet (recorded in
    /// the IO); resume once the host supplied it.
    NeedState,
    /// A transaction ran its slice of EVM steps; resume to go on.
    Paused,
}

/// A block's transactions run in order, pausing wherever one needs state the source does not
/// know yet and resuming exactly there.
pub struct BlockRun {
    builder: BlockBuilder,
    config: ChainConfig,
    queue: VecDeque<Result<DecodedTx, Rejection>>,
    running: Option<TxExecution>,
    /// Whether the flow's block start has run.
    begun: bool,
}

impl BlockRun {
    /// A block of `txs` under `config`'s flow, nothing run yet.
    pub fn new<I>(config: &ChainConfig, txs: I) -> Self
    where
        I: IntoIterator<Item = Result<DecodedTx, Rejection>>,
    {
        let queue: VecDeque<_> = txs.into_iter().collect();
        let mut builder = BlockBuilder::new(config);
        builder.reserve(queue.len());
        Self {
            builder,
            config: *config,
            queue,
            running: None,
            begun: false,
        }
    }

    /// The same block holding at most `max_blob_gas` blob gas (see
    /// [`BlockBuilder::with_max_blob_gas`]).
    pub fn with_max_blob_gas(mut self, max_blob_gas: u64) -> Self {
        self.builder = self.builder.with_max_blob_gas(max_blob_gas);
        self
    }

    /// Runs the block start, then transactions, until the block ends, one needs state or (with
    /// `slice` below `u64::MAX`) one ran `slice` EVM steps in this call.
    pub fn resume<S: StateSource, T: Tracer>(
        &mut self,
        io: &mut Io<S>,
        block: &BlockContext,
        tracer: &mut T,
        slice: u64,
    ) -> BlockProgress {
        if !self.begun {
            if !self.builder.begin(io, block) {
                return BlockProgress::NeedState;
            }
            self.begun = true;
        }
        loop {
            if let Some(mut execution) = self.running.take() {
                match execution.run(io, tracer, slice) {
                    TxProgress::Paused if slice != u64::MAX => {
                        self.running = Some(execution);
                        return BlockProgress::Paused;
                    }
                    TxProgress::Paused => self.running = Some(execution),
                    TxProgress::NeedState => {
                        self.running = Some(execution);
                        return BlockProgress::NeedState;
                    }
                    TxProgress::Executed => {
                        self.builder.end(io, block, Ok(execution));
                    }
                }
                continue;
            }
            let Some(next) = self.queue.pop_front() else {
                return BlockProgress::Done;
            };
            let started = match next {
                Ok(tx) if !tx_state_ready(io, &self.config, block, &tx) => {
                    self.queue.push_front(Ok(tx));
                    return BlockProgress::NeedState;
                }
                Ok(tx) => self.builder.start(io, block, tx),
                Err(rejection) => Err(rejection),
            };
            match started {
                Ok(execution) => self.running = Some(execution),
                Err(rejection) => {
                    self.builder.end(io, block, Err(rejection));
                }
            }
        }
    }

    /// What the block has produced so far.
    pub fn output(&self) -> &BlockOutput {
        self.builder.output()
    }

    /// The block's output.
    pub fn into_output(self) -> BlockOutput {
        self.builder.into_output()
    }
}

/// A block built one transaction at a time: [`Self::begin`] the block, then [`Self::start`] a
/// transaction, drive its [`TxExecution`] as far as wanted, and [`Self::end`] it. [`run_block`]
/// is this loop run without pauses, so a debugger stepping a block gets the same block.
#[derive(Clone, Debug)]
pub struct BlockBuilder {
    flow: ChainFlow,
    output: BlockOutput,
    /// L2→L1 messages in the `Io` when the running transaction started.
    messages_before: usize,
    /// Whether rejected transactions take a number too (the number stamped on L2→L1 logs).
    numbers_rejected: bool,
    /// The static cost table every transaction of the block shares.
    static_costs: BlockStaticCosts,
    /// Most blob gas the block may hold.
    max_blob_gas: u64,
    /// Operand stacks of the block's finished frames, handed on to the next transaction so
    /// that a frame does not allocate and zero 32 KiB.
    spare_stacks: Vec<Stack>,
}

impl BlockBuilder {
    /// An empty block under `config`'s flow.
    pub fn new(config: &ChainConfig) -> Self {
        Self {
            flow: ChainFlow::of(config),
            output: BlockOutput {
                priority_rolling_hash: KECCAK_EMPTY,
                ..BlockOutput::default()
            },
            messages_before: 0,
            // Upstream counts every transaction it read, valid or not
            // (`basic_bootloader/src/bootloader/mod.rs`: `flush_tx` after each;
            // `basic_system/src/system_implementation/system/io_subsystem.rs`, `finish_tx`).
            numbers_rejected: config.flow == FlowKind::Zk
                && config.protocol_version >= ProtocolVersion::V2,
            static_costs: BlockStaticCosts::default(),
            max_blob_gas: max_blob_gas_per_block(config.hardfork),
            spare_stacks: Vec::new(),
        }
    }

    /// The same block holding at most `max_blob_gas` blob gas instead of its hardfork's
    /// schedule's: a blob-parameter-only fork's (EIP-7892) by the block's timestamp.
    pub fn with_max_blob_gas(mut self, max_blob_gas: u64) -> Self {
        self.max_blob_gas = max_blob_gas;
        self
    }

    /// Room in the output for `txs` more transactions' results and hashes, so that a block
    /// whose transactions are known ahead does not grow them step by step (each growth copies
    /// every result so far into freshly allocated memory).
    fn reserve(&mut self, txs: usize) {
        self.output.results.reserve(txs);
        self.output.tx_hashes.reserve(txs);
        self.output.header_tx_hashes.reserve(txs);
    }

    /// Runs the flow's block start (see [`Flow::start_block`]): call it once, before the first
    /// transaction. False when it needs state the source does not know yet (nothing changed,
    /// the keys recorded in `io`): call it again once the host supplied it.
    #[must_use]
    pub fn begin<S: StateSource>(&self, io: &mut Io<S>, block: &BlockContext) -> bool {
        self.flow.start_block(io, block)
    }

    /// Number the next transaction gets (stamped on its L2→L1 logs): under ZKsync OS protocol
    /// version 2 its index among all the block's transactions, else among the included ones.
    fn tx_number(&self) -> u16 {
        let count = if self.numbers_rejected {
            self.output.results.len()
        } else {
            self.output.tx_hashes.len()
        };
        u16::try_from(count).unwrap_or(u16::MAX)
    }

    /// Validates the next transaction of the block: whether the block has room for it (the
    /// flow's [`Flow::check_block_room`]), then [`TxExecution::start`].
    pub fn start<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: DecodedTx,
    ) -> Result<TxExecution, Rejection> {
        io.set_tx_number(self.tx_number());
        self.messages_before = io.messages().len();
        let tx_hash = tx.hash;
        self.flow
            .check_block_room(&tx.tx, block, &self.output.usage(self.max_blob_gas))
            .and_then(|()| {
                TxExecution::start_with(
                    io,
                    &self.flow,
                    block,
                    tx,
                    &mut self.static_costs,
                    &mut self.spare_stacks,
                )
            })
            .map_err(|reason| Rejection { tx_hash, reason })
    }

    /// Ends a transaction: applies the remaining phases of one that `started`, checks the
    /// block's limits (see [`TxExecution::finish_in_block`]) and includes it, or records why it
    /// was rejected; returns its result (the last of [`BlockOutput::results`]).
    pub fn end<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        block: &BlockContext,
        started: Result<TxExecution, Rejection>,
    ) -> &TxResult {
        let version = self.flow.config().protocol_version;
        let outcome = started.and_then(|mut execution| {
            self.spare_stacks = execution.take_spare_stacks();
            let tx_hash = execution.tx_hash();
            let header_hash = header_tx_hash(version, execution.transaction(), tx_hash);
            let blob_gas = blob_gas(execution.transaction());
            let receipt = execution
                .finish_in_block(io, block, &self.output.usage(self.max_blob_gas))
                .map_err(|reason| Rejection { tx_hash, reason })?;
            self.output.blob_gas_used += blob_gas;
            self.output.header_tx_hashes.push(header_hash);
            Ok(receipt)
        });
        let result = match outcome {
            Ok(receipt) => {
                let tx_number = self.tx_number();
                include(&mut self.output, &receipt, tx_number);
                TxResult {
                    tx_hash: receipt.tx_hash,
                    outcome: Ok(receipt),
                }
            }
            Err(rejection) => TxResult {
                tx_hash: rejection.tx_hash,
                outcome: Err(rejection.reason),
            },
        };
        self.messages_before = io.messages().len();
        self.output.results.push(result);
        &self.output.results[self.output.results.len() - 1]
    }

    /// What the block has produced so far.
    pub fn output(&self) -> &BlockOutput {
        &self.output
    }

    /// What the block would produce if the running transaction ended now and were included:
    /// [`Self::output`] with the transaction's L2→L1 messages so far (and their logs) added.
    pub fn pending_output<S: StateSource>(&self, io: &Io<S>) -> BlockOutput {
        let mut output = self.output.clone();
        let messages = io
            .messages()
            .get(self.messages_before..)
            .unwrap_or_default();
        output
            .logs
            .extend(messages.iter().map(|m| message_log(m, self.tx_number())));
        output.messages.extend(messages.iter().cloned());
        output
    }

    /// The block's output.
    pub fn into_output(self) -> BlockOutput {
        self.output
    }
}

/// Adds an included transaction's figures, hashes and L2→L1 logs to the block.
fn include(output: &mut BlockOutput, receipt: &TxReceipt, tx_number: u16) {
    output.gas_used += receipt.gas_used;
    output.computational_native_used += receipt.computational_native_used;
    output.pubdata_used += receipt.pubdata_used;
    output.tx_hashes.push(receipt.tx_hash);
    output.tx_rolling_hash = keccak256_concat(&[
        output.tx_rolling_hash.as_slice(),
        receipt.tx_hash.as_slice(),
    ]);
    match receipt.tx_type {
        L1_PRIORITY_TX_TYPE => {
            output.l1_tx_count += 1;
            output.priority_rolling_hash = keccak256_concat(&[
                output.priority_rolling_hash.as_slice(),
                receipt.tx_hash.as_slice(),
            ]);
        }
        UPGRADE_TX_TYPE => output.upgrade_tx_hash = receipt.tx_hash,
        _ => {}
    }
    output.logs.extend(l2_to_l1_logs(receipt, tx_number));
    output
        .messages
        .extend(receipt.l2_to_l1_messages.iter().cloned());
}

/// The L2→L1 logs of an included transaction: one per user message (sender = the L1
/// messenger, key = the message sender, value = keccak of the message), then, for a priority
/// transaction, its priority log (sender = 0x8001, key = tx hash, value = success).
fn l2_to_l1_logs(receipt: &TxReceipt, tx_number: u16) -> Vec<L2ToL1Log> {
    let mut logs: Vec<L2ToL1Log> = receipt
        .l2_to_l1_messages
        .iter()
        .map(|message| message_log(message, tx_number))
        .collect();
    if receipt.tx_type == L1_PRIORITY_TX_TYPE {
        logs.push(L2ToL1Log {
            is_service: true,
            tx_number,
            sender: BOOTLOADER_FORMAL_ADDRESS,
            key: receipt.tx_hash,
            value: B256::from(U256::from(u8::from(receipt.success))),
        });
    }
    logs
}

/// The L2→L1 log of a user message sent by transaction `tx_number` of the block.
fn message_log(message: &L2ToL1Message, tx_number: u16) -> L2ToL1Log {
    L2ToL1Log {
        is_service: true,
        tx_number,
        sender: L1_MESSENGER_ADDRESS,
        key: message.sender.into_word(),
        value: keccak256(&message.data),
    }
}
