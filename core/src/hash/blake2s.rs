//! Blake2s-256 block by block over the compression function, for the delegated build: the guest
//! runs each compression as the prover's ten round delegations ([`super::blake2s_abi`]). Other
//! targets hash with the `blake2` crate (`crate::primitives`).

use super::blake2s_abi::{
    MessageBlock, RoundState, BLAKE2S_BLOCK_BYTES, BLAKE2S_IV, BLAKE2S_LAST_BLOCK_FLAG,
};

/// Word 0 of unkeyed Blake2s-256's parameter block: digest length 32, key length 0, fanout 1,
/// depth 1 (RFC 7693 §2.5); the other words are zero.
const PARAMETER_WORD_0: u32 = 0x0101_0020;

/// Blake2s-256 of the concatenation of `parts`, each compression on the round delegation.
#[cfg(all(target_arch = "riscv32", feature = "delegation"))]
pub fn blake2s256(parts: &[&[u8]]) -> [u8; 32] {
    hash_with(parts, super::csr::blake2s_compress)
}

/// Blake2s-256 of the concatenation of `parts`, with `compress` running one compression of
/// `state.h` with the block, the counter and the flags already written into `state.v[12..16]`
/// (the delegation's contract). A full block is compressed only when more input follows, since
/// the last block (zero-padded, possibly empty) carries the final flag.
fn hash_with(
    parts: &[&[u8]],
    mut compress: impl FnMut(&mut RoundState, &MessageBlock),
) -> [u8; 32] {
    let mut state = RoundState {
        h: BLAKE2S_IV,
        v: [0; 16],
    };
    state.h[0] ^= PARAMETER_WORD_0;
    let mut block = MessageBlock([0; BLAKE2S_BLOCK_BYTES]);
    let mut filled = 0;
    let mut counter = 0u64;
    for part in parts {
        let mut rest = *part;
        while !rest.is_empty() {
            if filled == BLAKE2S_BLOCK_BYTES {
                counter += BLAKE2S_BLOCK_BYTES as u64;
                set_counter_and_flag(&mut state, counter, 0);
                compress(&mut state, &block);
                filled = 0;
            }
            let take = rest.len().min(BLAKE2S_BLOCK_BYTES - filled);
            block.0[filled..filled + take].copy_from_slice(&rest[..take]);
            filled += take;
            rest = &rest[take..];
        }
    }
    block.0[filled..].fill(0);
    counter += filled as u64;
    set_counter_and_flag(&mut state, counter, BLAKE2S_LAST_BLOCK_FLAG);
    compress(&mut state, &block);
    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(state.h) {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
    out
}

/// Writes `(t₀, t₁, f₀, f₁)` into `v[12..16]`, as the delegation expects before round 0.
#[inline(always)]
fn set_counter_and_flag(state: &mut RoundState, counter: u64, flag: u32) {
    state.v[12] = counter as u32;
    state.v[13] = (counter >> 32) as u32;
    state.v[14] = flag;
    state.v[15] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// One compression as seen by the delegation: the chaining value going in, the counter,
    /// the flag and the block.
    #[derive(Debug, PartialEq, Eq)]
    struct Call {
        h: [u32; 8],
        counter: u64,
        last: bool,
        block: Vec<u8>,
    }

    /// The compressions `hash_with` asks for on `parts`, with a stand-in compression that
    /// makes each chaining value depend on the call number (so a dropped or repeated call
    /// shows), and the digest it returns.
    fn calls(parts: &[&[u8]]) -> (Vec<Call>, [u8; 32]) {
        let mut seen = Vec::new();
        let digest = hash_with(parts, |state, block| {
            seen.push(Call {
                h: state.h,
                counter: u64::from(state.v[12]) | u64::from(state.v[13]) << 32,
                last: state.v[14] == BLAKE2S_LAST_BLOCK_FLAG && state.v[15] == 0,
                block: block.0.to_vec(),
            });
            state.h[seen.len() % 8] ^= 0x100 + seen.len() as u32;
        });
        (seen, digest)
    }

    fn padded(bytes: &[u8]) -> Vec<u8> {
        let mut block = bytes.to_vec();
        block.resize(BLAKE2S_BLOCK_BYTES, 0);
        block
    }

    #[test]
    fn blocks_counters_and_the_final_flag_follow_rfc_7693() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 13 + 5) as u8).collect();
        let mut h0 = BLAKE2S_IV;
        h0[0] ^= PARAMETER_WORD_0;
        // RFC 7693 §3.3: the counter counts the bytes hashed so far including this block; only
        // the last block is flagged and it is zero-padded; the empty input is one empty block;
        // a length that fills whole blocks ends on a full, flagged block (no extra block).
        let expected = |len: usize| -> Vec<(u64, bool, Vec<u8>)> {
            let blocks = len.div_ceil(BLAKE2S_BLOCK_BYTES).max(1);
            (0..blocks)
                .map(|i| {
                    let end = ((i + 1) * BLAKE2S_BLOCK_BYTES).min(len);
                    let start = i * BLAKE2S_BLOCK_BYTES;
                    (
                        end as u64,
                        i + 1 == blocks,
                        padded(&data[start.min(end)..end]),
                    )
                })
                .collect()
        };
        for len in [0, 1, 63, 64, 65, 72, 127, 128, 129, 200] {
            let (seen, digest) = calls(&[&data[..len]]);
            let shape: Vec<_> = seen
                .iter()
                .map(|c| (c.counter, c.last, c.block.clone()))
                .collect();
            assert_eq!(shape, expected(len), "length {len}");
            assert_eq!(seen[0].h, h0);
            // The digest is the final chaining value, little-endian words.
            let mut h = seen.last().unwrap().h;
            h[seen.len() % 8] ^= 0x100 + seen.len() as u32;
            let words: Vec<u8> = h.iter().flat_map(|w| w.to_le_bytes()).collect();
            assert_eq!(digest.to_vec(), words);
            // Any split into parts asks for the very same compressions.
            for cut in [0, 1, len / 2, 64, len] {
                let (a, b) = data[..len].split_at(cut.min(len));
                assert_eq!(calls(&[a, &[], b]).0, seen, "length {len} cut at {cut}");
            }
        }
    }
}
