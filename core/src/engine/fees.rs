//! The fee and block parameters new blocks use, and their defaults.

use crate::primitives::{Address, U256};

/// Base fee per gas used when none is configured: 1000 wei (the ZKsync OS server default).
pub const DEFAULT_BASE_FEE_WEI: u64 = 1_000;
/// Price of one unit of native used when none is configured: 1 wei (the server default).
pub const DEFAULT_NATIVE_PRICE_WEI: u64 = 1;
/// Price of one pubdata byte used when none is configured: 1 wei (the server default).
pub const DEFAULT_PUBDATA_PRICE_WEI: u64 = 1;
/// Pubdata a block may publish when no limit is configured (ours).
pub const DEFAULT_PUBDATA_LIMIT_BYTES: u64 = 1_000_000;
/// Block gas limit used when none is configured (ours: room for six transactions at the
/// EIP-7825 cap).
pub const DEFAULT_BLOCK_GAS_LIMIT_GAS: u64 = 100_000_000;

/// Fee and block parameters applied to new blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeParams {
    /// EIP-1559 base fee per gas, in wei.
    pub base_fee: U256,
    /// Price of one unit of native, in wei.
    pub native_price: U256,
    /// Price of one byte of pubdata, in wei.
    pub pubdata_price: U256,
    /// Block gas limit.
    pub block_gas_limit: u64,
    /// Most pubdata bytes a block may publish.
    pub pubdata_limit: u64,
    /// Fee recipient.
    pub coinbase: Address,
}

impl Default for FeeParams {
    fn default() -> Self {
        Self {
            base_fee: U256::from(DEFAULT_BASE_FEE_WEI),
            native_price: U256::from(DEFAULT_NATIVE_PRICE_WEI),
            pubdata_price: U256::from(DEFAULT_PUBDATA_PRICE_WEI),
            block_gas_limit: DEFAULT_BLOCK_GAS_LIMIT_GAS,
            pubdata_limit: DEFAULT_PUBDATA_LIMIT_BYTES,
            coinbase: Address::ZERO,
        }
    }
}

/// Block parameters a running chain may change for the blocks it produces from then on (a dev
/// node's `anvil_setNextBlockBaseFeePerGas`, `anvil_setCoinbase`, `evm_setBlockGasLimit`);
/// `None` keeps the parameter as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockParams {
    /// Base fee per gas, in wei: at most [`MAX_SET_BASE_FEE_WEI`].
    pub base_fee: Option<U256>,
    /// Fee recipient.
    pub coinbase: Option<Address>,
    /// Block gas limit: at least [`TX_BASE_GAS`](crate::tx::intrinsic::TX_BASE_GAS).
    pub gas_limit: Option<u64>,
}

/// Highest base fee a running chain may be set to: 2^128 − 1 wei, the most a transaction's fee
/// cap can hold (no transaction could pay a higher one).
pub const MAX_SET_BASE_FEE_WEI: u128 = u128::MAX;
