//! Ethereum intrinsic gas of a transaction (charged before execution) and the EIP-7623
//! calldata floor.
//!
//! The ZKsync OS figures for native and pubdata are not here: the spec gives the L2 intrinsic
//! native only approximately (about 922k), so no exact constant can be derived from it.

use super::Transaction;
use crate::config::Hardfork;

/// Base cost of every transaction.
pub const TX_BASE_GAS: u64 = 21_000;
/// Extra cost of a contract-creating transaction.
pub const TX_CREATE_GAS: u64 = 32_000;
/// EIP-3860: cost per 32-byte word of initcode.
pub const INITCODE_WORD_GAS: u64 = 2;
/// Calldata tokens per non-zero byte (a zero byte is one token).
pub const NONZERO_BYTE_TOKENS: u64 = 4;
/// Intrinsic cost per calldata token (so 4 per zero byte, 16 per non-zero byte).
pub const CALLDATA_TOKEN_GAS: u64 = 4;
/// EIP-2930: cost per access-list address.
pub const ACCESS_LIST_ADDRESS_GAS: u64 = 2_400;
/// EIP-2930: cost per access-list storage key.
pub const ACCESS_LIST_STORAGE_KEY_GAS: u64 = 1_900;
/// EIP-7702: cost per authorization (`PER_EMPTY_ACCOUNT_COST`; partly refunded later for
/// authorities that already exist).
pub const PER_EMPTY_ACCOUNT_GAS: u64 = 25_000;
/// EIP-7623: floor cost per calldata token.
pub const FLOOR_TOKEN_GAS: u64 = 10;

/// Intrinsic gas of one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntrinsicGas {
    /// Gas charged before execution; the gas limit must cover it.
    pub gas: u64,
    /// EIP-7623 minimum gas used (Prague and later; 0 before). The gas limit must cover it
    /// and the gas used is raised to it after execution.
    pub floor_gas: u64,
}

/// Calldata tokens: zero bytes plus [`NONZERO_BYTE_TOKENS`] per non-zero byte.
pub fn calldata_tokens(data: &[u8]) -> u64 {
    data.iter().fold(0u64, |tokens, &byte| {
        let weight = if byte == 0 { 1 } else { NONZERO_BYTE_TOKENS };
        tokens.saturating_add(weight)
    })
}

/// Usize count as u64, saturating (counts come from in-memory lists).
fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Intrinsic gas of `tx` under `hardfork`, saturating at `u64::MAX` on hostile sizes.
/// Authorizations are priced whenever present (only EIP-7702 transactions carry them).
pub fn intrinsic_gas(tx: &Transaction, hardfork: Hardfork) -> IntrinsicGas {
    let tokens = calldata_tokens(&tx.data);
    let mut gas = TX_BASE_GAS.saturating_add(tokens.saturating_mul(CALLDATA_TOKEN_GAS));
    if tx.is_create() {
        let initcode_words = count(tx.data.len()).div_ceil(32);
        gas = gas
            .saturating_add(TX_CREATE_GAS)
            .saturating_add(initcode_words.saturating_mul(INITCODE_WORD_GAS));
    }
    let storage_keys = tx.access_list.iter().fold(0u64, |keys, item| {
        keys.saturating_add(count(item.storage_keys.len()))
    });
    gas = gas
        .saturating_add(count(tx.access_list.len()).saturating_mul(ACCESS_LIST_ADDRESS_GAS))
        .saturating_add(storage_keys.saturating_mul(ACCESS_LIST_STORAGE_KEY_GAS))
        .saturating_add(count(tx.authorization_list.len()).saturating_mul(PER_EMPTY_ACCOUNT_GAS));
    let floor_gas = if hardfork >= Hardfork::Prague {
        TX_BASE_GAS.saturating_add(tokens.saturating_mul(FLOOR_TOKEN_GAS))
    } else {
        0
    };
    IntrinsicGas { gas, floor_gas }
}
