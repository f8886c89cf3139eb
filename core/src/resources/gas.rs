//! Ethereum gas schedule (Cancun, with the Prague and Osaka changes the EVM sees): the dynamic
//! costs instructions charge themselves, and the static costs per opcode in ergs, one table per
//! hardfork derived from the opcode table (`bytecode::opcode`), so the interpreter charges a step
//! with one table load and one subtraction.

use super::ErgsPerGas;
use crate::bytecode::opcode;
use crate::config::Hardfork;

/// Gas per byte of the `EXP` exponent (EIP-160).
pub const EXP_BYTE_GAS: u64 = 50;
/// Gas per word hashed by `KECCAK256`.
pub const KECCAK256_WORD_GAS: u64 = 6;
/// Gas per word copied (`*COPY`).
pub const COPY_WORD_GAS: u64 = 3;
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
/// Gas per `LOG` data byte.
pub const LOG_DATA_BYTE_GAS: u64 = 8;
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
/// Gas per memory word (linear part).
pub const MEMORY_WORD_GAS: u64 = 3;
/// Divisor of the quadratic memory cost.
pub const MEMORY_QUADRATIC_DIVISOR: u64 = 512;

/// Blob gas per blob (EIP-4844).
pub const GAS_PER_BLOB: u64 = 1 << 17;
/// EIP-7594 (Osaka): most blobs one transaction may carry.
pub const MAX_BLOBS_PER_TX_OSAKA: usize = 6;
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

/// Most words [`small_growth_gas`] may add at once.
pub const SMALL_GROWTH_MAX_WORDS: u32 = 128;

/// [`memory_expansion_gas`] of a growth by at most [`SMALL_GROWTH_MAX_WORDS`] words to at most
/// 2^22 + [`SMALL_GROWTH_MAX_WORDS`] words (128 MiB and a bit), in 32-bit arithmetic. The
/// quadratic totals do not fit 32 bits there, but their difference does (at most about
/// 2^22 × 2 × 128 / 512 = 2^21 gas, 2^29 ZKsync OS ergs), so their wrapping difference is exact.
#[inline(always)]
pub const fn small_growth_gas(from: u32, to: u32) -> u32 {
    MEMORY_WORD_GAS as u32 * (to - from)
        + quadratic_gas_low(to).wrapping_sub(quadratic_gas_low(from))
}

/// The low 32 bits of the quadratic part of [`memory_gas`] for `words` words.
#[inline(always)]
const fn quadratic_gas_low(words: u32) -> u32 {
    (words as u64 * words as u64 / MEMORY_QUADRATIC_DIVISOR) as u32
}

/// Number of 32-byte words covering `bytes` bytes.
#[inline]
pub const fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

/// Static costs of every opcode, in a flow's ergs, for one hardfork (from the opcode table).
/// Opcodes the hardfork does not define cost 0 (they halt). Every figure fits `u32` (at most
/// 32,000 gas × 256), which keeps the interpreter's per-opcode charge to 32-bit loads on riscv32.
#[derive(Clone, Debug)]
pub struct StaticErgsTable {
    /// Static ergs per opcode byte.
    pub ergs: [u32; 256],
    /// The unit of every figure, and of the ergs of the frames it charges.
    unit: ErgsPerGas,
}

impl StaticErgsTable {
    /// The table for `hardfork`, in `unit`.
    pub fn for_hardfork(hardfork: Hardfork, unit: ErgsPerGas) -> Self {
        let mut ergs = [0u32; 256];
        for info in opcode::OPCODES {
            if info.is_defined_at(hardfork) {
                ergs[info.byte as usize] =
                    u32::try_from(unit.ergs(info.static_gas)).unwrap_or(u32::MAX);
            }
        }
        Self { ergs, unit }
    }

    /// The unit the table is in.
    pub fn unit(&self) -> ErgsPerGas {
        self.unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_ergs_follow_the_schedule() {
        // Yellow Paper tiers, 256 ergs per gas: ADD is "very low" (3), LOG2 is 375 plus 375 per
        // topic, CREATE2 32,000 before its per-word part, SSTORE entirely dynamic.
        let cancun = StaticErgsTable::for_hardfork(Hardfork::Cancun, ErgsPerGas::ZK);
        assert_eq!(cancun.ergs[opcode::ADD as usize], 3 * 256);
        assert_eq!(cancun.ergs[opcode::LOG2 as usize], (375 + 2 * 375) * 256);
        assert_eq!(cancun.ergs[opcode::CREATE2 as usize], 32_000 * 256);
        assert_eq!(cancun.ergs[opcode::SSTORE as usize], 0);
        // CLZ (EIP-7939) costs "low" (5) from Osaka and nothing before, where it is undefined.
        let osaka = StaticErgsTable::for_hardfork(Hardfork::Osaka, ErgsPerGas::ZK);
        assert_eq!(cancun.ergs[opcode::CLZ as usize], 0);
        assert_eq!(osaka.ergs[opcode::CLZ as usize], 5 * 256);
        assert_eq!(osaka.ergs[0x0c], 0);
        // In whole gas (the Ethereum flow's unit) the same table is the schedule itself.
        let gas = StaticErgsTable::for_hardfork(Hardfork::Cancun, ErgsPerGas::GAS);
        assert_eq!(gas.ergs[opcode::ADD as usize], 3);
        assert_eq!(gas.ergs[opcode::CREATE2 as usize], 32_000);
    }

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
    fn small_growth_gas_is_the_expansion_gas() {
        let last = (1u32 << 22) + SMALL_GROWTH_MAX_WORDS;
        let starts = [0, 1, 511, 65_000, 65_535, 1 << 20, (1 << 22) - 3, 1 << 22];
        for from in starts {
            for grow in [0, 1, 2, 31, SMALL_GROWTH_MAX_WORDS] {
                let to = (from + grow).min(last);
                let want = memory_expansion_gas(u64::from(from), u64::from(to));
                assert_eq!(u64::from(small_growth_gas(from, to)), want, "{from}→{to}");
            }
        }
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
