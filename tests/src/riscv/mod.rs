//! Host side of the RISC-V proving build: an ELF loader, an RV32IM emulator (rrs-lib) with the
//! guest's memory map, the guest's input/output formats, and the per-opcode calibration.

pub mod blocks;
pub mod calibrate;
pub mod elf;
pub mod emulator;
pub mod guest;
pub mod profile;
pub mod transactions;
mod uniswap;
