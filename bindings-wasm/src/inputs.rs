//! JS request objects → engine requests.

use crate::convert::{
    address, b256, bytes, entries, field, items, opt, quantity, small, u128_of, u64_of, Js,
};
use crate::error::bad_input;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use zkos_core::config::{ChainConfig, FlowKind, Hardfork, ProtocolVersion};
use zkos_core::engine::{
    AccountInput, AccountOverride, BlobSchedule, BlobSchedules, BlockOverrides, BlockParams,
    BlockTx, FeeParams, StateOverride, TxRequest,
};
use zkos_core::primitives::{B256, U256};
use zkos_core::tx::{AccessListItem, Authorization};

/// `{chainId?, flow?: "zk"|"ethereum", hardfork?: "cancun"|"prague"|"osaka", protocolVersion?:
/// 1|2, baseFee?, nativePrice?, pubdataPrice?, blockGasLimit?, pubdataLimit?, coinbase?,
/// rpcGasCap?}`; the flow defaults to `default_flow(chainId)`, the hardfork and protocol
/// version to the flow's
/// ([`FlowKind::default_hardfork`], [`FlowKind::default_protocol_version`]), the last is
/// returned apart (`None`: the engine's default).
pub fn engine_config(
    value: &JsValue,
    default_flow: fn(u64) -> FlowKind,
) -> Js<(ChainConfig, FeeParams, Option<u64>)> {
    let chain_id = opt(value, "chainId", u64_of)?.unwrap_or(1);
    let flow = match field(value, "flow").and_then(|v| v.as_string()).as_deref() {
        None => default_flow(chain_id),
        Some("zk") => FlowKind::Zk,
        Some("ethereum") => FlowKind::Ethereum,
        Some(_) => return Err(bad_input("flow: expected \"zk\" or \"ethereum\"")),
    };
    let hardfork = match field(value, "hardfork")
        .and_then(|v| v.as_string())
        .as_deref()
    {
        None => flow.default_hardfork(),
        Some("cancun") => Hardfork::Cancun,
        Some("prague") => Hardfork::Prague,
        Some("osaka") => Hardfork::Osaka,
        Some(_) => return Err(bad_input("hardfork: expected cancun, prague or osaka")),
    };
    let protocol_version = match opt(value, "protocolVersion", u64_of)? {
        None => flow.default_protocol_version(),
        Some(number) => ProtocolVersion::from_number(number)
            .ok_or_else(|| bad_input("protocolVersion: expected 1 or 2"))?,
    };
    if !flow.runs(protocol_version) {
        return Err(bad_input(
            "protocolVersion: the ethereum flow runs protocol version 1 only",
        ));
    }
    let config = ChainConfig {
        chain_id,
        flow,
        hardfork,
        protocol_version,
    };
    let defaults = FeeParams::default();
    let fees = FeeParams {
        base_fee: opt(value, "baseFee", quantity)?.unwrap_or(defaults.base_fee),
        native_price: opt(value, "nativePrice", quantity)?.unwrap_or(defaults.native_price),
        pubdata_price: opt(value, "pubdataPrice", quantity)?.unwrap_or(defaults.pubdata_price),
        block_gas_limit: opt(value, "blockGasLimit", u64_of)?.unwrap_or(defaults.block_gas_limit),
        pubdata_limit: opt(value, "pubdataLimit", u64_of)?.unwrap_or(defaults.pubdata_limit),
        coinbase: opt(value, "coinbase", address)?.unwrap_or(defaults.coinbase),
    };
    Ok((config, fees, opt(value, "rpcGasCap", u64_of)?))
}

/// The config's `blobSchedule` (EIP-7840's shape): `{cancun?, prague?, osaka?: {target, max,
/// baseFeeUpdateFraction}}` and blob-parameter-only forks under any other name (`bpo1`, …) with
/// their activation `timestamp` as well; core checks each schedule.
pub fn blob_schedules(config: &JsValue) -> Js<Option<BlobSchedules>> {
    let Some(value) = field(config, "blobSchedule") else {
        return Ok(None);
    };
    let mut per_fork = [None; 3];
    let mut scheduled = Vec::new();
    for (name, entry) in entries(&value, "blobSchedule")? {
        let what = format!("blobSchedule.{name}");
        let need = |key: &str| {
            field(&entry, key)
                .ok_or_else(|| bad_input(&format!("{what}.{key} missing")))
                .and_then(|v| u64_of(&v, &what))
        };
        let schedule = BlobSchedule {
            target: need("target")?,
            max: need("max")?,
            update_fraction: need("baseFeeUpdateFraction")?,
        };
        match name.as_str() {
            "cancun" => per_fork[0] = Some(schedule),
            "prague" => per_fork[1] = Some(schedule),
            "osaka" => per_fork[2] = Some(schedule),
            _ => scheduled.push((need("timestamp")?, schedule)),
        }
    }
    BlobSchedules::new(per_fork, scheduled)
        .map(Some)
        .map_err(|rule| bad_input(&format!("blobSchedule: {rule}")))
}

/// `{[slot]: value}` with hex/decimal slot keys (a key given twice keeps its last value).
fn slots(value: &JsValue, what: &str) -> Js<BTreeMap<U256, U256>> {
    // Inserted one by one: collecting into a map sorts first, and each sort is kilobytes of wasm.
    let mut slots = BTreeMap::new();
    for (key, v) in entries(value, what)? {
        let key = quantity(&JsValue::from_str(&key), what)?;
        slots.insert(key, quantity(&v, what)?);
    }
    Ok(slots)
}

/// `{balance?, nonce?, code?, storage?}`.
pub fn account_input(value: &JsValue) -> Js<AccountInput> {
    Ok(AccountInput {
        balance: opt(value, "balance", quantity)?.unwrap_or_default(),
        nonce: opt(value, "nonce", u64_of)?.unwrap_or_default(),
        code: opt(value, "code", bytes)?.unwrap_or_default(),
        storage: opt(value, "storage", slots)?
            .unwrap_or_default()
            .into_iter()
            .collect(),
    })
}

fn access_list(value: &JsValue, what: &str) -> Js<Vec<AccessListItem>> {
    items(value, what)?
        .iter()
        .map(|item| {
            let address = field(item, "address")
                .ok_or_else(|| bad_input("accessList: address missing"))
                .and_then(|a| address(&a, "accessList.address"))?;
            let storage_keys = match field(item, "storageKeys") {
                Some(keys) => items(&keys, "accessList.storageKeys")?
                    .iter()
                    .map(|k| b256(k, "accessList.storageKeys"))
                    .collect::<Js<Vec<B256>>>()?,
                None => Vec::new(),
            };
            Ok(AccessListItem {
                address,
                storage_keys,
            })
        })
        .collect()
}

/// One field of an authorization, which must be there.
fn required<T>(item: &JsValue, key: &str, f: impl Fn(&JsValue, &str) -> Js<T>) -> Js<T> {
    let what = format!("authorizationList.{key}");
    match field(item, key) {
        Some(v) => f(&v, &what),
        None => Err(bad_input(&format!("{what} missing"))),
    }
}

/// EIP-7702 authorizations as JSON-RPC writes them: `[{chainId, address, nonce, yParity, r, s}]`.
fn authorization_list(value: &JsValue, what: &str) -> Js<Vec<Authorization>> {
    items(value, what)?
        .iter()
        .map(|item| {
            Ok(Authorization {
                chain_id: required(item, "chainId", quantity)?,
                address: required(item, "address", address)?,
                nonce: required(item, "nonce", u64_of)?,
                y_parity: required(item, "yParity", small::<u8>)?,
                r: required(item, "r", quantity)?,
                s: required(item, "s", quantity)?,
            })
        })
        .collect()
}

/// `{from?, to?, data?|input?, value?, gas?, gasPrice?, maxFeePerGas?, maxPriorityFeePerGas?,
/// nonce?, accessList?, authorizationList?}`.
pub fn call_request(value: &JsValue) -> Js<TxRequest> {
    if !value.is_object() {
        return Err(bad_input("request: expected an object"));
    }
    let data = match opt(value, "data", bytes)? {
        Some(data) => data,
        None => opt(value, "input", bytes)?.unwrap_or_default(),
    };
    Ok(TxRequest {
        from: opt(value, "from", address)?,
        to: opt(value, "to", address)?,
        data,
        value: opt(value, "value", quantity)?.unwrap_or_default(),
        gas: opt(value, "gas", u64_of)?,
        gas_price: opt(value, "gasPrice", u128_of)?,
        max_fee_per_gas: opt(value, "maxFeePerGas", u128_of)?,
        max_priority_fee_per_gas: opt(value, "maxPriorityFeePerGas", u128_of)?,
        nonce: opt(value, "nonce", u64_of)?,
        access_list: opt(value, "accessList", access_list)?.unwrap_or_default(),
        authorization_list: opt(value, "authorizationList", authorization_list)?
            .unwrap_or_default(),
    })
}

/// geth's state override: `{[address]: {balance?, nonce?, code?, state?, stateDiff?}}`.
pub fn state_override(value: &JsValue) -> Js<StateOverride> {
    let mut overrides = StateOverride::new();
    if value.is_undefined() || value.is_null() {
        return Ok(overrides);
    }
    // Inserted one by one, as in `slots`.
    for (key, o) in entries(value, "stateOverride")? {
        let account = address(&JsValue::from_str(&key), "stateOverride")?;
        let account_override = AccountOverride {
            balance: opt(&o, "balance", quantity)?,
            nonce: opt(&o, "nonce", u64_of)?,
            code: opt(&o, "code", bytes)?,
            state: opt(&o, "state", slots)?,
            state_diff: opt(&o, "stateDiff", slots)?.unwrap_or_default(),
        };
        overrides.insert(account, account_override);
    }
    Ok(overrides)
}

/// What a simulation at a block takes (`call`, `createAccessList` and their jobs).
pub struct Simulated {
    /// The request.
    pub request: TxRequest,
    /// State overrides.
    pub overrides: StateOverride,
    /// Block overrides.
    pub block: Option<BlockOverrides>,
    /// The block whose state it reads (`None`: the head).
    pub at: Option<u64>,
}

/// The four arguments of a simulation at a block, read in order.
pub fn simulated(
    request: &JsValue,
    state: &JsValue,
    block: &JsValue,
    at: &JsValue,
) -> Js<Simulated> {
    Ok(Simulated {
        request: call_request(request)?,
        overrides: state_override(state)?,
        block: block_overrides(block)?,
        at: state_block(at)?,
    })
}

/// The block whose state a request reads: a block number, or `undefined`/`null` for the head.
pub fn state_block(value: &JsValue) -> Js<Option<u64>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    u64_of(value, "block").map(Some)
}

/// `{number?, timestamp?|time?, coinbase?, baseFee?|baseFeePerGas?, gasLimit?, prevrandao?}`.
pub fn block_overrides(value: &JsValue) -> Js<Option<BlockOverrides>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    Ok(Some(BlockOverrides {
        number: opt(value, "number", u64_of)?,
        timestamp: match opt(value, "timestamp", u64_of)? {
            Some(t) => Some(t),
            None => opt(value, "time", u64_of)?,
        },
        coinbase: opt(value, "coinbase", address)?,
        base_fee: match opt(value, "baseFee", quantity)? {
            Some(f) => Some(f),
            None => opt(value, "baseFeePerGas", quantity)?,
        },
        gas_limit: opt(value, "gasLimit", u64_of)?,
        prevrandao: opt(value, "prevrandao", b256)?,
    }))
}

/// `{baseFee?, coinbase?, gasLimit?}`: the block parameters `setBlockParams` changes.
pub fn block_params(value: &JsValue) -> Js<BlockParams> {
    Ok(BlockParams {
        base_fee: opt(value, "baseFee", quantity)?,
        coinbase: opt(value, "coinbase", address)?,
        gas_limit: opt(value, "gasLimit", u64_of)?,
    })
}

/// A block transaction: a raw signed envelope (hex string or `Uint8Array`) or a request object
/// (impersonated, sent as its `from`).
pub fn block_tx(value: &JsValue) -> Js<BlockTx> {
    if value.is_string() || value.is_instance_of::<js_sys::Uint8Array>() {
        return Ok(BlockTx::Raw(bytes(value, "transaction")?));
    }
    Ok(BlockTx::Request(Box::new(call_request(value)?)))
}
