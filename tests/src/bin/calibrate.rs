//! `make riscv-calibrate`: measures RISC-V instructions per EVM operation in the guest and prints
//! them beside the native the table charges (Markdown table).

use std::time::Instant;
use zkos_tests::riscv::calibrate::{self, Class};
use zkos_tests::riscv::guest;

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
        "| operation | reps | measured instr/op | table native/op | native/measured | verdict |"
    );
    println!("|---|---:|---:|---:|---:|---|");
    for row in rows.iter().filter(|row| row.class != Class::Delegated) {
        let verdict = match row.class {
            Class::Compute => row.verdict().to_string(),
            _ => "IO model (not compared)".to_string(),
        };
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.2} | {} |",
            row.name,
            row.reps,
            row.instructions,
            row.native,
            row.ratio(),
            verdict
        );
    }
    println!();
    println!("| hash / precompile | reps | software instr/op | table native/op (charged) | native/measured | table formula |");
    println!("|---|---:|---:|---:|---:|---|");
    for row in rows.iter().filter(|row| row.class == Class::Delegated) {
        println!(
            "| {} | {} | {:.0} | {:.0} | {:.2} | {} |",
            row.name,
            row.reps,
            row.instructions,
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
    println!(
        "{} cases in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );
}
