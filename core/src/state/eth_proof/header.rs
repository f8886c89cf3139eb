//! An Ethereum block header and its hash: keccak256 of the RLP list of its fields, in the
//! order of the execution specs (`ethereum/forks/*/blocks.py`), each fork appending fields:
//! London the base fee, Shanghai the withdrawals root, Cancun blob gas used, excess blob gas and
//! the parent beacon block root, Prague the requests hash.

use super::ProofError;
use crate::primitives::{keccak256, Address, B256, U256};
use crate::tx::rlp::{write_bytes, write_list, write_u256, write_u64};
use alloc::vec::Vec;

/// A block header as a node reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EthHeader {
    /// `parentHash`.
    pub parent_hash: B256,
    /// `sha3Uncles`.
    pub ommers_hash: B256,
    /// `miner`.
    pub beneficiary: Address,
    /// `stateRoot`.
    pub state_root: B256,
    /// `transactionsRoot`.
    pub transactions_root: B256,
    /// `receiptsRoot`.
    pub receipts_root: B256,
    /// `logsBloom` (256 bytes).
    pub logs_bloom: Vec<u8>,
    /// `difficulty`.
    pub difficulty: U256,
    /// `number`.
    pub number: u64,
    /// `gasLimit`.
    pub gas_limit: u64,
    /// `gasUsed`.
    pub gas_used: u64,
    /// `timestamp`.
    pub timestamp: u64,
    /// `extraData`.
    pub extra_data: Vec<u8>,
    /// `mixHash`.
    pub mix_hash: B256,
    /// `nonce` (8 bytes).
    pub nonce: Vec<u8>,
    /// `baseFeePerGas` (London).
    pub base_fee: Option<U256>,
    /// `withdrawalsRoot` (Shanghai).
    pub withdrawals_root: Option<B256>,
    /// `blobGasUsed` (Cancun).
    pub blob_gas_used: Option<u64>,
    /// `excessBlobGas` (Cancun).
    pub excess_blob_gas: Option<u64>,
    /// `parentBeaconBlockRoot` (Cancun).
    pub parent_beacon_block_root: Option<B256>,
    /// `requestsHash` (Prague).
    pub requests_hash: Option<B256>,
}

impl EthHeader {
    /// The header's RLP; a later fork's field present without an earlier one is refused.
    pub fn rlp(&self) -> Result<Vec<u8>, ProofError> {
        let mut payload = Vec::with_capacity(640);
        for hash in [&self.parent_hash, &self.ommers_hash] {
            write_bytes(&mut payload, hash.as_slice());
        }
        write_bytes(&mut payload, self.beneficiary.as_slice());
        for hash in [
            &self.state_root,
            &self.transactions_root,
            &self.receipts_root,
        ] {
            write_bytes(&mut payload, hash.as_slice());
        }
        write_bytes(&mut payload, &self.logs_bloom);
        write_u256(&mut payload, &self.difficulty);
        for value in [self.number, self.gas_limit, self.gas_used, self.timestamp] {
            write_u64(&mut payload, value);
        }
        write_bytes(&mut payload, &self.extra_data);
        write_bytes(&mut payload, self.mix_hash.as_slice());
        write_bytes(&mut payload, &self.nonce);
        let later: [Option<Later>; 6] = [
            self.base_fee.map(Later::Int),
            self.withdrawals_root.map(Later::Hash),
            self.blob_gas_used.map(|v| Later::Int(U256::from(v))),
            self.excess_blob_gas.map(|v| Later::Int(U256::from(v))),
            self.parent_beacon_block_root.map(Later::Hash),
            self.requests_hash.map(Later::Hash),
        ];
        let present = later.iter().take_while(|f| f.is_some()).count();
        if later.iter().skip(present).any(Option::is_some) {
            return Err(ProofError::HeaderFieldGap);
        }
        for field in later.iter().flatten() {
            match field {
                Later::Int(value) => write_u256(&mut payload, value),
                Later::Hash(hash) => write_bytes(&mut payload, hash.as_slice()),
            }
        }
        let mut out = Vec::with_capacity(payload.len() + 3);
        write_list(&mut out, &payload);
        Ok(out)
    }

    /// Checks that the header hashes to `hash`. `unknown_fields`: the node's answer carries
    /// fields that are neither header fields this engine knows nor known non-header fields; a
    /// mismatch then means "cannot be verified" rather than "altered".
    pub fn verify(&self, hash: &B256, unknown_fields: bool) -> Result<(), ProofError> {
        if keccak256(&self.rlp()?) == *hash {
            Ok(())
        } else if unknown_fields {
            Err(ProofError::HeaderUnknownFields)
        } else {
            Err(ProofError::HeaderHashMismatch)
        }
    }
}

/// A field later forks append: an integer or a hash.
#[derive(Clone, Copy)]
enum Later {
    Int(U256),
    Hash(B256),
}
