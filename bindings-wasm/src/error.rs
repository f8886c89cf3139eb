//! JS errors: every failure reaches JS as an `Error` with a stable `code` property.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;
use zkos_core::engine::{EngineError, EstimateError};

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

/// The JS form of an engine error.
pub fn engine_error(error: &EngineError) -> JsValue {
    js_error(error.code(), &error.message())
}

/// The JS form of an estimation error; revert data goes into a `data` property.
pub fn estimate_error(error: &EstimateError) -> JsValue {
    let message = match error {
        EstimateError::Reverted { .. } => alloc_string("execution reverted"),
        EstimateError::OutOfGasAtCap { cap } => {
            format!("gas required exceeds allowance ({cap})")
        }
        EstimateError::OutOfNative => {
            alloc_string("native resource required exceeds what the gas cap can buy")
        }
        EstimateError::Halted(halt) => format!("execution halted: {halt:?}"),
        EstimateError::Invalid(e) => e.message(),
    };
    let js = js_error(error.code(), &message);
    if let EstimateError::Reverted { data } = error {
        let _ = Reflect::set(
            &js,
            &JsValue::from_str("data"),
            &JsValue::from_str(&crate::convert::hex_of(data)),
        );
    }
    js
}

fn alloc_string(s: &str) -> String {
    String::from(s)
}
