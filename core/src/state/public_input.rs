//! Public inputs: what a block proof (blake2s) and a batch proof on the settlement layer
//! (keccak) commit to, and the DA commitment of the pubdata.
//!
//! Encodings: "word" fields are 32-byte big-endian; timestamps are 8-byte big-endian `u64`s;
//! hashes are their 32 bytes. zkos proves one block per batch, so the chain state commitments
//! ([`super::chain_commitment::ChainStateCommitment::hash`]) before and after the block are
//! the same in both public inputs.
//!
//! Default DA scheme: [`DaCommitmentScheme::BlobsAndPubdataKeccak256`] (3), the calldata mode:
//! a rollup keeps full data availability and the commitment needs only keccak, whereas
//! scheme 4 needs in-circuit KZG over BLS12-381 (not implemented) and scheme 1 gives up DA.

use alloc::vec::Vec;

use crate::primitives::{blake2s256, blake2s256_concat, keccak256, keccak256_concat, B256, U256};

/// How the pubdata is committed to on the settlement layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum DaCommitmentScheme {
    /// No scheme.
    None = 0,
    /// Validium: nothing is published, the commitment is zero.
    EmptyNoDa = 1,
    /// keccak of the pubdata (not supported by the settlement contracts).
    PubdataKeccak256 = 2,
    /// Calldata mode: `keccak(zero32 ‖ keccak(pubdata) ‖ 0x01 ‖ zero32)`.
    #[default]
    BlobsAndPubdataKeccak256 = 3,
    /// EIP-4844 blobs computed in-circuit.
    BlobsZksyncOs = 4,
}

/// Errors from computing a DA commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DaError {
    /// The scheme cannot be computed by zkos.
    Unsupported(DaCommitmentScheme),
}

/// The pubdata commitment under `scheme`.
pub fn da_commitment(scheme: DaCommitmentScheme, pubdata: &[u8]) -> Result<B256, DaError> {
    match scheme {
        DaCommitmentScheme::EmptyNoDa => Ok(B256::ZERO),
        DaCommitmentScheme::BlobsAndPubdataKeccak256 => Ok(keccak256_concat(&[
            &[0u8; 32],
            keccak256(pubdata).as_slice(),
            &[0x01],
            &[0u8; 32],
        ])),
        other => Err(DaError::Unsupported(other)),
    }
}

/// Linear blake2s of a list of hashes: blake2s of their concatenation.
pub fn linear_blake2s(hashes: &[B256]) -> B256 {
    let parts: Vec<&[u8]> = hashes.iter().map(|hash| hash.as_slice()).collect();
    blake2s256_concat(&parts)
}

/// What a block (or range of blocks) shows besides its state transition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlocksOutput {
    /// Chain id.
    pub chain_id: U256,
    /// Timestamp of the first block.
    pub first_block_timestamp: u64,
    /// Timestamp of the last block.
    pub last_block_timestamp: u64,
    /// blake2s of the pubdata.
    pub pubdata_hash: B256,
    /// Linear blake2s of the executed L1→L2 transaction hashes.
    pub priority_ops_hashes_hash: B256,
    /// Linear blake2s of the keccak hashes of the L2→L1 logs.
    pub l2_to_l1_logs_hashes_hash: B256,
    /// Hash of the upgrade transaction (zero when none).
    pub upgrade_tx_hash: B256,
    /// zkos's own field: [`fee_inputs_hash`] of the block's prices and limits.
    pub fee_inputs_hash: B256,
}

impl BlocksOutput {
    /// blake2s(chain_id word ‖ first_ts u64 ‖ last_ts u64 ‖ pubdata_hash ‖
    /// priority_ops_hashes_hash ‖ l2_to_l1_logs_hashes_hash ‖ upgrade_tx_hash ‖
    /// fee_inputs_hash). Upstream's layout ends with `upgrade_tx_hash`; zkos appends
    /// `fee_inputs_hash` so the block public input commits to the fee inputs too.
    pub fn hash(&self) -> B256 {
        blake2s256_concat(&[
            &self.chain_id.to_be_bytes::<32>(),
            &self.first_block_timestamp.to_be_bytes(),
            &self.last_block_timestamp.to_be_bytes(),
            self.pubdata_hash.as_slice(),
            self.priority_ops_hashes_hash.as_slice(),
            self.l2_to_l1_logs_hashes_hash.as_slice(),
            self.upgrade_tx_hash.as_slice(),
            self.fee_inputs_hash.as_slice(),
        ])
    }
}

/// blake2s(native_price word ‖ pubdata_price word ‖ pubdata_limit u64 ‖ blob_base_fee word):
/// the block inputs that decide fees and validity but reach no other commitment. The header
/// (hence the block hash) holds number, timestamp, coinbase, gas limit, base fee and
/// prevrandao, the chain state the block hashes and the previous timestamp; upstream commits
/// nothing else (`form_block_header` in `basic_bootloader/src/bootloader/block_flow/zk/
/// post_tx_op/mod.rs` leaves the native and pubdata prices as a to-do, and the pubdata limit
/// and blob fee appear in none of its commitments), so a prover could run a block under other
/// prices than the sequencer's. zkos commits them here, in the block output.
pub fn fee_inputs_hash(
    native_price: &U256,
    pubdata_price: &U256,
    pubdata_limit: u64,
    blob_base_fee: &U256,
) -> B256 {
    blake2s256_concat(&[
        &native_price.to_be_bytes::<32>(),
        &pubdata_price.to_be_bytes::<32>(),
        &pubdata_limit.to_be_bytes(),
        &blob_base_fee.to_be_bytes::<32>(),
    ])
}

/// blake2s of the pubdata, the `pubdata_hash` of [`BlocksOutput`].
pub fn pubdata_hash(pubdata: &[u8]) -> B256 {
    blake2s256(pubdata)
}

/// The block public input: `blake2s(state_before ‖ state_after ‖ blocks_output)`.
pub fn block_public_input(state_before: &B256, state_after: &B256, blocks_output: &B256) -> B256 {
    blake2s256_concat(&[
        state_before.as_slice(),
        state_after.as_slice(),
        blocks_output.as_slice(),
    ])
}

/// Chain settings the batch output commits to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchChainConfig {
    /// Whether the chain verifies FRI proofs (Gateway).
    pub fri_enabled: bool,
    /// Largest deployable contract in bytes.
    pub max_contract_size: u32,
    /// Largest gas limit of one transaction.
    pub max_tx_gas_limit: u64,
}

/// What a batch shows the settlement layer (\[new\] field set).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutput {
    /// Chain id.
    pub chain_id: U256,
    /// Chain settings.
    pub chain_config: BatchChainConfig,
    /// Timestamp of the first block.
    pub first_block_timestamp: u64,
    /// Timestamp of the last block.
    pub last_block_timestamp: u64,
    /// DA scheme of `pubdata_commitment`.
    pub da_scheme: DaCommitmentScheme,
    /// Pubdata commitment under `da_scheme`.
    pub pubdata_commitment: B256,
    /// Number of L1→L2 transactions.
    pub number_of_l1_txs: u64,
    /// Number of L2 transactions.
    pub number_of_l2_txs: u64,
    /// Rolling keccak of the L1→L2 transaction hashes.
    pub priority_operations_hash: B256,
    /// Root of the L2→L1 logs tree.
    pub l2_logs_tree_root: B256,
    /// Hash of the upgrade transaction (zero when none).
    pub upgrade_tx_hash: B256,
    /// Rolling hash of the interop roots (zero: zkos imports none).
    pub interop_roots_rolling_hash: B256,
    /// Chain id of the settlement layer.
    pub settlement_layer_chain_id: U256,
}

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

impl BatchOutput {
    /// keccak of, in order: chain_id word; fri flag word, max_contract_size word,
    /// max_tx_gas_limit word; first_ts u64; last_ts u64; da_scheme word; pubdata_commitment;
    /// number_of_l1_txs word; number_of_l2_txs word; priority_operations_hash;
    /// l2_logs_tree_root; upgrade_tx_hash; interop_roots_rolling_hash;
    /// settlement_layer_chain_id word.
    pub fn hash(&self) -> B256 {
        keccak256_concat(&[
            &self.chain_id.to_be_bytes::<32>(),
            &word(u64::from(self.chain_config.fri_enabled)),
            &word(u64::from(self.chain_config.max_contract_size)),
            &word(self.chain_config.max_tx_gas_limit),
            &self.first_block_timestamp.to_be_bytes(),
            &self.last_block_timestamp.to_be_bytes(),
            &word(self.da_scheme as u64),
            self.pubdata_commitment.as_slice(),
            &word(self.number_of_l1_txs),
            &word(self.number_of_l2_txs),
            self.priority_operations_hash.as_slice(),
            self.l2_logs_tree_root.as_slice(),
            self.upgrade_tx_hash.as_slice(),
            self.interop_roots_rolling_hash.as_slice(),
            &self.settlement_layer_chain_id.to_be_bytes::<32>(),
        ])
    }
}

/// The batch public input: `keccak(state_before ‖ state_after ‖ batch_output)`.
pub fn batch_public_input(state_before: &B256, state_after: &B256, batch_output: &B256) -> B256 {
    keccak256_concat(&[
        state_before.as_slice(),
        state_after.as_slice(),
        batch_output.as_slice(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::b256;

    #[test]
    fn calldata_da_commitment_layout() {
        // 97 bytes: 32 zeros ‖ keccak("") ‖ 0x01 ‖ 32 zeros.
        let mut preimage = alloc::vec![0u8; 32];
        preimage.extend_from_slice(crate::primitives::KECCAK_EMPTY.as_slice());
        preimage.push(1);
        preimage.extend_from_slice(&[0; 32]);
        assert_eq!(
            da_commitment(DaCommitmentScheme::BlobsAndPubdataKeccak256, &[]),
            Ok(keccak256(&preimage))
        );
        assert_eq!(
            da_commitment(DaCommitmentScheme::EmptyNoDa, b"x"),
            Ok(B256::ZERO)
        );
        assert_eq!(
            da_commitment(DaCommitmentScheme::BlobsZksyncOs, b"x"),
            Err(DaError::Unsupported(DaCommitmentScheme::BlobsZksyncOs))
        );
        assert_eq!(
            DaCommitmentScheme::default(),
            DaCommitmentScheme::BlobsAndPubdataKeccak256
        );
    }

    #[test]
    fn blocks_output_and_block_pi_layouts() {
        let output = BlocksOutput {
            chain_id: U256::from(270u32),
            first_block_timestamp: 5,
            last_block_timestamp: 6,
            pubdata_hash: B256::repeat_byte(1),
            priority_ops_hashes_hash: B256::repeat_byte(2),
            l2_to_l1_logs_hashes_hash: B256::repeat_byte(3),
            upgrade_tx_hash: B256::ZERO,
            fee_inputs_hash: B256::repeat_byte(4),
        };
        let mut preimage = alloc::vec![0u8; 30];
        preimage.extend_from_slice(&[0x01, 0x0e]); // 270
        preimage.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 5]);
        preimage.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 6]);
        for byte in [1u8, 2, 3, 0, 4] {
            preimage.extend_from_slice(&[byte; 32]);
        }
        assert_eq!(preimage.len(), 32 + 16 + 160);
        assert_eq!(output.hash(), blake2s256(&preimage));
        // Computed with Python's hashlib.blake2s over the same 208 bytes.
        assert_eq!(
            output.hash(),
            b256!("414b4213f3dce00f566f61f921e2af0c31bfb10054f9545683725749e62b828f")
        );
        // Native price 1, pubdata price 2 (words), pubdata limit 3 (8 bytes), blob fee 4
        // (word): 104 bytes, hashed with Python's hashlib.blake2s.
        assert_eq!(
            fee_inputs_hash(&U256::from(1u8), &U256::from(2u8), 3, &U256::from(4u8)),
            b256!("781d927308806671c157b758eaf09ac202cc2358755fccfd7192bf196327d245")
        );

        let (a, b, c) = (
            B256::repeat_byte(7),
            B256::repeat_byte(8),
            B256::repeat_byte(9),
        );
        assert_eq!(
            block_public_input(&a, &b, &c),
            blake2s256(&[[7u8; 32], [8; 32], [9; 32]].concat())
        );
        assert_eq!(
            batch_public_input(&a, &b, &c),
            keccak256(&[[7u8; 32], [8; 32], [9; 32]].concat())
        );
        assert_eq!(
            linear_blake2s(&[a, b]),
            blake2s256(&[[7u8; 32], [8; 32]].concat())
        );
        assert_eq!(linear_blake2s(&[]), blake2s256(&[]));
    }

    #[test]
    fn batch_output_layout() {
        let output = BatchOutput {
            chain_id: U256::from(1u8),
            chain_config: BatchChainConfig {
                fri_enabled: true,
                max_contract_size: 24_576,
                max_tx_gas_limit: 0x0100,
            },
            first_block_timestamp: 2,
            last_block_timestamp: 3,
            da_scheme: DaCommitmentScheme::BlobsAndPubdataKeccak256,
            pubdata_commitment: B256::repeat_byte(0xaa),
            number_of_l1_txs: 4,
            number_of_l2_txs: 5,
            priority_operations_hash: B256::repeat_byte(0xbb),
            l2_logs_tree_root: B256::repeat_byte(0xcc),
            upgrade_tx_hash: B256::repeat_byte(0xdd),
            interop_roots_rolling_hash: B256::repeat_byte(0xee),
            settlement_layer_chain_id: U256::from(6u8),
        };
        let small_word = |bytes: &[u8]| {
            let mut w = [0u8; 32];
            w[32 - bytes.len()..].copy_from_slice(bytes);
            w
        };
        let mut preimage = Vec::new();
        preimage.extend_from_slice(&small_word(&[1]));
        preimage.extend_from_slice(&small_word(&[1]));
        preimage.extend_from_slice(&small_word(&[0x60, 0x00])); // 24,576
        preimage.extend_from_slice(&small_word(&[0x01, 0x00]));
        preimage.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3]);
        preimage.extend_from_slice(&small_word(&[3]));
        preimage.extend_from_slice(&[0xaa; 32]);
        preimage.extend_from_slice(&small_word(&[4]));
        preimage.extend_from_slice(&small_word(&[5]));
        for byte in [0xbb, 0xcc, 0xdd, 0xee] {
            preimage.extend_from_slice(&[byte; 32]);
        }
        preimage.extend_from_slice(&small_word(&[6]));
        assert_eq!(preimage.len(), 32 * 13 + 16);
        assert_eq!(output.hash(), keccak256(&preimage));
    }
}
