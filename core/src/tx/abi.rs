//! The ABI layout of L1 priority (0xFF) and upgrade (0xFE) transactions.
//!
//! The envelope is `type ‖ body`. The body is the ABI encoding of the transaction struct
//! without its leading 0x20 tuple offset, "tightly packed": a head of 19 32-byte words
//!
//! | word | field | held in |
//! |---|---|---|
//! | 0 | type (equals the envelope byte) | `tx_type` |
//! | 1 | from | `l1.from` |
//! | 2 | to | `to` |
//! | 3 | gas limit (u64) | `gas_limit` |
//! | 4 | gas per pubdata limit (u32) | `l1.gas_per_pubdata_limit` |
//! | 5 | max fee per gas (u128) | `max_fee_per_gas` |
//! | 6 | max priority fee per gas (u128) | `max_priority_fee_per_gas` |
//! | 7 | paymaster (must be 0) | – |
//! | 8 | nonce (u64) | `nonce` |
//! | 9 | value | `value` |
//! | 10 | reserved\[0\]: total deposit | `l1.mint` |
//! | 11 | reserved\[1\]: refund recipient | `l1.refund_recipient` |
//! | 12, 13 | reserved\[2\], reserved\[3\] (must be 0) | – |
//! | 14..19 | offsets of data, signature, factory deps, paymaster input, reserved dynamic | |
//!
//! then the five dynamic fields in that order, each starting exactly where the previous one
//! ends (offsets are relative to the body start): `bytes` as a length word plus the bytes
//! zero-padded to a word multiple, factory deps as a count word plus one word per hash.
//! Signature, paymaster input and reserved dynamic must be empty.
//!
//! Hash: keccak256(abi.encode(transaction)) = keccak256(word(0x20) ‖ body), the canonical
//! priority-operation hash L1 computes. It serves as both the transaction hash and the
//! "signing" hash (these transactions carry no signature).

use super::{L1Fields, Transaction, TxDecodeError, TxEncodeError, TxField};
use crate::primitives::{keccak256_concat, Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// Bytes in one ABI word.
const WORD_BYTES: usize = 32;
/// Words in the head: 14 static fields (reserved counts 4) plus 5 offsets.
pub const HEAD_WORDS: usize = 19;
/// Byte offset of the first dynamic field (data) inside the body.
pub const DATA_OFFSET_BYTES: usize = HEAD_WORDS * WORD_BYTES;

/// Reads 32-byte words from a body, checking every position against its length.
struct Body<'a> {
    bytes: &'a [u8],
}

impl<'a> Body<'a> {
    fn word(&self, at: usize) -> Result<&'a [u8], TxDecodeError> {
        let end = at
            .checked_add(WORD_BYTES)
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        self.bytes.get(at..end).ok_or(TxDecodeError::UnexpectedEnd)
    }

    fn head(&self, index: usize) -> Result<U256, TxDecodeError> {
        Ok(U256::from_be_slice(self.word(index * WORD_BYTES)?))
    }

    fn head_narrow<T: TryFrom<U256>>(&self, index: usize) -> Result<T, TxDecodeError> {
        T::try_from(self.head(index)?).map_err(|_| TxDecodeError::IntegerTooWide)
    }

    fn head_address(&self, index: usize) -> Result<Address, TxDecodeError> {
        let word = self.word(index * WORD_BYTES)?;
        let (high, low) = word.split_at(WORD_BYTES - 20);
        if high.iter().any(|&b| b != 0) {
            return Err(TxDecodeError::IntegerTooWide);
        }
        Ok(Address::from_slice(low))
    }

    /// A length or count word at `at`, as a `usize`; values beyond the input are truncation.
    fn length(&self, at: usize) -> Result<usize, TxDecodeError> {
        usize::try_from(U256::from_be_slice(self.word(at)?))
            .map_err(|_| TxDecodeError::UnexpectedEnd)
    }

    /// Checks that head offset word `index` points at `cursor`.
    fn expect_offset(&self, index: usize, cursor: usize) -> Result<(), TxDecodeError> {
        if self.head(index)? == U256::from(cursor) {
            Ok(())
        } else {
            Err(TxDecodeError::AbiBadOffset)
        }
    }

    /// `bytes` at `cursor`: returns the content and the position after its padding.
    fn dynamic_bytes(&self, cursor: usize) -> Result<(&'a [u8], usize), TxDecodeError> {
        let len = self.length(cursor)?;
        let start = cursor + WORD_BYTES;
        let padded = len
            .div_ceil(WORD_BYTES)
            .checked_mul(WORD_BYTES)
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        let end = start
            .checked_add(padded)
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        let area = self
            .bytes
            .get(start..end)
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        let (content, padding) = area.split_at(len);
        if padding.iter().any(|&b| b != 0) {
            return Err(TxDecodeError::AbiBadPadding);
        }
        Ok((content, end))
    }

    /// `bytes32[]` at `cursor`: returns the hashes and the position after them.
    fn dynamic_words(&self, cursor: usize) -> Result<(Vec<B256>, usize), TxDecodeError> {
        let count = self.length(cursor)?;
        let start = cursor + WORD_BYTES;
        let end = count
            .checked_mul(WORD_BYTES)
            .and_then(|len| start.checked_add(len))
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        let area = self
            .bytes
            .get(start..end)
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        Ok((
            area.chunks_exact(WORD_BYTES)
                .map(B256::from_slice)
                .collect(),
            end,
        ))
    }
}

/// Decodes the body of an L1 priority or upgrade envelope whose type byte is `tx_type`.
pub(crate) fn decode_body(tx_type: u8, body: &[u8]) -> Result<Transaction, TxDecodeError> {
    let body = Body { bytes: body };
    if body.bytes.len() < DATA_OFFSET_BYTES {
        return Err(TxDecodeError::UnexpectedEnd);
    }
    if body.head(0)? != U256::from(tx_type) {
        return Err(TxDecodeError::AbiTypeMismatch);
    }
    let mut tx = Transaction::empty(tx_type);
    let from = body.head_address(1)?;
    tx.to = Some(body.head_address(2)?);
    tx.gas_limit = body.head_narrow(3)?;
    let gas_per_pubdata_limit = body.head_narrow(4)?;
    tx.max_fee_per_gas = body.head_narrow(5)?;
    tx.max_priority_fee_per_gas = body.head_narrow(6)?;
    if !body.head(7)?.is_zero() {
        return Err(TxDecodeError::AbiUnsupportedField);
    }
    tx.nonce = body.head_narrow(8)?;
    tx.value = body.head(9)?;
    let mint = body.head(10)?;
    let refund_recipient = body.head_address(11)?;
    if !body.head(12)?.is_zero() || !body.head(13)?.is_zero() {
        return Err(TxDecodeError::AbiUnsupportedField);
    }

    let mut cursor = DATA_OFFSET_BYTES;
    body.expect_offset(14, cursor)?;
    let (data, next) = body.dynamic_bytes(cursor)?;
    tx.data = Bytes::copy_from_slice(data);
    cursor = next;
    body.expect_offset(15, cursor)?;
    let (signature, next) = body.dynamic_bytes(cursor)?;
    cursor = next;
    body.expect_offset(16, cursor)?;
    let (factory_deps, next) = body.dynamic_words(cursor)?;
    cursor = next;
    body.expect_offset(17, cursor)?;
    let (paymaster_input, next) = body.dynamic_bytes(cursor)?;
    cursor = next;
    body.expect_offset(18, cursor)?;
    let (reserved_dynamic, next) = body.dynamic_bytes(cursor)?;
    if next != body.bytes.len() {
        return Err(TxDecodeError::TrailingBytes);
    }
    if !signature.is_empty() || !paymaster_input.is_empty() || !reserved_dynamic.is_empty() {
        return Err(TxDecodeError::AbiUnsupportedField);
    }
    tx.l1 = Some(L1Fields {
        from,
        mint,
        refund_recipient,
        gas_per_pubdata_limit,
        factory_deps,
    });
    Ok(tx)
}

fn push_word(out: &mut Vec<u8>, value: U256) {
    out.extend_from_slice(&value.to_be_bytes::<32>());
}

fn push_address(out: &mut Vec<u8>, address: Address) {
    out.extend_from_slice(&[0u8; WORD_BYTES - 20]);
    out.extend_from_slice(address.as_slice());
}

/// The body of an L1 transaction (shape already checked by the caller).
fn body(tx: &Transaction) -> Result<Vec<u8>, TxEncodeError> {
    let l1 = tx
        .l1
        .as_ref()
        .ok_or(TxEncodeError::MissingField(TxField::L1))?;
    let to = tx.to.ok_or(TxEncodeError::MissingField(TxField::To))?;
    let padded_data_len = tx.data.len().div_ceil(WORD_BYTES) * WORD_BYTES;
    let signature_offset = DATA_OFFSET_BYTES + WORD_BYTES + padded_data_len;
    let factory_deps_offset = signature_offset + WORD_BYTES;
    let paymaster_input_offset =
        factory_deps_offset + WORD_BYTES + l1.factory_deps.len() * WORD_BYTES;
    let reserved_dynamic_offset = paymaster_input_offset + WORD_BYTES;

    let mut out = Vec::with_capacity(reserved_dynamic_offset + WORD_BYTES);
    push_word(&mut out, U256::from(tx.tx_type));
    push_address(&mut out, l1.from);
    push_address(&mut out, to);
    push_word(&mut out, U256::from(tx.gas_limit));
    push_word(&mut out, U256::from(l1.gas_per_pubdata_limit));
    push_word(&mut out, U256::from(tx.max_fee_per_gas));
    push_word(&mut out, U256::from(tx.max_priority_fee_per_gas));
    push_word(&mut out, U256::ZERO);
    push_word(&mut out, U256::from(tx.nonce));
    push_word(&mut out, tx.value);
    push_word(&mut out, l1.mint);
    push_address(&mut out, l1.refund_recipient);
    push_word(&mut out, U256::ZERO);
    push_word(&mut out, U256::ZERO);
    for offset in [
        DATA_OFFSET_BYTES,
        signature_offset,
        factory_deps_offset,
        paymaster_input_offset,
        reserved_dynamic_offset,
    ] {
        push_word(&mut out, U256::from(offset));
    }
    push_word(&mut out, U256::from(tx.data.len()));
    out.extend_from_slice(&tx.data);
    out.resize(signature_offset, 0);
    push_word(&mut out, U256::ZERO);
    push_word(&mut out, U256::from(l1.factory_deps.len()));
    for hash in &l1.factory_deps {
        out.extend_from_slice(hash.as_slice());
    }
    push_word(&mut out, U256::ZERO);
    push_word(&mut out, U256::ZERO);
    Ok(out)
}

/// `type ‖ body` for an L1 transaction whose shape was checked.
pub(crate) fn encode_envelope(tx: &Transaction) -> Result<Vec<u8>, TxEncodeError> {
    let body = body(tx)?;
    let mut out = Vec::with_capacity(1 + body.len());
    out.push(tx.tx_type);
    out.extend_from_slice(&body);
    Ok(out)
}

/// keccak256(word(0x20) ‖ body) = keccak256(abi.encode(transaction)).
pub(crate) fn l1_tx_hash(tx: &Transaction) -> Result<B256, TxEncodeError> {
    Ok(body_hash(&body(tx)?))
}

/// keccak256(word(0x20) ‖ body) of an encoded body (the envelope without its type byte).
pub(crate) fn body_hash(body: &[u8]) -> B256 {
    let tuple_offset = U256::from(WORD_BYTES).to_be_bytes::<32>();
    keccak256_concat(&[&tuple_offset, body])
}
