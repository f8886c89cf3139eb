//! Which blob schedule a block runs under: its hardfork's (EIP-4844, EIP-7691), or from Osaka the
//! blob-parameter-only fork (EIP-7892) its timestamp falls in. Known networks carry their
//! activation table; a chain given its own `blobSchedule` (EIP-7840) uses that instead.

use super::blob::BlobSchedule;
use crate::config::Hardfork;
use alloc::vec::Vec;

/// Most blobs per block a schedule may name: its blob gas (× 2^17) stays far inside a `u64`.
pub const MAX_BLOBS_PER_BLOCK_LIMIT: u64 = 1 << 32;

/// EIP-8134 (BPO1): target 10, max 15, update fraction 8,346,193.
const BPO1: BlobSchedule = BlobSchedule {
    target: 10,
    max: 15,
    update_fraction: 8_346_193,
};
/// EIP-8135 (BPO2): target 14, max 21, update fraction 11,684,671.
const BPO2: BlobSchedule = BlobSchedule {
    target: 14,
    max: 21,
    update_fraction: 11_684_671,
};

/// Blob-parameter-only forks of the networks zkos knows, by chain id: (activation timestamp,
/// schedule). Every network ran the same BPO1 and BPO2 parameters (the execution specs'
/// `ethereum/forks/bpo1` and `bpo2` modules hold one set each). Timestamps: mainnet from
/// EIP-8134 (1765290071, 2025-12-09 14:21:11 UTC) and EIP-8135 (1767747671, 2026-01-07 01:01:11);
/// Sepolia, Hoodi and Holesky from the upgrade schedules of `ethereum/execution-specs`
/// `src/ethereum/forks/bpo1/__init__.py` and `bpo2/__init__.py` (Sepolia also
/// `eth-clients/sepolia`'s README). BPO3 to BPO5 are `Unscheduled` there and EIP-8138 (BPO3) is a
/// draft without values, so none is listed (as of 2026-12-06).
const KNOWN_NETWORKS: &[(u64, [(u64, BlobSchedule); 2])] = &[
    // Ethereum mainnet.
    (1, [(1_765_290_071, BPO1), (1_767_747_671, BPO2)]),
    // Sepolia.
    (11_155_111, [(1_761_017_184, BPO1), (1_761_607_008, BPO2)]),
    // Hoodi.
    (560_048, [(1_762_365_720, BPO1), (1_762_955_544, BPO2)]),
    // Holesky.
    (17_000, [(1_759_800_000, BPO1), (1_760_389_824, BPO2)]),
];

/// The blob schedules of one chain: one per hardfork, and from Osaka the blob-parameter-only
/// forks by activation timestamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlobSchedules {
    cancun: BlobSchedule,
    prague: BlobSchedule,
    osaka: BlobSchedule,
    /// (activation timestamp, schedule), ascending, no timestamp twice.
    scheduled: Vec<(u64, BlobSchedule)>,
}

impl Default for BlobSchedules {
    /// Each hardfork's own schedule ([`BlobSchedule::of`]), no blob-parameter-only fork.
    fn default() -> Self {
        Self {
            cancun: BlobSchedule::of(Hardfork::Cancun),
            prague: BlobSchedule::of(Hardfork::Prague),
            osaka: BlobSchedule::of(Hardfork::Osaka),
            scheduled: Vec::new(),
        }
    }
}

impl BlobSchedules {
    /// The schedules of network `chain_id` when zkos knows it (Ethereum mainnet, Sepolia, Hoodi,
    /// Holesky), else each hardfork's own.
    pub fn of_network(chain_id: u64) -> Self {
        let scheduled = KNOWN_NETWORKS
            .iter()
            .find(|(id, _)| *id == chain_id)
            .map(|(_, forks)| forks.to_vec())
            .unwrap_or_default();
        Self {
            scheduled,
            ..Self::default()
        }
    }

    /// Schedules given per hardfork (`None`: the hardfork's own) and blob-parameter-only forks
    /// at their timestamps, in any order; `Err` names the rule a schedule breaks.
    pub fn new(
        per_fork: [Option<BlobSchedule>; 3],
        scheduled: Vec<(u64, BlobSchedule)>,
    ) -> Result<Self, &'static str> {
        let [cancun, prague, osaka] = per_fork;
        let defaults = Self::default();
        let mut chosen = Self {
            cancun: cancun.unwrap_or(defaults.cancun),
            prague: prague.unwrap_or(defaults.prague),
            osaka: osaka.unwrap_or(defaults.osaka),
            scheduled: Vec::with_capacity(scheduled.len()),
        };
        for schedule in [chosen.cancun, chosen.prague, chosen.osaka] {
            schedule.check()?;
        }
        // Placed in order one by one: a handful of entries, and no sort's code in the wasm.
        for (at, schedule) in scheduled {
            schedule.check()?;
            let i = chosen.scheduled.partition_point(|(t, _)| *t < at);
            if chosen.scheduled.get(i).is_some_and(|(t, _)| *t == at) {
                return Err("two blob schedules activate at the same timestamp");
            }
            chosen.scheduled.insert(i, (at, schedule));
        }
        Ok(chosen)
    }

    /// The schedule of a block at `timestamp` under `hardfork`: from Osaka the latest
    /// blob-parameter-only fork active at `timestamp`, else the hardfork's.
    pub fn at(&self, hardfork: Hardfork, timestamp: u64) -> BlobSchedule {
        let own = match hardfork {
            Hardfork::Cancun => self.cancun,
            Hardfork::Prague => self.prague,
            Hardfork::Osaka => self.osaka,
        };
        if hardfork < Hardfork::Osaka {
            return own;
        }
        let active = self.scheduled.partition_point(|(at, _)| *at <= timestamp);
        active
            .checked_sub(1)
            .and_then(|i| self.scheduled.get(i))
            .map_or(own, |(_, schedule)| *schedule)
    }
}

impl BlobSchedule {
    /// `Err` unless 1 ≤ max ≤ [`MAX_BLOBS_PER_BLOCK_LIMIT`], target ≤ max and the update
    /// fraction is positive.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.max == 0 || self.max > MAX_BLOBS_PER_BLOCK_LIMIT {
            return Err("a blob schedule's max must be between 1 and 2^32");
        }
        if self.target > self.max {
            return Err("a blob schedule's target must not exceed its max");
        }
        if self.update_fraction == 0 {
            return Err("a blob schedule's baseFeeUpdateFraction must be positive");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::U256;
    use crate::resources::blob::{blob_base_fee, fake_exponential, next_excess_blob_gas};
    use crate::resources::gas::GAS_PER_BLOB;
    use alloc::vec;

    /// EIP-4844's `fake_exponential`, run independently in Python 3 (integers are unbounded
    /// there):
    ///
    /// ```text
    /// def fe(f, n, d):
    ///     i, o, a = 1, 0, f * d
    ///     while a > 0:
    ///         o += a; a = (a * n) // (d * i); i += 1
    ///     return o // d
    /// ```
    ///
    /// gave, for (fraction, excess) → fee: (8346193, 50_000_000) → 399, (8346193, 100_000_000)
    /// → 159773, (8346193, 200_000_000) → 25527476631, (11684671, 50_000_000) → 72,
    /// (11684671, 100_000_000) → 5209, (11684671, 200_000_000) → 27137919, and e^10 → 22026 for
    /// excess = 10 × fraction under either.
    #[test]
    fn fake_exponential_under_the_bpo_fractions() {
        let vectors: [(u64, u64, u64); 8] = [
            (8_346_193, 50_000_000, 399),
            (8_346_193, 100_000_000, 159_773),
            (8_346_193, 200_000_000, 25_527_476_631),
            (8_346_193, 83_461_930, 22_026),
            (11_684_671, 50_000_000, 72),
            (11_684_671, 100_000_000, 5_209),
            (11_684_671, 200_000_000, 27_137_919),
            (11_684_671, 116_846_710, 22_026),
        ];
        for (fraction, excess, fee) in vectors {
            assert_eq!(fake_exponential(1, excess, fraction), U256::from(fee));
        }
    }

    #[test]
    fn mainnet_switches_schedule_at_each_bpo_timestamp() {
        let mainnet = BlobSchedules::of_network(1);
        let osaka = BlobSchedule::of(Hardfork::Osaka);
        assert_eq!(mainnet.at(Hardfork::Osaka, 1_765_290_070), osaka);
        assert_eq!(mainnet.at(Hardfork::Osaka, 1_765_290_071), BPO1);
        assert_eq!(mainnet.at(Hardfork::Osaka, 1_767_747_670), BPO1);
        assert_eq!(mainnet.at(Hardfork::Osaka, 1_767_747_671), BPO2);
        assert_eq!(mainnet.at(Hardfork::Osaka, u64::MAX), BPO2);
        // A chain run under Prague's rules keeps Prague's schedule whatever the time.
        assert_eq!(
            mainnet.at(Hardfork::Prague, 1_767_747_671),
            BlobSchedule::of(Hardfork::Prague)
        );
        // Sepolia and Hoodi have their own timestamps; an unknown chain has no BPO fork.
        let sepolia = BlobSchedules::of_network(11_155_111);
        assert_eq!(sepolia.at(Hardfork::Osaka, 1_761_017_183), osaka);
        assert_eq!(sepolia.at(Hardfork::Osaka, 1_761_607_008), BPO2);
        let hoodi = BlobSchedules::of_network(560_048);
        assert_eq!(hoodi.at(Hardfork::Osaka, 1_762_365_720), BPO1);
        assert_eq!(hoodi.at(Hardfork::Osaka, 1_762_955_543), BPO1);
        assert_eq!(
            BlobSchedules::of_network(31_337).at(Hardfork::Osaka, u64::MAX),
            osaka
        );
    }

    #[test]
    fn bpo2_prices_and_targets_blob_gas() {
        let bpo2 = BlobSchedules::of_network(1).at(Hardfork::Osaka, 1_767_747_671);
        // 100,000,000 excess: 5,209 wei under BPO2 (Python above), 470,442,149 under Prague's
        // fraction (the same script with 5,007,716).
        assert_eq!(blob_base_fee(100_000_000, &bpo2), U256::from(5_209u64));
        assert_eq!(
            blob_base_fee(100_000_000, &BlobSchedule::of(Hardfork::Osaka)),
            U256::from(470_442_149u64)
        );
        // Target 14 blobs: 20 used on an excess of 3 blobs leaves 3 + 20 − 14 = 9 blobs (at a
        // base fee of 1 wei the EIP-7918 reserve price, 2^13 wei, is below a blob's 2^17 × fee).
        let blob = GAS_PER_BLOB;
        let next = next_excess_blob_gas(
            3 * blob,
            20 * blob,
            U256::from(1u64),
            &bpo2,
            Hardfork::Osaka,
        );
        assert_eq!(next, 9 * blob);
        // Above the reserve price the excess grows by 20 × (21 − 14) / 21 blobs of gas.
        let high = U256::from(10u64).pow(U256::from(9u64));
        let next = next_excess_blob_gas(3 * blob, 20 * blob, high, &bpo2, Hardfork::Osaka);
        assert_eq!(next, 3 * blob + 20 * blob * 7 / 21);
    }

    #[test]
    fn a_given_schedule_is_checked_and_ordered() {
        let s = |target, max, update_fraction| BlobSchedule {
            target,
            max,
            update_fraction,
        };
        let given =
            BlobSchedules::new([None, None, None], vec![(20, s(2, 4, 7)), (10, s(1, 2, 3))])
                .expect("valid");
        assert_eq!(
            given.at(Hardfork::Osaka, 9),
            BlobSchedule::of(Hardfork::Osaka)
        );
        assert_eq!(given.at(Hardfork::Osaka, 15), s(1, 2, 3));
        assert_eq!(given.at(Hardfork::Osaka, 20), s(2, 4, 7));
        let cancun = BlobSchedules::new([Some(s(1, 1, 9)), None, None], vec![]).expect("valid");
        assert_eq!(cancun.at(Hardfork::Cancun, 0), s(1, 1, 9));
        for bad in [s(1, 0, 1), s(3, 2, 1), s(1, 2, 0), s(1, (1 << 32) + 1, 1)] {
            assert!(BlobSchedules::new([None, None, Some(bad)], vec![]).is_err());
        }
        assert!(BlobSchedules::new([None; 3], vec![(5, s(1, 2, 3)), (5, s(1, 2, 4))]).is_err());
    }
}
