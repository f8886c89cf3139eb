//! `cargo run --release -p zkos-tests --bin profile -- NAME [PCS]`: profiles the calibration rows
//! whose name contains NAME in the guest and prints, per operation (measured minus baseline run,
//! divided by the repetitions), the instructions by function and the PCS hottest addresses
//! (default 40; see them in `llvm-objdump -d` of the guest ELF).

use zkos_tests::riscv::calibrate;
use zkos_tests::riscv::guest;
use zkos_tests::riscv::profile::{self, Symbols};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(filter) = args.next() else {
        eprintln!("usage: profile NAME [PCS]");
        std::process::exit(2);
    };
    let pcs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(40);
    let loaded = guest::build().and_then(|path| {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let symbols = Symbols::parse(&bytes).map_err(|e| format!("{e:?}"))?;
        Ok((guest::emulator()?, symbols))
    });
    let (emulator, symbols) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    for case in calibrate::cases()
        .iter()
        .filter(|c| c.name.contains(&filter))
    {
        let live = profile::run(&emulator, &case.measured.encode(), guest::MAX_STEPS);
        let dead = profile::run(&emulator, &case.baseline.encode(), guest::MAX_STEPS);
        let ((_, live), (_, dead)) = match (live, dead) {
            (Ok(live), Ok(dead)) => (live, dead),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("error: {}: {e:?}", case.name);
                std::process::exit(1);
            }
        };
        let reps = case.reps as f64;
        let diff = live.minus(&dead);
        println!(
            "## {}: {:.1} instructions/op (before subtracting other rows)",
            case.name,
            (live.total() as f64 - dead.total() as f64) / reps
        );
        for (name, n) in profile::by_function(&symbols, &diff) {
            println!("{:>9.1}  {name}", n as f64 / reps);
        }
        let mut hot: Vec<(u32, i64)> = diff.into_iter().collect();
        hot.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        hot.truncate(pcs);
        hot.sort();
        println!("hottest addresses (count/op):");
        for (pc, n) in hot {
            println!("  {pc:08x} {:>7.2}", n as f64 / reps);
        }
        println!();
    }
}
