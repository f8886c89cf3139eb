//! Chain state commitment: what a block proof opens before and after the block.

use alloc::vec::Vec;

use crate::primitives::{blake2s256_concat, B256};

use super::tree::StateCommitment;

/// Number of recent block hashes the chain commitment covers.
pub const BLOCK_HASHES_WINDOW_LEN: usize = 256;

/// The chain state kept between blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChainStateCommitment {
    /// State tree root and next free slot.
    pub state: StateCommitment,
    /// Number of the last block applied.
    pub block_number: u64,
    /// blake2s of the last 256 block hashes, see [`block_hashes_digest`].
    pub last_256_block_hashes_blake: B256,
    /// Timestamp of the last block applied.
    pub last_block_timestamp: u64,
}

/// blake2s of the 256 most recent block hashes concatenated, oldest first (the last entry is the
/// hash of block `block_number`; entries before genesis are zero).
pub fn block_hashes_digest(hashes: &[B256; BLOCK_HASHES_WINDOW_LEN]) -> B256 {
    let parts: Vec<&[u8]> = hashes.iter().map(|hash| hash.as_slice()).collect();
    blake2s256_concat(&parts)
}

impl ChainStateCommitment {
    /// blake2s(state_root ‖ next_free_slot u64 BE ‖ block_number u64 BE ‖
    /// last_256_block_hashes_blake ‖ last_block_timestamp u64 BE).
    pub fn hash(&self) -> B256 {
        blake2s256_concat(&[
            self.state.root.as_slice(),
            &self.state.next_free_slot.to_be_bytes(),
            &self.block_number.to_be_bytes(),
            self.last_256_block_hashes_blake.as_slice(),
            &self.last_block_timestamp.to_be_bytes(),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{b256, blake2s256};

    #[test]
    fn hash_follows_the_byte_layout() {
        let mut hashes = [B256::ZERO; BLOCK_HASHES_WINDOW_LEN];
        hashes[255] = B256::repeat_byte(0xee);
        let digest = block_hashes_digest(&hashes);
        let mut window = Vec::new();
        window.extend_from_slice(&[0u8; 255 * 32]);
        window.extend_from_slice(&[0xee; 32]);
        assert_eq!(digest, blake2s256(&window));

        let commitment = ChainStateCommitment {
            state: StateCommitment {
                root: B256::repeat_byte(0x11),
                next_free_slot: 0x0102,
            },
            block_number: 7,
            last_256_block_hashes_blake: digest,
            last_block_timestamp: 0x0a0b_0c0d,
        };
        let mut preimage = Vec::new();
        preimage.extend_from_slice(&[0x11; 32]);
        preimage.extend_from_slice(&[0, 0, 0, 0, 0, 0, 1, 2]);
        preimage.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 7]);
        preimage.extend_from_slice(digest.as_slice());
        preimage.extend_from_slice(&[0, 0, 0, 0, 0x0a, 0x0b, 0x0c, 0x0d]);
        assert_eq!(preimage.len(), 32 + 8 + 8 + 32 + 8);
        assert_eq!(commitment.hash(), blake2s256(&preimage));
        // Both values computed with Python's hashlib.blake2s over the same bytes.
        assert_eq!(
            digest,
            b256!("a697c4294e8ac438c7d8d38f19b4eda92470afc3b89cc3e3fdfa6580d1952a64")
        );
        assert_eq!(
            commitment.hash(),
            b256!("b15175e1112749cb53f4ab88a2fac0a5d16ec557d46be2a2fe1ab8c4253a01f4")
        );
    }
}
