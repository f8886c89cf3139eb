//! What the estimate mode found: estimates upstream did not include as zkos said, and how far
//! the included ones sit above upstream's smallest succeeding gas limit, per scenario and per
//! what decided the estimate.

use std::collections::BTreeMap;
use std::fmt::Write;
use zkos_core::engine::EstimateBreakdown;

/// What decided an estimate, read from its breakdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slack {
    /// The EVM's part: its charge, the 63/64 headroom and the search's 1.5 % tolerance.
    Evm,
    /// The computational native (deltaGas above the EVM's charge, no pubdata part).
    Native,
    /// The pubdata's native (a pubdata part in the breakdown).
    Pubdata,
}

impl Slack {
    /// What decided the estimate that `breakdown` splits.
    pub fn of(breakdown: &EstimateBreakdown) -> Self {
        if breakdown.pubdata_gas > 0 {
            Slack::Pubdata
        } else if breakdown.delta_gas > 0 {
            Slack::Native
        } else {
            Slack::Evm
        }
    }

    /// Its name in the tables.
    pub fn name(self) -> &'static str {
        match self {
            Slack::Evm => "evm",
            Slack::Native => "native",
            Slack::Pubdata => "pubdata",
        }
    }
}

/// One included estimate against upstream's smallest succeeding limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tightness {
    /// zkos's estimate.
    pub estimate: u64,
    /// The smallest limit at which upstream gives the same outcome.
    pub minimum: u64,
    /// What decided the estimate.
    pub slack: Slack,
    /// Whether no earlier transaction of the block was included (the coinbase, 0x8001 and
    /// what earlier transactions read are cold and carry no diff).
    pub first: bool,
}

impl Tightness {
    /// estimate ÷ minimum.
    pub fn ratio(&self) -> f64 {
        self.estimate as f64 / self.minimum as f64
    }
}

/// Per scenario.
#[derive(Clone, Debug, Default)]
pub struct KindStats {
    /// Estimates zkos gave (included upstream or not).
    pub estimated: usize,
    /// Transactions zkos and upstream both refuse (they revert or halt at any limit).
    pub refused: usize,
    /// Transactions whose search cap the sender's funds set.
    pub funds_bound: usize,
    /// The included estimates.
    pub tightness: Vec<Tightness>,
}

/// An estimate upstream did not include as zkos said, or a refusal upstream disagrees with.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Block seed.
    pub seed: u64,
    /// Transaction index.
    pub tx: usize,
    /// Scenario.
    pub kind: String,
    /// What happened.
    pub what: String,
}

/// What an estimate run found.
#[derive(Debug, Default)]
pub struct EstimateReport {
    /// Blocks run.
    pub blocks: u64,
    /// Per scenario.
    pub kinds: BTreeMap<String, KindStats>,
    /// Every failure.
    pub findings: Vec<Finding>,
    /// Estimates upstream does not include in their place in the block but does first in a
    /// block on the same state (diffs earlier transactions left on what they read).
    pub in_block: Vec<Finding>,
    /// Transactions left out (envelopes or signers this mode does not sign again).
    pub skipped: usize,
    /// Blocks or transactions one side could not run (seed and error).
    pub errors: Vec<(u64, String)>,
    /// Whether the time budget stopped the run early.
    pub timed_out: bool,
}

/// `(median, 90th percentile, max)` of `ratios` (sorted in place), zeros when empty.
fn spread(ratios: &mut [f64]) -> (f64, f64, f64) {
    if ratios.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    ratios.sort_by(f64::total_cmp);
    let at = |q: usize| ratios[(ratios.len() - 1) * q / 100];
    (at(50), at(90), ratios[ratios.len() - 1])
}

/// One table row for `samples`.
fn row(out: &mut String, label: &str, samples: &[Tightness], extra: &str) {
    let mut ratios: Vec<f64> = samples.iter().map(Tightness::ratio).collect();
    let exact = samples.iter().filter(|t| t.estimate == t.minimum).count();
    let (median, p90, max) = spread(&mut ratios);
    let _ = writeln!(
        out,
        "{label:<34} {:>6} {:>6} {median:>7.4} {p90:>7.4} {max:>7.4} {extra}",
        samples.len(),
        exact,
    );
}

impl EstimateReport {
    /// Estimates zkos gave.
    pub fn estimated(&self) -> usize {
        self.kinds.values().map(|k| k.estimated).sum()
    }

    /// Every included estimate.
    pub fn tightness(&self) -> Vec<Tightness> {
        self.kinds
            .values()
            .flat_map(|k| k.tightness.iter().copied())
            .collect()
    }

    /// The tightness tables: per scenario (with how many estimates each slack decided, agreed
    /// refusals and funds-bound searches), then per slack.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<34} {:>6} {:>6} {:>7} {:>7} {:>7} evm/native/pubdata refused funds-bound\n",
            "scenario", "incl", "exact", "median", "p90", "max"
        );
        for (kind, stats) in &self.kinds {
            let count = |s: Slack| stats.tightness.iter().filter(|t| t.slack == s).count();
            let extra = format!(
                "{}/{}/{} {} {}",
                count(Slack::Evm),
                count(Slack::Native),
                count(Slack::Pubdata),
                stats.refused,
                stats.funds_bound
            );
            row(&mut out, kind, &stats.tightness, &extra);
        }
        let all = self.tightness();
        for slack in [Slack::Evm, Slack::Native, Slack::Pubdata] {
            let samples: Vec<Tightness> =
                all.iter().copied().filter(|t| t.slack == slack).collect();
            row(
                &mut out,
                &format!("all, decided by {}", slack.name()),
                &samples,
                "",
            );
        }
        for (first, label) in [
            (true, "all, first in the block"),
            (false, "all, after others"),
        ] {
            let samples: Vec<Tightness> =
                all.iter().copied().filter(|t| t.first == first).collect();
            row(&mut out, label, &samples, "");
        }
        row(&mut out, "all", &all, "");
        out
    }
}
