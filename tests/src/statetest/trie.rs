//! Ethereum commitments over a world state: the secure Merkle-Patricia state root and the
//! logs hash that state tests compare against.

use std::collections::BTreeMap;

use alloy_rlp::{Encodable, Header};
use alloy_trie::{HashBuilder, Nibbles};
use zkos_core::primitives::{keccak256, Address, B256, U256};

use super::executor::{AccountState, Log};

/// Root of a secure trie over `(key, value)` pairs: leaves keyed by `keccak(key)`, in key order.
fn secure_root(mut leaves: Vec<(B256, Vec<u8>)>) -> B256 {
    leaves.sort_unstable_by_key(|leaf| leaf.0);
    let mut builder = HashBuilder::default();
    for (hashed_key, value) in &leaves {
        builder.add_leaf(Nibbles::unpack(hashed_key), value);
    }
    builder.root()
}

/// Storage root of one account: keys `keccak(slot)`, values `RLP(value)`, zero values omitted.
pub fn storage_root(storage: &BTreeMap<U256, U256>) -> B256 {
    let leaves = storage
        .iter()
        .filter(|(_, value)| !value.is_zero())
        .map(|(slot, value)| {
            (
                keccak256(&slot.to_be_bytes::<32>()),
                alloy_rlp::encode(value),
            )
        })
        .collect();
    secure_root(leaves)
}

/// RLP of the trie value of an account: `[nonce, balance, storageRoot, codeHash]`.
fn account_rlp(account: &AccountState) -> Vec<u8> {
    let storage_root = storage_root(&account.storage);
    let code_hash = keccak256(&account.code);
    let payload_length = account.nonce.length()
        + account.balance.length()
        + storage_root.length()
        + code_hash.length();
    let mut out = Vec::with_capacity(payload_length + 3);
    Header {
        list: true,
        payload_length,
    }
    .encode(&mut out);
    account.nonce.encode(&mut out);
    account.balance.encode(&mut out);
    storage_root.encode(&mut out);
    code_hash.encode(&mut out);
    out
}

/// State root of a world state: keys `keccak(address)`, values the account RLP. Every account
/// given is included, empty or not.
pub fn state_root(state: &BTreeMap<Address, AccountState>) -> B256 {
    let leaves = state
        .iter()
        .map(|(address, account)| (keccak256(address.as_slice()), account_rlp(account)))
        .collect();
    secure_root(leaves)
}

/// Appends the RLP of one log, `[address, [topics...], data]`, to `out`.
fn encode_log(log: &Log, out: &mut Vec<u8>) {
    let topics_length: usize = log.topics.iter().map(Encodable::length).sum();
    let topics_header = Header {
        list: true,
        payload_length: topics_length,
    };
    let payload_length =
        log.address.length() + topics_header.length() + topics_length + log.data.length();
    Header {
        list: true,
        payload_length,
    }
    .encode(out);
    log.address.encode(out);
    topics_header.encode(out);
    for topic in &log.topics {
        topic.encode(out);
    }
    log.data.encode(out);
}

/// keccak256 of the RLP list of `logs` (the `logs` field of a state-test post entry).
pub fn logs_hash(logs: &[Log]) -> B256 {
    let mut payload = Vec::new();
    for log in logs {
        encode_log(log, &mut payload);
    }
    let mut out = Vec::with_capacity(payload.len() + 9);
    Header {
        list: true,
        payload_length: payload.len(),
    }
    .encode(&mut out);
    out.extend_from_slice(&payload);
    keccak256(&out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zkos_core::primitives::{address, b256, Bytes};

    #[test]
    fn empty_log_list_hashes_to_keccak_of_rlp_empty_list() {
        // keccak256(0xc0), the well-known "empty uncles" hash.
        assert_eq!(
            logs_hash(&[]),
            b256!("1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347")
        );
    }

    #[test]
    fn empty_trie_root_is_keccak_of_rlp_empty_string() {
        // keccak256(0x80) is the root of an empty trie (and of an account without storage).
        let expected = b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
        assert_eq!(state_root(&BTreeMap::new()), expected);
        let zero_only = BTreeMap::from([(U256::from(1), U256::ZERO)]);
        assert_eq!(storage_root(&zero_only), expected);
    }

    #[test]
    fn one_log_encodes_as_hand_built_rlp() {
        let log = Log {
            address: address!("00000000000000000000000000000000000000aa"),
            topics: vec![B256::repeat_byte(0x11)],
            data: Bytes::from_static(&[0x42]),
        };
        // [0x94 ‖ 20-byte address, [0xa0 ‖ topic], 0x42]: payload 21 + (1 + 33) + 1 = 56 bytes,
        // so the log list header is 0xf8 0x38; the outer list holds 58 bytes: 0xf8 0x3a.
        let mut rlp = vec![0xf8, 0x3a, 0xf8, 0x38, 0x94];
        rlp.extend_from_slice(log.address.as_slice());
        rlp.extend_from_slice(&[0xe1, 0xa0]);
        rlp.extend_from_slice(&[0x11; 32]);
        rlp.push(0x42);
        assert_eq!(logs_hash(&[log]), keccak256(&rlp));
    }
}
