//! The entries of the log of what a transaction added to the block's caches (see
//! [`super::rejected`]).

use crate::primitives::{Address, B256, U256};

/// One addition to the block's caches.
#[derive(Clone, Copy, Debug)]
pub(super) enum CacheEntry {
    /// The account was loaded for the first time in the block.
    AccountLoaded(Address),
    /// The slot's tree read was charged.
    SlotReadCharged(Address, U256),
    /// The slot's tree write was charged.
    SlotWriteCharged(Address, U256),
    /// The code's jumpdest analysis was charged.
    CodeAnalysed(B256),
}
