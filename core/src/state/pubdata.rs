//! Pubdata: the bytes a block publishes so that its state and messages can be rebuilt from the
//! settlement layer.
//!
//! **Value compression.** A changed 32-byte value is written as a metadata byte
//! `(len << 3) | op` followed by `len` bytes (big-endian, minimal length):
//!
//! | op | meaning | payload |
//! |---|---|---|
//! | 0 | full | length field 0, then the whole 32-byte final value |
//! | 1 | add | `final − initial` (mod 2^256) in `len` ≤ 31 bytes |
//! | 2 | sub | `initial − final` (mod 2^256) in `len` ≤ 31 bytes |
//! | 3 | transform | the final value itself in `len` ≤ 31 bytes |
//!
//! The shortest option is chosen; among options of equal length the smallest op id wins (add,
//! then sub, then transform). "Full" (33 bytes) is used only when no other option fits in 31
//! bytes, so it never ties.
//!
//! **Account diffs.** The account-properties slot of an address (under
//! [`ACCOUNT_PROPERTIES_STORAGE_ADDRESS`](super::flat_key::ACCOUNT_PROPERTIES_STORAGE_ADDRESS)) stores a hash; its diff is written from the two
//! properties records instead. A flags byte starts it (see the `ACCOUNT_DIFF_*` constants).
//! Its bit 2 ([`ACCOUNT_DIFF_MARKER`]) is always set; no value metadata byte has that bit
//! (ops use bits 0–1, the length bits 3–7), so a decoder tells account diffs from value diffs
//! without knowing which derived keys belong to accounts:
//! - nonce/balance form (versioning and code fields unchanged): flags, then the compressed
//!   nonce if it changed, then the compressed balance if it changed;
//! - full form (versioning or any code field changed): flags, final versioning data u64 BE,
//!   compressed nonce, compressed balance, then either `code length u32 BE ‖ code` (flag
//!   [`ACCOUNT_DIFF_CODE_PUBLISHED_FLAG`]) or the 32-byte `bytecode_hash` (the code is known by
//!   other means), then `artifacts_len u32 BE ‖ observable_bytecode_len u32 BE`.
//!
//! Nonces and balances are compressed as 32-byte big-endian words.
//!
//! **Block pubdata.** `0x01 ‖ block hash ‖ timestamp u64 BE ‖ state-diff count u32 BE`, then per
//! changed slot, sorted by derived key, `derived key (32) ‖ compressed value or account diff`, then
//! `log count u32 BE ‖ 88-byte logs`, then `message count u32 BE ‖ (length u32 BE ‖ message)*`.

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::account::{bytecode_preimage, AccountProperties};
use super::l2_logs::{decode_l2_to_l1_log, L2LogsError, L2ToL1Log, L2_TO_L1_LOG_ENCODED_LEN_BYTES};
use crate::primitives::{blake2s256, sort_by_key, Address, Bytes, B256, U256};

/// Version byte at the start of each block's pubdata.
pub const PUBDATA_VERSION: u8 = 0x01;
/// Length of a derived (flat) key in pubdata.
pub const DERIVED_KEY_LEN_BYTES: usize = 32;
/// Bits the length is shifted by in a compression metadata byte.
pub const COMPRESSION_LENGTH_SHIFT: u8 = 3;
/// Mask of the operation bits in a compression metadata byte.
pub const COMPRESSION_OP_MASK: u8 = 0b111;
/// Longest payload of a compressed (non-full) value in bytes.
pub const MAX_COMPRESSED_PAYLOAD_LEN_BYTES: usize = 31;
/// Length of a value written in full: metadata byte plus 32 bytes.
pub const FULL_VALUE_LEN_BYTES: usize = 33;

/// Bit set in every account diff's flags byte and in no value metadata byte.
pub const ACCOUNT_DIFF_MARKER: u8 = 0x04;
/// Account diff flag: the full form (versioning or code changed).
pub const ACCOUNT_DIFF_FULL_FLAG: u8 = 0x01;
/// Account diff flag (nonce/balance form): a compressed nonce follows.
pub const ACCOUNT_DIFF_NONCE_FLAG: u8 = 0x02;
/// Account diff flag (nonce/balance form): a compressed balance follows.
pub const ACCOUNT_DIFF_BALANCE_FLAG: u8 = 0x08;
/// Account diff flag (full form): the code itself is published instead of its hash.
pub const ACCOUNT_DIFF_CODE_PUBLISHED_FLAG: u8 = 0x10;

/// How a value change is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum CompressionOp {
    /// The whole 32-byte final value.
    Full = 0,
    /// The final value is the initial plus the payload.
    Add = 1,
    /// The final value is the initial minus the payload.
    Sub = 2,
    /// The payload is the final value.
    Transform = 3,
}

/// Errors from decoding pubdata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PubdataError {
    /// The input ended inside an item.
    UnexpectedEnd,
    /// A metadata byte has an unknown op, or a full value has a non-zero length field.
    BadMetadata(u8),
    /// An account diff has unknown or contradictory flags.
    BadAccountFlags(u8),
    /// The first byte is not [`PUBDATA_VERSION`].
    UnknownVersion(u8),
    /// A published code or message is longer than a `u32` length field can say.
    TooLong,
    /// A nonce does not fit 64 bits after decompression.
    NonceOverflow,
    /// The code for a bytecode hash is not known to the decoder.
    UnknownBytecode(B256),
    /// An encoded L2→L1 log is malformed.
    BadLog(L2LogsError),
    /// Bytes were left after the item (count of them).
    TrailingBytes(usize),
}

/// Minimal big-endian byte length of `value` (0 for zero).
fn byte_len(value: &U256) -> usize {
    value.bit_len().div_ceil(8)
}

/// The chosen compression: op and payload value with its byte length.
fn best_compression(initial: &B256, final_: &B256) -> (CompressionOp, U256, usize) {
    let a = U256::from_be_bytes(initial.0);
    let b = U256::from_be_bytes(final_.0);
    let candidates = [
        (CompressionOp::Add, b.wrapping_sub(a)),
        (CompressionOp::Sub, a.wrapping_sub(b)),
        (CompressionOp::Transform, b),
    ];
    let mut best: Option<(CompressionOp, U256, usize)> = None;
    for (op, payload) in candidates {
        let len = byte_len(&payload);
        let better = match best {
            None => true,
            Some((_, _, best_len)) => len < best_len,
        };
        if len <= MAX_COMPRESSED_PAYLOAD_LEN_BYTES && better {
            best = Some((op, payload, len));
        }
    }
    best.unwrap_or((CompressionOp::Full, b, 32))
}

/// Bytes [`compress_value`] writes for the change `initial → final_` (metadata byte included).
pub fn compressed_value_len(initial: &B256, final_: &B256) -> usize {
    match best_compression(initial, final_) {
        (CompressionOp::Full, _, _) => FULL_VALUE_LEN_BYTES,
        (_, _, len) => 1 + len,
    }
}

/// Appends the optimal compression of `initial → final_` to `out`.
pub fn compress_value(initial: &B256, final_: &B256, out: &mut Vec<u8>) {
    let (op, payload, len) = best_compression(initial, final_);
    match op {
        CompressionOp::Full => {
            out.push(CompressionOp::Full as u8);
            out.extend_from_slice(final_.as_slice());
        }
        _ => {
            // len ≤ 31, so it fits the five length bits.
            out.push(((len as u8) << COMPRESSION_LENGTH_SHIFT) | op as u8);
            let word = payload.to_be_bytes::<32>();
            out.extend_from_slice(&word[32 - len..]);
        }
    }
}

/// A cursor over pubdata bytes.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], PubdataError> {
        if self.bytes.len() < len {
            return Err(PubdataError::UnexpectedEnd);
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], PubdataError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, PubdataError> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<u32, PubdataError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, PubdataError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    fn b256(&mut self) -> Result<B256, PubdataError> {
        Ok(B256::new(self.array()?))
    }

    fn finish(&self) -> Result<(), PubdataError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(PubdataError::TrailingBytes(self.bytes.len()))
        }
    }

    fn value(&mut self, initial: &B256) -> Result<B256, PubdataError> {
        let metadata = self.u8()?;
        let op = metadata & COMPRESSION_OP_MASK;
        let len = usize::from(metadata >> COMPRESSION_LENGTH_SHIFT);
        if op == CompressionOp::Full as u8 {
            if len != 0 {
                return Err(PubdataError::BadMetadata(metadata));
            }
            return self.b256();
        }
        let mut word = [0u8; 32];
        word[32 - len..].copy_from_slice(self.take(len)?);
        let payload = U256::from_be_bytes(word);
        let a = U256::from_be_bytes(initial.0);
        let value = match op {
            1 => a.wrapping_add(payload),
            2 => a.wrapping_sub(payload),
            3 => payload,
            _ => return Err(PubdataError::BadMetadata(metadata)),
        };
        Ok(B256::new(value.to_be_bytes()))
    }
}

/// Decodes one compressed value written by [`compress_value`] against `initial`; returns the
/// final value and the number of bytes read.
pub fn decompress_value(initial: &B256, bytes: &[u8]) -> Result<(B256, usize), PubdataError> {
    let mut reader = Reader { bytes };
    let value = reader.value(initial)?;
    Ok((value, bytes.len() - reader.bytes.len()))
}

fn nonce_word(nonce: u64) -> B256 {
    B256::from(U256::from(nonce))
}

fn balance_word(balance: &U256) -> B256 {
    B256::from(*balance)
}

/// Whether the change `initial → final_` needs the full account diff form.
pub fn needs_full_account_diff(initial: &AccountProperties, final_: &AccountProperties) -> bool {
    initial.versioning_data != final_.versioning_data
        || initial.bytecode_hash != final_.bytecode_hash
        || initial.bytecode_len != final_.bytecode_len
        || initial.artifacts_len != final_.artifacts_len
        || initial.observable_bytecode_hash != final_.observable_bytecode_hash
        || initial.observable_bytecode_len != final_.observable_bytecode_len
}

/// Bytes [`encode_account_diff`] writes; `published_code_len` is the length of the code when
/// it is published, `None` when only its hash is.
pub fn account_diff_len(
    initial: &AccountProperties,
    final_: &AccountProperties,
    published_code_len: Option<usize>,
) -> usize {
    let nonce = compressed_value_len(&nonce_word(initial.nonce), &nonce_word(final_.nonce));
    let balance = compressed_value_len(
        &balance_word(&initial.balance),
        &balance_word(&final_.balance),
    );
    if needs_full_account_diff(initial, final_) {
        let code = match published_code_len {
            Some(len) => 4 + len,
            None => 32,
        };
        1 + 8 + nonce + balance + code + 4 + 4
    } else {
        let nonce = if initial.nonce != final_.nonce {
            nonce
        } else {
            0
        };
        let balance = if initial.balance != final_.balance {
            balance
        } else {
            0
        };
        1 + nonce + balance
    }
}

/// Appends the diff of the account `initial → final_` to `out`. `published_code` is the code
/// to publish when the code fields changed (`None` publishes `bytecode_hash` only); it is
/// ignored in the nonce/balance form.
pub fn encode_account_diff(
    initial: &AccountProperties,
    final_: &AccountProperties,
    published_code: Option<&[u8]>,
    out: &mut Vec<u8>,
) -> Result<(), PubdataError> {
    let nonce = (nonce_word(initial.nonce), nonce_word(final_.nonce));
    let balance = (
        balance_word(&initial.balance),
        balance_word(&final_.balance),
    );
    if needs_full_account_diff(initial, final_) {
        let code_flag = if published_code.is_some() {
            ACCOUNT_DIFF_CODE_PUBLISHED_FLAG
        } else {
            0
        };
        out.push(ACCOUNT_DIFF_MARKER | ACCOUNT_DIFF_FULL_FLAG | code_flag);
        out.extend_from_slice(&final_.versioning_data.0.to_be_bytes());
        compress_value(&nonce.0, &nonce.1, out);
        compress_value(&balance.0, &balance.1, out);
        match published_code {
            Some(code) => {
                let len = u32::try_from(code.len()).map_err(|_| PubdataError::TooLong)?;
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(code);
            }
            None => out.extend_from_slice(final_.bytecode_hash.as_slice()),
        }
        out.extend_from_slice(&final_.artifacts_len.to_be_bytes());
        out.extend_from_slice(&final_.observable_bytecode_len.to_be_bytes());
    } else {
        let mut flags = ACCOUNT_DIFF_MARKER;
        if nonce.0 != nonce.1 {
            flags |= ACCOUNT_DIFF_NONCE_FLAG;
        }
        if balance.0 != balance.1 {
            flags |= ACCOUNT_DIFF_BALANCE_FLAG;
        }
        out.push(flags);
        if nonce.0 != nonce.1 {
            compress_value(&nonce.0, &nonce.1, out);
        }
        if balance.0 != balance.1 {
            compress_value(&balance.0, &balance.1, out);
        }
    }
    Ok(())
}

impl Reader<'_> {
    fn nonce(&mut self, initial: u64) -> Result<u64, PubdataError> {
        let word = self.value(&nonce_word(initial))?;
        u64::try_from(U256::from_be_bytes(word.0)).map_err(|_| PubdataError::NonceOverflow)
    }

    fn balance(&mut self, initial: &U256) -> Result<U256, PubdataError> {
        Ok(U256::from_be_bytes(self.value(&balance_word(initial))?.0))
    }

    fn account_diff(
        &mut self,
        initial: &AccountProperties,
        preimage_of: &dyn Fn(&B256) -> Option<Vec<u8>>,
    ) -> Result<AccountProperties, PubdataError> {
        let flags = self.u8()?;
        let mut account = *initial;
        if flags & ACCOUNT_DIFF_MARKER == 0 {
            return Err(PubdataError::BadAccountFlags(flags));
        }
        if flags & ACCOUNT_DIFF_FULL_FLAG == 0 {
            let allowed = ACCOUNT_DIFF_MARKER | ACCOUNT_DIFF_NONCE_FLAG | ACCOUNT_DIFF_BALANCE_FLAG;
            if flags & !allowed != 0 {
                return Err(PubdataError::BadAccountFlags(flags));
            }
            if flags & ACCOUNT_DIFF_NONCE_FLAG != 0 {
                account.nonce = self.nonce(initial.nonce)?;
            }
            if flags & ACCOUNT_DIFF_BALANCE_FLAG != 0 {
                account.balance = self.balance(&initial.balance)?;
            }
            return Ok(account);
        }
        let allowed =
            ACCOUNT_DIFF_MARKER | ACCOUNT_DIFF_FULL_FLAG | ACCOUNT_DIFF_CODE_PUBLISHED_FLAG;
        if flags & !allowed != 0 {
            return Err(PubdataError::BadAccountFlags(flags));
        }
        account.versioning_data.0 = self.u64()?;
        account.nonce = self.nonce(initial.nonce)?;
        account.balance = self.balance(&initial.balance)?;
        let (code_field, hash) = if flags & ACCOUNT_DIFF_CODE_PUBLISHED_FLAG != 0 {
            let len = usize::try_from(self.u32()?).map_err(|_| PubdataError::TooLong)?;
            (Some(self.take(len)?), None)
        } else {
            (None, Some(self.b256()?))
        };
        let artifacts_len = self.u32()?;
        let observable_len = self.u32()?;
        let (code, preimage) = match (code_field, hash) {
            (Some(code), _) => {
                let artifacts = if artifacts_len == 0 {
                    Vec::new()
                } else {
                    super::account::jumpdest_bitmap(code)
                };
                (code.to_vec(), bytecode_preimage(code, &artifacts))
            }
            (None, Some(hash)) => {
                let preimage = preimage_of(&hash).ok_or(PubdataError::UnknownBytecode(hash))?;
                let code_len =
                    usize::try_from(observable_len).map_err(|_| PubdataError::TooLong)?;
                let code = preimage
                    .get(..code_len)
                    .ok_or(PubdataError::UnknownBytecode(hash))?
                    .to_vec();
                (code, preimage)
            }
            (None, None) => return Err(PubdataError::BadAccountFlags(flags)),
        };
        account.bytecode_hash = blake2s256(&preimage);
        account.bytecode_len = u32::try_from(code.len()).map_err(|_| PubdataError::TooLong)?;
        account.artifacts_len = artifacts_len;
        account.observable_bytecode_hash = crate::primitives::keccak256(&code);
        account.observable_bytecode_len = observable_len;
        Ok(account)
    }
}

/// Decodes one account diff against `initial`; `preimage_of` supplies the bytecode preimage
/// for a diff that published only the hash. Returns the final record and the bytes read.
pub fn decode_account_diff(
    initial: &AccountProperties,
    bytes: &[u8],
    preimage_of: &dyn Fn(&B256) -> Option<Vec<u8>>,
) -> Result<(AccountProperties, usize), PubdataError> {
    let mut reader = Reader { bytes };
    let account = reader.account_diff(initial, preimage_of)?;
    Ok((account, bytes.len() - reader.bytes.len()))
}

/// The change of one tree slot in a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotChange {
    /// An ordinary storage slot: initial and final value.
    Value {
        /// Value at the start of the block (zero when absent).
        initial: B256,
        /// Value at the end of the block.
        final_: B256,
    },
    /// An account-properties slot: the records before and after.
    Account(Box<AccountChange>),
}

/// The change of an account-properties slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountChange {
    /// Record at the start of the block (all zero when absent).
    pub initial: AccountProperties,
    /// Record at the end of the block.
    pub final_: AccountProperties,
    /// The code to publish when the code fields changed; `None` publishes the hash only.
    pub published_code: Option<Bytes>,
}

/// One changed tree slot: its derived key and its change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateDiff {
    /// The flat key of the slot.
    pub derived_key: B256,
    /// The slot's owner as the IO addresses it: the contract, or for an account record the
    /// account-properties address.
    pub owner: Address,
    /// The slot's key as the IO addresses it: the storage key, or for an account record the
    /// account's address as a word.
    pub key: B256,
    /// What changed.
    pub change: SlotChange,
}

/// Everything a block publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockPubdataInput {
    /// Hash of the block header.
    pub block_hash: B256,
    /// Block timestamp.
    pub timestamp: u64,
    /// Changed slots (any order; they are written sorted by derived key).
    pub state_diffs: Vec<StateDiff>,
    /// L2→L1 logs in emission order.
    pub l2_to_l1_logs: Vec<L2ToL1Log>,
    /// L2→L1 messages in emission order.
    pub messages: Vec<Bytes>,
}

fn push_len(out: &mut Vec<u8>, len: usize) -> Result<(), PubdataError> {
    let len = u32::try_from(len).map_err(|_| PubdataError::TooLong)?;
    out.extend_from_slice(&len.to_be_bytes());
    Ok(())
}

/// The block's pubdata bytes (see the module documentation for the layout).
pub fn encode_block_pubdata(input: &BlockPubdataInput) -> Result<Vec<u8>, PubdataError> {
    let mut out = Vec::new();
    out.push(PUBDATA_VERSION);
    out.extend_from_slice(input.block_hash.as_slice());
    out.extend_from_slice(&input.timestamp.to_be_bytes());
    push_len(&mut out, input.state_diffs.len())?;
    let mut diffs: Vec<&StateDiff> = input.state_diffs.iter().collect();
    sort_by_key(&mut diffs, |diff| diff.derived_key);
    for diff in diffs {
        out.extend_from_slice(diff.derived_key.as_slice());
        match &diff.change {
            SlotChange::Value { initial, final_ } => compress_value(initial, final_, &mut out),
            SlotChange::Account(account) => encode_account_diff(
                &account.initial,
                &account.final_,
                account.published_code.as_ref().map(|code| code.as_ref()),
                &mut out,
            )?,
        }
    }
    push_len(&mut out, input.l2_to_l1_logs.len())?;
    for log in &input.l2_to_l1_logs {
        out.extend_from_slice(&log.encode());
    }
    push_len(&mut out, input.messages.len())?;
    for message in &input.messages {
        push_len(&mut out, message.len())?;
        out.extend_from_slice(message);
    }
    Ok(out)
}

/// What a decoder knows about the state before the block.
pub trait PubdataContext {
    /// The value of an ordinary slot at the start of the block (zero when absent).
    fn initial_value(&self, derived_key: &B256) -> B256;
    /// The account record at the start of the block (all zero when absent).
    fn initial_account(&self, derived_key: &B256) -> AccountProperties;
    /// The bytecode preimage for `bytecode_hash`, when known.
    fn preimage(&self, bytecode_hash: &B256) -> Option<Vec<u8>>;
}

/// A decoded slot: derived key and final value or final account record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodedSlot {
    /// An ordinary slot and its final value.
    Value(B256, B256),
    /// An account-properties slot and its final record.
    Account(B256, AccountProperties),
}

/// A decoded block pubdata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedPubdata {
    /// Hash of the block header.
    pub block_hash: B256,
    /// Block timestamp.
    pub timestamp: u64,
    /// Final values, in the published order.
    pub slots: Vec<DecodedSlot>,
    /// L2→L1 logs.
    pub l2_to_l1_logs: Vec<L2ToL1Log>,
    /// L2→L1 messages.
    pub messages: Vec<Bytes>,
}

/// Decodes [`encode_block_pubdata`] output with initial values from `context`. Account diffs
/// are recognised by [`ACCOUNT_DIFF_MARKER`].
pub fn decode_block_pubdata(
    bytes: &[u8],
    context: &dyn PubdataContext,
) -> Result<DecodedPubdata, PubdataError> {
    let mut reader = Reader { bytes };
    let version = reader.u8()?;
    if version != PUBDATA_VERSION {
        return Err(PubdataError::UnknownVersion(version));
    }
    let block_hash = reader.b256()?;
    let timestamp = reader.u64()?;
    let count = reader.u32()?;
    let mut slots = Vec::new();
    for _ in 0..count {
        let key = reader.b256()?;
        let first = reader
            .bytes
            .first()
            .copied()
            .ok_or(PubdataError::UnexpectedEnd)?;
        if first & ACCOUNT_DIFF_MARKER != 0 {
            let initial = context.initial_account(&key);
            let account = reader.account_diff(&initial, &|hash| context.preimage(hash))?;
            slots.push(DecodedSlot::Account(key, account));
        } else {
            let value = reader.value(&context.initial_value(&key))?;
            slots.push(DecodedSlot::Value(key, value));
        }
    }
    let log_count = reader.u32()?;
    let mut l2_to_l1_logs = Vec::new();
    for _ in 0..log_count {
        let encoded = reader.array::<L2_TO_L1_LOG_ENCODED_LEN_BYTES>()?;
        l2_to_l1_logs.push(decode_l2_to_l1_log(&encoded).map_err(PubdataError::BadLog)?);
    }
    let message_count = reader.u32()?;
    let mut messages = Vec::new();
    for _ in 0..message_count {
        let len = usize::try_from(reader.u32()?).map_err(|_| PubdataError::TooLong)?;
        messages.push(Bytes::copy_from_slice(reader.take(len)?));
    }
    reader.finish()?;
    Ok(DecodedPubdata {
        block_hash,
        timestamp,
        slots,
        l2_to_l1_logs,
        messages,
    })
}

pub mod v2;

#[cfg(test)]
mod tests;
