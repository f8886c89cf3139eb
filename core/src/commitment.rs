//! What a block commits to, from its context, its output and its net tree changes: the block
//! header and hash, the pubdata, the chain state commitments before and after, and the block
//! and batch public inputs. The one definition, used by the forward and proving drivers
//! ([`crate::driver`]) and by the engine, so an engine block commits to exactly what a proven
//! block does.

use alloc::vec::Vec;

use crate::bootloader::BlockOutput;
use crate::config::{ChainConfig, ProtocolVersion};
use crate::context::BlockContext;
use crate::oracle::ProvingError;
use crate::primitives::{B256, U256};
use crate::resources::gas::{MAX_CODE_SIZE, MAX_TX_GAS_LIMIT_OSAKA};
use crate::state::chain_commitment::{
    block_hashes_digest, ChainStateCommitment, BLOCK_HASHES_WINDOW_LEN,
};
use crate::state::header::{mix_hash, transactions_rolling_hash, BlockHeader, EMPTY_OMMERS_HASH};
use crate::state::l2_logs::{l2_to_l1_log_hash, l2_to_l1_logs_tree_root};
use crate::state::pubdata::v2 as pubdata_v2;
use crate::state::pubdata::{encode_block_pubdata, BlockPubdataInput};
use crate::state::public_input::{
    batch_public_input, block_public_input, da_commitment, fee_inputs_hash, linear_blake2s,
    pubdata_hash, BatchChainConfig, BatchOutput, BlocksOutput, DaCommitmentScheme,
};
use crate::state::tree::StateCommitment;
use crate::state::world::TreeChanges;
use crate::tx::L1_PRIORITY_TX_TYPE;

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
/// batch). The one definition of a block's commitments.
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
        transactions_root: transactions_rolling_hash(&output.header_tx_hashes),
        number: context.number,
        gas_limit: context.gas_limit,
        gas_used: output.gas_used,
        timestamp: context.timestamp,
        mix_hash: mix_hash(config.protocol_version, context.prevrandao),
        base_fee_per_gas: context.base_fee,
        ..BlockHeader::default()
    };
    let block_hash = header.hash();
    let pubdata_input = BlockPubdataInput {
        block_hash,
        timestamp: context.timestamp,
        state_diffs: changes.state_diffs.clone(),
        l2_to_l1_logs: output.logs.clone(),
        messages: output.messages.iter().map(|m| m.data.clone()).collect(),
    };
    let pubdata = match config.protocol_version {
        ProtocolVersion::V1 => encode_block_pubdata(&pubdata_input),
        ProtocolVersion::V2 => pubdata_v2::encode_block_pubdata(&pubdata_input),
    }
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
        .filter(|receipt| receipt.tx_type == L1_PRIORITY_TX_TYPE)
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
        fee_inputs_hash: fee_inputs_hash(
            &context.native_price,
            &context.pubdata_price,
            context.pubdata_limit,
            &context.blob_base_fee,
        ),
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
