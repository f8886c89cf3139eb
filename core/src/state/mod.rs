//! State commitment: account records, flat keys, the Blake2s state tree, its proofs, the chain
//! state commitment, pubdata and L2→L1 logs.

pub mod account;
pub mod chain_commitment;
pub mod flat_key;
pub mod l2_logs;
pub mod proof;
pub mod pubdata;
pub mod tree;
