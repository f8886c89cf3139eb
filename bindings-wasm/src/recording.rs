//! Bulk recording of a session's steps into typed arrays (see `zkos_core::engine::StepRecorder`).

use crate::convert::{addr, array, Obj};
use crate::error::{bad_input, engine_error};
use crate::outputs;
use crate::session::Session;
use js_sys::{Float64Array, Uint16Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use zkos_core::engine::{StepColumns, MAX_RECORD_STEPS};

/// `values` as a `Float64Array` (exact: ergs and native stay below 2^53).
fn floats<T: Copy>(values: &[T], to_f64: impl Fn(T) -> f64) -> Float64Array {
    let converted: Vec<f64> = values.iter().map(|v| to_f64(*v)).collect();
    Float64Array::from(converted.as_slice())
}

fn columns(c: &StepColumns, done: bool) -> JsValue {
    Obj::new()
        .set("count", JsValue::from_f64(c.len() as f64))
        .set("done", JsValue::from_bool(done))
        .set("pc", Uint32Array::from(c.pc.as_slice()).into())
        .set("op", Uint16Array::from(c.opcode.as_slice()).into())
        .set("depth", Uint16Array::from(c.depth.as_slice()).into())
        .set("phase", Uint8Array::from(c.phase.as_slice()).into())
        .set("tx", Uint32Array::from(c.tx.as_slice()).into())
        .set("code", Uint16Array::from(c.code.as_slice()).into())
        .set("ergs", floats(&c.ergs, |v| v as f64).into())
        .set("ergsCost", floats(&c.ergs_cost, |v| v as f64).into())
        .set("native", floats(&c.native, |v| v as f64).into())
        .set("nativeCost", floats(&c.native_cost, |v| v as f64).into())
        .build()
}

#[wasm_bindgen]
impl Session {
    /// Takes up to `maxSteps` steps (at most 262,144 a call) and returns them as typed columns
    /// `{count, done, pc, op, depth, phase, tx, code, ergs, ergsCost, native, nativeCost}`
    /// (`op` 256 for a bootloader step, `code` an index into `recordedCodes()` or 65535,
    /// `phase` 0–6 from validation to finished); `done` once the session has ended. Costs are
    /// what the step charged its transaction; recording continues from call to call.
    #[wasm_bindgen(js_name = recordSteps)]
    pub fn record_steps(&mut self, max_steps: f64) -> Result<JsValue, JsValue> {
        if !(0.0..=MAX_RECORD_STEPS as f64).contains(&max_steps) || max_steps.fract() != 0.0 {
            return Err(bad_input(&format!(
                "maxSteps: expected an integer from 0 to {MAX_RECORD_STEPS}"
            )));
        }
        let recorded = self
            .recorder
            .record(&mut self.inner, max_steps as u64)
            .map_err(|e| engine_error(&e))?;
        Ok(columns(&recorded, self.inner.finished()))
    }

    /// The codes `recordSteps`' `code` column indexes: `[{address, init}]` (`init`: a
    /// deployment's init code running at the address being created).
    #[wasm_bindgen(js_name = recordedCodes)]
    pub fn recorded_codes(&self) -> JsValue {
        array(self.recorder.codes(), |c| {
            Obj::new()
                .set("address", addr(&c.address))
                .set("init", JsValue::from_bool(c.init))
                .build()
        })
    }

    /// Per transaction validated so far while recording: `{budget, gas, error}` (as
    /// `nativeBudget()`, `gasBreakdown()` and the error `result()` throws; `null` when absent).
    #[wasm_bindgen(js_name = recordedTransactions)]
    pub fn recorded_transactions(&self) -> JsValue {
        array(self.recorder.transactions(), |t| {
            Obj::new()
                .set(
                    "budget",
                    t.budget
                        .as_ref()
                        .map_or(JsValue::NULL, outputs::native_budget),
                )
                .set(
                    "gas",
                    t.gas.as_ref().map_or(JsValue::NULL, outputs::gas_breakdown),
                )
                .set(
                    "error",
                    t.error.as_ref().map_or(JsValue::NULL, engine_error),
                )
                .build()
        })
    }
}
