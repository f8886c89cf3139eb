//! Simulation: running a transaction against the head state (plus overrides) without changing
//! the engine.

use super::block::BlockOverrides;
use super::error::EngineError;
use super::exec::execute;
use super::state::{Overlay, StateOverride};
use super::Engine;
use crate::bootloader::BlockContext;
use crate::bootloader::TxReceipt;
use crate::ee::evm::Halt;
use crate::io::{Io, L2ToL1Message, Log, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::trace::Tracer;
use crate::tx::intrinsic::TX_BASE_GAS;
use crate::tx::{AccessListItem, Transaction, EIP1559_TX_TYPE, LEGACY_TX_TYPE};
use alloc::vec::Vec;

/// A transaction to simulate (`eth_call` / `eth_estimateGas` parameters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallRequest {
    /// Sender (zero address when absent).
    pub from: Option<Address>,
    /// Recipient; `None` simulates a deployment of `data`.
    pub to: Option<Address>,
    /// Calldata or initcode.
    pub data: Bytes,
    /// Value in wei.
    pub value: U256,
    /// Gas limit (default: the transaction gas cap, lowered to what the sender can pay).
    pub gas: Option<u64>,
    /// Legacy gas price.
    pub gas_price: Option<u128>,
    /// EIP-1559 fee cap.
    pub max_fee_per_gas: Option<u128>,
    /// EIP-1559 priority fee.
    pub max_priority_fee_per_gas: Option<u128>,
    /// Nonce (default: the sender's).
    pub nonce: Option<u64>,
    /// EIP-2930 access list.
    pub access_list: Vec<AccessListItem>,
}

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

/// Checks overrides for contradictions (geth refuses `state` together with `stateDiff`).
pub(super) fn check_overrides(overrides: &StateOverride) -> Result<(), EngineError> {
    if overrides
        .values()
        .any(|o| o.state.is_some() && !o.state_diff.is_empty())
    {
        return Err(EngineError::BadInput(
            "an account override sets both state and stateDiff",
        ));
    }
    Ok(())
}

/// The transaction `request` describes, for a block with `base_fee` and a gas cap of `cap`,
/// from a sender with `(nonce, balance)`. Missing fields default to: the sender's nonce; a
/// gas limit of `cap` lowered to what the sender can pay (unless that is below 21,000); EIP-1559 fees with no tip and a fee
/// cap of the base fee. `gas` (when given) replaces the request's gas limit.
pub(super) fn build_transaction(
    request: &CallRequest,
    chain_id: u64,
    base_fee: U256,
    cap: u64,
    sender: (u64, U256),
    gas: Option<u64>,
) -> Transaction {
    let mut tx = Transaction::empty(LEGACY_TX_TYPE);
    match request.gas_price {
        Some(price) => {
            tx.max_fee_per_gas = price;
            tx.max_priority_fee_per_gas = price;
        }
        None => {
            tx.tx_type = EIP1559_TX_TYPE;
            let tip = request.max_priority_fee_per_gas.unwrap_or(0);
            let base = u128::try_from(base_fee).unwrap_or(u128::MAX);
            tx.max_fee_per_gas = request
                .max_fee_per_gas
                .unwrap_or_else(|| base.saturating_add(tip));
            tx.max_priority_fee_per_gas = tip;
        }
    }
    if !request.access_list.is_empty() && tx.tx_type == LEGACY_TX_TYPE {
        tx.tx_type = crate::tx::EIP2930_TX_TYPE;
    }
    tx.chain_id = Some(chain_id);
    tx.nonce = request.nonce.unwrap_or(sender.0);
    tx.to = request.to;
    tx.value = request.value;
    tx.data = request.data.clone();
    tx.access_list = request.access_list.clone();
    tx.gas_limit = match gas.or(request.gas) {
        Some(gas) => gas,
        None => {
            let price = U256::from(tx.max_fee_per_gas);
            if price.is_zero() {
                cap
            } else {
                let spendable = sender.1.saturating_sub(request.value);
                let affordable = u64::try_from(spendable / price).unwrap_or(u64::MAX);
                if affordable < TX_BASE_GAS {
                    // Too poor for any transaction: validation reports the missing funds.
                    cap
                } else {
                    cap.min(affordable)
                }
            }
        }
    };
    tx
}

/// A simulation prepared against the engine's head.
pub(super) struct Simulation {
    pub(super) env: BlockContext,
    pub(super) tx: Transaction,
    pub(super) from: Address,
}

impl Engine {
    /// Builds the transaction and block of a simulation. Without any fee field the block's base
    /// fee is zero (as in geth's `eth_call`), so a sender without funds can still call; native
    /// is then unlimited in the ZKsync OS flow too (estimation checks the native cover at the
    /// engine's prices itself).
    pub(super) fn simulation(
        &self,
        request: &CallRequest,
        overrides: &StateOverride,
        block: &BlockOverrides,
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
        let mut source = self.state.source(overrides);
        let sender = source.account(&from).unwrap_or_default();
        let mut env = self.next_block_context(block);
        let priced = request.gas_price.is_some() || request.max_fee_per_gas.is_some();
        if !priced && block.base_fee.is_none() {
            env.base_fee = U256::ZERO;
        }
        let cap = self.tx_gas_cap().min(env.gas_limit);
        let tx = build_transaction(
            request,
            self.config.chain_id,
            env.base_fee,
            cap,
            (sender.nonce, sender.balance),
            gas,
        );
        Ok(Simulation { env, tx, from })
    }

    /// Runs a prepared simulation with `tracer`, then hands the IO (holding the post-state) to
    /// `inspect`.
    pub(super) fn simulate_with<T: Tracer, R>(
        &self,
        simulation: &Simulation,
        overrides: &StateOverride,
        tracer: &mut T,
        inspect: impl FnOnce(&mut Io<Overlay<'_>>, TxReceipt) -> R,
    ) -> Result<R, EngineError> {
        let mut io = Io::new(self.state.source(overrides), self.costs.clone());
        let executed = execute(
            &mut io,
            &self.config,
            &simulation.env,
            &simulation.tx,
            simulation.from,
            true,
            tracer,
        )?;
        Ok(inspect(&mut io, executed))
    }

    /// Simulates `request` on the head state with `overrides`; the engine does not change.
    pub fn call(
        &self,
        request: &CallRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
    ) -> Result<CallResult, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let simulation = self.simulation(request, overrides, &block, None)?;
        self.simulate_with(
            &simulation,
            overrides,
            &mut crate::trace::NoopTracer,
            |_, e| CallResult::from(e),
        )
    }
}
