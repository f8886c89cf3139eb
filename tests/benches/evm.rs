//! zkos against revm on the workloads of `shared/bench/workloads`.
//!
//! Criterion measures both engines per workload; afterwards a table of medians of our own
//! timed runs (thread CPU time, the two engines alternating) gives the zkos/revm ratio in one
//! place.

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
use std::time::Duration;
use zkos_tests::workloads::{self, Workload, CALLER, CONTRACT, GAS_LIMIT};

/// EIP-4844 blob base fee update fraction of Cancun.
const CANCUN_BLOB_UPDATE_FRACTION: u64 = 3_338_477;
/// Timed runs per engine and workload for the ratio table.
const TABLE_RUNS: usize = 15;

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

/// CPU time this thread has run, in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`): on a shared machine
/// the time the thread waits for a core does not count, unlike wall time.
fn thread_cpu_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable `timespec` for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}

/// Thread CPU time of one run of `f`, in milliseconds.
fn cpu_ms(f: &mut impl FnMut()) -> f64 {
    let start = thread_cpu_ns();
    f();
    (thread_cpu_ns() - start) as f64 / 1e6
}

/// Median of `times` (sorted in place).
fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    (times[(n - 1) / 2] + times[n / 2]) / 2.0
}

/// Median thread CPU times of [`TABLE_RUNS`] runs each of `a` and `b`, in milliseconds, after
/// one warm-up run of each. The runs alternate, so a change in the machine's load meets both.
fn median_ms_pair(mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    a();
    b();
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for _ in 0..TABLE_RUNS {
        times_a.push(cpu_ms(&mut a));
        times_b.push(cpu_ms(&mut b));
    }
    (median(&mut times_a), median(&mut times_b))
}

fn print_table() {
    println!();
    println!("| workload | zkos ms | revm ms | zkos/revm |");
    println!("|---|---:|---:|---:|");
    for workload in load() {
        let (zkos, revm) = median_ms_pair(
            || {
                black_box(run_zkos(&workload));
            },
            || {
                black_box(run_revm(&workload));
            },
        );
        println!(
            "| {} | {zkos:.2} | {revm:.2} | {:.2} |",
            workload.name,
            zkos / revm
        );
    }
}

criterion_group!(benches, bench);

/// With `ZKOS_BENCH_ONE=<workload>/<zkos|revm>` in the environment, runs that workload once on
/// that engine and returns `true`: one run to count under an instruction counter (`valgrind
/// --tool=callgrind`), without criterion's timing loops or the table.
fn run_one_if_asked() -> bool {
    let Ok(asked) = std::env::var("ZKOS_BENCH_ONE") else {
        return false;
    };
    let (name, engine) = asked
        .split_once('/')
        .expect("ZKOS_BENCH_ONE is <workload>/<zkos|revm>");
    let workload = load()
        .into_iter()
        .find(|w| w.name == name)
        .expect("ZKOS_BENCH_ONE names a workload");
    let outcome = match engine {
        "zkos" => run_zkos(&workload),
        "revm" => run_revm(&workload),
        other => panic!("ZKOS_BENCH_ONE names engine {other}, not zkos or revm"),
    };
    println!("{name}/{engine}: {outcome:?}");
    true
}

fn main() {
    if run_one_if_asked() {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
    print_table();
}
