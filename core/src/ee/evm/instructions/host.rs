//! Instructions that read or change the state through the IO: accounts (`BALANCE`,
//! `EXTCODESIZE`, `EXTCODECOPY`, `EXTCODEHASH`, `SELFBALANCE`), storage (`SLOAD`, `SSTORE`),
//! transient storage (`TLOAD`, `TSTORE`) and events (`LOG0` .. `LOG4`).

use super::{
    access_account, b256_to_word, charge_copy, charge_gas, expand, memory_offset, oversize,
    tail_from, word_to_address,
};
use crate::bytecode::opcode as op;
use crate::bytecode::static_gas;
use crate::ee::evm::context::Step;
use crate::ee::evm::frame::{Frame, Halt};
use crate::ee::evm::tracer::Tracer;
use crate::io::{Io, Log, StateSource, StorageWrite};
use crate::primitives::{Bytes, B256, U256};
use crate::resources::gas;
use alloc::vec::Vec;

/// `BALANCE`.
#[inline(always)]
pub(crate) fn balance<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let address = word_to_address(frame.stack.pop());
    access_account(frame, io, &address)?;
    frame.stack.push(io.account(&address).balance);
    Ok(())
}

/// `EXTCODESIZE`.
#[inline(always)]
pub(crate) fn extcodesize<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let address = word_to_address(frame.stack.pop());
    access_account(frame, io, &address)?;
    frame
        .stack
        .push(U256::from(io.account(&address).code.len()));
    Ok(())
}

/// `EXTCODECOPY`.
#[inline(always)]
pub(crate) fn extcodecopy<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let address = word_to_address(frame.stack.pop());
    let dest = frame.stack.pop();
    let offset = frame.stack.pop();
    let raw_len = frame.stack.pop();
    // Protocol version 2 grows memory, reads the account, fetches its bytecode whatever the
    // length, then charges the copy with the opcode's own native
    // (`evm_interpreter/src/instructions/host.rs::extcodecopy`); version 1 charges the copy
    // first.
    let upstream_order = io.costs().opcode_native_before_gas;
    if upstream_order {
        oversize::refund_own_native(io, op::EXTCODECOPY);
    }
    let Some(len) = memory_offset(raw_len) else {
        return Err(oversize::range(frame.memory.len(), io, dest, raw_len));
    };
    if !upstream_order {
        charge_copy(frame, io, len)?;
    }
    let dest = expand(frame, io, dest, len)?;
    access_account(frame, io, &address)?;
    io.charge_code_fetch(&address)?;
    if upstream_order {
        io.charge_native(oversize::own_native(io, op::EXTCODECOPY))?;
        charge_copy(frame, io, len)?;
    }
    if len > 0 {
        let code = io.account(&address).code.clone();
        frame
            .memory
            .store_padded(dest, len, tail_from(code.bytes(), offset));
    }
    Ok(())
}

/// `EXTCODEHASH`: zero for an account that does not exist or is empty (EIP-1052, EIP-161).
#[inline(always)]
pub(crate) fn extcodehash<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) -> Step {
    let address = word_to_address(frame.stack.pop());
    access_account(frame, io, &address)?;
    let account = io.account(&address);
    let hash = if !account.exists || account.is_empty() {
        U256::ZERO
    } else {
        b256_to_word(account.code.hash())
    };
    frame.stack.push(hash);
    Ok(())
}

/// `SELFBALANCE`.
#[inline(always)]
pub(crate) fn selfbalance<S: StateSource>(frame: &mut Frame, io: &mut Io<S>) {
    let balance = io.account(&frame.address).balance;
    frame.stack.push(balance);
}

/// `SLOAD` (EIP-2929 cold and warm costs).
#[inline(always)]
pub(crate) fn sload<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    tracer: &mut T,
) -> Step {
    let key = frame.stack.pop();
    // Version 2 charges the warm read's native and gas first, native first, and reads the slot
    // only then (upstream `storage_cache.rs::materialize_element`): short of the warm read's
    // gas, the read's native is spent and the slot is not touched.
    if io.costs().opcode_native_before_gas {
        if frame.ergs < frame.ergs_per_gas.ergs(gas::WARM_STORAGE_READ_GAS) {
            io.charge_native(io.costs().warm_storage_read_native)?;
            return Err(Halt::OutOfGas.into());
        }
        // Short of the cold read's gas, upstream has charged the warm read and the cold
        // part's native (native before gas) and failed before the slot enters the block's
        // cache: a later read pays the first read again.
        if frame.ergs < frame.ergs_per_gas.ergs(gas::COLD_SLOAD_GAS)
            && !io.is_slot_warm(&frame.address, &key)
        {
            io.sload_short_of_cold_gas(&frame.address, &key)?;
            return Err(Halt::OutOfGas.into());
        }
    }
    let access = io.sload(&frame.address, &key)?;
    charge_gas(
        frame,
        if access.cold {
            gas::COLD_SLOAD_GAS
        } else {
            gas::WARM_STORAGE_READ_GAS
        },
    )?;
    tracer.storage_read(&frame.address, &key, &access.value, false);
    frame.stack.push(access.value);
    Ok(())
}

/// `SSTORE` (EIP-2200 with EIP-2929 access costs and EIP-3529 refunds).
pub(crate) fn sstore<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    tracer: &mut T,
) -> Step {
    // A static frame fails before any storage access is charged (upstream
    // `evm_interpreter/src/instructions/host.rs::sstore` checks it first, as revm does).
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    if frame.ergs <= frame.ergs_per_gas.ergs(gas::SSTORE_STIPEND_GAS) {
        return Err(Halt::OutOfGas.into());
    }
    let key = frame.stack.pop();
    let new = frame.stack.pop();
    let address = frame.address;
    io.sstore(&address, &key, new, |write: &StorageWrite| -> Step {
        let StorageWrite {
            original,
            present: current,
            cold,
        } = *write;
        let mut cost = if cold { gas::COLD_SLOAD_GAS } else { 0 };
        cost += if original == current && current != new {
            if original.is_zero() {
                gas::SSTORE_SET_GAS
            } else {
                gas::SSTORE_RESET_GAS
            }
        } else {
            gas::WARM_STORAGE_READ_GAS
        };
        if current != new {
            if !original.is_zero() && !current.is_zero() && new.is_zero() {
                frame.refund += gas::SSTORE_CLEARS_SCHEDULE_REFUND;
            }
            if !original.is_zero() && current.is_zero() {
                frame.refund -= gas::SSTORE_CLEARS_SCHEDULE_REFUND;
            }
            if original == new {
                frame.refund += if original.is_zero() {
                    (gas::SSTORE_SET_GAS - gas::WARM_STORAGE_READ_GAS) as i64
                } else {
                    (gas::SSTORE_RESET_GAS - gas::WARM_STORAGE_READ_GAS) as i64
                };
            }
        }
        charge_gas(frame, cost)?;
        Ok(())
    })?;
    tracer.storage_write(&frame.address, &key, &new, false);
    Ok(())
}

/// `TLOAD` (EIP-1153).
#[inline(always)]
pub(crate) fn tload<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    tracer: &mut T,
) -> Step {
    let key = frame.stack.pop();
    let value = io.tload(&frame.address, &key)?;
    tracer.storage_read(&frame.address, &key, &value, true);
    frame.stack.push(value);
    Ok(())
}

/// `TSTORE` (EIP-1153).
#[inline(always)]
pub(crate) fn tstore<S: StateSource, T: Tracer>(
    frame: &mut Frame,
    io: &mut Io<S>,
    tracer: &mut T,
) -> Step {
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    let key = frame.stack.pop();
    let value = frame.stack.pop();
    io.tstore(&frame.address, &key, value)?;
    tracer.storage_write(&frame.address, &key, &value, true);
    Ok(())
}

/// `LOG0` .. `LOG4`: the data bytes in gas (topics are static), the event in native; under
/// [`crate::resources::native::NativeCostTable::log_gas_with_event`] all the gas after the
/// memory expansion and the event's native.
#[inline(always)]
pub(crate) fn log<S: StateSource, T: Tracer>(
    opcode: u8,
    frame: &mut Frame,
    io: &mut Io<S>,
    tracer: &mut T,
) -> Step {
    let topics = (opcode - op::LOG0) as usize;
    if frame.is_static {
        return Err(Halt::StaticStateChange.into());
    }
    let offset = frame.stack.pop();
    let raw_len = frame.stack.pop();
    let Some(len) = memory_offset(raw_len) else {
        return Err(oversize::range(frame.memory.len(), io, offset, raw_len));
    };
    let mut topic_list = Vec::with_capacity(topics);
    for _ in 0..topics {
        topic_list.push(B256::from(frame.stack.pop()));
    }
    let data_gas = gas::LOG_DATA_BYTE_GAS * len as u64;
    let with_event = io.costs().log_gas_with_event;
    if !with_event {
        charge_gas(frame, data_gas)?;
    }
    let offset = expand(frame, io, offset, len)?;
    let data = if len == 0 {
        Bytes::new()
    } else {
        Bytes::copy_from_slice(frame.memory.slice(offset, len))
    };
    let log = Log {
        address: frame.address,
        topics: topic_list,
        data,
    };
    if with_event {
        io.charge_native(io.costs().event_native(topics as u64, len as u64))?;
        let static_gas = static_gas::LOG_GAS + static_gas::LOG_TOPIC_GAS * topics as u64;
        charge_gas(frame, static_gas + data_gas)?;
        tracer.log(&log);
        io.log_free(log);
    } else {
        tracer.log(&log);
        io.log(log)?;
    }
    Ok(())
}
