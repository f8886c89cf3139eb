//! Runs a block on zkos through the engine facade alone (`Engine`, `FeeParams`,
//! `AccountInput`, `BlockTx`, `BlockOverrides`), so internal reorganisations of the core do not
//! reach the harness.

use super::case::BlockCase;
use super::compare::normalise_reason;
use super::header::{hash_with_zero_parent, HeaderFields};
use super::outcome::{BlockOutcome, LogEntry, Status, TxOutcome};
use alloy_primitives::{Bytes, B256, U256};
use zkos_core::config::{ChainConfig, ProtocolVersion};
use zkos_core::engine::{AccountInput, BlockOverrides, BlockTx, Engine, FeeParams};

/// Runs `case` on a fresh ZKsync OS engine on protocol version 2 (what the oracle runs).
pub fn run(case: &BlockCase) -> Result<BlockOutcome, String> {
    run_at(case, ProtocolVersion::V2)
}

/// A fresh ZKsync OS engine on protocol `version` at `case`'s fees, holding only its pre-state
/// and the engine's own genesis accounts.
pub fn engine(case: &BlockCase, version: ProtocolVersion) -> Result<Engine, String> {
    let p = &case.params;
    let fees = FeeParams {
        base_fee: U256::from(p.base_fee),
        native_price: U256::from(p.native_price),
        pubdata_price: U256::from(p.pubdata_price),
        block_gas_limit: p.gas_limit,
        pubdata_limit: p.pubdata_limit,
        coinbase: p.coinbase,
    };
    let mut engine = Engine::with_fees(ChainConfig::zk_at(case.chain_id, version), fees);
    for (address, account) in &case.pre_state {
        // The oracle's rig writes a leaf for every pre-state slot, a zero one included (a slot
        // a chain zeroed, which still has its leaf); set_account stores no leaf for a zero on a
        // new slot, so the slot is written non-zero first and then zero.
        for (key, _) in account.storage.iter().filter(|(_, v)| v.is_zero()) {
            engine.set_storage(*address, U256::from_be_bytes(key.0), U256::from(1u8));
        }
        let storage = account
            .storage
            .iter()
            .map(|(k, v)| (U256::from_be_bytes(k.0), U256::from_be_bytes(v.0)))
            .collect();
        engine
            .set_account(
                *address,
                AccountInput {
                    balance: account.balance,
                    nonce: account.nonce,
                    code: Bytes::copy_from_slice(&account.code),
                    storage,
                },
            )
            .map_err(|e| format!("set_account {address}: {}", e.message()))?;
    }
    Ok(engine)
}

/// The values of `case`'s block that replace the engine's defaults (number and timestamp).
pub fn block_overrides(case: &BlockCase) -> BlockOverrides {
    BlockOverrides {
        number: Some(case.params.number),
        timestamp: Some(case.params.timestamp),
        ..BlockOverrides::default()
    }
}

/// Runs `case` on a fresh ZKsync OS engine on protocol `version` (see [`engine`]).
pub fn run_at(case: &BlockCase, version: ProtocolVersion) -> Result<BlockOutcome, String> {
    run_keeping(case, version).map(|(outcome, _)| outcome)
}

/// Runs `case` as [`run_at`] does, and returns the engine after the block with the outcome.
pub fn run_keeping(
    case: &BlockCase,
    version: ProtocolVersion,
) -> Result<(BlockOutcome, Engine), String> {
    let mut engine = engine(case, version)?;
    let txs: Vec<BlockTx> = case
        .txs
        .iter()
        .map(|t| BlockTx::Raw(Bytes::copy_from_slice(&t.signed.raw)))
        .collect();
    let overrides = block_overrides(case);
    let report = engine
        .run_block(&txs, Some(overrides))
        .map_err(|e| format!("run_block: {}", e.message()))?;
    let computational_native = report
        .receipts
        .iter()
        .map(|r| r.computational_native_used)
        .sum();
    let mut receipts = report.receipts.into_iter();
    let mut outcomes = Vec::with_capacity(txs.len());
    for position in 0..txs.len() {
        if let Some(rejected) = report.rejected.iter().find(|r| r.position == position) {
            let reason = rejected
                .error
                .reason()
                .unwrap_or_else(|| rejected.error.code());
            outcomes.push(TxOutcome {
                hash: rejected.tx_hash,
                ..TxOutcome::invalid(normalise_reason(reason))
            });
            continue;
        }
        let r = receipts
            .next()
            .ok_or_else(|| format!("no receipt for transaction {position}"))?;
        outcomes.push(TxOutcome {
            status: if r.status {
                Status::Success
            } else {
                Status::Reverted
            },
            reason: None,
            gas_used: r.gas_used,
            gas_refunded: r.gas_refunded,
            native_used: r.native_used,
            computational_native_used: r.computational_native_used,
            pubdata_used: r.pubdata_used,
            return_data: r.output.to_vec(),
            logs: r
                .logs
                .iter()
                .map(|l| LogEntry {
                    address: l.log.address,
                    topics: l.log.topics.clone(),
                    data: l.log.data.to_vec(),
                })
                .collect(),
            contract_address: r.contract_address,
            l2_to_l1_logs: Some(r.l2_to_l1_messages.len() as u64),
            hash: Some(r.tx_hash),
            from: Some(r.from),
        });
    }
    let h = &report.header;
    let header_hash = hash_with_zero_parent(&HeaderFields {
        coinbase: h.coinbase,
        number: h.number,
        gas_limit: h.gas_limit,
        gas_used: h.gas_used,
        timestamp: h.timestamp,
        mix_hash: h.prevrandao,
        base_fee: h.base_fee,
        transactions_root: h.transactions_root,
    });
    let outcome = BlockOutcome {
        txs: outcomes,
        pubdata: normalise_pubdata(&h.pubdata, &h.hash),
        header_hash,
        computational_native: Some(computational_native),
        next_free_slot: Some(h.state_commitment.next_free_slot),
    };
    Ok((outcome, engine))
}

/// `pubdata` with the first copy of the block's own hash zeroed: the zkos engine's block hash
/// covers its own genesis as parent, the oracle's a zero parent, so the hash bytes never agree;
/// the rest of the pubdata can.
pub fn normalise_pubdata(pubdata: &[u8], block_hash: &B256) -> Vec<u8> {
    let mut out = pubdata.to_vec();
    if let Some(at) = out.windows(32).position(|w| w == block_hash.as_slice()) {
        out[at..at + 32].fill(0);
    }
    out
}
