//! The host side of the hash delegations (`zkos_core::hash::blake2s_abi` and
//! `zkos_core::hash::keccak_abi`): the pure functions the prover's circuits compute, applied to
//! guest memory, and a host that lies about them (for the tests that it is caught).

use super::{Machine, REG_A0, REG_A1, REG_A2};
use zkos_core::hash::blake2s_abi::{BLAKE2S_IV, BLAKE2S_ROUNDS};

/// Which hash delegation the host answers falsely: it flips the lowest bit of the first word
/// of the result (the chaining value's after a compression's last round, the first lane after
/// a permutation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HashLie {
    /// Every answer is true.
    #[default]
    Honest,
    /// Blake2s compressions come out wrong.
    Blake2s,
    /// Keccak-f\[1600\] permutations come out wrong.
    Keccak,
}

/// Blake2s's message schedule: the message word each of a round's 16 `G` inputs takes
/// (RFC 7693 §2.7).
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

/// The working-vector indices of a round's eight `G` mixings: four columns, then four
/// diagonals (RFC 7693 §3.2).
const MIXINGS: [[usize; 4]; 8] = [
    [0, 4, 8, 12],
    [1, 5, 9, 13],
    [2, 6, 10, 14],
    [3, 7, 11, 15],
    [0, 5, 10, 15],
    [1, 6, 11, 12],
    [2, 7, 8, 13],
    [3, 4, 9, 14],
];

/// The mixing function `G` (RFC 7693 §3.1) on `v[a], v[b], v[c], v[d]` with message words
/// `x` and `y`.
fn mix(v: &mut [u32; 16], [a, b, c, d]: [usize; 4], x: u32, y: u32) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(12);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(8);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(7);
}

/// One call of the Blake2s round delegation: round `round` on `h` (the chaining value) and
/// `v` (the working vector) with the message block `m`, as `blake2s_abi` specifies; `None` for
/// an index past the last round.
fn blake2s_round(h: &mut [u32; 8], v: &mut [u32; 16], m: &[u32; 16], round: u32) -> Option<()> {
    let schedule = SIGMA.get(round as usize)?;
    if round == 0 {
        // v[12..16] hold (t₀, t₁, f₀, f₁) as the guest wrote them.
        let counter_and_flags = [v[12], v[13], v[14], v[15]];
        v[..8].copy_from_slice(h);
        v[8..].copy_from_slice(&BLAKE2S_IV);
        for (word, extra) in v[12..].iter_mut().zip(counter_and_flags) {
            *word ^= extra;
        }
    }
    for (i, indices) in MIXINGS.iter().enumerate() {
        mix(v, *indices, m[schedule[2 * i]], m[schedule[2 * i + 1]]);
    }
    if round == BLAKE2S_ROUNDS - 1 {
        for i in 0..8 {
            h[i] ^= v[i] ^ v[i + 8];
        }
    }
    Some(())
}

/// Keccak-f\[1600\] of the 25 lanes (`tiny-keccak`'s permutation).
fn keccak_permutation(lanes: &mut [u64; 25]) {
    tiny_keccak::keccakf(lanes);
}

impl Machine {
    /// The `N` little-endian words at `addr` (4-byte aligned).
    fn load_u32s<const N: usize>(&self, addr: u32) -> Result<[u32; N], String> {
        let at = self.word_index(addr, 4 * N as u32)?;
        Ok(core::array::from_fn(|i| {
            let mut word = [0u8; 4];
            word.copy_from_slice(&self.flat[at + 4 * i..at + 4 * i + 4]);
            u32::from_le_bytes(word)
        }))
    }

    fn store_u32s(&mut self, addr: u32, words: &[u32]) -> Result<(), String> {
        let at = self.word_index(addr, 4 * words.len() as u32)?;
        for (bytes, word) in self.flat[at..at + 4 * words.len()]
            .chunks_exact_mut(4)
            .zip(words)
        {
            bytes.copy_from_slice(&word.to_le_bytes());
        }
        Ok(())
    }

    /// Runs one Blake2s round delegation on the memory `a0` and `a1` point at, round `a2`.
    pub(super) fn blake2s_round(
        &mut self,
        registers: &mut [u32; 32],
        lie: HashLie,
    ) -> Result<(), String> {
        let (state_at, block_at, round) = (registers[REG_A0], registers[REG_A1], registers[REG_A2]);
        let state: [u32; 24] = self.load_u32s(state_at)?;
        let block: [u32; 16] = self.load_u32s(block_at)?;
        let mut h: [u32; 8] = core::array::from_fn(|i| state[i]);
        let mut v: [u32; 16] = core::array::from_fn(|i| state[8 + i]);
        blake2s_round(&mut h, &mut v, &block, round)
            .ok_or_else(|| format!("Blake2s round index {round} out of range"))?;
        if lie == HashLie::Blake2s && round == BLAKE2S_ROUNDS - 1 {
            h[0] ^= 1;
        }
        self.store_u32s(state_at, &h)?;
        self.store_u32s(state_at + 32, &v)?;
        registers[REG_A2] = round + 1;
        Ok(())
    }

    /// Runs one Keccak-f\[1600\] delegation on the 25 lanes `a0` points at.
    pub(super) fn keccak(&mut self, registers: &[u32; 32], lie: HashLie) -> Result<(), String> {
        let at = registers[REG_A0];
        if !at.is_multiple_of(8) {
            return Err(format!("misaligned Keccak state at {at:#010x}"));
        }
        let words: [u32; 50] = self.load_u32s(at)?;
        let mut lanes: [u64; 25] =
            core::array::from_fn(|i| u64::from(words[2 * i]) | u64::from(words[2 * i + 1]) << 32);
        keccak_permutation(&mut lanes);
        if lie == HashLie::Keccak {
            lanes[0] ^= 1;
        }
        let words: Vec<u32> = lanes
            .iter()
            .flat_map(|lane| [*lane as u32, (lane >> 32) as u32])
            .collect();
        self.store_u32s(at, &words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blake2::{Blake2s256, Digest};

    /// Blake2s-256 of `data` on [`blake2s_round`], following RFC 7693 §3.3 block by block.
    fn blake2s_on_rounds(data: &[u8]) -> Vec<u8> {
        let mut h = BLAKE2S_IV;
        h[0] ^= 0x0101_0020;
        let blocks: Vec<&[u8]> = if data.is_empty() {
            vec![&[]]
        } else {
            data.chunks(64).collect()
        };
        let mut counter = 0u64;
        for (i, chunk) in blocks.iter().enumerate() {
            counter += chunk.len() as u64;
            let mut bytes = chunk.to_vec();
            bytes.resize(64, 0);
            let m: [u32; 16] = core::array::from_fn(|k| {
                u32::from_le_bytes(bytes[4 * k..4 * k + 4].try_into().unwrap())
            });
            let last = i + 1 == blocks.len();
            let mut v = [0u32; 16];
            v[12] = counter as u32;
            v[13] = (counter >> 32) as u32;
            v[14] = if last { u32::MAX } else { 0 };
            for round in 0..BLAKE2S_ROUNDS {
                blake2s_round(&mut h, &mut v, &m, round).unwrap();
            }
        }
        h.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    #[test]
    fn ten_rounds_per_block_give_blake2s() {
        // RFC 7693 appendix B: BLAKE2s-256("abc").
        assert_eq!(
            alloy_primitives::hex::encode(blake2s_on_rounds(b"abc")),
            "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"
        );
        let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
        for len in [0, 1, 63, 64, 65, 128, 129, 300] {
            assert_eq!(
                blake2s_on_rounds(&data[..len]),
                Blake2s256::digest(&data[..len]).to_vec(),
                "length {len}"
            );
        }
        let (mut h, mut v) = ([0; 8], [0; 16]);
        assert_eq!(
            blake2s_round(&mut h, &mut v, &[0; 16], BLAKE2S_ROUNDS),
            None
        );
    }

    #[test]
    fn the_permutation_of_zero_matches_the_keccak_teams_vector() {
        // KeccakF-1600-IntermediateValues.txt (the Keccak team): the zero state's permutation
        // begins F1258F7940E1DDE7 84D5CCF933C0478A.
        let mut lanes = [0u64; 25];
        keccak_permutation(&mut lanes);
        assert_eq!(lanes[..2], [0xF125_8F79_40E1_DDE7, 0x84D5_CCF9_33C0_478A]);
    }
}
