//! The oracle: everything the bootloader does not compute itself and asks for instead — the
//! block's inputs, its transactions, the initial tree values it reads, the preimages of the
//! hashes in the tree, and the Merkle proofs that tie those reads and the block's writes to the
//! previous state commitment.
//!
//! Forward mode answers from a [`WorldState`](crate::state::world::WorldState)
//! ([`ForwardOracle`]); a [`Recorder`] writes every answer into a word stream that a proving
//! run reads back with [`Replay`]. In proving mode nothing an oracle says is trusted: preimages
//! are re-hashed when they arrive, and every tree read is checked at block end against the
//! previous commitment together with the writes ([`ProvingSource`]). The drivers that run a
//! block from an oracle are in [`crate::driver`].

mod error;
mod forward;
mod queries;
mod source;
mod words;

pub use error::{OracleError, ProvingError};
pub use forward::ForwardOracle;
pub use queries::{BlockInput, Oracle};
pub use source::ProvingSource;
pub use words::{Recorder, Replay, WORD_STREAM_MAGIC, WORD_STREAM_VERSION};
