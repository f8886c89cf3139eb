//! Runs the real-contract flow: each block on zkos (protocol version 2, what the oracle runs)
//! and on the oracle from the same pre-state, the state zkos leaves carried into the next
//! block; compared per transaction and block ([`compare::compare`]), on the state after the
//! block ([`super::state`]), and each transaction against what the flow expects of it.

use super::abi;
use super::plan::{Expect, Flow};
use super::state;
use crate::oracle_diff::case::BlockCase;
use crate::oracle_diff::compare::{self, Mismatch};
use crate::oracle_diff::generate::CHAIN_ID;
use crate::oracle_diff::oracle::{parse_output, run_raw};
use crate::oracle_diff::outcome::{Status, TxOutcome};
use crate::oracle_diff::zkos;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use zkos_core::config::ProtocolVersion;

/// What a run of the flow found.
#[derive(Default)]
pub struct RealReport {
    /// Blocks compared.
    pub blocks: u64,
    /// Transactions compared, per scenario.
    pub tx_counts: BTreeMap<String, usize>,
    /// Transactions that reverted upstream (the flow's failing calls).
    pub reverted: usize,
    /// Transactions upstream left out of their block.
    pub left_out: usize,
    /// Every disagreement between zkos and the oracle, state included.
    pub mismatches: Vec<Mismatch>,
    /// Transactions that did not do what the flow expects, on either side.
    pub unexpected: Vec<String>,
}

impl RealReport {
    /// Transactions compared.
    pub fn transactions(&self) -> usize {
        self.tx_counts.values().sum()
    }
}

/// Why `outcome` is not what `expect` says, if it is not.
fn unmet(expect: &Expect, outcome: &TxOutcome) -> Option<String> {
    let status = match expect {
        Expect::Any => return None,
        Expect::Success => Status::Success,
        Expect::Revert(_) | Expect::RevertBare => Status::Reverted,
        Expect::Invalid(_) => Status::Invalid,
    };
    if outcome.status != status {
        let reason = outcome.reason.as_deref().unwrap_or_default();
        return Some(format!(
            "{} {reason} instead of {expect:?}",
            outcome.status.name()
        ));
    }
    let data = &outcome.return_data;
    let met = match expect {
        Expect::Success => true,
        Expect::Revert(reason) => abi::error_reason(data).as_deref() == Some(*reason),
        Expect::RevertBare => data.is_empty(),
        Expect::Invalid(reason) => outcome.reason.as_deref() == Some(*reason),
        Expect::Any => true,
    };
    (!met).then(|| {
        let reason = outcome.reason.as_deref().unwrap_or_default();
        let data = alloy_primitives::hex::encode(data);
        format!(
            "{} {reason} 0x{data} instead of {expect:?}",
            outcome.status.name()
        )
    })
}

/// Runs `flow` on zkos (protocol version 2) and on the oracle at `binary`; `visit` sees each
/// block with the oracle's output for it (to record vectors). A block either side cannot run
/// is an error.
pub fn run(
    binary: &Path,
    flow: &Flow,
    visit: impl FnMut(&BlockCase, &Value) -> Result<(), String>,
) -> Result<RealReport, String> {
    run_at(binary, flow, ProtocolVersion::V2, visit)
}

/// [`run`] with zkos on protocol `version`.
pub fn run_at(
    binary: &Path,
    flow: &Flow,
    version: ProtocolVersion,
    mut visit: impl FnMut(&BlockCase, &Value) -> Result<(), String>,
) -> Result<RealReport, String> {
    let mut report = RealReport::default();
    let mut pre_state = flow.pre_state.clone();
    for block in &flow.blocks {
        let case = BlockCase {
            seed: block.params.number,
            chain_id: CHAIN_ID,
            params: block.params.clone(),
            pre_state,
            txs: block.txs.clone(),
        };
        let number = case.params.number;
        let (ours, engine) =
            zkos::run_keeping(&case, version).map_err(|e| format!("block {number}: zkos: {e}"))?;
        let output =
            run_raw(binary, &case.oracle_input()).map_err(|e| format!("block {number}: {e}"))?;
        let upstream = parse_output(&output)?;
        let after = state::after(&case.pre_state, &engine);
        report
            .mismatches
            .extend(compare::compare(&case, &ours, &upstream));
        report
            .mismatches
            .extend(state::compare(&case, &after, &output)?);
        for (i, tx) in case.txs.iter().enumerate() {
            *report.tx_counts.entry(tx.kind.clone()).or_default() += 1;
            for (side, outcome) in [("zkos", ours.txs.get(i)), ("oracle", upstream.txs.get(i))] {
                let why = match outcome {
                    Some(outcome) => unmet(&block.expect[i], outcome),
                    None => Some("missing".into()),
                };
                if let Some(why) = why {
                    report
                        .unexpected
                        .push(format!("block {number} tx {i} [{}] {side}: {why}", tx.kind));
                }
            }
            let status = upstream.txs.get(i).map(|t| t.status);
            report.reverted += usize::from(status == Some(Status::Reverted));
            report.left_out += usize::from(status == Some(Status::Invalid));
        }
        visit(&case, &output)?;
        report.blocks += 1;
        pre_state = after;
    }
    Ok(report)
}

/// Runs the flow under each of [`super::OTHER_REGIMES`] and sums the reports; outcomes are not
/// held to the flow's expectations there (`unexpected` stays empty), only to upstream's.
pub fn run_other_regimes(binary: &Path) -> Result<RealReport, String> {
    let mut total = RealReport::default();
    for regimes in &super::OTHER_REGIMES {
        let report = run(binary, &super::flow_under(regimes)?, |_, _| Ok(()))?;
        total.blocks += report.blocks;
        for (kind, count) in report.tx_counts {
            *total.tx_counts.entry(kind).or_default() += count;
        }
        total.reverted += report.reverted;
        total.left_out += report.left_out;
        total.mismatches.extend(report.mismatches);
    }
    Ok(total)
}
