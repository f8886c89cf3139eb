//! A reference [`Executor`] backed by revm, used to check the runner itself against an EVM that
//! is known to pass the Ethereum state tests.

use std::collections::BTreeMap;

use revm::context::transaction::{
    AccessList, AccessListItem as RevmAccessListItem, Authorization as RevmAuthorization,
    RecoveredAuthority, RecoveredAuthorization, SignedAuthorization,
};
use revm::context::{BlockEnv, CfgEnv, Context, TxEnv};
use revm::context_interface::either::Either;
use revm::context_interface::result::ExecutionResult;
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::TxKind;
use revm::state::{AccountInfo, Bytecode, EvmState};
use revm::{ExecuteEvm, MainBuilder, MainContext};
use zkos_core::primitives::{Address, B256, U256};

use super::executor::{AccountState, CaseInput, Executor, Fork, Log, Outcome, TxInput};

/// EIP-4844 blob base fee update fraction of Cancun.
const CANCUN_BLOB_UPDATE_FRACTION: u64 = 3_338_477;
/// EIP-7691 blob base fee update fraction of Prague and Osaka.
const PRAGUE_BLOB_UPDATE_FRACTION: u64 = 5_007_716;
/// Most blobs one transaction may carry: the block maximum before Osaka (6 in Cancun, 9 in
/// Prague), the EIP-7594 per-transaction cap of 6 from Osaka on.
fn max_blobs_per_tx(fork: Fork, block_max: Option<u64>) -> u64 {
    match fork {
        Fork::Cancun => block_max.unwrap_or(6),
        Fork::Prague => block_max.unwrap_or(9),
        Fork::Osaka => 6,
    }
}

/// Executes cases with revm's mainnet EVM.
#[derive(Clone, Copy, Debug, Default)]
pub struct RevmExecutor;

fn spec_of(fork: Fork) -> SpecId {
    match fork {
        Fork::Cancun => SpecId::CANCUN,
        Fork::Prague => SpecId::PRAGUE,
        Fork::Osaka => SpecId::OSAKA,
    }
}

fn to_u128(value: U256) -> u128 {
    u128::try_from(value).unwrap_or(u128::MAX)
}

fn to_u64(value: U256) -> u64 {
    u64::try_from(value).unwrap_or(u64::MAX)
}

/// EIP-2718 type of the transaction: from `txbytes` when given, else from its fields.
fn tx_type(tx: &TxInput) -> u8 {
    if let Some(first) = tx.tx_bytes.as_ref().and_then(|b| b.first()) {
        if *first < 0x7f {
            return *first;
        }
        return 0;
    }
    if tx.authorization_list.is_some() {
        4
    } else if tx.max_fee_per_blob_gas.is_some() || !tx.blob_versioned_hashes.is_empty() {
        3
    } else if tx.max_fee_per_gas.is_some() {
        2
    } else if tx.access_list.is_some() {
        1
    } else {
        0
    }
}

fn tx_env(tx: &TxInput, chain_id: u64) -> TxEnv {
    let kind = tx_type(tx);
    let access_list = AccessList(
        tx.access_list
            .iter()
            .flatten()
            .map(|item| RevmAccessListItem {
                address: item.address,
                storage_keys: item.storage_keys.clone(),
            })
            .collect(),
    );
    let authorization_list = tx
        .authorization_list
        .iter()
        .flatten()
        .map(|auth| {
            let inner = RevmAuthorization {
                chain_id: auth.chain_id,
                address: auth.address,
                nonce: auth.nonce,
            };
            match auth.signer {
                Some(signer) => Either::Right(RecoveredAuthorization::new_unchecked(
                    inner,
                    RecoveredAuthority::Valid(signer),
                )),
                None => Either::Left(SignedAuthorization::new_unchecked(
                    inner,
                    auth.y_parity,
                    auth.r,
                    auth.s,
                )),
            }
        })
        .collect();
    let (gas_price, gas_priority_fee) = if kind >= 2 {
        (
            to_u128(tx.max_fee_per_gas.unwrap_or_default()),
            Some(to_u128(tx.max_priority_fee_per_gas.unwrap_or_default())),
        )
    } else {
        (to_u128(tx.gas_price.unwrap_or_default()), None)
    };
    TxEnv {
        tx_type: kind,
        caller: tx.sender,
        gas_limit: tx.gas_limit,
        gas_price,
        kind: tx.to.map_or(TxKind::Create, TxKind::Call),
        value: tx.value,
        data: tx.data.clone(),
        nonce: tx.nonce,
        chain_id: Some(chain_id),
        access_list,
        gas_priority_fee,
        blob_hashes: tx.blob_versioned_hashes.clone(),
        max_fee_per_blob_gas: to_u128(tx.max_fee_per_blob_gas.unwrap_or_default()),
        authorization_list,
    }
}

/// Applies revm's touched accounts to `pre`, deleting self-destructed and (EIP-161) touched
/// empty accounts.
fn apply_changes(
    mut state: BTreeMap<Address, AccountState>,
    changes: EvmState,
) -> BTreeMap<Address, AccountState> {
    for (address, account) in changes {
        if !account.is_touched() {
            continue;
        }
        if account.is_selfdestructed() || account.is_empty() {
            state.remove(&address);
            continue;
        }
        let entry = state.entry(address).or_default();
        if account.is_created() {
            entry.storage.clear();
        }
        entry.nonce = account.info.nonce;
        entry.balance = account.info.balance;
        if let Some(code) = &account.info.code {
            entry.code = code.original_bytes();
        }
        for (slot, value) in &account.storage {
            entry.storage.insert(*slot, value.present_value);
        }
        entry.storage.retain(|_, value| !value.is_zero());
    }
    state
}

impl Executor for RevmExecutor {
    fn execute(&self, input: &CaseInput) -> Outcome {
        let mut db = CacheDB::new(EmptyDB::default());
        for (address, account) in &input.pre {
            let code = Bytecode::new_raw(account.code.clone());
            let info = AccountInfo::new(account.balance, account.nonce, code.hash_slow(), code);
            db.insert_account_info(*address, info);
            for (slot, value) in &account.storage {
                if let Err(e) = db.insert_account_storage(*address, *slot, *value) {
                    return Outcome::Rejected {
                        reason: format!("database: {e:?}"),
                    };
                }
            }
        }
        if tx_type(&input.tx) == 3 && input.tx.to.is_none() {
            return Outcome::Rejected {
                reason: "blob transaction cannot create a contract".into(),
            };
        }
        let env = &input.env;
        let default_fraction = match input.fork {
            Fork::Cancun => CANCUN_BLOB_UPDATE_FRACTION,
            Fork::Prague | Fork::Osaka => PRAGUE_BLOB_UPDATE_FRACTION,
        };
        let fraction = env
            .blob_schedule
            .map_or(default_fraction, |s| s.update_fraction);
        let mut cfg = CfgEnv::new().with_chain_id(env.chain_id);
        cfg.set_spec_and_mainnet_gas_params(spec_of(input.fork));
        cfg.blob_base_fee_update_fraction = Some(fraction);
        cfg.max_blobs_per_tx = Some(max_blobs_per_tx(
            input.fork,
            env.blob_schedule.map(|s| s.max),
        ));
        let mut block = BlockEnv {
            number: U256::from(env.number),
            beneficiary: env.coinbase,
            timestamp: U256::from(env.timestamp),
            gas_limit: env.gas_limit,
            basefee: env.base_fee.map(to_u64).unwrap_or_default(),
            difficulty: env.difficulty,
            prevrandao: Some(
                env.prev_randao
                    .unwrap_or_else(|| B256::from(env.difficulty)),
            ),
            ..BlockEnv::default()
        };
        block.set_blob_excess_gas_and_price(env.excess_blob_gas.unwrap_or_default(), fraction);
        let mut evm = Context::mainnet()
            .with_db(db)
            .with_cfg(cfg)
            .with_block(block)
            .build_mainnet();
        match evm.transact(tx_env(&input.tx, env.chain_id)) {
            Ok(result) => {
                let logs = match &result.result {
                    ExecutionResult::Success { logs, .. } => logs
                        .iter()
                        .map(|log| Log {
                            address: log.address,
                            topics: log.data.topics().to_vec(),
                            data: log.data.data.clone(),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                Outcome::Executed {
                    post: apply_changes(input.pre.clone(), result.state),
                    logs,
                }
            }
            Err(e) => Outcome::Rejected {
                reason: format!("{e:?}"),
            },
        }
    }
}
