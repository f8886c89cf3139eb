//! Jumpdest analysis: which code offsets are valid `JUMP` targets.

use super::opcode;
use alloc::vec;
use alloc::vec::Vec;

/// One bit per code byte, set where the byte is a `JUMPDEST` opcode (not PUSH data).
/// Bit `i % 8` (LSB first) of byte `i / 8` stands for offset `i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JumpTable {
    bits: Vec<u8>,
}

impl JumpTable {
    /// Analyses `code`.
    pub fn analyze(code: &[u8]) -> Self {
        let mut bits = vec![0u8; code.len().div_ceil(8)];
        let mut pc = 0;
        while pc < code.len() {
            let op = code[pc];
            if op == opcode::JUMPDEST {
                bits[pc / 8] |= 1 << (pc % 8);
            }
            pc += 1 + opcode::immediate_len(op);
        }
        Self { bits }
    }

    /// Whether `offset` is a valid jump destination.
    #[inline]
    pub fn is_valid(&self, offset: usize) -> bool {
        self.bits
            .get(offset / 8)
            .is_some_and(|byte| byte & (1 << (offset % 8)) != 0)
    }

    /// The bitmap bytes (the "artifacts" stored after the code in a ZKsync OS bytecode preimage).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_data_is_not_a_destination() {
        // 0: PUSH2 0x5b5b, 3: JUMPDEST, 4: PUSH1 0x5b, 6: JUMPDEST
        let code = [0x61, 0x5b, 0x5b, 0x5b, 0x60, 0x5b, 0x5b];
        let table = JumpTable::analyze(&code);
        let valid: Vec<usize> = (0..10).filter(|&i| table.is_valid(i)).collect();
        assert_eq!(valid, [3, 6]);
        assert_eq!(table.as_bytes(), &[0b0100_1000]);
    }

    #[test]
    fn truncated_push_at_end() {
        let table = JumpTable::analyze(&[0x7f, 0x5b]);
        assert!(!table.is_valid(1));
    }
}
