//! Tests of the transaction module.

mod errors;
mod intrinsic;
mod mutation;
mod vectors;
