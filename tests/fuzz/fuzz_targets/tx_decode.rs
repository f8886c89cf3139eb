//! Transaction decoding on arbitrary bytes: it never panics, whatever it accepts re-encodes to
//! the very same bytes (decoding is strict, so only canonical encodings pass), and sender
//! recovery on an accepted transaction never panics either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkos_core::tx::{decode, encode, recover_sender};

fuzz_target!(|data: &[u8]| {
    let Ok(tx) = decode(data) else {
        return;
    };
    let encoded = encode(&tx).expect("a decoded transaction encodes");
    assert_eq!(encoded, data, "accepted a non-canonical encoding");
    let _ = recover_sender(&tx);
});
