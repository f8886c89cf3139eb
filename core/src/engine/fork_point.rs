//! The block of a forked chain an engine builds on, and the values of that chain the host
//! fetches for it (see [`Engine::supply`](super::Engine::supply) for how they are kept).

use crate::bigint;
use crate::primitives::{Address, Bytes, B256, U256};

/// EIP-1559: the base fee moves by at most 1/8 per block.
const BASE_FEE_MAX_CHANGE_DENOMINATOR: u64 = 8;
/// EIP-1559: the gas target is half the gas limit.
const ELASTICITY_MULTIPLIER: u64 = 2;

/// The block of a forked chain an engine builds on, as the chain's node reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForkPoint {
    /// Block number.
    pub number: u64,
    /// Block hash.
    pub hash: B256,
    /// Hash of its parent.
    pub parent_hash: B256,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Base fee per gas.
    pub base_fee: U256,
    /// Gas limit.
    pub gas_limit: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Blob gas used (EIP-4844; 0 before Cancun).
    pub blob_gas_used: u64,
    /// Excess blob gas (EIP-4844; 0 before Cancun): with the blob gas used, it sets the next
    /// block's blob base fee.
    pub excess_blob_gas: u64,
    /// Fee recipient.
    pub coinbase: Address,
    /// `mixHash` (`PREVRANDAO` after the merge).
    pub prevrandao: B256,
    /// The chain's state root after the block (reported for the fork block only).
    pub state_root: B256,
}

impl ForkPoint {
    /// The base fee of the next block by EIP-1559 (from this block's gas used, limit and base
    /// fee).
    pub fn next_base_fee(&self) -> U256 {
        let target = self.gas_limit / ELASTICITY_MULTIPLIER;
        if target == 0 || self.gas_used == target {
            return self.base_fee;
        }
        let denominator = U256::from(target) * U256::from(BASE_FEE_MAX_CHANGE_DENOMINATOR);
        if self.gas_used > target {
            let delta = bigint::div_rem(
                &(self.base_fee * U256::from(self.gas_used - target)),
                &denominator,
            )
            .0;
            self.base_fee + delta.max(U256::from(1))
        } else {
            let delta = bigint::div_rem(
                &(self.base_fee * U256::from(target - self.gas_used)),
                &denominator,
            )
            .0;
            self.base_fee.saturating_sub(delta)
        }
    }
}

/// A value of the forked chain, as the host fetched it for a [`StateKey`](crate::io::StateKey).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForkValue {
    /// An account: nonce, balance, code and whether its storage is non-empty.
    Account {
        /// Nonce.
        nonce: u64,
        /// Balance in wei.
        balance: U256,
        /// Code.
        code: Bytes,
        /// Whether any slot is non-zero (EIP-7610); false when the host cannot tell.
        has_storage: bool,
    },
    /// A slot's value.
    Slot(U256),
    /// A block hash.
    BlockHash(B256),
}
