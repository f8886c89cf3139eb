//! Net changes over a stretch of a transaction, as pubdata accounting needs them.

use super::account::AccountValues;
use crate::primitives::{Address, U256};
use alloc::vec::Vec;

/// A storage slot written after a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotChange {
    /// Owner.
    pub address: Address,
    /// Slot key.
    pub key: U256,
    /// Value when the block started.
    pub block_start: U256,
    /// Value at the checkpoint.
    pub at_checkpoint: U256,
    /// Value now.
    pub now: U256,
}

/// An account whose nonce, balance or code was written after a checkpoint.
#[derive(Clone, Debug)]
pub struct AccountChange {
    /// The account.
    pub address: Address,
    /// Values when the block started.
    pub block_start: AccountValues,
    /// Values at the checkpoint.
    pub at_checkpoint: AccountValues,
    /// Values now.
    pub now: AccountValues,
}

/// Everything written after a checkpoint, each slot and account once, in first-write order.
#[derive(Clone, Debug, Default)]
pub struct NetChanges {
    /// Written slots.
    pub slots: Vec<SlotChange>,
    /// Written accounts.
    pub accounts: Vec<AccountChange>,
}
