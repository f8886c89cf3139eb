//! Storage and transient storage: EIP-2200 / EIP-2929 / EIP-3529 gas and refunds, native IO.
//!
//! Native of storage IO (protocol version 1): a cached read 4,000; a write 4,000 + 1,000; the
//! first read of a slot in the block one Merkle path (121,120) if the slot exists in the tree,
//! two (242,240) if not; the first write additionally 121,120 (existing) or 3 × 121,120 =
//! 363,360 (new). SLOAD/SSTORE opcodes 120, TLOAD/TSTORE 120 + 4,000 each.

use super::harness::{decommit_native, Call, TARGET};
use crate::ee::evm::{FrameEnd, Halt};
use crate::primitives::{hex, U256};

/// EIP-3529's SSTORE test table (warm slot): code, gas used, refund, original value.
const EIP3529_CASES: &[(&str, u64, i64, u64)] = &[
    ("60006000556000600055", 212, 0, 0),
    ("60006000556001600055", 20112, 0, 0),
    ("60016000556000600055", 20112, 19900, 0),
    ("60016000556002600055", 20112, 0, 0),
    ("60016000556001600055", 20112, 0, 0),
    ("60006000556000600055", 3012, 4800, 1),
    ("60006000556001600055", 3012, 2800, 1),
    ("60006000556002600055", 3012, 0, 1),
    ("60026000556000600055", 3012, 4800, 1),
    ("60026000556003600055", 3012, 0, 1),
    ("60026000556001600055", 3012, 2800, 1),
    ("60026000556002600055", 3012, 0, 1),
    ("60016000556000600055", 3012, 4800, 1),
    ("60016000556002600055", 3012, 0, 1),
    ("60016000556001600055", 212, 0, 1),
    ("600160005560006000556001600055", 40118, 19900, 0),
    ("600060005560016000556000600055", 5918, 7600, 1),
];

fn sstore_call(code: &[u8], original: u64) -> Call {
    let mut call = Call::to_code(code);
    call.state
        .set_storage(TARGET, U256::ZERO, U256::from(original));
    call
}

#[test]
fn eip3529_sstore_table_warm() {
    for (code_hex, gas, refund, original) in EIP3529_CASES {
        let code = hex::decode(code_hex).unwrap();
        let mut call = sstore_call(&code, *original);
        call.warm_slots.push(U256::ZERO);
        let out = call.run();
        assert_eq!(out.outcome.end, FrameEnd::Success(Default::default()));
        assert_eq!(out.outcome.refund, *refund, "refund of {code_hex}");
        // Native: PUSH1 70 each, SSTORE 120 each, the implicit STOP 20; every SSTORE writes
        // (5,000); the first write of the block adds the tree read (warming by an access list
        // reads nothing, so the first real access pays it: one path if the slot exists, two if
        // not) and the tree-write extra.
        let sstores = (code.len() / 5) as u64;
        let (read, write_extra) = if *original == 0 {
            (242_240, 363_360)
        } else {
            (121_120, 121_120)
        };
        let native =
            decommit_native(code.len()) + sstores * (140 + 120 + 5_000) + 20 + read + write_extra;
        out.assert_cost(*gas, native);
        // The final value is the last one written.
        let last = U256::from(code[code.len() - 4]);
        let changed = out
            .storage
            .iter()
            .find(|(a, k, _, _)| *a == TARGET && k.is_zero());
        if last == U256::from(*original) {
            assert!(changed.is_none(), "{code_hex}");
        } else {
            assert_eq!(changed.map(|c| c.3), Some(last), "{code_hex}");
        }
    }
}

#[test]
fn eip3529_sstore_table_cold_adds_2100_gas_and_a_tree_read() {
    for (code_hex, gas, refund, original) in EIP3529_CASES {
        let code = hex::decode(code_hex).unwrap();
        let out = sstore_call(&code, *original).run();
        assert_eq!(out.outcome.refund, *refund, "refund of {code_hex}");
        // As the warm case, plus EIP-2929's 2,100 for the cold first access and the first
        // read of the slot from the tree (one path if the slot exists, two if not).
        let sstores = (code.len() / 5) as u64;
        let (read, write_extra) = if *original == 0 {
            (242_240, 363_360)
        } else {
            (121_120, 121_120)
        };
        let native =
            decommit_native(code.len()) + sstores * (140 + 120 + 5_000) + 20 + read + write_extra;
        out.assert_cost(gas + 2_100, native);
    }
}

#[test]
fn sstore_needs_more_than_the_stipend() {
    // PUSH1 0, PUSH1 0, SSTORE on a warm zero slot: costs 100 but needs > 2,300 gas left.
    let code = [0x60, 0, 0x60, 0, 0x55];
    let mut call = sstore_call(&code, 0);
    call.warm_slots.push(U256::ZERO);
    call.gas = 2_306; // 2,300 left at the SSTORE
    let out = call.run();
    assert_eq!(out.outcome.end, FrameEnd::Halt(Halt::OutOfGas));
    assert_eq!(out.outcome.ergs_left, 0);

    let mut call = sstore_call(&code, 0);
    call.warm_slots.push(U256::ZERO);
    call.gas = 2_307; // 2,301 left: passes the check, pays 100
    let out = call.run();
    assert_eq!(out.outcome.end, FrameEnd::Success(Default::default()));
    assert_eq!(out.ergs_used, 106 * 256);
}

#[test]
fn sload_cold_then_warm() {
    // Slot 0 = 5. PUSH1 0, SLOAD (cold 2,100), PUSH1 0, SLOAD (warm 100), ADD, then STOP:
    // gas 3+2,100+3+100+3 = 2,209; native 70+120+121,120 (tree read of an existing slot) +
    // 70+120+4,000 + 60 + 20.
    let code = [0x60, 0, 0x54, 0x60, 0, 0x54, 0x01];
    let out = sstore_call(&code, 5).run();
    out.assert_cost(2_209, decommit_native(7) + 125_580);
    // An absent slot costs two paths on the first read.
    let out = Call::to_code(&code[..3]).run();
    out.assert_cost(2_103, decommit_native(3) + 70 + 120 + 242_240 + 20);
}

#[test]
fn transient_storage() {
    // PUSH1 0x2a, PUSH1 1, TSTORE, PUSH1 1, TLOAD, then RETURN_TOP:
    // gas 3+3+100+3+100; native 70+70+120+4,000+70+120+4,000.
    let out = super::harness::word(
        &[0x60, 0x2a, 0x60, 1, 0x5d, 0x60, 1, 0x5c],
        U256::from(0x2a),
        209,
        8_450,
    );
    // Transient storage is not storage.
    assert!(out.storage.is_empty());
    // A different key reads zero.
    super::harness::word(
        &[0x60, 0x2a, 0x60, 1, 0x5d, 0x60, 2, 0x5c],
        U256::ZERO,
        209,
        8_450,
    );
}
