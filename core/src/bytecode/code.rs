//! Contract bytecode with its keccak hash and jumpdest analysis, each computed on first use.
//!
//! Neither is computed when the code is wrapped: init code never needs its hash (`CREATE2`
//! hashes it once, charged, for the address), and code loaded from an account record takes
//! the hash the record holds ([`Bytecode::with_hash`]). Whoever asks for work the prover does
//! here charges native for it (see `io::cache`).

use super::analysis::JumpTable;
use crate::primitives::{keccak256, Address, B256, KECCAK_EMPTY};
use alloc::vec::Vec;
use core::cell::OnceCell;

/// Bytes appended to code so that reads past the end see `STOP` and PUSH reads zeros.
const CODE_PADDING_BYTES: usize = 33;

/// Contract bytecode with (on first use) its keccak hash and its jumpdest analysis.
#[derive(Debug)]
pub struct Bytecode {
    padded: Vec<u8>,
    len: usize,
    hash: OnceCell<B256>,
    jump_table: OnceCell<JumpTable>,
}

impl Bytecode {
    /// Wraps `code`; its keccak hash is computed when first asked for.
    pub fn new(code: &[u8]) -> Self {
        let bytecode = Self::with_hash_cell(code, OnceCell::new());
        if code.is_empty() {
            let _ = bytecode.hash.set(KECCAK_EMPTY);
        }
        bytecode
    }

    /// Wraps `code` whose keccak hash is known to be `hash` (an account record's).
    pub fn with_hash(code: &[u8], hash: B256) -> Self {
        Self::with_hash_cell(code, OnceCell::from(hash))
    }

    fn with_hash_cell(code: &[u8], hash: OnceCell<B256>) -> Self {
        let mut padded = Vec::with_capacity(code.len() + CODE_PADDING_BYTES);
        padded.extend_from_slice(code);
        padded.resize(code.len() + CODE_PADDING_BYTES, 0);
        Self {
            padded,
            len: code.len(),
            hash,
            jump_table: OnceCell::new(),
        }
    }

    /// The code bytes.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        &self.padded[..self.len]
    }

    /// The code followed by 33 zero bytes.
    #[inline]
    pub fn padded(&self) -> &[u8] {
        &self.padded
    }

    /// Code length in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no code.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// keccak256 of the code, computed on first use.
    #[inline]
    pub fn hash(&self) -> B256 {
        *self.hash.get_or_init(|| keccak256(self.bytes()))
    }

    /// Whether the keccak hash is known without hashing (given, or computed already).
    #[cfg(test)]
    pub(crate) fn is_hashed(&self) -> bool {
        self.hash.get().is_some()
    }

    /// Whether the jumpdest analysis has been computed already.
    pub fn is_analyzed(&self) -> bool {
        self.jump_table.get().is_some()
    }

    /// The jumpdest analysis, computed on first use.
    pub fn jump_table(&self) -> &JumpTable {
        self.jump_table
            .get_or_init(|| JumpTable::analyze(self.bytes()))
    }

    /// The 7702 delegation target if this code is a delegation designator `0xef0100 ‖ address`.
    pub fn delegation_target(&self) -> Option<Address> {
        delegation_target(self.bytes())
    }
}

/// Prefix of an EIP-7702 delegation designator (`0xef0100 ‖ address`).
pub const DELEGATION_PREFIX: [u8; 3] = [0xef, 0x01, 0x00];

/// The 7702 delegation target of `code` if it is a delegation designator `0xef0100 ‖ address`.
pub fn delegation_target(code: &[u8]) -> Option<Address> {
    if code.len() == 23 && code[..3] == DELEGATION_PREFIX {
        Some(Address::from_slice(&code[3..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_when_asked() {
        let code = [0x60, 0x01, 0x00];
        let fresh = Bytecode::new(&code);
        assert!(!fresh.is_hashed(), "wrapping init code hashes nothing");
        assert_eq!(fresh.hash(), keccak256(&code));
        assert!(fresh.is_hashed());
        let known = Bytecode::with_hash(&code, B256::repeat_byte(7));
        assert_eq!(
            known.hash(),
            B256::repeat_byte(7),
            "a record's hash is taken as given"
        );
        assert!(Bytecode::new(&[]).is_hashed());
        assert_eq!(Bytecode::new(&[]).hash(), KECCAK_EMPTY);
    }
}
