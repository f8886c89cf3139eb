//! Resources: ergs (EVM gas × 256) and native (proving cost in RISC-V cycles), and the cost
//! tables that price every step in both.

pub mod blob;
pub mod blob_schedule;
pub mod gas;
pub mod native;
pub mod precompile_native;

use crate::config::FlowKind;

/// Ergs per unit of EVM gas in ZKsync OS.
pub const ERGS_PER_GAS: u64 = 256;

/// log2 of [`ERGS_PER_GAS`]: the shift of the ZKsync OS unit.
const ZK_SHIFT: u32 = ERGS_PER_GAS.trailing_zeros();

/// Largest gas limit whose ZKsync OS ergs fit in a `u64` (upstream's `MAX_BLOCK_GAS_LIMIT`).
pub const MAX_GAS_LIMIT: u64 = ErgsPerGas::ZK.max_gas();

/// The unit a flow meters EVM gas in, as a power of two ergs per gas.
///
/// The Zk flow meters in ergs, 256 per gas, as ZKsync OS does: a `u64` counter then holds at
/// most 2^56 gas. The Ethereum flow meters in whole gas (one "erg" per gas): every Ethereum
/// cost is a whole number of gas and every rule (EIP-150's 63/64, the stipends, refunds) works
/// on gas, so the outcome is the same, and a `u64` counter holds every gas limit a transaction
/// can carry (up to 2^64 − 1). The interpreter's static table is built in the flow's unit, so
/// the hot loop does not see the difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErgsPerGas {
    /// log2 of the ergs one gas is worth.
    shift: u32,
}

impl ErgsPerGas {
    /// ZKsync OS ergs: 256 per gas.
    pub const ZK: Self = Self { shift: ZK_SHIFT };
    /// Whole gas: one per gas.
    pub const GAS: Self = Self { shift: 0 };

    /// The unit `flow` meters in.
    pub const fn of(flow: FlowKind) -> Self {
        match flow {
            FlowKind::Zk => Self::ZK,
            FlowKind::Ethereum => Self::GAS,
        }
    }

    /// `gas` in this unit, saturating.
    ///
    /// The guest takes one arm per unit, each shifting by a constant: a 64-bit shift by a
    /// variable amount is about thirty instructions on riscv32, a constant one four (elsewhere
    /// it is one instruction, and the arms would only grow the wasm module).
    #[inline(always)]
    pub const fn ergs(self, gas: u64) -> u64 {
        if !cfg!(target_arch = "riscv32") {
            return shift_saturating(gas, self.shift);
        }
        match self.shift {
            0 => gas,
            ZK_SHIFT => shift_saturating(gas, ZK_SHIFT),
            shift => shift_saturating(gas, shift),
        }
    }

    /// Whole gas in `ergs` of this unit (rounding down).
    #[inline(always)]
    pub const fn gas(self, ergs: u64) -> u64 {
        ergs >> self.shift
    }

    /// Gas covering `ergs` of this unit (rounding up).
    #[inline]
    pub const fn gas_rounding_up(self, ergs: u64) -> u64 {
        ergs.div_ceil(1 << self.shift)
    }

    /// Largest gas limit a `u64` of this unit holds.
    pub const fn max_gas(self) -> u64 {
        u64::MAX >> self.shift
    }

    /// `ergs` of this unit as ZKsync OS ergs (gas × 256), saturating: the figure traces and
    /// sessions report, whatever the flow.
    #[inline]
    pub const fn zk_ergs(self, ergs: u64) -> u64 {
        let up = ErgsPerGas::ZK.shift - self.shift;
        if ergs > u64::MAX >> up {
            u64::MAX
        } else {
            ergs << up
        }
    }
}

/// `value << shift`, or `u64::MAX` where bits would be lost.
#[inline(always)]
const fn shift_saturating(value: u64, shift: u32) -> u64 {
    if value > u64::MAX >> shift {
        u64::MAX
    } else {
        value << shift
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zk_unit_is_256_ergs_per_gas() {
        assert_eq!(ErgsPerGas::ZK.ergs(21_000), 21_000 * 256);
        assert_eq!(ErgsPerGas::ZK.gas(21_000 * 256 + 255), 21_000);
        assert_eq!(ErgsPerGas::ZK.gas_rounding_up(21_000 * 256 + 1), 21_001);
        assert_eq!(MAX_GAS_LIMIT, (1 << 56) - 1);
        assert_eq!(ErgsPerGas::ZK.ergs(1 << 56), u64::MAX);
        assert_eq!(ErgsPerGas::ZK.zk_ergs(7), 7);
    }

    #[test]
    fn the_ethereum_unit_holds_every_u64_gas_limit() {
        let unit = ErgsPerGas::of(FlowKind::Ethereum);
        assert_eq!(unit.ergs(u64::MAX), u64::MAX);
        assert_eq!(unit.gas(u64::MAX), u64::MAX);
        assert_eq!(unit.max_gas(), u64::MAX);
        assert_eq!(unit.zk_ergs(3), 3 * 256);
        assert_eq!(unit.zk_ergs(1 << 56), u64::MAX);
    }
}
