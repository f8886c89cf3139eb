//! `eth_createAccessList`: the access list a request would run with, found as geth finds it
//! (`internal/ethapi/api.go`, `AccessList`): run the request with a list, collect what its
//! opcodes name, and run again with that list until a run names exactly the list it ran with.

use super::call::CallResult;
use super::chain::Engine;
use super::error::EngineError;
use super::overrides::StateOverride;
use super::request::{BlockOverrides, TxRequest};
use super::runs::{Runs, TxRun, Unit};
use crate::bootloader::{InvalidTransaction, TxReceipt};
use crate::ee::evm::frame::create_address;
use crate::precompiles::Precompile;
use crate::primitives::Address;
use crate::trace::{AccessCollector, NamedAccess};
use crate::tx::AccessListItem;
use alloc::rc::Rc;
use alloc::vec::Vec;

/// Runs of one search at most. A run's list holds what it ran with and what it named, so lists
/// only grow, but they need not settle: code that reads the slot `GAS` numbers names a new
/// slot in every run (geth's search goes on until the list costs all the gas). The search
/// stops after this many runs and answers with its last one.
pub const ACCESS_LIST_MAX_RUNS: usize = 8;

/// The answer of [`Engine::create_access_list_at`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessListResult {
    /// The access list (accounts by address, each with its slots in order).
    pub access_list: Vec<AccessListItem>,
    /// The request's run with that list: gas used, success, output.
    pub call: CallResult,
}

/// One run of the search: the request with a list, and what its opcodes named (collected by
/// the prestate tracer's collector, so the EVM's traced runs stay one compiled type).
struct AccessListUnit {
    run: TxRun<AccessCollector>,
}

impl Unit for AccessListUnit {
    type Output = (Result<TxReceipt, InvalidTransaction>, NamedAccess);

    fn resume(&mut self, slice: u64) -> Result<Self::Output, EngineError> {
        let outcome = self.run.advance(slice)?;
        Ok((outcome, self.run.tracer.named.clone()))
    }
}

impl Engine {
    /// The access list `request` would run with on the state at block `at`, in its
    /// own context (`None`: the head's state in the next block), and its run with it; the engine does not change. The list starts from the
    /// request's own; the sender, the recipient (or the created address) and the active
    /// precompiles are listed only with a slot (as in geth). A request the chain would refuse
    /// is an error, a reverting or halting run an answer (its `call` says so).
    pub fn create_access_list_at(
        &self,
        request: &TxRequest,
        overrides: &StateOverride,
        block: Option<&BlockOverrides>,
        at: Option<u64>,
    ) -> Result<AccessListResult, EngineError> {
        let overrides = Rc::new(overrides.clone());
        self.drive(|runs| self.create_access_list_in(runs, request, &overrides, block, at))
    }

    /// [`Engine::create_access_list_at`] as an operation over `runs`.
    pub(super) fn create_access_list_in(
        &self,
        runs: &mut Runs,
        request: &TxRequest,
        overrides: &Rc<StateOverride>,
        block: Option<&BlockOverrides>,
        at: Option<u64>,
    ) -> Result<AccessListResult, EngineError> {
        let block = block.cloned().unwrap_or_default();
        let base = self.simulation(request, overrides, (at, &block), None)?;
        let recipient = base
            .tx
            .to
            .unwrap_or_else(|| create_address(&base.from, base.tx.nonce));
        let set = self.costs.precompiles.set;
        let excluded: Vec<Address> =
            Precompile::active(self.config.hardfork, self.config.flow, set)
                .chain([base.from, recipient])
                .collect();
        // The request's own list as the search lists it (sorted, without duplicates).
        let mut list = NamedAccess::seeded(&request.access_list).list(&excluded);
        let mut runs_left = ACCESS_LIST_MAX_RUNS;
        loop {
            runs_left = runs_left.saturating_sub(1);
            let mut simulation = base.clone();
            simulation.tx.access_list = list.clone();
            let (outcome, named) = runs.run(|| {
                let tracer = AccessCollector {
                    named: NamedAccess::seeded(&list),
                    ..AccessCollector::default()
                };
                let run = self.simulation_run(&simulation, overrides, tracer)?;
                Ok(AccessListUnit { run })
            })?;
            let receipt = outcome?;
            let next = named.list(&excluded);
            if next == list || runs_left == 0 {
                return Ok(AccessListResult {
                    access_list: list,
                    call: CallResult::from(receipt),
                });
            }
            list = next;
        }
    }
}
