//! BLAKE2b F compression function (0x09, EIP-152).

use super::outcome::{charge_gas, PrecompileFailure, PrecompileOutput};
use crate::resources::precompile_native::PrecompileNativeCosts;
use alloc::vec::Vec;

/// Exact input length: rounds (4) ‖ h (64) ‖ m (128) ‖ t (16) ‖ f (1).
const INPUT_LEN: usize = 213;
/// Gas per round.
const PER_ROUND_GAS: u64 = 1;

/// BLAKE2b initialisation vector (RFC 7693, section 2.6).
const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// Message word schedule (RFC 7693, section 2.7); round `i` uses row `i % 10`.
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// Input `rounds (u32 BE) ‖ h (8 × u64 LE) ‖ m (16 × u64 LE) ‖ t (2 × u64 LE) ‖ f (0 or 1)`.
/// Returns the new state `h` (8 × u64 LE).
pub(super) fn run(
    input: &[u8],
    gas_limit: u64,
    costs: &PrecompileNativeCosts,
) -> Result<PrecompileOutput, PrecompileFailure> {
    let input: &[u8; INPUT_LEN] = input
        .try_into()
        .map_err(|_| PrecompileFailure::invalid_input(0))?;
    let rounds = u32::from_be_bytes([input[0], input[1], input[2], input[3]]);
    let gas_used = PER_ROUND_GAS * u64::from(rounds);
    charge_gas(gas_used, gas_limit)?;
    let native_used = costs.blake2f_base_native.saturating_add(
        costs
            .blake2f_per_round_native
            .saturating_mul(u64::from(rounds)),
    );
    let last_block = match input[212] {
        0 => false,
        1 => true,
        _ => return Err(PrecompileFailure::invalid_input(native_used)),
    };
    let mut h = [0u64; 8];
    read_words(&input[4..68], &mut h);
    let mut m = [0u64; 16];
    read_words(&input[68..196], &mut m);
    let mut t = [0u64; 2];
    read_words(&input[196..212], &mut t);
    compress(rounds, &mut h, &m, t, last_block);
    let output: Vec<u8> = h.iter().flat_map(|word| word.to_le_bytes()).collect();
    Ok(PrecompileOutput {
        gas_used,
        native_used,
        output,
    })
}

/// Fills `out` with little-endian 64-bit words from `bytes`.
fn read_words(bytes: &[u8], out: &mut [u64]) {
    for (word, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(chunk);
        *word = u64::from_le_bytes(le);
    }
}

/// The mixing function G (RFC 7693, section 3.1).
fn mix(v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(32);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(24);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(63);
}

/// The compression function F (RFC 7693, section 3.2) with a caller-chosen round count.
fn compress(rounds: u32, h: &mut [u64; 8], m: &[u64; 16], t: [u64; 2], last_block: bool) {
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= t[0];
    v[13] ^= t[1];
    if last_block {
        v[14] = !v[14];
    }
    for round in 0..rounds as usize {
        let s = &SIGMA[round % 10];
        mix(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        mix(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        mix(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        mix(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        mix(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        mix(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        mix(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        mix(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        run, Precompile, PrecompileFailure, PrecompileFailureKind, PrecompileOutput,
    };
    use crate::config::Hardfork;
    use crate::primitives::hex;
    use crate::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1;

    fn call(input: &[u8], gas_limit: u64) -> Result<PrecompileOutput, PrecompileFailure> {
        run(
            Precompile::Blake2f,
            input,
            gas_limit,
            Hardfork::Cancun,
            &PRECOMPILE_NATIVE_COSTS_V1,
        )
    }

    /// EIP-152 test vector 5 (geth blake2F.json): BLAKE2b-512("abc") in 12 rounds.
    const VECTOR5: [u8; 213] = hex!(
        "0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b"
        "6162630000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "0300000000000000000000000000000001"
    );

    fn with_rounds(rounds: u32) -> [u8; 213] {
        let mut input = VECTOR5;
        input[..4].copy_from_slice(&rounds.to_be_bytes());
        input
    }

    #[test]
    fn eip152_vectors() {
        for (input, expected) in [
            // vector 4: 0 rounds
            (with_rounds(0), hex!("08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b")),
            // vector 5: 12 rounds
            (VECTOR5, hex!("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")),
            // vector 7: 1 round
            (with_rounds(1), hex!("b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421")),
        ] {
            let rounds = u32::from_be_bytes([input[0], input[1], input[2], input[3]]);
            let out = call(&input, u64::from(rounds)).unwrap();
            assert_eq!(out.output, expected);
            assert_eq!(out.gas_used, u64::from(rounds));
        }
        // vector 6: final-block flag cleared.
        let mut input = VECTOR5;
        input[212] = 0;
        assert_eq!(
            call(&input, 12).unwrap().output,
            hex!("75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735")
        );
    }

    #[test]
    fn eip152_vector8_eight_million_rounds() {
        // vector 8: 0x007a1200 = 8,000,000 rounds.
        let out = call(&with_rounds(8_000_000), 8_000_000).unwrap();
        assert_eq!(
            out.output,
            hex!("6d2ce9e534d50e18ff866ae92d70cceba79bbcd14c63819fe48752c8aca87a4bb7dcc230d22a4047f0486cfcfb50a17b24b2899eb8fca370f22240adb5170189")
        );
    }

    #[test]
    fn native_cost() {
        // 1577 + 672 * 12 = 9641.
        assert_eq!(call(&VECTOR5, 12).unwrap().native_used, 9_641);
    }

    #[test]
    fn failures() {
        // fail-blake2f.json vectors 0..=2: wrong length, before any charge.
        let too_long = [VECTOR5.as_slice(), &[0u8]].concat();
        for input in [&[][..], &VECTOR5[1..], too_long.as_slice()] {
            let err = call(input, u64::MAX).unwrap_err();
            assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
            assert_eq!(err.native_used, 0);
        }
        // vector 3: final flag 2, after the gas check (1577 + 672 * 12 native).
        let mut input = VECTOR5;
        input[212] = 2;
        let err = call(&input, 12).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::InvalidInput);
        assert_eq!(err.native_used, 9_641);
        // One round short of gas.
        let err = call(&VECTOR5, 11).unwrap_err();
        assert_eq!(err.kind, PrecompileFailureKind::OutOfGas);
        assert_eq!(err.native_used, 0);
    }
}
