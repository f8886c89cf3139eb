//! Proving mode: a block run from an oracle that is trusted for nothing.

use super::run::{execute, ProvenBlock};
use crate::config::ChainConfig;
use crate::oracle::{Oracle, ProvingError};

/// Proves one block from `oracle`: reads its input and transactions, runs it over a
/// [`crate::oracle::ProvingSource`], verifies every read and applies every write against the
/// previous commitment, and returns the commitments (the public inputs among them). Any oracle
/// answer that does not check out is an error. Every sender is recovered here, from the
/// signature.
pub fn prove_block<O: Oracle>(
    config: &ChainConfig,
    oracle: O,
) -> Result<ProvenBlock, ProvingError> {
    let (executed, verified, _) = execute(config, oracle, true, None)?;
    let new_state = verified.ok_or(ProvingError::CommitmentMismatch)?;
    executed.prove(config, new_state)
}
