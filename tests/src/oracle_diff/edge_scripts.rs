//! Scripts for the account, value and precompile edge scenarios ([`super::edge_accounts`],
//! [`super::edge_precompiles`]): like [`super::edge_contracts`], each returns what it saw so the
//! comparison of return data checks the semantics as well as the cost.

use super::asm::{assemble, op, Item};
use alloy_primitives::{Address, B256};

fn address_word(address: &Address) -> Item {
    Item::Word(address.into_word().0)
}

fn save(slot: u64) -> [Item; 2] {
    [Item::Push(slot * 32), Item::Op(op::MSTORE)]
}

/// Memory offset where [`create_then_call`] keeps the initcode.
const INITCODE_AT: u64 = 8 * 32;

/// The call kind and gas of a call into an account created in the same frame.
#[derive(Clone, Debug)]
pub struct ThenCall {
    /// `CALL`, `CALLCODE`, `DELEGATECALL` or `STATICCALL`.
    pub opcode: u8,
    /// Wei sent (`CALL` and `CALLCODE` only).
    pub value: u64,
    /// Gas passed on; `None` passes `GAS`.
    pub gas: Option<u64>,
}

/// `calldata = initcode`: creates with `CREATE` (or `CREATE2` with `salt`) endowing `endowment`,
/// then calls the new address per `call` with 3 bytes of input, and returns `[address, ok,
/// RETURNDATASIZE, GAS, EXTCODESIZE, EXTCODEHASH, BALANCE of the address, SELFBALANCE]`.
pub fn create_then_call(salt: Option<B256>, endowment: u64, call: &ThenCall) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Op(op::CALLDATASIZE),
        Push(0),
        Push(INITCODE_AT),
        Op(op::CALLDATACOPY),
    ];
    if let Some(salt) = salt {
        items.push(Word(salt.0));
    }
    items.extend([Op(op::CALLDATASIZE), Push(INITCODE_AT), Push(endowment)]);
    items.push(Op(if salt.is_some() {
        op::CREATE2
    } else {
        op::CREATE
    }));
    items.extend(save(0));
    items.extend([Push(32), Push(32), Push(3), Push(INITCODE_AT)]);
    if matches!(call.opcode, op::CALL | op::CALLCODE) {
        items.push(Push(call.value));
    }
    items.extend([Push(0), Op(op::MLOAD)]);
    items.push(match call.gas {
        Some(gas) => Push(gas),
        None => Op(op::GAS),
    });
    items.push(Op(call.opcode));
    items.extend(save(1));
    items.push(Op(op::RETURNDATASIZE));
    items.extend(save(2));
    items.push(Op(op::GAS));
    items.extend(save(3));
    for (slot, probe) in [(4, op::EXTCODESIZE), (5, op::EXTCODEHASH), (6, op::BALANCE)] {
        items.extend([Push(0), Op(op::MLOAD), Op(probe)]);
        items.extend(save(slot));
    }
    items.push(Op(op::SELFBALANCE));
    items.extend(save(7));
    items.extend([Push(8 * 32), Push(0), Op(op::RETURN)]);
    assemble(&items)
}

/// Sends `value` to `target` with all gas, then returns one word (reverts with it when
/// `reverts`): whether the inner call succeeded.
pub fn forwarder(target: &Address, value: u64, reverts: bool) -> Vec<u8> {
    use Item::*;
    let mut items = vec![Push(0), Push(0), Push(0), Push(0), Push(value)];
    items.push(address_word(target));
    items.extend([Op(op::GAS), Op(op::CALL)]);
    items.extend(save(0));
    items.extend([
        Push(32),
        Push(0),
        Op(if reverts { op::REVERT } else { op::RETURN }),
    ]);
    assemble(&items)
}

/// Calls `middle` with `value` (it forwards to `target`), then returns `[ok, middle's word,
/// BALANCE of middle, BALANCE of target, SELFBALANCE]`; reverts with them when `reverts`.
pub fn value_chain(middle: &Address, target: &Address, value: u64, reverts: bool) -> Vec<u8> {
    use Item::*;
    let mut items = vec![Push(32), Push(32), Push(0), Push(0), Push(value)];
    items.push(address_word(middle));
    items.extend([Op(op::GAS), Op(op::CALL)]);
    items.extend(save(0));
    for (slot, who) in [(2, middle), (3, target)] {
        items.extend([address_word(who), Op(op::BALANCE)]);
        items.extend(save(slot));
    }
    items.push(Op(op::SELFBALANCE));
    items.extend(save(4));
    items.extend([
        Push(5 * 32),
        Push(0),
        Op(if reverts { op::REVERT } else { op::RETURN }),
    ]);
    assemble(&items)
}

/// How [`precompile_caller`] calls a precompile.
#[derive(Clone, Debug)]
pub struct PrecompileCall {
    /// The precompile.
    pub target: Address,
    /// Input bytes taken from memory at 0 (the calldata, then zeros: inputs longer than the
    /// calldata cost no calldata gas).
    pub in_len: u64,
    /// Gas passed on; `None` passes `GAS`.
    pub gas: Option<u64>,
    /// `STATICCALL` instead of `CALL`.
    pub static_call: bool,
}

/// `calldata = input prefix`: calls per `plan` and returns `[ok, RETURNDATASIZE, GAS]` followed
/// by the first 64 bytes of output (written over the input once the call has read it).
pub fn precompile_caller(plan: &PrecompileCall) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Op(op::CALLDATASIZE),
        Push(0),
        Push(0),
        Op(op::CALLDATACOPY),
        Push(64),
        Push(96),
        Push(plan.in_len),
        Push(0),
    ];
    if !plan.static_call {
        items.push(Push(0));
    }
    items.push(address_word(&plan.target));
    items.push(match plan.gas {
        Some(gas) => Push(gas),
        None => Op(op::GAS),
    });
    items.push(Op(if plan.static_call {
        op::STATICCALL
    } else {
        op::CALL
    }));
    items.extend(save(0));
    items.push(Op(op::RETURNDATASIZE));
    items.extend(save(1));
    items.push(Op(op::GAS));
    items.extend(save(2));
    items.extend([Push(160), Push(0), Op(op::RETURN)]);
    assemble(&items)
}

/// Runs `opcode` once on `operands` (the first is the top of the stack), after a call to the
/// identity precompile that leaves 32 bytes of return data, then returns the word 1 (a frame
/// the opcode halts returns nothing).
pub fn operand_probe(opcode: u8, operands: &[[u8; 32]]) -> Vec<u8> {
    use Item::*;
    let mut items = vec![
        Push(32),
        Push(0),
        Push(32),
        Push(0),
        Push(4),
        Op(op::GAS),
        Op(op::STATICCALL),
        Op(op::POP),
    ];
    items.extend(operands.iter().rev().map(|word| Word(*word)));
    items.push(Op(opcode));
    items.extend([
        Push(1),
        Push(0),
        Op(op::MSTORE),
        Push(32),
        Push(0),
        Op(op::RETURN),
    ]);
    assemble(&items)
}
