//! Parsing of GeneralStateTests fixtures (the ethereum/tests filled format and the
//! execution-spec-tests `state_test` format) into [`CaseInput`]s and their expectations.

use std::collections::BTreeMap;

use k256::ecdsa::SigningKey;
use serde::Deserialize;
use serde_json::Value;
use zkos_core::primitives::{keccak256, Address, Bytes, B256, U256};

use super::executor::{
    AccessListItem, AccountState, Authorization, BlobSchedule, CaseInput, Env, Fork, TxInput,
};

/// Why a fixture (or part of it) could not be turned into cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureError(pub String);

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, FixtureError>;

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(FixtureError(message.into()))
}

/// Strips the `0x:bigint ` marker some fillers leave in front of big numbers.
fn strip_bigint(text: &str) -> &str {
    text.strip_prefix("0x:bigint ").unwrap_or(text).trim()
}

/// Parses a `0x`-prefixed hex (or plain decimal) number.
fn parse_u256(text: &str) -> Result<U256> {
    let text = strip_bigint(text);
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some("") => Ok(U256::ZERO),
        Some(digits) => U256::from_str_radix(digits, 16),
        None => U256::from_str_radix(text, 10),
    };
    parsed.map_err(|e| FixtureError(format!("bad number {text:?}: {e}")))
}

/// Parses a number that must fit 64 bits.
fn parse_u64(text: &str) -> Result<u64> {
    let value = parse_u256(text)?;
    u64::try_from(value).map_err(|_| FixtureError(format!("number {text:?} exceeds 64 bits")))
}

/// Parses `0x`-prefixed hex bytes (`0x` alone is empty).
fn parse_bytes(text: &str) -> Result<Bytes> {
    let digits = text.trim().strip_prefix("0x").unwrap_or(text.trim());
    zkos_core::primitives::hex::decode(digits)
        .map(Bytes::from)
        .map_err(|e| FixtureError(format!("bad hex bytes {text:?}: {e}")))
}

/// Parses a 32-byte hash.
fn parse_b256(text: &str) -> Result<B256> {
    let bytes = parse_bytes(text)?;
    if bytes.len() != 32 {
        return err(format!("expected 32 bytes, got {text:?}"));
    }
    Ok(B256::from_slice(&bytes))
}

/// Parses a 20-byte address.
fn parse_address(text: &str) -> Result<Address> {
    let bytes = parse_bytes(text)?;
    if bytes.len() != 20 {
        return err(format!("expected an address, got {text:?}"));
    }
    Ok(Address::from_slice(&bytes))
}

fn parse_opt<T>(text: Option<&String>, parse: fn(&str) -> Result<T>) -> Result<Option<T>> {
    text.map(|t| parse(t)).transpose()
}

/// Address of the secp256k1 key `secret`: the last 20 bytes of keccak of the public point.
pub fn address_of_secret_key(secret: &B256) -> Result<Address> {
    let key = SigningKey::from_slice(secret.as_slice())
        .map_err(|e| FixtureError(format!("bad secretKey: {e}")))?;
    let point = key.verifying_key().to_sec1_point(false);
    let public = point.as_bytes();
    let hash = keccak256(public.get(1..).unwrap_or_default());
    Ok(Address::from_slice(&hash[12..]))
}

#[derive(Deserialize)]
struct RawAccount {
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    balance: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    storage: BTreeMap<String, String>,
}

impl RawAccount {
    fn resolve(&self) -> Result<AccountState> {
        let mut storage = BTreeMap::new();
        for (slot, value) in &self.storage {
            storage.insert(parse_u256(slot)?, parse_u256(value)?);
        }
        Ok(AccountState {
            nonce: parse_opt(self.nonce.as_ref(), parse_u64)?.unwrap_or(0),
            balance: parse_opt(self.balance.as_ref(), parse_u256)?.unwrap_or_default(),
            code: parse_opt(self.code.as_ref(), parse_bytes)?.unwrap_or_default(),
            storage,
        })
    }
}

fn resolve_state(raw: &BTreeMap<String, RawAccount>) -> Result<BTreeMap<Address, AccountState>> {
    raw.iter()
        .map(|(address, account)| Ok((parse_address(address)?, account.resolve()?)))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEnv {
    current_coinbase: String,
    current_gas_limit: String,
    current_number: String,
    current_timestamp: String,
    #[serde(default)]
    current_base_fee: Option<String>,
    #[serde(default)]
    current_random: Option<String>,
    #[serde(default)]
    current_difficulty: Option<String>,
    #[serde(default)]
    current_excess_blob_gas: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAccessListItem {
    address: String,
    #[serde(default)]
    storage_keys: Vec<String>,
}

/// A number written as text (`"0x64"`, `"100"`) or, as some execution-spec-tests fills write
/// authorization fields, as a JSON number (`100`); returned as text for the parsers above.
fn number_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a number, got {other}"
        ))),
    }
}

/// [`number_text`] of a field that may be absent.
fn optional_number_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    number_text(deserializer).map(Some)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAuthorization {
    #[serde(deserialize_with = "number_text")]
    chain_id: String,
    address: String,
    #[serde(deserialize_with = "number_text")]
    nonce: String,
    #[serde(default, deserialize_with = "optional_number_text")]
    v: Option<String>,
    #[serde(default, deserialize_with = "optional_number_text")]
    y_parity: Option<String>,
    r: String,
    s: String,
    #[serde(default)]
    signer: Option<String>,
}

impl RawAuthorization {
    fn resolve(&self) -> Result<Authorization> {
        let parity_text = self.y_parity.as_ref().or(self.v.as_ref());
        let Some(parity_text) = parity_text else {
            return err("authorization without yParity or v");
        };
        let y_parity = u8::try_from(parse_u64(parity_text)?)
            .map_err(|_| FixtureError(format!("authorization y parity {parity_text:?}")))?;
        Ok(Authorization {
            chain_id: parse_u256(&self.chain_id)?,
            address: parse_address(&self.address)?,
            nonce: parse_u64(&self.nonce)?,
            y_parity,
            r: parse_u256(&self.r)?,
            s: parse_u256(&self.s)?,
            signer: parse_opt(self.signer.as_ref(), parse_address)?,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTransaction {
    data: Vec<String>,
    gas_limit: Vec<String>,
    value: Vec<String>,
    nonce: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    sender: Option<String>,
    #[serde(default)]
    secret_key: Option<String>,
    #[serde(default)]
    gas_price: Option<String>,
    #[serde(default)]
    max_fee_per_gas: Option<String>,
    #[serde(default)]
    max_priority_fee_per_gas: Option<String>,
    #[serde(default)]
    access_lists: Option<Vec<Option<Vec<RawAccessListItem>>>>,
    #[serde(default)]
    blob_versioned_hashes: Option<Vec<String>>,
    #[serde(default)]
    max_fee_per_blob_gas: Option<String>,
    #[serde(default)]
    authorization_list: Option<Vec<RawAuthorization>>,
}

#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
struct RawIndexes {
    data: usize,
    gas: usize,
    value: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPostCase {
    indexes: RawIndexes,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    logs: Option<String>,
    #[serde(default)]
    txbytes: Option<String>,
    #[serde(default)]
    expect_exception: Option<String>,
    #[serde(default)]
    state: Option<BTreeMap<String, RawAccount>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawBlobParams {
    target: String,
    max: String,
    base_fee_update_fraction: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    blob_schedule: Option<BTreeMap<String, RawBlobParams>>,
    #[serde(default)]
    chainid: Option<String>,
}

#[derive(Deserialize)]
struct RawTest {
    env: RawEnv,
    pre: BTreeMap<String, RawAccount>,
    transaction: RawTransaction,
    post: BTreeMap<String, Vec<RawPostCase>>,
    #[serde(default)]
    config: Option<RawConfig>,
}

/// Name of `fork` as fixtures spell it in `post` and `config.blobSchedule`.
pub fn fork_name(fork: Fork) -> &'static str {
    match fork {
        Fork::Cancun => "Cancun",
        Fork::Prague => "Prague",
        Fork::Osaka => "Osaka",
    }
}

/// The fork a fixture name denotes, if it is one the runner supports.
pub fn parse_fork(name: &str) -> Option<Fork> {
    match name {
        "Cancun" => Some(Fork::Cancun),
        "Prague" => Some(Fork::Prague),
        "Osaka" => Some(Fork::Osaka),
        _ => None,
    }
}

/// Which entries of the `data`, `gasLimit` and `value` arrays a case uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indexes {
    /// Index into `transaction.data`.
    pub data: usize,
    /// Index into `transaction.gasLimit`.
    pub gas: usize,
    /// Index into `transaction.value`.
    pub value: usize,
}

/// What a case must produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// State root after the transaction (`hash`), when given.
    pub state_root: Option<B256>,
    /// Hash of the RLP log list (`logs`), when given.
    pub logs_hash: Option<B256>,
    /// Expected rejection (`expectException`), when the transaction must be invalid.
    pub exception: Option<String>,
    /// Full expected post-state (execution-spec-tests `state`), when given.
    pub state: Option<BTreeMap<Address, AccountState>>,
}

/// One runnable case: the executor input and the expected result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Which transaction variant this case runs.
    pub indexes: Indexes,
    /// Input for the executor.
    pub input: CaseInput,
    /// Expected result.
    pub expect: Expectation,
}

/// A case that could not be built, with the reason it is skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadCase {
    /// The case's indexes.
    pub indexes: Indexes,
    /// Why it is skipped.
    pub reason: String,
}

/// The cases of one test for one fork.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestCases {
    /// The test has no entry for the fork; the value lists the forks it does have.
    NoFork(Vec<String>),
    /// Cases built from the fork's `post` entries, in fixture order.
    Cases(Vec<std::result::Result<Case, BadCase>>),
}

/// Splits a fixture file into its tests (name → JSON), in file order of names.
pub fn parse_file(text: &str) -> Result<Vec<(String, Value)>> {
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(text).map_err(|e| FixtureError(format!("invalid JSON: {e}")))?;
    Ok(map.into_iter().collect())
}

fn resolve_env(raw: &RawEnv, config: Option<&RawConfig>, fork: Fork) -> Result<Env> {
    let blob_schedule = match config.and_then(|c| c.blob_schedule.as_ref()) {
        Some(schedule) => match schedule.get(fork_name(fork)) {
            Some(params) => Some(BlobSchedule {
                target: parse_u64(&params.target)?,
                max: parse_u64(&params.max)?,
                update_fraction: parse_u64(&params.base_fee_update_fraction)?,
            }),
            None => None,
        },
        None => None,
    };
    let chain_id = match config.and_then(|c| c.chainid.as_ref()) {
        Some(id) => parse_u64(id)?,
        None => 1,
    };
    Ok(Env {
        coinbase: parse_address(&raw.current_coinbase)?,
        gas_limit: parse_u64(&raw.current_gas_limit)?,
        number: parse_u64(&raw.current_number)?,
        timestamp: parse_u64(&raw.current_timestamp)?,
        base_fee: parse_opt(raw.current_base_fee.as_ref(), parse_u256)?,
        prev_randao: parse_opt(raw.current_random.as_ref(), parse_b256)?,
        difficulty: parse_opt(raw.current_difficulty.as_ref(), parse_u256)?.unwrap_or_default(),
        excess_blob_gas: parse_opt(raw.current_excess_blob_gas.as_ref(), parse_u64)?,
        blob_schedule,
        chain_id,
    })
}

fn pick<'a>(list: &'a [String], index: usize, what: &str) -> Result<&'a String> {
    list.get(index)
        .ok_or_else(|| FixtureError(format!("{what} index {index} out of range")))
}

fn resolve_tx(raw: &RawTransaction, indexes: Indexes, sender: Address) -> Result<TxInput> {
    let to = match raw.to.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(parse_address(text)?),
    };
    let access_list = match &raw.access_lists {
        Some(lists) => match lists.get(indexes.data) {
            Some(Some(items)) => Some(
                items
                    .iter()
                    .map(|item| {
                        Ok(AccessListItem {
                            address: parse_address(&item.address)?,
                            storage_keys: item
                                .storage_keys
                                .iter()
                                .map(|k| parse_b256(k))
                                .collect::<Result<_>>()?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Some(None) => None,
            None => return err(format!("accessLists index {} out of range", indexes.data)),
        },
        None => None,
    };
    let blob_versioned_hashes = match &raw.blob_versioned_hashes {
        Some(hashes) => hashes
            .iter()
            .map(|h| parse_b256(h))
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let authorization_list = match &raw.authorization_list {
        Some(list) => Some(
            list.iter()
                .map(RawAuthorization::resolve)
                .collect::<Result<_>>()?,
        ),
        None => None,
    };
    Ok(TxInput {
        sender,
        to,
        nonce: parse_u64(&raw.nonce)?,
        gas_limit: parse_u64(pick(&raw.gas_limit, indexes.gas, "gas")?)?,
        gas_price: parse_opt(raw.gas_price.as_ref(), parse_u256)?,
        max_fee_per_gas: parse_opt(raw.max_fee_per_gas.as_ref(), parse_u256)?,
        max_priority_fee_per_gas: parse_opt(raw.max_priority_fee_per_gas.as_ref(), parse_u256)?,
        value: parse_u256(pick(&raw.value, indexes.value, "value")?)?,
        data: parse_bytes(pick(&raw.data, indexes.data, "data")?)?,
        access_list,
        blob_versioned_hashes,
        max_fee_per_blob_gas: parse_opt(raw.max_fee_per_blob_gas.as_ref(), parse_u256)?,
        authorization_list,
        tx_bytes: None,
    })
}

fn resolve_sender(raw: &RawTransaction) -> Result<Address> {
    match (&raw.sender, &raw.secret_key) {
        (Some(sender), _) if !sender.trim().is_empty() => parse_address(sender),
        (_, Some(secret)) => address_of_secret_key(&parse_b256(secret)?),
        _ => err("transaction has neither sender nor secretKey"),
    }
}

fn resolve_case(
    raw_case: &RawPostCase,
    test: &RawTest,
    fork: Fork,
    env: &Env,
    pre: &BTreeMap<Address, AccountState>,
    sender: Address,
) -> Result<Case> {
    let indexes = Indexes {
        data: raw_case.indexes.data,
        gas: raw_case.indexes.gas,
        value: raw_case.indexes.value,
    };
    let mut tx = resolve_tx(&test.transaction, indexes, sender)?;
    tx.tx_bytes = parse_opt(raw_case.txbytes.as_ref(), parse_bytes)?;
    let expect = Expectation {
        state_root: parse_opt(raw_case.hash.as_ref(), parse_b256)?,
        logs_hash: parse_opt(raw_case.logs.as_ref(), parse_b256)?,
        exception: raw_case.expect_exception.clone(),
        state: raw_case.state.as_ref().map(resolve_state).transpose()?,
    };
    if expect.exception.is_none() && expect.state_root.is_none() && expect.state.is_none() {
        return err("post entry has neither hash nor state");
    }
    Ok(Case {
        indexes,
        input: CaseInput {
            fork,
            env: env.clone(),
            pre: pre.clone(),
            tx,
        },
        expect,
    })
}

/// Builds the cases of one test (`value`, as returned by [`parse_file`]) for `fork`.
pub fn test_cases(value: Value, fork: Fork) -> Result<TestCases> {
    let test: RawTest =
        serde_json::from_value(value).map_err(|e| FixtureError(format!("bad test: {e}")))?;
    let Some(raw_cases) = test.post.get(fork_name(fork)) else {
        return Ok(TestCases::NoFork(test.post.keys().cloned().collect()));
    };
    let env = resolve_env(&test.env, test.config.as_ref(), fork)?;
    let pre = resolve_state(&test.pre)?;
    let sender = resolve_sender(&test.transaction)?;
    let cases = raw_cases
        .iter()
        .map(|raw_case| {
            resolve_case(raw_case, &test, fork, &env, &pre, sender).map_err(|e| BadCase {
                indexes: Indexes {
                    data: raw_case.indexes.data,
                    gas: raw_case.indexes.gas,
                    value: raw_case.indexes.value,
                },
                reason: e.0,
            })
        })
        .collect();
    Ok(TestCases::Cases(cases))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkos_core::primitives::{address, b256};

    #[test]
    fn secret_key_of_the_usual_test_sender() {
        // ethereum/tests fixtures pair this secretKey with sender 0xa94f…0b.
        let secret = b256!("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
        assert_eq!(
            address_of_secret_key(&secret),
            Ok(address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b"))
        );
    }

    #[test]
    fn numbers_parse_in_hex_decimal_and_bigint_forms() {
        assert_eq!(parse_u256("0x"), Ok(U256::ZERO));
        assert_eq!(parse_u256("0x0186a0"), Ok(U256::from(100_000)));
        assert_eq!(parse_u256("100000"), Ok(U256::from(100_000)));
        assert_eq!(parse_u256("0x:bigint 0x10"), Ok(U256::from(16)));
        assert!(parse_u64("0x010000000000000000").is_err());
        assert!(parse_u256("0xzz").is_err());
    }

    const EEST_TEST: &str = r#"{
      "env": {"currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
              "currentGasLimit": "0x044aa200", "currentNumber": "0x01",
              "currentTimestamp": "0x03e8", "currentDifficulty": "0x00",
              "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000000000",
              "currentBaseFee": "0x07", "currentExcessBlobGas": "0x00"},
      "pre": {"0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b":
                {"nonce": "0x00", "balance": "0x3635c9adc5dea00000", "code": "0x", "storage": {}}},
      "transaction": {"nonce": "0x00", "maxFeePerGas": "0x07", "maxPriorityFeePerGas": "0x00",
              "gasLimit": ["0x0186a0"], "to": "0x0000000000000000000000000000000000001000",
              "value": ["0x00", "0x01"], "data": ["0x"], "accessLists": [[]],
              "authorizationList": [{"chainId": "0x00",
                  "address": "0x0000000000000000000000000000000000001000", "nonce": "0x01",
                  "v": "0x01", "r": "0x02", "s": "0x03",
                  "signer": "0x8a0a19589531694250d570040a0c4b74576919b8", "yParity": "0x01"}],
              "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8"},
      "post": {"Prague": [{"indexes": {"data": 0, "gas": 0, "value": 1},
                 "hash": "0x1111111111111111111111111111111111111111111111111111111111111111",
                 "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
                 "txbytes": "0x04",
                 "state": {"0x0000000000000000000000000000000000001000":
                    {"nonce": "0x01", "balance": "0x01", "code": "0x00", "storage": {"0x01": "0x02"}}}}]},
      "config": {"blobSchedule": {"Cancun": {"target": "0x03", "max": "0x06", "baseFeeUpdateFraction": "0x32f0ed"},
                                  "Prague": {"target": "0x06", "max": "0x09", "baseFeeUpdateFraction": "0x4c6964"}},
                 "chainid": "0x01"}
    }"#;

    #[test]
    fn execution_spec_tests_case_resolves_every_field() {
        let value: Value = serde_json::from_str(EEST_TEST).unwrap();
        assert_eq!(
            test_cases(value.clone(), Fork::Cancun),
            Ok(TestCases::NoFork(vec!["Prague".into()]))
        );
        let TestCases::Cases(cases) = test_cases(value, Fork::Prague).unwrap() else {
            panic!("expected Prague cases");
        };
        let [Ok(case)] = cases.as_slice() else {
            panic!("expected one good case, got {cases:?}");
        };
        let env = &case.input.env;
        assert_eq!(
            env.blob_schedule,
            Some(BlobSchedule {
                target: 6,
                max: 9,
                update_fraction: 5_007_716
            })
        );
        assert_eq!(env.chain_id, 1);
        assert_eq!(env.gas_limit, 72_000_000);
        let tx = &case.input.tx;
        // No "sender" field: derived from secretKey.
        assert_eq!(
            tx.sender,
            address!("a94f5374fce5edbc8e2a8697c15331677e6ebf0b")
        );
        assert_eq!(tx.value, U256::from(1));
        assert_eq!(tx.access_list, Some(vec![]));
        assert_eq!(tx.max_fee_per_gas, Some(U256::from(7)));
        assert_eq!(tx.gas_price, None);
        assert_eq!(tx.tx_bytes, Some(Bytes::from_static(&[4])));
        let auth = &tx.authorization_list.as_ref().unwrap()[0];
        assert_eq!(
            (auth.nonce, auth.y_parity, auth.r, auth.s),
            (1, 1, U256::from(2), U256::from(3))
        );
        let state = case.expect.state.as_ref().unwrap();
        let account = &state[&address!("0000000000000000000000000000000000001000")];
        assert_eq!(account.storage[&U256::from(1)], U256::from(2));
        assert_eq!(account.code, Bytes::from_static(&[0]));
    }

    #[test]
    fn authorization_numbers_may_be_json_numbers() {
        // Gnosis's execution-spec-tests fill writes `"chainId": 100` (and other fills may write
        // any tuple number so); the same tuple as text resolves the same.
        let mut value: Value = serde_json::from_str(EEST_TEST).unwrap();
        let tuple = &mut value["transaction"]["authorizationList"][0];
        tuple["chainId"] = 100.into();
        tuple["nonce"] = 1.into();
        tuple["yParity"] = 1.into();
        let TestCases::Cases(cases) = test_cases(value, Fork::Prague).unwrap() else {
            panic!("expected Prague cases");
        };
        let auth = &cases[0]
            .as_ref()
            .unwrap()
            .input
            .tx
            .authorization_list
            .as_ref()
            .unwrap()[0];
        assert_eq!(
            (auth.chain_id, auth.nonce, auth.y_parity),
            (U256::from(100), 1, 1)
        );
        let mut value: Value = serde_json::from_str(EEST_TEST).unwrap();
        value["transaction"]["authorizationList"][0]["nonce"] = true.into();
        assert!(test_cases(value, Fork::Prague).is_err());
    }

    #[test]
    fn out_of_range_index_is_a_bad_case_not_a_panic() {
        let mut value: Value = serde_json::from_str(EEST_TEST).unwrap();
        value["post"]["Prague"][0]["indexes"]["value"] = 7.into();
        let TestCases::Cases(cases) = test_cases(value, Fork::Prague).unwrap() else {
            panic!("expected Prague cases");
        };
        assert_eq!(
            cases[0].as_ref().unwrap_err().reason,
            "value index 7 out of range"
        );
    }
}
