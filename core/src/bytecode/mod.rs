//! The bytecode floor: what EVM code bytes mean, below every layer that runs or prices them.
//!
//! [`opcode`] is the one table of opcode facts — mnemonic, immediate size, stack inputs and
//! outputs, the hardfork that introduced it, static gas, native per protocol version — from which
//! the opcode constants, the gas and native tables, the interpreter's stack check and the
//! playground's opcode list all derive. [`JumpTable`] is the jumpdest analysis and [`Bytecode`]
//! is code with its hash and (lazy) analysis.

mod analysis;
mod code;
pub mod opcode;
pub mod preimage;
pub mod static_gas;

pub use analysis::JumpTable;
pub use code::{delegation_target, Bytecode, DELEGATION_PREFIX};

/// Most words the EVM operand stack holds.
pub const STACK_LIMIT: usize = 1024;
