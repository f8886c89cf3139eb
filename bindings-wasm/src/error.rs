//! JS errors: every failure reaches JS as an `Error` with a stable `code` property.

use js_sys::{Array, Error, Object, Reflect};
use wasm_bindgen::JsValue;
use zkos_core::engine::{EngineError, EstimateError, StateKey};
use zkos_core::primitives::hex;

/// Code of input the bindings could not translate (wrong type, bad hex, out of range).
pub const BAD_INPUT_CODE: &str = "ZKOS_BAD_INPUT";

/// An `Error` with `message` and a `code` property.
pub fn js_error(code: &str, message: &str) -> JsValue {
    let error = Error::new(message);
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error.into()
}

/// A bad-input error naming what was wrong.
pub fn bad_input(what: &str) -> JsValue {
    js_error(BAD_INPUT_CODE, what)
}

/// The JS form of an engine error; decode, signature and validity errors also carry a
/// `reason` property naming the rule (e.g. `NonceTooLow`), a pause for state of a forked chain
/// a `needs` property (the keys to fetch and supply).
pub fn engine_error(error: &EngineError) -> JsValue {
    let js = js_error(error.code(), &error.message());
    if let EngineError::StateNeeded(keys) = error {
        let _ = Reflect::set(&js, &JsValue::from_str("needs"), &state_keys(keys));
    }
    if let Some(reason) = error.reason() {
        let _ = Reflect::set(
            &js,
            &JsValue::from_str("reason"),
            &JsValue::from_str(reason),
        );
    }
    js
}

/// The JS form of an estimation error; revert data goes into a `data` property.
pub fn estimate_error(error: &EstimateError) -> JsValue {
    let message = match error {
        EstimateError::Reverted { .. } => String::from("execution reverted"),
        EstimateError::OutOfGasAtCap { cap } => {
            format!("gas required exceeds allowance ({cap})")
        }
        EstimateError::OutOfNative => {
            String::from("native resource required exceeds what the gas cap can buy")
        }
        EstimateError::Halted(halt) => format!("execution halted: {halt}"),
        EstimateError::Invalid(e) => return engine_error(e),
    };
    let js = js_error(error.code(), &message);
    if let EstimateError::Reverted { data } = error {
        let _ = Reflect::set(
            &js,
            &JsValue::from_str("data"),
            &JsValue::from_str(&hex::encode_prefixed(data)),
        );
    }
    js
}

/// Keys of a forked chain's state the engine asks for, in the fork fetcher's shape:
/// `{kind: 'account', address}`, `{kind: 'storage', address, slot}` (32-byte hex) or
/// `{kind: 'blockHash', number}` (a bigint).
pub fn state_keys(keys: &[StateKey]) -> JsValue {
    keys.iter().map(state_key).collect::<Array>().into()
}

fn state_key(key: &StateKey) -> JsValue {
    let object = Object::new();
    let set = |name: &str, value: JsValue| {
        // Defining a property on a plain object cannot fail.
        let _ = Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    let text = |bytes: &[u8]| JsValue::from_str(&hex::encode_prefixed(bytes));
    match key {
        StateKey::Account(address) => {
            set("kind", JsValue::from_str("account"));
            set("address", text(address.as_slice()));
        }
        StateKey::Storage(address, slot) => {
            set("kind", JsValue::from_str("storage"));
            set("address", text(address.as_slice()));
            set("slot", text(&slot.to_be_bytes::<32>()));
        }
        StateKey::BlockHash(number) => {
            set("kind", JsValue::from_str("blockHash"));
            set("number", JsValue::from(*number));
        }
    }
    object.into()
}
