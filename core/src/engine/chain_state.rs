//! The chain's state between blocks: the one place that knows how the engine stores accounts
//! (an [`InMemoryState`] for queries and enumeration, mirrored into the Blake2s state tree of
//! [`WorldState`] for the state commitment) and how a block's net changes are applied.

use super::error::EngineError;
use crate::io::{InMemoryState, Io, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::state::tree::StateCommitment;
use crate::state::world::{tree_changes, AccountState as TreeAccount, TreeChanges, WorldState};
use alloc::vec::Vec;

/// Accounts with their storage, between blocks.
#[derive(Clone, Debug, Default)]
pub struct ChainState {
    inner: InMemoryState,
    tree: WorldState,
}

/// Net changes of a block, taken from its IO before the IO is dropped.
pub struct Changes {
    accounts: Vec<(Address, Option<TreeAccount>)>,
    storage: Vec<(Address, U256, U256, U256)>,
}

/// A block's net changes applied to a copy of the tree, not yet kept.
pub struct Staged {
    changes: Changes,
    tree_changes: TreeChanges,
    tree: WorldState,
}

impl Staged {
    /// The changes in tree form (writes, preimages, pubdata diffs).
    pub fn tree_changes(&self) -> &TreeChanges {
        &self.tree_changes
    }

    /// The state commitment after the block.
    pub fn commitment(&self) -> StateCommitment {
        self.tree.commitment()
    }
}

impl ChainState {
    /// Nonce, balance and code of `address`, if it exists.
    pub fn account(&self, address: &Address) -> Option<(u64, U256, &Bytes)> {
        self.inner.get_account(address)
    }

    /// Value of a storage slot (zero when unset).
    pub fn storage(&self, address: &Address, key: &U256) -> U256 {
        self.inner.get_storage(address, key)
    }

    /// Every non-zero slot of `address`.
    pub fn storage_of(&self, address: &Address) -> Vec<(U256, U256)> {
        self.inner
            .storage_of(address)
            .map(|(k, v)| (*k, *v))
            .collect()
    }

    /// Addresses of every existing account, in address order.
    pub fn addresses(&self) -> Vec<Address> {
        self.inner.addresses().copied().collect()
    }

    /// The state commitment (tree root and next free slot).
    pub fn commitment(&self) -> StateCommitment {
        self.tree.commitment()
    }

    /// Sets nonce, balance and code, keeping storage; fails (changing nothing) when the code
    /// cannot be stored.
    pub fn set_account(
        &mut self,
        address: Address,
        nonce: u64,
        balance: U256,
        code: Bytes,
    ) -> Result<(), EngineError> {
        let account = TreeAccount {
            nonce,
            balance,
            code: code.clone(),
        };
        self.tree
            .apply(&[(address, Some(account))], &[])
            .map_err(|_| EngineError::BadInput("account cannot be stored"))?;
        self.inner.set_account(address, nonce, balance, code);
        Ok(())
    }

    /// Sets a slot (zero clears it).
    pub fn set_storage(&mut self, address: Address, key: U256, value: U256) {
        // Storage writes carry no account record, so the tree cannot reject them.
        let _ = self.tree.apply(&[], &[(address, key, value)]);
        self.inner.set_storage(address, key, value);
    }

    /// Whether any slot of `address` is non-zero.
    pub fn has_storage(&self, address: &Address) -> bool {
        self.inner.storage_of(address).next().is_some()
    }

    /// Applies a block's net changes to a copy of the tree (the same tree changes forward
    /// and proving mode derive, with each account's record before the block from the tree);
    /// fails when the tree rejects them. Nothing changes until [`Self::commit`].
    pub fn stage(&self, changes: Changes) -> Result<Staged, EngineError> {
        let tree_changes = tree_changes(&changes.accounts, &changes.storage, &mut |address| {
            self.tree.properties(address)
        })
        .map_err(|_| EngineError::BadInput("block changes cannot be stored"))?;
        let mut tree = self.tree.clone();
        tree.apply_tree_changes(&tree_changes)
            .map_err(|_| EngineError::BadInput("block changes cannot be stored"))?;
        Ok(Staged {
            changes,
            tree_changes,
            tree,
        })
    }

    /// Keeps a staged block: its tree, and its accounts and slots in the queryable state.
    pub fn commit(&mut self, staged: Staged) {
        self.tree = staged.tree;
        for (address, account) in staged.changes.accounts {
            match account {
                Some(TreeAccount {
                    nonce,
                    balance,
                    code,
                }) => self.inner.set_account(address, nonce, balance, code),
                None => self.inner.remove_account(&address),
            }
        }
        for (address, key, _, value) in staged.changes.storage {
            if self.inner.get_account(&address).is_some() {
                self.inner.set_storage(address, key, value);
            }
        }
    }
}

impl Changes {
    /// The net changes held by `io` (accounts it loaded, slots whose value changed).
    pub fn collect<S: StateSource>(io: &Io<S>) -> Self {
        let accounts = io
            .accounts()
            .map(|(address, account)| {
                let state = account.exists.then(|| TreeAccount {
                    nonce: account.nonce,
                    balance: account.balance,
                    code: Bytes::copy_from_slice(account.code.bytes()),
                });
                (*address, state)
            })
            .collect();
        let storage = io.storage_diffs().collect();
        Self { accounts, storage }
    }
}
