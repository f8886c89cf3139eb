//! `oracle_diff`: runs seeded blocks on zkos and on `zksync-os-oracle` (upstream ZKsync OS) and
//! prints the mismatch table.
//!
//! ```text
//! oracle_diff [--seed N] [--blocks N] [--max-seconds S] [--list N] [--dump SEED] [--show SEED]
//!             [--record DIR [--block SEED]] [--estimate] [--real [--record DIR | --estimate | --fuzz]]
//!             [--real --estimate --fuzz]
//! ```
//! `--list N` prints the first N mismatches in full; `--dump SEED` prints the oracle input of
//! one block (a block seed as the list shows it) and exits; `--show SEED` runs that block and
//! prints each transaction's figures under protocol versions 1 and 2 and the oracle's, then
//! version 2's mismatches in every compared field
//! (`--show-input FILE` the same for an oracle input file, e.g. a `--dump` cut down by hand); `--record DIR` writes into DIR a fixed test
//! vector (see `oracle_diff::vector`) for each block of the run that brings a scenario no
//! earlier block had, or with `--block SEED` for that one block (never over an existing file);
//! `--estimate` checks zkos's gas
//! estimates on the oracle instead (see `oracle_diff::estimate`) and prints the tightness
//! table and the first `--list` failures (all of them without `--list`); `--real` runs the
//! real-contract flow instead (published Uniswap V2, OpenZeppelin and Safe builds, see
//! `oracle_diff::real`), with `--record DIR` writing each of its blocks as a vector
//! `real-block-N.json`, with `--estimate` checking its estimates, with `--fuzz` following the
//! flow with `--blocks` blocks of random calls of the builds' functions drawn from `--seed`
//! (see `oracle_diff::real::fuzz`), with both checking the estimates of that longer flow. Exit status: 0 when both sides
//! agree everywhere, 1 on mismatches, 2 when the oracle is absent or a block cannot run.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use zkos_core::config::ProtocolVersion;
use zkos_tests::oracle_diff::{
    self, compare, contracts, estimate, estimate_report, generate, oracle, real, vector, zkos,
};

struct Args {
    seed: u64,
    blocks: u64,
    max_seconds: Option<u64>,
    list: usize,
    dump: Option<u64>,
    show: Option<u64>,
    show_input: Option<PathBuf>,
    record: Option<PathBuf>,
    block: Option<u64>,
    estimate: bool,
    real: bool,
    fuzz: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        blocks: 20,
        max_seconds: None,
        list: 0,
        dump: None,
        show: None,
        show_input: None,
        record: None,
        block: None,
        estimate: false,
        real: false,
        fuzz: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || -> Result<u64, String> {
            let text = it.next().ok_or(format!("{flag} needs a value"))?;
            text.parse().map_err(|e| format!("{flag} {text}: {e}"))
        };
        if flag == "--record" {
            args.record = Some(PathBuf::from(
                it.next().ok_or("--record needs a directory")?,
            ));
            continue;
        }
        if flag == "--show-input" {
            args.show_input = Some(PathBuf::from(it.next().ok_or("--show-input needs a file")?));
            continue;
        }
        if flag == "--estimate" {
            args.estimate = true;
            continue;
        }
        if flag == "--real" {
            args.real = true;
            continue;
        }
        if flag == "--fuzz" {
            args.fuzz = true;
            continue;
        }
        match flag.as_str() {
            "--seed" => args.seed = value()?,
            "--blocks" => args.blocks = value()?,
            "--max-seconds" => args.max_seconds = Some(value()?),
            "--list" => args.list = value()? as usize,
            "--dump" => args.dump = Some(value()?),
            "--show" => args.show = Some(value()?),
            "--block" => args.block = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.dump {
        let token = match contracts::token() {
            Ok(token) => token,
            Err(e) => {
                eprintln!("oracle_diff: {e}");
                return ExitCode::from(2);
            }
        };
        let case = generate::block(seed, &token);
        let kinds: Vec<&str> = case.txs.iter().map(|t| t.kind.as_str()).collect();
        eprintln!("block {seed}: {kinds:?}");
        println!("{:#}", case.oracle_input());
        return ExitCode::SUCCESS;
    }
    let binary = match oracle::locate() {
        Ok(path) => path,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    let shown = match (&args.show, &args.show_input) {
        (Some(seed), _) => Some(contracts::token().map(|token| generate::block(*seed, &token))),
        (None, Some(file)) => Some(read_input(file)),
        (None, None) => None,
    };
    if let Some(case) = shown {
        return match case.and_then(|case| show(&binary, &case)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("oracle_diff: {e}");
                ExitCode::from(2)
            }
        };
    }
    if args.real && args.estimate {
        return real_estimates(&binary, &args);
    }
    if args.real && args.fuzz {
        return real_fuzz(&binary, &args);
    }
    if args.real {
        return real_contracts(&binary, args.record.as_deref(), args.list);
    }
    if let Some(dir) = &args.record {
        let recorded = match args.block {
            Some(block) => record_block(&binary, block, dir),
            None => record(&binary, args.seed, args.blocks, dir),
        };
        return match recorded {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("oracle_diff: {e}");
                ExitCode::from(2)
            }
        };
    }
    let budget = args.max_seconds.map(Duration::from_secs);
    if args.estimate {
        return estimates(&binary, &args, budget);
    }
    let report = match oracle_diff::run(&binary, args.seed, args.blocks, budget) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "seed {}: {} blocks ({} without transactions), {} transactions, {} mismatches{}",
        args.seed,
        report.blocks,
        report.empty_blocks,
        report.transactions(),
        report.mismatches.len(),
        if report.timed_out {
            " (stopped by the time budget)"
        } else {
            ""
        }
    );
    print!("{}", report.table());
    print_mismatches(&report.mismatches, args.list);
    for (seed, error) in &report.errors {
        eprintln!("block {seed}: {error}");
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs block `seed` on zkos under protocol versions 1 and 2 and on the oracle, and prints each
/// transaction's figures side by side, with the fee (gas used × gas price) in wei.
fn show(binary: &std::path::Path, case: &oracle_diff::case::BlockCase) -> Result<(), String> {
    let seed = case.seed;
    let upstream = oracle::run(binary, case)?;
    let v2 = zkos::run_at(case, ProtocolVersion::V2)?;
    let v1 = zkos::run_at(case, ProtocolVersion::V1)?;
    let p = &case.params;
    println!(
        "block {seed}: base fee {}, native price {}, pubdata price {}, coinbase {}",
        p.base_fee, p.native_price, p.pubdata_price, p.coinbase
    );
    println!(
        "{:>3} {:<28} {:>6} {:>9} {:>9} {:>12} {:>12} {:>7} {:>14}",
        "tx",
        "scenario",
        "side",
        "gasUsed",
        "refunded",
        "nativeUsed",
        "compNative",
        "pubdata",
        "fee"
    );
    for (i, tx) in case.txs.iter().enumerate() {
        let price = gas_price(&tx.signed.raw, p.base_fee);
        for (side, outcome) in [
            ("v1", &v1.txs[i]),
            ("v2", &v2.txs[i]),
            ("oracle", &upstream.txs[i]),
        ] {
            let status = match &outcome.reason {
                Some(reason) => format!("invalid: {reason}"),
                None => outcome.status.name().to_string(),
            };
            println!(
                "{:>3} {:<28} {:>6} {:>9} {:>9} {:>12} {:>12} {:>7} {:>14}  {status}",
                i,
                tx.kind,
                side,
                outcome.gas_used,
                outcome.gas_refunded,
                outcome.native_used,
                outcome.computational_native_used,
                outcome.pubdata_used,
                u128::from(outcome.gas_used) * price
            );
        }
    }
    println!(
        "block pubdata: v1 {} bytes, v2 {} bytes, oracle {} bytes",
        v1.pubdata.len(),
        v2.pubdata.len(),
        upstream.pubdata.len()
    );
    let mismatches = compare::compare(case, &v2, &upstream);
    println!(
        "version 2 against the oracle: {} mismatches",
        mismatches.len()
    );
    print_mismatches(&mismatches, mismatches.len());
    Ok(())
}

/// The block of the oracle input in `file`.
fn read_input(file: &Path) -> Result<oracle_diff::case::BlockCase, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let input: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let count = input["transactions"].as_array().map_or(0, Vec::len);
    let kinds: Vec<String> = (0..count).map(|i| format!("tx{i}")).collect();
    vector::case_of(0, &input, &kinds)
}

/// The gas price of the envelope `raw` at `base_fee`: `min(fee cap, base fee + tip)` (0 when it
/// does not decode).
fn gas_price(raw: &[u8], base_fee: u128) -> u128 {
    zkos_core::tx::decode(raw).map_or(0, |tx| {
        tx.max_fee_per_gas
            .min(base_fee.saturating_add(tx.max_priority_fee_per_gas))
    })
}

/// Records into `dir` the vector of block `block`, pinning all its scenarios.
fn record_block(binary: &Path, block: u64, dir: &Path) -> Result<(), String> {
    let token = contracts::token()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let kinds: BTreeSet<String> = generate::block(block, &token)
        .txs
        .iter()
        .map(|t| t.kind.clone())
        .collect();
    let kinds: Vec<String> = kinds.into_iter().collect();
    write_vector(binary, block, &kinds, &token, dir)
}

/// The real-contract mode: runs the flow, prints what it found (the first `list` mismatches in
/// full, every transaction that did not do what the flow expects) and, with `record`, writes
/// each block as a vector into that directory.
fn real_contracts(binary: &Path, record: Option<&Path>, list: usize) -> ExitCode {
    let result = real::flow().and_then(|flow| {
        real::run::run(binary, &flow, |case, output| match record {
            Some(dir) => {
                let name = format!("real-block-{}", case.seed);
                let kinds: BTreeSet<&str> = case.txs.iter().map(|t| t.kind.as_str()).collect();
                let rules = kinds.into_iter().collect::<Vec<_>>().join(", ");
                let vector = vector::of_case(case, &name, &rules, output.clone());
                create_vector(dir, &name, &vector).map(|path| println!("{path}: {rules}"))
            }
            None => Ok(()),
        })
    });
    let others = result.and_then(|report| Ok((report, real::run::run_other_regimes(binary)?)));
    let (report, others) = match others {
        Ok(reports) => reports,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "real contracts: {} blocks, {} transactions ({} reverted upstream, {} left out), {} \
         mismatches, {} unexpected outcomes",
        report.blocks,
        report.transactions(),
        report.reverted,
        report.left_out,
        report.mismatches.len(),
        report.unexpected.len()
    );
    println!(
        "under {} other fee regimes: {} blocks, {} transactions ({} reverted upstream, {} left \
         out), {} mismatches",
        real::OTHER_REGIMES.len(),
        others.blocks,
        others.transactions(),
        others.reverted,
        others.left_out,
        others.mismatches.len()
    );
    let mut report = report;
    report.mismatches.extend(others.mismatches);
    real_verdict(&report, list)
}

/// Prints a real-contract run's table, its first `list` mismatches and its unexpected
/// outcomes (exit 0 when there are neither).
fn real_verdict(report: &real::run::RealReport, list: usize) -> ExitCode {
    print!("{}", compare::table(&report.mismatches, &report.tx_counts));
    print_mismatches(&report.mismatches, list);
    for line in &report.unexpected {
        println!("{line}");
    }
    if report.mismatches.is_empty() && report.unexpected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The real-contract flow followed by `args.blocks` blocks of random calls drawn from
/// `args.seed`, compared with upstream (nothing expected of the random calls).
fn real_fuzz(binary: &Path, args: &Args) -> ExitCode {
    let report = real::fuzz::fuzz_flow(args.seed, args.blocks)
        .and_then(|flow| real::run::run(binary, &flow, |_, _| Ok(())));
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    let calls: usize = report
        .tx_counts
        .iter()
        .filter(|(kind, _)| kind.starts_with("real-fuzz"))
        .map(|(_, n)| n)
        .sum();
    println!(
        "real contracts, seed {} random calls: {} blocks, {} transactions ({} random; {} \
         reverted upstream, {} left out), {} mismatches, {} unexpected outcomes",
        args.seed,
        report.blocks,
        report.transactions(),
        calls,
        report.reverted,
        report.left_out,
        report.mismatches.len(),
        report.unexpected.len()
    );
    real_verdict(&report, args.list)
}

/// The real-contract flow's estimates (with `--fuzz`, the flow followed by `args.blocks` blocks
/// of random calls drawn from `args.seed`): every transaction upstream includes, estimated on
/// zkos and checked on the oracle as `--estimate` checks the generated blocks'.
fn real_estimates(binary: &Path, args: &Args) -> ExitCode {
    let keys = estimate::Keys::of(real::plan::KEY_BASE..real::plan::KEY_BASE + real::SIGNERS);
    let mut report = estimate_report::EstimateReport::default();
    let flow = if args.fuzz {
        real::fuzz::fuzz_flow(args.seed, args.blocks)
    } else {
        real::flow()
    };
    let flow = flow.and_then(|flow| {
        real::run::run(binary, &flow, |case, output| {
            let upstream = oracle::parse_output(output)?;
            estimate::check_block(binary, &keys, case, &upstream.txs, &mut report);
            report.blocks += 1;
            Ok(())
        })
    });
    if let Err(e) = flow {
        eprintln!("oracle_diff: {e}");
        return ExitCode::from(2);
    }
    if args.fuzz {
        println!("real contracts, seed {} random calls:", args.seed);
    } else {
        println!("real contracts:");
    }
    print_estimates(&report, args.list)
}

/// Writes `vector` as `DIR/NAME.json`, never over an existing file; the path written.
fn create_vector(dir: &Path, name: &str, vector: &serde_json::Value) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(vector).map_err(|e| e.to_string())?;
    // Never over an existing vector: a block seed reused by another scenario would silently
    // replace the vector that pinned an earlier fix.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{}: a vector of this block exists; remove it first to record it again",
                path.display()
            ),
            _ => format!("{}: {e}", path.display()),
        })?;
    file.write_all((text + "\n").as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.display().to_string())
}

/// Writes the vector of block `block` into `dir`, its rules naming `kinds`.
fn write_vector(
    binary: &Path,
    block: u64,
    kinds: &[String],
    token: &contracts::TokenCode,
    dir: &Path,
) -> Result<(), String> {
    let name = format!("block-{block}");
    let vector = vector::record(binary, block, &name, &kinds.join(", "), token)?;
    let path = create_vector(dir, &name, &vector)?;
    println!("{path}: {}", kinds.join(", "));
    Ok(())
}

/// Records into `dir` a vector for each of the first `blocks` blocks of `seed` that brings a
/// scenario no earlier block had.
fn record(binary: &Path, seed: u64, blocks: u64, dir: &Path) -> Result<(), String> {
    let token = contracts::token()?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut seen = BTreeSet::new();
    for index in 0..blocks {
        let block = oracle_diff::block_seed(seed, index);
        let case = generate::block(block, &token);
        let new: Vec<String> = case
            .txs
            .iter()
            .map(|t| t.kind.clone())
            .filter(|k| !seen.contains(k))
            .collect();
        if new.is_empty() {
            continue;
        }
        seen.extend(new.iter().cloned());
        write_vector(binary, block, &new, &token, dir)?;
    }
    Ok(())
}

/// The estimate mode: checks zkos's estimates of the run's transactions on the oracle.
fn estimates(binary: &Path, args: &Args, budget: Option<Duration>) -> ExitCode {
    let report = match estimate::run(binary, args.seed, args.blocks, budget) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    print!("seed {}: ", args.seed);
    print_estimates(&report, args.list)
}

/// Prints an estimate report (the first `list` failures, all of them when `list` is 0) and
/// its exit status.
fn print_estimates(report: &estimate_report::EstimateReport, list: usize) -> ExitCode {
    println!(
        "{} blocks, {} estimates, {} included upstream, {} failures, {} failing only \
         after earlier transactions of the block, {} left out{}",
        report.blocks,
        report.estimated(),
        report.tightness().len(),
        report.findings.len(),
        report.in_block.len(),
        report.skipped,
        if report.timed_out {
            " (stopped by the time budget)"
        } else {
            ""
        }
    );
    print!("{}", report.table());
    let list = if list == 0 { usize::MAX } else { list };
    for f in report.findings.iter().chain(&report.in_block).take(list) {
        println!("block {} tx {} [{}] {}", f.seed, f.tx, f.kind, f.what);
    }
    for (seed, error) in &report.errors {
        eprintln!("block {seed}: {error}");
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints the first `list` mismatches in full.
fn print_mismatches(mismatches: &[compare::Mismatch], list: usize) {
    for m in mismatches.iter().take(list) {
        println!(
            "block {} tx {:?} [{}] {}: zkos {} / oracle {}",
            m.seed,
            m.tx,
            m.kind,
            m.field.name(),
            m.zkos,
            m.oracle
        );
    }
}
