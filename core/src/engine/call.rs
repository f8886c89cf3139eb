//! Simulation: running a transaction against the head state (plus overrides) without changing
//! the engine.

use super::chain::Engine;
use super::error::EngineError;
use super::overrides::{check_overrides, EngineSource, StateOverride};
use super::request::{build_transaction, BlockOverrides, TxRequest};
use super::runs::{RunTracer, Runs, TxRun};
use crate::bootloader::{DecodedTx, TxReceipt};
use crate::context::BlockContext;
use crate::ee::evm::Halt;
use crate::ee::evm::NoopTracer;
use crate::io::{L2ToL1Message, Log, StateKey, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::tx::Transaction;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// Outcome of a simulated transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallResult {
    /// Whether execution succeeded.
    pub success: bool,
    /// Return data (or revert data).
    pub output: Bytes,
    /// Gas the transaction would be charged.
    pub gas_used: u64,
    /// Gas given back by the refund counter.
    pub gas_refunded: u64,
    /// Native used.
    pub native_used: u64,
    /// Pubdata bytes.
    pub pubdata_used: u64,
    /// Halt reason when execution halted.
    pub halt: Option<Halt>,
    /// Events.
    pub logs: Vec<Log>,
    /// Deployed contract address.
    pub created: Option<Address>,
    /// L2→L1 messages sent.
    pub l2_to_l1_messages: Vec<L2ToL1Message>,
}

impl From<TxReceipt> for CallResult {
    fn from(e: TxReceipt) -> Self {
        Self {
            success: e.success,
            output: e.output,
            gas_used: e.gas_used,
            gas_refunded: e.gas_refunded,
            native_used: e.native_used,
            pubdata_used: e.pubdata_used,
            halt: e.halt,
            logs: e.logs,
            created: e.created,
            l2_to_l1_messages: e.l2_to_l1_messages,
        }
    }
}

/// A simulation prepared against the engine's head or a recent block.
#[derive(Clone)]
pub(super) struct Simulation {
    /// The state version it reads (`None`: the current one).
    pub(super) version: Option<u64>,
    /// The block it runs in.
    pub(super) env: BlockContext,
    /// The transaction.
    pub(super) tx: Transaction,
    /// Its sender.
    pub(super) from: Address,
}

impl Simulation {
    /// The transaction as the bootloader runs it: a simulation from `from`.
    pub(super) fn decoded(&self) -> DecodedTx {
        DecodedTx::simulation(self.tx.clone(), self.from)
    }
}

/// The accounts and slots a request reads before its first opcode: sender, recipient,
/// coinbase and access list (asked of a forked chain together).
pub(super) fn request_keys(request: &TxRequest, coinbase: Address) -> Vec<StateKey> {
    let mut keys = alloc::vec![
        StateKey::Account(request.from.unwrap_or_default()),
        StateKey::Account(coinbase)
    ];
    keys.extend(request.to.map(StateKey::Account));
    for item in &request.access_list {
        keys.push(StateKey::Account(item.address));
        keys.extend(
            item.storage_keys
                .iter()
                .map(|key| StateKey::Storage(item.address, U256::from_be_bytes(key.0))),
        );
    }
    keys
}

impl Engine {
    /// Builds the transaction and block of a simulation. Without any fee field the block's base
    /// fee is zero (as in geth's `eth_call`), so a sender without funds can still call; native
    /// is then unlimited in the ZKsync OS flow too (estimation checks the native cover at the
    /// engine's prices itself). The gas limit is at most the engine's RPC gas cap (a request
    /// above it is lowered to it, as geth does), so no simulation runs unbounded. In the
    /// Ethereum flow a simulation is not held to EIP-7825's cap of 2^24 under Osaka, as in
    /// geth and reth ([`crate::bootloader::DecodedTx::skip_gas_cap`]); an estimate is. At block
    /// `at` it reads that block's state and runs in that block's own context; with `None`
    /// ("pending") on the head's state in the next block (see [`Engine::simulated_block`]).
    pub(super) fn simulation(
        &self,
        request: &TxRequest,
        overrides: &Rc<StateOverride>,
        (at, block): (Option<u64>, &BlockOverrides),
        gas: Option<u64>,
    ) -> Result<Simulation, EngineError> {
        check_overrides(overrides)?;
        if request.gas_price.is_some()
            && (request.max_fee_per_gas.is_some() || request.max_priority_fee_per_gas.is_some())
        {
            return Err(EngineError::BadInput(
                "gasPrice cannot be combined with maxFeePerGas or maxPriorityFeePerGas",
            ));
        }
        let from = request.from.unwrap_or_default();
        let (version, mut env) = self.simulated_block(at, block)?;
        let mut source = self.source(version, overrides.clone())?;
        require(&mut source, &request_keys(request, env.coinbase))?;
        let sender = source.account(&from).ok().flatten().unwrap_or_default();
        // Unpriced, the base fee is zero even when overridden, as geth's `doCall` lowers it
        // (internal/ethapi/api.go, "Lower the basefee to 0 to avoid breaking EVM invariants"):
        // before, the override priced the call and a sender without funds was refused
        // "insufficient funds" where geth and anvil run it.
        let priced = request.gas_price.is_some() || request.max_fee_per_gas.is_some();
        if !priced {
            env.base_fee = U256::ZERO;
        }
        let cap = self
            .simulation_gas_cap()
            .min(env.gas_limit)
            .min(self.rpc_gas_cap);
        let mut tx = build_transaction(
            request,
            self.config.chain_id,
            env.base_fee,
            cap,
            (sender.nonce, sender.balance),
            gas,
        );
        // As geth's RPC gas cap: a request above it runs with the cap.
        tx.gas_limit = tx.gas_limit.min(self.rpc_gas_cap);
        Ok(Simulation {
            version,
            env,
            tx,
            from,
        })
    }

    /// A source over state version `at` (the current one when `None`) with `overrides`.
    pub(super) fn source(
        &self,
        at: Option<u64>,
        overrides: Rc<StateOverride>,
    ) -> Result<EngineSource, EngineError> {
        Ok(EngineSource::new(self.state.view(at)?, overrides))
    }

    /// The run of a prepared simulation with `tracer`.
    pub(super) fn simulation_run<T: RunTracer>(
        &self,
        simulation: &Simulation,
        overrides: &Rc<StateOverride>,
        tracer: T,
    ) -> Result<TxRun<T>, EngineError> {
        Ok(TxRun::new(
            self.io(self.source(simulation.version, overrides.clone())?),
            self.flow,
            simulation.env.clone(),
            Vec::new(),
            simulation.decoded(),
            tracer,
        ))
    }

    /// Simulates `request` on the head state with `overrides` in the next block ("pending");
    /// the engine does not change.
    pub fn call(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
    ) -> Result<CallResult, EngineError> {
        self.call_at(request, overrides, block, None)
    }

    /// [`Engine::call`] on the state at block `at`, in block `at`'s own context (`None`: the
    /// head's state in the next block); fails for a block outside the history window (see
    /// [`Engine::history_blocks`]).
    pub fn call_at(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
        at: Option<u64>,
    ) -> Result<CallResult, EngineError> {
        let overrides = Rc::new(overrides.clone());
        self.drive(|runs| self.call_in(runs, request, &overrides, block, at))
    }

    /// [`Engine::call_at`] as an operation over `runs`.
    pub(super) fn call_in(
        &self,
        runs: &mut Runs,
        request: &TxRequest,
        overrides: &Rc<StateOverride>,
        block: Option<&BlockOverrides>,
        at: Option<u64>,
    ) -> Result<CallResult, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let simulation = self.simulation(request, overrides, (at, &block), None)?;
        let receipt = runs.run(|| self.simulation_run(&simulation, overrides, NoopTracer))??;
        Ok(CallResult::from(receipt))
    }
}

/// Fails with the keys of `keys` that `source` does not know.
pub(super) fn require(source: &mut EngineSource, keys: &[StateKey]) -> Result<(), EngineError> {
    if !source.may_miss() {
        return Ok(());
    }
    let mut missing: Vec<StateKey> = Vec::new();
    for key in keys {
        let known = match key {
            StateKey::Account(address) => source.account(address).is_ok(),
            StateKey::Storage(address, slot) => source.storage(address, slot).is_ok(),
            StateKey::BlockHash(number) => source.block_hash(*number).is_ok(),
        };
        if !known && !missing.contains(key) {
            missing.push(*key);
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(EngineError::StateNeeded(missing))
    }
}
