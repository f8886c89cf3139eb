//! The state-test [`Executor`] backed by zkos: each case runs through the Ethereum flow of the
//! bootloader on an in-memory state.

use crate::statetest::executor::{AccountState, CaseInput, Executor, Log, Outcome, TxInput};
use std::collections::BTreeMap;
use std::rc::Rc;
use zkos_core::bootloader::execute_transaction;
use zkos_core::config::{ChainConfig, ProtocolVersion};
use zkos_core::ee::evm::NoopTracer;
use zkos_core::env::BlockEnv;
use zkos_core::io::{InMemoryState, Io, StateSource};
use zkos_core::primitives::{keccak256, Address, B256, U256};
use zkos_core::resources::blob::{fake_exponential, BlobSchedule, MIN_BLOB_BASE_FEE_WEI};
use zkos_core::resources::native::NativeCostTable;
use zkos_core::tx::{AccessListItem, Authorization, Transaction};

/// Runs state-test cases on zkos.
#[derive(Clone, Copy, Debug, Default)]
pub struct ZkosExecutor;

fn to_u128(value: Option<U256>) -> Result<u128, String> {
    u128::try_from(value.unwrap_or_default()).map_err(|_| "fee does not fit 128 bits".to_string())
}

fn build_transaction(tx: &TxInput, chain_id: u64) -> Result<Transaction, String> {
    let tx_type = if tx.authorization_list.is_some() {
        4
    } else if !tx.blob_versioned_hashes.is_empty() || tx.max_fee_per_blob_gas.is_some() {
        3
    } else if tx.max_fee_per_gas.is_some() {
        2
    } else if tx.access_list.is_some() {
        1
    } else {
        0
    };
    let mut out = Transaction::empty(tx_type);
    out.chain_id = (tx_type != 0).then_some(chain_id);
    out.nonce = tx.nonce;
    out.gas_limit = tx.gas_limit;
    if tx_type >= 2 {
        out.max_fee_per_gas = to_u128(tx.max_fee_per_gas)?;
        out.max_priority_fee_per_gas = to_u128(tx.max_priority_fee_per_gas)?;
    } else {
        out.max_fee_per_gas = to_u128(tx.gas_price)?;
        out.max_priority_fee_per_gas = out.max_fee_per_gas;
    }
    out.to = tx.to;
    out.value = tx.value;
    out.data = tx.data.clone();
    out.access_list = tx
        .access_list
        .iter()
        .flatten()
        .map(|item| AccessListItem {
            address: item.address,
            storage_keys: item.storage_keys.clone(),
        })
        .collect();
    out.authorization_list = tx
        .authorization_list
        .iter()
        .flatten()
        .map(|a| Authorization {
            chain_id: a.chain_id,
            address: a.address,
            nonce: a.nonce,
            y_parity: a.y_parity,
            r: a.r,
            s: a.s,
        })
        .collect();
    out.max_fee_per_blob_gas = to_u128(tx.max_fee_per_blob_gas)?;
    out.blob_versioned_hashes = tx.blob_versioned_hashes.clone();
    Ok(out)
}

fn block_env(input: &CaseInput) -> BlockEnv {
    let env = &input.env;
    let fraction = env
        .blob_schedule
        .map_or(BlobSchedule::of(input.fork).update_fraction, |s| {
            s.update_fraction
        });
    let first = env.number.saturating_sub(256);
    // The state tests' convention: the hash of block n is keccak256 of n in decimal.
    let block_hashes = (first..env.number)
        .map(|n| keccak256(n.to_string().as_bytes()))
        .collect();
    BlockEnv {
        number: env.number,
        timestamp: env.timestamp,
        coinbase: env.coinbase,
        gas_limit: env.gas_limit,
        base_fee: env.base_fee.unwrap_or_default(),
        prevrandao: env
            .prev_randao
            .unwrap_or_else(|| B256::from(env.difficulty)),
        blob_base_fee: fake_exponential(
            MIN_BLOB_BASE_FEE_WEI,
            env.excess_blob_gas.unwrap_or(0),
            fraction,
        ),
        block_hashes,
    }
}

/// An in-memory state holding `accounts`.
pub fn in_memory_state(accounts: &BTreeMap<Address, AccountState>) -> InMemoryState {
    let mut state = InMemoryState::new();
    for (address, account) in accounts {
        state.set_account(
            *address,
            account.nonce,
            account.balance,
            account.code.clone(),
        );
        for (key, value) in &account.storage {
            state.set_storage(*address, *key, *value);
        }
    }
    state
}

/// `pre` with every change `io` made applied: accounts that no longer exist are removed, slots
/// set to zero dropped.
pub fn post_state<S: StateSource>(
    pre: &BTreeMap<Address, AccountState>,
    io: &Io<S>,
) -> BTreeMap<Address, AccountState> {
    let mut post = pre.clone();
    for (address, account) in io.accounts() {
        if account.exists {
            let entry = post.entry(*address).or_default();
            entry.nonce = account.nonce;
            entry.balance = account.balance;
            entry.code = account.code.bytes().to_vec().into();
        } else {
            post.remove(address);
        }
    }
    for (address, key, _, value) in io.storage_diffs() {
        if let Some(entry) = post.get_mut(&address) {
            if value.is_zero() {
                entry.storage.remove(&key);
            } else {
                entry.storage.insert(key, value);
            }
        }
    }
    post
}

impl Executor for ZkosExecutor {
    fn execute(&self, input: &CaseInput) -> Outcome {
        let mut state = InMemoryState::new();
        for (address, account) in &input.pre {
            state.set_account(
                *address,
                account.nonce,
                account.balance,
                account.code.clone(),
            );
            for (key, value) in &account.storage {
                state.set_storage(*address, *key, *value);
            }
        }
        let tx = match build_transaction(&input.tx, input.env.chain_id) {
            Ok(tx) => tx,
            Err(reason) => return Outcome::Rejected { reason },
        };
        let config = ChainConfig::ethereum(input.env.chain_id, input.fork);
        let block = block_env(input);
        let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
        let mut io = Io::new(&mut state, costs);
        let receipt = match execute_transaction(
            &mut io,
            &config,
            &block,
            &tx,
            input.tx.sender,
            &mut NoopTracer,
        ) {
            Ok(receipt) => receipt,
            Err(invalid) => {
                return Outcome::Rejected {
                    reason: format!("{invalid:?}"),
                }
            }
        };
        let post = post_state(&input.pre, &io);
        let logs = receipt
            .logs
            .into_iter()
            .map(|log| Log {
                address: log.address,
                topics: log.topics,
                data: log.data,
            })
            .collect();
        Outcome::Executed { post, logs }
    }
}
