//! Net changes over a stretch of a transaction, as pubdata accounting needs them.

use super::account::AccountValues;
use super::cache::Io;
use super::journal::{Checkpoint, JournalEntry};
use super::source::StateSource;
use crate::primitives::{Address, U256};
use alloc::vec::Vec;
use hashbrown::HashMap;

/// A storage slot written after a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotChange {
    /// Owner.
    pub address: Address,
    /// Slot key.
    pub key: U256,
    /// Value when the block started.
    pub block_start: U256,
    /// Value at the checkpoint.
    pub at_checkpoint: U256,
    /// Value now.
    pub now: U256,
}

/// An account whose nonce, balance or code was written after a checkpoint.
#[derive(Clone, Debug)]
pub struct AccountChange {
    /// The account.
    pub address: Address,
    /// Values when the block started.
    pub block_start: AccountValues,
    /// Values at the checkpoint.
    pub at_checkpoint: AccountValues,
    /// Values now.
    pub now: AccountValues,
}

/// Everything written after a checkpoint, each slot and account once, in first-write order.
#[derive(Clone, Debug, Default)]
pub struct NetChanges {
    /// Written slots.
    pub slots: Vec<SlotChange>,
    /// Written accounts.
    pub accounts: Vec<AccountChange>,
}

impl<S: StateSource> Io<S> {
    /// What changed since `checkpoint` (a point within the running transaction): every slot
    /// and account written after it, with its value at the start of the block, at the
    /// checkpoint, and now.
    pub fn changes_since(&self, checkpoint: Checkpoint) -> NetChanges {
        let mut changes = NetChanges::default();
        let mut seen_slots: hashbrown::HashSet<(Address, U256)> = hashbrown::HashSet::new();
        let mut seen_accounts: HashMap<Address, (usize, [bool; 3])> = HashMap::new();
        let entries = self.journal.iter_from(checkpoint.journal_len);
        for entry in entries {
            match entry {
                JournalEntry::Storage(address, key, old) if seen_slots.insert((*address, *key)) => {
                    if let Some(slot) = self.storage.get(address, key) {
                        changes.slots.push(SlotChange {
                            address: *address,
                            key: *key,
                            block_start: slot.initial,
                            at_checkpoint: *old,
                            now: slot.present,
                        });
                    }
                }
                JournalEntry::Balance(address, _)
                | JournalEntry::Nonce(address, _)
                | JournalEntry::Code(address, _) => {
                    let Some(account) = self.accounts.get(address) else {
                        continue;
                    };
                    let (index, seen) = seen_accounts.entry(*address).or_insert_with(|| {
                        changes.accounts.push(AccountChange {
                            address: *address,
                            block_start: account.block_start.clone(),
                            at_checkpoint: account.values(),
                            now: account.values(),
                        });
                        (changes.accounts.len() - 1, [false; 3])
                    });
                    let Some(change) = changes.accounts.get_mut(*index) else {
                        continue;
                    };
                    // The first entry of each field after the checkpoint holds its value there;
                    // a field without an entry is unchanged since.
                    match entry {
                        JournalEntry::Balance(_, old) if !seen[0] => {
                            seen[0] = true;
                            change.at_checkpoint.balance = *old;
                        }
                        JournalEntry::Nonce(_, old) if !seen[1] => {
                            seen[1] = true;
                            change.at_checkpoint.nonce = *old;
                        }
                        JournalEntry::Code(_, old) if !seen[2] => {
                            seen[2] = true;
                            change.at_checkpoint.code = old.clone();
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        changes
    }
}
