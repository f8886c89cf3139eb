//! Resources: ergs (EVM gas × 256) and native (proving cost in RISC-V cycles), and the cost
//! tables that price every step in both.

pub mod gas;
pub mod native;
pub mod precompile_native;

/// Ergs per unit of EVM gas.
pub const ERGS_PER_GAS: u64 = 256;

/// Converts gas to ergs, saturating.
#[inline]
pub const fn gas_to_ergs(gas: u64) -> u64 {
    gas.saturating_mul(ERGS_PER_GAS)
}

/// Converts ergs to whole gas (rounding down).
#[inline]
pub const fn ergs_to_gas(ergs: u64) -> u64 {
    ergs / ERGS_PER_GAS
}

/// Largest gas limit whose ergs fit in a `u64`.
pub const MAX_GAS_LIMIT: u64 = u64::MAX / ERGS_PER_GAS;
