//! `zkos-wasm`: the JS surface of the zkos engine. Each method translates its arguments,
//! calls `zkos_core::engine::Engine` and translates the result back; no outcome is decided
//! here. Errors are JS `Error`s with a stable `code` property (see README.md).

mod convert;
mod curves;
mod error;
mod fork;
#[cfg(target_arch = "wasm32")]
mod heap;
mod inputs;
mod jobs;
mod outputs;
mod recording;
mod session;
mod tracing;

use convert::{address, b256, bytes, data, items, quantity, Js};
use error::{engine_error, estimate_error};
use wasm_bindgen::prelude::*;
use zkos_core::config::{FlowKind, Hardfork};
use zkos_core::engine;

/// Installs the panic hook that prints Rust panics to the console (called on module load).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A point of an engine's chain to rewind to (`Engine.checkpoint()`).
#[wasm_bindgen]
pub struct Checkpoint {
    inner: engine::Checkpoint,
}

/// A local zkos chain.
#[wasm_bindgen]
pub struct Engine {
    inner: engine::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// `new Engine(config?)`: see README.md for the config fields and their defaults.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Js<Engine> {
        let (chain, fees, rpc_gas_cap) = inputs::engine_config(&config, |_| FlowKind::Zk)?;
        let mut inner = engine::Engine::with_fees(chain, fees);
        inner.set_curves(&curves::JS_CURVES);
        if let Some(schedules) = inputs::blob_schedules(&config)? {
            inner.set_blob_schedules(schedules);
        }
        if let Some(cap) = rpc_gas_cap {
            inner.set_rpc_gas_cap(cap).map_err(|e| engine_error(&e))?;
        }
        Ok(Engine { inner })
    }

    /// Chain id.
    #[wasm_bindgen(js_name = chainId)]
    pub fn chain_id(&self) -> u64 {
        self.inner.config().chain_id
    }

    /// Block and transaction rules (`zk`, `ethereum`): as given, else `zk`, or for a fork of an
    /// Ethereum network core knows `ethereum`.
    pub fn flow(&self) -> String {
        match self.inner.config().flow {
            FlowKind::Zk => "zk",
            FlowKind::Ethereum => "ethereum",
        }
        .into()
    }

    /// EVM hardfork (`cancun`, `prague`, `osaka`): as given, else the flow's default, or for a
    /// fork of a network core knows the one its fork block ran.
    pub fn hardfork(&self) -> String {
        match self.inner.config().hardfork {
            Hardfork::Cancun => "cancun",
            Hardfork::Prague => "prague",
            Hardfork::Osaka => "osaka",
        }
        .into()
    }

    /// ZKsync OS protocol version the engine charges by (1 or 2).
    #[wasm_bindgen(js_name = protocolVersion)]
    pub fn protocol_version(&self) -> u8 {
        self.inner.config().protocol_version.number()
    }

    /// Root of the Blake2s state tree of the current state (hex).
    #[wasm_bindgen(js_name = stateRoot)]
    pub fn state_root(&self) -> JsValue {
        convert::hash(&self.inner.state_commitment().root)
    }

    /// Most gas a simulation may use (calls, estimates, traces; the engine's RPC gas cap).
    #[wasm_bindgen(js_name = rpcGasCap)]
    pub fn rpc_gas_cap(&self) -> u64 {
        self.inner.rpc_gas_cap()
    }

    /// The blob base fee the next block runs with (EIP-4844).
    #[wasm_bindgen(js_name = nextBlobBaseFee)]
    pub fn next_blob_base_fee(&self) -> JsValue {
        convert::big(self.inner.next_blob_base_fee())
    }

    /// The prices and limits the next block runs with: `{baseFeePerGas, blobBaseFee,
    /// nativePrice, pubdataPrice, blockGasLimit, coinbase}`.
    #[wasm_bindgen(js_name = nextFees)]
    pub fn next_fees(&self) -> JsValue {
        outputs::next_fees(self.inner.fees(), self.inner.next_blob_base_fee())
    }

    /// Changes the base fee, coinbase and gas limit of the blocks produced from now on:
    /// `{baseFee?, coinbase?, gasLimit?}`, all or nothing (core's bounds).
    #[wasm_bindgen(js_name = setBlockParams)]
    pub fn set_block_params(&mut self, params: JsValue) -> Js<()> {
        let params = inputs::block_params(&params)?;
        self.inner
            .set_block_params(params)
            .map_err(|e| engine_error(&e))
    }

    /// keccak-256 of `data`, for the host's own digests (the dev node's EIP-712 typed data):
    /// the engine's hash, several times faster than one written in JS.
    pub fn keccak256(&self, data: &[u8]) -> Vec<u8> {
        zkos_core::primitives::keccak256(data).0.to_vec()
    }

    /// Number of the latest block.
    #[wasm_bindgen(js_name = blockNumber)]
    pub fn block_number(&self) -> u64 {
        self.inner.head().number
    }

    /// Replaces balance, nonce and code of `address` (missing fields become zero/empty) and
    /// sets the listed storage slots.
    #[wasm_bindgen(js_name = setAccount)]
    pub fn set_account(&mut self, address_hex: JsValue, account: JsValue) -> Js<()> {
        let address = address(&address_hex, "address")?;
        let account = inputs::account_input(&account)?;
        self.inner
            .set_account(address, account)
            .map_err(|e| engine_error(&e))
    }

    /// Sets one storage slot.
    #[wasm_bindgen(js_name = setStorage)]
    pub fn set_storage(&mut self, address_hex: JsValue, slot: JsValue, value: JsValue) -> Js<()> {
        let address = address(&address_hex, "address")?;
        let slot = quantity(&slot, "slot")?;
        let value = quantity(&value, "value")?;
        self.inner.set_storage(address, slot, value);
        Ok(())
    }

    /// `{balance, nonce, codeHash, code}` or `null`.
    #[wasm_bindgen(js_name = getAccount)]
    pub fn get_account(&self, address_hex: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        Ok(self
            .inner
            .get_account(&address)
            .map(|a| outputs::account(&a))
            .unwrap_or(JsValue::NULL))
    }

    /// `{balance, nonce, codeHash, code}` or `null` in the state at block `number` (a block
    /// outside the history window: `ZKOS_HISTORY_UNAVAILABLE`).
    #[wasm_bindgen(js_name = accountAt)]
    pub fn account_at(&self, address_hex: JsValue, number: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        let number = convert::u64_of(&number, "block")?;
        self.inner
            .account_at(&address, number)
            .map(|a| a.map(|a| outputs::account(&a)).unwrap_or(JsValue::NULL))
            .map_err(|e| engine_error(&e))
    }

    /// The 32-byte value of a slot as hex in the state at block `number`.
    #[wasm_bindgen(js_name = storageAt)]
    pub fn storage_at(&self, address_hex: JsValue, slot: JsValue, number: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        let slot = quantity(&slot, "slot")?;
        let number = convert::u64_of(&number, "block")?;
        self.inner
            .storage_at(&address, &slot, number)
            .map(|value| data(&value.to_be_bytes::<32>()))
            .map_err(|e| engine_error(&e))
    }

    /// How many blocks before the head keep their state readable.
    #[wasm_bindgen(js_name = historyBlocks)]
    pub fn history_blocks(&self) -> u64 {
        self.inner.history_blocks()
    }

    /// Sets how many blocks before the head keep their state readable.
    #[wasm_bindgen(js_name = setHistoryBlocks)]
    pub fn set_history_blocks(&mut self, blocks: JsValue) -> Js<()> {
        let blocks = convert::u64_of(&blocks, "historyBlocks")?;
        self.inner
            .set_history_blocks(blocks)
            .map_err(|e| engine_error(&e))
    }

    /// The 32-byte value of a slot as hex.
    #[wasm_bindgen(js_name = getStorage)]
    pub fn get_storage(&self, address_hex: JsValue, slot: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        let slot = quantity(&slot, "slot")?;
        let value = self.inner.get_storage(&address, &slot);
        Ok(data(&value.to_be_bytes::<32>()))
    }

    /// Code as hex (`0x` when none).
    #[wasm_bindgen(js_name = getCode)]
    pub fn get_code(&self, address_hex: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        Ok(data(&self.inner.get_code(&address)))
    }

    /// Addresses of every existing account and of every address holding storage without one
    /// (hex, in address order).
    pub fn addresses(&self) -> JsValue {
        convert::array(&self.inner.addresses(), convert::addr)
    }

    /// Whether `address` was written since the fork block (see `Engine::changed_since_fork`).
    #[wasm_bindgen(js_name = changedSinceFork)]
    pub fn changed_since_fork(&self, address_hex: JsValue) -> Js<bool> {
        let address = address(&address_hex, "address")?;
        Ok(self.inner.changed_since_fork(&address))
    }

    /// Every non-zero slot of `address` as `[slot, value]` pairs of 32-byte hex, in slot order.
    #[wasm_bindgen(js_name = getStorageAll)]
    pub fn get_storage_all(&self, address_hex: JsValue) -> Js<JsValue> {
        let address = address(&address_hex, "address")?;
        let slots = self.inner.get_storage_all(&address);
        Ok(convert::array(&slots, |(key, value)| {
            convert::array(&[*key, *value], |word| data(&word.to_be_bytes::<32>()))
        }))
    }

    /// A checkpoint of the chain to `rewind` to: cheap to take, and a rewind costs what
    /// changed since (see `Engine::checkpoint` in core).
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            inner: self.inner.checkpoint(),
        }
    }

    /// Returns the chain to `checkpoint`, which stays usable; later checkpoints are used up.
    /// Throws for a checkpoint of another engine, or one used up.
    pub fn rewind(&mut self, checkpoint: &Checkpoint) -> Js<()> {
        self.inner
            .rewind(&checkpoint.inner)
            .map_err(|e| engine_error(&e))
    }

    /// An independent copy of the whole chain (state, blocks, receipts) to `restore` later.
    pub fn snapshot(&self) -> Engine {
        Engine {
            inner: self.inner.clone(),
        }
    }

    /// Makes this chain a copy of `snapshot`, which stays usable.
    pub fn restore(&mut self, snapshot: &Engine) {
        self.inner = snapshot.inner.clone();
    }

    /// Produces a block from `txs` (raw signed hex/`Uint8Array`, or request objects sent as
    /// their `from`); returns `{block, receipts, rejected}`.
    #[wasm_bindgen(js_name = runBlock)]
    pub fn run_block(&mut self, txs: JsValue, overrides: JsValue) -> Js<JsValue> {
        let txs = items(&txs, "transactions")?
            .iter()
            .map(inputs::block_tx)
            .collect::<Js<Vec<_>>>()?;
        let overrides = inputs::block_overrides(&overrides)?;
        let report = self
            .inner
            .run_block(&txs, overrides)
            .map_err(|e| engine_error(&e))?;
        Ok(outputs::block_report(&report))
    }

    /// As `runBlock`, but only when every transaction is included: one left out throws its
    /// error and nothing changes.
    #[wasm_bindgen(js_name = runBlockStrict)]
    pub fn run_block_strict(&mut self, txs: JsValue, overrides: JsValue) -> Js<JsValue> {
        let txs = items(&txs, "transactions")?
            .iter()
            .map(inputs::block_tx)
            .collect::<Js<Vec<_>>>()?;
        let overrides = inputs::block_overrides(&overrides)?;
        let report = self
            .inner
            .run_block_strict(&txs, overrides)
            .map_err(|e| engine_error(&e))?;
        Ok(outputs::block_report(&report))
    }

    /// `{hash, from, nonce, gas, maxFeePerGas, maxPriorityFeePerGas, type, to, value, input}`
    /// of a transaction (raw or request, as `runBlock` takes them) as the next block would
    /// take it alone.
    #[wasm_bindgen(js_name = pendingTransaction)]
    pub fn pending_transaction(&mut self, tx: JsValue) -> Js<JsValue> {
        let item = inputs::block_tx(&tx)?;
        let pending = self.inner.pending_tx(&item).map_err(|e| engine_error(&e))?;
        Ok(outputs::pending(&pending))
    }

    /// Opens a stepping session over the next block made of `txs` (as `runBlock`); the engine
    /// does not change unless the finished session is passed to `commitSession`.
    #[wasm_bindgen(js_name = blockSession)]
    pub fn block_session(&self, txs: JsValue, overrides: JsValue) -> Js<session::Session> {
        let txs = items(&txs, "transactions")?
            .iter()
            .map(inputs::block_tx)
            .collect::<Js<Vec<_>>>()?;
        let overrides = inputs::block_overrides(&overrides)?;
        self.inner
            .block_session(&txs, overrides)
            .map(session::Session::new)
            .map_err(|e| engine_error(&e))
    }

    /// Keeps the block a finished block session sealed; returns `{block, receipts, rejected}`
    /// as `runBlock`. Throws when the session is not a finished block session, was committed,
    /// or the chain changed since it was opened.
    #[wasm_bindgen(js_name = commitSession)]
    pub fn commit_session(&mut self, session: &mut session::Session) -> Js<JsValue> {
        self.inner
            .commit_session(&mut session.inner)
            .map(|r| outputs::block_report(&r))
            .map_err(|e| engine_error(&e))
    }

    /// Decodes a signed transaction and mines it in its own block; returns its hash.
    #[wasm_bindgen(js_name = sendRawTransaction)]
    pub fn send_raw_transaction(&mut self, raw: JsValue) -> Js<JsValue> {
        let raw = bytes(&raw, "transaction")?;
        self.inner
            .send_raw_transaction(&raw)
            .map(|h| convert::hash(&h))
            .map_err(|e| engine_error(&e))
    }

    /// Simulates `request` on the state at block `at` (the latest when `undefined`); returns
    /// `{success, output, gasUsed, ...}`.
    pub fn call(
        &self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<JsValue> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        self.inner
            .call_at(&s.request, &s.overrides, s.block.as_ref(), s.at)
            .map(|r| outputs::call_result(&r))
            .map_err(|e| engine_error(&e))
    }

    /// The access list `request` would run with on the state at block `at` (the latest when
    /// `undefined`), found as geth's `eth_createAccessList` finds it; returns `{accessList, call}`.
    #[wasm_bindgen(js_name = createAccessList)]
    pub fn create_access_list(
        &self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<JsValue> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        self.inner
            .create_access_list_at(&s.request, &s.overrides, s.block.as_ref(), s.at)
            .map(|r| outputs::access_list_result(&r))
            .map_err(|e| engine_error(&e))
    }

    /// Estimates the gas limit of `request` on the state at block `at` (the latest when
    /// `undefined`) in the block after it with `block_override`'s values (as `call`); returns
    /// `{gasLimit, gasUsed, nativeUsed, ...}`.
    #[wasm_bindgen(js_name = estimateGas)]
    pub fn estimate_gas(
        &self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<JsValue> {
        let s = inputs::simulated(&request, &state_override, &block_override, &at)?;
        self.inner
            .estimate_gas_at(&s.request, &s.overrides, s.block.as_ref(), s.at)
            .map(|e| outputs::estimate(&e))
            .map_err(|e| estimate_error(&e))
    }

    /// The receipt of an included transaction, or `null`.
    #[wasm_bindgen(js_name = getReceipt)]
    pub fn get_receipt(&self, tx_hash: JsValue) -> Js<JsValue> {
        let hash = b256(&tx_hash, "hash")?;
        Ok(self
            .inner
            .get_receipt(&hash)
            .map(outputs::receipt)
            .unwrap_or(JsValue::NULL))
    }

    /// An included transaction, or `null`.
    #[wasm_bindgen(js_name = getTransaction)]
    pub fn get_transaction(&self, tx_hash: JsValue) -> Js<JsValue> {
        let hash = b256(&tx_hash, "hash")?;
        Ok(self
            .inner
            .get_transaction(&hash)
            .map(outputs::transaction)
            .unwrap_or(JsValue::NULL))
    }

    /// A block by number (bigint/number/hex quantity) or by 32-byte hash, or `null`.
    #[wasm_bindgen(js_name = getBlock)]
    pub fn get_block(&self, id: JsValue) -> Js<JsValue> {
        let is_hash = id.as_string().is_some_and(|s| s.len() == 66);
        let header = if is_hash {
            self.inner.get_block_by_hash(&b256(&id, "block")?)
        } else {
            self.inner.get_block(convert::u64_of(&id, "block")?)
        };
        Ok(header
            .map(|h| outputs::block_with_blob_fee(h, self.inner.blob_base_fee_of(h)))
            .unwrap_or(JsValue::NULL))
    }

    /// Traces `request` simulated on the state at block `at` (the latest when `undefined`);
    /// `options` as geth's (`{tracer?, tracerConfig?, disableStack?, enableMemory?, ...}`) plus
    /// the trace budget (`{maxSteps?, maxBytes?}`; beyond it the error code is
    /// `ZKOS_TRACE_LIMIT`).
    #[wasm_bindgen(js_name = traceCall)]
    pub fn trace_call(
        &self,
        request: JsValue,
        options: JsValue,
        state_override: JsValue,
        block_override: JsValue,
        at: JsValue,
    ) -> Js<JsValue> {
        let request = inputs::call_request(&request)?;
        let (config, format, budget) = tracing::options(&options)?;
        let state = inputs::state_override(&state_override)?;
        let block = inputs::block_overrides(&block_override)?;
        let at = inputs::state_block(&at)?;
        self.inner
            .trace_call_at(&request, &state, (block.as_ref(), at), config, budget)
            .map(|t| tracing::result(&t, format))
            .map_err(|e| engine_error(&e))
    }

    /// Traces an included transaction by hash (blocks still in the history window).
    #[wasm_bindgen(js_name = traceTransaction)]
    pub fn trace_transaction(&self, tx_hash: JsValue, options: JsValue) -> Js<JsValue> {
        let hash = b256(&tx_hash, "hash")?;
        let (config, format, budget) = tracing::options(&options)?;
        self.inner
            .trace_transaction(&hash, config, budget)
            .map(|t| tracing::result(&t, format))
            .map_err(|e| engine_error(&e))
    }

    /// Opens a stepping session for `request` simulated on the latest state.
    pub fn session(
        &self,
        request: JsValue,
        state_override: JsValue,
        block_override: JsValue,
    ) -> Js<session::Session> {
        let request = inputs::call_request(&request)?;
        let state = inputs::state_override(&state_override)?;
        let block = inputs::block_overrides(&block_override)?;
        self.inner
            .session(&request, &state, block.as_ref())
            .map(session::Session::new)
            .map_err(|e| engine_error(&e))
    }
}
