//! Translation between JS values and engine values: addresses, hashes and bytes as `0x` hex
//! strings (bytes also as `Uint8Array`), quantities as `bigint` (also accepted: safe integer
//! numbers, `0x` hex and decimal strings).

use crate::error::bad_input;
use js_sys::{Array, BigInt, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use zkos_core::primitives::{hex, Address, Bytes, B256, U256};

/// Result of a translation.
pub type Js<T> = Result<T, JsValue>;

/// `obj[key]`, or `None` when it is `undefined` or `null`.
pub fn field(obj: &JsValue, key: &str) -> Option<JsValue> {
    if !obj.is_object() {
        return None;
    }
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// `0x`-prefixed lower-case hex of `bytes`.
pub fn hex_of(bytes: &[u8]) -> String {
    hex::encode_prefixed(bytes)
}

/// Bytes from a `0x` hex string or a `Uint8Array`.
pub fn bytes(value: &JsValue, what: &str) -> Js<Bytes> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(Bytes::from(array.to_vec()));
    }
    let text = value
        .as_string()
        .ok_or_else(|| bad_input(&format!("{what}: expected a 0x hex string or Uint8Array")))?;
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or_else(|| bad_input(&format!("{what}: hex must start with 0x")))?;
    hex::decode(digits)
        .map(Bytes::from)
        .map_err(|_| bad_input(&format!("{what}: invalid hex")))
}

/// An address from a 20-byte hex string.
pub fn address(value: &JsValue, what: &str) -> Js<Address> {
    let raw = bytes(value, what)?;
    if raw.len() != 20 {
        return Err(bad_input(&format!("{what}: an address is 20 bytes")));
    }
    Ok(Address::from_slice(&raw))
}

/// A 32-byte hash from a hex string.
pub fn b256(value: &JsValue, what: &str) -> Js<B256> {
    let raw = bytes(value, what)?;
    if raw.len() != 32 {
        return Err(bad_input(&format!("{what}: a hash is 32 bytes")));
    }
    Ok(B256::from_slice(&raw))
}

/// A non-negative integer below 2^256 from a bigint, a safe integer, or a hex/decimal string.
pub fn quantity(value: &JsValue, what: &str) -> Js<U256> {
    let bad = || {
        bad_input(&format!(
            "{what}: expected a non-negative integer below 2^256"
        ))
    };
    if let Some(big) = value.dyn_ref::<BigInt>() {
        let text: String = big.to_string(16).map_err(|_| bad())?.into();
        return U256::from_str_radix(&text, 16).map_err(|_| bad());
    }
    if let Some(number) = value.as_f64() {
        let safe = number >= 0.0 && number.fract() == 0.0 && number <= 9_007_199_254_740_991.0;
        return if safe {
            Ok(U256::from(number as u64))
        } else {
            Err(bad())
        };
    }
    let text = value.as_string().ok_or_else(bad)?;
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(digits) if !digits.is_empty() => U256::from_str_radix(digits, 16).map_err(|_| bad()),
        Some(_) => Err(bad()),
        None if !text.is_empty() => U256::from_str_radix(&text, 10).map_err(|_| bad()),
        None => Err(bad()),
    }
}

/// A quantity that must fit `u64`.
pub fn u64_of(value: &JsValue, what: &str) -> Js<u64> {
    u64::try_from(quantity(value, what)?).map_err(|_| bad_input(&format!("{what}: above 2^64")))
}

/// A quantity that must fit `T` (a small unsigned integer type).
pub fn small<T: TryFrom<u64>>(value: &JsValue, what: &str) -> Js<T> {
    T::try_from(u64_of(value, what)?).map_err(|_| bad_input(&format!("{what}: out of range")))
}

/// `obj[key]` as a boolean: `false` when absent, an error when not a boolean.
pub fn flag(obj: &JsValue, key: &str) -> Js<bool> {
    match field(obj, key) {
        None => Ok(false),
        Some(value) => value
            .as_bool()
            .ok_or_else(|| bad_input(&format!("{key}: expected a boolean"))),
    }
}

/// `obj[key]` as a string, or `None` when absent; an error when not a string.
pub fn text(obj: &JsValue, key: &str) -> Js<Option<String>> {
    field(obj, key)
        .map(|value| {
            value
                .as_string()
                .ok_or_else(|| bad_input(&format!("{key}: expected a string")))
        })
        .transpose()
}

/// An options object: `undefined` and `null` are empty, anything but an object is an error.
pub fn options_object(value: &JsValue, what: &str) -> Js<()> {
    if value.is_undefined() || value.is_null() || value.is_object() {
        Ok(())
    } else {
        Err(bad_input(&format!("{what}: expected an object")))
    }
}

/// A quantity that must fit `u128`.
pub fn u128_of(value: &JsValue, what: &str) -> Js<u128> {
    u128::try_from(quantity(value, what)?).map_err(|_| bad_input(&format!("{what}: above 2^128")))
}

/// `obj[key]` translated by `f`, or `None` when absent.
pub fn opt<T>(obj: &JsValue, key: &str, f: impl Fn(&JsValue, &str) -> Js<T>) -> Js<Option<T>> {
    field(obj, key).map(|v| f(&v, key)).transpose()
}

/// A JS `bigint` of `value`.
pub fn big(value: U256) -> JsValue {
    BigInt::new(&JsValue::from_str(&format!("{value:#x}")))
        .map(JsValue::from)
        .unwrap_or(JsValue::UNDEFINED)
}

/// A JS `bigint` of a `u64`.
pub fn big64(value: u64) -> JsValue {
    JsValue::from(value)
}

/// `0x` hex of an address.
pub fn addr(value: &Address) -> JsValue {
    JsValue::from_str(&hex_of(value.as_slice()))
}

/// `0x` hex of a hash.
pub fn hash(value: &B256) -> JsValue {
    JsValue::from_str(&hex_of(value.as_slice()))
}

/// `0x` hex of bytes.
pub fn data(value: &[u8]) -> JsValue {
    JsValue::from_str(&hex_of(value))
}

/// A plain JS object filled field by field.
pub struct Obj(Object);

impl Obj {
    /// An empty object.
    pub fn new() -> Self {
        Self(Object::new())
    }

    /// Sets `key` to `value`.
    pub fn set(self, key: &str, value: JsValue) -> Self {
        // Defining a property on a plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value);
        self
    }

    /// Sets `key` to `value`, or to `null` when absent.
    pub fn set_opt(self, key: &str, value: Option<JsValue>) -> Self {
        self.set(key, value.unwrap_or(JsValue::NULL))
    }

    /// The object.
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}

/// A JS array of the translated items.
pub fn array<T>(items: &[T], f: impl Fn(&T) -> JsValue) -> JsValue {
    items.iter().map(f).collect::<Array>().into()
}

/// The items of a JS array.
pub fn items(value: &JsValue, what: &str) -> Js<Vec<JsValue>> {
    if !Array::is_array(value) {
        return Err(bad_input(&format!("{what}: expected an array")));
    }
    Ok(Array::from(value).iter().collect())
}

/// `(key, value)` pairs of a plain object.
pub fn entries(value: &JsValue, what: &str) -> Js<Vec<(String, JsValue)>> {
    let object = value
        .dyn_ref::<Object>()
        .ok_or_else(|| bad_input(&format!("{what}: expected an object")))?;
    Object::entries(object)
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            let key = pair
                .get(0)
                .as_string()
                .ok_or_else(|| bad_input(&format!("{what}: keys must be strings")))?;
            Ok((key, pair.get(1)))
        })
        .collect()
}
