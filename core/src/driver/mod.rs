//! The drivers that run a block from an oracle: forward on the sequencer's world state
//! ([`run_block_forward`], optionally recording the oracle's answers) and in proving mode
//! ([`prove_block`], trusting no answer). Both read the block from the oracle, run the
//! bootloader's block loop over a [`crate::oracle::ProvingSource`] and build the block's
//! commitments ([`crate::commitment`]).

mod forward;
mod prove;
mod run;

pub use forward::{run_block_forward, run_block_forward_with_senders};
pub use prove::prove_block;
pub use run::ProvenBlock;

#[cfg(test)]
mod tests;
