//! A small Solidity ABI encoder for the calls of the real-contract flows: static words, and
//! dynamic `bytes`, `string` and `address[]` in head/tail layout.

use alloy_primitives::{keccak256, Address, U256};

/// One ABI argument.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `address`.
    Addr(Address),
    /// `uint256` (or any static type that fits one word).
    Uint(U256),
    /// `bytes`.
    Bytes(Vec<u8>),
    /// `string`.
    Str(&'static str),
    /// `address[]`.
    Addrs(Vec<Address>),
    /// `uint256[]`.
    Uints(Vec<U256>),
}

/// `Arg::Uint` of a `u128`.
pub fn uint(value: u128) -> Arg {
    Arg::Uint(U256::from(value))
}

/// The 4-byte selector of `signature`.
pub fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

fn word_of(value: U256) -> [u8; 32] {
    value.to_be_bytes::<32>()
}

fn padded(bytes: &[u8]) -> Vec<u8> {
    let mut out = word_of(U256::from(bytes.len())).to_vec();
    out.extend_from_slice(bytes);
    out.resize(32 + bytes.len().div_ceil(32) * 32, 0);
    out
}

/// The ABI encoding of `args` (no selector).
pub fn encode(args: &[Arg]) -> Vec<u8> {
    let mut head = Vec::new();
    let mut tail = Vec::new();
    let head_len = 32 * args.len();
    for arg in args {
        let dynamic = match arg {
            Arg::Addr(a) => {
                head.extend_from_slice(a.into_word().as_slice());
                None
            }
            Arg::Uint(v) => {
                head.extend_from_slice(&word_of(*v));
                None
            }
            Arg::Bytes(b) => Some(padded(b)),
            Arg::Str(s) => Some(padded(s.as_bytes())),
            Arg::Addrs(list) => {
                let mut out = word_of(U256::from(list.len())).to_vec();
                for a in list {
                    out.extend_from_slice(a.into_word().as_slice());
                }
                Some(out)
            }
            Arg::Uints(list) => {
                let mut out = word_of(U256::from(list.len())).to_vec();
                for v in list {
                    out.extend_from_slice(&word_of(*v));
                }
                Some(out)
            }
        };
        if let Some(data) = dynamic {
            head.extend_from_slice(&word_of(U256::from(head_len + tail.len())));
            tail.extend(data);
        }
    }
    head.extend(tail);
    head
}

/// `selector(signature) ‖ encode(args)`.
pub fn call(signature: &str, args: &[Arg]) -> Vec<u8> {
    let mut out = selector(signature).to_vec();
    out.extend(encode(args));
    out
}

/// The reason of `Error(string)` revert data (`None` for other data). Trailing bytes past
/// the string are allowed: old compilers pad an empty reason with one more zero word.
pub fn error_reason(data: &[u8]) -> Option<String> {
    let rest = data.strip_prefix(&selector("Error(string)"))?;
    let word = |at: usize| -> Option<usize> {
        let w = rest.get(at..at.checked_add(32)?)?;
        usize::try_from(U256::from_be_slice(w)).ok()
    };
    let offset = word(0)?;
    let len = word(offset)?;
    let start = offset.checked_add(32)?;
    let text = rest.get(start..start.checked_add(len)?)?;
    String::from_utf8(text.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::hex;

    /// The Solidity documentation's example of `f(uint256,uint32[],bytes10,bytes)` covers
    /// head/tail offsets; here the layout of `(uint256, bytes, address[])` is checked word by
    /// word against the rules: offsets count from the start of the arguments.
    #[test]
    fn dynamic_arguments_go_to_the_tail() {
        let a = Address::repeat_byte(0x11);
        let out = encode(&[uint(7), Arg::Bytes(b"abc".to_vec()), Arg::Addrs(vec![a])]);
        let words: Vec<String> = out.chunks(32).map(hex::encode).collect();
        assert_eq!(words.len(), 3 + 2 + 2);
        assert!(words[0].ends_with("07"));
        assert!(words[1].ends_with("60")); // bytes at 3 words
        assert!(words[2].ends_with("a0")); // address[] at 5 words
        assert!(words[3].ends_with("03"));
        assert!(words[4].starts_with("616263000000"));
        assert!(words[5].ends_with("01"));
        assert_eq!(words[6], hex::encode(a.into_word()));
    }

    /// A reason reads back from revert data laid out as Solidity lays it out, with trailing
    /// padding or not; other data has none.
    #[test]
    fn error_reasons_decode() {
        let mut data = selector("Error(string)").to_vec();
        data.extend(encode(&[Arg::Str("GS020")]));
        assert_eq!(error_reason(&data).as_deref(), Some("GS020"));
        let mut empty = selector("Error(string)").to_vec();
        empty.extend(encode(&[Arg::Str("")]));
        empty.extend([0u8; 32]);
        assert_eq!(error_reason(&empty).as_deref(), Some(""));
        assert_eq!(error_reason(&data[..data.len() - 40]), None);
        assert_eq!(error_reason(&[0x4e, 0x48, 0x7b, 0x71]), None);
    }

    /// `transfer(address,uint256)` has the well-known selector 0xa9059cbb.
    #[test]
    fn selectors_are_keccak_prefixes() {
        assert_eq!(selector("transfer(address,uint256)"), hex!("a9059cbb"));
        assert_eq!(selector("Error(string)"), hex!("08c379a0"));
    }
}
