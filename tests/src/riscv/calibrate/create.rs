//! `CREATE` and `CREATE2` with the largest init code (48 KiB, EIP-3860): what the guest does
//! per deployment (copying and analysing the init code; `CREATE2` also hashes it once for the
//! address) beside what the table charges. The init code is all zeros, so each constructor
//! stops at once and deploys empty code; every deployment goes to a fresh address.

use super::snippets::{expand_memory, push_u16, push_u8};
use super::{Case, Class, DeadCode};
use zkos_core::bytecode::opcode as op;
use zkos_core::resources::gas::MAX_INITCODE_SIZE;

/// Deployments measured per row.
const REPS: u8 = 4;

/// The largest init code, in bytes (49,152).
fn init_len() -> u16 {
    u16::try_from(MAX_INITCODE_SIZE).unwrap_or(u16::MAX)
}

/// Memory grown over the init code, then each deployment's operands (last on top): for
/// `CREATE2` a salt (the deployment's index), then size, offset 0 and value 0.
fn prologue(create2: bool) -> Vec<u8> {
    let mut code = expand_memory(u32::from(init_len()));
    for index in 0..REPS {
        if create2 {
            code.extend(push_u8(index));
        }
        code.extend(push_u16(init_len()));
        code.extend(push_u8(0));
        code.extend(push_u8(0));
    }
    code
}

/// The two rows.
pub(super) fn create_cases() -> Vec<Case> {
    let row = |name: &str, create2: bool, opcode: u8| {
        DeadCode::new(
            name,
            Class::Storage,
            u64::from(REPS),
            prologue(create2),
            vec![opcode, op::POP],
        )
        .minus(&["POP"])
        .case()
    };
    vec![
        row("CREATE, 48 KiB init code", false, op::CREATE),
        row("CREATE2, 48 KiB init code", true, op::CREATE2),
    ]
}
