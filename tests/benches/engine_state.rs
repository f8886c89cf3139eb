//! What a block costs the engine's state bookkeeping as the state grows: 20 empty blocks, 20
//! one-slot edits each followed by a block, and opening a block session, on a state of 1,000
//! slots and on one of 500,000 (ZKsync OS flow, where every block also updates the state tree).
//!
//! The engine keeps one copy of its state and a journal of what recent versions replaced, so
//! these costs should follow what a block touched, not the state's size: the table prints each
//! per-block time and the 500k/1k ratio of the same run (a whole-state copy per block would
//! make that ratio grow with the 500x size difference).
//!
//! Each block is timed on its own and the table shows the median, with the slowest beside it:
//! a mean over 20 blocks let one stall of the host's allocator count as a per-block cost (after
//! the 500k-slot set-up frees its journals, glibc's malloc spends about 6 ms once sorting its
//! free chunks; `GLIBC_TUNABLES=glibc.malloc.mxfast=0` makes that block as cheap as the others).

use std::time::{Duration, Instant};
use zkos_core::config::ChainConfig;
use zkos_core::engine::{AccountInput, Engine};
use zkos_core::primitives::{Address, U256};

const CHAIN_ID: u64 = 270;
/// Slots per contract.
const SLOTS_PER_ACCOUNT: u64 = 1_000;
const SMALL_STATE_SLOTS: u64 = 1_000;
const LARGE_STATE_SLOTS: u64 = 500_000;
const BLOCKS: u32 = 20;

fn address(index: u64) -> Address {
    let mut bytes = [0u8; 20];
    bytes[12..].copy_from_slice(&(index + 1).to_be_bytes());
    bytes[0] = 0xC0;
    Address::from(bytes)
}

/// An engine whose state holds `slots` non-zero slots, `SLOTS_PER_ACCOUNT` per contract.
fn engine_with(slots: u64) -> Engine {
    let mut engine = Engine::new(ChainConfig::zk(CHAIN_ID));
    let accounts = slots.div_ceil(SLOTS_PER_ACCOUNT);
    for account in 0..accounts {
        let first = account * SLOTS_PER_ACCOUNT;
        let storage = (first..(first + SLOTS_PER_ACCOUNT).min(slots))
            .map(|slot| (U256::from(slot), U256::from(slot + 1)))
            .collect();
        engine
            .set_account(
                address(account),
                AccountInput {
                    nonce: 1,
                    storage,
                    ..Default::default()
                },
            )
            .expect("account stored");
    }
    engine
}

/// Per-block times of one phase.
struct Phase(Vec<Duration>);

impl Phase {
    fn median(&self) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort_unstable();
        sorted[sorted.len() / 2]
    }

    fn max(&self) -> Duration {
        self.0.iter().copied().max().unwrap_or_default()
    }
}

/// Times `step` once per block.
fn phase(mut step: impl FnMut(u32)) -> Phase {
    Phase(
        (0..BLOCKS)
            .map(|i| {
                let started = Instant::now();
                step(i);
                started.elapsed()
            })
            .collect(),
    )
}

struct Measured {
    setup: Duration,
    empty_block: Phase,
    edit_and_block: Phase,
    open_session: Phase,
}

fn measure(slots: u64) -> Measured {
    let started = Instant::now();
    let mut engine = engine_with(slots);
    let setup = started.elapsed();

    let empty_block = phase(|_| {
        engine.run_block(&[], None).expect("empty block");
    });
    let edit_and_block = phase(|i| {
        engine.set_storage(address(0), U256::from(i), U256::from(7 + i));
        engine.run_block(&[], None).expect("empty block");
    });
    let open_session = phase(|_| {
        let session = engine.block_session(&[], None).expect("session");
        std::hint::black_box(session);
    });

    assert_eq!(
        engine.get_storage(&address(0), &U256::from(BLOCKS - 1)),
        U256::from(7 + BLOCKS - 1)
    );
    Measured {
        setup,
        empty_block,
        edit_and_block,
        open_session,
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let small = measure(SMALL_STATE_SLOTS);
    let large = measure(LARGE_STATE_SLOTS);
    println!(
        "engine state: {SMALL_STATE_SLOTS} vs {LARGE_STATE_SLOTS} slots, {BLOCKS} blocks each"
    );
    println!(
        "{:<28} {:>14} {:>15} {:>10} {:>22}",
        "", "1k slots (us)", "500k slots (us)", "ratio", "slowest 1k / 500k (us)"
    );
    println!(
        "{:<28} {:>14.1} {:>15.1} {:>10.2}",
        "setup (whole state, once)",
        micros(small.setup),
        micros(large.setup),
        micros(large.setup) / micros(small.setup).max(f64::MIN_POSITIVE)
    );
    let rows = [
        ("empty block", &small.empty_block, &large.empty_block),
        (
            "one-slot edit + block",
            &small.edit_and_block,
            &large.edit_and_block,
        ),
        (
            "open block session",
            &small.open_session,
            &large.open_session,
        ),
    ];
    for (name, a, b) in rows {
        let (a_median, b_median) = (micros(a.median()), micros(b.median()));
        println!(
            "{name:<28} {a_median:>14.1} {b_median:>15.1} {:>10.2} {:>10.1} / {:<10.1}",
            b_median / a_median.max(f64::MIN_POSITIVE),
            micros(a.max()),
            micros(b.max()),
        );
    }
}
