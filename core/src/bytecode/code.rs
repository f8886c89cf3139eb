//! Contract bytecode with its keccak hash and lazily computed jumpdest analysis.

use super::analysis::JumpTable;
use crate::primitives::{keccak256, Address, B256, KECCAK_EMPTY};
use alloc::vec::Vec;
use core::cell::OnceCell;

/// Bytes appended to code so that reads past the end see `STOP` and PUSH reads zeros.
const CODE_PADDING_BYTES: usize = 33;

/// Contract bytecode with its keccak hash and (lazily) its jumpdest analysis.
#[derive(Debug)]
pub struct Bytecode {
    padded: Vec<u8>,
    len: usize,
    hash: B256,
    jump_table: OnceCell<JumpTable>,
}

impl Bytecode {
    /// Wraps `code`, computing its keccak hash.
    pub fn new(code: &[u8]) -> Self {
        let hash = if code.is_empty() {
            KECCAK_EMPTY
        } else {
            keccak256(code)
        };
        Self::with_hash(code, hash)
    }

    /// Wraps `code` whose keccak hash is known to be `hash`.
    pub fn with_hash(code: &[u8], hash: B256) -> Self {
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

    /// keccak256 of the code.
    #[inline]
    pub fn hash(&self) -> B256 {
        self.hash
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

/// The 7702 delegation target of `code` if it is a delegation designator `0xef0100 ‖ address`.
pub fn delegation_target(code: &[u8]) -> Option<Address> {
    if code.len() == 23 && code[..3] == [0xef, 0x01, 0x00] {
        Some(Address::from_slice(&code[3..]))
    } else {
        None
    }
}
