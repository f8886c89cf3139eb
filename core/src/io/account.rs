//! Cached accounts.

use crate::bytecode::Bytecode;
use crate::primitives::{B256, U256};
use alloc::rc::Rc;

/// The fields of an account that are published when they change: nonce, balance and code.
#[derive(Clone, Debug)]
pub struct AccountValues {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// The code (shared with the cache).
    pub code: Rc<Bytecode>,
    /// Whether the code is empty code a deployment installed (protocol version 2: upstream
    /// marks such an account deployed, with the hashes of the empty code).
    pub deployed_empty: bool,
}

impl AccountValues {
    /// The observable code hash the account record holds: keccak256 of the code once code is
    /// deployed (empty code included), none for an account without deployed code.
    pub fn record_code_hash(&self) -> Option<B256> {
        record_code_hash(&self.code, self.deployed_empty)
    }
}

fn record_code_hash(code: &Bytecode, deployed_empty: bool) -> Option<B256> {
    (!code.is_empty() || deployed_empty).then(|| code.hash())
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
    /// Whether the code is empty code a deployment installed ([`AccountValues::deployed_empty`]).
    pub deployed_empty: bool,
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
    /// Protocol version 2: whether the account is in the block's account cache (its first
    /// access in the block paid for reading it from the tree; a rollback keeps it there).
    pub materialised: bool,
    /// Protocol version 2: whether the current transaction accessed the account (its diff
    /// then counts in the transaction's pubdata).
    pub accessed: bool,
    /// Protocol version 2: the transaction (by the IO's sequence number) that last read the
    /// account's properties hash slot under 0x8003, its materialisation or an access-list key;
    /// none while the slot is not in the block's storage cache.
    pub hash_slot_read_in: Option<u32>,
}

impl Account {
    /// The current nonce, balance and code.
    pub fn values(&self) -> AccountValues {
        AccountValues {
            nonce: self.nonce,
            balance: self.balance,
            code: self.code.clone(),
            deployed_empty: self.deployed_empty,
        }
    }

    /// [`AccountValues::record_code_hash`] of the current values.
    pub fn record_code_hash(&self) -> Option<B256> {
        record_code_hash(&self.code, self.deployed_empty)
    }

    /// Whether the account is empty in the EIP-161 sense.
    pub fn is_empty(&self) -> bool {
        self.nonce == 0 && self.balance.is_zero() && self.code.is_empty()
    }

    /// Whether existence, nonce, balance or code differ from the block's start. Codes compare
    /// by their keccak hashes, both known without hashing: an account record's, or the one a
    /// deployment computed and paid for.
    pub fn changed_in_block(&self) -> bool {
        self.exists != self.existed_at_block_start
            || self.nonce != self.block_start.nonce
            || self.balance != self.block_start.balance
            || self.code.hash() != self.block_start.code.hash()
            || self.deployed_empty != self.block_start.deployed_empty
    }
}
