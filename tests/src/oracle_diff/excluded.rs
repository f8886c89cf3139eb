//! Blocks upstream cannot build: a transaction whose fee-cap excess cannot be returned for lack
//! of native fails the whole block upstream (`process_transaction.rs::ensure_payment`), where
//! zkos leaves that transaction out (`InvalidTransaction::OutOfNativeInFeeRefund`). Such a block
//! is checked by running the oracle on it without the transactions zkos left out: upstream's
//! outcome of the rest must be zkos's, and the left-out ones are compared as rejected.

use super::case::BlockCase;
use super::oracle;
use super::outcome::{BlockOutcome, Status, TxOutcome};
use std::path::Path;

/// zkos's name of the rejection (see [`super::compare::normalise_reason`]).
pub const FEE_REFUND_REASON: &str = "OutOfNativeInFeeRefund";

/// Positions of the transactions `zkos` left out for [`FEE_REFUND_REASON`].
pub fn left_out(zkos: &BlockOutcome) -> Vec<usize> {
    zkos.txs
        .iter()
        .enumerate()
        .filter(|(_, tx)| {
            tx.status == Status::Invalid && tx.reason.as_deref() == Some(FEE_REFUND_REASON)
        })
        .map(|(i, _)| i)
        .collect()
}

/// `case` without the transactions at `positions`.
pub fn without(case: &BlockCase, positions: &[usize]) -> BlockCase {
    let mut rest = case.clone();
    rest.txs = case
        .txs
        .iter()
        .enumerate()
        .filter(|(i, _)| !positions.contains(i))
        .map(|(_, tx)| tx.clone())
        .collect();
    rest
}

/// Puts the transactions at `positions` (ascending) back into `outcome` of the block without
/// them, as rejected for [`FEE_REFUND_REASON`].
pub fn put_back(mut outcome: BlockOutcome, positions: &[usize]) -> BlockOutcome {
    for &i in positions {
        let at = i.min(outcome.txs.len());
        outcome
            .txs
            .insert(at, TxOutcome::invalid(FEE_REFUND_REASON.into()));
    }
    outcome
}

/// Upstream's outcome of `case` with the transactions `zkos` left out removed and put back as
/// rejected; `None` when zkos left none out.
pub fn upstream_without_left_out(
    binary: &Path,
    case: &BlockCase,
    zkos: &BlockOutcome,
) -> Option<Result<BlockOutcome, String>> {
    let positions = left_out(zkos);
    if positions.is_empty() {
        return None;
    }
    Some(oracle::run(binary, &without(case, &positions)).map(|o| put_back(o, &positions)))
}
