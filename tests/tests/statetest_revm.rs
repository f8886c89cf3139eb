//! The runner against revm, an EVM known to pass the Ethereum state tests: every case of a
//! subset of directories must pass, which shows the fixture parsing, the input mapping and the
//! root and logs checks right. Needs `--features revm-executor`.
#![cfg(feature = "revm-executor")]

use std::path::PathBuf;

use zkos_tests::statetest::executor::Fork;
use zkos_tests::statetest::revm_executor::RevmExecutor;
use zkos_tests::statetest::runner::{collect_files, run, RunConfig, Status};

/// Tests revm is known to fail (its own runner skips them): they create a contract at an address
/// that already has storage, an EIP-7610 collision that revm does not detect.
const REVM_EIP7610_GAPS: &[&str] = &[
    "InitCollisionParis",
    "RevertInCreateInInitCreate2Paris",
    "create2collisionStorageParis",
];

#[test]
fn revm_passes_a_subset_of_general_state_tests() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/ethereum-tests/GeneralStateTests");
    let dirs: Vec<PathBuf> = [
        "stExample",
        "stChainId",
        "stSStoreTest",
        "VMTests/vmArithmeticTest",
        "VMTests/vmBitwiseLogicOperation",
        "VMTests/vmIOandFlowOperations",
        "VMTests/vmLogTest",
        "VMTests/vmTests",
        "stEIP1559",
        "stLogTests",
        "Cancun",
        "stCreate2",
    ]
    .iter()
    .map(|dir| root.join(dir))
    .collect();
    let files = collect_files(&dirs).expect("fixture directories");
    let config = RunConfig {
        fork: Fork::Cancun,
        filter: None,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let report = run(&RevmExecutor, &files, &config);
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in &report.cases {
        match &case.status {
            Status::Pass => passed += 1,
            Status::Fail(reason) => {
                let known = case
                    .test
                    .as_deref()
                    .is_some_and(|test| REVM_EIP7610_GAPS.contains(&test));
                if !known {
                    failures.push(format!("{}: {reason}", case.label(Fork::Cancun)));
                }
            }
            Status::Skip(reason) | Status::NoPost(reason) => {
                failures.push(format!("skipped {}: {reason}", case.label(Fork::Cancun)))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed > 1500, "only {passed} cases passed");
}
