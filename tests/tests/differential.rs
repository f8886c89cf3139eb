//! Differential test: random programs run as transactions on zkos and on revm (Ethereum rules,
//! under Cancun, Prague and Osaka) from the same pre-state must agree on status, gas, refund,
//! return data, logs and the whole post-state. From Prague the transactions may carry EIP-7702
//! authorization lists and some accounts hold delegation designators (before Prague no account
//! can: EIP-3541 forbids code starting with 0xef since London). The programs call every
//! precompile, the BLS12-381 ones (0x0b..=0x11, from Prague) with valid and invalid points and MSMs
//! of 1 to 4 pairs (`differential/bls.rs`).

mod differential {
    pub mod bls;
    pub mod delegations;
    pub mod generator;
}

use differential::delegations::{authorities, authority_account, authorization, designator};
use differential::generator::{program, Rng};
use revm::context::either::Either;
use revm::context::{BlockEnv as RevmBlock, Context, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::context_interface::result::{ExecutionResult, Output};
use revm::context_interface::transaction::{
    Authorization as RevmAuthorization, SignedAuthorization,
};
use revm::database::{AccountState, CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::TxKind;
use revm::state::{AccountInfo, Bytecode};
use revm::{ExecuteCommitEvm, MainBuilder, MainContext};
use std::collections::BTreeMap;
use std::rc::Rc;
use zkos_core::bootloader::execute_transaction;
use zkos_core::config::{ChainConfig, Hardfork, ProtocolVersion};
use zkos_core::ee::evm::NoopTracer;
use zkos_core::env::BlockEnv;
use zkos_core::io::Io;
use zkos_core::primitives::{address, hex, Address, Bytes, B256, U256};
use zkos_core::resources::blob::BlobSchedule;
use zkos_core::resources::native::NativeCostTable;
use zkos_core::tx::{Authorization, Transaction};
use zkos_tests::zkos_executor::{in_memory_state, post_state};

/// Number of generated cases per fork.
const CASES: u64 = 10_000;
/// Mismatches printed in full before the test fails.
const PRINTED_MISMATCHES: usize = 5;
/// Gas limit of each transaction.
const TX_GAS_LIMIT: u64 = 2_000_000;
/// Block gas limit.
const BLOCK_GAS_LIMIT: u64 = 30_000_000;
/// Block base fee in wei per gas.
const BASE_FEE_WEI: u64 = 7;
/// Transaction fee cap in wei per gas.
const MAX_FEE_WEI: u64 = 100;
/// Transaction tip cap in wei per gas (paid to the coinbase).
const PRIORITY_FEE_WEI: u64 = 2;
/// Chain id of every transaction and authorization.
const CHAIN_ID: u64 = 1;
/// Sender of every transaction.
const SENDER: Address = address!("00000000000000000000000000000000000a11ce");
/// Block fee recipient.
const COINBASE: Address = address!("000000000000000000000000000000000000c0b0");
/// The called contract and the ones it calls.
const CONTRACTS: [Address; 4] = [
    address!("0000000000000000000000000000000000001000"),
    address!("0000000000000000000000000000000000001001"),
    address!("0000000000000000000000000000000000001002"),
    address!("0000000000000000000000000000000000001003"),
];

/// An account of a pre- or post-state, with only non-zero storage.
type PostAccount = zkos_tests::statetest::executor::AccountState;

type State = BTreeMap<Address, PostAccount>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Success,
    Revert,
    Halt,
}

/// What a transaction did, in engine-independent terms.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    status: Status,
    gas_used: u64,
    gas_refunded: u64,
    output: Bytes,
    /// `(address, topics, data)` of each log of a successful transaction.
    logs: Vec<(Address, Vec<B256>, Bytes)>,
    /// Post-state without empty accounts (EIP-161: none can be created or kept once touched,
    /// and the pre-state has none).
    post: State,
}

/// One generated case: the fork, the pre-state and the transaction's recipient, calldata,
/// value and authorization list.
struct Case {
    fork: Hardfork,
    pre: State,
    to: Address,
    calldata: Bytes,
    value: U256,
    authorizations: Vec<Authorization>,
}

/// Empty in the EIP-161 sense, with no storage either.
fn is_empty(account: &PostAccount) -> bool {
    account.nonce == 0
        && account.balance.is_zero()
        && account.code.is_empty()
        && account.storage.is_empty()
}

fn generate(seed: u64, fork: Hardfork) -> Case {
    let mut rng = Rng::new(seed);
    let authorities = authorities();
    let mut others = CONTRACTS.to_vec();
    others.extend_from_slice(&authorities);
    let mut pre = State::new();
    pre.insert(
        SENDER,
        PostAccount {
            balance: U256::from(10).pow(U256::from(24)),
            nonce: rng.below(3),
            ..Default::default()
        },
    );
    for (i, contract) in CONTRACTS.iter().enumerate() {
        let len = if i == 0 {
            20 + rng.below(40)
        } else {
            5 + rng.below(25)
        };
        let mut code = program(&mut rng, len as usize, &others);
        if fork >= Hardfork::Prague && i > 0 && rng.chance(10) {
            // A designator where a contract would be.
            code = designator(rng.pick(&others));
        }
        let mut storage = BTreeMap::new();
        for key in 0..4u64 {
            if rng.chance(40) {
                storage.insert(U256::from(key), U256::from(1 + rng.below(3)));
            }
        }
        pre.insert(
            *contract,
            PostAccount {
                nonce: 1,
                balance: U256::from(rng.pick(&[0, 1, 1_000_000])),
                code: code.into(),
                storage,
            },
        );
    }
    for authority in &authorities {
        if let Some((nonce, balance, code)) =
            authority_account(&mut rng, &CONTRACTS, fork >= Hardfork::Prague)
        {
            pre.insert(
                *authority,
                PostAccount {
                    nonce,
                    balance,
                    code: code.into(),
                    ..Default::default()
                },
            );
        }
    }
    let mut authorizations = Vec::new();
    if fork >= Hardfork::Prague && rng.chance(30) {
        for _ in 0..1 + rng.below(3) {
            let index = rng.below(authorities.len() as u64) as usize;
            let nonce = pre.get(&authorities[index]).map_or(0, |a| a.nonce);
            authorizations.push(authorization(&mut rng, index, nonce, &CONTRACTS, CHAIN_ID));
        }
    }
    let to = if rng.chance(15) {
        rng.pick(&authorities)
    } else {
        CONTRACTS[0]
    };
    let calldata_len = rng.below(70) as usize;
    let calldata = rng.bytes(calldata_len).into();
    let value = U256::from(rng.pick(&[0, 0, 7]));
    Case {
        fork,
        pre,
        to,
        calldata,
        value,
        authorizations,
    }
}

/// EIP-7702 transactions for authorization lists, EIP-1559 ones otherwise.
fn tx_type(case: &Case) -> u8 {
    if case.authorizations.is_empty() {
        2
    } else {
        4
    }
}

fn run_zkos(case: &Case) -> Outcome {
    let mut state = in_memory_state(&case.pre);
    let mut tx = Transaction::empty(tx_type(case));
    tx.chain_id = Some(CHAIN_ID);
    tx.nonce = case.pre[&SENDER].nonce;
    tx.gas_limit = TX_GAS_LIMIT;
    tx.max_fee_per_gas = MAX_FEE_WEI.into();
    tx.max_priority_fee_per_gas = PRIORITY_FEE_WEI.into();
    tx.to = Some(case.to);
    tx.value = case.value;
    tx.data = case.calldata.clone();
    tx.authorization_list = case.authorizations.clone();
    let block = BlockEnv {
        number: 1,
        timestamp: 1,
        coinbase: COINBASE,
        gas_limit: BLOCK_GAS_LIMIT,
        base_fee: U256::from(BASE_FEE_WEI),
        blob_base_fee: U256::from(1),
        ..BlockEnv::default()
    };
    let config = ChainConfig::ethereum(CHAIN_ID, case.fork);
    let costs = Rc::new(NativeCostTable::for_version(ProtocolVersion::V1));
    let mut io = Io::new(&mut state, costs);
    let receipt = execute_transaction(&mut io, &config, &block, &tx, SENDER, &mut NoopTracer)
        .expect("zkos accepts the transaction");
    let mut post = post_state(&case.pre, &io);
    post.retain(|_, account| !is_empty(account));
    let status = match (receipt.success, receipt.halt) {
        (true, _) => Status::Success,
        (false, None) => Status::Revert,
        (false, Some(_)) => Status::Halt,
    };
    Outcome {
        status,
        gas_used: receipt.gas_used,
        gas_refunded: receipt.gas_refunded,
        output: receipt.output,
        logs: receipt
            .logs
            .into_iter()
            .map(|log| (log.address, log.topics, log.data))
            .collect(),
        post,
    }
}

/// revm's name for `fork`.
fn spec(fork: Hardfork) -> SpecId {
    match fork {
        Hardfork::Cancun => SpecId::CANCUN,
        Hardfork::Prague => SpecId::PRAGUE,
        Hardfork::Osaka => SpecId::OSAKA,
    }
}

fn run_revm(case: &Case) -> Outcome {
    let mut db = CacheDB::new(EmptyDB::default());
    for (address, account) in &case.pre {
        db.insert_account_info(
            *address,
            AccountInfo::default()
                .with_nonce(account.nonce)
                .with_balance(account.balance)
                .with_code(Bytecode::new_raw(account.code.clone())),
        );
        for (key, value) in &account.storage {
            db.insert_account_storage(*address, *key, *value)
                .expect("in-memory storage");
        }
    }
    let mut evm = Context::mainnet()
        .with_db(db)
        .modify_cfg_chained(|cfg| cfg.set_spec_and_mainnet_gas_params(spec(case.fork)))
        .modify_block_chained(|block: &mut RevmBlock| {
            block.number = U256::from(1);
            block.timestamp = U256::from(1);
            block.beneficiary = COINBASE;
            block.gas_limit = BLOCK_GAS_LIMIT;
            block.basefee = BASE_FEE_WEI;
            block.prevrandao = Some(B256::ZERO);
            block.blob_excess_gas_and_price = Some(BlobExcessGasAndPrice::new(
                0,
                BlobSchedule::of(case.fork).update_fraction,
            ));
        })
        .build_mainnet();
    let authorization_list = case
        .authorizations
        .iter()
        .map(|a| {
            let inner = RevmAuthorization {
                chain_id: a.chain_id,
                address: a.address,
                nonce: a.nonce,
            };
            Either::Left(SignedAuthorization::new_unchecked(
                inner, a.y_parity, a.r, a.s,
            ))
        })
        .collect();
    let tx = TxEnv {
        tx_type: tx_type(case),
        caller: SENDER,
        nonce: case.pre[&SENDER].nonce,
        gas_limit: TX_GAS_LIMIT,
        gas_price: MAX_FEE_WEI.into(),
        gas_priority_fee: Some(PRIORITY_FEE_WEI.into()),
        kind: TxKind::Call(case.to),
        value: case.value,
        data: case.calldata.clone(),
        chain_id: Some(CHAIN_ID),
        authorization_list,
        ..TxEnv::default()
    };
    let result = evm
        .transact_commit(tx)
        .expect("revm accepts the transaction");
    let gas_used = result.tx_gas_used();
    let gas_refunded = result.gas().final_refunded();
    let (status, output, logs) = match result {
        ExecutionResult::Success { output, logs, .. } => {
            let output = match output {
                Output::Call(data) => data,
                Output::Create(data, _) => data,
            };
            let logs = logs
                .into_iter()
                .map(|log| (log.address, log.data.topics().to_vec(), log.data.data))
                .collect();
            (Status::Success, output, logs)
        }
        ExecutionResult::Revert { output, .. } => (Status::Revert, output, Vec::new()),
        ExecutionResult::Halt { .. } => (Status::Halt, Bytes::new(), Vec::new()),
    };
    let db = &evm.ctx.journaled_state.database;
    let mut post = State::new();
    for (address, account) in &db.cache.accounts {
        if matches!(account.account_state, AccountState::NotExisting)
            || (account.info.is_empty() && account.storage.values().all(|v| v.is_zero()))
        {
            continue;
        }
        let code = match &account.info.code {
            Some(code) => code.original_bytes(),
            None => db
                .cache
                .contracts
                .get(&account.info.code_hash)
                .map(|c| c.original_bytes())
                .unwrap_or_default(),
        };
        post.insert(
            *address,
            PostAccount {
                nonce: account.info.nonce,
                balance: account.info.balance,
                code,
                storage: account
                    .storage
                    .iter()
                    .filter(|(_, v)| !v.is_zero())
                    .map(|(k, v)| (*k, *v))
                    .collect(),
            },
        );
    }
    Outcome {
        status,
        gas_used,
        gas_refunded,
        output,
        logs,
        post,
    }
}

/// The fields of two outcomes that differ, each as `zkos` then `revm`.
fn difference(zkos: &Outcome, revm: &Outcome) -> String {
    let mut out = format!(
        "  zkos: {:?} gas {} refund {} output {}\n  revm: {:?} gas {} refund {} output {}\n",
        zkos.status,
        zkos.gas_used,
        zkos.gas_refunded,
        zkos.output,
        revm.status,
        revm.gas_used,
        revm.gas_refunded,
        revm.output
    );
    if zkos.logs != revm.logs {
        out += &format!(
            "  logs zkos: {:?}\n  logs revm: {:?}\n",
            zkos.logs, revm.logs
        );
    }
    let addresses: std::collections::BTreeSet<_> =
        zkos.post.keys().chain(revm.post.keys()).collect();
    for address in addresses {
        let (a, b) = (zkos.post.get(address), revm.post.get(address));
        if a != b {
            out += &format!("  account {address}\n    zkos: {a:?}\n    revm: {b:?}\n");
        }
    }
    out
}

fn describe(case: &Case) -> String {
    let mut out = String::new();
    for (i, contract) in CONTRACTS.iter().enumerate() {
        out += &format!(
            "  contract{i} {contract}: {}\n",
            hex::encode(&case.pre[contract].code)
        );
    }
    for address in authorities() {
        if let Some(account) = case.pre.get(&address) {
            out += &format!("  authority {address}: {account:?}\n");
        }
    }
    out += &format!(
        "  {:?} to {} calldata {} value {}\n  authorizations {:?}\n",
        case.fork,
        case.to,
        hex::encode(&case.calldata),
        case.value,
        case.authorizations
    );
    out
}

/// How many cases exercised each kind of behaviour, so a generator that stops producing one
/// is noticed.
#[derive(Debug, Default)]
struct Coverage {
    success: u64,
    revert: u64,
    halt: u64,
    with_logs: u64,
    with_refund: u64,
    with_storage_change: u64,
    with_created_account: u64,
    with_balance_moved: u64,
    /// Cases where an authorization set, changed or cleared an authority's delegation.
    with_delegation_change: u64,
}

impl Coverage {
    fn record(&mut self, case: &Case, outcome: &Outcome) {
        match outcome.status {
            Status::Success => self.success += 1,
            Status::Revert => self.revert += 1,
            Status::Halt => self.halt += 1,
        }
        self.with_logs += u64::from(!outcome.logs.is_empty());
        self.with_refund += u64::from(outcome.gas_refunded > 0);
        let contract_changed = |f: &dyn Fn(&PostAccount, &PostAccount) -> bool| {
            CONTRACTS.iter().any(|c| f(&case.pre[c], &outcome.post[c]))
        };
        self.with_storage_change += u64::from(contract_changed(&|a, b| a.storage != b.storage));
        self.with_balance_moved += u64::from(contract_changed(&|a, b| a.balance != b.balance));
        self.with_created_account += u64::from(
            outcome
                .post
                .keys()
                .any(|a| !case.pre.contains_key(a) && *a != COINBASE),
        );
        let code = |state: &State, a: &Address| state.get(a).map(|a| a.code.clone());
        self.with_delegation_change += u64::from(authorities().iter().any(|a| {
            code(&case.pre, a).unwrap_or_default() != code(&outcome.post, a).unwrap_or_default()
        }));
    }

    /// Each behaviour must show up in at least 1% of the cases (delegation changes from
    /// Prague, where authorizations exist).
    fn assert_meaningful(&self, fork: Hardfork) {
        let floor = CASES / 100;
        if fork >= Hardfork::Prague {
            assert!(
                self.with_delegation_change >= floor,
                "only {} cases with a delegation change",
                self.with_delegation_change
            );
        }
        for (name, count) in [
            ("success", self.success),
            ("revert", self.revert),
            ("halt", self.halt),
            ("logs", self.with_logs),
            ("refund", self.with_refund),
            ("storage change", self.with_storage_change),
            ("created account", self.with_created_account),
            ("balance moved", self.with_balance_moved),
        ] {
            assert!(count >= floor, "only {count} cases with {name}");
        }
    }
}

/// Runs [`CASES`] generated cases under `fork` on both engines and fails on any difference.
fn compare_under(fork: Hardfork) {
    let mut mismatches = 0usize;
    let mut coverage = Coverage::default();
    for seed in 0..CASES {
        let case = generate(seed, fork);
        let zkos = run_zkos(&case);
        let revm = run_revm(&case);
        coverage.record(&case, &revm);
        if zkos != revm {
            mismatches += 1;
            if mismatches <= PRINTED_MISMATCHES {
                eprintln!("MISMATCH seed {seed}\n{}", describe(&case));
                eprintln!("{}", difference(&zkos, &revm));
            }
        }
    }
    eprintln!("{fork:?} coverage (revm outcomes): {coverage:?}");
    assert_eq!(
        mismatches, 0,
        "{mismatches} of {CASES} {fork:?} cases differ"
    );
    coverage.assert_meaningful(fork);
}

#[test]
fn zkos_matches_revm_under_cancun() {
    compare_under(Hardfork::Cancun);
}

#[test]
fn zkos_matches_revm_under_prague() {
    compare_under(Hardfork::Prague);
}

#[test]
fn zkos_matches_revm_under_osaka() {
    compare_under(Hardfork::Osaka);
}
