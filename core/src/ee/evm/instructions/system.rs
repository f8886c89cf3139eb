//! Instructions that leave the frame for another: `CREATE`, `CREATE2`, the calls and
//! `SELFDESTRUCT`. A create or call that can start hands a request to the runner and resumes
//! later with its result; one that fails early (balance, depth, nonce, collision) pushes zero.

use super::system_materialised as materialised;
use super::{
    access_short_of_gas, account_access_gas, charge_gas, expand, expand_to, memory_offset,
    oversize, word_to_address,
};
use crate::bytecode::opcode as op;
use crate::config::Hardfork;
use crate::ee::evm::context::{hand_over, Env, Exit, Step, Yield};
use crate::ee::evm::frame::{
    create2_address, create_address, CallKind, CallRequest, CreateRequest, Frame, FrameEnd, Halt,
    Request,
};
use crate::io::{Io, StateSource};
use crate::primitives::{keccak256, Bytes, B256, U256};
use crate::resources::gas;
use crate::resources::native::ChargingModel;

/// All but one 64th of the frame's gas left (EIP-150), in its ergs. Version 2
/// (`pass_fraction`) takes the 64th in whole gas from the ergs left, so the part of a gas the
/// frame holds (a hook's or precompile's charge leaves one) goes to the child, as upstream's
/// `evm_interpreter/src/gas.rs::apply_63_64_rule` does; a child that burns all it was given (a
/// `CREATE2` collision) then takes that part with it. Version 1 passes whole gas.
#[inline]
fn all_but_one_64th(frame: &Frame, pass_fraction: bool) -> u64 {
    let gas = frame.gas_left();
    if pass_fraction {
        frame.ergs - frame.ergs_per_gas.ergs(gas / 64)
    } else {
        frame.ergs_per_gas.ergs(gas - gas / 64)
    }
}

/// `CREATE` and `CREATE2`.
pub(crate) fn create<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
) -> Step {
    let is_create2 = opcode == op::CREATE2;
    let value = frame.stack.pop();
    let offset = frame.stack.pop();
    let raw_len = frame.stack.pop();
    let salt = if is_create2 {
        B256::from(frame.stack.pop())
    } else {
        B256::ZERO
    };
    // Protocol version 2 refuses a static frame before it touches memory
    // (`evm_interpreter/src/instructions/host.rs::create`); version 1 after charging.
    let upstream_order = io.costs().opcode_native_before_gas;
    if frame.is_static && upstream_order {
        return Err(Halt::StaticStateChange.into());
    }
    let Some(len) = memory_offset(raw_len) else {
        return Err(oversize::range(frame.memory.len(), io, offset, raw_len));
    };
    let offset = expand(frame, io, offset, len)?;
    if len > gas::MAX_INITCODE_SIZE {
        return Err(Halt::InitcodeTooLarge.into());
    }
    let init_words = gas::words(len as u64);
    let mut cost = gas::INITCODE_WORD_GAS * init_words;
    if is_create2 {
        cost += gas::KECCAK256_WORD_GAS * init_words;
    }
    charge_gas(frame, cost)?;
    let init_code = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(offset, len))
    };
    let child_ergs = all_but_one_64th(frame, io.costs().model == ChargingModel::Materialised);
    frame.ergs -= child_ergs;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    frame.return_data = Bytes::new();
    frame.pc += 1;

    let sender = frame.address;
    let sender_account = io.account(&sender);
    let sender_nonce = sender_account.nonce;
    let refused = sender_account.balance < value
        || sender_nonce == u64::MAX
        || frame.depth + 1 > gas::CALL_DEPTH_LIMIT;
    let materialised = io.costs().model == ChargingModel::Materialised;
    if refused && !materialised {
        frame.ergs += child_ergs;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    // Protocol version 2 reads the deployer's nonce through the account cache.
    io.charge_account_read(&sender)?;
    let address = if is_create2 {
        io.charge_native(io.costs().keccak_native(len as u64))?;
        create2_address(&sender, &salt, &keccak256(&init_code))
    } else {
        create_address(&sender, sender_nonce)
    };
    io.access_account(&address)?;
    if materialised && !materialised::deployment_checks(frame, io, &address, value)? {
        frame.ergs += child_ergs;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    let target = io.account(&address);
    let collision = target.nonce != 0 || !target.code.is_empty();
    // Upstream's snapshot does not check the storage of the address (EIP-7610):
    // `evm_interpreter/src/ee_trait_impl.rs::before_executing_frame`.
    if collision || (!materialised && io.has_storage(&address)) {
        io.set_nonce(&sender, sender_nonce + 1)?;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    io.set_nonce(&sender, sender_nonce + 1)?;
    Err(hand_over(
        outbox,
        Yield::Request(Request::Create(CreateRequest {
            kind: if is_create2 {
                CallKind::Create2
            } else {
                CallKind::Create
            },
            caller: sender,
            address,
            value,
            init_code,
            ergs: child_ergs,
        })),
    ))
}

/// `CALL`, `CALLCODE`, `DELEGATECALL`, `STATICCALL`.
pub(crate) fn call<S: StateSource>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    env: &Env,
    outbox: &mut Yield,
) -> Step {
    let has_value = matches!(opcode, op::CALL | op::CALLCODE);
    let gas_requested = frame.stack.pop();
    let to = word_to_address(frame.stack.pop());
    let value = if has_value {
        frame.stack.pop()
    } else {
        U256::ZERO
    };
    let in_offset = frame.stack.pop();
    let raw_in_len = frame.stack.pop();
    let out_offset = frame.stack.pop();
    let raw_out_len = frame.stack.pop();
    // Protocol version 2 refuses a `CALL` with value in a static frame before it touches
    // memory or the callee (`evm_interpreter/src/instructions/host.rs::call_impl`); version 1
    // after charging the call.
    let violation = opcode == op::CALL && frame.is_static && !value.is_zero();
    if violation && io.costs().opcode_native_before_gas {
        return Err(Halt::StaticStateChange.into());
    }
    // Version 2 checks both ranges before it grows memory for either.
    let upstream_order = io.costs().opcode_native_before_gas;
    let narrowed = |offset: U256, len: U256| {
        let len = memory_offset(len)?;
        (len == 0 || !upstream_order || memory_offset(offset).is_some()).then_some(len)
    };
    let (Some(in_len), Some(out_len)) = (
        narrowed(in_offset, raw_in_len),
        narrowed(out_offset, raw_out_len),
    ) else {
        let ranges = [(in_offset, raw_in_len), (out_offset, raw_out_len)];
        return Err(oversize_call_ranges(frame, io, ranges));
    };

    let in_offset = expand(frame, io, in_offset, in_len)?;
    let out_offset = expand(frame, io, out_offset, out_len)?;

    access_short_of_gas(frame, io, &to)?;
    let mut cost = account_access_gas(io.access_account(&to)?);
    let access_gas = cost;
    let mut code_address = to;
    let mut delegated = false;
    if env.hardfork >= Hardfork::Prague {
        if let Some(target) = io.account(&to).code.delegation_target() {
            cost += account_access_gas(io.access_account(&target)?);
            code_address = target;
            delegated = true;
        }
    }
    if !value.is_zero() {
        cost += gas::CALL_VALUE_GAS;
        if opcode == op::CALL {
            let target = io.account(&to);
            if !target.exists || target.is_empty() {
                cost += gas::NEW_ACCOUNT_GAS;
            }
        }
    }
    if frame.ergs_per_gas.ergs(cost) > frame.ergs
        && frame.ergs_per_gas.ergs(access_gas) <= frame.ergs
    {
        // Version 2 reads the callee with its code once the access is paid, before the rest
        // of the call's gas (see `materialised::callee_code_read`).
        materialised::callee_code_read(io, &code_address)?;
    }
    charge_gas(frame, cost)?;
    let available = all_but_one_64th(frame, io.costs().model == ChargingModel::Materialised);
    let requested = u64::try_from(gas_requested)
        .map(|gas| frame.ergs_per_gas.ergs(gas))
        .unwrap_or(u64::MAX);
    let mut child_ergs = requested.min(available);
    frame.ergs -= child_ergs;
    if violation {
        return Err(Halt::StaticStateChange.into());
    }
    if !value.is_zero() {
        child_ergs += frame.ergs_per_gas.ergs(gas::CALL_STIPEND_GAS);
    }
    frame.return_data = Bytes::new();
    frame.pc += 1;

    let too_deep = frame.depth + 1 > gas::CALL_DEPTH_LIMIT;
    if (has_value && io.account(&frame.address).balance < value) || too_deep {
        materialised::refused_call_reads(frame, io, &code_address, value, too_deep)?;
        frame.ergs += child_ergs;
        frame.stack.push(U256::ZERO);
        return Ok(());
    }
    let input = if in_len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(in_offset, in_len))
    };
    let (kind, target, caller, transfer_value, apparent_value, is_static) = match opcode {
        op::CALL => (
            CallKind::Call,
            to,
            frame.address,
            value,
            value,
            frame.is_static,
        ),
        op::CALLCODE => (
            CallKind::CallCode,
            frame.address,
            frame.address,
            value,
            value,
            frame.is_static,
        ),
        op::DELEGATECALL => (
            CallKind::DelegateCall,
            frame.address,
            frame.caller,
            U256::ZERO,
            frame.value,
            frame.is_static,
        ),
        _ => (
            CallKind::StaticCall,
            to,
            frame.address,
            U256::ZERO,
            U256::ZERO,
            true,
        ),
    };
    Err(hand_over(
        outbox,
        Yield::Request(Request::Call(CallRequest {
            kind,
            target,
            code_address,
            delegated,
            caller,
            transfer_value,
            apparent_value,
            input,
            ergs: child_ergs,
            is_static,
            return_memory: (out_offset, out_len),
        })),
    ))
}

/// `SELFDESTRUCT` (EIP-6780: only accounts created in this transaction are deleted).
pub(crate) fn selfdestruct<S: StateSource>(
    frame: &mut Frame,
    io: &mut Io<S>,
    outbox: &mut Yield,
) -> Step {
    let beneficiary = word_to_address(frame.stack.pop());
    if io.costs().model == ChargingModel::Materialised {
        return materialised::selfdestruct(frame, io, outbox, beneficiary);
    }
    let mut cost = 0;
    if io.access_account(&beneficiary)? {
        cost += gas::COLD_ACCOUNT_ACCESS_GAS;
    }
    let balance = io.account(&frame.address).balance;
    let target = io.account(&beneficiary);
    if (!target.exists || target.is_empty()) && !balance.is_zero() {
        cost += gas::NEW_ACCOUNT_GAS;
    }
    charge_gas(frame, cost)?;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    let originator = frame.address;
    if beneficiary != originator {
        io.transfer(&originator, &beneficiary, balance)?;
    }
    io.touch(&beneficiary);
    if io.account(&originator).created_in_tx {
        io.set_balance(&originator, U256::ZERO)?;
        io.mark_selfdestructed(&originator);
    }
    Err(hand_over(
        outbox,
        Yield::End(FrameEnd::Success(Bytes::new())),
    ))
}

/// The halt of a call whose input or output range (offset, length) zkos cannot grow to. Version
/// 2 as upstream (`call_impl`): both ranges are checked for 64 bits (an empty one is skipped),
/// then the input is grown, then the output. Version 1: out of gas.
#[cold]
fn oversize_call_ranges<S: StateSource>(
    frame: &mut Frame,
    io: &mut Io<S>,
    ranges: [(U256, U256); 2],
) -> Exit {
    let fits = |(offset, len): &(U256, U256)| {
        len.is_zero() || (u64::try_from(*offset).is_ok() && u64::try_from(*len).is_ok())
    };
    if !oversize::upstream_sizes(io) || !ranges.iter().all(fits) {
        return Halt::OutOfGas.into();
    }
    for (offset, len) in ranges {
        if len.is_zero() {
            continue;
        }
        match (memory_offset(offset), memory_offset(len)) {
            (Some(offset), Some(len)) => {
                if let Err(exit) = expand_to(frame, io, Some(offset), len) {
                    return exit;
                }
            }
            _ => return oversize::range(frame.memory.len(), io, offset, len),
        }
    }
    Halt::OutOfGas.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::Bytecode;
    use crate::ee::evm::frame::CallKind;
    use crate::io::Checkpoint;
    use crate::primitives::Address;
    use crate::resources::ErgsPerGas;
    use alloc::rc::Rc;

    /// A frame holding `ergs`.
    fn frame_with(ergs: u64) -> Frame {
        let checkpoint = Checkpoint {
            journal_len: 0,
            logs_len: 0,
            messages_len: 0,
        };
        Frame::new(
            CallKind::Call,
            Address::ZERO,
            Address::ZERO,
            Address::ZERO,
            U256::ZERO,
            Bytes::new(),
            false,
            0,
            Rc::new(Bytecode::new(&[])),
            ergs,
            ErgsPerGas::ZK,
            checkpoint,
            crate::ee::evm::stack::Stack::new(),
        )
    }

    /// The ergs a frame left 246 ergs past a whole gas by a hook call (seed 103's contract web,
    /// block 4234878101775403195: a `sendToL1`, then a `CREATE2` that collided and burned what
    /// it was given) passes on: 2,816,575 gas, its 64th 44,008. Version 2 keeps the 246 in the
    /// child's share as upstream does, so the collision burned them and the transaction's gas
    /// used came out one higher than zkos's.
    #[test]
    fn version_2_passes_the_part_of_a_gas_to_the_child() {
        let frame = frame_with(721_043_446);
        assert_eq!(frame.gas_left(), 2_816_575);
        assert_eq!(all_but_one_64th(&frame, true), 721_043_446 - 44_008 * 256);
        assert_eq!(all_but_one_64th(&frame, false), (2_816_575 - 44_008) * 256);
    }
}
