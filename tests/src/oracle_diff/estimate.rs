//! Estimate mode: every transaction of a generated block that upstream includes is estimated by
//! zkos (`Engine::estimate_gas_in_block`) on the state it meets in the block (after the
//! block's earlier transactions, in the same block context and fee regime), signed again with
//! the estimate as its gas limit and run on the oracle, which must include it with the same
//! outcome zkos's simulation at that limit gives (status, return data, logs, deployed
//! address). A failure that goes away when the transaction runs first in a block on the same
//! state is told apart: it comes from upstream charging each transaction the diffs earlier
//! transactions of its block left on what it reads, which no estimate on a state can see. The
//! oracle's smallest succeeding limit, found by bisection, measures how tight the estimate is.

use super::case::BlockCase;
use super::edge_scenarios::EXTRA_KEY_BASE;
use super::estimate_probe::{matches, Probe};
use super::estimate_report::{EstimateReport, Finding, Slack, Tightness};
use super::generate::SENDERS;
use super::outcome::{LogEntry, Status, TxOutcome};
use super::sign::{self, AccessItem, SignedTx};
use super::{each_block, oracle, zkos};
use alloy_primitives::{Address, Bytes, U256};
use k256::ecdsa::SigningKey;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;
use zkos_core::config::ProtocolVersion;
use zkos_core::engine::{BlockOverrides, BlockTx, Engine, StateOverride, TxRequest};
use zkos_core::tx::{Transaction, EIP1559_TX_TYPE, EIP4844_TX_TYPE, EIP7702_TX_TYPE};

/// Extra keys of the balance-edge scenario looked for (one per such transaction in a block).
const EXTRA_KEYS: u64 = 64;

/// The keys that sign generated transactions, by address.
pub struct Keys(BTreeMap<Address, SigningKey>);

impl Default for Keys {
    fn default() -> Self {
        Keys::of((0..SENDERS).chain(EXTRA_KEY_BASE..EXTRA_KEY_BASE + EXTRA_KEYS))
    }
}

impl Keys {
    /// The test keys of `indices` (see `sign::test_key`).
    pub fn of(indices: impl IntoIterator<Item = u64>) -> Self {
        Keys(
            indices
                .into_iter()
                .map(|i| {
                    let key = sign::test_key(i);
                    (sign::address_of(&key), key)
                })
                .collect(),
        )
    }

    /// `tx` signed again with gas limit `gas`; `None` for a signer these keys lack or an
    /// envelope this mode leaves out (blob and set-code transactions).
    pub fn resign(&self, tx: &SignedTx, gas: u64) -> Option<SignedTx> {
        let decoded = zkos_core::tx::decode(&tx.raw).ok()?;
        if decoded.tx_type == EIP4844_TX_TYPE || decoded.tx_type == EIP7702_TX_TYPE {
            return None;
        }
        let key = self.0.get(&tx.from)?;
        let req = sign::TxRequest {
            tx_type: decoded.tx_type,
            chain_id: decoded.chain_id.unwrap_or(0),
            nonce: decoded.nonce,
            gas_limit: gas,
            max_fee_per_gas: decoded.max_fee_per_gas,
            max_priority_fee_per_gas: decoded.max_priority_fee_per_gas,
            to: decoded.to,
            value: decoded.value,
            data: decoded.data.to_vec(),
            access_list: decoded
                .access_list
                .iter()
                .map(|item| AccessItem {
                    address: item.address,
                    keys: item.storage_keys.clone(),
                })
                .collect(),
            authorizations: Vec::new(),
        };
        Some(sign::sign(&req, key))
    }
}

/// What a wallet asks for `tx` from `from`: its fields and prices, no gas limit.
fn request(tx: &Transaction, from: Address) -> TxRequest {
    let legacy = tx.tx_type < EIP1559_TX_TYPE;
    TxRequest {
        from: Some(from),
        to: tx.to,
        data: tx.data.clone(),
        value: tx.value,
        gas: None,
        gas_price: legacy.then_some(tx.max_fee_per_gas),
        max_fee_per_gas: (!legacy).then_some(tx.max_fee_per_gas),
        max_priority_fee_per_gas: (!legacy).then_some(tx.max_priority_fee_per_gas),
        nonce: Some(tx.nonce),
        access_list: tx.access_list.clone(),
        authorization_list: tx.authorization_list.clone(),
    }
}

/// An engine holding the state transaction `index` of `case` meets: the pre-state after the
/// block's earlier transactions, run as the block itself.
fn engine_before(case: &BlockCase, index: usize) -> Result<Engine, String> {
    let mut engine = zkos::engine(case, ProtocolVersion::V2)?;
    if index > 0 {
        let earlier: Vec<BlockTx> = case.txs[..index]
            .iter()
            .map(|t| BlockTx::Raw(Bytes::copy_from_slice(&t.signed.raw)))
            .collect();
        engine
            .run_block(&earlier, Some(zkos::block_overrides(case)))
            .map_err(|e| format!("run_block: {}", e.message()))?;
    }
    Ok(engine)
}

/// `outcome` in a few words: status (with the reason of an invalid one), gas, native, pubdata.
fn summary(outcome: &TxOutcome) -> String {
    format!(
        "{}{}, gas used {}, native {}, pubdata {}",
        outcome.status.name(),
        outcome
            .reason
            .as_ref()
            .map(|r| format!(" {r}"))
            .unwrap_or_default(),
        outcome.gas_used,
        outcome.native_used,
        outcome.pubdata_used
    )
}

/// The highest gas limit the estimate searches for `tx` in `engine`: the transaction gas cap,
/// the RPC gas cap and the block's limit, lowered to what the sender can pay; and whether the
/// sender's funds set it.
fn search_cap(engine: &Engine, case: &BlockCase, tx: &Transaction, from: &Address) -> (u64, bool) {
    let cap = engine
        .tx_gas_cap()
        .min(engine.rpc_gas_cap())
        .min(case.params.gas_limit);
    let price = U256::from(tx.max_fee_per_gas);
    if price.is_zero() {
        return (cap, false);
    }
    let spendable = engine.get_balance(from).saturating_sub(tx.value);
    let affordable = u64::try_from(spendable / price).unwrap_or(u64::MAX);
    if affordable < cap && affordable >= 21_000 {
        (affordable, true)
    } else {
        (cap, false)
    }
}

/// zkos's simulated outcome of `request` with gas limit `gas` in `engine`'s next block
/// `block`: what its estimate promises.
fn promised(
    engine: &Engine,
    request: &TxRequest,
    gas: u64,
    block: &BlockOverrides,
) -> Result<TxOutcome, String> {
    let request = TxRequest {
        gas: Some(gas),
        ..request.clone()
    };
    let result = engine
        .call(&request, &StateOverride::new(), Some(block))
        .map_err(|e| format!("call: {}", e.message()))?;
    Ok(TxOutcome {
        status: if result.success {
            Status::Success
        } else {
            Status::Reverted
        },
        reason: None,
        gas_used: result.gas_used,
        gas_refunded: result.gas_refunded,
        native_used: result.native_used,
        computational_native_used: 0,
        pubdata_used: result.pubdata_used,
        return_data: result.output.to_vec(),
        logs: result
            .logs
            .iter()
            .map(|l| LogEntry {
                address: l.address,
                topics: l.topics.clone(),
                data: l.data.to_vec(),
            })
            .collect(),
        contract_address: result.created,
        l2_to_l1_logs: None,
        hash: None,
        from: None,
    })
}

/// Checks transaction `index` of `case` into `report`; `upstream` is the block's outcome on the
/// oracle at the generated limits.
fn check_tx(
    binary: &Path,
    keys: &Keys,
    case: &BlockCase,
    index: usize,
    upstream: &[TxOutcome],
    report: &mut EstimateReport,
) -> Result<(), String> {
    let tx = &case.txs[index];
    let generated = &upstream[index];
    let decoded = zkos_core::tx::decode(&tx.signed.raw).map_err(|e| format!("decode: {e:?}"))?;
    if keys.resign(&tx.signed, decoded.gas_limit).map(|s| s.raw) != Some(tx.signed.raw.clone()) {
        report.skipped += 1;
        return Ok(());
    }
    let engine = engine_before(case, index)?;
    let (cap, funds_bound) = search_cap(&engine, case, &decoded, &tx.signed.from);
    let request = request(&decoded, tx.signed.from);
    let block = zkos::block_overrides(case);
    let estimate = engine.estimate_gas_in_block(&request, &StateOverride::new(), &block);
    let probe = Probe {
        binary,
        keys,
        case,
        index,
    };
    let reference = if generated.status == Status::Success {
        generated.clone()
    } else {
        probe.at(cap)?
    };
    let stats = report.kinds.entry(tx.kind.clone()).or_default();
    stats.funds_bound += usize::from(funds_bound);
    let finding = |what: String| Finding {
        seed: case.seed,
        tx: index,
        kind: tx.kind.clone(),
        what,
    };
    let estimate = match estimate {
        Err(e) if reference.status == Status::Success => {
            report.findings.push(finding(format!(
                "zkos refuses ({}) what upstream includes at {} gas (search cap {cap}{})",
                e.code(),
                if generated.status == Status::Success {
                    decoded.gas_limit
                } else {
                    cap
                },
                if funds_bound {
                    ", the sender's funds"
                } else {
                    ""
                }
            )));
            return Ok(());
        }
        Err(_) => {
            stats.refused += 1;
            return Ok(());
        }
        Ok(estimate) => estimate,
    };
    stats.estimated += 1;
    let gas = estimate.gas_limit;
    if reference.status != Status::Success {
        let first = probe.first_at(gas, &engine)?;
        let what = format!(
            "zkos estimates {gas} where upstream fails even at the cap {cap} ({}); first in a \
             block on the same state at the estimate: upstream {}",
            summary(&reference),
            summary(&first)
        );
        if first.status == Status::Success {
            report.in_block.push(finding(what));
        } else {
            report.findings.push(finding(what));
        }
        return Ok(());
    }
    let promise = promised(&engine, &request, gas, &block)?;
    let at_estimate = probe.at(gas)?;
    if !matches(&at_estimate, &promise, true) {
        let first = probe.first_at(gas, &engine)?;
        let what = format!(
            "at the estimate {gas} ({:?}; simulated: {}): upstream {}; first in a block on the \
             same state: upstream {}",
            estimate.breakdown,
            summary(&promise),
            summary(&at_estimate),
            summary(&first),
        );
        if matches(&first, &promise, true) {
            report.in_block.push(finding(what));
        } else {
            report.findings.push(finding(what));
        }
        return Ok(());
    }
    // Return data that changed with the limit (GAS, the sender's balance after the prepaid
    // fee) is not asked of smaller limits.
    let with_output = at_estimate.return_data == reference.return_data;
    let minimum = probe.minimum(gas, at_estimate.gas_used, &at_estimate, with_output)?;
    stats.tightness.push(Tightness {
        estimate: gas,
        minimum,
        slack: Slack::of(&estimate.breakdown),
        first: upstream[..index]
            .iter()
            .all(|t| t.status == Status::Invalid),
    });
    Ok(())
}

/// Runs the estimate mode over `blocks` blocks of `seed` against the oracle at `binary`,
/// stopping early once `budget` has passed.
pub fn run(
    binary: &Path,
    seed: u64,
    blocks: u64,
    budget: Option<Duration>,
) -> Result<EstimateReport, String> {
    let keys = Keys::default();
    let mut report = EstimateReport::default();
    (report.blocks, report.timed_out) =
        each_block(seed, blocks, budget, |case| {
            match oracle::run(binary, &case) {
                Ok(upstream) => check_block(binary, &keys, &case, &upstream.txs, &mut report),
                Err(e) => report.errors.push((case.seed, format!("oracle: {e}"))),
            }
        })?;
    Ok(report)
}

/// Checks into `report` every transaction of `case` that upstream includes (`upstream`: the
/// block's outcome on the oracle at `binary`); `keys` sign them again.
pub fn check_block(
    binary: &Path,
    keys: &Keys,
    case: &BlockCase,
    upstream: &[TxOutcome],
    report: &mut EstimateReport,
) {
    for (i, outcome) in upstream.iter().enumerate() {
        if outcome.status == Status::Invalid {
            continue;
        }
        if let Err(e) = check_tx(binary, keys, case, i, upstream, report) {
            report.errors.push((case.seed, format!("tx {i}: {e}")));
        }
    }
}
