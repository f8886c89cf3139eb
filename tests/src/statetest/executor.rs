//! The interface between the state-test runner and an EVM: one resolved transaction in, the
//! post-state (or a rejection) out.

use std::collections::BTreeMap;

use zkos_core::primitives::{Address, Bytes, B256, U256};

/// Hardfork whose rules a case runs under.
pub use zkos_core::config::Hardfork as Fork;

/// Something that executes one state-test transaction.
pub trait Executor: Sync {
    /// Executes one transaction on `pre` and returns the post-state, or the rejection reason.
    fn execute(&self, input: &CaseInput) -> Outcome;
}

/// Everything one state-test case needs to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseInput {
    /// Hardfork rules to apply.
    pub fork: Fork,
    /// Block environment.
    pub env: Env,
    /// World state before the transaction.
    pub pre: BTreeMap<Address, AccountState>,
    /// The transaction to execute.
    pub tx: TxInput,
}

/// Blob fee parameters of a fork (EIP-4844 / EIP-7691).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobSchedule {
    /// Target number of blobs per block.
    pub target: u64,
    /// Maximum number of blobs per block.
    pub max: u64,
    /// Denominator of the blob base fee exponent.
    pub update_fraction: u64,
}

/// Block environment of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Env {
    /// Beneficiary of the block (`currentCoinbase`).
    pub coinbase: Address,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Block number.
    pub number: u64,
    /// Block timestamp in seconds.
    pub timestamp: u64,
    /// EIP-1559 base fee per gas, when given.
    pub base_fee: Option<U256>,
    /// PREVRANDAO value (`currentRandom`), when given.
    pub prev_randao: Option<B256>,
    /// Block difficulty.
    pub difficulty: U256,
    /// EIP-4844 excess blob gas, when given.
    pub excess_blob_gas: Option<u64>,
    /// Blob fee parameters from the fixture's `config.blobSchedule` for the case's fork, when given.
    pub blob_schedule: Option<BlobSchedule>,
    /// EIP-155 chain id (1 unless the fixture's `config.chainid` says otherwise).
    pub chain_id: u64,
}

/// One account of a world state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Account nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Deployed bytecode.
    pub code: Bytes,
    /// Storage slots; a zero value is the same as an absent slot.
    pub storage: BTreeMap<U256, U256>,
}

/// One EIP-2930 access-list entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessListItem {
    /// Accessed account.
    pub address: Address,
    /// Accessed storage slots of that account.
    pub storage_keys: Vec<B256>,
}

/// One EIP-7702 authorization tuple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// Chain id the authorization is valid on (0 = any).
    pub chain_id: U256,
    /// Address whose code the authority delegates to.
    pub address: Address,
    /// Authority nonce the authorization is valid at.
    pub nonce: u64,
    /// Signature y parity (`yParity`, or `v` when absent).
    pub y_parity: u8,
    /// Signature r.
    pub r: U256,
    /// Signature s.
    pub s: U256,
    /// Recovered authority, when the fixture states it.
    pub signer: Option<Address>,
}

/// The resolved transaction of one (data, gas, value) index triple.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxInput {
    /// Sender (from `sender`, else derived from `secretKey`).
    pub sender: Address,
    /// Recipient; `None` creates a contract.
    pub to: Option<Address>,
    /// Transaction nonce.
    pub nonce: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Legacy / EIP-2930 gas price.
    pub gas_price: Option<U256>,
    /// EIP-1559 max fee per gas.
    pub max_fee_per_gas: Option<U256>,
    /// EIP-1559 max priority fee per gas.
    pub max_priority_fee_per_gas: Option<U256>,
    /// Value transferred in wei.
    pub value: U256,
    /// Calldata (or init code for a creation).
    pub data: Bytes,
    /// EIP-2930 access list, when the transaction has one.
    pub access_list: Option<Vec<AccessListItem>>,
    /// EIP-4844 blob versioned hashes (empty for non-blob transactions).
    pub blob_versioned_hashes: Vec<B256>,
    /// EIP-4844 max fee per blob gas.
    pub max_fee_per_blob_gas: Option<U256>,
    /// EIP-7702 authorization list, when the transaction has one.
    pub authorization_list: Option<Vec<Authorization>>,
    /// The signed transaction as the fixture encodes it (`txbytes`), when given.
    pub tx_bytes: Option<Bytes>,
}

/// One log entry emitted by a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// Emitting contract.
    pub address: Address,
    /// Indexed topics.
    pub topics: Vec<B256>,
    /// Unindexed data.
    pub data: Bytes,
}

/// Result of executing one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The transaction was included; `post` is the whole world state after it.
    Executed {
        /// Every account after the transaction (empty accounts kept or removed per EIP-161).
        post: BTreeMap<Address, AccountState>,
        /// Logs in emission order.
        logs: Vec<Log>,
    },
    /// The transaction is invalid and was not included.
    Rejected {
        /// Why it was rejected.
        reason: String,
    },
}
