//! A minimal RLP encoder for the harness's own envelopes and header hashes.

use super::sign::AccessItem;
use alloy_primitives::{Address, U256};

/// One RLP item being built: a string or a list of items.
#[derive(Clone)]
pub enum Rlp {
    /// A byte string.
    Str(Vec<u8>),
    /// A list.
    List(Vec<Rlp>),
}

impl Rlp {
    /// A big-endian integer without leading zeros.
    pub fn uint(bytes: &[u8]) -> Self {
        let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        Rlp::Str(bytes[first..].to_vec())
    }

    /// A `u64` quantity.
    pub fn u64(value: u64) -> Self {
        Self::uint(&value.to_be_bytes())
    }

    /// A `u128` quantity.
    pub fn u128(value: u128) -> Self {
        Self::uint(&value.to_be_bytes())
    }

    /// A `U256` quantity.
    pub fn u256(value: &U256) -> Self {
        Self::uint(&value.to_be_bytes::<32>())
    }

    /// A recipient: 20 bytes, or the empty string for a deployment.
    pub fn to(to: &Option<Address>) -> Self {
        Rlp::Str(to.map(|a| a.to_vec()).unwrap_or_default())
    }

    /// An EIP-2930 access list.
    pub fn access_list(list: &[AccessItem]) -> Self {
        Rlp::List(
            list.iter()
                .map(|item| {
                    Rlp::List(vec![
                        Rlp::Str(item.address.to_vec()),
                        Rlp::List(item.keys.iter().map(|k| Rlp::Str(k.to_vec())).collect()),
                    ])
                })
                .collect(),
        )
    }

    /// Appends the encoding to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Rlp::Str(bytes) if bytes.len() == 1 && bytes[0] < 0x80 => out.push(bytes[0]),
            Rlp::Str(bytes) => {
                header(out, 0x80, bytes.len());
                out.extend_from_slice(bytes);
            }
            Rlp::List(items) => {
                let mut body = Vec::new();
                for item in items {
                    item.encode(&mut body);
                }
                header(out, 0xc0, body.len());
                out.extend_from_slice(&body);
            }
        }
    }

    /// The encoding.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

/// An RLP length prefix: `offset + len` below 56 bytes, else the long form.
fn header(out: &mut Vec<u8>, offset: u8, len: usize) {
    if len < 56 {
        out.push(offset + len as u8);
    } else {
        let be = (len as u64).to_be_bytes();
        let first = be.iter().position(|b| *b != 0).unwrap_or(7);
        out.push(offset + 55 + (8 - first) as u8);
        out.extend_from_slice(&be[first..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_string_header() {
        // 56 bytes take the long form: 0xb8 0x38.
        let bytes = Rlp::Str(vec![1u8; 56]).bytes();
        assert_eq!(&bytes[..2], &[0xb8, 0x38]);
        assert_eq!(bytes.len(), 58);
    }

    #[test]
    fn integers_are_minimal() {
        assert_eq!(Rlp::u64(0).bytes(), vec![0x80]);
        assert_eq!(Rlp::u64(0x7f).bytes(), vec![0x7f]);
        assert_eq!(Rlp::u64(0x400).bytes(), vec![0x82, 0x04, 0x00]);
    }
}
