//! State commitment: account records, flat keys, the Blake2s state tree, its proofs, and the
//! chain state commitment.

pub mod account;
pub mod chain_commitment;
pub mod flat_key;
pub mod proof;
pub mod tree;
