//! Conformance, differential and cross-target test support for zkos.

pub mod statetest;
