//! The chain's state between blocks: one [`Store`] shared by the engine and the readers it
//! hands out (runs, sessions, paused operations), each reading the version it was opened on.
//! A block's net changes are staged against the version it ran on and committed as the next
//! version; nothing is ever copied whole.

use super::error::EngineError;
use super::store::{stored, Changes, Hold, Staging, Store, Supplied};
use crate::io::{Io, Lookup, SourceAccount, StateKey, StateSource};
use crate::primitives::{keccak256, Address, Bytes, U256};
use crate::state::tree::StateCommitment;
use crate::state::world::TreeChanges;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

/// The engine's state: accounts with their storage and the state tree, with recent versions.
/// A clone is an independent copy; [`ChainState::share`] is another handle on the same state.
pub struct ChainState {
    store: Rc<RefCell<Store>>,
}

impl Clone for ChainState {
    fn clone(&self) -> Self {
        Self {
            store: Rc::new(RefCell::new(self.store.borrow().copy(false))),
        }
    }
}

/// A block's net changes staged against the version it ran on, not yet kept.
#[derive(Clone, Debug)]
pub struct Staged {
    changes: Changes,
    tree: TreeChanges,
    base: u64,
    before: StateCommitment,
    after: StateCommitment,
}

impl Staged {
    /// The changes in tree form (writes, preimages, pubdata diffs).
    pub fn tree_changes(&self) -> &TreeChanges {
        &self.tree
    }

    /// The version the block ran on.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// The state commitment of the version the block ran on.
    pub fn commitment_before(&self) -> StateCommitment {
        self.before
    }

    /// The state commitment after the block.
    pub fn commitment(&self) -> StateCommitment {
        self.after
    }
}

/// A reader's hold on one version of the state.
#[derive(Clone)]
pub struct StateView {
    store: Rc<RefCell<Store>>,
    version: u64,
    _pin: Rc<Hold>,
}

impl StateView {
    /// The version read.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The account at `address`, as [`StateSource::account`] answers it.
    pub(super) fn account(&self, address: &Address) -> Lookup<Option<SourceAccount>> {
        let store = self.store.borrow();
        store.check_told(StateKey::Account(*address))?;
        store.account(address, self.version)
    }

    /// Slot `key` of `address`.
    pub(super) fn slot(&self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        let store = self.store.borrow();
        store.check_told(StateKey::Storage(*address, *key))?;
        store.slot(address, key, self.version)
    }

    /// The hash of block `number` of a forked chain.
    pub(super) fn block_hash(&self, number: u64) -> Lookup<crate::primitives::B256> {
        let store = self.store.borrow();
        store.check_told(StateKey::BlockHash(number))?;
        store.block_hash(number)
    }

    /// Whether reads may be unknown.
    pub(super) fn may_miss(&self) -> bool {
        self.store.borrow().may_miss()
    }
}

impl ChainState {
    /// Another handle on this state (what a block or a session being run keeps).
    pub(super) fn share(&self) -> Self {
        Self {
            store: Rc::clone(&self.store),
        }
    }

    /// Whether `other` is a handle on this same state (not merely an equal one).
    pub(super) fn is_same(&self, other: &ChainState) -> bool {
        Rc::ptr_eq(&self.store, &other.store)
    }

    /// An empty state; accounts report their storage when `report_storage` (EIP-7610); over a
    /// forked chain when `fork`.
    pub(super) fn new(report_storage: bool, fork: bool) -> Self {
        Self {
            store: Rc::new(RefCell::new(Store::new(report_storage, fork))),
        }
    }

    /// The current version.
    pub fn version(&self) -> u64 {
        self.store.borrow().version()
    }

    /// A reader of version `at` (the current one when `None`); fails when that version is no
    /// longer kept.
    pub fn view(&self, at: Option<u64>) -> Result<StateView, EngineError> {
        let mut store = self.store.borrow_mut();
        let version = at.unwrap_or(store.version());
        let pin = store.pin(version).ok_or(EngineError::HistoryUnavailable)?;
        Ok(StateView {
            store: self.store.clone(),
            version,
            _pin: pin,
        })
    }

    /// Nonce, balance and code of `address`, if it exists (unknown over a fork until fetched).
    pub fn account(&self, address: &Address) -> Lookup<Option<(u64, U256, Bytes)>> {
        let store = self.store.borrow();
        Ok(store
            .account(address, store.version())?
            .map(|a| (a.nonce, a.balance, a.code)))
    }

    /// Value of a storage slot (zero when unset; unknown over a fork until fetched).
    pub fn storage(&self, address: &Address, key: &U256) -> Lookup<U256> {
        let store = self.store.borrow();
        Ok(store
            .slot(address, key, store.version())?
            .unwrap_or_default())
    }

    /// Whether `address`'s account or any of its slots was written locally (see
    /// [`Engine::changed_since_fork`](super::Engine::changed_since_fork)).
    pub fn written(&self, address: &Address) -> bool {
        self.store.borrow().written(address)
    }

    /// Every non-zero slot of `address` the engine holds (over a fork: those fetched or
    /// written locally).
    pub fn storage_of(&self, address: &Address) -> Vec<(U256, U256)> {
        self.store.borrow().storage_of(address)
    }

    /// Addresses of every existing account and of every address holding storage without one,
    /// in address order.
    pub fn addresses(&self) -> Vec<Address> {
        self.store.borrow().addresses()
    }

    /// The state commitment (tree root and next free slot).
    pub fn commitment(&self) -> StateCommitment {
        self.store.borrow().commitment()
    }

    /// Sets nonce, balance and code (all zero: no account), keeping storage, and the listed
    /// slots, as one version; fails (changing nothing) when the code cannot be stored.
    pub fn set_account(
        &self,
        address: Address,
        (nonce, balance, code): (u64, U256, Bytes),
        slots: &[(U256, U256)],
    ) -> Result<(), EngineError> {
        // The code is hashed once here, so that no block hashes it again.
        let code_hash = (!code.is_empty()).then(|| keccak256(&code));
        let mut changes = Changes {
            accounts: alloc::vec![(address, Some(stored(nonce, balance, code, code_hash)))],
            storage: Vec::with_capacity(slots.len()),
        };
        self.add_slots(&mut changes, address, slots);
        self.store.borrow_mut().apply(&changes).map(|_| ())
    }

    /// Sets slots of `address` (zero clears one) as one version.
    pub fn set_storage(&self, address: Address, slots: &[(U256, U256)]) {
        let mut changes = Changes::default();
        self.add_slots(&mut changes, address, slots);
        // Storage writes carry no account record, so the tree cannot reject them.
        let _ = self.store.borrow_mut().apply(&changes);
    }

    /// Adds `slots` to `changes` (a key listed twice takes its last value), in time
    /// proportional to `n log n` for `n` slots.
    fn add_slots(&self, changes: &mut Changes, address: Address, slots: &[(U256, U256)]) {
        let store = self.store.borrow();
        // Inserted one by one (a later value for a key replaces the earlier): collecting into
        // the map would sort the pairs with the standard library's stable sort, kilobytes of
        // wasm (`primitives::sort`).
        let mut last = BTreeMap::new();
        for &(key, value) in slots {
            last.insert(key, value);
        }
        for (key, value) in last {
            let before = store
                .slot(&address, &key, store.version())
                .ok()
                .flatten()
                .unwrap_or_default();
            changes.storage.push((address, key, before, value));
        }
    }

    /// Stages a block's net changes against version `base` (the tree changes forward and
    /// proving mode derive, with each account's record before the block); fails when the tree
    /// rejects them or `base` is no longer kept. Nothing changes.
    pub fn stage(&self, base: u64, changes: Changes) -> Result<Staged, EngineError> {
        let Staging {
            tree,
            before,
            after,
        } = self.store.borrow_mut().stage(base, &changes)?;
        Ok(Staged {
            changes,
            tree,
            base,
            before,
            after,
        })
    }

    /// Keeps a staged block as the next version; fails (changing nothing) when the state moved
    /// on since the version it was staged against.
    pub fn commit(&self, staged: Staged) -> Result<(), EngineError> {
        let mut store = self.store.borrow_mut();
        if staged.base != store.version() {
            return Err(EngineError::BadInput(
                "the chain changed since the block was run",
            ));
        }
        store.apply_staged(&staged.changes, staged.tree).map(|_| ())
    }

    /// Undoes every version after `version`.
    pub fn roll_back_to(&self, version: u64) {
        self.store.borrow_mut().roll_back_to(version);
    }

    /// A checkpoint's hold on the current version, keeping the versions from `keep` on
    /// readable (those still readable).
    pub(super) fn hold(&self, keep: u64) -> Rc<Hold> {
        self.store.borrow_mut().checkpoint(keep)
    }

    /// Whether `hold` is a checkpoint of this state that no roll-back has undone.
    pub(super) fn holds(&self, hold: &Rc<Hold>) -> bool {
        self.store.borrow().holds(hold)
    }

    /// Returns to the version of checkpoint `hold` (one [`Self::holds`]). Readers of later
    /// versions (an open session) keep reading them: when there are any, this state moves to
    /// a copy first (the cost of a whole copy, once) and leaves them the original.
    pub(super) fn rewind(&mut self, hold: &Hold) {
        let copy = {
            let store = self.store.borrow();
            store.read_after(hold.version()).then(|| store.copy(true))
        };
        if let Some(copy) = copy {
            self.store = Rc::new(RefCell::new(copy));
        }
        self.store.borrow_mut().roll_back_to(hold.version());
    }

    /// Keeps versions from `version` on readable.
    pub fn keep_from(&self, version: u64) {
        self.store.borrow_mut().keep_from(version);
    }

    /// Checks values of the forked chain the host fetched (see [`Store::check_supply`]).
    pub(super) fn check_supply(&self, values: &[(StateKey, Supplied)]) -> Result<(), EngineError> {
        self.store.borrow().check_supply(values)
    }

    /// Keeps a checked value of the forked chain.
    pub(super) fn supply(&self, key: StateKey, value: Supplied) {
        self.store.borrow_mut().supply(key, value);
    }

    /// Test support: tells the running operation `keys`.
    #[cfg(test)]
    pub(super) fn tell(&self, keys: &[StateKey]) {
        self.store.borrow_mut().tell(keys);
    }

    /// Which of `keys` an operation would find unknown now.
    pub fn unknown(&self, keys: &[StateKey]) -> Vec<StateKey> {
        let store = self.store.borrow();
        let version = store.version();
        keys.iter()
            .filter(|key| match key {
                StateKey::Account(a) => store.account(a, version).is_err(),
                StateKey::Storage(a, k) => store.slot(a, k, version).is_err(),
                StateKey::BlockHash(n) => store.block_hash(*n).is_err(),
            })
            .copied()
            .collect()
    }

    /// Test support: makes every read of the next operation unknown until told (`Some`), or
    /// ends that (`None`); returns what the previous operation was told.
    #[cfg(test)]
    pub(super) fn forget(
        &self,
        known: Option<crate::io::forgetful::Known>,
    ) -> Option<crate::io::forgetful::Known> {
        core::mem::replace(&mut self.store.borrow_mut().forget, known)
    }

    /// Test support: every IO made from now on checks its reads (see [`Store::may_miss`]).
    #[cfg(test)]
    pub(super) fn set_forgetful(&self) {
        self.store.borrow_mut().forgetful = true;
    }
}

impl Changes {
    /// The net changes held by `io` (accounts it loaded, slots whose value changed).
    pub fn collect<S: StateSource>(io: &Io<S>) -> Self {
        // Accounts read but not changed need no write.
        let accounts = io
            .accounts()
            .filter(|(_, a)| a.changed_in_block())
            .map(|(address, account)| {
                let state = account.exists.then(|| {
                    stored(
                        account.nonce,
                        account.balance,
                        Bytes::copy_from_slice(account.code.bytes()),
                        account.record_code_hash(),
                    )
                });
                (*address, state)
            })
            .collect();
        let storage = io.storage_diffs().collect();
        Self { accounts, storage }
    }
}
