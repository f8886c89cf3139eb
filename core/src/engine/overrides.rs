//! State overrides for simulations (geth's `stateOverride`), and the state source every engine
//! run reads: one version of the chain's state seen through a set of overrides.

use super::chain_state::StateView;
use super::error::EngineError;
use crate::io::{Lookup, SourceAccount, StateSource};
use crate::primitives::{Address, Bytes, B256, U256};
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

/// One version of the chain state seen through a set of overrides: what blocks, simulations,
/// traces and sessions run on.
#[derive(Clone)]
pub struct EngineSource {
    view: StateView,
    overrides: Rc<StateOverride>,
}

impl EngineSource {
    /// `view` seen through `overrides`.
    pub fn new(view: StateView, overrides: Rc<StateOverride>) -> Self {
        Self { view, overrides }
    }

    /// The version read.
    pub fn version(&self) -> u64 {
        self.view.version()
    }
}

impl StateSource for EngineSource {
    fn account(&mut self, address: &Address) -> Lookup<Option<SourceAccount>> {
        let base = self.view.account(address)?;
        let Some(o) = self.overrides.get(address) else {
            return Ok(base);
        };
        let base_has_storage = o.state.is_none() && base.as_ref().is_some_and(|a| a.has_storage);
        let override_has_storage = o
            .state
            .iter()
            .flat_map(|s| s.values())
            .chain(o.state_diff.values())
            .any(|v| !v.is_zero());
        let base = base.unwrap_or_default();
        // Overridden code has no known hash; the IO hashes it when asked.
        let code_hash = if o.code.is_some() {
            None
        } else {
            base.code_hash
        };
        Ok(Some(SourceAccount {
            nonce: o.nonce.unwrap_or(base.nonce),
            balance: o.balance.unwrap_or(base.balance),
            code: o.code.clone().unwrap_or(base.code),
            code_hash,
            has_storage: base_has_storage || override_has_storage,
        }))
    }

    fn storage(&mut self, address: &Address, key: &U256) -> Lookup<Option<U256>> {
        if let Some(o) = self.overrides.get(address) {
            if let Some(value) = o.state_diff.get(key) {
                return Ok(Some(*value));
            }
            if let Some(state) = &o.state {
                return Ok(state.get(key).copied());
            }
        }
        self.view.slot(address, key)
    }

    fn block_hash(&mut self, number: u64) -> Lookup<B256> {
        self.view.block_hash(number)
    }

    fn may_miss(&self) -> bool {
        self.view.may_miss()
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
