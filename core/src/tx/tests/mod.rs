//! Tests of the transaction module.

mod build;
mod errors;
mod intrinsic;
mod mutation;
mod vectors;
