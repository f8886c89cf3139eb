//! Memory operands at their edges: the copies (`CALLDATACOPY`, `CODECOPY`, `RETURNDATACOPY`,
//! `EXTCODECOPY`, `MCOPY`), `KECCAK256`, `LOG0`–`LOG2`, `RETURN`, `REVERT`, the input and output
//! ranges of `CALL` and the initcode range of `CREATE` with lengths and
//! offsets from 0 to 2^256 − 1 (past the memory limit, at 2^32, 2^58 and 2^64), so each runs,
//! runs out of gas, out of native or fails its bounds check where upstream's does.

use super::asm::op;
use super::edge_scripts as script;
use super::generate::{at, Builder, Draft};
use alloy_primitives::U256;

/// Operand values: small, at the edges of memory and of the integer widths.
const EDGES: [(u32, u64); 12] = [
    (0, 0),
    (0, 1),
    (0, 32),
    (0, 1 << 20),
    (0, (128 << 20) + 1),
    (0, 1 << 32),
    (0, 1 << 40),
    (0, 1 << 58),
    (0, u64::MAX),
    (64, 0),
    (128, 0),
    (255, 0),
];

/// The word `2^shift` (`shift` > 0) or `small`.
fn edge_word((shift, small): (u32, u64)) -> [u8; 32] {
    let value = if shift == 0 {
        U256::from(small)
    } else if shift == 255 {
        U256::MAX
    } else {
        U256::from(1u8) << shift as usize
    };
    value.to_be_bytes()
}

impl Builder<'_> {
    /// The operand edge scenario.
    pub(super) fn operand_edge(&mut self) -> Draft {
        let (name, opcode, arity) = self.rng.pick(&[
            ("calldatacopy", op::CALLDATACOPY, 3),
            ("codecopy", op::CODECOPY, 3),
            ("returndatacopy", op::RETURNDATACOPY, 3),
            ("extcodecopy", op::EXTCODECOPY, 4),
            ("mcopy", op::MCOPY, 3),
            ("keccak256", op::KECCAK256, 2),
            ("log0", op::LOG0, 2),
            ("log2", op::LOG2, 4),
            ("return", op::RETURN, 2),
            ("revert", op::REVERT, 2),
            ("call", op::CALL, 7),
            ("create", op::CREATE, 3),
        ]);
        let mut operands: Vec<[u8; 32]> = (0..arity)
            .map(|_| {
                if self.rng.chance(40) {
                    edge_word((0, self.rng.below(100)))
                } else {
                    edge_word(self.rng.pick(&EDGES))
                }
            })
            .collect();
        match opcode {
            op::EXTCODECOPY => operands[0] = at::TOKEN.into_word().0,
            // Gas 100,000 to the identity precompile, no value: the ranges are operands 3 to 6.
            op::CALL => {
                operands[0] = edge_word((0, 100_000));
                operands[1] = edge_word((0, 4));
                operands[2] = edge_word((0, 0));
            }
            // No value: the initcode range is operands 1 and 2.
            op::CREATE => operands[0] = edge_word((0, 0)),
            _ => {}
        }
        let length_at = match opcode {
            op::EXTCODECOPY => 3,
            op::CALL => 4,
            op::KECCAK256 | op::LOG0 | op::LOG2 | op::RETURN | op::REVERT => 1,
            _ => 2,
        };
        let big = U256::from_be_bytes(operands[length_at]) > U256::from(1u64 << 20);
        let kind = format!(
            "operand-edge:{name}{}",
            if big { "-huge-length" } else { "" }
        );
        let code = script::operand_probe(opcode, &operands);
        let to = self.install(code, 0);
        let data_len = self.rng.range(0, 64) as usize;
        Draft::call(&kind, to, self.rng.bytes(data_len)).costs(400_000, 30_000_000, 300)
    }
}
