//! State overrides for simulations (geth's `stateOverride`), and the chain state seen through
//! them: borrowed for one run ([`Overlay`]) or shared with a long-lived session ([`Snapshot`]).

use super::chain_state::ChainState;
use super::error::EngineError;
use crate::io::{SourceAccount, StateSource};
use crate::primitives::{Address, Bytes, U256};
use alloc::collections::BTreeMap;
use alloc::rc::Rc;

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

/// What every engine IO reads through (see `Engine::io`).
pub(super) type Source<'a> = alloc::boxed::Box<dyn StateSource + 'a>;

/// The chain state seen through a set of overrides.
pub struct Overlay<'a> {
    base: &'a ChainState,
    overrides: &'a StateOverride,
}

impl ChainState {
    /// A read-only source for a block or simulation, with `overrides` layered on top.
    pub fn source<'a>(&'a self, overrides: &'a StateOverride) -> Overlay<'a> {
        Overlay {
            base: self,
            overrides,
        }
    }
}

impl StateSource for Overlay<'_> {
    fn account(&mut self, address: &Address) -> Option<SourceAccount> {
        let base = self.base.account(address);
        let Some(o) = self.overrides.get(address) else {
            return base.map(|(nonce, balance, code)| SourceAccount {
                nonce,
                balance,
                code: code.clone(),
                code_hash: None,
                has_storage: self.base.has_storage(address),
            });
        };
        let (nonce, balance, code) = base.map(|(n, b, c)| (n, b, c.clone())).unwrap_or_default();
        let base_has_storage = o.state.is_none() && self.base.has_storage(address);
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
            code_hash: None,
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

/// A copy of the chain state with overrides, shared with a long-lived reader (a session).
pub struct Snapshot {
    base: Rc<ChainState>,
    overrides: StateOverride,
}

impl Snapshot {
    /// Reads `base` seen through `overrides`.
    pub fn new(base: Rc<ChainState>, overrides: StateOverride) -> Self {
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

/// Checks overrides for contradictions (geth refuses `state` together with `stateDiff`).
pub(super) fn check_overrides(overrides: &StateOverride) -> Result<(), EngineError> {
    if overrides
        .values()
        .any(|o| o.state.is_some() && !o.state_diff.is_empty())
    {
        return Err(EngineError::BadInput(
            "an account override sets both state and stateDiff",
        ));
    }
    Ok(())
}
