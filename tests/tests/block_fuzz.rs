//! The block fuzz property (see `zkos_tests::block_fuzz`) on a seeded pseudo-random stream, for
//! a bounded time: every generated block runs forward and proves to the same block, without a
//! panic. `ZKOS_BLOCK_FUZZ_SEED` replays a run (the seed is printed), `ZKOS_BLOCK_FUZZ_MS`
//! changes its time (default 20 s), and `ZKOS_BLOCK_FUZZ_CASES` its least number of cases.

use std::time::{Duration, Instant};
use zkos_tests::block_fuzz::{check_bytes, Tally};

/// Time the test spends generating cases, unless told otherwise.
const DEFAULT_BUDGET_MS: u64 = 20_000;
/// Cases the test runs at least, however long they take.
const DEFAULT_MIN_CASES: u64 = 50;
/// Seed of a run that is not told one (any fixed number: runs repeat unless changed).
const DEFAULT_SEED: u64 = 0x5eed_b10c_f022;
/// Most bytes a case is made from.
const MAX_CASE_BYTES: usize = 2_048;

/// splitmix64: a small, well-mixed generator for the case bytes.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn generated_blocks_prove_to_their_forward_run() {
    let seed = env_u64("ZKOS_BLOCK_FUZZ_SEED", DEFAULT_SEED);
    let budget = Duration::from_millis(env_u64("ZKOS_BLOCK_FUZZ_MS", DEFAULT_BUDGET_MS));
    let min_cases = env_u64("ZKOS_BLOCK_FUZZ_CASES", DEFAULT_MIN_CASES);
    let mut rng = SplitMix(seed);
    let start = Instant::now();
    let mut cases = 0u64;
    let mut tally = Tally::default();
    while cases < min_cases || start.elapsed() < budget {
        let len = (rng.next() as usize) % MAX_CASE_BYTES;
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        match check_bytes(&data) {
            Ok(block) => tally.add(block),
            Err(finding) => panic!(
                "seed {seed}, case {cases} ({len} bytes 0x{}): {finding:?}",
                data.iter().map(|b| format!("{b:02x}")).collect::<String>()
            ),
        }
        cases += 1;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "block fuzz: seed {seed}, {cases} blocks in {seconds:.1} s ({:.1} blocks/s); {tally:?}",
        cases as f64 / seconds
    );
    // The generator reaches every outcome (a property over any seed with this many cases).
    assert!(
        tally.succeeded > 0 && tally.failed > 0 && tally.rejected > 0,
        "{tally:?}"
    );
}
