//! `make run`: runs the benchmark workloads on zkos and prints gas, native and time.

use std::time::Instant;
use zkos_tests::workloads;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(Into::into)
        .unwrap_or_else(workloads::default_dir);
    let list = match workloads::load(&dir) {
        Ok(list) => list,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{:<14} {:>8} {:>14} {:>16} {:>12} {:>10}",
        "workload", "status", "gas used", "native used", "native/gas", "time"
    );
    for workload in &list {
        let started = Instant::now();
        let receipt = workloads::run_zkos(workload);
        let elapsed = started.elapsed();
        println!(
            "{:<14} {:>8} {:>14} {:>16} {:>12.1} {:>8.2}ms",
            workload.name,
            if receipt.success { "ok" } else { "failed" },
            receipt.gas_used,
            receipt.native_used,
            receipt.native_used as f64 / receipt.gas_used.max(1) as f64,
            elapsed.as_secs_f64() * 1e3
        );
    }
}
