//! The engine's curve backend in the npm package: the curve precompiles' arithmetic runs in a
//! second wasm module (`bindings-wasm/curves/`, the same `zkos-core` code) that the package loads on
//! first use, reached through the `zkosCurveHost` object the package gives each instance.

use wasm_bindgen::prelude::*;
use zkos_core::engine::{CurveBackend, CurveOp, CurvesNotLoaded};

#[wasm_bindgen]
extern "C" {
    /// Whether the curve module is loaded; where it can be compiled synchronously (Node, Web
    /// Workers with the bytes at hand) this loads it.
    #[wasm_bindgen(js_namespace = zkosCurveHost, js_name = ready)]
    fn curve_host_ready() -> bool;

    /// The curve module's answer to operation `op` on `input`: the output, or `None` for
    /// malformed input.
    #[wasm_bindgen(js_namespace = zkosCurveHost, js_name = run)]
    fn curve_host_run(op: u8, input: &[u8]) -> Option<Vec<u8>>;
}

/// The curve backend of every engine in this instance.
pub static JS_CURVES: JsCurves = JsCurves;

/// Runs curve operations through `zkosCurveHost`; refuses while the module is not loaded.
pub struct JsCurves;

impl CurveBackend for JsCurves {
    fn run(&self, op: CurveOp, input: &[u8]) -> Result<Option<Vec<u8>>, CurvesNotLoaded> {
        if !curve_host_ready() {
            return Err(CurvesNotLoaded);
        }
        Ok(curve_host_run(op.code(), input))
    }
}
