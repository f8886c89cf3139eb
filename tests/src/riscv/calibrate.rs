//! Per-opcode calibration of the native table against RISC-V instructions.
//!
//! Each case is a pair of EVM programs run in the guest's CALIBRATE mode. Usually both hold the
//! same bytes: a prologue that puts every operand on the stack (and warms memory, slots and
//! precompile accounts), then `reps` copies of the measured body. In the *measured* program the
//! bodies run before the final `STOP`; in the *baseline* they sit after it as dead code. Code
//! size and jumpdest analysis are therefore identical, and `(measured − baseline) / reps` is the
//! cost of one body, both in retired instructions (counted by the emulator) and in native (as
//! charged by the table). Bodies that need a trailing `POP` (or a landing `JUMPDEST`) have that
//! op's own figures subtracted. Memory expansion and loop iterations use program pairs that
//! differ only in immediates instead.

mod create;
mod keccak;
mod pairing;
mod snippets;

use super::emulator::{Emulator, DELEGATION_WEIGHTS};
use super::guest::{self, CalibrateCall, CalibrateError, CallStatus};
use snippets::{
    blake2f_input, bn254_add_input, bn254_mul_input, ecrecover_input, expand_memory, modexp_input,
    push_u16, push_u32, push_u8, push_word, pushes, write_memory, RECIPIENT_WORD, WORD_A, WORD_B,
    WORD_N,
};
use zkos_core::bytecode::opcode as op;
use zkos_core::resources::precompile_native::PRECOMPILE_NATIVE_COSTS_V1 as PRECOMPILE_COSTS;

/// Gas limit of every calibration call: far above what any case uses.
const GAS_LIMIT: u64 = 1_000_000_000;
/// Gas forwarded to each precompile call.
const PRECOMPILE_CALL_GAS: u32 = 0x00ff_ffff;
/// Where precompile inputs are written in memory.
const PRECOMPILE_INPUT_OFFSET: u16 = 0;
/// Where precompile outputs are written in memory.
const PRECOMPILE_OUTPUT_OFFSET: u16 = 0x400;

/// What the table's figure for a case stands for, which decides how it is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Pure computation: the table must upper-bound the measured cycles.
    Compute,
    /// Storage, transient-storage and account access (deployments): the table prices a
    /// proving-time tree/cache model,
    /// not the in-memory map the calibration runs on.
    Storage,
    /// Hashing and precompiles: the table stands for delegated circuits; printed side by side.
    Delegated,
}

/// One calibration case.
#[derive(Clone, Debug)]
pub struct Case {
    /// Row label.
    pub name: String,
    /// How the row is judged.
    pub class: Class,
    /// Number of bodies the measured program runs more than the baseline.
    pub reps: u64,
    /// The program with the bodies executed.
    pub measured: CalibrateCall,
    /// The program with the bodies not executed.
    pub baseline: CalibrateCall,
    /// Rows (by name) whose per-op figures are subtracted from this one.
    pub minus: &'static [&'static str],
    /// For delegated rows: the table's formula for the operation and what it stands for.
    pub note: String,
}

/// One measured row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Row label.
    pub name: String,
    /// How the row is judged.
    pub class: Class,
    /// Bodies measured.
    pub reps: u64,
    /// Retired RISC-V instructions per body.
    pub instructions: f64,
    /// Bigint delegations per body (among the instructions).
    pub bigint_delegations: f64,
    /// Blake2s round delegations per body (among the instructions).
    pub blake_delegations: f64,
    /// Keccak-f\[1600\] delegations per body (among the instructions).
    pub keccak_delegations: f64,
    /// Native the table charged per body.
    pub native: f64,
    /// The table note of the case.
    pub note: String,
}

impl Row {
    /// Delegations per body, in [`DELEGATION_WEIGHTS`] order (bigint, Blake2s round, Keccak-f).
    pub fn delegations(&self) -> [f64; 3] {
        [
            self.bigint_delegations,
            self.blake_delegations,
            self.keccak_delegations,
        ]
    }

    /// Cycles a prover charges per body: instructions plus each delegation's weight
    /// ([`DELEGATION_WEIGHTS`]).
    pub fn effective(&self) -> f64 {
        DELEGATION_WEIGHTS
            .iter()
            .zip(self.delegations())
            .fold(self.instructions, |sum, (weight, count)| {
                sum + weight.cycles as f64 * count
            })
    }

    /// Native charged per effective cycle.
    pub fn ratio(&self) -> f64 {
        self.native / self.effective()
    }

    /// Whether the table charges less than the effective cycles (any class).
    pub fn under_charged(&self) -> bool {
        self.native < self.effective()
    }

    /// The verdict for compute rows: `UNDER` when the table charges less than the effective
    /// cycles, `loose` when it charges more than 3× them, else empty.
    pub fn verdict(&self) -> &'static str {
        if self.class != Class::Compute {
            return "";
        }
        let effective = self.effective();
        if self.native < effective {
            "UNDER"
        } else if self.native > 3.0 * effective {
            "loose >3x"
        } else {
            ""
        }
    }
}

/// Why a case could not be measured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeasureError {
    /// A program did not run to completion in the guest.
    Guest(String, CalibrateError),
    /// A program's call did not succeed.
    CallFailed(String, CallStatus),
    /// A row named in `minus` was not measured before.
    MissingRow(String),
}

fn call(code: Vec<u8>) -> CalibrateCall {
    CalibrateCall {
        gas_limit: GAS_LIMIT,
        code,
        ..CalibrateCall::default()
    }
}

/// `reps` `MSTORE`s, the `i`-th at `start + i * stride` (each one expanding memory by `stride`)
/// against the same `MSTORE`s at offset 0; both programs first grow memory to `start` bytes.
fn expansion_case(name: &str, start: u32, stride: u32, reps: u16) -> Case {
    let program = |fresh: bool| {
        let mut code = warm_memory();
        code.extend(expand_memory(start));
        for index in (0..u32::from(reps)).rev() {
            code.extend(push_word(&WORD_B));
            code.extend(push_u32(if fresh { start + stride * index } else { 0 }));
        }
        code.extend(std::iter::repeat_n(op::MSTORE, reps as usize));
        code.push(op::STOP);
        call(code)
    };
    Case {
        name: name.into(),
        class: Class::Compute,
        reps: u64::from(reps),
        measured: program(true),
        baseline: program(false),
        minus: &[],
        note: String::new(),
    }
}

struct DeadCode {
    name: String,
    class: Class,
    reps: u64,
    prologue: Vec<u8>,
    body: Vec<u8>,
    minus: &'static [&'static str],
    note: String,
}

impl DeadCode {
    fn new(name: &str, class: Class, reps: u64, prologue: Vec<u8>, body: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            class,
            reps,
            prologue,
            body,
            minus: &[],
            note: String::new(),
        }
    }

    fn minus(mut self, rows: &'static [&'static str]) -> Self {
        self.minus = rows;
        self
    }

    fn note(mut self, note: String) -> Self {
        self.note = note;
        self
    }

    fn case(self) -> Case {
        let bodies = self.body.repeat(self.reps as usize);
        let mut live = self.prologue.clone();
        live.extend_from_slice(&bodies);
        live.push(op::STOP);
        let mut dead = self.prologue;
        dead.push(op::STOP);
        dead.extend_from_slice(&bodies);
        Case {
            name: self.name,
            class: self.class,
            reps: self.reps,
            measured: call(live),
            baseline: call(dead),
            minus: self.minus,
            note: self.note,
        }
    }
}

fn stack_cases() -> Vec<Case> {
    let reps = 1000;
    vec![
        DeadCode::new(
            "POP",
            Class::Compute,
            reps,
            pushes(reps, &[vec![op::PUSH0]]),
            vec![op::POP],
        )
        .case(),
        DeadCode::new("PUSH0", Class::Compute, reps, Vec::new(), vec![op::PUSH0]).case(),
        DeadCode::new("PUSH1", Class::Compute, reps, Vec::new(), push_u8(0xa5)).case(),
        DeadCode::new("PUSH2", Class::Compute, reps, Vec::new(), push_u16(0xa5c3)).case(),
        DeadCode::new(
            "PUSH32",
            Class::Compute,
            reps,
            Vec::new(),
            push_word(&WORD_A),
        )
        .case(),
        DeadCode::new(
            "DUP1",
            Class::Compute,
            reps,
            push_word(&WORD_A),
            vec![op::DUP1],
        )
        .case(),
        DeadCode::new(
            "DUP16",
            Class::Compute,
            reps,
            pushes(16, &[push_word(&WORD_A)]),
            vec![op::DUP16],
        )
        .case(),
        DeadCode::new(
            "SWAP1",
            Class::Compute,
            reps,
            pushes(2, &[push_word(&WORD_A)]),
            vec![op::SWAP1],
        )
        .case(),
        DeadCode::new(
            "SWAP16",
            Class::Compute,
            reps,
            pushes(17, &[push_word(&WORD_A)]),
            vec![op::SWAP16],
        )
        .case(),
        DeadCode::new(
            "JUMPDEST",
            Class::Compute,
            reps,
            Vec::new(),
            vec![op::JUMPDEST],
        )
        .case(),
    ]
}

/// `opcode` then `POP`, on fresh operands each time (`operands` pushed per rep, last on top).
fn with_pop(name: &str, opcode: u8, reps: u64, operands: &[Vec<u8>]) -> Case {
    DeadCode::new(
        name,
        Class::Compute,
        reps,
        pushes(reps, operands),
        vec![opcode, op::POP],
    )
    .minus(&["POP"])
    .case()
}

fn arithmetic_cases() -> Vec<Case> {
    let a = push_word(&WORD_A);
    let b = push_word(&WORD_B);
    let n = push_word(&WORD_N);
    let binary = [b.clone(), a.clone()];
    let mut cases = Vec::new();
    for (name, opcode) in [
        ("ADD", op::ADD),
        ("SUB", op::SUB),
        ("MUL", op::MUL),
        ("DIV (256/128 bit)", op::DIV),
        ("SDIV (256/128 bit)", op::SDIV),
        ("MOD (256/128 bit)", op::MOD),
        ("SMOD (256/128 bit)", op::SMOD),
        ("LT", op::LT),
        ("GT", op::GT),
        ("SLT", op::SLT),
        ("SGT", op::SGT),
        ("EQ", op::EQ),
        ("AND", op::AND),
        ("OR", op::OR),
        ("XOR", op::XOR),
    ] {
        cases.push(with_pop(name, opcode, 500, &binary));
    }
    let ternary = [n.clone(), b.clone(), a.clone()];
    cases.push(with_pop("ADDMOD (mod 255 bit)", op::ADDMOD, 300, &ternary));
    cases.push(with_pop("MULMOD (mod 255 bit)", op::MULMOD, 300, &ternary));
    cases.push(with_pop(
        "EXP (1-byte exponent)",
        op::EXP,
        500,
        &[push_u8(0xc5), a.clone()],
    ));
    cases.push(with_pop(
        "EXP (32-byte exponent)",
        op::EXP,
        100,
        &[n.clone(), a.clone()],
    ));
    cases.push(with_pop(
        "ISZERO",
        op::ISZERO,
        1000,
        std::slice::from_ref(&a),
    ));
    cases.push(with_pop("NOT", op::NOT, 1000, std::slice::from_ref(&a)));
    cases.push(with_pop("BYTE", op::BYTE, 500, &[a.clone(), push_u8(17)]));
    cases.push(with_pop(
        "SIGNEXTEND",
        op::SIGNEXTEND,
        500,
        &[a.clone(), push_u8(15)],
    ));
    for (name, opcode) in [("SHL", op::SHL), ("SHR", op::SHR), ("SAR", op::SAR)] {
        cases.push(with_pop(name, opcode, 500, &[a.clone(), push_u8(77)]));
    }
    cases
}

/// Writes one word at offset 0 (memory is one word long after it).
fn warm_memory() -> Vec<u8> {
    let mut out = push_word(&WORD_A);
    out.push(op::PUSH0);
    out.push(op::MSTORE);
    out
}

fn memory_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut prologue = warm_memory();
    prologue.extend(pushes(1000, &[vec![op::PUSH0]]));
    cases.push(
        DeadCode::new(
            "MLOAD",
            Class::Compute,
            1000,
            prologue,
            vec![op::MLOAD, op::POP],
        )
        .minus(&["POP"])
        .case(),
    );
    for (name, opcode) in [("MSTORE", op::MSTORE), ("MSTORE8", op::MSTORE8)] {
        let mut prologue = warm_memory();
        prologue.extend(pushes(500, &[push_word(&WORD_B), vec![op::PUSH0]]));
        cases.push(DeadCode::new(name, Class::Compute, 500, prologue, vec![opcode]).case());
    }
    // Memory expansion: MSTOREs at fresh offsets vs. the same MSTOREs at offset 0, each program
    // first growing memory to the first fresh offset.
    cases.push(expansion_case(
        "memory expansion (per 32-byte word)",
        32,
        32,
        500,
    ));
    cases.push(expansion_case(
        "memory expansion past 1 MiB (per 32-byte word)",
        1 << 20,
        32,
        500,
    ));
    cases.push(expansion_case(
        "memory expansion by 1 KiB (per expansion)",
        32,
        1024,
        100,
    ));
    // CALLDATALOAD at offset 0 of 64 calldata bytes.
    let mut case = with_pop("CALLDATALOAD", op::CALLDATALOAD, 1000, &[vec![op::PUSH0]]);
    case.measured.calldata = [WORD_A, WORD_B].concat();
    case.baseline.calldata = case.measured.calldata.clone();
    cases.push(case);
    // Copies of 256 bytes to memory offset 0 (memory already 256 bytes long).
    let copy_operands = [push_u16(256), vec![op::PUSH0], vec![op::PUSH0]];
    for (name, opcode) in [
        ("CALLDATACOPY 256 B", op::CALLDATACOPY),
        ("CODECOPY 256 B", op::CODECOPY),
        ("MCOPY 256 B", op::MCOPY),
    ] {
        let mut prologue = expand_memory(256);
        prologue.extend(pushes(300, &copy_operands));
        let mut case = DeadCode::new(name, Class::Compute, 300, prologue, vec![opcode]).case();
        case.measured.calldata = WORD_A.repeat(8);
        case.baseline.calldata = case.measured.calldata.clone();
        cases.push(case);
    }
    cases
}

fn control_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    // JUMP / JUMPI (taken) to the JUMPDEST right after each: the prologue pushes the
    // destinations of the measured layout (PUSH2 each, so its length is known up front).
    for (name, opcode, per_rep) in [("JUMP", op::JUMP, 3u16), ("JUMPI (taken)", op::JUMPI, 5)] {
        let reps = 300u16;
        let prologue_len = reps * per_rep;
        let mut prologue = Vec::new();
        for index in (0..reps).rev() {
            if opcode == op::JUMPI {
                prologue.extend(push_u8(1));
            }
            prologue.extend(push_u16(prologue_len + 2 * index + 1));
        }
        cases.push(
            DeadCode::new(
                name,
                Class::Compute,
                u64::from(reps),
                prologue,
                vec![opcode, op::JUMPDEST],
            )
            .minus(&["JUMPDEST"])
            .case(),
        );
    }
    // A counting loop: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 3 JUMPI, run reps + 1 vs 1 times.
    let reps = 1000u16;
    let counting_loop = |iterations: u16| {
        let mut code = push_u16(iterations);
        code.extend([
            op::JUMPDEST,
            op::PUSH1,
            1,
            op::SWAP1,
            op::SUB,
            op::DUP1,
            op::PUSH1,
            3,
        ]);
        code.extend([op::JUMPI, op::STOP]);
        call(code)
    };
    cases.push(Case {
        name: "loop iteration (JUMPDEST PUSH1 SWAP1 SUB DUP1 PUSH1 JUMPI)".into(),
        class: Class::Compute,
        reps: u64::from(reps),
        measured: counting_loop(reps + 1),
        baseline: counting_loop(1),
        minus: &[],
        note: String::new(),
    });
    cases
}

fn storage_cases() -> Vec<Case> {
    let slot = 1u8;
    let mut key = [0u8; 32];
    key[31] = slot;
    let storage = vec![(key, WORD_A)];
    let mut cases = Vec::new();
    // SLOAD of a warm slot (the prologue's first SLOAD pays the cold read).
    let mut prologue = push_u8(slot);
    prologue.extend([op::SLOAD, op::POP]);
    prologue.extend(pushes(1000, &[push_u8(slot)]));
    let mut case = DeadCode::new(
        "SLOAD (warm)",
        Class::Storage,
        1000,
        prologue,
        vec![op::SLOAD, op::POP],
    )
    .minus(&["POP"])
    .case();
    case.measured.storage = storage.clone();
    case.baseline.storage = storage.clone();
    cases.push(case);
    // SSTORE to a warm, already written slot, a new value each time.
    let mut prologue = push_word(&WORD_B);
    prologue.extend(push_u8(slot));
    prologue.push(op::SSTORE);
    for index in (0..500u16).rev() {
        prologue.extend(push_u16(index + 2));
        prologue.extend(push_u8(slot));
    }
    let mut case = DeadCode::new(
        "SSTORE (warm, dirty)",
        Class::Storage,
        500,
        prologue,
        vec![op::SSTORE],
    )
    .case();
    case.measured.storage = storage.clone();
    case.baseline.storage = storage;
    cases.push(case);
    let tload = DeadCode::new(
        "TLOAD",
        Class::Storage,
        1000,
        pushes(1000, &[push_u8(slot)]),
        vec![op::TLOAD, op::POP],
    )
    .minus(&["POP"])
    .case();
    cases.push(tload);
    let tstore = DeadCode::new(
        "TSTORE",
        Class::Storage,
        500,
        pushes(500, &[push_word(&WORD_B), push_u8(slot)]),
        vec![op::TSTORE],
    )
    .case();
    cases.push(tstore);
    // A transfer-like CALL: 1 wei to an existing account without code (warmed by the prologue's
    // first CALL), then POP of the success flag.
    let mut operands = vec![op::PUSH0, op::PUSH0, op::PUSH0, op::PUSH0];
    operands.extend(push_u8(1));
    operands.extend(push_word(&RECIPIENT_WORD));
    operands.extend(push_u32(PRECOMPILE_CALL_GAS));
    let mut prologue = operands.clone();
    prologue.extend([op::CALL, op::POP]);
    prologue.extend(pushes(100, &[operands]));
    let case = DeadCode::new(
        "CALL with value to an account (transfer-like)",
        Class::Storage,
        100,
        prologue,
        vec![op::CALL, op::POP],
    )
    .minus(&["POP"])
    .case();
    cases.push(case);
    cases
}

/// The six STATICCALL operands, last (gas) on top.
fn staticcall_operands(address: u8, input_len: u16, output_len: u16) -> Vec<u8> {
    let mut out = push_u16(output_len);
    out.extend(push_u16(PRECOMPILE_OUTPUT_OFFSET));
    out.extend(push_u16(input_len));
    out.extend(push_u16(PRECOMPILE_INPUT_OFFSET));
    out.extend(push_u8(address));
    out.extend(push_u32(PRECOMPILE_CALL_GAS));
    out
}

fn precompile_case(
    name: &str,
    address: u8,
    input: &[u8],
    output_len: u16,
    reps: u64,
    note: String,
) -> Case {
    let input_len = input.len() as u16;
    let operands = staticcall_operands(address, input_len, output_len);
    let mut prologue = expand_memory(u32::from(PRECOMPILE_OUTPUT_OFFSET) + 0x100);
    prologue.extend(write_memory(PRECOMPILE_INPUT_OFFSET, input));
    // One call in both programs: warms the precompile's account and the call path.
    prologue.extend_from_slice(&operands);
    prologue.extend([op::STATICCALL, op::POP]);
    prologue.extend(pushes(reps, &[operands]));
    DeadCode::new(
        name,
        Class::Delegated,
        reps,
        prologue,
        vec![op::STATICCALL, op::POP],
    )
    .minus(&["POP"])
    .note(note)
    .case()
}

fn precompile_cases() -> Vec<Case> {
    let c = PRECOMPILE_COSTS;
    vec![
        precompile_case(
            "sha256 32 B",
            2,
            &WORD_A,
            32,
            40,
            format!(
                "{} + {} × 1 block = {}",
                c.sha256_base_native,
                c.sha256_per_block_native,
                c.sha256_base_native + c.sha256_per_block_native
            ),
        ),
        precompile_case(
            "ripemd160 32 B",
            3,
            &WORD_A,
            32,
            40,
            format!(
                "{} + {} × 1 block = {}",
                c.ripemd160_base_native,
                c.ripemd160_per_block_native,
                c.ripemd160_base_native + c.ripemd160_per_block_native
            ),
        ),
        precompile_case(
            "identity 32 B",
            4,
            &WORD_A,
            32,
            100,
            format!(
                "{} + {} × 32 B = {}",
                c.identity_base_native,
                c.identity_per_byte_native,
                c.identity_base_native + 32 * c.identity_per_byte_native
            ),
        ),
        precompile_case(
            "ecrecover",
            1,
            &ecrecover_input(),
            32,
            3,
            format!(
                "{} = 350k raw + 43k bigint delegations × 4 (spec)",
                c.ecrecover_native
            ),
        ),
        precompile_case(
            "modexp 32/32/32 B",
            5,
            &modexp_input(),
            32,
            5,
            // EIP-2565: (32/8)² × (8·0 + bits(exp) − 1 = 254) / 3 = 1,354 gas.
            format!(
                "{} per gas × 1,354 gas = {}",
                c.modexp_native_per_gas,
                c.modexp_native_per_gas * 1_354
            ),
        ),
        precompile_case(
            "bn254 add",
            6,
            &bn254_add_input(),
            64,
            10,
            format!("{} (bigint delegations)", c.bn254_add_native),
        ),
        precompile_case(
            "bn254 mul",
            7,
            &bn254_mul_input(),
            64,
            3,
            format!("{} (bigint delegations)", c.bn254_mul_native),
        ),
        precompile_case(
            "blake2f 12 rounds",
            9,
            &blake2f_input(),
            64,
            10,
            format!(
                "{} + {} × 12 = {}",
                c.blake2f_base_native,
                c.blake2f_per_round_native,
                c.blake2f_base_native + 12 * c.blake2f_per_round_native
            ),
        ),
    ]
}

/// Every calibration case, in dependency order (`POP` and `JUMPDEST` before the rows that
/// subtract them).
pub fn cases() -> Vec<Case> {
    let mut all = stack_cases();
    all.extend(arithmetic_cases());
    all.extend(memory_cases());
    all.extend(control_cases());
    all.extend(storage_cases());
    all.extend(keccak::keccak_cases());
    all.extend(create::create_cases());
    all.extend(precompile_cases());
    all.extend(pairing::pairing_cases());
    all
}

/// Instructions, bigint, Blake2s and Keccak delegations, and native of one successful run.
fn run_ok(
    emulator: &Emulator,
    name: &str,
    program: &CalibrateCall,
) -> Result<[f64; 5], MeasureError> {
    let result =
        guest::calibrate(emulator, program).map_err(|e| MeasureError::Guest(name.into(), e))?;
    if result.status != CallStatus::Success {
        return Err(MeasureError::CallFailed(name.into(), result.status));
    }
    Ok([
        result.instructions as f64,
        result.bigint_delegations as f64,
        result.blake_delegations as f64,
        result.keccak_delegations as f64,
        result.native_used as f64,
    ])
}

/// Measures `case`; `earlier` holds the rows measured before (for `minus`).
pub fn measure(emulator: &Emulator, case: &Case, earlier: &[Row]) -> Result<Row, MeasureError> {
    let live = run_ok(emulator, &case.name, &case.measured)?;
    let dead = run_ok(emulator, &case.name, &case.baseline)?;
    let reps = case.reps as f64;
    let [mut instructions, mut bigint_delegations, mut blake_delegations, mut keccak_delegations, mut native] =
        [0, 1, 2, 3, 4].map(|i| (live[i] - dead[i]) / reps);
    for name in case.minus {
        let row = earlier
            .iter()
            .find(|row| row.name == *name)
            .ok_or_else(|| MeasureError::MissingRow((*name).into()))?;
        instructions -= row.instructions;
        bigint_delegations -= row.bigint_delegations;
        blake_delegations -= row.blake_delegations;
        keccak_delegations -= row.keccak_delegations;
        native -= row.native;
    }
    Ok(Row {
        name: case.name.clone(),
        class: case.class,
        reps: case.reps,
        instructions,
        bigint_delegations,
        blake_delegations,
        keccak_delegations,
        native,
        note: case.note.clone(),
    })
}

/// Measures every case of `cases` in order.
pub fn measure_all(emulator: &Emulator, cases: &[Case]) -> Result<Vec<Row>, MeasureError> {
    let mut rows: Vec<Row> = Vec::new();
    for case in cases {
        let row = measure(emulator, case, &rows)?;
        rows.push(row);
    }
    Ok(rows)
}
