//! zkos against revm on the workloads of `shared/bench/workloads`.
//!
//! Criterion measures both engines per workload; afterwards a table of medians of our own
//! timed runs gives the zkos/revm ratio in one place.

use criterion::{criterion_group, Criterion};
use revm::context::{BlockEnv, Context, TxEnv};
use revm::context_interface::block::BlobExcessGasAndPrice;
use revm::context_interface::result::{ExecutionResult, Output};
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::{Bytes, TxKind, U256};
use revm::state::{AccountInfo, Bytecode};
use revm::{ExecuteEvm, MainBuilder, MainContext};
use std::hint::black_box;
use std::time::{Duration, Instant};
use zkos_tests::workloads::{self, Workload, CALLER, CONTRACT, GAS_LIMIT};

/// EIP-4844 blob base fee update fraction of Cancun.
const CANCUN_BLOB_UPDATE_FRACTION: u64 = 3_338_477;
/// Timed runs per engine and workload for the ratio table.
const TABLE_RUNS: usize = 10;

/// What both engines must agree on before anything is timed.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    success: bool,
    gas_used: u64,
    output: Bytes,
}

/// Runs `workload` once on revm from the same pre-state as [`workloads::pre_state`].
fn run_revm(workload: &Workload) -> Outcome {
    let mut db = CacheDB::new(EmptyDB::default());
    db.insert_account_info(
        CONTRACT,
        AccountInfo::default()
            .with_nonce(1)
            .with_code(Bytecode::new_raw(workload.code.clone().into())),
    );
    db.insert_account_info(
        CALLER,
        AccountInfo::default().with_balance(U256::from(10).pow(U256::from(30))),
    );
    let mut evm = Context::mainnet()
        .with_db(db)
        .modify_cfg_chained(|cfg| cfg.set_spec_and_mainnet_gas_params(SpecId::CANCUN))
        .modify_block_chained(|block: &mut BlockEnv| {
            block.number = U256::from(1);
            block.timestamp = U256::from(1);
            block.gas_limit = GAS_LIMIT;
            block.basefee = 0;
            block.prevrandao = Some(Default::default());
            block.blob_excess_gas_and_price =
                Some(BlobExcessGasAndPrice::new(0, CANCUN_BLOB_UPDATE_FRACTION));
        })
        .build_mainnet();
    let tx = TxEnv {
        tx_type: 2,
        caller: CALLER,
        gas_limit: GAS_LIMIT,
        gas_price: 1,
        gas_priority_fee: Some(0),
        kind: TxKind::Call(CONTRACT),
        data: workload.calldata.clone().into(),
        chain_id: Some(1),
        ..TxEnv::default()
    };
    let result = evm.transact(tx).expect("revm accepts the workload").result;
    let gas_used = result.tx_gas_used();
    match result {
        ExecutionResult::Success { output, .. } => Outcome {
            success: true,
            gas_used,
            output: match output {
                Output::Call(data) => data,
                Output::Create(data, _) => data,
            },
        },
        ExecutionResult::Revert { output, .. } => Outcome {
            success: false,
            gas_used,
            output,
        },
        ExecutionResult::Halt { .. } => Outcome {
            success: false,
            gas_used,
            output: Bytes::new(),
        },
    }
}

fn run_zkos(workload: &Workload) -> Outcome {
    let receipt = workloads::run_zkos(workload);
    Outcome {
        success: receipt.success,
        gas_used: receipt.gas_used,
        output: receipt.output,
    }
}

fn load() -> Vec<Workload> {
    workloads::load(&workloads::default_dir()).expect("workloads present")
}

/// Checks both engines agree on `workload`; panics with both outcomes if not.
fn assert_agree(workload: &Workload) {
    let zkos = run_zkos(workload);
    let revm = run_revm(workload);
    assert!(
        zkos.success,
        "{}: zkos did not succeed: {zkos:?}",
        workload.name
    );
    assert_eq!(zkos, revm, "{}: zkos and revm disagree", workload.name);
}

fn bench(c: &mut Criterion) {
    for workload in load() {
        assert_agree(&workload);
        let mut group = c.benchmark_group(&workload.name);
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(3));
        group.bench_function("zkos", |b| b.iter(|| black_box(run_zkos(&workload))));
        group.bench_function("revm", |b| b.iter(|| black_box(run_revm(&workload))));
        group.finish();
    }
}

/// Median wall time of [`TABLE_RUNS`] runs of `f` after one warm-up run, in milliseconds.
fn median_ms(mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..TABLE_RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[TABLE_RUNS / 2 - 1] + times[TABLE_RUNS / 2]) / 2.0
}

fn print_table() {
    println!();
    println!("| workload | zkos ms | revm ms | zkos/revm |");
    println!("|---|---:|---:|---:|");
    for workload in load() {
        let zkos = median_ms(|| {
            black_box(run_zkos(&workload));
        });
        let revm = median_ms(|| {
            black_box(run_revm(&workload));
        });
        println!(
            "| {} | {zkos:.2} | {revm:.2} | {:.2} |",
            workload.name,
            zkos / revm
        );
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_table();
}
