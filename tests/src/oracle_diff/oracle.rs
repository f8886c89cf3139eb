//! Runs a block through `zksync-os-oracle` (a build of upstream ZKsync OS, see
//! `shared/oracle/README.md`) and reads its answer.

use super::case::BlockCase;
use super::compare::normalise_reason;
use super::outcome::{BlockOutcome, LogEntry, Status, TxOutcome};
use super::zkos::normalise_pubdata;
use alloy_primitives::{hex, Address, B256};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable naming the oracle binary, overriding the default locations.
pub const ORACLE_ENV: &str = "ZKSYNC_OS_ORACLE";

/// Where the oracle is looked for: `$ZKSYNC_OS_ORACLE`, else `shared/oracle/zksync-os-oracle`
/// beside the repository (`../shared`) or beside the directory holding a worktree
/// (`../../shared`). An error names every place tried.
pub fn locate() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(ORACLE_ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "the oracle binary is absent: ${ORACLE_ENV} = {} is not a file",
                path.display()
            ))
        };
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        repo.join("../shared/oracle/zksync-os-oracle"),
        repo.join("../../shared/oracle/zksync-os-oracle"),
    ];
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .ok_or_else(|| {
            let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
            format!(
                "the oracle binary is absent (tried {}; set ${ORACLE_ENV})",
                tried.join(", ")
            )
        })
}

/// Runs `case` on the oracle at `binary`.
pub fn run(binary: &Path, case: &BlockCase) -> Result<BlockOutcome, String> {
    parse_output(&run_raw(binary, &case.oracle_input())?)
}

/// Runs the oracle at `binary` on `input` (its JSON input) and returns its JSON output; a block
/// the oracle refuses is an error.
pub fn run_raw(binary: &Path, input: &Value) -> Result<Value, String> {
    let input = serde_json::to_vec(input).map_err(|e| e.to_string())?;
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    child
        .stdin
        .take()
        .ok_or("oracle stdin unavailable")?
        .write_all(&input)
        .map_err(|e| format!("writing to the oracle: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for the oracle: {e}"))?;
    let json: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "oracle exit {:?}, unreadable output ({e}); stderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    if let Some(error) = json.get("error") {
        return Err(format!("oracle refused the block: {error}"));
    }
    Ok(json)
}

fn text<'a>(v: &'a Value, field: &str) -> Result<&'a str, String> {
    v.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("oracle output lacks `{field}`"))
}

fn number(v: &Value, field: &str) -> Result<u64, String> {
    text(v, field)?
        .parse()
        .map_err(|e| format!("oracle `{field}`: {e}"))
}

fn bytes(v: &Value, field: &str) -> Result<Vec<u8>, String> {
    hex::decode(text(v, field)?).map_err(|e| format!("oracle `{field}`: {e}"))
}

fn word(s: &str) -> Result<B256, String> {
    s.parse().map_err(|e| format!("oracle word {s}: {e}"))
}

fn parse_tx(tx: &Value) -> Result<TxOutcome, String> {
    let status = match text(tx, "status")? {
        "success" => Status::Success,
        "reverted" => Status::Reverted,
        "invalid" => {
            let error = tx.get("error").and_then(Value::as_str).unwrap_or("");
            return Ok(TxOutcome {
                hash: tx
                    .get("hash")
                    .and_then(Value::as_str)
                    .map(word)
                    .transpose()?,
                ..TxOutcome::invalid(normalise_reason(error))
            });
        }
        other => return Err(format!("oracle status `{other}`")),
    };
    let mut logs = Vec::new();
    for log in tx
        .get("logs")
        .and_then(Value::as_array)
        .ok_or("oracle output lacks `logs`")?
    {
        let address: Address = text(log, "address")?
            .parse()
            .map_err(|e| format!("log address: {e}"))?;
        let topics = log
            .get("topics")
            .and_then(Value::as_array)
            .ok_or("log lacks topics")?
            .iter()
            .map(|t| word(t.as_str().unwrap_or("")))
            .collect::<Result<Vec<_>, _>>()?;
        logs.push(LogEntry {
            address,
            topics,
            data: bytes(log, "data")?,
        });
    }
    let contract_address = match tx.get("contractAddress") {
        Some(Value::String(s)) => Some(s.parse().map_err(|e| format!("contractAddress: {e}"))?),
        _ => None,
    };
    Ok(TxOutcome {
        status,
        reason: None,
        gas_used: number(tx, "gasUsed")?,
        gas_refunded: number(tx, "gasRefunded")?,
        native_used: number(tx, "nativeUsed")?,
        computational_native_used: number(tx, "computationalNativeUsed")?,
        pubdata_used: number(tx, "pubdataUsed")?,
        return_data: bytes(tx, "returnData")?,
        logs,
        contract_address,
        l2_to_l1_logs: Some(number(tx, "l2ToL1Logs")?),
        hash: Some(word(text(tx, "hash")?)?),
        from: Some(
            text(tx, "from")?
                .parse()
                .map_err(|e| format!("from: {e}"))?,
        ),
    })
}

/// Reads the oracle's JSON output.
pub fn parse_output(json: &Value) -> Result<BlockOutcome, String> {
    let txs = json
        .get("transactions")
        .and_then(Value::as_array)
        .ok_or("oracle output lacks `transactions`")?
        .iter()
        .map(parse_tx)
        .collect::<Result<Vec<_>, _>>()?;
    let block = json.get("block").ok_or("oracle output lacks `block`")?;
    let header_hash = word(text(block, "headerHash")?)?;
    Ok(BlockOutcome {
        txs,
        pubdata: normalise_pubdata(&bytes(block, "pubdata")?, &header_hash),
        header_hash,
        computational_native: Some(number(block, "computationalNativeUsed")?),
        next_free_slot: Some(number(block, "stateNextFreeSlot")?),
    })
}
