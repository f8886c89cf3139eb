//! Operations a host drives over a forked chain (`Engine::{start, resume, supply, abandon}`):
//! `start*` returns a `Job`; `resume(job)` answers `{needs}` (keys to fetch and `supply`) or
//! `{done: true, value}` (the value the synchronous method would have returned).

use crate::convert::{b256, field, items, Js, Obj};
use crate::error::{engine_error, estimate_error, state_keys};
use crate::tracing::{self, Format};
use crate::{fork, inputs, outputs, session, Engine};
use wasm_bindgen::prelude::*;
use zkos_core::config::FlowKind;
use zkos_core::engine::{self, BlockTx, JobOutput, JobStatus, Operation};

/// An operation paused for state of the forked chain, or ended (see `Engine.resume`).
#[wasm_bindgen]
pub struct Job {
    inner: Option<engine::Job>,
    /// The output shape of a trace.
    format: Format,
}

fn block_txs(txs: &JsValue) -> Js<Vec<BlockTx>> {
    items(txs, "transactions")?
        .iter()
        .map(inputs::block_tx)
        .collect()
}

fn output(out: JobOutput, format: Format) -> Js<JsValue> {
    Ok(match out {
        JobOutput::Call(r) => outputs::call_result(&r),
        JobOutput::AccessList(r) => outputs::access_list_result(&r),
        JobOutput::Estimate(Ok(e)) => outputs::estimate(&e),
        JobOutput::Estimate(Err(e)) => return Err(estimate_error(&e)),
        JobOutput::Trace(t) => tracing::result(&t, format),
        JobOutput::Block(report) => outputs::block_report(&report),
        JobOutput::Session(inner) => session::Session::new(*inner).into(),
        JobOutput::Fetched => JsValue::NULL,
    })
}

impl Engine {
    fn job(&mut self, op: Operation, format: Format) -> Js<Job> {
        self.inner
            .start(op)
            .map(|inner| Job {
                inner: Some(inner),
                format,
            })
            .map_err(|e| engine_error(&e))
    }
}

#[wasm_bindgen]
impl Job {
    /// Makes the job pause after about `steps` EVM steps (`{needs: []}`), so a host can look at
    /// its clock between two resumes.
    #[wasm_bindgen(js_name = setSlice)]
    pub fn set_slice(&mut self, steps: u32) {
        if let Some(inner) = self.inner.as_mut() {
            inner.slice(u64::from(steps));
        }
    }
}

#[wasm_bindgen]
impl Engine {
    /// A forked chain: `config` as `new Engine` takes it, `block` the fork block as the fork
    /// fetcher reports it. New blocks follow it; without `baseFee`, `coinbase` or
    /// `blockGasLimit` in `config` they take the fork block's successor's base fee (EIP-1559),
    /// its coinbase and its gas limit.
    pub fn forked(config: JsValue, block: JsValue) -> Js<Engine> {
        let (mut chain, fees, rpc_gas_cap) =
            inputs::engine_config(&config, FlowKind::of_forked_chain)?;
        let point = fork::fork_point(&block)?;
        if field(&config, "hardfork").is_none() {
            chain.hardfork = chain.flow.fork_hardfork(chain.chain_id, point.timestamp);
        }
        let fees = fork::fork_fees(&config, fees, &point);
        let mut inner = engine::Engine::fork(chain, fees, point);
        inner.set_curves(&crate::curves::JS_CURVES);
        if let Some(schedules) = inputs::blob_schedules(&config)? {
            inner.set_blob_schedules(schedules);
        }
        if let Some(cap) = rpc_gas_cap {
            inner.set_rpc_gas_cap(cap).map_err(|e| engine_error(&e))?;
        }
        Ok(Engine { inner })
    }

    /// `call` as a job.
    #[wasm_bindgen(js_name = startCall)]
    pub fn start_call(
        &mut self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<Job> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        let op = Operation::Call {
            request: s.request,
            overrides: s.overrides,
            block: s.block,
            at: s.at,
        };
        self.job(op, Format::Other)
    }

    /// `createAccessList` as a job.
    #[wasm_bindgen(js_name = startCreateAccessList)]
    pub fn start_create_access_list(
        &mut self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<Job> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        let op = Operation::AccessList {
            request: s.request,
            overrides: s.overrides,
            block: s.block,
            at: s.at,
        };
        self.job(op, Format::Other)
    }

    /// `estimateGas` as a job.
    #[wasm_bindgen(js_name = startEstimate)]
    pub fn start_estimate(
        &mut self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<Job> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        let op = Operation::Estimate {
            request: s.request,
            overrides: s.overrides,
            block: s.block,
            at: s.at,
        };
        self.job(op, Format::Other)
    }

    /// `traceCall` as a job.
    #[wasm_bindgen(js_name = startTraceCall)]
    pub fn start_trace_call(
        &mut self,
        request: JsValue,
        options: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<Job> {
        let (config, format, budget) = tracing::options(&options)?;
        let op = Operation::TraceCall {
            request: inputs::call_request(&request)?,
            overrides: inputs::state_override(&state_override)?,
            block: inputs::block_overrides(&block_override)?,
            at: inputs::state_block(&at)?,
            config,
            budget,
        };
        self.job(op, format)
    }

    /// `traceTransaction` as a job.
    #[wasm_bindgen(js_name = startTraceTransaction)]
    pub fn start_trace_transaction(&mut self, tx_hash: JsValue, options: JsValue) -> Js<Job> {
        let hash = b256(&tx_hash, "hash")?;
        let (config, format, budget) = tracing::options(&options)?;
        self.job(
            Operation::TraceTransaction {
                hash,
                config,
                budget,
            },
            format,
        )
    }

    /// `runBlock` (`strict`: `runBlockStrict`) as a job.
    #[wasm_bindgen(js_name = startBlock)]
    pub fn start_block(&mut self, txs: JsValue, overrides: JsValue, strict: bool) -> Js<Job> {
        let op = Operation::Block {
            txs: block_txs(&txs)?,
            overrides: inputs::block_overrides(&overrides)?,
            pre_state: Vec::new(),
            all_or_nothing: strict,
        };
        self.job(op, Format::Other)
    }

    /// `session` as a job.
    #[wasm_bindgen(js_name = startSession)]
    pub fn start_session(
        &mut self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
    ) -> Js<Job> {
        let op = Operation::Session {
            request: inputs::call_request(&request)?,
            overrides: inputs::state_override(&state_override)?,
            block: inputs::block_overrides(&block_override)?,
        };
        self.job(op, Format::Other)
    }

    /// `blockSession` as a job.
    #[wasm_bindgen(js_name = startBlockSession)]
    pub fn start_block_session(&mut self, txs: JsValue, overrides: JsValue) -> Js<Job> {
        let op = Operation::BlockSession {
            txs: block_txs(&txs)?,
            overrides: inputs::block_overrides(&overrides)?,
        };
        self.job(op, Format::Other)
    }

    /// A job that ends (with `null`) once the engine knows `keys` (accounts, slots, block
    /// hashes in the fetcher's shape), for the queries (`getAccount`, `getStorage`, ...).
    #[wasm_bindgen(js_name = startFetch)]
    pub fn start_fetch(&mut self, keys: JsValue) -> Js<Job> {
        let keys = fork::key_list(&keys)?;
        self.job(Operation::Fetch(keys), Format::Other)
    }

    /// Runs `job` until it needs state (`{needs: [key...]}`; `{needs: []}` when its step slice
    /// ended) or ends (`{done: true, value}`). An error ends the job.
    pub fn resume(&mut self, job: &mut Job) -> Js<JsValue> {
        let inner = job
            .inner
            .as_mut()
            .ok_or_else(|| crate::error::bad_input("job: abandoned"))?;
        match self.inner.resume(inner).map_err(|e| engine_error(&e))? {
            JobStatus::NeedState(keys) => Ok(Obj::new().set("needs", state_keys(&keys)).build()),
            JobStatus::Done(out) => {
                let value = output(out, job.format)?;
                Ok(Obj::new()
                    .set("done", JsValue::TRUE)
                    .set("value", value)
                    .build())
            }
        }
    }

    /// Keeps fetched values of the forked chain (`[{kind, ...}]` as the fork fetcher returns
    /// them); all or none.
    pub fn supply(&mut self, values: JsValue) -> Js<()> {
        let values = fork::values(&values)?;
        self.inner.supply(&values).map_err(|e| engine_error(&e))
    }

    /// Gives `job` up; a block's pre-state it applied is undone.
    pub fn abandon(&mut self, job: &mut Job) {
        if let Some(inner) = job.inner.take() {
            self.inner.abandon(inner);
        }
    }
}
