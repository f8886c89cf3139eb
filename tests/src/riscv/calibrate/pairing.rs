//! The bn254 pairing check (0x08) with two pairs: what the guest runs for it beside the native
//! the table charges (a base plus a figure per pair).

use super::{precompile_case, Case, PRECOMPILE_COSTS};
use zkos_core::primitives::hex;

/// geth's `bn256Pairing.json` "jeff1": `e(a₁, b₁)·e(a₂, b₂) = 1` (the call returns 1).
const JEFF1: [u8; 384] = hex!(
    "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf704bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550"
    "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
);

/// Pairs in [`JEFF1`].
const PAIRS: u64 = 2;

/// The pairing row.
pub(super) fn pairing_cases() -> Vec<Case> {
    let c = PRECOMPILE_COSTS;
    vec![precompile_case(
        "bn254 pairing, 2 pairs",
        8,
        &JEFF1,
        32,
        1,
        format!(
            "{} + {} × {PAIRS} pairs = {}",
            c.bn254_pairing_base_native,
            c.bn254_pairing_per_pair_native,
            c.bn254_pairing_base_native + PAIRS * c.bn254_pairing_per_pair_native
        ),
    )]
}
