//! Protocol version 2's shape of `CREATE`/`CREATE2` refusals and `SELFDESTRUCT`, as upstream
//! ZKsync OS runs them (ADI-Stack-zkOS @ 8035ac6f): the reads a refused deployment still makes
//! (`evm_interpreter/src/ee_trait_impl.rs::before_executing_frame`,
//! `basic_bootloader/src/bootloader/runner.rs::read_callee_account_properties`) and the
//! account-cache path of `SELFDESTRUCT` (`evm_interpreter/src/instructions/host.rs`,
//! `basic_system/.../flat_storage_model/account_cache.rs::{mark_for_deconstruction,
//! materialize_element}`).

use super::{charge_gas, is_upstream_precompile};
use crate::ee::evm::context::{hand_over, Step, Yield};
use crate::ee::evm::frame::{Frame, FrameEnd, Halt};
use crate::io::{Io, StateSource};
use crate::primitives::{Address, Bytes, U256};
use crate::resources::gas;

/// The checks a deployment from a frame passes after the new `address` was read: the callee's
/// code is loaded with its properties; the depth limit; then, for a deployment carrying
/// `value`, the deployer's balance is read; a short balance or an exhausted nonce refuses it
/// (the latter once the nonce bump's write is charged).
/// Returns whether the deployment goes on.
pub(super) fn deployment_checks<S: StateSource>(
    frame: &Frame,
    io: &mut Io<S>,
    address: &Address,
    value: U256,
) -> Result<bool, Halt> {
    let out_of_native = |_| Halt::OutOfNative;
    io.charge_code_fetch(address).map_err(out_of_native)?;
    if frame.depth + 1 > gas::CALL_DEPTH_LIMIT {
        return Ok(false);
    }
    let deployer = io.account(&frame.address);
    let (balance, nonce) = (deployer.balance, deployer.nonce);
    if !value.is_zero() {
        io.charge_account_read(&frame.address)
            .map_err(out_of_native)?;
        if balance < value {
            return Ok(false);
        }
    }
    if nonce == u64::MAX {
        // The nonce bump fails after its write was charged (`increment_nonce`).
        io.charge_nonce_overflow(&frame.address)
            .map_err(out_of_native)?;
        return Ok(false);
    }
    Ok(true)
}

/// The code fetch of a call whose frame pays the callee's access but not the rest of the call's
/// gas (value, new account): protocol version 2 reads the callee's properties with its code
/// before the caller's EVM charges that rest (upstream `runner.rs`: `prepare_for_call` runs
/// `read_callee_account_properties` before `calculate_resources_passed_in_external_call`), so
/// the call runs out of gas having fetched the code. Nothing under version 1.
pub(super) fn callee_code_read<S: StateSource>(
    io: &mut Io<S>,
    code_address: &Address,
) -> Result<(), Halt> {
    io.charge_code_fetch(code_address)
        .map_err(|_| Halt::OutOfNative)
}

/// What a call refused for its depth or the caller's balance has still read under protocol
/// version 2: the callee's properties with its code, then (unless too deep) the caller's
/// balance for a call carrying `value`. Nothing under version 1.
pub(super) fn refused_call_reads<S: StateSource>(
    frame: &Frame,
    io: &mut Io<S>,
    code_address: &Address,
    value: U256,
    too_deep: bool,
) -> Result<(), Halt> {
    let out_of_native = |_| Halt::OutOfNative;
    io.charge_code_fetch(code_address).map_err(out_of_native)?;
    if !too_deep && !value.is_zero() {
        io.charge_account_read(&frame.address)
            .map_err(out_of_native)?;
    }
    Ok(())
}

/// `SELFDESTRUCT` under protocol version 2. Gas: no access charge for the originator; for
/// another beneficiary 2,600 when it is cold, and for a precompile 100 the first time the
/// transaction touches it (upstream keeps precompiles out of the warm set and charges the warm
/// read that the opcode otherwise skips); 25,000 when a non-zero balance goes to an empty
/// account. Native: the originator is written, then the transfer is charged even for a zero
/// balance; gas short of the beneficiary's access halts having spent what upstream spends
/// before that access's gas ([`Io::charge_selfdestruct_short_of_gas`]).
pub(super) fn selfdestruct<S: StateSource>(
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
    beneficiary: Address,
) -> Step {
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    let originator = frame.address;
    if beneficiary != originator {
        let untouched = !io.accessed_in_tx(&beneficiary);
        let cold = io.warm_account(&beneficiary);
        let access_gas = if is_upstream_precompile(&beneficiary) {
            if untouched {
                gas::WARM_STORAGE_READ_GAS
            } else {
                0
            }
        } else if cold {
            gas::COLD_ACCOUNT_ACCESS_GAS
        } else {
            0
        };
        if frame.ergs < frame.ergs_per_gas.ergs(access_gas) {
            io.charge_selfdestruct_short_of_gas(&originator)
                .map_err(|_| Halt::OutOfNative)?;
        }
        charge_gas(frame, access_gas)?;
    }
    let target = io.account(&beneficiary);
    let was_empty = target.nonce == 0 && target.code.is_empty() && target.balance.is_zero();
    let deconstructed = io.account(&originator).created_in_tx;
    let moved = io.selfdestruct_transfer(&originator, &beneficiary, deconstructed)?;
    if !moved.is_zero() && was_empty && beneficiary != originator {
        charge_gas(frame, gas::NEW_ACCOUNT_GAS)?;
    }
    io.touch(&beneficiary);
    if deconstructed {
        io.mark_selfdestructed(&originator);
    }
    Err(hand_over(
        outbox,
        Yield::End(FrameEnd::Success(Bytes::new())),
    ))
}
