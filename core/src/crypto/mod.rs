//! Cryptographic building blocks shared by transaction validation and precompiles, and the
//! elliptic-curve arithmetic of the curve precompiles behind its host boundary ([`curves`]).

pub mod curves;
pub mod secp256k1;
