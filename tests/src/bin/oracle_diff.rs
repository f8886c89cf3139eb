//! `oracle_diff`: runs seeded blocks on zkos and on `zksync-os-oracle` (upstream ZKsync OS) and
//! prints the mismatch table.
//!
//! ```text
//! oracle_diff [--seed N] [--blocks N] [--max-seconds S] [--list N] [--dump SEED] [--show SEED]
//! ```
//! `--list N` prints the first N mismatches in full; `--dump SEED` prints the oracle input of
//! one block (a block seed as the list shows it) and exits; `--show SEED` runs that block and
//! prints both sides' figures for each transaction. Exit status: 0 when both sides
//! agree everywhere, 1 on mismatches, 2 when the oracle is absent or a block cannot run.

use std::process::ExitCode;
use std::time::Duration;
use zkos_tests::oracle_diff::{self, contracts, generate, oracle, zkos};

struct Args {
    seed: u64,
    blocks: u64,
    max_seconds: Option<u64>,
    list: usize,
    dump: Option<u64>,
    show: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        blocks: 20,
        max_seconds: None,
        list: 0,
        dump: None,
        show: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || -> Result<u64, String> {
            let text = it.next().ok_or(format!("{flag} needs a value"))?;
            text.parse().map_err(|e| format!("{flag} {text}: {e}"))
        };
        match flag.as_str() {
            "--seed" => args.seed = value()?,
            "--blocks" => args.blocks = value()?,
            "--max-seconds" => args.max_seconds = Some(value()?),
            "--list" => args.list = value()? as usize,
            "--dump" => args.dump = Some(value()?),
            "--show" => args.show = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.dump {
        let token = match contracts::token() {
            Ok(token) => token,
            Err(e) => {
                eprintln!("oracle_diff: {e}");
                return ExitCode::from(2);
            }
        };
        let case = generate::block(seed, &token);
        let kinds: Vec<&str> = case.txs.iter().map(|t| t.kind.as_str()).collect();
        eprintln!("block {seed}: {kinds:?}");
        println!("{:#}", case.oracle_input());
        return ExitCode::SUCCESS;
    }
    let binary = match oracle::locate() {
        Ok(path) => path,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(seed) = args.show {
        return match show(&binary, seed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("oracle_diff: {e}");
                ExitCode::from(2)
            }
        };
    }
    let budget = args.max_seconds.map(Duration::from_secs);
    let report = match oracle_diff::run(&binary, args.seed, args.blocks, budget) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("oracle_diff: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "seed {}: {} blocks, {} transactions, {} mismatches{}",
        args.seed,
        report.blocks,
        report.transactions(),
        report.mismatches.len(),
        if report.timed_out {
            " (stopped by the time budget)"
        } else {
            ""
        }
    );
    print!("{}", report.table());
    for m in report.mismatches.iter().take(args.list) {
        println!(
            "block {} tx {:?} [{}] {}: zkos {} / oracle {}",
            m.seed,
            m.tx,
            m.kind,
            m.field.name(),
            m.zkos,
            m.oracle
        );
    }
    for (seed, error) in &report.errors {
        eprintln!("block {seed}: {error}");
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs block `seed` on both sides and prints each transaction's figures side by side.
fn show(binary: &std::path::Path, seed: u64) -> Result<(), String> {
    let token = contracts::token()?;
    let case = generate::block(seed, &token);
    let upstream = oracle::run(binary, &case)?;
    let ours = zkos::run(&case)?;
    let p = &case.params;
    println!(
        "block {seed}: base fee {}, native price {}, pubdata price {}, coinbase {}",
        p.base_fee, p.native_price, p.pubdata_price, p.coinbase
    );
    println!(
        "{:>3} {:<28} {:>6} {:>9} {:>9} {:>12} {:>12} {:>7}",
        "tx", "scenario", "side", "gasUsed", "refunded", "nativeUsed", "compNative", "pubdata"
    );
    for (i, tx) in case.txs.iter().enumerate() {
        for (side, outcome) in [("zkos", &ours.txs[i]), ("oracle", &upstream.txs[i])] {
            let status = match &outcome.reason {
                Some(reason) => format!("invalid: {reason}"),
                None => outcome.status.name().to_string(),
            };
            println!(
                "{:>3} {:<28} {:>6} {:>9} {:>9} {:>12} {:>12} {:>7}  {status}",
                i,
                tx.kind,
                side,
                outcome.gas_used,
                outcome.gas_refunded,
                outcome.native_used,
                outcome.computational_native_used,
                outcome.pubdata_used
            );
        }
    }
    println!(
        "block pubdata: zkos {} bytes, oracle {} bytes",
        ours.pubdata.len(),
        upstream.pubdata.len()
    );
    Ok(())
}
