//! The undo log of one transaction.

use crate::bytecode::Bytecode;
use crate::primitives::{Address, U256};
use alloc::rc::Rc;

/// One reversible change.
#[derive(Debug)]
pub(crate) enum JournalEntry {
    /// The account became warm.
    AccountWarmed(Address),
    /// The slot became warm.
    SlotWarmed(Address, U256),
    /// The balance had this value before.
    Balance(Address, U256),
    /// The nonce had this value before.
    Nonce(Address, u64),
    /// The code was this before.
    Code(Address, Rc<Bytecode>),
    /// The account was created in this transaction; `existed` is what it was before.
    Created { address: Address, existed: bool },
    /// The slot held this value before.
    Storage(Address, U256, U256),
    /// The transient slot held this value before.
    Transient(Address, U256, U256),
    /// The account came into existence (it did not exist before).
    Exists(Address),
    /// The account was touched (EIP-161).
    Touched(Address),
    /// The account self-destructed.
    SelfDestructed(Address),
    /// Protocol version 2: the transaction accessed the account for the first time.
    Accessed(Address),
    /// Protocol version 2: the slot was written for the first time in the block.
    SlotWritten(Address, U256),
}

/// A point a frame can roll back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub(crate) journal_len: usize,
    pub(crate) logs_len: usize,
    pub(crate) messages_len: usize,
}
