//! The JS surface as Node sees it: values cross as bigint and hex, errors carry stable codes.
#![cfg(target_arch = "wasm32")]

use js_sys::{BigInt, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use zkos_wasm::Engine;

const SENDER: &str = "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b";
/// Stores 1 in slot 0 when more than 50,000 gas is left at its `GAS` opcode, else reverts.
const GATED: &str = "0x00000000000000000000000000000000000c0de0";

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("object")
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).expect("set");
    }
    o.into()
}

fn big(v: u64) -> JsValue {
    JsValue::from(v)
}

fn engine() -> Engine {
    let mut engine = Engine::new(obj(&[("flow", JsValue::from_str("ethereum"))])).expect("engine");
    engine
        .set_account(
            JsValue::from_str(SENDER),
            obj(&[("balance", big(1_000_000_000_000_000_000))]),
        )
        .expect("sender");
    engine
        .set_account(
            JsValue::from_str(GATED),
            obj(&[(
                "code",
                JsValue::from_str("0x6200c3505a11600d57600080fd5b600160005500"),
            )]),
        )
        .expect("contract");
    engine
}

fn code_of(error: JsValue) -> String {
    get(&error, "code").as_string().expect("code property")
}

#[wasm_bindgen_test]
fn quantities_cross_as_bigint() {
    let engine = engine();
    let account = engine.get_account(JsValue::from_str(SENDER)).expect("read");
    let balance = get(&account, "balance");
    assert!(balance.is_bigint());
    assert_eq!(
        balance
            .dyn_into::<BigInt>()
            .expect("bigint")
            .to_string(10)
            .expect("text"),
        "1000000000000000000"
    );
    let request = obj(&[
        ("from", JsValue::from_str(SENDER)),
        ("to", JsValue::from_str(GATED)),
    ]);
    let result = engine
        .call(request.clone(), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .expect("call");
    // 21000 + 3 + 2 + 3 + 3 + 10 + 1 + 3 + 3 + 22100 (cold SSTORE 0 -> 1).
    assert_eq!(get(&result, "gasUsed"), big(43_128));
    let estimate = engine
        .estimate_gas(request, JsValue::UNDEFINED)
        .expect("estimate");
    let limit = u64::try_from(
        get(&estimate, "gasLimit")
            .dyn_into::<BigInt>()
            .expect("bigint"),
    )
    .expect("u64");
    assert!((71_006..=72_071).contains(&limit), "{limit}");
}

#[wasm_bindgen_test]
fn errors_carry_stable_codes() {
    let mut engine = engine();
    let err = engine
        .get_account(JsValue::from_str("0x1234"))
        .expect_err("short address");
    assert_eq!(code_of(err), "ZKOS_BAD_INPUT");
    let err = engine
        .send_raw_transaction(JsValue::from_str("0x02c0"))
        .expect_err("not a transaction");
    assert_eq!(code_of(err), "ZKOS_TX_DECODE");
    let request = obj(&[
        ("from", JsValue::from_str(SENDER)),
        ("to", JsValue::from_str(GATED)),
        ("gas", big(30_000)),
    ]);
    let err = engine
        .estimate_gas(request, JsValue::UNDEFINED)
        .expect_err("gate closed");
    assert_eq!(code_of(err.clone()), "ZKOS_ESTIMATE_REVERTED");
    assert_eq!(get(&err, "data").as_string().as_deref(), Some("0x"));
    let err = engine
        .trace_call(
            obj(&[("to", JsValue::from_str(GATED))]),
            obj(&[("tracer", JsValue::from_str("nope"))]),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .expect_err("unknown tracer");
    assert_eq!(code_of(err), "ZKOS_BAD_INPUT");
}
