//! Differential harness against `zksync-os-oracle`, a build of upstream ZKsync OS (issue 18):
//! seeded blocks of signed transactions run on zkos through the engine facade and on the
//! oracle, compared per transaction (status, hash, sender, gas used and refunded, native and
//! computational native, pubdata, return data, logs, L2→L1 log count, deployed address) and per
//! block (pubdata size and bytes, header hash, computational native, the state tree's next free
//! leaf). [`estimate`] checks zkos's gas estimates on upstream.

pub mod asm;
pub mod case;
pub mod compare;
pub mod contracts;
pub mod edge_accounts;
pub mod edge_block;
pub mod edge_bounds;
pub mod edge_capacity;
pub mod edge_contracts;
pub mod edge_delegated;
pub mod edge_exact;
pub mod edge_fees;
pub mod edge_fill;
pub mod edge_frames;
pub mod edge_hash_slots;
pub mod edge_hooks;
pub mod edge_magnitudes;
pub mod edge_opcodes;
pub mod edge_operands;
pub mod edge_parties;
pub mod edge_precompiles;
pub mod edge_scenarios;
pub mod edge_scripts;
pub mod edge_sequences;
pub mod edge_validation;
pub mod edge_web;
pub mod estimate;
pub mod estimate_probe;
pub mod estimate_report;
pub mod excluded;
pub mod generate;
pub mod header;
pub mod oracle;
pub mod outcome;
pub mod real;
pub mod rejected_block;
pub mod rlp;
pub mod rng;
pub mod sign;
pub mod vector;
pub mod zkos;

use case::BlockCase;
use compare::Mismatch;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// The seed of block `index` of a run seeded with `seed`.
pub fn block_seed(seed: u64, index: u64) -> u64 {
    rng::Rng::new(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F)).next_u64()
}

/// What a run found.
#[derive(Default)]
pub struct RunReport {
    /// Blocks compared.
    pub blocks: u64,
    /// Transactions compared, per scenario.
    pub tx_counts: BTreeMap<String, usize>,
    /// Blocks without transactions (compared on their pubdata and header alone).
    pub empty_blocks: u64,
    /// Every disagreement.
    pub mismatches: Vec<Mismatch>,
    /// Blocks one side could not run at all (seed and error).
    pub errors: Vec<(u64, String)>,
    /// Whether the time budget stopped the run early.
    pub timed_out: bool,
}

impl RunReport {
    /// Transactions compared.
    pub fn transactions(&self) -> usize {
        self.tx_counts.values().sum()
    }

    /// The mismatch table.
    pub fn table(&self) -> String {
        compare::table(&self.mismatches, &self.tx_counts)
    }
}

/// Generates the first `blocks` blocks of `seed` and hands each to `visit`, stopping early
/// once `budget` has passed: how many it handed over, and whether the budget stopped it.
pub fn each_block(
    seed: u64,
    blocks: u64,
    budget: Option<Duration>,
    mut visit: impl FnMut(BlockCase),
) -> Result<(u64, bool), String> {
    let token = contracts::token()?;
    let started = Instant::now();
    for index in 0..blocks {
        if budget.is_some_and(|b| started.elapsed() > b) {
            return Ok((index, true));
        }
        visit(generate::block(block_seed(seed, index), &token));
    }
    Ok((blocks, false))
}

/// Runs `blocks` blocks of `seed` on zkos and on the oracle at `oracle`, stopping early once
/// `budget` has passed.
pub fn run(
    oracle: &Path,
    seed: u64,
    blocks: u64,
    budget: Option<Duration>,
) -> Result<RunReport, String> {
    let mut report = RunReport::default();
    (report.blocks, report.timed_out) = each_block(seed, blocks, budget, |case| {
        report.empty_blocks += u64::from(case.txs.is_empty());
        for tx in &case.txs {
            *report.tx_counts.entry(tx.kind.clone()).or_default() += 1;
        }
        let ours = match zkos::run(&case) {
            Ok(ours) => ours,
            Err(e) => {
                report.errors.push((case.seed, format!("zkos: {e}")));
                return;
            }
        };
        // A block the oracle refuses may hold a transaction zkos leaves out (see [`excluded`]).
        let upstream = oracle::run(oracle, &case).or_else(|refused| {
            excluded::upstream_without_left_out(oracle, &case, &ours).unwrap_or(Err(refused))
        });
        match upstream {
            Ok(upstream) => report
                .mismatches
                .extend(compare::compare(&case, &ours, &upstream)),
            Err(e) => report.errors.push((case.seed, format!("oracle: {e}"))),
        }
    })?;
    Ok(report)
}
