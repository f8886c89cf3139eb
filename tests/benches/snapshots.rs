//! What a dev node's `evm_snapshot` and `evm_revert` cost as the chain grows: after 100, 1,000
//! and 3,000 blocks of one token transfer each, a snapshot, one more block (what a test does
//! between the two), and a revert, each timed on its own; the median of 21 rounds.
//!
//! Two ways in the same run: the whole copy the package took before (`Engine::clone` for the
//! snapshot, and again for the restore, as `restore(&snapshot)` copies it back), and a
//! checkpoint (`Engine::checkpoint`, `Engine::rewind`), which should cost the same after 3,000
//! blocks as after 100. The last column is the copy's time over the checkpoint's.

use std::time::{Duration, Instant};
use zkos_core::config::ChainConfig;
use zkos_core::engine::{AccountInput, BlockTx, Engine, TxRequest};
use zkos_core::primitives::{Address, Bytes, U256};

const CHAIN_ID: u64 = 270;
const SENDER: Address = Address::repeat_byte(0x5e);
const TOKEN: Address = Address::repeat_byte(0x70);
const ROUNDS: usize = 21;
const SIZES: [u64; 3] = [100, 1_000, 3_000];

/// The test token's runtime (core's engine tests): `transfer(to, amount)` moves `amount`
/// from the caller's slot to `to`'s and logs `Transfer`.
const TOKEN_RUNTIME: &str = "6024353354819003335560043580548201905560005260043533\
7fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef60206000a300";

fn token_engine() -> Engine {
    let mut engine = Engine::new(ChainConfig::zk(CHAIN_ID));
    let code = Bytes::from(zkos_core::primitives::hex::decode(TOKEN_RUNTIME).expect("hex"));
    engine
        .set_account(
            SENDER,
            AccountInput {
                balance: U256::from(10u64).pow(U256::from(24u64)),
                ..Default::default()
            },
        )
        .expect("sender");
    engine
        .set_account(
            TOKEN,
            AccountInput {
                nonce: 1,
                code,
                storage: vec![(U256::from_be_slice(SENDER.as_slice()), U256::MAX)],
                ..Default::default()
            },
        )
        .expect("token");
    engine
}

/// One block with a transfer of `i + 1` tokens to one of 1,000 recipients.
fn block(engine: &mut Engine, i: u64) {
    let mut data = vec![0xa9, 0x05, 0x9c, 0xbb];
    data.extend_from_slice(&U256::from(i % 1_000 + 1).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(i + 1).to_be_bytes::<32>());
    let tx = BlockTx::Request(Box::new(TxRequest {
        from: Some(SENDER),
        to: Some(TOKEN),
        data: Bytes::from(data),
        ..Default::default()
    }));
    engine.run_block_strict(&[tx], None).expect("block");
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort_unstable();
    times[times.len() / 2].as_secs_f64() * 1e3
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// Median snapshot and revert times (ms) of the copy and of the checkpoint, alternating.
fn measure(engine: &mut Engine, mined: &mut u64) -> [f64; 4] {
    let mut times: [Vec<Duration>; 4] = Default::default();
    for _ in 0..ROUNDS {
        let head = engine.head().clone();
        let (copy, taken) = timed(|| engine.clone());
        block(engine, *mined);
        let ((), restored) = timed(|| *engine = copy.clone());
        times[0].push(taken);
        times[1].push(restored);
        let (checkpoint, taken) = timed(|| engine.checkpoint());
        block(engine, *mined);
        let (rewound, restored) = timed(|| engine.rewind(&checkpoint));
        rewound.expect("rewound");
        times[2].push(taken);
        times[3].push(restored);
        assert_eq!(engine.head(), &head);
    }
    times.map(median)
}

fn main() {
    let mut engine = token_engine();
    let mut mined = 0;
    println!("evm_snapshot / evm_revert (one block between), median of {ROUNDS}, ms");
    println!(
        "{:>7} {:>12} {:>12} {:>12} {:>12} {:>10} {:>10}",
        "blocks", "copy snap", "copy revert", "ckpt snap", "ckpt revert", "snap x", "revert x"
    );
    for size in SIZES {
        while mined < size {
            block(&mut engine, mined);
            mined += 1;
        }
        let [copy_snap, copy_revert, snap, revert] = measure(&mut engine, &mut mined);
        println!(
            "{size:>7} {copy_snap:>12.3} {copy_revert:>12.3} {snap:>12.4} {revert:>12.4} {:>10.0} {:>10.0}",
            copy_snap / snap.max(1e-6),
            copy_revert / revert.max(1e-6),
        );
    }
}
