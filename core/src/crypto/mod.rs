//! Cryptographic building blocks shared by transaction validation and precompiles.

pub mod secp256k1;
