//! What an access of the IO answers: a slot read or write, an event, running out of native.

use crate::primitives::{Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// The transaction ran out of native resource; the whole transaction is reverted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfNative;

/// An EVM log (event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// Emitting contract.
    pub address: Address,
    /// Indexed topics (at most 4).
    pub topics: Vec<B256>,
    /// Data.
    pub data: Bytes,
}

/// Result of reading a storage slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotAccess {
    /// Current value.
    pub value: U256,
    /// Whether the slot was cold (EIP-2929) before this access.
    pub cold: bool,
}

/// Result of writing a storage slot: what EIP-2200 gas and refunds need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StorageWrite {
    /// Value at the start of the transaction.
    pub original: U256,
    /// Value before this write.
    pub present: U256,
    /// Whether the slot was cold before this write.
    pub cold: bool,
}
