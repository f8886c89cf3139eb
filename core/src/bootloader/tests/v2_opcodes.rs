//! Protocol version 2 (upstream ZKsync OS) on opcodes the oracle differential's opcode programs
//! found: an opcode the hardfork does not define yet (`CLZ` under Cancun) and `EXP`,
//! `KECCAK256`, `MCOPY` and the copies on a short stack charge only the step, as upstream's
//! interpreter pops those operands before it charges them
//! (`evm_interpreter/src/instructions/{arithmetic,system,heap,host}.rs`); `EXP` charges its
//! exponent's native before its gas (`arithmetic.rs::eval_exp`, `exp_cost`); short of their
//! static gas, `EXP`, `TLOAD`, `TSTORE`, the copies and `KECCAK256` have spent the native
//! upstream charges with that gas (`io_subsystem.rs`, `gas.rs::copy_cost`, `system.rs::sha3`);
//! `SLOAD` short of its warm read's gas has spent that read's native only (`storage_cache.rs`).
//! Each test compares two frames that differ in one opcode or operand, so the figure is
//! upstream's constant alone; the oracle gives the same differences for the same frames.

use super::v2_edges::nested_call_native;

/// An undefined byte: halts at once, charging the step.
const UNDEFINED: u8 = 0x0c;
/// `PUSH0`.
const PUSH0: u8 = 0x5f;

#[test]
fn clz_before_osaka_costs_what_an_undefined_byte_costs() {
    assert_eq!(
        nested_call_native(&[0x1e], 1_000),
        nested_call_native(&[UNDEFINED], 1_000)
    );
}

#[test]
fn opcodes_upstream_pops_first_charge_only_the_step_on_a_short_stack() {
    let undefined = nested_call_native(&[PUSH0, UNDEFINED], 1_000);
    // EXP, KECCAK256, CALLDATACOPY, CODECOPY, EXTCODECOPY, RETURNDATACOPY, MCOPY.
    for opcode in [0x0a, 0x20, 0x37, 0x39, 0x3c, 0x3e, 0x5e] {
        assert_eq!(
            nested_call_native(&[PUSH0, opcode], 1_000),
            undefined,
            "opcode {opcode:#04x}"
        );
    }
    // ADD charges, then pops: its 140 (`ADD_NATIVE_COST`) is spent.
    assert_eq!(nested_call_native(&[PUSH0, 0x01], 1_000) - undefined, 140);
}

/// `PUSH32 exponent, PUSH1 2, EXP`.
fn exp_of(exponent: [u8; 32]) -> alloc::vec::Vec<u8> {
    let mut code = alloc::vec![0x7f];
    code.extend_from_slice(&exponent);
    code.extend_from_slice(&[0x60, 0x02, 0x0a]);
    code
}

/// Gas for the pushes (6) and `EXP`'s static 10 but not the 50 per exponent byte, and gas short
/// of the static 10: upstream has charged 5,000 native per exponent byte either way (31 bytes
/// more for 2^256 − 1 than for 1).
#[test]
fn exp_short_of_gas_has_charged_its_exponent_native() {
    let mut one = [0u8; 32];
    one[31] = 1;
    for gas in [65, 15] {
        let wide = nested_call_native(&exp_of([0xff; 32]), gas);
        let narrow = nested_call_native(&exp_of(one), gas);
        assert_eq!(wide - narrow, 31 * 5_000, "gas {gas}");
    }
}

/// `PUSH1 1, PUSH1 0x1f, TSTORE` or `PUSH1 0x1f, TLOAD`, given gas for the pushes and 99 more:
/// short of the 100 the access charges with its 4,000 native (`WARM_TSTORAGE_*_NATIVE_COST`),
/// beside the opcode's own 100.
#[test]
fn transient_access_short_of_gas_has_charged_its_native() {
    let undefined = nested_call_native(&[0x60, 0x01, 0x60, 0x1f, UNDEFINED], 105);
    let tstore = nested_call_native(&[0x60, 0x01, 0x60, 0x1f, 0x5d], 105);
    assert_eq!(tstore - undefined, 100 + 4_000);
    let undefined = nested_call_native(&[0x60, 0x1f, UNDEFINED], 102);
    let tload = nested_call_native(&[0x60, 0x1f, 0x5c], 102);
    assert_eq!(tload - undefined, 100 + 4_000);
}

/// `PUSH1 len, PUSH0, PUSH0, CALLDATACOPY` (or `CODECOPY`, `RETURNDATACOPY`, `MCOPY`) with 2 gas
/// left for its static 3: upstream has charged the copy's native, 80 + 1 per byte, with its gas.
/// A length past 64 bits fails before any of it, the copy's own native too.
#[test]
fn copy_short_of_its_static_gas_has_charged_the_copy_native() {
    for opcode in [0x37, 0x39, 0x3e, 0x5e] {
        let copy = |len: u8| nested_call_native(&[0x60, len, PUSH0, PUSH0, opcode], 3 + 2 + 2 + 2);
        assert_eq!(copy(200) - copy(10), 190, "opcode {opcode:#04x}");
        assert_eq!(copy(10) - copy(0), 10, "opcode {opcode:#04x}");
    }
    let mut wide = alloc::vec![0x7f];
    wide.extend_from_slice(&[0xff; 32]);
    wide.extend_from_slice(&[PUSH0, PUSH0, 0x37]);
    let mut undefined = wide.clone();
    *undefined.last_mut().unwrap() = UNDEFINED;
    assert_eq!(
        nested_call_native(&wide, 3 + 2 + 2 + 2),
        nested_call_native(&undefined, 3 + 2 + 2 + 2)
    );
}

#[test]
fn sload_short_of_the_warm_read_spends_only_its_native() {
    let undefined = nested_call_native(&[0x60, 0x1f, UNDEFINED], 102);
    let sload = nested_call_native(&[0x60, 0x1f, 0x54], 102);
    assert_eq!(sload - undefined, 100 + 4_000);
}

/// `PUSH1 len, PUSH0, KECCAK256` with 29 gas left for its static 30: upstream has grown the
/// memory (35 + 1 per byte) and charged the hashing (2,500 + 17,500 a round) before the gas
/// fails: 200 bytes (7 words, 2 rounds) against 10 (1 word, 1 round) is 192 + 17,500 more. An
/// empty range charges the opcode's own 90 alone.
#[test]
fn keccak_short_of_its_static_gas_has_grown_memory_and_hashed() {
    let hash = |len: u8| nested_call_native(&[0x60, len, PUSH0, 0x20], 3 + 2 + 29);
    assert_eq!(hash(200) - hash(10), 192 + 17_500);
    let undefined = nested_call_native(&[0x60, 0x00, PUSH0, UNDEFINED], 3 + 2 + 29);
    assert_eq!(hash(0) - undefined, 90);
}
