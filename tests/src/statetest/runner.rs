//! Runs state-test fixtures through an [`Executor`] on worker threads and checks each outcome.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use zkos_core::primitives::{Address, U256};

use super::executor::{AccountState, Executor, Fork, Outcome};
use super::fixture::{self, Case, Indexes, TestCases};
use super::trie::{logs_hash, state_root};

/// What the runner runs and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunConfig {
    /// Only cases of this fork run.
    pub fork: Fork,
    /// Only tests whose `<file>::<test>` contains this substring run.
    pub filter: Option<String>,
    /// Number of worker threads (at least 1).
    pub jobs: usize,
}

/// One fixture file to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its name in reports: the path relative to the parent of the argument it came from.
    pub display: String,
    /// Its directory in reports (`display` without the file name).
    pub group: String,
}

/// Lists the `.json` files under `roots` (files are taken as given, directories walked
/// recursively), sorted within each root. Files without the `.json` extension are not tests.
pub fn collect_files(roots: &[PathBuf]) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for root in roots {
        let base = root.parent().unwrap_or(Path::new("")).to_path_buf();
        let mut found = Vec::new();
        if root.is_dir() {
            walk(root, &mut found)?;
        } else if root.exists() {
            found.push(root.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} does not exist", root.display()),
            ));
        }
        found.sort();
        for path in found {
            let relative = path.strip_prefix(&base).unwrap_or(&path);
            let display = relative.to_string_lossy().replace('\\', "/");
            let group = relative
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            files.push(SourceFile {
                path,
                display,
                group,
            });
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "json") {
            out.push(path);
        }
    }
    Ok(())
}

/// Result of one case (or of a test or file that yielded no case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The outcome matched the fixture.
    Pass,
    /// The outcome did not match; the reason says how.
    Fail(String),
    /// Not run; the reason says why.
    Skip(String),
    /// A test with no post-state for the fork: not a case of this run (the reason lists the
    /// forks it has).
    NoPost(String),
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReport {
    /// Fixture file (display form).
    pub file: String,
    /// Directory of the file, for the summary table.
    pub group: String,
    /// Test name; `None` when the whole file was skipped.
    pub test: Option<String>,
    /// Case indexes; `None` when a whole test or file was skipped.
    pub indexes: Option<Indexes>,
    /// What happened.
    pub status: Status,
}

impl CaseReport {
    /// `<file>::<test>[fork d=.. g=.. v=..]`, shortened when test or indexes are absent.
    pub fn label(&self, fork: Fork) -> String {
        let mut label = self.file.clone();
        if let Some(test) = &self.test {
            label.push_str("::");
            label.push_str(test);
        }
        if let Some(ix) = self.indexes {
            label.push_str(&format!(
                "[{} d={} g={} v={}]",
                fixture::fork_name(fork),
                ix.data,
                ix.gas,
                ix.value
            ));
        }
        label
    }
}

/// Pass / fail / skip counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases, tests or files skipped.
    pub skipped: usize,
    /// Tests without a post-state for the fork.
    pub without_post: usize,
}

impl Counts {
    fn add(&mut self, status: &Status) {
        match status {
            Status::Pass => self.passed += 1,
            Status::Fail(_) => self.failed += 1,
            Status::Skip(_) => self.skipped += 1,
            Status::NoPost(_) => self.without_post += 1,
        }
    }
}

/// Everything a run produced, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The fork that ran.
    pub fork: Fork,
    /// One entry per case, skipped test or skipped file.
    pub cases: Vec<CaseReport>,
}

impl Report {
    /// Totals over every entry.
    pub fn totals(&self) -> Counts {
        let mut counts = Counts::default();
        for case in &self.cases {
            counts.add(&case.status);
        }
        counts
    }

    /// Totals per directory, sorted by directory.
    pub fn by_group(&self) -> BTreeMap<String, Counts> {
        let mut groups: BTreeMap<String, Counts> = BTreeMap::new();
        for case in &self.cases {
            groups
                .entry(case.group.clone())
                .or_default()
                .add(&case.status);
        }
        groups
    }

    /// Number of skips per reason, sorted by reason.
    pub fn skip_reasons(&self) -> BTreeMap<String, usize> {
        let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
        for case in &self.cases {
            if let Status::Skip(reason) = &case.status {
                *reasons.entry(reason.clone()).or_default() += 1;
            }
        }
        reasons
    }

    /// The report as JSON: totals, per-directory counts and every entry.
    pub fn to_json(&self) -> serde_json::Value {
        let count_json = |c: &Counts| {
            serde_json::json!({"passed": c.passed, "failed": c.failed, "skipped": c.skipped,
                "without_post": c.without_post})
        };
        let groups: serde_json::Map<String, serde_json::Value> = self
            .by_group()
            .iter()
            .map(|(group, counts)| (group.clone(), count_json(counts)))
            .collect();
        let cases: Vec<serde_json::Value> = self
            .cases
            .iter()
            .map(|case| {
                let (status, reason) = match &case.status {
                    Status::Pass => ("pass", None),
                    Status::Fail(reason) => ("fail", Some(reason)),
                    Status::Skip(reason) => ("skip", Some(reason)),
                    Status::NoPost(reason) => ("no post", Some(reason)),
                };
                serde_json::json!({
                    "file": case.file,
                    "test": case.test,
                    "indexes": case.indexes.map(|ix| serde_json::json!(
                        {"data": ix.data, "gas": ix.gas, "value": ix.value})),
                    "status": status,
                    "reason": reason,
                })
            })
            .collect();
        serde_json::json!({
            "fork": fixture::fork_name(self.fork),
            "totals": count_json(&self.totals()),
            "directories": groups,
            "cases": cases,
        })
    }
}

/// Text of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

/// Drops zero-valued slots, which are the same as absent ones.
fn nonzero_storage(storage: &BTreeMap<U256, U256>) -> BTreeMap<U256, U256> {
    storage
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(k, v)| (*k, *v))
        .collect()
}

/// First difference between the expected and the actual full post-state, if any.
fn state_difference(
    expected: &BTreeMap<Address, AccountState>,
    actual: &BTreeMap<Address, AccountState>,
) -> Option<String> {
    for (address, want) in expected {
        let Some(got) = actual.get(address) else {
            return Some(format!("account {address} missing"));
        };
        if want.nonce != got.nonce {
            return Some(format!(
                "{address} nonce: expected {}, got {}",
                want.nonce, got.nonce
            ));
        }
        if want.balance != got.balance {
            return Some(format!(
                "{address} balance: expected {}, got {}",
                want.balance, got.balance
            ));
        }
        if want.code != got.code {
            return Some(format!(
                "{address} code: expected {}, got {}",
                want.code, got.code
            ));
        }
        let (want_storage, got_storage) = (
            nonzero_storage(&want.storage),
            nonzero_storage(&got.storage),
        );
        if want_storage != got_storage {
            let slot = want_storage
                .keys()
                .chain(got_storage.keys())
                .find(|slot| want_storage.get(slot) != got_storage.get(slot));
            if let Some(slot) = slot {
                return Some(format!(
                    "{address} storage[{slot:#x}]: expected {:#x}, got {:#x}",
                    want_storage.get(slot).copied().unwrap_or_default(),
                    got_storage.get(slot).copied().unwrap_or_default()
                ));
            }
        }
    }
    actual
        .keys()
        .find(|address| !expected.contains_key(*address))
        .map(|address| format!("unexpected account {address}"))
}

/// Checks `outcome` against what `case` expects.
pub fn check(case: &Case, outcome: &Outcome) -> Status {
    let expect = &case.expect;
    match (outcome, &expect.exception) {
        (Outcome::Rejected { .. }, Some(_)) => Status::Pass,
        (Outcome::Executed { .. }, Some(exception)) => {
            Status::Fail(format!("missing exception (expected {exception})"))
        }
        (Outcome::Rejected { reason }, None) => {
            Status::Fail(format!("unexpected rejection: {reason}"))
        }
        (Outcome::Executed { post, logs }, None) => {
            if let Some(want) = expect.logs_hash {
                let got = logs_hash(logs);
                if got != want {
                    return Status::Fail(format!(
                        "logs mismatch (expected {want}, got {got}, {} logs)",
                        logs.len()
                    ));
                }
            }
            if let Some(want) = expect.state_root {
                let got = state_root(post);
                if got != want {
                    // The fixture's explicit post-state, when it has one, says where.
                    let difference = expect
                        .state
                        .as_ref()
                        .and_then(|state| state_difference(state, post))
                        .map(|difference| format!("; {difference}"))
                        .unwrap_or_default();
                    return Status::Fail(format!(
                        "root mismatch (expected {want}, got {got}){difference}"
                    ));
                }
            }
            if let Some(want) = &expect.state {
                if let Some(difference) = state_difference(want, post) {
                    return Status::Fail(format!("state mismatch: {difference}"));
                }
            }
            Status::Pass
        }
    }
}

/// Runs one case, turning a panic of the executor into a failure.
pub fn run_case(executor: &dyn Executor, case: &Case) -> Status {
    match catch_unwind(AssertUnwindSafe(|| executor.execute(&case.input))) {
        Ok(outcome) => check(case, &outcome),
        Err(payload) => Status::Fail(format!("panic: {}", panic_message(payload.as_ref()))),
    }
}

/// Runs every selected case of one file.
fn run_file(executor: &dyn Executor, file: &SourceFile, config: &RunConfig) -> Vec<CaseReport> {
    let entry = |test: Option<&str>, indexes: Option<Indexes>, status: Status| CaseReport {
        file: file.display.clone(),
        group: file.group.clone(),
        test: test.map(str::to_string),
        indexes,
        status,
    };
    let tests = match std::fs::read_to_string(&file.path)
        .map_err(|e| fixture::FixtureError(format!("unreadable file: {e}")))
        .and_then(|text| fixture::parse_file(&text))
    {
        Ok(tests) => tests,
        Err(e) => {
            if config
                .filter
                .as_ref()
                .is_some_and(|f| !file.display.contains(f.as_str()))
            {
                return Vec::new();
            }
            return vec![entry(
                None,
                None,
                Status::Skip(format!("unparseable file: {e}")),
            )];
        }
    };
    let mut reports = Vec::new();
    for (name, value) in tests {
        if let Some(filter) = &config.filter {
            if !format!("{}::{name}", file.display).contains(filter.as_str()) {
                continue;
            }
        }
        match fixture::test_cases(value, config.fork) {
            Err(e) => reports.push(entry(
                Some(&name),
                None,
                Status::Skip(format!("unparseable test: {e}")),
            )),
            Ok(TestCases::NoFork(forks)) => reports.push(entry(
                Some(&name),
                None,
                Status::NoPost(format!(
                    "no {} post (fixture has: {})",
                    fixture::fork_name(config.fork),
                    forks.join(", ")
                )),
            )),
            Ok(TestCases::Cases(cases)) => {
                for case in cases {
                    let report = match case {
                        Ok(case) => {
                            entry(Some(&name), Some(case.indexes), run_case(executor, &case))
                        }
                        Err(bad) => entry(
                            Some(&name),
                            Some(bad.indexes),
                            Status::Skip(format!("unparseable case: {}", bad.reason)),
                        ),
                    };
                    reports.push(report);
                }
            }
        }
    }
    reports
}

/// Runs `files` on `config.jobs` worker threads; the report lists entries in file order.
pub fn run(executor: &dyn Executor, files: &[SourceFile], config: &RunConfig) -> Report {
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Vec<CaseReport>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..config.jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(index) else {
                    break;
                };
                let reports = run_file(executor, file, config);
                done.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push((index, reports));
            });
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    done.sort_by_key(|(index, _)| *index);
    Report {
        fork: config.fork,
        cases: done.into_iter().flat_map(|(_, reports)| reports).collect(),
    }
}
