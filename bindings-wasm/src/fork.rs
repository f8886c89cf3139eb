//! Fork mode's values across the boundary: the fork block in, the keys the engine asks for out,
//! the values the host fetched in. Keys and values have the fork fetcher's shapes (npm
//! `ForkKey`/`ForkValue`; keys out are built by `error::state_keys`): `{kind: 'account', address}`, `{kind: 'storage', address, slot}`,
//! `{kind: 'blockHash', number}`.

use crate::convert::{address, b256, bytes, field, items, opt, quantity, u64_of, Js};
use crate::error::bad_input;
use wasm_bindgen::JsValue;
use zkos_core::engine::{FeeParams, ForkPoint, ForkValue, StateKey};

/// The fork block from the fetcher's header `{number, hash, parentHash, stateRoot, timestamp,
/// gasLimit, gasUsed, baseFeePerGas?, blobGasUsed?, excessBlobGas?, miner, mixHash}`.
pub fn fork_point(value: &JsValue) -> Js<ForkPoint> {
    if !value.is_object() {
        return Err(bad_input("fork block: expected an object"));
    }
    let need = |key: &str| {
        field(value, key).ok_or_else(|| bad_input(&format!("fork block: {key} missing")))
    };
    Ok(ForkPoint {
        number: u64_of(&need("number")?, "fork block number")?,
        hash: b256(&need("hash")?, "fork block hash")?,
        parent_hash: b256(&need("parentHash")?, "fork block parentHash")?,
        timestamp: u64_of(&need("timestamp")?, "fork block timestamp")?,
        base_fee: opt(value, "baseFeePerGas", quantity)?.unwrap_or_default(),
        gas_limit: u64_of(&need("gasLimit")?, "fork block gasLimit")?,
        gas_used: u64_of(&need("gasUsed")?, "fork block gasUsed")?,
        blob_gas_used: opt(value, "blobGasUsed", u64_of)?.unwrap_or_default(),
        excess_blob_gas: opt(value, "excessBlobGas", u64_of)?.unwrap_or_default(),
        coinbase: address(&need("miner")?, "fork block miner")?,
        prevrandao: b256(&need("mixHash")?, "fork block mixHash")?,
        state_root: opt(value, "stateRoot", b256)?.unwrap_or_default(),
    })
}

/// The fee parameters of blocks built on `point`: what `config` gives, else the fork block's
/// successor (its EIP-1559 base fee, its coinbase and gas limit).
pub fn fork_fees(config: &JsValue, mut fees: FeeParams, point: &ForkPoint) -> FeeParams {
    if field(config, "baseFee").is_none() {
        fees.base_fee = point.next_base_fee();
    }
    if field(config, "coinbase").is_none() {
        fees.coinbase = point.coinbase;
    }
    if field(config, "blockGasLimit").is_none() {
        fees.block_gas_limit = point.gas_limit;
    }
    fees
}

/// One fetched value with the key it answers: `{kind: 'account', address, balance, nonce,
/// code, hasStorage?}`, `{kind: 'storage', address, slot, value}` or `{kind: 'blockHash',
/// number, hash}`.
fn value(item: &JsValue) -> Js<(StateKey, ForkValue)> {
    let need =
        |key: &str| field(item, key).ok_or_else(|| bad_input(&format!("value: {key} missing")));
    let kind = need("kind")?.as_string().unwrap_or_default();
    match kind.as_str() {
        "account" => Ok((
            StateKey::Account(address(&need("address")?, "value.address")?),
            ForkValue::Account {
                nonce: u64_of(&need("nonce")?, "value.nonce")?,
                balance: quantity(&need("balance")?, "value.balance")?,
                code: bytes(&need("code")?, "value.code")?,
                has_storage: field(item, "hasStorage").is_some_and(|v| v.is_truthy()),
            },
        )),
        "storage" => Ok((
            StateKey::Storage(
                address(&need("address")?, "value.address")?,
                quantity(&need("slot")?, "value.slot")?,
            ),
            ForkValue::Slot(quantity(&need("value")?, "value.value")?),
        )),
        "blockHash" => Ok((
            StateKey::BlockHash(u64_of(&need("number")?, "value.number")?),
            ForkValue::BlockHash(b256(&need("hash")?, "value.hash")?),
        )),
        _ => Err(bad_input(
            "value.kind: expected \"account\", \"storage\" or \"blockHash\"",
        )),
    }
}

/// A JS array of fetched values.
pub fn values(list: &JsValue) -> Js<Vec<(StateKey, ForkValue)>> {
    items(list, "values")?.iter().map(value).collect()
}

/// A JS array of keys in the fetcher's shape.
pub fn key_list(list: &JsValue) -> Js<Vec<StateKey>> {
    items(list, "keys")?
        .iter()
        .map(|item| {
            let need = |key: &str| {
                field(item, key).ok_or_else(|| bad_input(&format!("key: {key} missing")))
            };
            match need("kind")?.as_string().as_deref() {
                Some("account") => Ok(StateKey::Account(address(
                    &need("address")?,
                    "key.address",
                )?)),
                Some("storage") => Ok(StateKey::Storage(
                    address(&need("address")?, "key.address")?,
                    quantity(&need("slot")?, "key.slot")?,
                )),
                Some("blockHash") => {
                    Ok(StateKey::BlockHash(u64_of(&need("number")?, "key.number")?))
                }
                _ => Err(bad_input(
                    "key.kind: expected \"account\", \"storage\" or \"blockHash\"",
                )),
            }
        })
        .collect()
}
