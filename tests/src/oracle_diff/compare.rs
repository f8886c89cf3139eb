//! Side-by-side comparison of zkos and the oracle, and the mismatch table.

use super::case::BlockCase;
use super::outcome::{BlockOutcome, Status, TxOutcome};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One compared quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Success / reverted / invalid.
    Status,
    /// The rejection reason of an invalid transaction.
    Reason,
    /// Gas charged.
    GasUsed,
    /// Gas given back by the refund counter.
    GasRefunded,
    /// Native used, pubdata included.
    NativeUsed,
    /// Native used for computation.
    ComputationalNative,
    /// Pubdata bytes of the transaction.
    PubdataUsed,
    /// Return or revert data.
    ReturnData,
    /// Events.
    Logs,
    /// Address of a deployed contract.
    ContractAddress,
    /// Length of the block's pubdata.
    BlockPubdataSize,
    /// The block's pubdata bytes, when both have the same length.
    BlockPubdataBytes,
    /// The block header hash.
    HeaderHash,
    /// The transaction hash.
    TxHash,
    /// The recovered sender.
    From,
    /// How many L2→L1 logs the transaction sent.
    L2ToL1Logs,
    /// The block's computational native.
    BlockComputationalNative,
    /// The state tree's next free leaf after the block.
    NextFreeSlot,
    /// An account's balance, nonce or code, or a storage slot, after the block (the
    /// real-contract flow's check, see `real::run`).
    State,
}

impl Field {
    /// Name in the table (the oracle's field names where it has one).
    pub fn name(self) -> &'static str {
        match self {
            Field::Status => "status",
            Field::Reason => "invalid reason",
            Field::GasUsed => "gasUsed",
            Field::GasRefunded => "gasRefunded",
            Field::NativeUsed => "nativeUsed",
            Field::ComputationalNative => "computationalNativeUsed",
            Field::PubdataUsed => "pubdataUsed",
            Field::ReturnData => "returnData",
            Field::Logs => "logs",
            Field::ContractAddress => "contractAddress",
            Field::BlockPubdataSize => "block pubdataBytes",
            Field::BlockPubdataBytes => "block pubdata",
            Field::HeaderHash => "block headerHash",
            Field::TxHash => "hash",
            Field::From => "from",
            Field::L2ToL1Logs => "l2ToL1Logs",
            Field::BlockComputationalNative => "block computationalNative",
            Field::NextFreeSlot => "block stateNextFreeSlot",
            Field::State => "state",
        }
    }

    /// Whether the field is a quantity (the table shows differences for these).
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Field::GasUsed
                | Field::GasRefunded
                | Field::NativeUsed
                | Field::ComputationalNative
                | Field::PubdataUsed
                | Field::BlockPubdataSize
                | Field::L2ToL1Logs
                | Field::BlockComputationalNative
                | Field::NextFreeSlot
        )
    }
}

/// One disagreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Seed of the block.
    pub seed: u64,
    /// Transaction index (`None` for a block field).
    pub tx: Option<usize>,
    /// Scenario of the transaction (`block` for block fields).
    pub kind: String,
    /// What differs.
    pub field: Field,
    /// zkos's value.
    pub zkos: String,
    /// The oracle's value.
    pub oracle: String,
    /// zkos − oracle for quantities.
    pub delta: Option<i128>,
}

/// The leading identifier of a rejection reason, mapped to one name for both sides (the
/// oracle spells the upstream `InvalidTransaction` variants, zkos its own).
pub fn normalise_reason(reason: &str) -> String {
    let head: String = reason
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let name = match head.as_str() {
        // Upstream names (basic_bootloader `InvalidTransaction`) → zkos names.
        "LackOfFundForMaxFee" => "InsufficientFunds",
        // Gas limit × fee cap past u128: upstream rejects it before the balance read
        // (`transaction/mod.rs::required_balance`), zkos computes it in 256 bits and finds the
        // balance short; the sender is already in the caches either way.
        "OverflowPaymentInTransaction" => "InsufficientFunds",
        "NonceOverflowInTransaction" => "NonceMax",
        // Upstream reports a gas limit below the intrinsic gas (18,000 + calldata + the 3,000
        // of the signature check) as running out of gas in validation.
        "CallGasCostMoreThanGasLimit" | "OutOfGasDuringValidation" => "IntrinsicGasTooLow",
        "BaseFeeGreaterThanMaxFee" | "GasPriceLessThanBasefee" => "FeeCapBelowBaseFee",
        "PriorityFeeGreaterThanMaxFee" => "PriorityFeeAboveFeeCap",
        "CallerGasLimitMoreThanBlock" => "GasLimitAboveBlock",
        "CallerGasLimitMoreThanTxLimit" => "GasLimitAboveCap",
        "RejectCallerWithCode" => "SenderHasCode",
        "InvalidChainId" => "ChainIdMismatch",
        // The oracle recovers each sender over the transaction's own chain id, so the only
        // address the snapshot's signature check can disagree with is that of a transaction
        // signed for another chain: zkos (version 2) rejects it at the same point and names
        // the cause.
        "IncorrectFrom" => "ChainIdMismatch",
        "CreateInitCodeSizeLimit" => "InitcodeTooLarge",
        "OutOfNativeResourcesDuringValidation" => "OutOfNativeInValidation",
        "EIP7623IntrinsicGasIsTooLow" => "FloorGasTooLow",
        "BlockL2ToL1LogsLimitReached" => "BlockL2ToL1LogLimitReached",
        // A signature with s above n/2: the bootloader's name, and the oracle's rig, which
        // recovers each sender before the bootloader runs and cannot recover such a signature
        // ("signature recovery: …"; the generator signs nothing else it cannot recover).
        "MalleableSignature" | "signature" => "HighS",
        "decode" => "Decode",
        // zkos decode errors (`TxDecodeError` variants) are all one kind for the oracle.
        "Empty"
        | "UnsupportedType"
        | "UnexpectedEnd"
        | "TrailingBytes"
        | "NonCanonicalLength"
        | "NonCanonicalSingleByte"
        | "LeadingZero"
        | "IntegerTooWide"
        | "ExpectedList"
        | "ExpectedString"
        | "WrongFieldCount"
        | "InvalidAddressLength"
        | "InvalidHashLength"
        | "MissingTo"
        | "InvalidV" => "Decode",
        other => other,
    };
    name.to_string()
}

fn quantity(
    out: &mut Vec<Mismatch>,
    at: (u64, Option<usize>, &str),
    field: Field,
    zkos: u64,
    oracle: u64,
) {
    if zkos != oracle {
        out.push(Mismatch {
            seed: at.0,
            tx: at.1,
            kind: at.2.to_string(),
            field,
            zkos: zkos.to_string(),
            oracle: oracle.to_string(),
            delta: Some(i128::from(zkos) - i128::from(oracle)),
        });
    }
}

fn exact(
    out: &mut Vec<Mismatch>,
    at: (u64, Option<usize>, &str),
    field: Field,
    zkos: String,
    oracle: String,
) {
    if zkos != oracle {
        out.push(Mismatch {
            seed: at.0,
            tx: at.1,
            kind: at.2.to_string(),
            field,
            zkos,
            oracle,
            delta: None,
        });
    }
}

fn compare_tx(
    out: &mut Vec<Mismatch>,
    at: (u64, Option<usize>, &str),
    z: &TxOutcome,
    o: &TxOutcome,
) {
    if let (Some(zh), Some(oh)) = (z.hash, o.hash) {
        exact(out, at, Field::TxHash, zh.to_string(), oh.to_string());
    }
    if z.status != o.status {
        // Everything else follows from the status; report the status alone.
        let describe = |t: &TxOutcome| match &t.reason {
            Some(r) => format!("{} ({r})", t.status.name()),
            None => t.status.name().to_string(),
        };
        exact(out, at, Field::Status, describe(z), describe(o));
        return;
    }
    if z.status == Status::Invalid {
        exact(
            out,
            at,
            Field::Reason,
            z.reason.clone().unwrap_or_default(),
            o.reason.clone().unwrap_or_default(),
        );
        return;
    }
    quantity(out, at, Field::GasUsed, z.gas_used, o.gas_used);
    quantity(out, at, Field::GasRefunded, z.gas_refunded, o.gas_refunded);
    quantity(out, at, Field::NativeUsed, z.native_used, o.native_used);
    quantity(
        out,
        at,
        Field::ComputationalNative,
        z.computational_native_used,
        o.computational_native_used,
    );
    quantity(out, at, Field::PubdataUsed, z.pubdata_used, o.pubdata_used);
    exact(
        out,
        at,
        Field::ReturnData,
        alloy_primitives::hex::encode(&z.return_data),
        alloy_primitives::hex::encode(&o.return_data),
    );
    exact(
        out,
        at,
        Field::Logs,
        format!("{:?}", z.logs),
        format!("{:?}", o.logs),
    );
    exact(
        out,
        at,
        Field::ContractAddress,
        format!("{:?}", z.contract_address),
        format!("{:?}", o.contract_address),
    );
    if let (Some(zf), Some(of)) = (z.from, o.from) {
        exact(out, at, Field::From, zf.to_string(), of.to_string());
    }
    if let (Some(zl), Some(ol)) = (z.l2_to_l1_logs, o.l2_to_l1_logs) {
        quantity(out, at, Field::L2ToL1Logs, zl, ol);
    }
}

/// Every disagreement between zkos's and the oracle's run of `case`.
pub fn compare(case: &BlockCase, zkos: &BlockOutcome, oracle: &BlockOutcome) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (i, tx) in case.txs.iter().enumerate() {
        match (zkos.txs.get(i), oracle.txs.get(i)) {
            (Some(z), Some(o)) => compare_tx(&mut out, (case.seed, Some(i), &tx.kind), z, o),
            (z, o) => exact(
                &mut out,
                (case.seed, Some(i), &tx.kind),
                Field::Status,
                format!("{:?}", z.map(|t| t.status)),
                format!("{:?}", o.map(|t| t.status)),
            ),
        }
    }
    let at = (case.seed, None, "block");
    quantity(
        &mut out,
        at,
        Field::BlockPubdataSize,
        zkos.pubdata.len() as u64,
        oracle.pubdata.len() as u64,
    );
    if zkos.pubdata.len() == oracle.pubdata.len() {
        exact(
            &mut out,
            at,
            Field::BlockPubdataBytes,
            alloy_primitives::hex::encode(&zkos.pubdata),
            alloy_primitives::hex::encode(&oracle.pubdata),
        );
    }
    exact(
        &mut out,
        at,
        Field::HeaderHash,
        zkos.header_hash.to_string(),
        oracle.header_hash.to_string(),
    );
    if let (Some(z), Some(o)) = (zkos.computational_native, oracle.computational_native) {
        quantity(&mut out, at, Field::BlockComputationalNative, z, o);
    }
    if let (Some(z), Some(o)) = (zkos.next_free_slot, oracle.next_free_slot) {
        quantity(&mut out, at, Field::NextFreeSlot, z, o);
    }
    out
}

/// Differences of one (field, scenario) class.
#[derive(Default)]
struct Class {
    count: usize,
    deltas: Vec<i128>,
    relative: Vec<f64>,
    example: Option<Mismatch>,
}

/// The mismatch table: one row per (field, scenario) with the count and, for quantities, the
/// spread of zkos − oracle; then how many transactions each scenario had.
pub fn table(mismatches: &[Mismatch], tx_counts: &BTreeMap<String, usize>) -> String {
    let mut classes: BTreeMap<(Field, String), Class> = BTreeMap::new();
    for m in mismatches {
        let class = classes.entry((m.field, m.kind.clone())).or_default();
        class.count += 1;
        if let Some(d) = m.delta {
            class.deltas.push(d);
            let oracle: f64 = m.oracle.parse().unwrap_or(0.0);
            if oracle != 0.0 {
                class.relative.push(d as f64 / oracle * 100.0);
            }
        }
        class.example.get_or_insert_with(|| m.clone());
    }
    let mut s = String::new();
    let mut by_field: BTreeMap<Field, (usize, usize, Vec<f64>)> = BTreeMap::new();
    for ((field, _), class) in &classes {
        let entry = by_field.entry(*field).or_default();
        entry.0 += class.count;
        entry.1 += 1;
        entry.2.extend(class.relative.iter().map(|r| r.abs()));
    }
    let _ = writeln!(
        s,
        "{:<24} {:>10} {:>10} {:>14}",
        "field", "mismatches", "scenarios", "mean |Δ|%"
    );
    for (field, (count, scenarios, relative)) in &by_field {
        let mean = if relative.is_empty() {
            String::new()
        } else {
            format!(
                "{:.1}",
                relative.iter().sum::<f64>() / relative.len() as f64
            )
        };
        let _ = writeln!(
            s,
            "{:<24} {:>10} {:>10} {:>14}",
            field.name(),
            count,
            scenarios,
            mean
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<24} {:<26} {:>6} {:>14} {:>14} {:>14} {:>9}  example (seed, tx: zkos vs oracle)",
        "field", "scenario", "count", "min Δ", "mean Δ", "max Δ", "mean Δ%"
    );
    for ((field, kind), class) in &classes {
        let (min, mean, max, rel) = if class.deltas.is_empty() {
            (String::new(), String::new(), String::new(), String::new())
        } else {
            let min = class.deltas.iter().min().copied().unwrap_or(0);
            let max = class.deltas.iter().max().copied().unwrap_or(0);
            let mean = class.deltas.iter().sum::<i128>() / class.deltas.len() as i128;
            let rel = if class.relative.is_empty() {
                String::new()
            } else {
                format!(
                    "{:+.1}",
                    class.relative.iter().sum::<f64>() / class.relative.len() as f64
                )
            };
            (min.to_string(), mean.to_string(), max.to_string(), rel)
        };
        let example = class
            .example
            .as_ref()
            .map(|m| {
                let tx = m.tx.map(|t| t.to_string()).unwrap_or_else(|| "-".into());
                format!("{}, {tx}: {} vs {}", m.seed, clip(&m.zkos), clip(&m.oracle))
            })
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{:<24} {:<26} {:>6} {:>14} {:>14} {:>14} {:>9}  {}",
            field.name(),
            kind,
            class.count,
            min,
            mean,
            max,
            rel,
            example
        );
    }
    let _ = writeln!(s, "\ntransactions per scenario:");
    for (kind, count) in tx_counts {
        let _ = writeln!(s, "  {kind:<26} {count:>6}");
    }
    s
}

/// At most 40 characters of a value, for the table.
fn clip(value: &str) -> String {
    if value.len() <= 40 {
        value.to_string()
    } else {
        format!("{}…", &value[..40])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_map_to_one_name() {
        assert_eq!(
            normalise_reason("NonceTooHigh { tx: 5, state: 0 }"),
            "NonceTooHigh"
        );
        assert_eq!(
            normalise_reason("LackOfFundForMaxFee { fee: 1, balance: 0 }"),
            "InsufficientFunds"
        );
        assert_eq!(normalise_reason("decode: input too short"), "Decode");
        assert_eq!(normalise_reason("UnexpectedEnd"), "Decode");
        assert_eq!(
            normalise_reason("OutOfGasDuringValidation"),
            "IntrinsicGasTooLow"
        );
        assert_eq!(
            normalise_reason("signature recovery: Failed to recover the signer"),
            "HighS"
        );
        assert_eq!(normalise_reason("MalleableSignature"), "HighS");
        assert_eq!(
            normalise_reason("BlockL2ToL1LogsLimitReached"),
            "BlockL2ToL1LogLimitReached"
        );
    }
}
