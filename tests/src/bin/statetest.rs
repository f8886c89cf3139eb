//! `statetest`: runs Ethereum GeneralStateTests fixtures through an executor.
//!
//! `statetest [--fork Cancun|Prague|Osaka] [--json out.json] [--filter substr] [--jobs N]
//! <file-or-dir>...`; without paths it runs `shared/fixtures/ethereum-tests/GeneralStateTests`
//! next to the workspace. Prints one `FAIL` line per failing case and one `SKIP` line per case
//! that could not run (with the reason), a per-directory table, and as the last line
//! `N passed, M failed, K skipped` followed by the number of tests that have no post-state for
//! the fork (they are not cases of the run). Exits 1 on any failure.

use std::path::PathBuf;
use std::process::ExitCode;

use zkos_tests::statetest::executor::{Executor, Fork};
use zkos_tests::statetest::fixture::{fork_name, parse_fork};
use zkos_tests::statetest::runner::{collect_files, run, Report, RunConfig, Status};

const USAGE: &str =
    "usage: statetest [--fork Cancun|Prague|Osaka] [--json FILE] [--filter SUBSTR] \
[--jobs N] [--revm] [FILE-OR-DIR...]";

/// Parsed command line.
struct Args {
    config: RunConfig,
    json: Option<PathBuf>,
    paths: Vec<PathBuf>,
    revm: bool,
}

fn default_fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/ethereum-tests/GeneralStateTests")
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut fork = Fork::Cancun;
    let mut json = None;
    let mut filter = None;
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut paths = Vec::new();
    let mut revm = false;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--fork" => {
                let name = value("--fork")?;
                fork = parse_fork(&name).ok_or(format!("unsupported fork {name:?}"))?;
            }
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            "--filter" => filter = Some(value("--filter")?),
            "--jobs" => {
                let text = value("--jobs")?;
                jobs = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(format!("--jobs needs a positive number, got {text:?}"))?;
            }
            "--revm" => revm = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        paths.push(default_fixture_dir());
    }
    Ok(Args {
        config: RunConfig { fork, filter, jobs },
        json,
        paths,
        revm,
    })
}

/// The executor this binary runs: zkos, or revm with `--revm` when built with the
/// `revm-executor` feature (to check the runner itself).
fn executor(use_revm: bool) -> Option<Box<dyn Executor>> {
    if use_revm {
        #[cfg(feature = "revm-executor")]
        return Some(Box::new(zkos_tests::statetest::revm_executor::RevmExecutor));
        #[cfg(not(feature = "revm-executor"))]
        return None;
    }
    Some(Box::new(zkos_tests::zkos_executor::ZkosExecutor))
}

fn print_report(report: &Report) {
    for case in &report.cases {
        match &case.status {
            Status::Fail(reason) => println!("FAIL {}: {reason}", case.label(report.fork)),
            Status::Skip(reason) => println!("SKIP {}: {reason}", case.label(report.fork)),
            _ => {}
        }
    }
    let groups = report.by_group();
    let width = groups.keys().map(String::len).max().unwrap_or(0).max(9);
    println!();
    println!(
        "{:<width$} {:>8} {:>8} {:>8}",
        "directory", "passed", "failed", "skipped"
    );
    for (group, counts) in &groups {
        println!(
            "{group:<width$} {:>8} {:>8} {:>8}",
            counts.passed, counts.failed, counts.skipped
        );
    }
    let reasons = report.skip_reasons();
    if !reasons.is_empty() {
        println!();
        println!("skip reasons:");
        for (reason, count) in &reasons {
            println!("{count:>8}  {reason}");
        }
    }
    let totals = report.totals();
    println!();
    println!(
        "{} passed, {} failed, {} skipped ({} tests have no {} post-state)",
        totals.passed,
        totals.failed,
        totals.skipped,
        totals.without_post,
        fork_name(report.fork)
    );
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if cfg!(panic = "abort") {
        eprintln!(
            "warning: built with panic = \"abort\": an executor panic ends the whole run instead \
             of failing one case; use a profile with panic = \"unwind\""
        );
    }
    let Some(executor) = executor(args.revm) else {
        eprintln!("no executor built in: build with `--features revm-executor`");
        return ExitCode::from(2);
    };
    let files = match collect_files(&args.paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("cannot list fixtures: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "running {} files for {} on {} threads",
        files.len(),
        fork_name(args.config.fork),
        args.config.jobs
    );
    let report = run(executor.as_ref(), &files, &args.config);
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    print_report(&report);
    if report.totals().failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
