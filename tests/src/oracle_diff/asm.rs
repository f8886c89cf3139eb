//! A two-pass EVM assembler for the harness's small helper contracts: opcodes, pushes and
//! labels, so the contracts read as code rather than hex.

use std::collections::BTreeMap;

/// One line of a program.
#[derive(Clone, Debug)]
pub enum Item {
    /// A bare opcode.
    Op(u8),
    /// `PUSHn` of the minimal width holding the value (PUSH1 for zero).
    Push(u64),
    /// `PUSH32` of a full word.
    Word([u8; 32]),
    /// A `JUMPDEST` that `Label` pushes jump to.
    Dest(&'static str),
    /// `PUSH2` of a destination's offset.
    Label(&'static str),
}

/// Opcodes the helper contracts use.
pub mod op {
    pub const STOP: u8 = 0x00;
    pub const ADD: u8 = 0x01;
    pub const SUB: u8 = 0x03;
    pub const LT: u8 = 0x10;
    pub const ISZERO: u8 = 0x15;
    pub const KECCAK256: u8 = 0x20;
    pub const CALLDATALOAD: u8 = 0x35;
    pub const CALLDATASIZE: u8 = 0x36;
    pub const CALLDATACOPY: u8 = 0x37;
    pub const CODECOPY: u8 = 0x39;
    pub const RETURNDATASIZE: u8 = 0x3d;
    pub const RETURNDATACOPY: u8 = 0x3e;
    pub const MLOAD: u8 = 0x51;
    pub const MSTORE: u8 = 0x52;
    pub const SLOAD: u8 = 0x54;
    pub const SSTORE: u8 = 0x55;
    pub const JUMP: u8 = 0x56;
    pub const JUMPI: u8 = 0x57;
    pub const GAS: u8 = 0x5a;
    pub const DUP1: u8 = 0x80;
    pub const DUP2: u8 = 0x81;
    pub const DUP3: u8 = 0x82;
    pub const SWAP1: u8 = 0x90;
    pub const LOG2: u8 = 0xa2;
    pub const CALL: u8 = 0xf1;
    pub const RETURN: u8 = 0xf3;
    pub const REVERT: u8 = 0xfd;
}

const PUSH1: u8 = 0x60;
const PUSH2: u8 = 0x61;
const PUSH32: u8 = 0x7f;
const JUMPDEST: u8 = 0x5b;

/// Assembles `items`. Panics on an unknown label (a bug in a harness contract).
pub fn assemble(items: &[Item]) -> Vec<u8> {
    let mut offsets = BTreeMap::new();
    let mut at = 0usize;
    for item in items {
        if let Item::Dest(name) = item {
            offsets.insert(*name, at);
        }
        at += size(item);
    }
    let mut code = Vec::with_capacity(at);
    for item in items {
        match item {
            Item::Op(op) => code.push(*op),
            Item::Push(value) => {
                let bytes = push_bytes(*value);
                code.push(PUSH1 + bytes.len() as u8 - 1);
                code.extend_from_slice(&bytes);
            }
            Item::Word(word) => {
                code.push(PUSH32);
                code.extend_from_slice(word);
            }
            Item::Dest(_) => code.push(JUMPDEST),
            Item::Label(name) => {
                let offset = offsets[name] as u16;
                code.push(PUSH2);
                code.extend_from_slice(&offset.to_be_bytes());
            }
        }
    }
    code
}

fn push_bytes(value: u64) -> Vec<u8> {
    let be = value.to_be_bytes();
    let first = be.iter().position(|b| *b != 0).unwrap_or(7);
    be[first..].to_vec()
}

fn size(item: &Item) -> usize {
    match item {
        Item::Op(_) | Item::Dest(_) => 1,
        Item::Push(value) => 1 + push_bytes(*value).len(),
        Item::Word(_) => 33,
        Item::Label(_) => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_to_their_jumpdest() {
        // PUSH2 0x0005, JUMP, STOP, JUMPDEST: the label sits after 3 + 1 + 1 bytes.
        let code = assemble(&[
            Item::Label("end"),
            Item::Op(op::JUMP),
            Item::Op(op::STOP),
            Item::Dest("end"),
        ]);
        assert_eq!(code, vec![0x61, 0x00, 0x05, 0x56, 0x00, 0x5b]);
    }

    #[test]
    fn pushes_take_the_minimal_width() {
        assert_eq!(assemble(&[Item::Push(0)]), vec![0x60, 0x00]);
        assert_eq!(assemble(&[Item::Push(0x1234)]), vec![0x61, 0x12, 0x34]);
    }
}
