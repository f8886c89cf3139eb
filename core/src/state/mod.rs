//! State commitment: account records, flat keys, the Blake2s state tree, its proofs, the chain
//! state commitment, pubdata, L2→L1 logs, the block header, the public inputs and the forward world state.

pub mod account;
pub mod chain_commitment;
pub mod eth_proof;
pub mod flat_key;
pub mod header;
pub mod l2_logs;
pub mod proof;
pub mod pubdata;
pub mod public_input;
pub mod tree;
pub mod world;
