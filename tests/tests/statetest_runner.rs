//! Checks of the state-test runner that need no EVM: the trie root against the fixture set, and
//! the runner's verdicts for executors that misbehave in known ways.

use std::collections::BTreeMap;
use std::path::PathBuf;

use zkos_core::primitives::{address, b256, Address, Bytes, B256, U256};
use zkos_tests::statetest::executor::{AccountState, CaseInput, Executor, Fork, Log, Outcome};
use zkos_tests::statetest::fixture::{parse_file, test_cases, TestCases};
use zkos_tests::statetest::runner::{collect_files, run, RunConfig, Status};
use zkos_tests::statetest::trie::{logs_hash, state_root};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/ethereum-tests/GeneralStateTests")
}

const EMPTY_LOGS_HASH: B256 =
    b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

/// A rejected transaction leaves the state unchanged, so every `expectException` case's `hash`
/// is the root of `pre` and its `logs` the hash of no logs: an independent check of the trie.
#[test]
fn rejected_cases_post_root_is_the_root_of_pre() {
    let files = collect_files(&[fixture_dir()]).expect("fixture directory");
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(&file.path).expect("readable fixture");
        for (name, value) in parse_file(&text).expect("fixture JSON") {
            let Ok(TestCases::Cases(cases)) = test_cases(value, Fork::Cancun) else {
                continue;
            };
            for case in cases.into_iter().flatten() {
                if case.expect.exception.is_none() {
                    continue;
                }
                assert_eq!(
                    case.expect.state_root,
                    Some(state_root(&case.input.pre)),
                    "{}::{name}",
                    file.display
                );
                assert_eq!(case.expect.logs_hash, Some(EMPTY_LOGS_HASH));
                checked += 1;
            }
        }
    }
    // 1,170 post entries carry expectException across all forks; most are Cancun.
    assert!(checked > 1000, "only {checked} rejected Cancun cases found");
    assert_eq!(logs_hash(&[]), EMPTY_LOGS_HASH);
}

/// An executor defined by a closure.
struct FnExecutor<F>(F);

impl<F: Fn(&CaseInput) -> Outcome + Sync> Executor for FnExecutor<F> {
    fn execute(&self, input: &CaseInput) -> Outcome {
        (self.0)(input)
    }
}

fn run_dir(dir: &std::path::Path, executor: &dyn Executor) -> Vec<(String, Status)> {
    let files = collect_files(&[dir.to_path_buf()]).expect("listing");
    let config = RunConfig {
        fork: Fork::Cancun,
        filter: None,
        jobs: 2,
    };
    run(executor, &files, &config)
        .cases
        .into_iter()
        .map(|case| (case.label(Fork::Cancun), case.status))
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkos-statetest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn fail_reason(status: &Status) -> &str {
    match status {
        Status::Fail(reason) => reason,
        other => panic!("expected a failure, got {other:?}"),
    }
}

/// Runs `stExample` (add11 has one valid case, invalidTr rejected ones) through broken executors.
#[test]
fn runner_names_each_kind_of_failure() {
    let dir = fixture_dir().join("stExample");
    let unchanged = FnExecutor(|input: &CaseInput| Outcome::Executed {
        post: input.pre.clone(),
        logs: Vec::new(),
    });
    let results = run_dir(&dir, &unchanged);
    let add11 = results
        .iter()
        .find(|(label, _)| label == "stExample/add11.json::add11[Cancun d=0 g=0 v=0]")
        .expect("add11 case");
    assert!(fail_reason(&add11.1).starts_with("root mismatch (expected 0xe8010ce5"));
    let invalid: Vec<_> = results
        .iter()
        .filter(|(label, _)| label.starts_with("stExample/invalidTr.json::"))
        .collect();
    assert!(!invalid.is_empty());
    for (_, status) in invalid {
        assert!(
            fail_reason(status).starts_with("missing exception (expected TransactionException.")
        );
    }

    let logging = FnExecutor(|input: &CaseInput| Outcome::Executed {
        post: input.pre.clone(),
        logs: vec![Log {
            address: Address::ZERO,
            topics: Vec::new(),
            data: Bytes::new(),
        }],
    });
    let add11 = run_dir(&dir.join("add11.json"), &logging);
    assert!(fail_reason(&add11[0].1).starts_with("logs mismatch"));

    let rejecting = FnExecutor(|_: &CaseInput| Outcome::Rejected {
        reason: "nope".into(),
    });
    for (label, status) in run_dir(&dir, &rejecting) {
        if label.starts_with("stExample/invalidTr.json::") {
            assert_eq!(status, Status::Pass, "{label}");
        } else {
            assert_eq!(
                fail_reason(&status),
                "unexpected rejection: nope",
                "{label}"
            );
        }
    }
}

/// A panic in one case fails that case only; the run goes on.
#[test]
fn executor_panic_is_a_failure_of_that_case() {
    let dir = fixture_dir().join("stExample");
    let panicky = FnExecutor(|input: &CaseInput| {
        if input.tx.data.is_empty() && input.tx.value == U256::from(100_000) {
            panic!("boom");
        }
        Outcome::Rejected {
            reason: "nope".into(),
        }
    });
    let results = run_dir(&dir, &panicky);
    let (label, _) = results
        .iter()
        .find(|(_, status)| matches!(status, Status::Fail(reason) if reason == "panic: boom"))
        .expect("a panicking case");
    assert!(label.starts_with("stExample/add11"), "{label}");
    assert!(results.len() > 30, "run stopped after the panic");
}

const SYNTHETIC_EEST: &str = r#"{"t": {
  "env": {"currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
          "currentGasLimit": "0x044aa200", "currentNumber": "0x01", "currentTimestamp": "0x03e8",
          "currentDifficulty": "0x00", "currentBaseFee": "0x07"},
  "pre": {"0x00000000000000000000000000000000000000aa":
            {"nonce": "0x00", "balance": "0x10", "code": "0x", "storage": {}}},
  "transaction": {"nonce": "0x00", "gasPrice": "0x0a", "gasLimit": ["0x5208"],
          "to": "0x00000000000000000000000000000000000000aa", "value": ["0x01"], "data": ["0x"],
          "sender": "0x00000000000000000000000000000000000000bb"},
  "post": {"Cancun": [{"indexes": {"data": 0, "gas": 0, "value": 0},
             "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
             "state": {"0x00000000000000000000000000000000000000aa":
                {"nonce": "0x00", "balance": "0x11", "code": "0x", "storage": {"0x01": "0x02"}}}}]}
}}"#;

/// The execution-spec-tests `state` form is compared account by account; bad files, tests
/// without the fork and non-JSON files are handled as skips (or ignored).
#[test]
fn full_state_comparison_and_skips() {
    let dir = temp_dir("eest");
    std::fs::write(dir.join("state.json"), SYNTHETIC_EEST).unwrap();
    std::fs::write(dir.join("broken.json"), "{not json").unwrap();
    std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
    std::fs::write(
        dir.join("prague_only.json"),
        SYNTHETIC_EEST.replace("\"Cancun\"", "\"Prague\""),
    )
    .unwrap();
    let target = address!("00000000000000000000000000000000000000aa");
    let expected_post = || {
        BTreeMap::from([(
            target,
            AccountState {
                nonce: 0,
                balance: U256::from(0x11),
                code: Bytes::new(),
                storage: BTreeMap::from([
                    (U256::from(1), U256::from(2)),
                    (U256::from(9), U256::ZERO),
                ]),
            },
        )])
    };
    let exact = FnExecutor(move |_: &CaseInput| Outcome::Executed {
        post: expected_post(),
        logs: Vec::new(),
    });
    let results = run_dir(&dir, &exact);
    let label = |file: &str| {
        let group = dir.file_name().unwrap().to_string_lossy().into_owned();
        format!("{group}/{file}")
    };
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(matches!(&results[0], (l, Status::Skip(r))
        if *l == label("broken.json") && r.starts_with("unparseable file: invalid JSON")));
    assert_eq!(
        results[1],
        (
            format!("{}::t", label("prague_only.json")),
            Status::NoPost("no Cancun post (fixture has: Prague)".into())
        )
    );
    assert_eq!(results[2].1, Status::Pass);

    let wrong_slot = FnExecutor(move |_: &CaseInput| {
        let mut post = BTreeMap::new();
        let mut account = AccountState {
            balance: U256::from(0x11),
            ..AccountState::default()
        };
        account.storage.insert(U256::from(1), U256::from(3));
        post.insert(target, account);
        Outcome::Executed {
            post,
            logs: Vec::new(),
        }
    });
    let results = run_dir(&dir.join("state.json"), &wrong_slot);
    assert_eq!(
        results[0].1,
        Status::Fail(format!(
            "state mismatch: {target} storage[0x1]: expected 0x2, got 0x3"
        ))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
