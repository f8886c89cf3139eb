//! The engine's state, held once: accounts, slots and the Blake2s tree updated in place, with
//! the journal of what each version replaced ([`Versions`]) so that recent versions (a block's
//! pre-state, a session's snapshot) stay readable. Everything a block or an edit does costs in
//! proportion to what it touched.
//!
//! **Accounts and storage.** An account exists when its record would be non-zero: a nonce, a
//! balance or code (the tree's rule: an all-zero record is stored as zero). Storage belongs to
//! the address, not to the account: an address may hold slots without an account (it then reads
//! as absent, its slots are kept, committed and readable, and no transaction removes them by
//! clearing an empty account), and setting an account to all zero removes the account and
//! keeps its slots. A slot written to zero keeps its leaf, as upstream's tree does (it has no
//! deletion), so it stays present: a later block reads and writes it as an existing slot. The
//! engine's queries, its forward source (the tree) and the proving source all answer by these
//! rules.
//!
//! **Forks.** Over a forked chain the store holds what changed locally (including deletions
//! and zeroed slots, which hide the fork's values) and the fork's values the host supplied
//! ([`Fetched`]); a value neither holds is [`Unknown`] until the host supplies it. The tree then
//! holds only what changed since the fork: its root is zkos's commitment to those changes, not
//! the forked chain's state root.

use super::error::EngineError;
use super::versions::Versions;
use crate::io::{Lookup, SourceAccount, StateKey, Unknown};
use crate::primitives::{sort_by_key, Address, Bytes, B256, U256};
use crate::state::account::AccountProperties;
use crate::state::flat_key::account_properties_flat_key;
use crate::state::tree::{StateCommitment, TreeUndo};
use crate::state::world::{final_properties, tree_changes, AccountState, TreeChanges, WorldState};
use alloc::collections::{BTreeMap, VecDeque};
use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;
use core::cell::Cell;
use hashbrown::HashMap;

/// An account the store holds: nonce, balance, code.
pub(super) type Stored = AccountState;

/// The forked chain's values the host supplied, as of the fork block: an absent account is an
/// empty one (EIP-161), an absent slot a zero one.
#[derive(Clone, Debug, Default)]
pub(super) struct Fetched {
    pub(super) accounts: HashMap<Address, Option<SourceAccount>>,
    pub(super) slots: HashMap<Address, BTreeMap<U256, U256>>,
    pub(super) block_hashes: HashMap<u64, B256>,
}

/// A hold on a version: while one is alive, the versions from `keep` on stay readable. A
/// reader's hold keeps its own version; a checkpoint's ([`Store::hold`]) also the older ones
/// its chain's history window reads, and learns when a roll-back undoes its version.
#[derive(Debug)]
pub(super) struct Hold {
    version: u64,
    keep: u64,
    checkpoint: bool,
    undone: Cell<bool>,
}

impl Hold {
    /// The version held.
    pub(super) fn version(&self) -> u64 {
        self.version
    }
}

/// A version's tree writes, to apply again, and how to undo them.
#[derive(Clone, Debug)]
struct TreeVersion {
    version: u64,
    writes: Vec<(B256, B256)>,
    undo: TreeUndo,
}

/// Net changes of a block or an edit: final accounts (`None` = deleted) and changed slots
/// `(address, key, initial, final)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Changes {
    pub(super) accounts: Vec<(Address, Option<Stored>)>,
    pub(super) storage: Vec<(Address, U256, U256, U256)>,
}

/// The engine's state and its recent versions.
pub(super) struct Store {
    /// Number of batches applied; a version is the state after that many.
    version: u64,
    /// Local accounts (`None`: deleted, kept only over a fork, where it hides the fork's).
    accounts: HashMap<Address, Option<Stored>>,
    /// Local slots by address (zero kept over a fork, where it hides the fork's value, and on
    /// a local chain for a slot whose tree leaf holds zero).
    slots: HashMap<Address, BTreeMap<U256, U256>>,
    /// Non-zero local slots per address.
    counts: HashMap<Address, u64>,
    accounts_before: Versions<Address, Option<Option<Stored>>>,
    slots_before: Versions<(Address, U256), Option<U256>>,
    counts_before: Versions<Address, u64>,
    world: WorldState,
    trees: VecDeque<TreeVersion>,
    /// Versions up to this one cannot be read any more.
    forgotten_through: u64,
    /// The oldest version the engine's block history needs.
    keep_from: u64,
    /// Versions readers and checkpoints hold, while they hold them.
    pins: Vec<Weak<Hold>>,
    /// Whether accounts report their storage (EIP-7610, Ethereum flow only: ZKsync OS decides
    /// a collision by nonce and code, as the tree-based sources do).
    report_storage: bool,
    /// The fork's values, when the state forks a chain.
    fetched: Option<Fetched>,
    /// Test support: the keys the running operation has been told (see
    /// [`crate::io::forgetful`]); every other key is unknown.
    #[cfg(test)]
    pub(super) forget: Option<crate::io::forgetful::Known>,
    /// Test support: operations run over a forgetful source, so every IO checks its reads.
    #[cfg(test)]
    pub(super) forgetful: bool,
}

impl Store {
    /// An independent copy of the state and its readable versions. Readers of `self` hold
    /// nothing in it; its checkpoints hold the same versions in it when `keep_checkpoints`.
    pub(super) fn copy(&self, keep_checkpoints: bool) -> Self {
        let pins = self
            .pins
            .iter()
            .filter(|held| keep_checkpoints && held.upgrade().is_some_and(|hold| hold.checkpoint))
            .cloned()
            .collect();
        Self {
            version: self.version,
            accounts: self.accounts.clone(),
            slots: self.slots.clone(),
            counts: self.counts.clone(),
            accounts_before: self.accounts_before.clone(),
            slots_before: self.slots_before.clone(),
            counts_before: self.counts_before.clone(),
            world: self.world.clone(),
            trees: self.trees.clone(),
            forgotten_through: self.forgotten_through,
            keep_from: self.keep_from,
            pins,
            report_storage: self.report_storage,
            fetched: self.fetched.clone(),
            #[cfg(test)]
            forget: None,
            #[cfg(test)]
            forgetful: self.forgetful,
        }
    }

    /// An empty state (over a fork when `fork`), reporting storage for EIP-7610 when
    /// `report_storage`.
    pub(super) fn new(report_storage: bool, fork: bool) -> Self {
        Self {
            version: 0,
            accounts: HashMap::new(),
            slots: HashMap::new(),
            counts: HashMap::new(),
            accounts_before: Versions::default(),
            slots_before: Versions::default(),
            counts_before: Versions::default(),
            world: WorldState::new(),
            trees: VecDeque::new(),
            forgotten_through: 0,
            keep_from: 0,
            pins: Vec::new(),
            report_storage,
            fetched: fork.then(Fetched::default),
            #[cfg(test)]
            forget: None,
            #[cfg(test)]
            forgetful: false,
        }
    }

    /// The current version.
    pub(super) fn version(&self) -> u64 {
        self.version
    }

    /// Whether a read may be [`Unknown`].
    pub(super) fn may_miss(&self) -> bool {
        #[cfg(test)]
        if self.forgetful {
            return true;
        }
        self.fetched.is_some()
    }

    /// Test support: fails for a key the running operation was not told.
    #[inline]
    pub(super) fn check_told(&self, _key: StateKey) -> Lookup<()> {
        #[cfg(test)]
        if let Some(known) = &self.forget {
            return known.check(_key);
        }
        Ok(())
    }

    /// A reader's hold on `version`; `None` when it is no longer readable.
    pub(super) fn pin(&mut self, version: u64) -> Option<Rc<Hold>> {
        if version < self.forgotten_through || version > self.version {
            return None;
        }
        Some(self.hold(Hold {
            version,
            keep: version,
            checkpoint: false,
            undone: Cell::new(false),
        }))
    }

    /// A checkpoint's hold on the current version that also keeps the versions from `keep` on
    /// readable (those still readable).
    pub(super) fn checkpoint(&mut self, keep: u64) -> Rc<Hold> {
        self.hold(Hold {
            version: self.version,
            keep: keep.clamp(self.forgotten_through, self.version),
            checkpoint: true,
            undone: Cell::new(false),
        })
    }

    fn hold(&mut self, hold: Hold) -> Rc<Hold> {
        let hold = Rc::new(hold);
        if self.pins.len() >= 64 {
            self.pins.retain(|held| held.strong_count() > 0);
        }
        self.pins.push(Rc::downgrade(&hold));
        hold
    }

    /// Whether `hold` is a checkpoint of this store whose version no roll-back has undone.
    pub(super) fn holds(&self, hold: &Rc<Hold>) -> bool {
        hold.checkpoint
            && !hold.undone.get()
            && self
                .pins
                .iter()
                .any(|held| core::ptr::eq(held.as_ptr(), Rc::as_ptr(hold)))
    }

    /// Whether a reader (not a checkpoint) holds a version after `version`.
    pub(super) fn read_after(&self, version: u64) -> bool {
        self.pins.iter().any(|held| {
            held.upgrade()
                .is_some_and(|hold| !hold.checkpoint && hold.version > version)
        })
    }

    /// Keeps versions from `version` on readable (the engine's block history).
    pub(super) fn keep_from(&mut self, version: u64) {
        self.keep_from = version;
        self.trim();
    }

    /// Forgets what no reader can ask for any more.
    fn trim(&mut self) {
        self.pins.retain(|held| held.strong_count() > 0);
        let oldest = self
            .pins
            .iter()
            .filter_map(|held| held.upgrade().map(|hold| hold.keep))
            .chain([self.keep_from, self.version])
            .min()
            .unwrap_or(self.version);
        if oldest <= self.forgotten_through {
            return;
        }
        self.accounts_before.forget_through(oldest);
        self.slots_before.forget_through(oldest);
        self.counts_before.forget_through(oldest);
        while self.trees.front().is_some_and(|t| t.version <= oldest) {
            self.trees.pop_front();
        }
        self.forgotten_through = oldest;
    }

    // ---- reads at a version ----

    fn local_account(&self, address: &Address, at: u64) -> Option<&Option<Stored>> {
        if at < self.version {
            if let Some(before) = self.accounts_before.at(address, at) {
                return before.as_ref();
            }
        }
        self.accounts.get(address)
    }

    fn local_slot(&self, address: &Address, key: &U256, at: u64) -> Option<U256> {
        if at < self.version {
            if let Some(before) = self.slots_before.at(&(*address, *key), at) {
                return *before;
            }
        }
        self.slots.get(address)?.get(key).copied()
    }

    fn count(&self, address: &Address, at: u64) -> u64 {
        if at < self.version {
            if let Some(before) = self.counts_before.at(address, at) {
                return *before;
            }
        }
        self.counts.get(address).copied().unwrap_or(0)
    }

    /// The account at `address` at version `at`.
    pub(super) fn account(&self, address: &Address, at: u64) -> Lookup<Option<SourceAccount>> {
        let (stored, fork_storage, code_hash) =
            match (self.local_account(address, at), &self.fetched) {
                (Some(local), None) => (local.clone(), false, None),
                (None, None) => (None, false, None),
                // A local account over a fork still reports the fork's storage, once fetched, and
                // the fork's code hash while it keeps the fork's code.
                (Some(local), Some(fetched)) => {
                    let fork = fetched.accounts.get(address).and_then(Option::as_ref);
                    let code_hash = fork
                        .filter(|f| local.as_ref().is_some_and(|l| l.code == f.code))
                        .and_then(|f| f.code_hash);
                    (
                        local.clone(),
                        fork.is_some_and(|f| f.has_storage),
                        code_hash,
                    )
                }
                (None, Some(fetched)) => {
                    let account = fetched.accounts.get(address).ok_or(Unknown)?;
                    return Ok(account.clone().map(|mut account| {
                        account.has_storage = self.report_storage
                            && (account.has_storage || self.count(address, at) > 0);
                        account
                    }));
                }
            };
        Ok(stored.map(|stored| SourceAccount {
            nonce: stored.nonce,
            balance: stored.balance,
            code: stored.code,
            code_hash: stored.code_hash.or(code_hash),
            has_storage: self.report_storage && (fork_storage || self.count(address, at) > 0),
        }))
    }

    /// Slot `key` of `address` at version `at` (`None`: absent, reading as zero). On a local
    /// chain a zero the store holds is a slot zeroed by a write, whose leaf the tree keeps (see
    /// [`Self::write_slot`]): present. Over a fork a zero is absent (the fork's tree cannot be
    /// asked whether the key has a leaf).
    pub(super) fn slot(&self, address: &Address, key: &U256, at: u64) -> Lookup<Option<U256>> {
        let (value, held) = match (self.local_slot(address, key, at), &self.fetched) {
            (Some(value), _) => (value, true),
            (None, None) => (U256::ZERO, false),
            (None, Some(fetched)) => (
                *fetched
                    .slots
                    .get(address)
                    .and_then(|slots| slots.get(key))
                    .ok_or(Unknown)?,
                false,
            ),
        };
        let present = !value.is_zero() || (held && self.fetched.is_none());
        Ok(present.then_some(value))
    }

    /// The hash of block `number` of a forked chain.
    pub(super) fn block_hash(&self, number: u64) -> Lookup<B256> {
        match &self.fetched {
            Some(fetched) => fetched.block_hashes.get(&number).copied().ok_or(Unknown),
            None => Ok(B256::ZERO),
        }
    }

    /// Whether the state holds a local write of `address`: its account (set, or deleted) or a
    /// slot. Over a fork, an address without one holds the fork block's values (fetched or not).
    pub(super) fn written(&self, address: &Address) -> bool {
        // On a local chain a zeroed slot the store keeps (a leaf holding zero) is no storage.
        let forked = self.fetched.is_some();
        self.accounts.contains_key(address)
            || self
                .slots
                .get(address)
                .is_some_and(|slots| slots.values().any(|value| forked || !value.is_zero()))
    }

    /// Every non-zero slot of `address` the store holds, in key order. Over a fork these are
    /// the slots fetched or written locally (a local write hides the fork's value), never the
    /// chain's others: JSON-RPC cannot list a chain's storage.
    pub(super) fn storage_of(&self, address: &Address) -> Vec<(U256, U256)> {
        // Inserted one by one, later sources replacing earlier ones: collecting into the map
        // would sort with the standard library's stable sort, kilobytes of wasm
        // (`primitives::sort`).
        let mut slots: BTreeMap<U256, U256> = BTreeMap::new();
        let fetched = self
            .fetched
            .iter()
            .filter_map(|fetched| fetched.slots.get(address));
        for source in fetched.chain(self.slots.get(address)) {
            for (key, value) in source {
                slots.insert(*key, *value);
            }
        }
        slots.retain(|_, value| !value.is_zero());
        slots.into_iter().collect()
    }

    /// Addresses of every existing account the store holds and of every address holding
    /// storage without an account (see [`Self::storage_of`]), in address order. Over a fork
    /// these are the accounts fetched or written locally (minus those deleted locally), never
    /// the chain's others.
    pub(super) fn addresses(&self) -> Vec<Address> {
        let local = self
            .accounts
            .iter()
            .filter(|(_, account)| account.is_some())
            .map(|(address, _)| *address);
        let storage_only = self
            .counts
            .iter()
            .filter(|(address, count)| {
                **count > 0 && !matches!(self.accounts.get(*address), Some(Some(_)))
            })
            .map(|(address, _)| *address);
        let fetched = self.fetched.iter().flat_map(|fetched| {
            fetched
                .accounts
                .iter()
                .filter(|(address, account)| {
                    account.is_some() && !self.accounts.contains_key(*address)
                })
                .map(|(address, _)| *address)
        });
        let fetched_storage = self.fetched.iter().flat_map(|fetched| {
            fetched
                .slots
                .keys()
                .filter(|address| !self.storage_of(address).is_empty())
                .copied()
        });
        let mut addresses: Vec<Address> = local
            .chain(storage_only)
            .chain(fetched)
            .chain(fetched_storage)
            .collect();
        sort_by_key(&mut addresses, |address| *address);
        addresses.dedup();
        addresses
    }

    /// The state commitment of the current version.
    pub(super) fn commitment(&self) -> StateCommitment {
        self.world.commitment()
    }

    // ---- fork values ----

    /// Checks values the host supplies: each matches its key's kind and equals the value the
    /// store already holds for it, if any.
    pub(super) fn check_supply(&self, values: &[(StateKey, Supplied)]) -> Result<(), EngineError> {
        let Some(fetched) = self.fetched.as_ref() else {
            return Err(EngineError::BadInput("the engine does not fork a chain"));
        };
        for (key, value) in values {
            let same = match (key, value) {
                (StateKey::Account(address), Supplied::Account(account)) => fetched
                    .accounts
                    .get(address)
                    .is_none_or(|known| known == account),
                (StateKey::Storage(address, slot), Supplied::Slot(value)) => fetched
                    .slots
                    .get(address)
                    .and_then(|slots| slots.get(slot))
                    .is_none_or(|known| known == value),
                (StateKey::BlockHash(number), Supplied::BlockHash(hash)) => fetched
                    .block_hashes
                    .get(number)
                    .is_none_or(|known| known == hash),
                _ => {
                    return Err(EngineError::BadInput(
                        "a supplied value does not match its key",
                    ))
                }
            };
            if !same {
                return Err(EngineError::BadInput(
                    "a supplied value differs from the one supplied before",
                ));
            }
        }
        Ok(())
    }

    /// Keeps a value the host supplied (checked by [`Self::check_supply`]).
    pub(super) fn supply(&mut self, key: StateKey, value: Supplied) {
        let Some(fetched) = self.fetched.as_mut() else {
            return;
        };
        match (key, value) {
            (StateKey::Account(address), Supplied::Account(account)) => {
                fetched.accounts.insert(address, account);
            }
            (StateKey::Storage(address, slot), Supplied::Slot(value)) => {
                fetched
                    .slots
                    .entry(address)
                    .or_default()
                    .insert(slot, value);
            }
            (StateKey::BlockHash(number), Supplied::BlockHash(hash)) => {
                fetched.block_hashes.insert(number, hash);
            }
            _ => {}
        }
    }

    /// Test support: tells the running operation `keys` (see [`crate::io::forgetful`]).
    #[cfg(test)]
    pub(super) fn tell(&mut self, keys: &[StateKey]) {
        if let Some(known) = self.forget.as_mut() {
            known.learn(keys);
        }
    }

    // ---- changes ----

    /// Applies `changes` as the next version; a failure changes nothing.
    pub(super) fn apply(&mut self, changes: &Changes) -> Result<StateCommitment, EngineError> {
        let tree = self.tree_changes(changes)?;
        self.apply_staged(changes, tree)
    }

    /// Applies `changes`, whose tree form [`Self::stage`] computed against the current version,
    /// as the next version.
    pub(super) fn apply_staged(
        &mut self,
        changes: &Changes,
        tree: TreeChanges,
    ) -> Result<StateCommitment, EngineError> {
        let (commitment, undo) = self
            .world
            .apply_tree_changes_undoable(&tree)
            .map_err(|_| EngineError::BadInput("changes cannot be stored"))?;
        self.version += 1;
        let version = self.version;
        self.trees.push_back(TreeVersion {
            version,
            writes: tree.writes,
            undo,
        });
        for (address, account) in &changes.accounts {
            self.write_account(address, account.clone());
        }
        for (address, key, _, value) in &changes.storage {
            self.write_slot(address, key, *value);
        }
        self.trim();
        Ok(commitment)
    }

    fn write_account(&mut self, address: &Address, account: Option<Stored>) {
        // Over a local chain an all-zero account is none (the tree's rule).
        let account = account.filter(|a| !is_empty(a));
        let (accounts, version) = (&self.accounts, self.version);
        self.accounts_before
            .record(version, address, || accounts.get(address).cloned());
        if account.is_none() && self.fetched.is_none() {
            self.accounts.remove(address);
        } else {
            self.accounts.insert(*address, account);
        }
    }

    fn write_slot(&mut self, address: &Address, key: &U256, value: U256) {
        let version = self.version;
        let before = self.slots.get(address).and_then(|s| s.get(key)).copied();
        self.slots_before
            .record(version, &(*address, *key), || before);
        let was = before.is_some_and(|v| !v.is_zero());
        if was == value.is_zero() {
            let counts = &self.counts;
            self.counts_before.record(version, address, || {
                counts.get(address).copied().unwrap_or(0)
            });
            let count = self.counts.entry(*address).or_insert(0);
            *count = if was {
                count.saturating_sub(1)
            } else {
                count.saturating_add(1)
            };
        }
        // A zero stays when the slot has a leaf: the tree keeps a leaf written to zero, as
        // upstream's does (it has no deletion: the snapshot's `tests/rig/src/chain.rs` inserts
        // every storage write, zeros included), so the slot reads as existing in later blocks
        // (`forward_system/src/run/oracle.rs` answers `is_new_storage_slot` by the leaf). A
        // zero for a slot without a leaf is nothing.
        let leaf = value.is_zero() && self.world.slot(address, key).is_some();
        let slots = self.slots.entry(*address).or_default();
        if value.is_zero() && self.fetched.is_none() && !leaf {
            slots.remove(key);
            if slots.is_empty() {
                self.slots.remove(address);
            }
        } else {
            slots.insert(*key, value);
        }
    }

    /// Undoes every version after `version` (a batch applied and then refused, a rewind to a
    /// checkpoint); the checkpoints of the versions undone are used up. Nothing happens when
    /// `version` is not before the current one.
    pub(super) fn roll_back_to(&mut self, version: u64) {
        if version >= self.version {
            return;
        }
        for hold in self.pins.iter().filter_map(Weak::upgrade) {
            if hold.version > version {
                hold.undone.set(true);
            }
        }
        while self.trees.back().is_some_and(|t| t.version > version) {
            if let Some(tree) = self.trees.pop_back() {
                self.world.undo(&tree.undo);
            }
        }
        for (address, before) in self.accounts_before.undo_after(version) {
            match before {
                Some(entry) => self.accounts.insert(address, entry),
                None => self.accounts.remove(&address),
            };
        }
        for ((address, key), before) in self.slots_before.undo_after(version) {
            let slots = self.slots.entry(address).or_default();
            match before {
                Some(value) => slots.insert(key, value),
                None => slots.remove(&key),
            };
            if slots.is_empty() {
                self.slots.remove(&address);
            }
        }
        for (address, count) in self.counts_before.undo_after(version) {
            self.counts.insert(address, count);
        }
        self.version = version;
    }

    /// The tree form of `changes` against the tree as it is now.
    fn tree_changes(&self, changes: &Changes) -> Result<TreeChanges, EngineError> {
        tree_changes(&changes.accounts, &changes.storage, &mut |address| {
            self.record_before(address)
        })
        .map_err(|_| EngineError::BadInput("changes cannot be stored"))
    }

    /// The record `address` has in the tree now; over a fork, an account the tree never held
    /// has the record of the fork's account.
    fn record_before(&self, address: &Address) -> Option<AccountProperties> {
        if self
            .world
            .get(&account_properties_flat_key(*address))
            .is_some()
        {
            return self.world.properties(address);
        }
        let fetched = self.fetched.as_ref()?;
        let account = fetched.accounts.get(address)?.as_ref()?;
        let state = AccountState {
            nonce: account.nonce,
            balance: account.balance,
            code: account.code.clone(),
            code_hash: None,
        };
        final_properties(None, &state)
            .ok()
            .map(|(record, _)| record)
    }

    /// The tree changes and commitments of `changes` applied to version `base`, changing
    /// nothing: the tree is rolled back to `base` and forward again around the computation.
    pub(super) fn stage(&mut self, base: u64, changes: &Changes) -> Result<Staging, EngineError> {
        if base < self.forgotten_through || base > self.version {
            return Err(EngineError::HistoryUnavailable);
        }
        let later = self.trees.iter().filter(|t| t.version > base).count();
        let first = self.trees.len() - later;
        for tree in self.trees.iter().skip(first).rev() {
            self.world.undo(&tree.undo);
        }
        let before = self.world.commitment();
        let staged = self.tree_changes(changes).and_then(|tree| {
            let (after, undo) = self
                .world
                .apply_tree_changes_undoable(&tree)
                .map_err(|_| EngineError::BadInput("block changes cannot be stored"))?;
            self.world.undo(&undo);
            Ok((tree, after))
        });
        for index in first..self.trees.len() {
            if let Some(tree) = self.trees.get(index) {
                if let Ok((_, undo)) = self.world.apply_writes_undoable(&tree.writes) {
                    if let Some(tree) = self.trees.get_mut(index) {
                        tree.undo = undo;
                    }
                }
            }
        }
        let (tree, after) = staged?;
        Ok(Staging {
            tree,
            before,
            after,
        })
    }
}

/// What [`Store::stage`] computed.
pub(super) struct Staging {
    pub(super) tree: TreeChanges,
    pub(super) before: StateCommitment,
    pub(super) after: StateCommitment,
}

/// A value the host supplies for a [`StateKey`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Supplied {
    /// An account (`None`: empty, EIP-161).
    Account(Option<SourceAccount>),
    /// A slot's value.
    Slot(U256),
    /// A block hash.
    BlockHash(B256),
}

fn is_empty(account: &Stored) -> bool {
    account.nonce == 0 && account.balance.is_zero() && account.code.is_empty()
}

/// An account as [`Changes`] holds it, with the keccak hash of its code when known.
pub(super) fn stored(nonce: u64, balance: U256, code: Bytes, code_hash: Option<B256>) -> Stored {
    AccountState {
        nonce,
        balance,
        code,
        code_hash,
    }
}
