//! The state after a block on both sides: zkos's engine against the oracle's `accountDiffs`
//! (balance, nonce, whether code is there) and `storageWriteList` (slots of user accounts by
//! `accountKey`, the slot; its `key` is the tree key), in both directions, so a change either side makes alone is caught.

use crate::oracle_diff::case::{BlockCase, PreAccount};
use crate::oracle_diff::compare::{Field, Mismatch};
use alloy_primitives::{address, Address, B256, U256};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use zkos_core::engine::Engine;

/// Upstream's account-properties storage (nonce, balance, code hash of every account), whose
/// slots the oracle lists among the storage writes; accounts are compared through
/// `accountDiffs` instead.
const ACCOUNT_PROPERTIES: Address = address!("0000000000000000000000000000000000008003");
/// The top of kernel space: accounts below it are system accounts, carried and compared only
/// when the flow's pre-state holds them.
const KERNEL_SPACE_END: u64 = 0x1_0000;

fn user_account(address: &Address) -> bool {
    address.as_slice()[..18].iter().any(|b| *b != 0)
        || u64::from(u16::from_be_bytes([address[18], address[19]])) >= KERNEL_SPACE_END
}

/// One account as the oracle reports it after the block.
struct OracleAccount {
    balance: U256,
    nonce: u64,
    has_code: bool,
}

fn text<'a>(v: &'a Value, field: &str) -> Result<&'a str, String> {
    v.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("oracle state lacks `{field}`"))
}

fn parse<T: std::str::FromStr>(v: &Value, field: &str) -> Result<T, String> {
    let s = text(v, field)?;
    s.parse()
        .map_err(|_| format!("oracle state `{field}`: {s}"))
}

/// The oracle's changed accounts and written user slots.
type OracleState = (
    BTreeMap<Address, OracleAccount>,
    BTreeMap<(Address, B256), B256>,
);

fn oracle_state(output: &Value) -> Result<OracleState, String> {
    let block = output.get("block").ok_or("oracle output lacks `block`")?;
    let mut accounts = BTreeMap::new();
    for diff in block
        .get("accountDiffs")
        .and_then(Value::as_array)
        .ok_or("oracle output lacks `accountDiffs`")?
    {
        let hash: B256 = parse(diff, "bytecodeHash")?;
        accounts.insert(
            parse(diff, "address")?,
            OracleAccount {
                balance: parse(diff, "balance")?,
                nonce: parse(diff, "nonce")?,
                has_code: hash != B256::ZERO,
            },
        );
    }
    let mut slots = BTreeMap::new();
    for write in block
        .get("storageWriteList")
        .and_then(Value::as_array)
        .ok_or("oracle output lacks `storageWriteList`")?
    {
        let account: Address = parse(write, "account")?;
        if account != ACCOUNT_PROPERTIES {
            slots.insert(
                (account, parse(write, "accountKey")?),
                parse(write, "value")?,
            );
        }
    }
    Ok((accounts, slots))
}

/// The accounts after the block on zkos: every user account the engine holds, and the
/// system accounts `before` held; a slot `before` held and the block zeroed stays, as zero.
pub fn after(
    before: &BTreeMap<Address, PreAccount>,
    engine: &Engine,
) -> BTreeMap<Address, PreAccount> {
    let mut out = BTreeMap::new();
    for address in engine.addresses() {
        if !user_account(&address) && !before.contains_key(&address) {
            continue;
        }
        let mut storage: BTreeMap<B256, B256> = engine
            .get_storage_all(&address)
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, v)| (B256::from(k), B256::from(v)))
            .collect();
        // A slot the block zeroed keeps its leaf (upstream's tree has no deletion): carried
        // as a zero, which both sides then read as an existing slot.
        if let Some(was) = before.get(&address) {
            for key in was.storage.keys() {
                storage.entry(*key).or_insert(B256::ZERO);
            }
        }
        let account = PreAccount {
            balance: engine.get_balance(&address),
            nonce: engine.get_nonce(&address),
            code: engine.get_code(&address).to_vec(),
            storage,
        };
        if account != PreAccount::default() {
            out.insert(address, account);
        }
    }
    out
}

/// Every difference between zkos's state after `case` (`after`, see [`after`]) and the
/// oracle's `output` for it.
pub fn compare(
    case: &BlockCase,
    after: &BTreeMap<Address, PreAccount>,
    output: &Value,
) -> Result<Vec<Mismatch>, String> {
    let (accounts, slots) = oracle_state(output)?;
    let mut out = Vec::new();
    let mut differ = |what: String, zkos: String, oracle: String| {
        if zkos != oracle {
            out.push(Mismatch {
                seed: case.seed,
                tx: None,
                kind: "state".into(),
                field: Field::State,
                zkos: format!("{what}: {zkos}"),
                oracle: format!("{what}: {oracle}"),
                delta: None,
            });
        }
    };
    let empty = PreAccount::default();
    let summary = |a: &PreAccount| {
        format!(
            "balance {} nonce {} code {}",
            a.balance,
            a.nonce,
            !a.code.is_empty()
        )
    };
    let before_or_empty = |address: &Address| case.pre_state.get(address).unwrap_or(&empty);
    // Accounts: the oracle's changed ones against zkos's, then zkos's changes it did not list.
    let mut seen = BTreeSet::new();
    for (address, o) in &accounts {
        seen.insert(*address);
        let z = after.get(address).unwrap_or(&empty);
        let oracle = format!(
            "balance {} nonce {} code {}",
            o.balance, o.nonce, o.has_code
        );
        differ(format!("account {address}"), summary(z), oracle);
    }
    for (address, z) in after {
        let before = before_or_empty(address);
        let changed = (z.balance, z.nonce, &z.code) != (before.balance, before.nonce, &before.code);
        if changed && !seen.contains(address) {
            differ(
                format!("account {address}"),
                summary(z),
                format!("unchanged: {}", summary(before)),
            );
        }
    }
    // Slots: the oracle's user writes against zkos's values, then zkos's changed slots.
    let value_in = |a: Option<&PreAccount>, key: &B256| {
        a.and_then(|a| a.storage.get(key))
            .copied()
            .unwrap_or_default()
    };
    for ((address, key), value) in &slots {
        let z = value_in(after.get(address), key);
        differ(
            format!("slot {address} {key}"),
            z.to_string(),
            value.to_string(),
        );
    }
    let addresses: BTreeSet<&Address> = after.keys().chain(case.pre_state.keys()).collect();
    for address in addresses {
        let keys: BTreeSet<&B256> = [after.get(address), case.pre_state.get(address)]
            .into_iter()
            .flatten()
            .flat_map(|a| a.storage.keys())
            .collect();
        for key in keys {
            let z = value_in(after.get(address), key);
            let before = value_in(case.pre_state.get(address), key);
            if z != before && !slots.contains_key(&(*address, *key)) {
                differ(
                    format!("slot {address} {key}"),
                    z.to_string(),
                    format!("unwritten: {before}"),
                );
            }
        }
    }
    Ok(out)
}
