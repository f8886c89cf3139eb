//! The block driver for both modes: the same `run_block` over a [`ProvingSource`], fed by a
//! forward oracle (optionally recorded) or by any other oracle in proving mode, followed by the
//! tree update, header, pubdata and public inputs.
//!
//! Forward mode without a recorder trusts the world state and updates its tree directly; with
//! a recorder it also fetches the batch proof (so the stream is complete) and checks that the
//! verified commitment equals the tree's.

use alloc::rc::Rc;
use alloc::vec::Vec;

use super::source::{ProvingError, ProvingSource};
use super::{BlockInput, ForwardOracle, Oracle, Recorder};
use crate::bootloader::{run_block, BlockContext, BlockOutput, BlockTransaction};
use crate::config::ChainConfig;
use crate::io::Io;
use crate::primitives::{Address, Bytes, B256, U256};
use crate::resources::gas::{MAX_CODE_SIZE, MAX_TX_GAS_LIMIT_OSAKA};
use crate::resources::native::NativeCostTable;
use crate::state::chain_commitment::{
    block_hashes_digest, ChainStateCommitment, BLOCK_HASHES_WINDOW_LEN,
};
use crate::state::header::{transactions_rolling_hash, BlockHeader, EMPTY_OMMERS_HASH};
use crate::state::l2_logs::{l2_to_l1_log_hash, l2_to_l1_logs_tree_root};
use crate::state::pubdata::{encode_block_pubdata, BlockPubdataInput};
use crate::state::public_input::{
    batch_public_input, block_public_input, da_commitment, linear_blake2s, pubdata_hash,
    BatchChainConfig, BatchOutput, BlocksOutput, DaCommitmentScheme,
};
use crate::state::tree::StateCommitment;
use crate::state::world::{tree_changes, AccountState, TreeChanges, WorldState};
use crate::trace::NoopTracer;

/// Type byte of an L1→L2 priority transaction.
const L1_TX_TYPE: u8 = 0xff;
/// Chain id of the settlement layer zkos assumes (Ethereum mainnet).
pub const SETTLEMENT_LAYER_CHAIN_ID: u64 = 1;

/// Everything a block commits to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockCommitments {
    /// The block header.
    pub header: BlockHeader,
    /// keccak of the header's RLP.
    pub block_hash: B256,
    /// The block's pubdata.
    pub pubdata: Vec<u8>,
    /// Chain state before the block.
    pub state_before: ChainStateCommitment,
    /// Chain state after the block.
    pub state_after: ChainStateCommitment,
    /// The block's output as the block proof commits to it.
    pub blocks_output: BlocksOutput,
    /// The block public input (blake2s).
    pub block_public_input: B256,
    /// The batch output (one block per batch).
    pub batch_output: BatchOutput,
    /// The batch public input the settlement layer opens (keccak).
    pub batch_public_input: B256,
}

/// A block's execution output and its commitments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenBlock {
    /// Receipts, logs and totals from the block loop.
    pub output: BlockOutput,
    /// Header, pubdata, chain states and public inputs.
    pub commitments: BlockCommitments,
}

/// A block run up to its net changes.
struct Executed {
    input: BlockInput,
    output: BlockOutput,
    changes: TreeChanges,
}

/// Reads the block from `oracle`, runs it over a [`ProvingSource`] and collects the net
/// changes; with `verify`, proves the reads and applies the writes to the previous commitment.
fn execute<O: Oracle>(
    config: &ChainConfig,
    oracle: O,
    verify: bool,
) -> Result<(Executed, Option<StateCommitment>, O), ProvingError> {
    let mut source = ProvingSource::new(oracle);
    let input = source
        .oracle_mut()
        .block_input()
        .map_err(ProvingError::Oracle)?;
    if input.context.timestamp < input.previous_timestamp {
        return Err(ProvingError::TimestampDecreasing {
            previous: input.previous_timestamp,
            current: input.context.timestamp,
        });
    }
    let mut txs = Vec::new();
    while let Some(tx) = source
        .oracle_mut()
        .next_transaction()
        .map_err(ProvingError::Oracle)?
    {
        txs.push(BlockTransaction::Encoded(tx));
    }
    let costs = Rc::new(NativeCostTable::for_version(config.protocol_version));
    let mut io = Io::new(&mut source, costs);
    let output = run_block(&mut io, config, &input.context, &txs, &mut NoopTracer);
    let accounts: Vec<(Address, Option<AccountState>)> = io
        .accounts()
        .map(|(address, account)| {
            let state = account.exists.then(|| AccountState {
                nonce: account.nonce,
                balance: account.balance,
                code: Bytes::copy_from_slice(account.code.bytes()),
            });
            (*address, state)
        })
        .collect();
    let storage: Vec<(Address, U256, U256, U256)> = io.storage_diffs().collect();
    drop(io);
    if let Some(error) = source.error() {
        return Err(error.clone());
    }
    let changes = tree_changes(&accounts, &storage, &mut |address| {
        source.initial_account(address)
    })
    .map_err(ProvingError::Account)?;
    let new_state = if verify {
        Some(source.verify_and_apply(&input.previous_state, &changes.writes)?)
    } else {
        None
    };
    source.oracle_mut().finish().map_err(ProvingError::Oracle)?;
    let executed = Executed {
        input,
        output,
        changes,
    };
    Ok((executed, new_state, source.into_oracle()))
}

impl Executed {
    /// The commitments of this block given the state it leaves.
    fn commitments(
        &self,
        config: &ChainConfig,
        new_state: StateCommitment,
    ) -> Result<BlockCommitments, ProvingError> {
        block_commitments(
            config,
            &self.input.context,
            &self.output,
            &self.changes,
            self.input.previous_state,
            self.input.previous_timestamp,
            new_state,
        )
    }
}

/// The 256-entry window ending with the last of `hashes` (older entries zero).
fn window(hashes: &[B256]) -> [B256; BLOCK_HASHES_WINDOW_LEN] {
    let mut out = [B256::ZERO; BLOCK_HASHES_WINDOW_LEN];
    let take = hashes.len().min(BLOCK_HASHES_WINDOW_LEN);
    let source = hashes.get(hashes.len() - take..).unwrap_or_default();
    if let Some(target) = out.get_mut(BLOCK_HASHES_WINDOW_LEN - take..) {
        target.copy_from_slice(source);
    }
    out
}

/// Everything a block commits to, from its context, its output and its net tree changes:
/// the header and its hash, the pubdata, the chain state before (`previous_state`,
/// `previous_timestamp`, the hashes in `context.block_hashes`) and after (`new_state`, the
/// window extended by the new hash), and the block and batch public inputs (one block per
/// batch). The one definition of a block's commitments, used by forward mode, proving mode and
/// the engine.
pub fn block_commitments(
    config: &ChainConfig,
    context: &BlockContext,
    output: &BlockOutput,
    changes: &TreeChanges,
    previous_state: StateCommitment,
    previous_timestamp: u64,
    new_state: StateCommitment,
) -> Result<BlockCommitments, ProvingError> {
    let header = BlockHeader {
        parent_hash: context.block_hashes.last().copied().unwrap_or_default(),
        ommers_hash: EMPTY_OMMERS_HASH,
        beneficiary: context.coinbase,
        transactions_root: transactions_rolling_hash(&output.tx_hashes),
        number: context.number,
        gas_limit: context.gas_limit,
        gas_used: output.gas_used,
        timestamp: context.timestamp,
        mix_hash: context.prevrandao,
        base_fee_per_gas: context.base_fee,
        ..BlockHeader::default()
    };
    let block_hash = header.hash();
    let pubdata = encode_block_pubdata(&BlockPubdataInput {
        block_hash,
        timestamp: context.timestamp,
        state_diffs: changes.state_diffs.clone(),
        l2_to_l1_logs: output.logs.clone(),
        messages: output.messages.iter().map(|m| m.data.clone()).collect(),
    })
    .map_err(ProvingError::Pubdata)?;

    let state_before = ChainStateCommitment {
        state: previous_state,
        block_number: context.number.saturating_sub(1),
        last_256_block_hashes_blake: block_hashes_digest(&window(&context.block_hashes)),
        last_block_timestamp: previous_timestamp,
    };
    let mut hashes_after = context.block_hashes.clone();
    hashes_after.push(block_hash);
    let state_after = ChainStateCommitment {
        state: new_state,
        block_number: context.number,
        last_256_block_hashes_blake: block_hashes_digest(&window(&hashes_after)),
        last_block_timestamp: context.timestamp,
    };

    let priority_hashes: Vec<B256> = output
        .results
        .iter()
        .filter_map(|result| result.outcome.as_ref().ok())
        .filter(|receipt| receipt.tx_type == L1_TX_TYPE)
        .map(|receipt| receipt.tx_hash)
        .collect();
    let log_hashes: Vec<B256> = output.logs.iter().map(l2_to_l1_log_hash).collect();
    let chain_id = U256::from(config.chain_id);
    let blocks_output = BlocksOutput {
        chain_id,
        first_block_timestamp: context.timestamp,
        last_block_timestamp: context.timestamp,
        pubdata_hash: pubdata_hash(&pubdata),
        priority_ops_hashes_hash: linear_blake2s(&priority_hashes),
        l2_to_l1_logs_hashes_hash: linear_blake2s(&log_hashes),
        upgrade_tx_hash: output.upgrade_tx_hash,
    };
    let before_hash = state_before.hash();
    let after_hash = state_after.hash();
    let block_pi = block_public_input(&before_hash, &after_hash, &blocks_output.hash());

    let da_scheme = DaCommitmentScheme::default();
    let included = output.tx_hashes.len() as u64;
    let upgrade_count = u64::from(!output.upgrade_tx_hash.is_zero());
    let batch_output = BatchOutput {
        chain_id,
        chain_config: BatchChainConfig {
            fri_enabled: false,
            max_contract_size: MAX_CODE_SIZE as u32,
            max_tx_gas_limit: MAX_TX_GAS_LIMIT_OSAKA,
        },
        first_block_timestamp: context.timestamp,
        last_block_timestamp: context.timestamp,
        da_scheme,
        pubdata_commitment: da_commitment(da_scheme, &pubdata).map_err(ProvingError::Da)?,
        number_of_l1_txs: output.l1_tx_count,
        number_of_l2_txs: included.saturating_sub(output.l1_tx_count + upgrade_count),
        priority_operations_hash: output.priority_rolling_hash,
        l2_logs_tree_root: l2_to_l1_logs_tree_root(&output.logs).map_err(ProvingError::Logs)?,
        upgrade_tx_hash: output.upgrade_tx_hash,
        interop_roots_rolling_hash: B256::ZERO,
        settlement_layer_chain_id: U256::from(SETTLEMENT_LAYER_CHAIN_ID),
    };
    let batch_pi = batch_public_input(&before_hash, &after_hash, &batch_output.hash());
    Ok(BlockCommitments {
        header,
        block_hash,
        pubdata,
        state_before,
        state_after,
        blocks_output,
        block_public_input: block_pi,
        batch_output,
        batch_public_input: batch_pi,
    })
}

/// Runs one block forward on `world` and applies it. With `recorder`, the oracle answers are
/// written there as a word stream (see [`super::Recorder`]) that [`prove_block`] can replay.
pub fn run_block_forward(
    world: &mut WorldState,
    config: &ChainConfig,
    context: BlockContext,
    txs: Vec<Bytes>,
    recorder: Option<&mut Vec<u32>>,
) -> Result<ProvenBlock, ProvingError> {
    let oracle = ForwardOracle::new(world, context, txs);
    let (executed, verified) = match recorder {
        Some(words) => {
            let (executed, verified, recorder) = execute(config, Recorder::new(oracle), true)?;
            *words = recorder.into_words();
            (executed, verified)
        }
        None => {
            let (executed, verified, _) = execute(config, oracle, false)?;
            (executed, verified)
        }
    };
    let new_state = world
        .apply_tree_changes(&executed.changes)
        .map_err(ProvingError::World)?;
    if verified.is_some_and(|verified| verified != new_state) {
        return Err(ProvingError::CommitmentMismatch);
    }
    world.set_last_block_timestamp(executed.input.context.timestamp);
    let commitments = executed.commitments(config, new_state)?;
    Ok(ProvenBlock {
        output: executed.output,
        commitments,
    })
}

/// Proves one block from `oracle`: reads its input and transactions, runs it over a
/// [`ProvingSource`], verifies every read and applies every write against the previous
/// commitment, and returns the commitments (the public inputs among them). Any oracle answer
/// that does not check out is an error.
pub fn prove_block<O: Oracle>(
    config: &ChainConfig,
    oracle: O,
) -> Result<ProvenBlock, ProvingError> {
    let (executed, verified, _) = execute(config, oracle, true)?;
    let new_state = verified.ok_or(ProvingError::CommitmentMismatch)?;
    let commitments = executed.commitments(config, new_state)?;
    Ok(ProvenBlock {
        output: executed.output,
        commitments,
    })
}
