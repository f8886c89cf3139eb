//! The upstream block header hash with a zero parent hash, so zkos's blocks compare with the
//! oracle's (the oracle runs each block with no block hashes, so its parent is zero; the zkos
//! engine's parent is its own genesis). Layout: the London field set as ZKsync OS fills it
//! (upstream `basic_bootloader/src/bootloader/block_header.rs` at the oracle's snapshot):
//! ommers hash of the empty list, state and receipts roots zero, transactions root the rolling
//! keccak of the included transaction hashes, empty bloom, difficulty 0, mix hash = prevrandao,
//! nonce 0, base fee as a `u64`. The fields come from the engine's reported header.

use super::rlp::Rlp;
use alloy_primitives::{b256, keccak256, Address, B256, U256};

/// keccak256 of the RLP empty list: the ommers hash of a block without ommers.
const EMPTY_OMMERS_HASH: B256 =
    b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

/// The header fields that vary between blocks.
pub struct HeaderFields {
    /// Fee recipient.
    pub coinbase: Address,
    /// Block number.
    pub number: u64,
    /// Block gas limit.
    pub gas_limit: u64,
    /// Gas used by the included transactions.
    pub gas_used: u64,
    /// Timestamp.
    pub timestamp: u64,
    /// `PREVRANDAO`.
    pub mix_hash: B256,
    /// Base fee per gas.
    pub base_fee: U256,
    /// The transactions root: the rolling keccak of the hashes the header rolls.
    pub transactions_root: B256,
}

/// The rolling keccak of `hashes` from zero: `h = keccak(h ‖ hash)`.
pub fn rolling_hash(hashes: &[B256]) -> B256 {
    hashes.iter().fold(B256::ZERO, |acc, tx| {
        keccak256([acc.as_slice(), tx.as_slice()].concat())
    })
}

/// keccak of the RLP header with a zero parent hash.
pub fn hash_with_zero_parent(h: &HeaderFields) -> B256 {
    let rolling = h.transactions_root;
    let word = |w: B256| Rlp::Str(w.to_vec());
    let header = Rlp::List(vec![
        word(B256::ZERO),
        word(EMPTY_OMMERS_HASH),
        Rlp::Str(h.coinbase.to_vec()),
        word(B256::ZERO),
        word(rolling),
        word(B256::ZERO),
        Rlp::Str(vec![0u8; 256]),
        Rlp::u64(0),
        Rlp::u64(h.number),
        Rlp::u64(h.gas_limit),
        Rlp::u64(h.gas_used),
        Rlp::u64(h.timestamp),
        Rlp::Str(Vec::new()),
        word(h.mix_hash),
        Rlp::Str(vec![0u8; 8]),
        Rlp::u256(&h.base_fee),
    ]);
    keccak256(header.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::b256;

    #[test]
    fn matches_the_oracle_example_block() {
        // `shared/oracle/examples/a_pd0.json`: one ETH transfer (21,000 gas) in block 1 at
        // 1,700,000,000, gas limit 10^8, base fee 1,000, coinbase zero; the oracle prints
        // headerHash 0xd496…ab45. Its production build has no `prevrandao` feature, so the mix
        // hash is the constant 1 (upstream `zk_ee/src/system/mod.rs`, `get_mix_hash`). The
        // rolling hash is over the bootloader's own hash of the transaction, which for typed
        // transactions puts the signature last as (r, s, v = 27 + y parity): keccak(0x02 ‖
        // RLP(chain id, nonce, tip, fee cap, gas, to, value, data, access list, r, s, v)) =
        // 0x532a…6a88 (upstream `basic_bootloader/src/bootloader/transaction/mod.rs`,
        // `eip1559_tx_calculate_hash`), not keccak of the envelope (0xb7e1…e84a).
        let fields = HeaderFields {
            coinbase: Address::ZERO,
            number: 1,
            gas_limit: 100_000_000,
            gas_used: 21_000,
            timestamp: 1_700_000_000,
            mix_hash: B256::from(U256::from(1u64)),
            base_fee: U256::from(1_000u64),
            transactions_root: rolling_hash(&[b256!(
                "532a8272a35f2d6821aaa92fcd6cded52198dd9830dce3836997fc41324e6a88"
            )]),
        };
        assert_eq!(
            hash_with_zero_parent(&fields),
            b256!("d496fce07c01ff885085f9c78469551bda220c96fe695ce68c78eb7bfc64ab45")
        );
    }
}
