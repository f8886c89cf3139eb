//! L2→L1 logs: the 88-byte packed log, its keccak leaf hash, and the fixed height-14 keccak
//! Merkle tree the settlement layer opens them with.
//!
//! Unused leaves hold the hash of an all-zero 88-byte log,
//! [`L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH`] (the settlement contracts' default leaf, keccak of 88
//! zero bytes). Inner nodes are `keccak(left ‖ right)`.

use alloc::vec::Vec;

use crate::primitives::{b256, keccak256, keccak256_concat, Address, B256};

/// Length of an encoded log in bytes.
pub const L2_TO_L1_LOG_ENCODED_LEN_BYTES: usize = 88;
/// Height of the logs Merkle tree.
pub const L2_TO_L1_LOGS_TREE_HEIGHT: usize = 14;
/// Number of leaves of the logs Merkle tree (2^14).
pub const L2_TO_L1_LOGS_TREE_LEAVES: usize = 1 << L2_TO_L1_LOGS_TREE_HEIGHT;
/// keccak256 of 88 zero bytes: the hash of every unused leaf.
pub const L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH: B256 =
    b256!("72abee45b59e344af8a6e520241c4744aff26ed411f4c4b00f8af09adada43ba");

/// One L2→L1 log as the block commits to it: `shard (0) ‖ is_service ‖ tx_number ‖ sender ‖
/// key ‖ value`, 88 bytes packed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2ToL1Log {
    /// Whether the log was emitted by the system (always true for the logs zkos emits).
    pub is_service: bool,
    /// Index of the emitting transaction in the block.
    pub tx_number: u16,
    /// Emitter: the bootloader (0x8001) for priority logs, the L1 messenger for messages.
    pub sender: Address,
    /// Priority log: the tx hash; message log: the message sender (left-padded).
    pub key: B256,
    /// Priority log: the success flag; message log: keccak of the message.
    pub value: B256,
}

impl L2ToL1Log {
    /// The 88-byte packed encoding the L1 contracts hash.
    pub fn encode(&self) -> [u8; L2_TO_L1_LOG_ENCODED_LEN_BYTES] {
        let mut out = [0u8; L2_TO_L1_LOG_ENCODED_LEN_BYTES];
        out[1] = u8::from(self.is_service);
        out[2..4].copy_from_slice(&self.tx_number.to_be_bytes());
        out[4..24].copy_from_slice(self.sender.as_slice());
        out[24..56].copy_from_slice(self.key.as_slice());
        out[56..88].copy_from_slice(self.value.as_slice());
        out
    }
}

/// Errors from decoding logs or building the logs tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum L2LogsError {
    /// More logs than the tree has leaves.
    TooManyLogs(usize),
    /// The shard byte of an encoded log is not 0.
    NonZeroShard(u8),
    /// The service byte of an encoded log is neither 0 nor 1.
    BadServiceFlag(u8),
}

/// Decodes the 88-byte encoding (`shard u8 = 0 ‖ is_service u8 ‖ tx_number u16 BE ‖ sender ‖
/// key ‖ value`).
pub fn decode_l2_to_l1_log(
    bytes: &[u8; L2_TO_L1_LOG_ENCODED_LEN_BYTES],
) -> Result<L2ToL1Log, L2LogsError> {
    let [shard, service, tx_high, tx_low, rest @ ..] = bytes;
    if *shard != 0 {
        return Err(L2LogsError::NonZeroShard(*shard));
    }
    let is_service = match service {
        0 => false,
        1 => true,
        other => return Err(L2LogsError::BadServiceFlag(*other)),
    };
    let (sender, rest) = rest.split_at(20);
    let (key, value) = rest.split_at(32);
    Ok(L2ToL1Log {
        is_service,
        tx_number: u16::from_be_bytes([*tx_high, *tx_low]),
        sender: Address::from_slice(sender),
        key: B256::from_slice(key),
        value: B256::from_slice(value),
    })
}

/// keccak256 of the 88-byte encoding: the tree leaf.
pub fn l2_to_l1_log_hash(log: &L2ToL1Log) -> B256 {
    keccak256(&log.encode())
}

/// Root of the height-14 keccak Merkle tree over `logs` (in order, unused leaves empty).
/// Only the occupied part is hashed; empty subtrees use precomputed hashes.
pub fn l2_to_l1_logs_tree_root(logs: &[L2ToL1Log]) -> Result<B256, L2LogsError> {
    if logs.len() > L2_TO_L1_LOGS_TREE_LEAVES {
        return Err(L2LogsError::TooManyLogs(logs.len()));
    }
    let mut level: Vec<B256> = logs.iter().map(l2_to_l1_log_hash).collect();
    let mut empty = L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH;
    for _ in 0..L2_TO_L1_LOGS_TREE_HEIGHT {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => keccak256_concat(&[left.as_slice(), right.as_slice()]),
                [left] => keccak256_concat(&[left.as_slice(), empty.as_slice()]),
                _ => empty,
            })
            .collect();
        empty = keccak256_concat(&[empty.as_slice(), empty.as_slice()]);
    }
    Ok(level.first().copied().unwrap_or(empty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::hex;
    use crate::system::{BOOTLOADER_FORMAL_ADDRESS, L1_MESSENGER_ADDRESS};

    fn priority_tx_log(tx_number: u16, tx_hash: B256, success: bool) -> L2ToL1Log {
        L2ToL1Log {
            is_service: true,
            tx_number,
            sender: BOOTLOADER_FORMAL_ADDRESS,
            key: tx_hash,
            value: B256::with_last_byte(u8::from(success)),
        }
    }

    fn user_message_log(tx_number: u16, from: Address, message: &[u8]) -> L2ToL1Log {
        L2ToL1Log {
            is_service: true,
            tx_number,
            sender: L1_MESSENGER_ADDRESS,
            key: from.into_word(),
            value: keccak256(message),
        }
    }

    #[test]
    fn empty_leaf_is_keccak_of_88_zero_bytes() {
        let zero = decode_l2_to_l1_log(&[0; 88]).unwrap();
        assert_eq!(l2_to_l1_log_hash(&zero), L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH);
        assert_eq!(keccak256(&[0u8; 88]), L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH);
    }

    #[test]
    fn encoding_lays_out_the_fields() {
        let log = priority_tx_log(0x0102, B256::repeat_byte(0xaa), true);
        let encoded = log.encode();
        let mut expected = Vec::new();
        expected.extend_from_slice(&hex!("00 01 0102"));
        expected.extend_from_slice(&hex!("0000000000000000000000000000000000008001"));
        expected.extend_from_slice(&[0xaa; 32]);
        expected.extend_from_slice(&[0; 31]);
        expected.push(1);
        assert_eq!(encoded.as_slice(), expected.as_slice());
        assert_eq!(decode_l2_to_l1_log(&encoded), Ok(log.clone()));
        assert_eq!(l2_to_l1_log_hash(&log), keccak256(&expected));

        let message = user_message_log(3, Address::repeat_byte(0x11), b"hi");
        let encoded = message.encode();
        assert_eq!(&encoded[..4], &hex!("00 01 0003"));
        assert_eq!(&encoded[4..24], L1_MESSENGER_ADDRESS.as_slice());
        // key = the sender left-padded to a word: 12 zero bytes, then the address.
        assert_eq!(&encoded[24..36], &[0u8; 12]);
        assert_eq!(&encoded[36..56], &[0x11; 20]);
        assert_eq!(&encoded[56..88], keccak256(b"hi").as_slice());

        let mut bad = encoded;
        bad[0] = 1;
        assert_eq!(decode_l2_to_l1_log(&bad), Err(L2LogsError::NonZeroShard(1)));
        bad[0] = 0;
        bad[1] = 2;
        assert_eq!(
            decode_l2_to_l1_log(&bad),
            Err(L2LogsError::BadServiceFlag(2))
        );
    }

    /// Independent root: pad to 16,384 leaves and hash every level in full.
    fn full_root(logs: &[L2ToL1Log]) -> B256 {
        let mut level: Vec<B256> = logs.iter().map(|l| keccak256(&l.encode())).collect();
        level.resize(L2_TO_L1_LOGS_TREE_LEAVES, keccak256(&[0u8; 88]));
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|p| keccak256(&[p[0].0, p[1].0].concat()))
                .collect();
        }
        level[0]
    }

    #[test]
    fn root_matches_a_fully_padded_tree() {
        let logs: Vec<L2ToL1Log> = (0..5u16)
            .map(|i| priority_tx_log(i, B256::repeat_byte(i as u8 + 1), i % 2 == 0))
            .collect();
        for count in [0, 1, 2, 3, 5] {
            assert_eq!(
                l2_to_l1_logs_tree_root(&logs[..count]),
                Ok(full_root(&logs[..count])),
                "{count} logs"
            );
        }
        // One log: fold keccak(node ‖ empty) up 14 levels, the empty sibling doubling each time.
        let mut empty = L2_TO_L1_LOGS_TREE_EMPTY_LEAF_HASH;
        let mut node = l2_to_l1_log_hash(&logs[0]);
        for _ in 0..14 {
            node = keccak256(&[node.0, empty.0].concat());
            empty = keccak256(&[empty.0, empty.0].concat());
        }
        assert_eq!(l2_to_l1_logs_tree_root(&logs[..1]), Ok(node));
        assert_eq!(l2_to_l1_logs_tree_root(&[]), Ok(empty));
    }

    #[test]
    fn too_many_logs_is_an_error() {
        let log = priority_tx_log(0, B256::ZERO, false);
        let logs = alloc::vec![log; L2_TO_L1_LOGS_TREE_LEAVES + 1];
        assert_eq!(
            l2_to_l1_logs_tree_root(&logs),
            Err(L2LogsError::TooManyLogs(16_385))
        );
        assert!(l2_to_l1_logs_tree_root(&logs[..L2_TO_L1_LOGS_TREE_LEAVES]).is_ok());
    }
}
