//! zkos-core: the ZKsync OS execution model as a `no_std` + `alloc` library.
//!
//! Everything that decides an outcome lives here: the bootloader, the system layer (IO, memory,
//! resources, oracle) and the EVM execution environment. Hosts (native, wasm32, riscv32im) only
//! feed inputs and read results.
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

pub mod bigint;
pub mod bootloader;
pub mod bytecode;
pub mod commitment;
pub mod config;
pub mod context;
pub mod crypto;
pub mod driver;
pub mod ee;
pub mod engine;
pub mod env;
pub mod hash;
pub mod io;
pub mod oracle;
pub mod precompiles;
pub mod primitives;
pub mod resources;
pub mod runner;
pub mod state;
pub mod system;
pub mod trace;
pub mod tx;
