//! The system hooks of protocol version 2, as the upstream snapshot serves them
//! (`system_hooks/src/lib.rs`, `addresses_constants.rs`; `basic_bootloader/src/bootloader/
//! runner.rs`, `call_to_special_address_execute_callee_frame`): the L1 messenger at 0x8008, the
//! contract deployer at 0x8006 and the L2 base token at 0x800a. A call there never runs code:
//! the value moves first (like any call), then the hook runs, and a refusal, an out-of-gas or
//! any failure rolls everything back, the value included. A refusal returns the ergs left; out
//! of gas returns none. Every hook charges 10 ergs on entry (`HOOK_ENTRY_ERGS`), except for the
//! calls refused by kind or value, which cost nothing.
//!
//! The contract deployer (upstream `system_hooks/src/contract_deployer.rs`) has one method,
//! `setBytecodeDetailsEVM(address,bytes32,uint32,bytes32)`, callable only by the complex
//! upgrader 0x800f in a protocol upgrade: upstream then installs the code its oracle holds for
//! a bytecode hash. zkos keeps no code by hash and refuses every call after the entry ergs, as
//! upstream does for every other caller (a known divergence for 0x800f, where only genesis or an
//! upgrade can put code).

mod base_token;
mod messenger;
mod meter;

use crate::ee::evm::{CallKind, CallRequest};
use crate::io::{Io, StateSource};
use crate::primitives::{Address, Bytes};
use crate::system::hooks::HookError;
use crate::system::{BASE_TOKEN_ADDRESS, CONTRACT_DEPLOYER_ADDRESS, L1_MESSENGER_ADDRESS};
use meter::{HookMeter, HOOK_ENTRY_ERGS};

/// A system hook of protocol version 2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum V2Hook {
    /// 0x8008: `sendToL1(bytes)`.
    L1Messenger,
    /// 0x8006: `setBytecodeDetailsEVM`, refused (see the module's doc).
    ContractDeployer,
    /// 0x800a: `withdraw(address)`, `withdrawWithMessage(address,bytes)`.
    BaseToken,
}

/// How a hook call ended, with the ergs it hands back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct V2HookEnd {
    /// The return data, or why the call failed.
    pub result: Result<Bytes, HookError>,
    /// Ergs left to the caller.
    pub ergs_left: u64,
}

impl V2Hook {
    /// The hook at `address`, if any.
    pub fn at(address: &Address) -> Option<Self> {
        match *address {
            L1_MESSENGER_ADDRESS => Some(Self::L1Messenger),
            CONTRACT_DEPLOYER_ADDRESS => Some(Self::ContractDeployer),
            BASE_TOKEN_ADDRESS => Some(Self::BaseToken),
            _ => None,
        }
    }

    /// Serves `request` (its value already moved); `top_level` when it is the transaction's own
    /// call (no EVM caller). The caller rolls back on error.
    pub fn call<S: StateSource>(
        self,
        io: &mut Io<S>,
        request: &CallRequest,
        top_level: bool,
    ) -> V2HookEnd {
        let refused_kind = matches!(request.kind, CallKind::DelegateCall | CallKind::CallCode);
        let paid = self != Self::BaseToken && !request.transfer_value.is_zero();
        if refused_kind || paid {
            return V2HookEnd {
                result: Err(HookError::Rejected),
                ergs_left: request.ergs,
            };
        }
        let mut meter = HookMeter {
            ergs: request.ergs,
            evm_caller: !top_level,
        };
        let result = meter
            .charge(io, HOOK_ENTRY_ERGS, 0)
            .and_then(|()| self.serve(io, &mut meter, request));
        V2HookEnd {
            result,
            ergs_left: meter.ergs,
        }
    }

    fn serve<S: StateSource>(
        self,
        io: &mut Io<S>,
        meter: &mut HookMeter,
        request: &CallRequest,
    ) -> Result<Bytes, HookError> {
        let (caller, input, is_static) = (request.caller, &request.input, request.is_static);
        match self {
            Self::L1Messenger => messenger::call(io, meter, caller, input, is_static),
            Self::BaseToken => {
                let value = request.transfer_value;
                base_token::call(io, meter, caller, input, value, is_static)
            }
            Self::ContractDeployer => Err(HookError::Rejected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::kernel_address;

    #[test]
    fn the_hooks_sit_at_the_snapshots_addresses() {
        assert_eq!(
            V2Hook::at(&kernel_address(0x8008)),
            Some(V2Hook::L1Messenger)
        );
        assert_eq!(
            V2Hook::at(&kernel_address(0x8006)),
            Some(V2Hook::ContractDeployer)
        );
        assert_eq!(V2Hook::at(&kernel_address(0x800a)), Some(V2Hook::BaseToken));
        for low in [0x7001, 0x7002, 0x7100, 0x8001, 0x800f] {
            assert_eq!(V2Hook::at(&kernel_address(low)), None);
        }
    }
}
