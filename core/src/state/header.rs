//! The block header: the pre-Shanghai (London) Ethereum field set, hashed as keccak of its RLP.
//!
//! ZKsync OS fills it as follows: parent hash = previous block hash, ommers hash = hash of the
//! empty list, beneficiary = coinbase, state root, receipts root and bloom all zero,
//! transactions root = rolling keccak of the transaction hashes, difficulty 0, mix hash =
//! prevrandao, nonce 0, base fee = the block's base fee, empty extra data. Protocol version 2
//! (upstream `basic_bootloader/src/bootloader/block_header.rs` and `bootloader/mod.rs`) rolls
//! the bootloader's own transaction hashes ([`header_tx_hash`]) and fixes the mix hash at 1
//! ([`mix_hash`]).

use alloc::vec::Vec;
use alloy_rlp::Encodable;

use crate::config::ProtocolVersion;
use crate::primitives::{b256, keccak256, keccak256_concat, Address, Bytes, B256, U256};
use crate::tx::Transaction;

/// The mix hash (and `PREVRANDAO`) of every protocol version 2 block: 1, as upstream builds
/// without its `prevrandao` feature (`zk_ee/src/system/mod.rs::get_mix_hash`).
pub const V2_MIX_HASH: B256 =
    b256!("0000000000000000000000000000000000000000000000000000000000000001");

/// The mix hash a block of `version` carries and `PREVRANDAO` returns, given the block's
/// `prevrandao`.
pub fn mix_hash(version: ProtocolVersion, prevrandao: B256) -> B256 {
    match version {
        ProtocolVersion::V1 => prevrandao,
        ProtocolVersion::V2 => V2_MIX_HASH,
    }
}

/// The hash of `tx` (whose hash as reported is `tx_hash`) that a block of `version` rolls into
/// its transactions root: under version 2 the bootloader's own hash of a signed L2
/// transaction ([`Transaction::bootloader_hash`]), else `tx_hash`.
pub fn header_tx_hash(version: ProtocolVersion, tx: &Transaction, tx_hash: B256) -> B256 {
    match version {
        ProtocolVersion::V1 => tx_hash,
        ProtocolVersion::V2 => tx.bootloader_hash().unwrap_or(tx_hash),
    }
}

/// keccak256 of the RLP of an empty list (`0xc0`): the ommers hash of a block without ommers.
pub const EMPTY_OMMERS_HASH: B256 =
    b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

/// Length of the logs bloom in bytes.
pub const LOGS_BLOOM_LEN_BYTES: usize = 256;

/// A block header (London field set, no withdrawals root).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockHeader {
    /// Hash of the previous block.
    pub parent_hash: B256,
    /// Hash of the ommers list.
    pub ommers_hash: B256,
    /// Fee recipient.
    pub beneficiary: Address,
    /// State root (zero in ZKsync OS; the state commitment is proven separately).
    pub state_root: B256,
    /// Transactions root (the rolling keccak of the transaction hashes).
    pub transactions_root: B256,
    /// Receipts root (zero in ZKsync OS).
    pub receipts_root: B256,
    /// Difficulty (zero).
    pub difficulty: U256,
    /// Block number.
    pub number: u64,
    /// Gas limit.
    pub gas_limit: u64,
    /// Gas used.
    pub gas_used: u64,
    /// Timestamp.
    pub timestamp: u64,
    /// Extra data.
    pub extra_data: Bytes,
    /// Mix hash (prevrandao).
    pub mix_hash: B256,
    /// Proof-of-work nonce (zero).
    pub nonce: u64,
    /// Base fee per gas.
    pub base_fee_per_gas: U256,
}

/// Rolling keccak of transaction hashes: starts at zero, `h = keccak(h ‖ tx_hash)` per hash.
pub fn transactions_rolling_hash(tx_hashes: &[B256]) -> B256 {
    tx_hashes.iter().fold(B256::ZERO, |rolling, hash| {
        keccak256_concat(&[rolling.as_slice(), hash.as_slice()])
    })
}

fn minimal_be(value: &U256) -> Vec<u8> {
    let bytes = value.to_be_bytes::<32>();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(skip..).unwrap_or_default().to_vec()
}

impl BlockHeader {
    /// RLP list of the 16 fields in Ethereum order (the bloom is 256 zero bytes).
    pub fn rlp(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        self.parent_hash.0.as_slice().encode(&mut payload);
        self.ommers_hash.0.as_slice().encode(&mut payload);
        self.beneficiary.0 .0.as_slice().encode(&mut payload);
        self.state_root.0.as_slice().encode(&mut payload);
        self.transactions_root.0.as_slice().encode(&mut payload);
        self.receipts_root.0.as_slice().encode(&mut payload);
        [0u8; LOGS_BLOOM_LEN_BYTES].as_slice().encode(&mut payload);
        minimal_be(&self.difficulty).as_slice().encode(&mut payload);
        self.number.encode(&mut payload);
        self.gas_limit.encode(&mut payload);
        self.gas_used.encode(&mut payload);
        self.timestamp.encode(&mut payload);
        self.extra_data.as_ref().encode(&mut payload);
        self.mix_hash.0.as_slice().encode(&mut payload);
        self.nonce.to_be_bytes().as_slice().encode(&mut payload);
        minimal_be(&self.base_fee_per_gas)
            .as_slice()
            .encode(&mut payload);
        let mut out = Vec::with_capacity(payload.len() + 3);
        alloy_rlp::Header {
            list: true,
            payload_length: payload.len(),
        }
        .encode(&mut out);
        out.extend_from_slice(&payload);
        out
    }

    /// The block hash: keccak256 of the RLP.
    pub fn hash(&self) -> B256 {
        keccak256(&self.rlp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::hex;

    #[test]
    fn empty_ommers_hash_is_keccak_of_empty_list() {
        assert_eq!(keccak256(&[0xc0]), EMPTY_OMMERS_HASH);
    }

    #[test]
    fn rolling_hash_chains_keccak() {
        let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
        assert_eq!(transactions_rolling_hash(&[]), B256::ZERO);
        let first = keccak256(&[[0u8; 32], [1u8; 32]].concat());
        assert_eq!(transactions_rolling_hash(&[a]), first);
        assert_eq!(
            transactions_rolling_hash(&[a, b]),
            keccak256(&[first.0, [2u8; 32]].concat())
        );
    }

    #[test]
    fn rlp_follows_the_london_field_order() {
        let header = BlockHeader {
            parent_hash: B256::repeat_byte(0x11),
            ommers_hash: EMPTY_OMMERS_HASH,
            beneficiary: Address::repeat_byte(0x22),
            transactions_root: transactions_rolling_hash(&[]),
            number: 0x0102,
            gas_limit: 30_000_000,
            gas_used: 21_000,
            timestamp: 0x6000_0000,
            mix_hash: B256::repeat_byte(0x33),
            base_fee_per_gas: U256::from(1_000_000_000u64),
            ..BlockHeader::default()
        };
        let mut expected = Vec::new();
        // 32-byte strings: 0xa0 ‖ bytes; 20-byte: 0x94 ‖ bytes; 256-byte bloom: 0xb9 0100 ‖ bytes.
        expected.push(0xa0);
        expected.extend_from_slice(&[0x11; 32]);
        expected.push(0xa0);
        expected.extend_from_slice(EMPTY_OMMERS_HASH.as_slice());
        expected.push(0x94);
        expected.extend_from_slice(&[0x22; 20]);
        for _ in 0..3 {
            // state root, transactions root (no txs: zero), receipts root
            expected.push(0xa0);
            expected.extend_from_slice(&[0; 32]);
        }
        expected.extend_from_slice(&hex!("b90100"));
        expected.extend_from_slice(&[0; 256]);
        // difficulty 0 = empty string 0x80; number 0x0102 = 82 0102; gas limit 30,000,000 =
        // 0x01c9c380 = 84 01c9c380; gas used 21,000 = 0x5208 = 82 5208; timestamp 0x60000000 =
        // 84 60000000; extra data empty = 80.
        expected.extend_from_slice(&hex!("80 820102 8401c9c380 825208 8460000000 80"));
        expected.push(0xa0);
        expected.extend_from_slice(&[0x33; 32]);
        // nonce: 8 zero bytes as a string = 88 ‖ 00×8; base fee 1 gwei = 0x3b9aca00 = 84 3b9aca00.
        expected.extend_from_slice(&hex!("88 0000000000000000 843b9aca00"));
        // Payload 33·6 + 21 + 259 + 1 + 3 + 5 + 3 + 5 + 1 + 9 + 5 = 510 = 0x01fe: f9 01fe.
        assert_eq!(expected.len(), 510);
        let mut full = hex!("f901fe").to_vec();
        full.extend_from_slice(&expected);
        assert_eq!(header.rlp(), full);
        assert_eq!(header.hash(), keccak256(&full));
    }
}
