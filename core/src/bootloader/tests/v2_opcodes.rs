//! Protocol version 2 (upstream ZKsync OS) on opcodes the oracle differential's opcode programs
//! found: an opcode the hardfork does not define yet (`CLZ` under Cancun) and `EXP`,
//! `KECCAK256`, `MCOPY` and the copies on a short stack charge only the step, as upstream's
//! interpreter pops those operands before it charges them
//! (`evm_interpreter/src/instructions/{arithmetic,system,heap,host}.rs`); `EXP` charges its
//! exponent's native before its gas (`arithmetic.rs::eval_exp`, `exp_cost`); `SLOAD` short of its
//! warm read's gas has spent that read's native only (`storage_cache.rs`). Each test compares
//! two frames that differ in one opcode or operand, so the figure is upstream's constant alone.

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

/// Gas for the pushes (6) and `EXP`'s static 10 but not the 50 per exponent byte: upstream has
/// charged 5,000 native per exponent byte first (31 bytes more for 2^256 − 1 than for 1).
#[test]
fn exp_short_of_gas_has_charged_its_exponent_native() {
    let mut one = [0u8; 32];
    one[31] = 1;
    let wide = nested_call_native(&exp_of([0xff; 32]), 65);
    let narrow = nested_call_native(&exp_of(one), 65);
    assert_eq!(wide - narrow, 31 * 5_000);
}

#[test]
fn sload_short_of_the_warm_read_spends_only_its_native() {
    let undefined = nested_call_native(&[0x60, 0x1f, UNDEFINED], 102);
    let sload = nested_call_native(&[0x60, 0x1f, 0x54], 102);
    assert_eq!(sload - undefined, 100 + 4_000);
}
