//! JS errors: every failure reaches JS as an `Error` with a stable `code` property.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;
use zkos_core::engine::{EngineError, EstimateError};
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
        let _ = Reflect::set(&js, &JsValue::from_str("needs"), &crate::fork::keys(keys));
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
