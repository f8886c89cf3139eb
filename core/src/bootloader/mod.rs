//! The bootloader: validates transactions, runs them through the runner and settles fees.

pub mod ethereum;
pub mod validation;
