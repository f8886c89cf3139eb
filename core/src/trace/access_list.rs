//! What `eth_createAccessList` collects: the accounts and storage slots a transaction's opcodes
//! name, by geth's rules (`eth/tracers/logger/access_list_tracer.go`): `SLOAD`/`SSTORE` name a
//! slot of the frame's storage, the account opcodes and the calls name an account; both are read
//! from the stack before the opcode runs, whether it then succeeds or not. The
//! [`AccessCollector`](super::AccessCollector) keeps it beside what the prestate tracer reads, so
//! one traced run serves both.

use super::words::{stack_word, word_address};
use crate::bytecode::opcode;
use crate::ee::evm::Frame;
use crate::primitives::{sort_by_key, Address, B256};
use crate::tx::AccessListItem;
use alloc::vec::Vec;

/// Stack words geth's tracer wants before it reads a call's account (the calls take six or
/// seven; with five the call then fails on its stack, named all the same).
const CALL_NAMED_STACK_WORDS: usize = 5;

/// Entries held before repeats are first dropped (then whenever the list doubled since).
const COMPACT_AFTER_ENTRIES: usize = 1024;

/// One named account (`None`) or slot of an account (`Some`).
type Named = (Address, Option<B256>);

/// Accounts and slots named by a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamedAccess {
    /// What was named, sorted and without repeats up to `compacted`, as named after it.
    named: Vec<Named>,
    compacted: usize,
}

impl NamedAccess {
    /// A collection that starts from `list` (the list the transaction runs with).
    pub fn seeded(list: &[AccessListItem]) -> Self {
        let mut access = Self::default();
        for item in list {
            access.push((item.address, None));
            for key in &item.storage_keys {
                access.push((item.address, Some(*key)));
            }
        }
        access
    }

    /// Notes what `op` names in `frame`, about to run.
    pub(crate) fn observe(&mut self, frame: &Frame, op: u8) {
        match op {
            opcode::SLOAD | opcode::SSTORE => {
                if let Some(slot) = stack_word(frame, 0) {
                    let slot = B256::from(slot.to_be_bytes::<32>());
                    self.push((frame.address, Some(slot)));
                }
            }
            opcode::BALANCE
            | opcode::EXTCODESIZE
            | opcode::EXTCODECOPY
            | opcode::EXTCODEHASH
            | opcode::SELFDESTRUCT => {
                if let Some(word) = stack_word(frame, 0) {
                    self.push((word_address(word), None));
                }
            }
            opcode::CALL | opcode::CALLCODE | opcode::DELEGATECALL | opcode::STATICCALL => {
                let full = stack_word(frame, CALL_NAMED_STACK_WORDS - 1).is_some();
                if let (true, Some(word)) = (full, stack_word(frame, 1)) {
                    self.push((word_address(word), None));
                }
            }
            _ => {}
        }
    }

    /// Adds `entry`; drops repeats once the list doubled, so a loop over a few slots keeps a
    /// few entries.
    fn push(&mut self, entry: Named) {
        self.named.push(entry);
        if self.named.len() >= COMPACT_AFTER_ENTRIES.max(2 * self.compacted) {
            self.compact();
        }
    }

    fn compact(&mut self) {
        sort_by_key(&mut self.named, |entry| *entry);
        self.named.dedup();
        self.compacted = self.named.len();
    }

    /// The access list: every account with a slot, and every other named account not in
    /// `excluded` (geth leaves out the sender, the recipient and the active precompiles unless a
    /// slot of theirs was named), each with its slots, by address and slot order.
    pub fn list(&self, excluded: &[Address]) -> Vec<AccessListItem> {
        let mut sorted = self.clone();
        sorted.compact();
        let mut items: Vec<AccessListItem> = Vec::new();
        for (address, slot) in sorted.named {
            if items.last().is_none_or(|item| item.address != address) {
                if slot.is_none() && excluded.contains(&address) {
                    continue;
                }
                let storage_keys = Vec::new();
                items.push(AccessListItem {
                    address,
                    storage_keys,
                });
            }
            if let (Some(item), Some(slot)) = (items.last_mut(), slot) {
                item.storage_keys.push(slot);
            }
        }
        items
    }
}
