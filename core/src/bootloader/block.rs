//! The block loop: runs a block's transactions in order over one [`Io`], reports each
//! transaction's receipt or the reason it was rejected, and totals what the block commits to.
//! The net state changes stay in the `Io` ([`Io::accounts`], [`Io::storage_diffs`]), where
//! the caller reads them after the block.

use super::execution::{hash_of, l2_to_l1_logs, message_log, TxExecution, TxProgress};
use super::receipt::{L2ToL1Log, L2ToL1Message, TxReceipt, TxResult};
use super::validation::InvalidTransaction;
use super::zk::blob_gas;
use crate::config::ChainConfig;
use crate::env::BlockEnv;
use crate::io::{Io, StateSource};
use crate::primitives::{keccak256, keccak256_concat, Address, Bytes, B256, KECCAK_EMPTY, U256};
use crate::trace::Tracer;
use crate::tx::{Transaction, L1_PRIORITY_TX_TYPE, UPGRADE_TX_TYPE};
use alloc::vec::Vec;

/// Everything a block's execution depends on besides its transactions and the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockContext {
    /// Block number.
    pub number: u64,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Operator address: receives the fees (`COINBASE`).
    pub coinbase: Address,
    /// Block gas limit (`GASLIMIT`).
    pub gas_limit: u64,
    /// Base fee per gas (`BASEFEE`).
    pub base_fee: U256,
    /// Price of one unit of native, in wei.
    pub native_price: U256,
    /// Price of one byte of pubdata, in wei.
    pub pubdata_price: U256,
    /// Most pubdata bytes the block may publish.
    pub pubdata_limit: u64,
    /// `PREVRANDAO`.
    pub prevrandao: B256,
    /// Blob base fee (`BLOBBASEFEE`).
    pub blob_base_fee: U256,
    /// Hashes of the previous blocks, oldest first (at most 256); the last is block
    /// `number - 1`.
    pub block_hashes: Vec<B256>,
}

impl BlockContext {
    /// A context for the EVM values `env`, with native priced at 1 wei, free pubdata and no
    /// pubdata limit (what the Ethereum flow needs).
    pub fn from_evm_env(env: &BlockEnv) -> Self {
        Self {
            number: env.number,
            timestamp: env.timestamp,
            coinbase: env.coinbase,
            gas_limit: env.gas_limit,
            base_fee: env.base_fee,
            native_price: U256::from(1),
            pubdata_price: U256::ZERO,
            pubdata_limit: u64::MAX,
            prevrandao: env.prevrandao,
            blob_base_fee: env.blob_base_fee,
            block_hashes: env.block_hashes.clone(),
        }
    }

    /// The values the EVM reads.
    pub fn evm_env(&self) -> BlockEnv {
        BlockEnv {
            number: self.number,
            timestamp: self.timestamp,
            coinbase: self.coinbase,
            gas_limit: self.gas_limit,
            base_fee: self.base_fee,
            prevrandao: self.prevrandao,
            blob_base_fee: self.blob_base_fee,
            block_hashes: self.block_hashes.clone(),
        }
    }
}

/// A transaction as the block receives it.
// A block holds few simulated transactions and they are built by hosts by value; boxing would
// only make that construction noisier.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockTransaction {
    /// An EIP-2718 envelope, or `0xFF ‖ abi` (L1 priority) / `0xFE ‖ abi` (upgrade).
    Encoded(Bytes),
    /// Simulation (`eth_call`, gas estimation): `tx` runs as sent by `from` without a
    /// signature check. In the ZKsync OS flow the nonce is not checked either and a gas price
    /// of 0 is allowed (native is then priced at the base fee); the Ethereum flow validates
    /// the rest as usual.
    Simulated {
        /// The transaction (its signature is ignored).
        tx: Transaction,
        /// The sender.
        from: Address,
    },
}

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

/// Runs `txs` as one block. Invalid transactions are reported and not included; they leave
/// the state untouched.
pub fn run_block<S: StateSource, T: Tracer>(
    io: &mut Io<S>,
    config: &ChainConfig,
    block: &BlockContext,
    txs: &[BlockTransaction],
    tracer: &mut T,
) -> BlockOutput {
    let mut builder = BlockBuilder::new();
    for tx in txs {
        let started = builder.start(io, config, block, tx).map(|mut execution| {
            while execution.run(io, tracer, u64::MAX) == TxProgress::Paused {}
            execution
        });
        builder.end(io, block, tx, started);
    }
    builder.into_output()
}

/// A block built one transaction at a time: [`Self::start`] a transaction, drive its
/// [`TxExecution`] as far as wanted, then [`Self::end`] it. [`run_block`] is this loop run
/// without pauses, so a debugger stepping a block gets the same block.
#[derive(Clone, Debug)]
pub struct BlockBuilder {
    output: BlockOutput,
    /// L2→L1 messages in the `Io` when the running transaction started.
    messages_before: usize,
}

impl Default for BlockBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockBuilder {
    /// An empty block.
    pub fn new() -> Self {
        Self {
            output: BlockOutput {
                priority_rolling_hash: KECCAK_EMPTY,
                ..BlockOutput::default()
            },
            messages_before: 0,
        }
    }

    /// Number the next included transaction gets (stamped on its L2→L1 logs).
    fn tx_number(&self) -> u16 {
        u16::try_from(self.output.tx_hashes.len()).unwrap_or(u16::MAX)
    }

    /// Validates the next transaction of the block (see [`TxExecution::start`]).
    pub fn start<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        config: &ChainConfig,
        block: &BlockContext,
        tx: &BlockTransaction,
    ) -> Result<TxExecution, InvalidTransaction> {
        io.set_tx_number(self.tx_number());
        self.messages_before = io.messages().len();
        TxExecution::start(io, config, block, tx)
    }

    /// Ends the transaction `started` from `tx`: applies its remaining phases, checks the
    /// block's limits (see [`TxExecution::finish_in_block`]) and includes it, or records why
    /// it was rejected (its result is then the last of [`BlockOutput::results`]).
    pub fn end<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        block: &BlockContext,
        tx: &BlockTransaction,
        started: Result<TxExecution, InvalidTransaction>,
    ) {
        let outcome = started.and_then(|execution| {
            let blob_gas = blob_gas(execution.transaction());
            let receipt = execution.finish_in_block(io, block, &self.output)?;
            self.output.blob_gas_used += blob_gas;
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
            Err(reason) => TxResult {
                tx_hash: rejected_hash(tx),
                outcome: Err(reason),
            },
        };
        self.output.results.push(result);
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

/// Hash reported for a rejected transaction: of its envelope when it decodes, else keccak of
/// the bytes received.
fn rejected_hash(tx: &BlockTransaction) -> B256 {
    match tx {
        BlockTransaction::Encoded(bytes) => keccak256(bytes),
        BlockTransaction::Simulated { tx, .. } => hash_of(tx),
    }
}
