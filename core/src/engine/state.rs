//! The engine's world state: the one place that knows how accounts are stored between blocks
//! (an [`InMemoryState`] for queries and enumeration, mirrored into the Blake2s state tree of
//! [`crate::state::world::WorldState`] for the state commitment), how a block's net changes are
//! applied, and how state overrides are layered over it for simulations.

use super::error::EngineError;
use crate::io::{InMemoryState, Io, SourceAccount, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::state::tree::StateCommitment;
use crate::state::world::{
    tree_changes, AccountState as TreeAccount, TreeChanges, WorldState as TreeWorld,
};
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// Accounts with their storage, between blocks.
#[derive(Clone, Debug, Default)]
pub struct WorldState {
    inner: InMemoryState,
    tree: TreeWorld,
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
    tree: TreeWorld,
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

impl WorldState {
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

    /// A read-only source for a block or simulation, with `overrides` layered on top.
    pub fn source<'a>(&'a self, overrides: &'a StateOverride) -> Overlay<'a> {
        Overlay {
            base: self,
            overrides,
        }
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

/// Per-account overrides for a simulation (geth's `stateOverride`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountOverride {
    /// Replaces the balance.
    pub balance: Option<U256>,
    /// Replaces the nonce.
    pub nonce: Option<u64>,
    /// Replaces the code.
    pub code: Option<Bytes>,
    /// Replaces the whole storage (slots not listed read as zero).
    pub state: Option<BTreeMap<U256, U256>>,
    /// Replaces only the listed slots.
    pub state_diff: BTreeMap<U256, U256>,
}

/// Overrides for a simulation, by account.
pub type StateOverride = BTreeMap<Address, AccountOverride>;

/// The world state seen through a set of overrides.
pub struct Overlay<'a> {
    base: &'a WorldState,
    overrides: &'a StateOverride,
}

impl StateSource for Overlay<'_> {
    fn account(&mut self, address: &Address) -> Option<SourceAccount> {
        let base = self.base.account(address);
        let Some(o) = self.overrides.get(address) else {
            return base.map(|(nonce, balance, code)| SourceAccount {
                nonce,
                balance,
                code: code.clone(),
                has_storage: self.base.inner.storage_of(address).next().is_some(),
            });
        };
        let (nonce, balance, code) = base.map(|(n, b, c)| (n, b, c.clone())).unwrap_or_default();
        let base_has_storage =
            o.state.is_none() && self.base.inner.storage_of(address).next().is_some();
        let override_has_storage = o
            .state
            .iter()
            .flat_map(|s| s.values())
            .chain(o.state_diff.values())
            .any(|v| !v.is_zero());
        Some(SourceAccount {
            nonce: o.nonce.unwrap_or(nonce),
            balance: o.balance.unwrap_or(balance),
            code: o.code.clone().unwrap_or(code),
            has_storage: base_has_storage || override_has_storage,
        })
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Option<U256> {
        if let Some(o) = self.overrides.get(address) {
            if let Some(value) = o.state_diff.get(key) {
                return Some(*value);
            }
            if let Some(state) = &o.state {
                return state.get(key).copied();
            }
        }
        let value = self.base.storage(address, key);
        (!value.is_zero()).then_some(value)
    }
}

/// A copy of the world state with overrides, shared with a long-lived reader (a session).
pub struct Snapshot {
    base: Rc<WorldState>,
    overrides: StateOverride,
}

impl Snapshot {
    /// Reads `base` seen through `overrides`.
    pub fn new(base: Rc<WorldState>, overrides: StateOverride) -> Self {
        Self { base, overrides }
    }
}

impl StateSource for Snapshot {
    fn account(&mut self, address: &Address) -> Option<SourceAccount> {
        self.base.source(&self.overrides).account(address)
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Option<U256> {
        self.base.source(&self.overrides).storage(address, key)
    }
}
