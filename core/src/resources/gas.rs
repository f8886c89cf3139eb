//! Ethereum gas schedule (Cancun, with the Prague and Osaka changes the EVM sees).
//!
//! Static costs per opcode are kept in ergs, one table per hardfork, so the interpreter charges a
//! step with one table load and one subtraction.

use super::gas_to_ergs;
use crate::config::Hardfork;
use crate::ee::evm::opcode as op;

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
/// Base gas of `EXP`.
pub const EXP_GAS: u64 = 10;
/// Gas per byte of the `EXP` exponent (EIP-160).
pub const EXP_BYTE_GAS: u64 = 50;
/// Base gas of `KECCAK256`.
pub const KECCAK256_GAS: u64 = 30;
/// Gas per word hashed by `KECCAK256`.
pub const KECCAK256_WORD_GAS: u64 = 6;
/// Gas per word copied (`*COPY`).
pub const COPY_WORD_GAS: u64 = 3;
/// Gas of `BLOCKHASH`.
pub const BLOCKHASH_GAS: u64 = 20;
/// Gas of a warm account or slot access (EIP-2929).
pub const WARM_STORAGE_READ_GAS: u64 = 100;
/// Gas of a cold account access (EIP-2929).
pub const COLD_ACCOUNT_ACCESS_GAS: u64 = 2600;
/// Gas of a cold `SLOAD` (EIP-2929).
pub const COLD_SLOAD_GAS: u64 = 2100;
/// Gas of `SSTORE` turning a zero slot non-zero.
pub const SSTORE_SET_GAS: u64 = 20_000;
/// Gas of `SSTORE` changing a non-zero slot (before the cold surcharge).
pub const SSTORE_RESET_GAS: u64 = 5_000 - COLD_SLOAD_GAS;
/// Refund for clearing a slot (EIP-3529).
pub const SSTORE_CLEARS_SCHEDULE_REFUND: i64 = 4_800;
/// `SSTORE` fails unless more than this much gas is left (EIP-2200).
pub const SSTORE_STIPEND_GAS: u64 = 2_300;
/// Gas of `TLOAD` and `TSTORE` (EIP-1153).
pub const TRANSIENT_GAS: u64 = 100;
/// Base gas of `LOGn`.
pub const LOG_GAS: u64 = 375;
/// Gas per `LOG` topic.
pub const LOG_TOPIC_GAS: u64 = 375;
/// Gas per `LOG` data byte.
pub const LOG_DATA_BYTE_GAS: u64 = 8;
/// Gas of `CREATE` and `CREATE2`.
pub const CREATE_GAS: u64 = 32_000;
/// Gas per initcode word (EIP-3860).
pub const INITCODE_WORD_GAS: u64 = 2;
/// Gas per deployed code byte.
pub const CODE_DEPOSIT_BYTE_GAS: u64 = 200;
/// Extra gas of a call that transfers value.
pub const CALL_VALUE_GAS: u64 = 9_000;
/// Extra gas of a call that transfers value to an account that does not exist.
pub const NEW_ACCOUNT_GAS: u64 = 25_000;
/// Gas given to the callee for free when a call transfers value.
pub const CALL_STIPEND_GAS: u64 = 2_300;
/// Gas of `SELFDESTRUCT`.
pub const SELFDESTRUCT_GAS: u64 = 5_000;
/// Gas per memory word (linear part).
pub const MEMORY_WORD_GAS: u64 = 3;
/// Divisor of the quadratic memory cost.
pub const MEMORY_QUADRATIC_DIVISOR: u64 = 512;

/// Blob gas per blob (EIP-4844).
pub const GAS_PER_BLOB: u64 = 1 << 17;
/// EIP-7825 (Osaka): largest gas limit a transaction may have.
pub const MAX_TX_GAS_LIMIT_OSAKA: u64 = 1 << 24;

/// Maximum call depth.
pub const CALL_DEPTH_LIMIT: usize = 1024;
/// Maximum deployed code size (EIP-170).
pub const MAX_CODE_SIZE: usize = 24_576;
/// Maximum initcode size (EIP-3860).
pub const MAX_INITCODE_SIZE: usize = 2 * MAX_CODE_SIZE;

/// Total gas of `words` words of memory.
#[inline]
pub const fn memory_gas(words: u64) -> u64 {
    MEMORY_WORD_GAS * words + words * words / MEMORY_QUADRATIC_DIVISOR
}

/// [`memory_gas`] in 32-bit arithmetic, for at most `u16::MAX` words (the square fits 32 bits,
/// which riscv32 computes in one `mul`).
#[inline(always)]
const fn small_memory_gas(words: u32) -> u32 {
    MEMORY_WORD_GAS as u32 * words + words * words / MEMORY_QUADRATIC_DIVISOR as u32
}

/// Gas of growing memory from `from` to `to` words (`from <= to`), in 32-bit arithmetic below
/// 2^16 words.
#[inline(always)]
pub const fn memory_expansion_gas(from: u64, to: u64) -> u64 {
    if to <= u16::MAX as u64 {
        return (small_memory_gas(to as u32) - small_memory_gas(from as u32)) as u64;
    }
    memory_gas(to) - memory_gas(from)
}

/// Number of 32-byte words covering `bytes` bytes.
#[inline]
pub const fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

/// Static costs of every opcode, in ergs, for one hardfork. Undefined opcodes cost 0 (they halt).
/// Every figure fits `u32` (at most 32,000 gas × 256), which keeps the interpreter's per-opcode
/// charge to 32-bit loads on riscv32.
#[derive(Clone, Debug)]
pub struct StaticErgsTable(pub [u32; 256]);

impl StaticErgsTable {
    /// The table for `hardfork`.
    pub fn for_hardfork(hardfork: Hardfork) -> Self {
        let mut gas = [0u64; 256];
        for (opcode, cost) in CANCUN_STATIC_GAS {
            gas[*opcode as usize] = *cost;
        }
        for slot in &mut gas[op::PUSH1 as usize..=op::SWAP16 as usize] {
            *slot = VERYLOW_GAS;
        }
        if hardfork >= Hardfork::Osaka {
            gas[op::CLZ as usize] = LOW_GAS;
        }
        Self(gas.map(|g| u32::try_from(gas_to_ergs(g)).unwrap_or(u32::MAX)))
    }
}

/// Static gas of the Cancun opcodes; dynamic parts are charged by the instructions themselves.
const CANCUN_STATIC_GAS: &[(u8, u64)] = &[
    (op::STOP, 0),
    (op::ADD, VERYLOW_GAS),
    (op::MUL, LOW_GAS),
    (op::SUB, VERYLOW_GAS),
    (op::DIV, LOW_GAS),
    (op::SDIV, LOW_GAS),
    (op::MOD, LOW_GAS),
    (op::SMOD, LOW_GAS),
    (op::ADDMOD, MID_GAS),
    (op::MULMOD, MID_GAS),
    (op::EXP, EXP_GAS),
    (op::SIGNEXTEND, LOW_GAS),
    (op::LT, VERYLOW_GAS),
    (op::GT, VERYLOW_GAS),
    (op::SLT, VERYLOW_GAS),
    (op::SGT, VERYLOW_GAS),
    (op::EQ, VERYLOW_GAS),
    (op::ISZERO, VERYLOW_GAS),
    (op::AND, VERYLOW_GAS),
    (op::OR, VERYLOW_GAS),
    (op::XOR, VERYLOW_GAS),
    (op::NOT, VERYLOW_GAS),
    (op::BYTE, VERYLOW_GAS),
    (op::SHL, VERYLOW_GAS),
    (op::SHR, VERYLOW_GAS),
    (op::SAR, VERYLOW_GAS),
    (op::KECCAK256, KECCAK256_GAS),
    (op::ADDRESS, BASE_GAS),
    (op::BALANCE, 0),
    (op::ORIGIN, BASE_GAS),
    (op::CALLER, BASE_GAS),
    (op::CALLVALUE, BASE_GAS),
    (op::CALLDATALOAD, VERYLOW_GAS),
    (op::CALLDATASIZE, BASE_GAS),
    (op::CALLDATACOPY, VERYLOW_GAS),
    (op::CODESIZE, BASE_GAS),
    (op::CODECOPY, VERYLOW_GAS),
    (op::GASPRICE, BASE_GAS),
    (op::EXTCODESIZE, 0),
    (op::EXTCODECOPY, 0),
    (op::RETURNDATASIZE, BASE_GAS),
    (op::RETURNDATACOPY, VERYLOW_GAS),
    (op::EXTCODEHASH, 0),
    (op::BLOCKHASH, BLOCKHASH_GAS),
    (op::COINBASE, BASE_GAS),
    (op::TIMESTAMP, BASE_GAS),
    (op::NUMBER, BASE_GAS),
    (op::PREVRANDAO, BASE_GAS),
    (op::GASLIMIT, BASE_GAS),
    (op::CHAINID, BASE_GAS),
    (op::SELFBALANCE, LOW_GAS),
    (op::BASEFEE, BASE_GAS),
    (op::BLOBHASH, VERYLOW_GAS),
    (op::BLOBBASEFEE, BASE_GAS),
    (op::POP, BASE_GAS),
    (op::MLOAD, VERYLOW_GAS),
    (op::MSTORE, VERYLOW_GAS),
    (op::MSTORE8, VERYLOW_GAS),
    (op::SLOAD, 0),
    (op::SSTORE, 0),
    (op::JUMP, MID_GAS),
    (op::JUMPI, HIGH_GAS),
    (op::PC, BASE_GAS),
    (op::MSIZE, BASE_GAS),
    (op::GAS, BASE_GAS),
    (op::JUMPDEST, JUMPDEST_GAS),
    (op::TLOAD, TRANSIENT_GAS),
    (op::TSTORE, TRANSIENT_GAS),
    (op::MCOPY, VERYLOW_GAS),
    (op::PUSH0, BASE_GAS),
    (op::LOG0, LOG_GAS),
    (op::LOG1, LOG_GAS + LOG_TOPIC_GAS),
    (op::LOG2, LOG_GAS + 2 * LOG_TOPIC_GAS),
    (op::LOG3, LOG_GAS + 3 * LOG_TOPIC_GAS),
    (op::LOG4, LOG_GAS + 4 * LOG_TOPIC_GAS),
    (op::CREATE, CREATE_GAS),
    (op::CALL, 0),
    (op::CALLCODE, 0),
    (op::RETURN, 0),
    (op::DELEGATECALL, 0),
    (op::CREATE2, CREATE_GAS),
    (op::STATICCALL, 0),
    (op::REVERT, 0),
    (op::INVALID, 0),
    (op::SELFDESTRUCT, SELFDESTRUCT_GAS),
    // PUSH1..PUSH32, DUP1..DUP16, SWAP1..SWAP16 are filled below.
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_gas_matches_yellow_paper() {
        // 1 word: 3*1 + 1/512 = 3; 1024 words: 3*1024 + 1024^2/512 = 3072 + 2048.
        assert_eq!(memory_gas(1), 3);
        assert_eq!(memory_gas(1024), 5120);
        // Around 2^16 words, where `memory_expansion_gas` leaves 32-bit arithmetic.
        assert_eq!(memory_gas(65_535), 196_605 + 65_535 * 65_535 / 512);
        assert_eq!(memory_gas(65_536), 196_608 + 8_388_608);
    }

    #[test]
    fn memory_expansion_gas_is_the_difference_of_totals() {
        let total = |w: u64| 3 * w + w * w / 512;
        for (from, to) in [
            (0, 1),
            (3, 4),
            (511, 513),
            (65_000, 65_535),
            (65_535, 65_536),
            (1 << 20, (1 << 20) + 7),
        ] {
            assert_eq!(
                memory_expansion_gas(from, to),
                total(to) - total(from),
                "{from}→{to}"
            );
        }
    }
}
