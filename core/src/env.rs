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

/// Where `BLOCKHASH` finds a hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockHashAt {
    /// The answer: a listed hash, or zero outside the 256-block window.
    Known(B256),
    /// Block `number` is inside the window but older than the listed hashes: the state source
    /// answers (a forked chain's older blocks; zero over a local chain).
    Source(u64),
}

impl BlockEnv {
    /// `BLOCKHASH(number)` from the listed hashes alone: the hash of one of the 256 previous
    /// blocks, else zero.
    pub fn block_hash(&self, number: U256) -> B256 {
        match self.block_hash_at(number) {
            BlockHashAt::Known(hash) => hash,
            BlockHashAt::Source(_) => B256::ZERO,
        }
    }

    /// Where `BLOCKHASH(number)` finds its answer.
    pub fn block_hash_at(&self, number: U256) -> BlockHashAt {
        let Ok(requested) = u64::try_from(number) else {
            return BlockHashAt::Known(B256::ZERO);
        };
        if requested >= self.number || self.number - requested > BLOCK_HASH_WINDOW {
            return BlockHashAt::Known(B256::ZERO);
        }
        let back = (self.number - requested) as usize;
        match self.block_hashes.len().checked_sub(back) {
            Some(i) => BlockHashAt::Known(self.block_hashes.get(i).copied().unwrap_or_default()),
            None => BlockHashAt::Source(requested),
        }
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
