//! Cached accounts and bytecode.

use crate::ee::evm::analysis::JumpTable;
use crate::primitives::{keccak256, B256, KECCAK_EMPTY, U256};
use alloc::rc::Rc;
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
    pub fn delegation_target(&self) -> Option<crate::primitives::Address> {
        let code = self.bytes();
        if code.len() == 23 && code[..3] == [0xef, 0x01, 0x00] {
            Some(crate::primitives::Address::from_slice(&code[3..]))
        } else {
            None
        }
    }
}

/// The fields of an account that are published when they change: nonce, balance and code.
#[derive(Clone, Debug)]
pub struct AccountValues {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// The code (shared with the cache).
    pub code: Rc<Bytecode>,
}

/// An account as the cache holds it during a block.
#[derive(Clone, Debug)]
pub struct Account {
    /// Transaction count (or contract creation count).
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Code (empty for EOAs).
    pub code: Rc<Bytecode>,
    /// Whether the account exists in the state (it may exist and be empty).
    pub exists: bool,
    /// Nonce, balance and code when the block started.
    pub block_start: AccountValues,
    /// Whether the account was in the state tree when the block started.
    pub existed_at_block_start: bool,
    /// Whether the account had storage when the block started (CREATE collision rule).
    pub had_storage_at_block_start: bool,
    /// Whether the account was created by the current transaction (EIP-6780).
    pub created_in_tx: bool,
    /// Whether the account is warm (EIP-2929) in the current transaction.
    pub warm: bool,
    /// Whether the account was touched in the current transaction (EIP-161).
    pub touched: bool,
    /// Whether the account self-destructed in the current transaction.
    pub selfdestructed: bool,
}

impl Account {
    /// The current nonce, balance and code.
    pub fn values(&self) -> AccountValues {
        AccountValues {
            nonce: self.nonce,
            balance: self.balance,
            code: self.code.clone(),
        }
    }

    /// Whether the account is empty in the EIP-161 sense.
    pub fn is_empty(&self) -> bool {
        self.nonce == 0 && self.balance.is_zero() && self.code.is_empty()
    }
}
