//! Whole blocks from arbitrary bytes (see `zkos_tests::block_fuzz`): generated genesis
//! contracts and transactions run forward with the oracle answers recorded, then proven from
//! the recording; the two blocks (receipts, state, public inputs) must be equal and nothing may
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkos_tests::block_fuzz::check_bytes;

fuzz_target!(|data: &[u8]| {
    if let Err(finding) = check_bytes(data) {
        panic!("{finding:?}");
    }
});
