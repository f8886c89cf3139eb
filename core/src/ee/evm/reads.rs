//! The state an opcode is about to read, asked of the IO before the opcode runs when the state
//! source may not know it yet (a forked chain fetched on demand). Operands are peeked, never
//! popped, so the frame is untouched: when something is missing the interpreter leaves the loop
//! before the opcode, and running the opcode once the host supplied the values is exact.
//!
//! The checks may ask for more than the opcode ends up reading (an opcode that halts before its
//! state access, a `CREATE` whose sender cannot pay): fetching a value has no effect on
//! execution, only reading it does.

use super::context::Env;
use super::frame::{create2_address, create_address, Frame};
use crate::bytecode::opcode as op;
use crate::config::Hardfork;
use crate::env::BlockHashAt;
use crate::io::{Io, StateSource};
use crate::primitives::{keccak256, Address, B256, U256};
use crate::resources::gas::MAX_INITCODE_SIZE;
use alloc::vec::Vec;

/// Whether everything `opcode` may read from the state is known; records what is missing in
/// `io`. Opcodes that read no state, and operands the opcode will reject, need nothing.
#[inline(never)]
pub(super) fn state_ready<S: StateSource>(
    opcode: u8,
    frame: &Frame,
    io: &mut Io<S>,
    env: &Env,
) -> bool {
    let operands = match opcode {
        op::BALANCE
        | op::EXTCODESIZE
        | op::EXTCODEHASH
        | op::SELFDESTRUCT
        | op::SLOAD
        | op::SSTORE
        | op::BLOCKHASH => 1,
        op::EXTCODECOPY | op::CREATE => 3,
        op::CREATE2 => 4,
        op::DELEGATECALL | op::STATICCALL => 6,
        op::CALL | op::CALLCODE => 7,
        _ => return true,
    };
    if !frame.stack.has(operands) {
        return true;
    }
    let stack = &frame.stack;
    match opcode {
        op::SLOAD | op::SSTORE => io.require_slot(&frame.address, &stack.peek(0)),
        op::BLOCKHASH => match env.block.block_hash_at(stack.peek(0)) {
            BlockHashAt::Source(number) => io.require_block_hash(number),
            BlockHashAt::Known(_) => true,
        },
        op::CALL | op::CALLCODE | op::DELEGATECALL | op::STATICCALL => {
            callee_ready(io, &word_to_address(stack.peek(1)), env.hardfork)
        }
        op::CREATE | op::CREATE2 => match new_address(opcode, frame, io) {
            Some(address) => io.require_account(&address),
            None => io.require_account(&frame.address),
        },
        _ => io.require_account(&word_to_address(stack.peek(0))),
    }
}

/// Whether the account a call enters is known, and from Prague the account its code delegates
/// to (EIP-7702), which the call reads too.
pub(crate) fn callee_ready<S: StateSource>(
    io: &mut Io<S>,
    address: &Address,
    hardfork: Hardfork,
) -> bool {
    if !io.require_account(address) {
        return false;
    }
    if hardfork < Hardfork::Prague {
        return true;
    }
    match io.delegation_of(address) {
        Ok(Some(target)) => io.require_account(&target),
        Ok(None) => true,
        Err(_) => io.require_account(address),
    }
}

/// The address a `CREATE` or `CREATE2` deploys to, when its sender is known and its operands
/// are ones the opcode accepts.
fn new_address<S: StateSource>(opcode: u8, frame: &Frame, io: &mut Io<S>) -> Option<Address> {
    let sender = frame.address;
    if !io.require_account(&sender) {
        return None;
    }
    if opcode == op::CREATE {
        let nonce = io.account(&sender).nonce;
        return (nonce != u64::MAX).then(|| create_address(&sender, nonce));
    }
    let len = usize::try_from(frame.stack.peek(2))
        .ok()
        .filter(|len| *len <= MAX_INITCODE_SIZE)?;
    let init_code = if len == 0 {
        Vec::new()
    } else {
        memory_or_zeros(frame, usize::try_from(frame.stack.peek(1)).ok()?, len)
    };
    let salt = B256::from(frame.stack.peek(3));
    Some(create2_address(&sender, &salt, &keccak256(&init_code)))
}

/// Memory bytes `[offset, offset + len)`, zero past the end of memory (what the opcode reads
/// after expanding it).
fn memory_or_zeros(frame: &Frame, offset: usize, len: usize) -> Vec<u8> {
    let mut bytes = alloc::vec![0u8; len];
    let memory = frame.memory.as_slice();
    if let Some(available) = memory.get(offset..) {
        let n = available.len().min(len);
        bytes[..n].copy_from_slice(&available[..n]);
    }
    bytes
}

fn word_to_address(word: U256) -> Address {
    Address::from_word(B256::from(word))
}
