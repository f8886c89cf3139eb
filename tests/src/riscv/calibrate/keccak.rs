//! The `KECCAK256` rows: hashing 32 and 1,024 bytes of memory, against the table's keccak
//! formula (one permutation per 136-byte round).

use super::snippets::{expand_memory, push_u16, pushes, write_memory, WORD_A};
use super::{Case, Class, DeadCode};
use zkos_core::bytecode::opcode as op;

pub(super) fn keccak_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (len, reps) in [(32u16, 300u64), (1024, 100)] {
        let mut prologue = expand_memory(u32::from(len.max(32)));
        prologue.extend(write_memory(0, &WORD_A.repeat(usize::from(len / 32))));
        prologue.extend(pushes(reps, &[push_u16(len), vec![op::PUSH0]]));
        let rounds = u64::from(len) / 136 + 1;
        let note = format!(
            "2,500 + 17,500 × {rounds} rounds = {} (keccak circuit; delegation weight 4)",
            2_500 + 17_500 * rounds
        );
        cases.push(
            DeadCode::new(
                &format!("KECCAK256 {len} B"),
                Class::Delegated,
                reps,
                prologue,
                vec![op::KECCAK256, op::POP],
            )
            .minus(&["POP"])
            .note(note)
            .case(),
        );
    }
    cases
}
