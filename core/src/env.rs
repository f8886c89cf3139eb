//! Block and transaction values the EVM can read.

use crate::primitives::{Address, B256, U256};
use alloc::vec::Vec;

/// Number of recent block hashes `BLOCKHASH` can see.
pub const BLOCK_HASH_WINDOW: u64 = 256;

/// Block-level values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockEnv {
    /// Block number.
    pub number: u64,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Fee recipient (`COINBASE`).
    pub coinbase: Address,
    /// Block gas limit (`GASLIMIT`).
    pub gas_limit: u64,
    /// EIP-1559 base fee per gas (`BASEFEE`).
    pub base_fee: U256,
    /// `PREVRANDAO`.
    pub prevrandao: B256,
    /// Blob base fee (`BLOBBASEFEE`).
    pub blob_base_fee: U256,
    /// Hashes of the previous blocks, oldest first; the last one is block `number - 1`.
    pub block_hashes: Vec<B256>,
}

impl BlockEnv {
    /// `BLOCKHASH(number)`: the hash of one of the 256 previous blocks, else zero.
    pub fn block_hash(&self, number: U256) -> B256 {
        let Ok(requested) = u64::try_from(number) else {
            return B256::ZERO;
        };
        if requested >= self.number || self.number - requested > BLOCK_HASH_WINDOW {
            return B256::ZERO;
        }
        let back = (self.number - requested) as usize;
        self.block_hashes
            .len()
            .checked_sub(back)
            .and_then(|i| self.block_hashes.get(i))
            .copied()
            .unwrap_or_default()
    }
}

/// Transaction-level values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxEnv {
    /// `ORIGIN`.
    pub origin: Address,
    /// Effective gas price (`GASPRICE`).
    pub gas_price: U256,
    /// EIP-4844 blob versioned hashes (`BLOBHASH`).
    pub blob_hashes: Vec<B256>,
}
