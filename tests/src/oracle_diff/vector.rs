//! Fixed test vectors: blocks the generator produced, stored with the oracle's answer in
//! `tests/oracle-vectors/*.json`, so that every class of mismatch the generator found stays
//! checked without the oracle binary and whatever the generator becomes.
//!
//! A vector file holds `name`, `rules` (the rule catalogue entries it pins, e.g. `R6 storage`),
//! `kinds` (the scenario of each transaction), `input` (the oracle's JSON input) and `oracle`
//! (the oracle's JSON output for it). A block the oracle refuses whole because of a transaction
//! zkos leaves out (see [`super::excluded`]) also holds `leftOut` (those transactions'
//! positions) and `oracleOnTheWholeBlock` (the refusal); its `oracle` is then the output for
//! the block without them.

use super::case::{BlockCase, BlockParams, CaseTx, PreAccount};
use super::contracts::TokenCode;
use super::excluded;
use super::generate;
use super::oracle::{parse_output, run_raw};
use super::outcome::BlockOutcome;
use super::sign::SignedTx;
use super::zkos;
use alloy_primitives::{hex, keccak256, Address, B256, U256};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// A stored block with the oracle's answer.
#[derive(Clone, Debug)]
pub struct Vector {
    /// What the vector is called.
    pub name: String,
    /// The rules it pins.
    pub rules: String,
    /// The block.
    pub case: BlockCase,
    /// The oracle's outcome of the block.
    pub oracle: BlockOutcome,
}

/// Generates block `seed` with `token`, runs it on the oracle at `binary` and returns the vector
/// file's JSON.
pub fn record(
    binary: &Path,
    seed: u64,
    name: &str,
    rules: &str,
    token: &TokenCode,
) -> Result<Value, String> {
    let case = generate::block(seed, token);
    let input = case.oracle_input();
    let mut vector = of_case(&case, name, rules, Value::Null);
    match run_raw(binary, &input) {
        Ok(oracle) => vector["oracle"] = oracle,
        // A block upstream refuses is stored with the oracle's output for it without the
        // transactions zkos left out (see `excluded`).
        Err(refused) => {
            let positions = excluded::left_out(&zkos::run(&case)?);
            if positions.is_empty() {
                return Err(refused);
            }
            let rest = excluded::without(&case, &positions);
            vector["oracle"] = run_raw(binary, &rest.oracle_input())?;
            vector["leftOut"] = json!(positions);
            vector["oracleOnTheWholeBlock"] = json!(refused);
        }
    }
    Ok(vector)
}

/// The vector file's JSON of `case` with the oracle's `output` for it.
pub fn of_case(case: &BlockCase, name: &str, rules: &str, output: Value) -> Value {
    let kinds: Vec<&str> = case.txs.iter().map(|t| t.kind.as_str()).collect();
    json!({
        "name": name,
        "rules": rules,
        "seed": case.seed,
        "kinds": kinds,
        "input": case.oracle_input(),
        "oracle": output,
    })
}

/// Reads a vector file's JSON.
pub fn load(json: &Value) -> Result<Vector, String> {
    let text = |v: &Value, field: &str| -> Result<String, String> {
        v.get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or(format!("vector lacks `{field}`"))
    };
    let input = json.get("input").ok_or("vector lacks `input`")?;
    let kinds: Vec<String> = json
        .get("kinds")
        .and_then(Value::as_array)
        .ok_or("vector lacks `kinds`")?
        .iter()
        .map(|k| k.as_str().unwrap_or_default().to_string())
        .collect();
    let seed = json.get("seed").and_then(Value::as_u64).unwrap_or_default();
    let case = case_of(seed, input, &kinds)?;
    let oracle = parse_output(json.get("oracle").ok_or("vector lacks `oracle`")?)?;
    let left_out: Vec<usize> = match json.get("leftOut") {
        None => Vec::new(),
        Some(positions) => {
            serde_json::from_value(positions.clone()).map_err(|e| format!("`leftOut`: {e}"))?
        }
    };
    let oracle = excluded::put_back(oracle, &left_out);
    Ok(Vector {
        name: text(json, "name")?,
        rules: text(json, "rules")?,
        case,
        oracle,
    })
}

fn decimal<T: std::str::FromStr>(v: &Value, field: &str) -> Result<T, String> {
    match v.get(field) {
        Some(Value::String(s)) => s.parse().map_err(|_| format!("`{field}`: {s}")),
        Some(Value::Number(n)) => n.to_string().parse().map_err(|_| format!("`{field}`: {n}")),
        _ => Err(format!("input lacks `{field}`")),
    }
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s.trim_start_matches("0x")).map_err(|e| format!("hex {s}: {e}"))
}

fn word(s: &str) -> Result<B256, String> {
    let bytes = hex_bytes(s)?;
    if bytes.len() != 32 {
        return Err(format!("not a word: {s}"));
    }
    Ok(B256::from_slice(&bytes))
}

/// The block the oracle input `input` describes, its transactions labelled `kinds`.
pub fn case_of(seed: u64, input: &Value, kinds: &[String]) -> Result<BlockCase, String> {
    let block = input.get("block").ok_or("input lacks `block`")?;
    let coinbase: Address = block
        .get("coinbase")
        .and_then(Value::as_str)
        .ok_or("input lacks `coinbase`")?
        .parse()
        .map_err(|e| format!("coinbase: {e}"))?;
    let params = BlockParams {
        number: decimal(block, "number")?,
        timestamp: decimal(block, "timestamp")?,
        base_fee: decimal(block, "baseFee")?,
        native_price: decimal(block, "nativePrice")?,
        pubdata_price: decimal(block, "pubdataPrice")?,
        gas_limit: decimal(block, "gasLimit")?,
        coinbase,
        pubdata_limit: match block.get("pubdataLimit") {
            None | Some(Value::Null) => u64::MAX,
            Some(_) => decimal(block, "pubdataLimit")?,
        },
    };
    let mut pre_state = BTreeMap::new();
    let accounts = input
        .get("preState")
        .and_then(Value::as_object)
        .ok_or("input lacks `preState`")?;
    for (address, account) in accounts {
        let address: Address = address.parse().map_err(|e| format!("{address}: {e}"))?;
        let code = match account.get("code").and_then(Value::as_str) {
            Some(code) => hex_bytes(code)?,
            None => Vec::new(),
        };
        let mut storage = BTreeMap::new();
        if let Some(slots) = account.get("storage").and_then(Value::as_object) {
            for (key, value) in slots {
                storage.insert(word(key)?, word(value.as_str().unwrap_or_default())?);
            }
        }
        let balance: U256 = decimal(account, "balance")?;
        pre_state.insert(
            address,
            PreAccount {
                balance,
                nonce: decimal(account, "nonce")?,
                code,
                storage,
            },
        );
    }
    let txs = input
        .get("transactions")
        .and_then(Value::as_array)
        .ok_or("input lacks `transactions`")?
        .iter()
        .zip(kinds)
        .map(|(raw, kind)| {
            let raw = hex_bytes(raw.as_str().unwrap_or_default())?;
            Ok(CaseTx {
                kind: kind.clone(),
                signed: SignedTx {
                    hash: keccak256(&raw),
                    from: sender_of(&raw),
                    raw,
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(BlockCase {
        seed,
        chain_id: decimal(input, "chainId")?,
        params,
        pre_state,
        txs,
    })
}

/// The signer of the envelope `raw` (zero when it does not recover: such a transaction is
/// invalid on both sides, and the sender is only a label).
fn sender_of(raw: &[u8]) -> Address {
    zkos_core::tx::decode(raw)
        .ok()
        .and_then(|tx| zkos_core::tx::recover_sender(&tx).ok())
        .unwrap_or_default()
}
