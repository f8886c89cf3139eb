//! A generated block: its parameters, pre-state and signed transactions, and the JSON the
//! oracle reads.

use super::sign::SignedTx;
use alloy_primitives::{hex, Address, B256, U256};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Parameters of one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockParams {
    /// Block number.
    pub number: u64,
    /// Timestamp in seconds.
    pub timestamp: u64,
    /// Base fee per gas, in wei.
    pub base_fee: u128,
    /// Price of one unit of native, in wei.
    pub native_price: u128,
    /// Price of one pubdata byte, in wei.
    pub pubdata_price: u128,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Fee recipient.
    pub coinbase: Address,
    /// Most pubdata bytes the block's transactions may publish (`u64::MAX`: unbounded, the
    /// oracle's default).
    pub pubdata_limit: u64,
}

/// An account of the pre-state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PreAccount {
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Runtime code.
    pub code: Vec<u8>,
    /// Non-zero slots.
    pub storage: BTreeMap<B256, B256>,
}

/// A transaction of a generated block, with the scenario it was generated for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseTx {
    /// Scenario label (the grouping key of the mismatch table), e.g. `transfer-new`.
    pub kind: String,
    /// The signed envelope.
    pub signed: SignedTx,
}

/// One generated block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockCase {
    /// Seed the block was generated from.
    pub seed: u64,
    /// Chain id.
    pub chain_id: u64,
    /// Block parameters.
    pub params: BlockParams,
    /// Accounts before the block.
    pub pre_state: BTreeMap<Address, PreAccount>,
    /// Transactions in order.
    pub txs: Vec<CaseTx>,
}

fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

impl BlockCase {
    /// The oracle's input (see `shared/oracle/README.md`): quantities as decimal strings.
    pub fn oracle_input(&self) -> Value {
        let p = &self.params;
        let mut pre = Map::new();
        for (address, account) in &self.pre_state {
            let mut entry = Map::new();
            entry.insert("balance".into(), json!(account.balance.to_string()));
            entry.insert("nonce".into(), json!(account.nonce));
            if !account.code.is_empty() {
                entry.insert("code".into(), json!(hex0x(&account.code)));
            }
            if !account.storage.is_empty() {
                let storage: Map<String, Value> = account
                    .storage
                    .iter()
                    .map(|(k, v)| (hex0x(k.as_slice()), json!(hex0x(v.as_slice()))))
                    .collect();
                entry.insert("storage".into(), Value::Object(storage));
            }
            pre.insert(hex0x(address.as_slice()), Value::Object(entry));
        }
        let mut input = json!({
            "chainId": self.chain_id,
            "block": {
                "number": p.number,
                "timestamp": p.timestamp,
                "baseFee": p.base_fee.to_string(),
                "nativePrice": p.native_price.to_string(),
                "pubdataPrice": p.pubdata_price.to_string(),
                "gasLimit": p.gas_limit.to_string(),
                "coinbase": hex0x(p.coinbase.as_slice()),
            },
            "preState": Value::Object(pre),
            "transactions": self.txs.iter().map(|t| hex0x(&t.signed.raw)).collect::<Vec<_>>(),
            "proof": false,
        });
        if p.pubdata_limit != u64::MAX {
            input["block"]["pubdataLimit"] = json!(p.pubdata_limit.to_string());
        }
        input
    }
}
