//! What callers ask the engine to run: a transaction request (the fields of `eth_call`,
//! `eth_estimateGas` and `eth_sendTransaction`) and the overrides of the next block's values,
//! and the transaction a request describes.

use crate::bigint;
use crate::context::BlockContext;
use crate::primitives::{Address, Bytes, B256, U256};
use crate::tx::intrinsic::TX_BASE_GAS;
use crate::tx::{
    AccessListItem, Authorization, Transaction, EIP1559_TX_TYPE, EIP2930_TX_TYPE, EIP7702_TX_TYPE,
    LEGACY_TX_TYPE,
};
use alloc::vec::Vec;

/// A transaction to simulate (`eth_call` / `eth_estimateGas` parameters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TxRequest {
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
    /// EIP-7702 authorizations (not empty: the request is a type-4 transaction, as geth's
    /// `TransactionArgs` makes it).
    pub authorization_list: Vec<Authorization>,
}

/// Values of the next block that replace the engine's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockOverrides {
    /// Block number (must be above the head for a produced block).
    pub number: Option<u64>,
    /// Timestamp in seconds (must not go below the head's for a produced block).
    pub timestamp: Option<u64>,
    /// Fee recipient.
    pub coinbase: Option<Address>,
    /// Base fee per gas.
    pub base_fee: Option<U256>,
    /// Block gas limit.
    pub gas_limit: Option<u64>,
    /// `PREVRANDAO`.
    pub prevrandao: Option<B256>,
}

impl BlockOverrides {
    /// Sets the overridden fields of `context` (its block hashes are left as they are).
    pub(super) fn apply(&self, context: &mut BlockContext) {
        context.number = self.number.unwrap_or(context.number);
        context.timestamp = self.timestamp.unwrap_or(context.timestamp);
        context.coinbase = self.coinbase.unwrap_or(context.coinbase);
        context.base_fee = self.base_fee.unwrap_or(context.base_fee);
        context.gas_limit = self.gas_limit.unwrap_or(context.gas_limit);
        context.prevrandao = self.prevrandao.unwrap_or(context.prevrandao);
    }
}

/// The transaction `request` describes, for a block with `base_fee` and a gas cap of `cap`,
/// from a sender with `(nonce, balance)`. Missing fields default to: the sender's nonce; a
/// gas limit of `cap` lowered to what the sender can pay (unless that is below 21,000); EIP-1559 fees with no tip and a fee
/// cap of the base fee. `gas` (when given) replaces the request's gas limit.
pub(super) fn build_transaction(
    request: &TxRequest,
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
        tx.tx_type = EIP2930_TX_TYPE;
    }
    if !request.authorization_list.is_empty() {
        tx.tx_type = EIP7702_TX_TYPE;
        tx.authorization_list = request.authorization_list.clone();
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
                let affordable =
                    u64::try_from(bigint::div_rem(&spendable, &price).0).unwrap_or(u64::MAX);
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
