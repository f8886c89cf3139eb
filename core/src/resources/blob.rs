//! Blob gas pricing (EIP-4844) with its later changes: the blob schedule of each hardfork
//! (EIP-7691 in Prague), the blob base fee a block's excess blob gas sets, and the excess blob gas
//! a block hands to the next, bounded from Osaka by the execution cost of a blob (EIP-7918).
//! Which schedule a block runs under (a hardfork's, or a blob-parameter-only fork's by its
//! timestamp) is [`super::blob_schedule`]'s.

use super::gas::GAS_PER_BLOB;
use crate::bigint;
use crate::config::Hardfork;
use crate::primitives::U256;

/// The lowest blob base fee (EIP-4844 `MIN_BASE_FEE_PER_BLOB_GAS`).
pub const MIN_BLOB_BASE_FEE_WEI: u64 = 1;
/// EIP-7918 (Osaka): the execution gas whose price is a blob's reserve price.
pub const BLOB_BASE_COST_GAS: u64 = 1 << 13;

/// The blob parameters of a hardfork (EIP-7840's `blobSchedule`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobSchedule {
    /// Blobs per block the fee market aims at.
    pub target: u64,
    /// Most blobs per block.
    pub max: u64,
    /// Denominator of the blob base fee's exponent.
    pub update_fraction: u64,
}

impl BlobSchedule {
    /// The schedule of `hardfork`: Cancun 3 / 6 / 3,338,477 (EIP-4844); Prague 6 / 9 / 5,007,716
    /// (EIP-7691); Osaka keeps Prague's (EIP-7892's blob-parameter forks change it later).
    pub const fn of(hardfork: Hardfork) -> Self {
        match hardfork {
            Hardfork::Cancun => Self {
                target: 3,
                max: 6,
                update_fraction: 3_338_477,
            },
            Hardfork::Prague | Hardfork::Osaka => Self {
                target: 6,
                max: 9,
                update_fraction: 5_007_716,
            },
        }
    }

    /// Blob gas the fee market aims at per block.
    pub const fn target_blob_gas(&self) -> u64 {
        self.target * GAS_PER_BLOB
    }

    /// Most blob gas a block may hold.
    pub const fn max_blob_gas(&self) -> u64 {
        self.max * GAS_PER_BLOB
    }
}

/// EIP-4844's `fake_exponential(factor, numerator, denominator)`: `factor · e^(numerator /
/// denominator)` by its Taylor series in integers. Saturates at `U256::MAX` when a term
/// overflows (an excess blob gas no chain reaches), so it always ends within a few hundred terms.
pub fn fake_exponential(factor: u64, numerator: u64, denominator: u64) -> U256 {
    let (numerator, denominator) = (U256::from(numerator), U256::from(denominator));
    if denominator.is_zero() {
        return U256::MAX;
    }
    let mut output = U256::ZERO;
    let mut accumulator = U256::from(factor) * denominator;
    let mut i = U256::from(1u64);
    while !accumulator.is_zero() {
        output = output.saturating_add(accumulator);
        let Some(grown) = accumulator.checked_mul(numerator) else {
            return U256::MAX;
        };
        accumulator = bigint::div_rem(&grown, &(denominator * i)).0;
        i += U256::from(1u64);
    }
    bigint::div_rem(&output, &denominator).0
}

/// The blob base fee of a block with `excess_blob_gas` under `schedule`.
pub fn blob_base_fee(excess_blob_gas: u64, schedule: &BlobSchedule) -> U256 {
    fake_exponential(
        MIN_BLOB_BASE_FEE_WEI,
        excess_blob_gas,
        schedule.update_fraction,
    )
}

/// The excess blob gas of the block after one with `parent_excess` excess blob gas,
/// `parent_blob_gas_used` blob gas used and base fee `parent_base_fee` (EIP-4844's
/// `calc_excess_blob_gas`), under the schedule and hardfork of that next block (at a
/// blob-parameter-only fork the new target, max and fraction apply to the parent's excess: the
/// execution specs' `calculate_excess_blob_gas` reads its own fork's constants,
/// `src/ethereum/forks/bpo2/vm/gas.py`). From Osaka (EIP-7918), while a blob costs less than
/// [`BLOB_BASE_COST_GAS`] of execution gas the target is not subtracted: the excess grows by the
/// used blob gas × (max − target) / max instead, so the blob base fee cannot fall further.
pub fn next_excess_blob_gas(
    parent_excess: u64,
    parent_blob_gas_used: u64,
    parent_base_fee: U256,
    schedule: &BlobSchedule,
    hardfork: Hardfork,
) -> u64 {
    let total = parent_excess.saturating_add(parent_blob_gas_used);
    if total < schedule.target_blob_gas() {
        return 0;
    }
    if hardfork >= Hardfork::Osaka {
        let reserve_price = U256::from(BLOB_BASE_COST_GAS).saturating_mul(parent_base_fee);
        let blob_price =
            U256::from(GAS_PER_BLOB).saturating_mul(blob_base_fee(parent_excess, schedule));
        if reserve_price > blob_price {
            // A schedule has 1 ≤ max and target ≤ max (`BlobSchedule::checked`).
            let growth = u128::from(parent_blob_gas_used)
                * u128::from(schedule.max.saturating_sub(schedule.target))
                / u128::from(schedule.max.max(1));
            return parent_excess.saturating_add(growth as u64);
        }
    }
    total - schedule.target_blob_gas()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excess after a parent under `hardfork`'s own schedule.
    fn excess(parent_excess: u64, used: u64, base_fee: U256, hardfork: Hardfork) -> u64 {
        next_excess_blob_gas(
            parent_excess,
            used,
            base_fee,
            &BlobSchedule::of(hardfork),
            hardfork,
        )
    }

    /// The blob base fee under `hardfork`'s own schedule.
    fn fee_at(excess_blob_gas: u64, hardfork: Hardfork) -> U256 {
        blob_base_fee(excess_blob_gas, &BlobSchedule::of(hardfork))
    }

    #[test]
    fn blob_base_fee_follows_eip4844() {
        // No excess: the minimum price of 1 wei.
        assert_eq!(fee_at(0, Hardfork::Cancun), U256::from(1u64));
        // e^(excess/fraction) with excess = fraction: floor(e) = 2 (the series' integer steps
        // give 2 as well).
        assert_eq!(fake_exponential(1, 3_338_477, 3_338_477), U256::from(2u64));
        // Prague's fraction: the same excess costs less.
        assert_eq!(fee_at(5_007_716, Hardfork::Prague), U256::from(2u64));
        assert_eq!(fee_at(5_007_716, Hardfork::Cancun), U256::from(4u64));
        // A hostile excess saturates instead of running for trillions of terms.
        assert_eq!(fee_at(u64::MAX, Hardfork::Cancun), U256::MAX);
    }

    #[test]
    fn excess_blob_gas_subtracts_the_target_before_osaka() {
        let blob = GAS_PER_BLOB;
        // Below the target the excess resets to zero.
        assert_eq!(excess(0, 2 * blob, U256::from(7u64), Hardfork::Cancun), 0);
        // Cancun: target 3 blobs. 6 used on top of 1 blob of excess: 1 + 6 - 3 = 4 blobs.
        assert_eq!(
            excess(blob, 6 * blob, U256::from(7u64), Hardfork::Cancun),
            4 * blob
        );
        // Prague: target 6. 9 used: 9 - 6 = 3 blobs, whatever the base fee.
        assert_eq!(
            excess(
                0,
                9 * blob,
                U256::from(10u64).pow(U256::from(12u64)),
                Hardfork::Prague
            ),
            3 * blob
        );
    }

    #[test]
    fn osaka_bounds_the_blob_base_fee_by_execution_cost() {
        let blob = GAS_PER_BLOB;
        // EIP-7918's if-clause: BLOB_BASE_COST × base fee > GAS_PER_BLOB × blob base fee.
        // With no excess the blob base fee is 1, so a blob costs 2^17 wei; at a base fee of 16
        // wei the reserve price is 2^13 × 16 = 2^17: not above it, the target is subtracted.
        let at_parity = U256::from(16u64);
        assert_eq!(excess(0, 9 * blob, at_parity, Hardfork::Osaka), 3 * blob);
        // At 17 wei the reserve price (2^13 × 17) is above: the excess grows by 9 blobs × (9 -
        // 6) / 9 = 3 blobs here too, but without the target's subtraction it also grows when
        // fewer blobs than the target were used: 6 used gives 6 × 3 / 9 = 2 blobs, not 0.
        let above = U256::from(17u64);
        assert_eq!(excess(0, 9 * blob, above, Hardfork::Osaka), 3 * blob);
        assert_eq!(excess(0, 6 * blob, above, Hardfork::Osaka), 2 * blob);
        assert_eq!(excess(0, 6 * blob, above, Hardfork::Prague), 0);
        // With a bound in force and an excess already there, a block with no blobs keeps it.
        assert_eq!(
            excess(
                10 * blob,
                0,
                U256::from(10u64).pow(U256::from(9u64)),
                Hardfork::Osaka
            ),
            10 * blob
        );
        // The first check stays: excess + used below the target resets to zero.
        assert_eq!(excess(0, 5 * blob, above, Hardfork::Osaka), 0);
    }
}
