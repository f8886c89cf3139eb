//! Blocks where transactions are rejected, one in validation and one after it ran (over the
//! block's pubdata limit), and valid transactions then touch the same accounts and slots: what
//! a rejected transaction leaves in the block's caches changes what the next ones pay
//! (upstream ZKsync OS keeps it; zkos's protocol version 2 must too).

use super::case::CaseTx;
use super::contracts;
use super::generate::{at, Builder, Draft, EXISTING_SLOTS};

/// One block in this many (by seed) has this shape; the others are drawn as before.
const EVERY_BLOCKS: u64 = 8;
/// The block's pubdata limit: two transactions writing one slot each stay within it, the
/// writer of [`WRITER_SLOTS`] slots goes over it alone.
const PUBDATA_LIMIT_BYTES: u64 = 300;
/// Slots the rejected writer writes (at least 34 pubdata bytes each).
const WRITER_SLOTS: u64 = 10;

/// Whether block `seed` has this shape.
pub fn is_rejection_block(seed: u64) -> bool {
    seed % EVERY_BLOCKS == 5
}

/// A call of the storage writer writing `value` to `count` slots from `start`.
fn write(kind: &str, start: u64, count: u64, value: u64) -> Draft {
    Draft::call(
        kind,
        at::STORAGE_WRITER,
        contracts::words(&[start, count, value]),
    )
    .costs(30_000 + 22_200 * count, 800_000 * count, 150 + 70 * count)
}

impl Builder<'_> {
    /// Sender 0's transaction with a nonce too high, sender 1's writer over the pubdata limit,
    /// then sender 1 and sender 0 each writing one of the writer's slots.
    pub(super) fn rejection_block(&mut self) -> Vec<CaseTx> {
        self.params.pubdata_limit = PUBDATA_LIMIT_BYTES;
        let start = self.rng.below(EXISTING_SLOTS + 4);
        let value = self.rng.range(1, u64::MAX);
        self.nonces[0] += 1;
        let nonce_high = write("invalid-nonce-high", start, 1, value);
        let over_limit = write("invalid-pubdata-limit", start, WRITER_SLOTS, value);
        let after_writer = write("after-rejected-writer", start, 1, value ^ 1);
        let after_nonce = write("after-invalid-nonce", start + 1, 1, value);
        vec![
            self.finish(nonce_high, 0),
            self.finish(over_limit, 1),
            self.finish(after_writer, 1),
            self.finish(after_nonce, 0),
        ]
    }
}
