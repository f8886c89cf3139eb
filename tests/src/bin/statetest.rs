//! `statetest`: runs Ethereum GeneralStateTests fixtures through an executor.
//!
//! `statetest [--fork Cancun|Prague|Osaka] [--json out.json] [--filter substr] [--jobs N]
//! <file-or-dir>...`; without paths it runs `shared/fixtures/ethereum-tests/GeneralStateTests`
//! next to the workspace. Prints one `FAIL` line per failing case, a per-directory table, the
//! skip reasons, and as the last line `N passed, M failed, K skipped`. Exits 1 on any failure.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use zkos_tests::statetest::executor::{Executor, Fork};
use zkos_tests::statetest::fixture::{fork_name, parse_fork};
use zkos_tests::statetest::runner::{collect_files, run, Report, RunConfig, Status};

const USAGE: &str =
    "usage: statetest [--fork Cancun|Prague|Osaka] [--json FILE] [--filter SUBSTR] \
[--jobs N] [--revm] [--known-failures FILE] [FILE-OR-DIR...]";

/// Parsed command line.
struct Args {
    config: RunConfig,
    json: Option<PathBuf>,
    paths: Vec<PathBuf>,
    revm: bool,
    known_failures: Option<PathBuf>,
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
    let mut known_failures = None;
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
            "--known-failures" => known_failures = Some(PathBuf::from(value("--known-failures")?)),
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
        known_failures,
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
        if let Status::Fail(reason) = &case.status {
            println!("FAIL {}: {reason}", case.label(report.fork));
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
        "{} passed, {} failed, {} skipped",
        totals.passed, totals.failed, totals.skipped
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
    let known = match &args.known_failures {
        Some(path) => match load_known_failures(path) {
            Ok(known) => known,
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => BTreeMap::new(),
    };
    let failing: Vec<String> = report
        .cases
        .iter()
        .filter(|case| matches!(case.status, Status::Fail(_)))
        .map(|case| case.label(report.fork))
        .collect();
    let unexpected = failing.iter().filter(|l| !known.contains_key(*l)).count();
    let now_passing = known
        .keys()
        .filter(|label| !failing.contains(label))
        .count();
    if args.known_failures.is_some() {
        eprintln!(
            "{} of the failures are listed as known; {} unexpected; {} listed cases no longer fail",
            failing.len() - unexpected,
            unexpected,
            now_passing
        );
    }
    print_report(&report);
    if unexpected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads a known-failures list: one case label per line, `#` starts a comment (the reason).
fn load_known_failures(path: &std::path::Path) -> std::io::Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let (label, reason) = line.split_once(" # ").unwrap_or((line, ""));
            let label = label.trim();
            (!label.is_empty() && !label.starts_with('#'))
                .then(|| (label.to_string(), reason.trim().to_string()))
        })
        .collect())
}
