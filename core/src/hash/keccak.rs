//! keccak256 (the original Keccak padding `0x01 .. 0x80`, not SHA3-256's) as a sponge on the
//! Keccak-f\[1600\] permutation, which is the prover's delegation ([`super::keccak_abi`]) on
//! riscv32 with the `delegation` feature, `tiny-keccak`'s on wasm32 and `keccak_f`'s
//! everywhere else.

/// Bytes keccak256 absorbs per permutation (its rate: 1600 − 2 × 256 bits).
pub const KECCAK256_RATE_BYTES: usize = 136;

/// Keccak-f\[1600\] of `state` in place.
#[inline(always)]
pub fn permute(state: &mut [u64; 25]) {
    #[cfg(all(target_arch = "riscv32", feature = "delegation"))]
    super::csr::keccak_permute(state);
    #[cfg(target_arch = "wasm32")]
    tiny_keccak::keccakf(state);
    #[cfg(not(any(
        target_arch = "wasm32",
        all(target_arch = "riscv32", feature = "delegation")
    )))]
    super::keccak_f::keccak_f1600(state);
}

/// keccak256 of `data`: the sponge run directly on the permutation's lanes, which spares the
/// buffering of a streaming hasher on the short inputs `KECCAK256` mostly sees.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    let mut state = [0u64; 25];
    let mut blocks = data.chunks_exact(KECCAK256_RATE_BYTES);
    for block in &mut blocks {
        absorb_block(&mut state, block);
        permute(&mut state);
    }
    finish(&mut state, blocks.remainder())
}

/// keccak256 of the concatenation of `parts`, streaming: a block that straddles parts is
/// gathered in a buffer, whole blocks inside a part are absorbed in place.
#[cfg(any(
    test,
    not(any(
        target_arch = "wasm32",
        all(target_arch = "riscv32", not(feature = "delegation"))
    ))
))]
pub fn keccak256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut state = [0u64; 25];
    let mut pending = [0u8; KECCAK256_RATE_BYTES];
    let mut filled = 0;
    for part in parts {
        let mut rest = *part;
        if filled > 0 {
            let take = rest.len().min(KECCAK256_RATE_BYTES - filled);
            pending[filled..filled + take].copy_from_slice(&rest[..take]);
            filled += take;
            rest = &rest[take..];
            if filled < KECCAK256_RATE_BYTES {
                continue;
            }
            absorb_block(&mut state, &pending);
            permute(&mut state);
        }
        let mut blocks = rest.chunks_exact(KECCAK256_RATE_BYTES);
        for block in &mut blocks {
            absorb_block(&mut state, block);
            permute(&mut state);
        }
        let tail = blocks.remainder();
        pending[..tail.len()].copy_from_slice(tail);
        filled = tail.len();
    }
    finish(&mut state, &pending[..filled])
}

/// Absorbs the last, partial block `rest` with its padding, permutes and squeezes the digest.
#[inline(always)]
fn finish(state: &mut [u64; 25], rest: &[u8]) -> [u8; 32] {
    // `rest` (under a block) and its padding go straight into the lanes: whole lanes, then the
    // last bytes with the `0x01` after them, and the `0x80` in the block's last byte (the same
    // byte when `rest` is one short of a block: XOR makes it `0x81`). No zeroed block and no
    // byte copies, which wasm runs as `memory.fill` and `memory.copy`, calls out of the code.
    let (lanes, tail) = rest.as_chunks::<8>();
    for (lane, bytes) in state.iter_mut().zip(lanes) {
        *lane ^= u64::from_le_bytes(*bytes);
    }
    let mut last = 0x01 << (8 * tail.len());
    for (i, byte) in tail.iter().enumerate() {
        last |= u64::from(*byte) << (8 * i);
    }
    state[lanes.len()] ^= last;
    state[KECCAK256_RATE_BYTES / 8 - 1] ^= 0x80 << 56;
    permute(state);
    let mut out = [0u8; 32];
    for (bytes, lane) in out.as_chunks_mut::<8>().0.iter_mut().zip(state.iter()) {
        *bytes = lane.to_le_bytes();
    }
    out
}

/// XORs one rate-sized block into the state's first lanes, little-endian.
#[inline(always)]
fn absorb_block(state: &mut [u64; 25], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.as_chunks::<8>().0) {
        *lane ^= u64::from_le_bytes(*bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_keccak::{Hasher, Keccak};

    fn reference(data: &[u8]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut hasher = Keccak::v256();
        hasher.update(data);
        hasher.finalize(&mut out);
        out
    }

    #[test]
    fn both_sponges_match_tiny_keccak_at_every_length_and_split() {
        // Every length up to three blocks and a byte, so the padding falls at every place
        // (the last byte of a block, a block of its own), split into three parts at two points
        // that sweep across the block edges; tiny-keccak's streaming hasher is the reference.
        let data: alloc::vec::Vec<u8> = (0..=3 * KECCAK256_RATE_BYTES as u32)
            .map(|i| (i * 7 + 3) as u8)
            .collect();
        for len in 0..data.len() {
            let data = &data[..len];
            let expected = reference(data);
            assert_eq!(keccak256(data), expected, "length {len}");
            for (a, b) in [
                (0, 0),
                (len / 3, 2 * len / 3),
                (len / 2, len),
                (1.min(len), len),
            ] {
                let parts = [&data[..a], &data[a..b], &data[b..]];
                assert_eq!(
                    keccak256_parts(&parts),
                    expected,
                    "length {len} at {a}, {b}"
                );
            }
        }
        assert_eq!(keccak256_parts(&[]), reference(&[]));
    }
}
