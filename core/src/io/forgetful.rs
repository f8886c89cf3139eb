//! Test support: a state source that knows nothing until told. Every key answers
//! [`Unknown`] until the test supplies it (from the wrapped source) with [`Known::learn`], which
//! also counts the rounds — so any run can be repeated over a source that makes it pause at
//! every first read, and compared with the run over the wrapped source.

use super::source::{Lookup, SourceAccount, StateKey, StateSource, Unknown};
use crate::primitives::{Address, B256, U256};
use alloc::rc::Rc;
use core::cell::RefCell;
use hashbrown::HashSet;

/// The keys a [`Forgetful`] source has been told, and how it was told them.
#[derive(Debug, Default)]
pub struct Known {
    keys: HashSet<StateKey>,
    /// Rounds of [`Known::learn`] that taught something.
    pub rounds: u64,
    /// Keys taught in total.
    pub learned: u64,
}

impl Known {
    /// Teaches `keys` (one round); panics on an empty or repeated key: a pause must always ask
    /// for something new.
    pub fn learn(&mut self, keys: &[StateKey]) {
        assert!(!keys.is_empty(), "a pause asked for no state");
        for key in keys {
            assert!(self.keys.insert(*key), "{key:?} asked for twice");
        }
        self.rounds += 1;
        self.learned += keys.len() as u64;
    }

    /// `Ok` for a key told, else [`Unknown`].
    pub fn check(&self, key: StateKey) -> Lookup<()> {
        if self.keys.contains(&key) {
            Ok(())
        } else {
            Err(Unknown)
        }
    }
}

/// A source that answers from `inner` only what it was told (see [`Known`]).
pub struct Forgetful<S> {
    inner: S,
    known: Rc<RefCell<Known>>,
}

impl<S> Forgetful<S> {
    /// Wraps `inner`; the returned handle teaches it keys.
    pub fn new(inner: S) -> (Self, Rc<RefCell<Known>>) {
        let known = Rc::new(RefCell::new(Known::default()));
        (
            Self {
                inner,
                known: known.clone(),
            },
            known,
        )
    }
}

impl<S: StateSource> StateSource for Forgetful<S> {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        self.known.borrow().check(StateKey::Account(*address))?;
        self.inner.account(address)
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        self.known
            .borrow()
            .check(StateKey::Storage(*address, *key))?;
        self.inner.storage(address, key)
    }

    fn block_hash(&mut self, number: u64) -> Lookup<B256> {
        self.known.borrow().check(StateKey::BlockHash(number))?;
        self.inner.block_hash(number)
    }

    fn may_miss(&self) -> bool {
        true
    }
}
