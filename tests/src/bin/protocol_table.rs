//! `protocol_table`: the README's table of the same transactions under protocol versions 1 and
//! 2 and on `zksync-os-oracle` (upstream ZKsync OS), so a reader sees what version 2 changed.
//!
//! ```text
//! cargo run --release -p zkos-tests --bin protocol_table
//! ```
//! Each transaction runs alone in a block over the same pre-state (one funded sender, an
//! existing account, the Solidity ERC-20 fixture holding the sender's tokens, the storage and
//! keccak helper contracts of the oracle differential test) at base fee 1,000 wei, native
//! price 10 wei (100 native per gas) and pubdata price 1,000 wei (100 native per byte); it
//! prints a Markdown table of gas used, native used, pubdata bytes and the fee (gas used ×
//! 1,000 wei). Exit status 2 when the oracle is absent or a block cannot run.

use alloy_primitives::{address, Address, U256};
use std::collections::BTreeMap;
use std::process::ExitCode;
use zkos_core::config::ProtocolVersion;
use zkos_tests::oracle_diff::case::{BlockCase, BlockParams, CaseTx, PreAccount};
use zkos_tests::oracle_diff::contracts::{self, TokenCode};
use zkos_tests::oracle_diff::outcome::TxOutcome;
use zkos_tests::oracle_diff::sign::{self, TxRequest};
use zkos_tests::oracle_diff::{generate, oracle, zkos};

/// Base fee per gas, in wei (the fee column is gas used × this).
const BASE_FEE_WEI: u128 = 1_000;
/// Price of one unit of native, in wei.
const NATIVE_PRICE_WEI: u128 = 10;
/// Price of one pubdata byte, in wei.
const PUBDATA_PRICE_WEI: u128 = 1_000;
/// Gas limit of every transaction (ample for each).
const TX_GAS_LIMIT: u64 = 10_000_000;
/// The sender's balance: 1,000 ether.
const SENDER_WEI: u128 = 1_000_000_000_000_000_000_000;
/// Token units the sender holds.
const SENDER_TOKENS: u128 = 1_000_000;
/// Calldata bytes of the calldata-heavy transaction.
const CALLDATA_BYTES: usize = 4_000;

const EXISTING: Address = address!("1111111111111111111111111111111111111111");
const NEW_ACCOUNT: Address = address!("2222222222222222222222222222222222222222");
const TOKEN: Address = address!("7070707070707070707070707070707070707070");
const STORAGE_WRITER: Address = address!("c0de000000000000000000000000000000000001");
const KECCAK: Address = address!("c0de000000000000000000000000000000000003");

/// The pre-state every row starts from.
fn pre_state(sender: Address, token: &TokenCode) -> BTreeMap<Address, PreAccount> {
    let funded = |balance: u128| PreAccount {
        balance: U256::from(balance),
        ..PreAccount::default()
    };
    let contract = |code: Vec<u8>| PreAccount {
        nonce: 1,
        code,
        ..PreAccount::default()
    };
    let mut token_account = contract(token.runtime.clone());
    token_account.storage.insert(
        contracts::token_balance_slot(&sender),
        U256::from(SENDER_TOKENS).into(),
    );
    BTreeMap::from([
        (sender, funded(SENDER_WEI)),
        (EXISTING, funded(1_000_000_000)),
        (TOKEN, token_account),
        (STORAGE_WRITER, contract(contracts::storage_writer())),
        (KECCAK, contract(contracts::keccak_loop())),
    ])
}

/// The rows: a label, the recipient (`None` deploys), the value and the calldata.
fn rows(token: &TokenCode) -> Vec<(&'static str, Option<Address>, u64, Vec<u8>)> {
    let calldata: Vec<u8> = (0..CALLDATA_BYTES).map(|i| (i % 251) as u8).collect();
    vec![
        (
            "ETH transfer to a new account",
            Some(NEW_ACCOUNT),
            1,
            vec![],
        ),
        (
            "ETH transfer to an existing account",
            Some(EXISTING),
            1,
            vec![],
        ),
        ("ERC-20 deployment", None, 0, token.initcode.clone()),
        (
            "ERC-20 transfer",
            Some(TOKEN),
            0,
            contracts::transfer_call(&EXISTING, U256::from(1_000u64)),
        ),
        (
            "20 new storage slots",
            Some(STORAGE_WRITER),
            0,
            contracts::words(&[100, 20, 7]),
        ),
        (
            "keccak-heavy (100 × 256 bytes)",
            Some(KECCAK),
            0,
            contracts::words(&[100, 256]),
        ),
        ("calldata-heavy (4,000 bytes)", Some(EXISTING), 0, calldata),
    ]
}

/// One row's block: the transaction alone over the pre-state.
fn case(
    sender_key: &k256::ecdsa::SigningKey,
    token: &TokenCode,
    to: Option<Address>,
    value: u64,
    data: Vec<u8>,
) -> BlockCase {
    let request = TxRequest {
        tx_type: 2,
        chain_id: generate::CHAIN_ID,
        nonce: 0,
        gas_limit: TX_GAS_LIMIT,
        max_fee_per_gas: BASE_FEE_WEI,
        max_priority_fee_per_gas: 0,
        to,
        value: U256::from(value),
        data,
        access_list: Vec::new(),
        authorizations: Vec::new(),
    };
    let signed = sign::sign(&request, sender_key);
    BlockCase {
        seed: 0,
        chain_id: generate::CHAIN_ID,
        params: BlockParams {
            number: 1,
            timestamp: 1_700_000_000,
            base_fee: BASE_FEE_WEI,
            native_price: NATIVE_PRICE_WEI,
            pubdata_price: PUBDATA_PRICE_WEI,
            gas_limit: 100_000_000,
            coinbase: Address::ZERO,
            pubdata_limit: u64::MAX,
        },
        pre_state: pre_state(signed.from, token),
        txs: vec![CaseTx {
            kind: String::new(),
            signed,
        }],
    }
}

/// A table cell group: gas, native, pubdata, fee (or the status when it did not succeed).
fn cells(outcome: &TxOutcome) -> String {
    let status = match (&outcome.reason, outcome.status.name()) {
        (Some(reason), _) => format!(" ({reason})"),
        (None, "success") => String::new(),
        (None, other) => format!(" ({other})"),
    };
    format!(
        "{}{status} | {} | {} | {}",
        group(u128::from(outcome.gas_used)),
        group(u128::from(outcome.native_used)),
        group(u128::from(outcome.pubdata_used)),
        group(u128::from(outcome.gas_used) * BASE_FEE_WEI)
    )
}

/// `n` with thousands separators.
fn group(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn run() -> Result<(), String> {
    let binary = oracle::locate()?;
    let token = contracts::token()?;
    let key = sign::hardhat_key();
    println!(
        "| transaction | run by | gas used | native used | pubdata bytes | fee (wei) |\n|---|---|---:|---:|---:|---:|"
    );
    for (label, to, value, data) in rows(&token) {
        let case = case(&key, &token, to, value, data);
        let v1 = zkos::run_at(&case, ProtocolVersion::V1)?;
        let v2 = zkos::run_at(&case, ProtocolVersion::V2)?;
        let upstream = oracle::run(&binary, &case)?;
        for (side, outcome) in [
            ("zkos v1", &v1.txs[0]),
            ("zkos v2", &v2.txs[0]),
            ("oracle", &upstream.txs[0]),
        ] {
            println!("| {label} | {side} | {} |", cells(outcome));
        }
    }
    println!(
        "\nbase fee {BASE_FEE_WEI} wei, native price {NATIVE_PRICE_WEI} wei, pubdata price {PUBDATA_PRICE_WEI} wei"
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("protocol_table: {error}");
            ExitCode::from(2)
        }
    }
}
