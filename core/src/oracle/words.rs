//! The oracle word stream: every oracle answer of one block as a flat sequence of `u32` words,
//! the form a RISC-V guest reads from its input memory region.
//!
//! Layout (version 2; version 1 sent one Merkle path per read and write in record 7):
//!
//! ```text
//! word 0   WORD_STREAM_MAGIC  0x534f4b5a (the bytes "ZKOS" read as a little-endian u32)
//! word 1   WORD_STREAM_VERSION  2
//! word 2   N = number of words that follow
//! then records, each:  tag ‖ payload length in words ‖ payload
//! ```
//!
//! Bytes are packed four per word, little-endian (byte `i` is bits `8·(i%4)..` of word
//! `i/4`). A byte string is `length in bytes ‖ ⌈length/4⌉ words`, with the unused bytes of its
//! last word zero. A 32-byte hash is 8 words packed the same way, without a length.
//!
//! | tag | record | payload |
//! |---|---|---|
//! | 1 | block input | byte string: number u64, timestamp u64, coinbase (20), gas limit u64, base fee (32), native price (32), pubdata price (32), pubdata limit u64, prevrandao (32), blob base fee (32), hash count u32 (≤ 256), hashes (32 each), previous root (32), previous next free slot u64, previous timestamp u64 — integers big-endian |
//! | 2 | transaction | byte string |
//! | 3 | end of transactions | empty |
//! | 4 | storage read | flat key (8) ‖ present flag (1 word, 0 or 1) ‖ value (8; zero when absent) |
//! | 5 | account record | hash (8) ‖ byte string |
//! | 6 | bytecode preimage | hash (8) ‖ byte string |
//! | 7 | batch proof | byte string of [`BatchProof::to_bytes`] (touched leaves and hashes, each once) |
//!
//! Records appear in the order the queries are asked. Replay checks that each record answers
//! the query asked (same tag, same key or hash), that its payload has exactly the declared
//! length, and, through [`Replay::finish`], that no word is left over. Any violation is a typed
//! [`OracleError`]; a wrong *value* is caught later by the proving source.

use alloc::vec::Vec;

use super::error::OracleError;
use super::queries::{BlockInput, Oracle};
use crate::context::BlockContext;
use crate::primitives::{Address, Bytes, B256, U256};
use crate::state::chain_commitment::BLOCK_HASHES_WINDOW_LEN;
use crate::state::proof::BatchProof;
use crate::state::tree::StateCommitment;

/// First word of a stream: the bytes "ZKOS" as a little-endian `u32`.
pub const WORD_STREAM_MAGIC: u32 = 0x534f_4b5a;
/// Format version written and read by this build.
pub const WORD_STREAM_VERSION: u32 = 2;

const TAG_BLOCK_INPUT: u32 = 1;
const TAG_TRANSACTION: u32 = 2;
const TAG_END_OF_TRANSACTIONS: u32 = 3;
const TAG_STORAGE_READ: u32 = 4;
const TAG_ACCOUNT_PREIMAGE: u32 = 5;
const TAG_BYTECODE_PREIMAGE: u32 = 6;
const TAG_BATCH_PROOF: u32 = 7;

const HEADER_LEN_WORDS: usize = 3;

fn push_packed(out: &mut Vec<u32>, bytes: &[u8]) {
    for chunk in bytes.chunks(4) {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        out.push(u32::from_le_bytes(word));
    }
}

fn push_bytes(out: &mut Vec<u32>, bytes: &[u8]) {
    // Answers are one block's data, far below 4 GiB.
    out.push(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
    push_packed(out, bytes);
}

fn encode_block_input(input: &BlockInput) -> Vec<u8> {
    let c = &input.context;
    let mut out = Vec::new();
    out.extend_from_slice(&c.number.to_be_bytes());
    out.extend_from_slice(&c.timestamp.to_be_bytes());
    out.extend_from_slice(c.coinbase.as_slice());
    out.extend_from_slice(&c.gas_limit.to_be_bytes());
    out.extend_from_slice(&c.base_fee.to_be_bytes::<32>());
    out.extend_from_slice(&c.native_price.to_be_bytes::<32>());
    out.extend_from_slice(&c.pubdata_price.to_be_bytes::<32>());
    out.extend_from_slice(&c.pubdata_limit.to_be_bytes());
    out.extend_from_slice(c.prevrandao.as_slice());
    out.extend_from_slice(&c.blob_base_fee.to_be_bytes::<32>());
    // Only the last 256 hashes are visible to BLOCKHASH and to the chain commitment.
    let hashes = c
        .block_hashes
        .get(c.block_hashes.len().saturating_sub(BLOCK_HASHES_WINDOW_LEN)..)
        .unwrap_or_default();
    // At most 256 entries.
    out.extend_from_slice(&(hashes.len() as u32).to_be_bytes());
    for hash in hashes {
        out.extend_from_slice(hash.as_slice());
    }
    out.extend_from_slice(input.previous_state.root.as_slice());
    out.extend_from_slice(&input.previous_state.next_free_slot.to_be_bytes());
    out.extend_from_slice(&input.previous_timestamp.to_be_bytes());
    out
}

/// Reads big-endian fields from a byte slice.
struct ByteReader<'a> {
    bytes: &'a [u8],
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], OracleError> {
        if self.bytes.len() < len {
            return Err(OracleError::Malformed);
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], OracleError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u64(&mut self) -> Result<u64, OracleError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    fn u256(&mut self) -> Result<U256, OracleError> {
        Ok(U256::from_be_bytes(self.array::<32>()?))
    }

    fn b256(&mut self) -> Result<B256, OracleError> {
        Ok(B256::new(self.array()?))
    }
}

fn decode_block_input(bytes: &[u8]) -> Result<BlockInput, OracleError> {
    let mut r = ByteReader { bytes };
    let number = r.u64()?;
    let timestamp = r.u64()?;
    let coinbase = Address::new(r.array()?);
    let gas_limit = r.u64()?;
    let base_fee = r.u256()?;
    let native_price = r.u256()?;
    let pubdata_price = r.u256()?;
    let pubdata_limit = r.u64()?;
    let prevrandao = r.b256()?;
    let blob_base_fee = r.u256()?;
    let count = u32::from_be_bytes(r.array()?) as usize;
    if count > BLOCK_HASHES_WINDOW_LEN {
        return Err(OracleError::Malformed);
    }
    let mut block_hashes = Vec::with_capacity(count);
    for _ in 0..count {
        block_hashes.push(r.b256()?);
    }
    let root = r.b256()?;
    let next_free_slot = r.u64()?;
    let previous_timestamp = r.u64()?;
    if !r.bytes.is_empty() {
        return Err(OracleError::Malformed);
    }
    Ok(BlockInput {
        context: BlockContext {
            number,
            timestamp,
            coinbase,
            gas_limit,
            base_fee,
            native_price,
            pubdata_price,
            pubdata_limit,
            prevrandao,
            blob_base_fee,
            block_hashes,
        },
        previous_state: StateCommitment {
            root,
            next_free_slot,
        },
        previous_timestamp,
    })
}

/// Wraps an oracle and records each of its answers as a record of the word stream.
pub struct Recorder<O> {
    inner: O,
    records: Vec<u32>,
}

impl<O: Oracle> Recorder<O> {
    /// A recorder around `inner`.
    pub fn new(inner: O) -> Self {
        Self {
            inner,
            records: Vec::new(),
        }
    }

    /// The complete stream: header and every record so far.
    pub fn into_words(self) -> Vec<u32> {
        let mut out = Vec::with_capacity(HEADER_LEN_WORDS + self.records.len());
        out.push(WORD_STREAM_MAGIC);
        out.push(WORD_STREAM_VERSION);
        out.push(u32::try_from(self.records.len()).unwrap_or(u32::MAX));
        out.extend_from_slice(&self.records);
        out
    }

    fn record(&mut self, tag: u32, payload: &[u32]) {
        self.records.push(tag);
        self.records
            .push(u32::try_from(payload.len()).unwrap_or(u32::MAX));
        self.records.extend_from_slice(payload);
    }

    fn record_preimage(&mut self, tag: u32, hash: &B256, preimage: &[u8]) {
        let mut payload = Vec::new();
        push_packed(&mut payload, hash.as_slice());
        push_bytes(&mut payload, preimage);
        self.record(tag, &payload);
    }
}

impl<O: Oracle> Oracle for Recorder<O> {
    fn block_input(&mut self) -> Result<BlockInput, OracleError> {
        let input = self.inner.block_input()?;
        let mut payload = Vec::new();
        push_bytes(&mut payload, &encode_block_input(&input));
        self.record(TAG_BLOCK_INPUT, &payload);
        Ok(input)
    }

    fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError> {
        let tx = self.inner.next_transaction()?;
        match &tx {
            Some(bytes) => {
                let mut payload = Vec::new();
                push_bytes(&mut payload, bytes);
                self.record(TAG_TRANSACTION, &payload);
            }
            None => self.record(TAG_END_OF_TRANSACTIONS, &[]),
        }
        Ok(tx)
    }

    fn storage_read(&mut self, flat_key: &B256) -> Result<Option<B256>, OracleError> {
        let value = self.inner.storage_read(flat_key)?;
        let mut payload = Vec::new();
        push_packed(&mut payload, flat_key.as_slice());
        payload.push(u32::from(value.is_some()));
        push_packed(&mut payload, value.unwrap_or_default().as_slice());
        self.record(TAG_STORAGE_READ, &payload);
        Ok(value)
    }

    fn account_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        let preimage = self.inner.account_preimage(hash)?;
        self.record_preimage(TAG_ACCOUNT_PREIMAGE, hash, &preimage);
        Ok(preimage)
    }

    fn bytecode_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        let preimage = self.inner.bytecode_preimage(hash)?;
        self.record_preimage(TAG_BYTECODE_PREIMAGE, hash, &preimage);
        Ok(preimage)
    }

    fn batch_proof(
        &mut self,
        reads: &[B256],
        writes: &[(B256, B256)],
    ) -> Result<BatchProof, OracleError> {
        let proof = self.inner.batch_proof(reads, writes)?;
        let mut payload = Vec::new();
        push_bytes(&mut payload, &proof.to_bytes());
        self.record(TAG_BATCH_PROOF, &payload);
        Ok(proof)
    }

    fn finish(&mut self) -> Result<(), OracleError> {
        self.inner.finish()
    }
}

/// Reads words of one record's payload.
struct Payload<'a> {
    words: &'a [u32],
}

impl<'a> Payload<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u32], OracleError> {
        if self.words.len() < len {
            return Err(OracleError::Malformed);
        }
        let (head, rest) = self.words.split_at(len);
        self.words = rest;
        Ok(head)
    }

    fn word(&mut self) -> Result<u32, OracleError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    fn packed(&mut self, len_bytes: usize) -> Result<Vec<u8>, OracleError> {
        let words = self.take(len_bytes.div_ceil(4))?;
        let mut out = Vec::with_capacity(words.len() * 4);
        for word in words {
            out.extend_from_slice(&word.to_le_bytes());
        }
        if out
            .get(len_bytes..)
            .is_some_and(|pad| pad.iter().any(|&b| b != 0))
        {
            return Err(OracleError::Malformed);
        }
        out.truncate(len_bytes);
        Ok(out)
    }

    fn bytes(&mut self) -> Result<Vec<u8>, OracleError> {
        let len = self.word()? as usize;
        // Checked against the remaining words before anything is allocated.
        if len.div_ceil(4) > self.words.len() {
            return Err(OracleError::Malformed);
        }
        self.packed(len)
    }

    fn hash(&mut self) -> Result<B256, OracleError> {
        Ok(B256::from_slice(&self.packed(32)?))
    }

    fn finish(&self) -> Result<(), OracleError> {
        if self.words.is_empty() {
            Ok(())
        } else {
            Err(OracleError::Malformed)
        }
    }
}

/// An oracle that answers from a recorded word stream.
pub struct Replay<'a> {
    words: &'a [u32],
}

impl<'a> Replay<'a> {
    /// Checks the header of `words` and positions at the first record.
    pub fn new(words: &'a [u32]) -> Result<Self, OracleError> {
        let [magic, version, len, records @ ..] = words else {
            return Err(OracleError::Truncated);
        };
        if *magic != WORD_STREAM_MAGIC {
            return Err(OracleError::BadMagic(*magic));
        }
        if *version != WORD_STREAM_VERSION {
            return Err(OracleError::UnsupportedVersion(*version));
        }
        let len = *len as usize;
        match records.len().cmp(&len) {
            core::cmp::Ordering::Less => Err(OracleError::Truncated),
            core::cmp::Ordering::Greater => Err(OracleError::TrailingWords(records.len() - len)),
            core::cmp::Ordering::Equal => Ok(Self { words: records }),
        }
    }

    /// The payload of the next record, which must carry `expected` (or one of `alternative`).
    fn next_record(&mut self, expected: &[u32]) -> Result<(u32, Payload<'a>), OracleError> {
        let [tag, len, rest @ ..] = self.words else {
            return Err(OracleError::Truncated);
        };
        if !expected.contains(tag) {
            return Err(OracleError::UnexpectedRecord {
                expected: expected.first().copied().unwrap_or_default(),
                found: *tag,
            });
        }
        let len = *len as usize;
        if rest.len() < len {
            return Err(OracleError::Truncated);
        }
        let (payload, remaining) = rest.split_at(len);
        self.words = remaining;
        Ok((*tag, Payload { words: payload }))
    }

    fn preimage(&mut self, tag: u32, hash: &B256) -> Result<Vec<u8>, OracleError> {
        let (_, mut payload) = self.next_record(&[tag])?;
        if payload.hash()? != *hash {
            return Err(OracleError::QueryMismatch);
        }
        let bytes = payload.bytes()?;
        payload.finish()?;
        Ok(bytes)
    }
}

impl Oracle for Replay<'_> {
    fn block_input(&mut self) -> Result<BlockInput, OracleError> {
        let (_, mut payload) = self.next_record(&[TAG_BLOCK_INPUT])?;
        let bytes = payload.bytes()?;
        payload.finish()?;
        decode_block_input(&bytes)
    }

    fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError> {
        let (tag, mut payload) = self.next_record(&[TAG_TRANSACTION, TAG_END_OF_TRANSACTIONS])?;
        if tag == TAG_END_OF_TRANSACTIONS {
            payload.finish()?;
            return Ok(None);
        }
        let bytes = payload.bytes()?;
        payload.finish()?;
        Ok(Some(Bytes::from(bytes)))
    }

    fn storage_read(&mut self, flat_key: &B256) -> Result<Option<B256>, OracleError> {
        let (_, mut payload) = self.next_record(&[TAG_STORAGE_READ])?;
        if payload.hash()? != *flat_key {
            return Err(OracleError::QueryMismatch);
        }
        let present = payload.word()?;
        let value = payload.hash()?;
        payload.finish()?;
        match present {
            1 => Ok(Some(value)),
            0 if value.is_zero() => Ok(None),
            _ => Err(OracleError::Malformed),
        }
    }

    fn account_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        self.preimage(TAG_ACCOUNT_PREIMAGE, hash)
    }

    fn bytecode_preimage(&mut self, hash: &B256) -> Result<Vec<u8>, OracleError> {
        self.preimage(TAG_BYTECODE_PREIMAGE, hash)
    }

    fn batch_proof(&mut self, _: &[B256], _: &[(B256, B256)]) -> Result<BatchProof, OracleError> {
        let (_, mut payload) = self.next_record(&[TAG_BATCH_PROOF])?;
        let bytes = payload.bytes()?;
        payload.finish()?;
        BatchProof::from_bytes(&bytes).map_err(OracleError::BadProof)
    }

    /// Succeeds when every record has been read.
    fn finish(&mut self) -> Result<(), OracleError> {
        if self.words.is_empty() {
            Ok(())
        } else {
            Err(OracleError::TrailingWords(self.words.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// An oracle with fixed answers.
    struct Fixed;

    impl Oracle for Fixed {
        fn block_input(&mut self) -> Result<BlockInput, OracleError> {
            Ok(BlockInput {
                context: BlockContext {
                    number: 5,
                    coinbase: Address::repeat_byte(0xcb),
                    base_fee: U256::from(7u8),
                    block_hashes: vec![B256::repeat_byte(1)],
                    ..BlockContext::default()
                },
                previous_state: StateCommitment {
                    root: B256::repeat_byte(2),
                    next_free_slot: 2,
                },
                previous_timestamp: 9,
            })
        }
        fn next_transaction(&mut self) -> Result<Option<Bytes>, OracleError> {
            Ok(None)
        }
        fn storage_read(&mut self, key: &B256) -> Result<Option<B256>, OracleError> {
            Ok((key.0[0] == 1).then_some(B256::repeat_byte(0x77)))
        }
        fn account_preimage(&mut self, _: &B256) -> Result<Vec<u8>, OracleError> {
            Ok(vec![1, 2, 3, 4, 5])
        }
        fn bytecode_preimage(&mut self, _: &B256) -> Result<Vec<u8>, OracleError> {
            Ok(vec![])
        }
        fn batch_proof(
            &mut self,
            _: &[B256],
            _: &[(B256, B256)],
        ) -> Result<BatchProof, OracleError> {
            Ok(BatchProof::default())
        }
    }

    #[test]
    fn storage_and_preimage_records_have_the_documented_words() {
        let mut recorder = Recorder::new(Fixed);
        let key = B256::repeat_byte(1);
        assert_eq!(
            recorder.storage_read(&key),
            Ok(Some(B256::repeat_byte(0x77)))
        );
        assert_eq!(
            recorder.account_preimage(&B256::ZERO),
            Ok(vec![1, 2, 3, 4, 5])
        );
        let words = recorder.into_words();
        // storage read: tag 4, 17 payload words: key (8 × 0x01010101), flag 1, value (8 ×
        // 0x77777777). preimage: tag 5, 8 + 1 + 2 words: hash (8 zeros), length 5, bytes
        // 01 02 03 04 | 05 00 00 00 packed little-endian.
        let mut expected = vec![WORD_STREAM_MAGIC, 2, 2 + 17 + 2 + 11, 4, 17];
        expected.extend_from_slice(&[0x0101_0101; 8]);
        expected.push(1);
        expected.extend_from_slice(&[0x7777_7777; 8]);
        expected.extend_from_slice(&[5, 11]);
        expected.extend_from_slice(&[0; 8]);
        expected.extend_from_slice(&[5, 0x0403_0201, 0x0000_0005]);
        assert_eq!(words, expected);
        assert_eq!(WORD_STREAM_MAGIC.to_le_bytes(), *b"ZKOS");

        let mut replay = Replay::new(&words).unwrap();
        assert_eq!(replay.storage_read(&key), Ok(Some(B256::repeat_byte(0x77))));
        assert_eq!(
            replay.account_preimage(&B256::ZERO),
            Ok(vec![1, 2, 3, 4, 5])
        );
        assert_eq!(replay.finish(), Ok(()));
    }

    fn recorded() -> Vec<u32> {
        let mut recorder = Recorder::new(Fixed);
        recorder.block_input().unwrap();
        recorder.storage_read(&B256::repeat_byte(1)).unwrap();
        recorder.storage_read(&B256::repeat_byte(2)).unwrap();
        recorder.account_preimage(&B256::ZERO).unwrap();
        recorder.next_transaction().unwrap();
        recorder.batch_proof(&[], &[]).unwrap();
        recorder.into_words()
    }

    fn replay_all(words: &[u32]) -> Result<(), OracleError> {
        let mut replay = Replay::new(words)?;
        assert_eq!(replay.block_input()?, Fixed.block_input()?);
        assert_eq!(
            replay.storage_read(&B256::repeat_byte(1))?,
            Some(B256::repeat_byte(0x77))
        );
        assert_eq!(replay.storage_read(&B256::repeat_byte(2))?, None);
        assert_eq!(replay.account_preimage(&B256::ZERO)?, vec![1, 2, 3, 4, 5]);
        assert_eq!(replay.next_transaction()?, None);
        assert_eq!(replay.batch_proof(&[], &[])?, BatchProof::default());
        replay.finish()
    }

    #[test]
    fn replay_round_trips_and_rejects_malformed_streams() {
        let words = recorded();
        assert_eq!(replay_all(&words), Ok(()));
        // Every truncation is an error (the declared length no longer matches).
        for len in 0..words.len() {
            assert!(replay_all(&words[..len]).is_err(), "truncated to {len}");
        }
        let mut longer = words.clone();
        longer.push(0);
        assert_eq!(replay_all(&longer), Err(OracleError::TrailingWords(1)));
        let mut bad = words.clone();
        bad[0] ^= 1;
        assert_eq!(
            replay_all(&bad),
            Err(OracleError::BadMagic(WORD_STREAM_MAGIC ^ 1))
        );
        let mut bad = words.clone();
        // Version 1 streams (one Merkle path per proof item) are refused too.
        for version in [1, 3] {
            bad[1] = version;
            assert_eq!(
                replay_all(&bad),
                Err(OracleError::UnsupportedVersion(version))
            );
        }
        // Asking for another key than the one recorded.
        let mut replay = Replay::new(&words).unwrap();
        replay.block_input().unwrap();
        assert_eq!(
            replay.storage_read(&B256::repeat_byte(3)),
            Err(OracleError::QueryMismatch)
        );
        // Asking another kind of query.
        let mut replay = Replay::new(&words).unwrap();
        assert_eq!(
            replay.next_transaction(),
            Err(OracleError::UnexpectedRecord {
                expected: TAG_TRANSACTION,
                found: TAG_BLOCK_INPUT
            })
        );
        // Flipping any single word either fails or is caught by a later check; it never
        // panics. (Which flips are harmless depends on the word: e.g. a hash byte of the
        // block input changes the answer but not the format.)
        for position in 0..words.len() {
            let mut flipped = words.clone();
            flipped[position] ^= 0x8000_0001;
            let _ = replay_all_lenient(&flipped);
        }
    }

    /// Replays the same queries without asserting the answers.
    fn replay_all_lenient(words: &[u32]) -> Result<(), OracleError> {
        let mut replay = Replay::new(words)?;
        replay.block_input()?;
        replay.storage_read(&B256::repeat_byte(1))?;
        replay.storage_read(&B256::repeat_byte(2))?;
        replay.account_preimage(&B256::ZERO)?;
        replay.next_transaction()?;
        replay.batch_proof(&[], &[])?;
        replay.finish()
    }

    #[test]
    fn payload_checks_padding_flags_and_lengths() {
        let words = recorded();
        // Find the account preimage record: its last word holds byte 5 and three pad bytes.
        let position = words.iter().position(|&w| w == 0x0403_0201).unwrap();
        let mut bad = words.clone();
        bad[position + 1] = 0x0100_0005;
        assert_eq!(replay_all(&bad), Err(OracleError::Malformed));
        // A present flag of 2 is malformed; so is "absent" with a non-zero value.
        let flag = HEADER_LEN_WORDS + 2 + words[HEADER_LEN_WORDS + 1] as usize + 2 + 8;
        assert_eq!(words[flag], 1);
        let mut bad = words.clone();
        bad[flag] = 2;
        assert_eq!(replay_all(&bad), Err(OracleError::Malformed));
        bad[flag] = 0;
        assert_eq!(replay_all(&bad), Err(OracleError::Malformed));
        // A byte length larger than the record is rejected before allocating.
        let mut bad = words.clone();
        bad[position - 1] = u32::MAX;
        assert_eq!(replay_all(&bad), Err(OracleError::Malformed));
    }
}
