//! The resources a version-2 hook call spends: ergs out of what the call was given, native out
//! of the transaction's. Upstream charges both in one step, native first: when the ergs are
//! short the native is spent all the same and the ergs drop to zero
//! (`zk_ee/src/reference_implementations/mod.rs`, `BaseResources::charge`;
//! `zk_ee/src/system/resources.rs`, `Ergs::charge`).

use crate::io::{Io, StateSource};
use crate::system::hooks::HookError;

/// Ergs a hook charges on entry, before it reads its selector (upstream `step_cost` in
/// `system_hooks/src/{l1_messenger,l2_base_token,contract_deployer}.rs`; no native).
pub const HOOK_ENTRY_ERGS: u64 = 10;

/// The ergs a hook call has left, and whether its caller is EVM code (the transaction's
/// top-level call has no caller environment, and upstream's event and balance charges then take
/// no ergs).
pub struct HookMeter {
    /// Ergs left.
    pub ergs: u64,
    /// Whether an EVM frame made the call.
    pub evm_caller: bool,
}

impl HookMeter {
    /// Charges `native`, then `ergs`; out of ergs leaves zero ergs.
    pub fn charge<S: StateSource>(
        &mut self,
        io: &mut Io<S>,
        ergs: u64,
        native: u64,
    ) -> Result<(), HookError> {
        io.charge_native(native)?;
        if ergs > self.ergs {
            self.ergs = 0;
            return Err(HookError::OutOfGas);
        }
        self.ergs -= ergs;
        Ok(())
    }

    /// `ergs` when an EVM frame made the call, else nothing (upstream's `NoEE` arm).
    pub fn evm_ergs(&self, ergs: u64) -> u64 {
        if self.evm_caller {
            ergs
        } else {
            0
        }
    }
}
