//! `make riscv-calibrate`: measures RISC-V instructions per EVM operation and per kind of
//! transaction in the guest and prints them beside the native charged (Markdown tables); the
//! last line counts the rows and the under-charged ones among them.

use std::time::Instant;
use zkos_tests::riscv::calibrate::{self, Class};
use zkos_tests::riscv::emulator::{Emulator, DELEGATION_WEIGHTS};
use zkos_tests::riscv::transactions::{self, TxRow};
use zkos_tests::riscv::{blocks, guest};

fn main() {
    let started = Instant::now();
    let emulator = match guest::emulator() {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let cases = calibrate::cases();
    let rows = match calibrate::measure_all(&emulator, &cases) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("error: {e:?}");
            std::process::exit(1);
        }
    };
    println!(
        "| operation | reps | measured instr/op | bigint delegations/op | blake / keccak delegations/op | effective cycles/op | table native/op | native/effective | verdict |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for row in rows.iter().filter(|row| row.class != Class::Delegated) {
        let verdict = match row.class {
            Class::Compute => row.verdict().to_string(),
            _ if row.under_charged() => "UNDER (IO model)".to_string(),
            _ => "IO model".to_string(),
        };
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} / {:.2} | {:.1} | {:.1} | {:.2} | {} |",
            row.name,
            row.reps,
            row.instructions,
            row.bigint_delegations,
            row.blake_delegations,
            row.keccak_delegations,
            row.effective(),
            row.native,
            row.ratio(),
            verdict
        );
    }
    println!();
    let delegation_names: Vec<&str> = DELEGATION_WEIGHTS.iter().map(|w| w.name).collect();
    let delegation_names = delegation_names.join(" / ");
    println!("| hash / precompile | reps | instr/op | {delegation_names} delegations/op | effective cycles/op | table native/op (charged) | native/effective | table formula | verdict |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|---|");
    for row in rows.iter().filter(|row| row.class == Class::Delegated) {
        let delegations: Vec<String> = row
            .delegations()
            .iter()
            .map(|n| format!("{n:.2}"))
            .collect();
        println!(
            "| {} | {} | {:.0} | {} | {:.0} | {:.0} | {:.2} | {} | {} |",
            row.name,
            row.reps,
            row.instructions,
            delegations.join(" / "),
            row.effective(),
            row.native,
            row.ratio(),
            row.note,
            if row.under_charged() { "UNDER" } else { "" }
        );
    }
    let under: Vec<&str> = rows
        .iter()
        .filter(|row| row.verdict() == "UNDER")
        .map(|row| row.name.as_str())
        .collect();
    println!();
    if under.is_empty() {
        println!("every compute row: table native >= measured instructions");
    } else {
        println!(
            "table native BELOW measured instructions for: {}",
            under.join(", ")
        );
    }
    println!();
    prove_table(&emulator);
    println!();
    let txs = transaction_table(&emulator);
    println!(
        "{} cases, the PROVE chain and {} transaction kinds in {:.1} s",
        rows.len(),
        txs.len(),
        started.elapsed().as_secs_f64()
    );
    let under = rows.iter().filter(|row| row.under_charged()).count()
        + txs.iter().filter(|row| row.under_charged()).count();
    println!("{} rows, {under} under-charged", rows.len() + txs.len());
}

/// Measures every transaction kind at the margin and prints it beside its receipt's charge,
/// then the part of each measured block charged to nobody.
fn transaction_table(emulator: &Emulator) -> Vec<TxRow> {
    let calibration = match transactions::measure(emulator) {
        Ok(calibration) => calibration,
        Err(e) => {
            eprintln!("error: transaction calibration: {e:?}");
            std::process::exit(1);
        }
    };
    let delegation_names: Vec<&str> = DELEGATION_WEIGHTS.iter().map(|w| w.name).collect();
    println!(
        "| transaction (block with it − empty block) | native charged (computational) | native charged (total) | instructions | {} delegations | effective cycles | charged/effective | verdict |",
        delegation_names.join(" / ")
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for row in &calibration.rows {
        let delegations: Vec<String> = row.delegations.iter().map(i64::to_string).collect();
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {} |",
            row.name,
            row.charged,
            row.native_total,
            row.instructions,
            delegations.join(" / "),
            row.effective,
            row.charged as f64 / row.effective as f64,
            row.verdict()
        );
    }
    if let Some(reason) = &calibration.skipped {
        println!();
        println!("Uniswap V2 swap not measured: {reason} (make setup installs npm/node_modules)");
    }
    println!();
    println!("| block | effective cycles | charged to its transactions | not charged to any transaction |");
    println!("|---|---:|---:|---:|");
    let empty = &calibration.empty;
    println!(
        "| empty | {} | {} | {} |",
        empty.run.effective_cycles(),
        empty.charged(),
        empty.uncharged()
    );
    for row in &calibration.rows {
        println!(
            "| with one {} | {} | {} | {} |",
            row.name,
            row.with.run.effective_cycles(),
            row.with.charged(),
            row.with.uncharged()
        );
    }
    println!();
    calibration.rows
}

/// Proves every block of the test chain in the guest and prints its instruction count.
fn prove_table(emulator: &Emulator) {
    let chain = match blocks::chain() {
        Ok(chain) => chain,
        Err(e) => {
            eprintln!("error: forward chain: {e:?}");
            std::process::exit(1);
        }
    };
    let delegation_names: Vec<&str> = DELEGATION_WEIGHTS.iter().map(|w| w.name).collect();
    println!(
        "| block (PROVE mode) | txs | oracle words | instructions | {} delegations | effective cycles | charged to its transactions | not charged to any transaction | public inputs |",
        delegation_names.join(" / ")
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    let mut counts = Vec::new();
    for recorded in &chain {
        let input = guest::prove_input(&blocks::config(), &recorded.words);
        let run = match emulator.run(&input, guest::MAX_STEPS) {
            Ok(run) => run,
            Err(e) => {
                eprintln!("error: {}: {e:?}", recorded.name);
                std::process::exit(1);
            }
        };
        if run.exit_code != guest::EXIT_OK || run.output != guest::public_inputs(&recorded.block) {
            eprintln!(
                "error: {}: exit {}, output differs",
                recorded.name, run.exit_code
            );
            std::process::exit(1);
        }
        let charged: u64 = recorded
            .block
            .output
            .results
            .iter()
            .filter_map(|result| result.outcome.as_ref().ok())
            .map(|receipt| receipt.computational_native_used)
            .sum();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | equal to forward |",
            recorded.name,
            recorded.txs.len(),
            recorded.words.len(),
            run.instructions,
            DELEGATION_WEIGHTS
                .iter()
                .map(|w| (w.count)(&run).to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            run.effective_cycles(),
            charged,
            run.effective_cycles() as i64 - charged as i64
        );
        counts.push((recorded.name, run.instructions));
    }
    let count = |name: &str| {
        counts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    };
    println!();
    println!(
        "one ETH transfer transaction, marginal (two-transfer block − one-transfer block): {} instructions",
        count("two ETH transfers").saturating_sub(count("ETH transfer"))
    );
}
