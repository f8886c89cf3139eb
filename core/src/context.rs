//! The block context: everything a block's execution depends on besides its transactions and
//! the state — the values the EVM reads ([`BlockEnv`]) and the prices and limits the ZKsync OS
//! fee model adds. The oracle answers it, the bootloader runs on it, the commitments hash it.

use crate::env::BlockEnv;
use crate::primitives::{Address, B256, U256};
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
