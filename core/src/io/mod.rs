//! The system's IO: accounts, storage, transient storage, events, L2→L1 messages and the journal that lets any
//! frame roll back, with native charged for every access.
//!
//! Values come from a [`StateSource`] the first time they are needed in a block and are cached
//! from then on; only the cache changes during execution.

mod access;
mod account;
mod cache;
mod changes;
#[cfg(test)]
pub(crate) mod forgetful;
mod journal;
mod messages;
mod source;

pub use access::{Log, OutOfNative, SlotAccess, StorageWrite};
pub use account::{Account, AccountValues};
pub use cache::Io;
pub use changes::{AccountChange, NetChanges, SlotChange};
pub use journal::Checkpoint;
pub use messages::L2ToL1Message;
pub use source::{InMemoryState, Lookup, SourceAccount, StateKey, StateSource, Unknown};
