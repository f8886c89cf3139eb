//! `make riscv-calibrate`: measures RISC-V instructions per EVM operation in the guest and prints
//! them beside the native the table charges (Markdown table).

use std::time::Instant;
use zkos_tests::riscv::calibrate::{self, Class};
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
            _ => "IO model (not compared)".to_string(),
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
    println!("| hash / precompile | reps | instr/op | bigint / blake / keccak delegations/op | effective/op | table native/op (charged) | native/effective | table formula |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    for row in rows.iter().filter(|row| row.class == Class::Delegated) {
        println!(
            "| {} | {} | {:.0} | {:.0} / {:.0} / {:.2} | {:.0} | {:.0} | {:.2} | {} |",
            row.name,
            row.reps,
            row.instructions,
            row.bigint_delegations,
            row.blake_delegations,
            row.keccak_delegations,
            row.effective(),
            row.native,
            row.ratio(),
            row.note
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
    println!(
        "{} cases and the PROVE chain in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Proves every block of the test chain in the guest and prints its instruction count.
fn prove_table(emulator: &zkos_tests::riscv::emulator::Emulator) {
    let chain = match blocks::chain() {
        Ok(chain) => chain,
        Err(e) => {
            eprintln!("error: forward chain: {e:?}");
            std::process::exit(1);
        }
    };
    println!(
        "| block (PROVE mode) | txs | instructions | bigint delegations | blake delegations | keccak delegations | effective cycles | public inputs |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
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
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | equal to forward |",
            recorded.name,
            recorded.txs.len(),
            run.instructions,
            run.bigint_delegations,
            run.blake_delegations,
            run.keccak_delegations,
            run.effective_cycles()
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
