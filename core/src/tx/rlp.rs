//! Strict RLP reading and writing for transaction envelopes.
//!
//! The reader accepts only canonical encodings: minimal length prefixes, no single byte below
//! 0x80 wrapped in a string header, integers without leading zero bytes. Every length is checked
//! against the bytes actually present before anything is sliced or allocated.

use super::TxDecodeError;
use crate::primitives::{Address, Bytes, B256, U256};
use alloc::vec::Vec;

/// One decoded RLP item: a byte string or the payload of a list.
pub(crate) enum Item<'a> {
    /// A byte string.
    String(&'a [u8]),
    /// The payload of a list (its items, encoded).
    List(&'a [u8]),
}

/// Length of a long-form header: `len_of_len` big-endian bytes taken from `buf`.
/// Returns the length and the remaining bytes.
fn long_length(buf: &[u8], len_of_len: usize) -> Result<(usize, &[u8]), TxDecodeError> {
    let (len_bytes, rest) = buf
        .split_at_checked(len_of_len)
        .ok_or(TxDecodeError::UnexpectedEnd)?;
    if len_bytes.first() == Some(&0) {
        return Err(TxDecodeError::NonCanonicalLength);
    }
    let mut len: u64 = 0;
    for &byte in len_bytes {
        len = (len << 8) | u64::from(byte);
    }
    if len < 56 {
        return Err(TxDecodeError::NonCanonicalLength);
    }
    // A length that does not fit `usize` cannot fit in the buffer either.
    let len = usize::try_from(len).map_err(|_| TxDecodeError::UnexpectedEnd)?;
    Ok((len, rest))
}

/// Reads one item from the front of `buf`; returns it and the bytes after it.
fn read_item(buf: &[u8]) -> Result<(Item<'_>, &[u8]), TxDecodeError> {
    let (first_ref, rest) = buf.split_first().ok_or(TxDecodeError::UnexpectedEnd)?;
    let first = *first_ref;
    let (is_list, len, rest) = match first {
        0x00..=0x7f => return Ok((Item::String(core::slice::from_ref(first_ref)), rest)),
        0x80..=0xb7 => (false, usize::from(first - 0x80), rest),
        0xb8..=0xbf => {
            let (len, rest) = long_length(rest, usize::from(first - 0xb7))?;
            (false, len, rest)
        }
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), rest),
        0xf8..=0xff => {
            let (len, rest) = long_length(rest, usize::from(first - 0xf7))?;
            (true, len, rest)
        }
    };
    let (payload, after) = rest
        .split_at_checked(len)
        .ok_or(TxDecodeError::UnexpectedEnd)?;
    if is_list {
        return Ok((Item::List(payload), after));
    }
    if let [single] = payload {
        if *single < 0x80 {
            return Err(TxDecodeError::NonCanonicalSingleByte);
        }
    }
    Ok((Item::String(payload), after))
}

/// Decodes `buf` as exactly one RLP list and returns a reader over its items.
pub(crate) fn decode_list(buf: &[u8]) -> Result<ListReader<'_>, TxDecodeError> {
    let (item, rest) = read_item(buf)?;
    if !rest.is_empty() {
        return Err(TxDecodeError::TrailingBytes);
    }
    match item {
        Item::List(payload) => Ok(ListReader { rest: payload }),
        Item::String(_) => Err(TxDecodeError::ExpectedList),
    }
}

/// Decodes `buf` as exactly one RLP item, a string or a list.
pub(crate) fn decode_item(buf: &[u8]) -> Result<Item<'_>, TxDecodeError> {
    let (item, rest) = read_item(buf)?;
    if !rest.is_empty() {
        return Err(TxDecodeError::TrailingBytes);
    }
    Ok(item)
}

/// The payload of `buf`, exactly one RLP list, without its last `count` items: the encodings
/// of the items before them, as they are in `buf`.
pub(crate) fn list_payload_without_last(buf: &[u8], count: usize) -> Result<&[u8], TxDecodeError> {
    let Item::List(payload) = decode_item(buf)? else {
        return Err(TxDecodeError::ExpectedList);
    };
    let mut items: usize = 0;
    let mut rest = payload;
    while !rest.is_empty() {
        rest = read_item(rest)?.1;
        items += 1;
    }
    let kept = items
        .checked_sub(count)
        .ok_or(TxDecodeError::WrongFieldCount)?;
    let mut rest = payload;
    for _ in 0..kept {
        rest = read_item(rest)?.1;
    }
    payload
        .get(..payload.len() - rest.len())
        .ok_or(TxDecodeError::UnexpectedEnd)
}

/// Reads the items of one list in order.
pub(crate) struct ListReader<'a> {
    rest: &'a [u8],
}

impl<'a> ListReader<'a> {
    fn next_item(&mut self) -> Result<Item<'a>, TxDecodeError> {
        if self.rest.is_empty() {
            return Err(TxDecodeError::WrongFieldCount);
        }
        let (item, rest) = read_item(self.rest)?;
        self.rest = rest;
        Ok(item)
    }

    /// The next item, whatever it is, with its whole encoding (header included).
    pub(crate) fn item(&mut self) -> Result<(Item<'a>, &'a [u8]), TxDecodeError> {
        let before = self.rest;
        let item = self.next_item()?;
        let encoded = before
            .get(..before.len() - self.rest.len())
            .ok_or(TxDecodeError::UnexpectedEnd)?;
        Ok((item, encoded))
    }

    /// Whether every item has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Fails unless every item has been read.
    pub(crate) fn finish(self) -> Result<(), TxDecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(TxDecodeError::WrongFieldCount)
        }
    }

    /// The next item, which must be a byte string.
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], TxDecodeError> {
        match self.next_item()? {
            Item::String(payload) => Ok(payload),
            Item::List(_) => Err(TxDecodeError::ExpectedString),
        }
    }

    /// The next item, which must be a list.
    pub(crate) fn list(&mut self) -> Result<ListReader<'a>, TxDecodeError> {
        match self.next_item()? {
            Item::List(payload) => Ok(ListReader { rest: payload }),
            Item::String(_) => Err(TxDecodeError::ExpectedList),
        }
    }

    /// The next item as a canonical big-endian integer of at most `width` bytes.
    fn uint_bytes(&mut self, width: usize) -> Result<&'a [u8], TxDecodeError> {
        let payload = self.bytes()?;
        if payload.first() == Some(&0) {
            return Err(TxDecodeError::LeadingZero);
        }
        if payload.len() > width {
            return Err(TxDecodeError::IntegerTooWide);
        }
        Ok(payload)
    }

    /// The next item as a `u8`.
    pub(crate) fn u8(&mut self) -> Result<u8, TxDecodeError> {
        Ok(self.uint_bytes(1)?.first().copied().unwrap_or(0))
    }

    /// The next item as a `u64`.
    pub(crate) fn u64(&mut self) -> Result<u64, TxDecodeError> {
        let payload = self.uint_bytes(8)?;
        Ok(payload
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// The next item as a `u128`.
    pub(crate) fn u128(&mut self) -> Result<u128, TxDecodeError> {
        let payload = self.uint_bytes(16)?;
        Ok(payload
            .iter()
            .fold(0u128, |acc, &b| (acc << 8) | u128::from(b)))
    }

    /// The next item as a `U256`.
    pub(crate) fn u256(&mut self) -> Result<U256, TxDecodeError> {
        let payload = self.uint_bytes(32)?;
        U256::try_from_be_slice(payload).ok_or(TxDecodeError::IntegerTooWide)
    }

    /// The next item as a 20-byte address.
    pub(crate) fn address(&mut self) -> Result<Address, TxDecodeError> {
        let payload = self.bytes()?;
        Address::try_from(payload).map_err(|_| TxDecodeError::InvalidAddressLength)
    }

    /// The next item as a destination: a 20-byte address, or the empty string for creation.
    pub(crate) fn destination(&mut self) -> Result<Option<Address>, TxDecodeError> {
        let payload = self.bytes()?;
        if payload.is_empty() {
            return Ok(None);
        }
        Address::try_from(payload)
            .map(Some)
            .map_err(|_| TxDecodeError::InvalidAddressLength)
    }

    /// The next item as a 32-byte hash.
    pub(crate) fn b256(&mut self) -> Result<B256, TxDecodeError> {
        let payload = self.bytes()?;
        B256::try_from(payload).map_err(|_| TxDecodeError::InvalidHashLength)
    }

    /// The next item as an owned byte string.
    pub(crate) fn owned_bytes(&mut self) -> Result<Bytes, TxDecodeError> {
        Ok(Bytes::copy_from_slice(self.bytes()?))
    }

    /// The next item as a list of 32-byte hashes.
    pub(crate) fn b256_list(&mut self) -> Result<Vec<B256>, TxDecodeError> {
        let mut list = self.list()?;
        let mut out = Vec::new();
        while !list.is_empty() {
            out.push(list.b256()?);
        }
        Ok(out)
    }
}

/// Appends the header of a string or list whose payload is `len` bytes long.
fn write_header(out: &mut Vec<u8>, short_base: u8, len: usize) {
    if len < 56 {
        // `len < 56`, so the sum stays within the header byte range.
        out.push(short_base + len as u8);
    } else {
        let be = (len as u64).to_be_bytes();
        let skip = be.iter().take_while(|&&b| b == 0).count();
        let len_bytes = be.get(skip..).unwrap_or_default();
        out.push(short_base + 55 + len_bytes.len() as u8);
        out.extend_from_slice(len_bytes);
    }
}

/// Appends `data` as an RLP byte string.
pub(crate) fn write_bytes(out: &mut Vec<u8>, data: &[u8]) {
    match data {
        [single] if *single < 0x80 => out.push(*single),
        _ => {
            write_header(out, 0x80, data.len());
            out.extend_from_slice(data);
        }
    }
}

/// Appends a big-endian unsigned integer (given with any number of leading zeros) minimally.
fn write_uint_be(out: &mut Vec<u8>, be: &[u8]) {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    write_bytes(out, be.get(skip..).unwrap_or_default());
}

/// Appends a `u64` as an RLP integer.
pub(crate) fn write_u64(out: &mut Vec<u8>, value: u64) {
    write_uint_be(out, &value.to_be_bytes());
}

/// Appends a `u128` as an RLP integer.
pub(crate) fn write_u128(out: &mut Vec<u8>, value: u128) {
    write_uint_be(out, &value.to_be_bytes());
}

/// Appends a `U256` as an RLP integer.
pub(crate) fn write_u256(out: &mut Vec<u8>, value: &U256) {
    write_uint_be(out, &value.to_be_bytes::<32>());
}

/// Appends the header of a list whose items take `len` bytes encoded.
pub(crate) fn write_list_header(out: &mut Vec<u8>, len: usize) {
    write_header(out, 0xc0, len);
}

/// Appends a list whose already-encoded items are `payload`.
pub(crate) fn write_list(out: &mut Vec<u8>, payload: &[u8]) {
    write_list_header(out, payload.len());
    out.extend_from_slice(payload);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::hex;

    fn first_u64(encoded: &[u8]) -> Result<u64, TxDecodeError> {
        let mut list = Vec::new();
        write_list(&mut list, encoded);
        let mut reader = decode_list(&list)?;
        let value = reader.u64()?;
        reader.finish()?;
        Ok(value)
    }

    #[test]
    fn integers_from_the_yellow_paper_examples() {
        // Yellow paper appendix B / the RLP wiki: 0 -> 0x80, 15 -> 0x0f, 1024 -> 0x820400.
        for (value, encoded) in [
            (0u64, &[0x80][..]),
            (15, &[0x0f]),
            (1024, &[0x82, 0x04, 0x00]),
        ] {
            let mut out = Vec::new();
            write_u64(&mut out, value);
            assert_eq!(out, encoded);
            assert_eq!(first_u64(encoded), Ok(value));
        }
    }

    #[test]
    fn long_string_header_round_trips() {
        // 56 bytes is the first length that needs the long form: 0xb8 0x38.
        let data = [0xaau8; 56];
        let mut out = Vec::new();
        write_bytes(&mut out, &data);
        assert_eq!(out.get(..2), Some(&[0xb8, 0x38][..]));
        let mut list = Vec::new();
        write_list(&mut list, &out);
        assert_eq!(list.get(..2), Some(&[0xf8, 0x3a][..]));
        let mut reader = decode_list(&list).unwrap();
        assert_eq!(reader.bytes().unwrap(), &data[..]);
    }

    #[test]
    fn non_canonical_forms_are_rejected() {
        // The string "dog" with a long-form header for a short length, inside a list.
        let mut reader = decode_list(&hex!("c5b803646f67")).unwrap();
        assert_eq!(reader.bytes(), Err(TxDecodeError::NonCanonicalLength));
        // Long-form length with a leading zero byte.
        let mut padded = hex!("f90038").to_vec();
        padded.extend_from_slice(&[0x80; 56]);
        assert_eq!(
            decode_list(&padded).err(),
            Some(TxDecodeError::NonCanonicalLength)
        );
        assert_eq!(
            first_u64(&[0x81, 0x05]),
            Err(TxDecodeError::NonCanonicalSingleByte)
        );
        assert_eq!(
            first_u64(&[0x82, 0x00, 0x05]),
            Err(TxDecodeError::LeadingZero)
        );
        assert_eq!(first_u64(&[0x00]), Err(TxDecodeError::LeadingZero));
        assert_eq!(
            first_u64(&hex!("89010000000000000000")),
            Err(TxDecodeError::IntegerTooWide)
        );
    }

    #[test]
    fn huge_claimed_length_is_reported_as_truncation() {
        // A list claiming 2^64-1 bytes of payload.
        assert_eq!(
            decode_list(&hex!("ffffffffffffffffff")).err(),
            Some(TxDecodeError::UnexpectedEnd)
        );
    }
}
