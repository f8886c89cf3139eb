//! Where the initial state of a block comes from, and how a source says it does not know a
//! value yet (a forked chain's state is fetched on demand): it answers [`Unknown`], the IO
//! records the [`StateKey`] and execution pauses until the host has supplied it.

use crate::primitives::{Address, Bytes, B256, U256};
use alloc::collections::BTreeMap;

/// An account as a state source reports it at the start of a block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceAccount {
    /// Nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// Code.
    pub code: Bytes,
    /// keccak256 of the code when the source holds it (an account record does), so loading the
    /// account hashes nothing; `None` makes the cache hash the code itself.
    pub code_hash: Option<B256>,
    /// Whether any storage slot of the account is non-zero.
    pub has_storage: bool,
}

/// The source does not hold a value yet: the host has to supply it before execution can read
/// it (see [`StateKey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unknown;

/// A source's answer: the value, or [`Unknown`].
pub type Lookup<T> = Result<T, Unknown>;

/// One piece of state a source can lack, as the host fetches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StateKey {
    /// Nonce, balance and code of an address.
    Account(Address),
    /// One storage slot.
    Storage(Address, U256),
    /// The hash of a block the block context does not hold (`BLOCKHASH` of a forked chain).
    BlockHash(u64),
}

/// The initial state of a block (the forward oracle's state part).
pub trait StateSource {
    /// The account at `address`, or `None` if it is not in the state.
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>>;
    /// The value of slot `key` of `address`, or `None` if the slot is not in the state.
    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>>;
    /// The hash of block `number`, asked only for blocks inside the `BLOCKHASH` window that the
    /// block context does not list (the older blocks of a forked chain); zero by default.
    fn block_hash(&mut self, _number: u64) -> Lookup<B256> {
        Ok(B256::ZERO)
    }
    /// Whether this source can answer [`Unknown`]. A source that cannot (the default) is never
    /// asked ahead whether it knows a value.
    fn may_miss(&self) -> bool {
        false
    }
}

/// A state held in memory: accounts with their storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InMemoryState {
    accounts: BTreeMap<Address, StoredAccount>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct StoredAccount {
    nonce: u64,
    balance: U256,
    code: Bytes,
    storage: BTreeMap<U256, U256>,
}

impl InMemoryState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts or replaces an account (keeping its storage).
    pub fn set_account(&mut self, address: Address, nonce: u64, balance: U256, code: Bytes) {
        let entry = self.accounts.entry(address).or_default();
        entry.nonce = nonce;
        entry.balance = balance;
        entry.code = code;
    }

    /// Sets one storage slot; a zero value removes it. Creates the account if missing.
    pub fn set_storage(&mut self, address: Address, key: U256, value: U256) {
        let entry = self.accounts.entry(address).or_default();
        if value.is_zero() {
            entry.storage.remove(&key);
        } else {
            entry.storage.insert(key, value);
        }
    }

    /// Removes an account and its storage.
    pub fn remove_account(&mut self, address: &Address) {
        self.accounts.remove(address);
    }

    /// Nonce, balance and code of `address`.
    pub fn get_account(&self, address: &Address) -> Option<(u64, U256, &Bytes)> {
        self.accounts
            .get(address)
            .map(|a| (a.nonce, a.balance, &a.code))
    }

    /// Value of slot `key` of `address` (zero when absent).
    pub fn get_storage(&self, address: &Address, key: &U256) -> U256 {
        self.accounts
            .get(address)
            .and_then(|a| a.storage.get(key).copied())
            .unwrap_or_default()
    }

    /// All non-zero slots of `address`.
    pub fn storage_of(&self, address: &Address) -> impl Iterator<Item = (&U256, &U256)> {
        self.accounts
            .get(address)
            .into_iter()
            .flat_map(|a| a.storage.iter())
    }

    /// All accounts in address order.
    pub fn addresses(&self) -> impl Iterator<Item = &Address> {
        self.accounts.keys()
    }
}

impl StateSource for InMemoryState {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        Ok(self.accounts.get(address).map(|a| SourceAccount {
            nonce: a.nonce,
            balance: a.balance,
            code: a.code.clone(),
            code_hash: None,
            has_storage: !a.storage.is_empty(),
        }))
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        Ok(self
            .accounts
            .get(address)
            .and_then(|a| a.storage.get(key).copied()))
    }
}

impl<S: StateSource + ?Sized> StateSource for &mut S {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        (**self).account(address)
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        (**self).storage(address, key)
    }

    fn block_hash(&mut self, number: u64) -> Lookup<B256> {
        (**self).block_hash(number)
    }

    fn may_miss(&self) -> bool {
        (**self).may_miss()
    }
}
