//! The static gas tiers the opcode table charges before an opcode runs (Yellow Paper names).
//! Dynamic parts (memory, copies, cold accesses, storage, calls) are in `resources::gas`.

/// Gas of the cheapest instructions (`ADDRESS`, `POP`, ...).
pub const BASE_GAS: u64 = 2;
/// Gas of most arithmetic and stack instructions.
pub const VERYLOW_GAS: u64 = 3;
/// Gas of `MUL`, `DIV` and friends.
pub const LOW_GAS: u64 = 5;
/// Gas of `ADDMOD`, `MULMOD`, `JUMP`.
pub const MID_GAS: u64 = 8;
/// Gas of `JUMPI`.
pub const HIGH_GAS: u64 = 10;
/// Gas of `JUMPDEST`.
pub const JUMPDEST_GAS: u64 = 1;
/// Base gas of `EXP` (the exponent's bytes are charged on top).
pub const EXP_GAS: u64 = 10;
/// Base gas of `KECCAK256` (the hashed words are charged on top).
pub const KECCAK256_GAS: u64 = 30;
/// Gas of `BLOCKHASH`.
pub const BLOCKHASH_GAS: u64 = 20;
/// Gas of `TLOAD` and `TSTORE` (EIP-1153).
pub const TRANSIENT_GAS: u64 = 100;
/// Base gas of `LOGn` (topics and data bytes are charged on top).
pub const LOG_GAS: u64 = 375;
/// Gas per `LOG` topic.
pub const LOG_TOPIC_GAS: u64 = 375;
/// Gas of `CREATE` and `CREATE2` (initcode words are charged on top).
pub const CREATE_GAS: u64 = 32_000;
/// Gas of `SELFDESTRUCT` (a cold beneficiary and a new account are charged on top).
pub const SELFDESTRUCT_GAS: u64 = 5_000;
