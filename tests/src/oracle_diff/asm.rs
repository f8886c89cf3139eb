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

/// Opcode values, from zkos's opcode table.
pub use zkos_core::bytecode::opcode as op;

use op::{JUMPDEST, PUSH1, PUSH2, PUSH32};

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
