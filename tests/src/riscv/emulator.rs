//! Runs the riscv-build guest on rrs-lib's RV32IM interpreter: loads the ELF, writes the input
//! region, steps until the guest writes the exit device, and counts retired instructions.
//!
//! The memory map mirrors `riscv-build/src/map.rs` and `riscv-build/memory.x`. Besides RV32IM
//! the machine has the prover's bigint delegation and a division-advice source, two CSR
//! instructions decoded here before rrs-lib sees them; their ABI is documented once, in
//! `zkos_core::bigint::abi`. It also has the prover's Blake2s-round and Keccak-f\[1600\]
//! delegations (`hash`; ABIs in `zkos_core::hash::{blake2s_abi, keccak_abi}`).

mod hash;

use super::elf::{self, ElfError, Executable};
use alloy_primitives::{U256, U512};
use rrs_lib::instruction_executor::{InstructionException, InstructionExecutor};
use rrs_lib::{HartState, MemAccessSize, Memory};
use zkos_core::bigint::abi;
use zkos_core::hash::{blake2s_abi, keccak_abi};

pub use hash::HashLie;

/// Start of RAM (code, data, heap, stack).
pub const RAM_BASE: u32 = 0x8000_0000;
/// Size of RAM.
pub const RAM_BYTES: u32 = 32 << 20;
/// Start of the input region: `u32` LE length, then the bytes.
pub const INPUT_BASE: u32 = 0x8200_0000;
/// Size of the input region, length word included.
pub const INPUT_REGION_BYTES: u32 = 16 << 20;
/// Start of the output region: `u32` LE length, then the bytes.
pub const OUTPUT_BASE: u32 = 0x8300_0000;
/// Size of the output region, length word included.
pub const OUTPUT_REGION_BYTES: u32 = 1 << 20;
/// The exit device (QEMU `virt` "test" device layout).
pub const EXIT_ADDR: u32 = 0x0010_0000;

/// Everything from RAM to the end of the output region is one flat array.
const FLAT_BYTES: u32 = OUTPUT_BASE + OUTPUT_REGION_BYTES - RAM_BASE;

/// Why a run did not end through the exit device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmulatorError {
    /// The ELF could not be parsed.
    Elf(ElfError),
    /// A segment lies outside RAM.
    SegmentOutsideRam(u32),
    /// The input does not fit the input region.
    InputTooLarge(usize),
    /// The guest trapped (illegal instruction, access or alignment fault), at this many retired
    /// instructions.
    Trap(String, u64),
    /// The guest ran for the step limit without exiting.
    StepLimit(u64),
    /// The exit device got a value that is neither pass nor fail.
    BadExitValue(u32),
    /// The output region's length word exceeds the region.
    BadOutputLength(u32),
}

/// The result of one guest run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Exit code (0 = success).
    pub exit_code: u32,
    /// The bytes of the output region.
    pub output: Vec<u8>,
    /// Instructions retired, the exit store and the CSR instructions included.
    pub instructions: u64,
    /// Bigint delegations among them.
    pub bigint_delegations: u64,
    /// Division-advice requests among them.
    pub advice_requests: u64,
    /// Blake2s round delegations among them (ten per compression).
    pub blake_delegations: u64,
    /// Keccak-f\[1600\] delegations among them (one per permutation).
    pub keccak_delegations: u64,
}

/// A delegation the prover charges beyond its own instruction: its name, its weight and how
/// many of it a run made.
pub struct DelegationWeight {
    /// Short name, for tables.
    pub name: &'static str,
    /// Cycles a prover charges per delegation, beside the instruction's own cycle.
    pub cycles: u64,
    /// How many delegations of this kind a run made.
    pub count: fn(&Run) -> u64,
}

/// Every delegation of the machine with its prover weight (the spec's `native = raw +
/// 4·bigint + 16·blake`, plus keccak's: one permutation counts as upstream's 649 calls weighted
/// 4, so 3,244 beside its instruction): adding a delegation is one line here.
pub const DELEGATION_WEIGHTS: &[DelegationWeight] = &[
    DelegationWeight {
        name: "bigint",
        cycles: abi::BIGINT_DELEGATION_CYCLES,
        count: |run| run.bigint_delegations,
    },
    DelegationWeight {
        name: "blake",
        cycles: blake2s_abi::BLAKE2S_ROUND_DELEGATION_CYCLES,
        count: |run| run.blake_delegations,
    },
    DelegationWeight {
        name: "keccak",
        cycles: keccak_abi::KECCAK_PERMUTATION_DELEGATION_CYCLES,
        count: |run| run.keccak_delegations,
    },
];

impl Run {
    /// Cycles a prover charges: each instruction one, each delegation its weight more
    /// ([`DELEGATION_WEIGHTS`]).
    pub fn effective_cycles(&self) -> u64 {
        DELEGATION_WEIGHTS
            .iter()
            .fold(self.instructions, |sum, weight| {
                sum + weight.cycles * (weight.count)(self)
            })
    }
}

/// How the host answers division-advice requests. The lies keep `q·d + r ≡ n (mod 2²⁵⁶)` or
/// even `q·d + r = n`, so only a guest that also checks the overflows and `r < d` catches them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Advice {
    /// The true quotient and remainder.
    #[default]
    Honest,
    /// `q + 1` and `r − d` (mod 2²⁵⁶).
    QuotientPlusOne,
    /// `q − 1` and `r + d` (mod 2²⁵⁶).
    QuotientMinusOne,
}

/// Integer register numbers of the CSR ABI's operands.
const REG_A0: usize = 10;
const REG_A1: usize = 11;
const REG_A2: usize = 12;
const REG_A3: usize = 13;
/// RISC-V `SYSTEM` major opcode and the `funct3` of `csrrw` and `csrrwi`.
const OPCODE_SYSTEM: u32 = 0x73;
const FUNCT3_CSRRW: u32 = 1;
const FUNCT3_CSRRWI: u32 = 5;

/// One of the two CSR instructions the machine implements itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CsrCall {
    /// `csrrwi rd, BIGINT_CSR, op`.
    Bigint { rd: usize, op: u32 },
    /// `csrrw x0, ADVICE_CSR, x0` (register fields ignored).
    Advice,
    /// `csrrw x0, BLAKE2S_CSR, x0` (register fields ignored).
    Blake2sRound,
    /// `csrrw x0, KECCAK_CSR, x0` (register fields ignored).
    Keccak,
}

/// Decodes `insn` if it is one of the machine's own CSR instructions.
fn csr_call(insn: u32) -> Option<CsrCall> {
    if insn & 0x7f != OPCODE_SYSTEM {
        return None;
    }
    let csr = (insn >> 20) as u16;
    let funct3 = (insn >> 12) & 7;
    let rd = ((insn >> 7) & 0x1f) as usize;
    let immediate = (insn >> 15) & 0x1f;
    match (csr, funct3) {
        (abi::BIGINT_CSR, FUNCT3_CSRRWI) => Some(CsrCall::Bigint { rd, op: immediate }),
        (abi::ADVICE_CSR, FUNCT3_CSRRW) => Some(CsrCall::Advice),
        (blake2s_abi::BLAKE2S_CSR, FUNCT3_CSRRW) => Some(CsrCall::Blake2sRound),
        (keccak_abi::KECCAK_CSR, FUNCT3_CSRRW) => Some(CsrCall::Keccak),
        _ => None,
    }
}

/// The result of one bigint delegation: the new operand A (if the op writes it) and the flag.
pub fn bigint_op(op: u32, a: U256, b: U256) -> Option<(Option<U256>, bool)> {
    let product = || -> U512 { a.widening_mul(b) };
    let half = |wide: U512, high: bool| {
        let limbs = wide.as_limbs();
        U256::from_limbs_slice(if high { &limbs[4..] } else { &limbs[..4] })
    };
    Some(match op {
        abi::OP_ADD => {
            let (sum, carry) = a.overflowing_add(b);
            (Some(sum), carry)
        }
        abi::OP_SUB => {
            let (difference, borrow) = a.overflowing_sub(b);
            (Some(difference), borrow)
        }
        abi::OP_SUB_REVERSED => {
            let (difference, borrow) = b.overflowing_sub(a);
            (Some(difference), borrow)
        }
        abi::OP_MUL_LOW => {
            let wide = product();
            (Some(half(wide, false)), !half(wide, true).is_zero())
        }
        abi::OP_MUL_HIGH => (Some(half(product(), true)), false),
        abi::OP_EQ => (None, a == b),
        abi::OP_LT => (None, a < b),
        _ => return None,
    })
}

/// The advice for `n / d` (`n` of 512 bits): `[q, r]` as `lie` shapes it, or `None` when the
/// request breaks the ABI (`d = 0` or a quotient wider than 256 bits).
pub fn division_advice(n: U512, d: U256, lie: Advice) -> Option<[U256; 2]> {
    if d.is_zero() {
        return None;
    }
    let wide_d = U512::from(d);
    let quotient = n / wide_d;
    let remainder = U256::from_limbs_slice(&(n % wide_d).as_limbs()[..4]);
    if quotient.bit_len() > 256 {
        return None;
    }
    let quotient = U256::from_limbs_slice(&quotient.as_limbs()[..4]);
    Some(match lie {
        Advice::Honest => [quotient, remainder],
        Advice::QuotientPlusOne => [
            quotient.wrapping_add(U256::from(1)),
            remainder.wrapping_sub(d),
        ],
        Advice::QuotientMinusOne => [
            quotient.wrapping_sub(U256::from(1)),
            remainder.wrapping_add(d),
        ],
    })
}

/// Flat RAM + input + output, and the exit device.
struct Machine {
    flat: Vec<u8>,
    exit: Option<u32>,
}

impl Machine {
    fn index(&self, addr: u32, len: u32) -> Option<usize> {
        let offset = addr.checked_sub(RAM_BASE)?;
        (offset.checked_add(len)? <= FLAT_BYTES).then_some(offset as usize)
    }
}

fn access_len(size: MemAccessSize) -> u32 {
    match size {
        MemAccessSize::Byte => 1,
        MemAccessSize::HalfWord => 2,
        MemAccessSize::Word => 4,
    }
}

impl Machine {
    /// The 32 little-endian bytes at `addr` (4-byte aligned) as a word.
    fn load_word(&self, addr: u32) -> Result<U256, String> {
        let at = self.word_index(addr, 32)?;
        Ok(U256::from_le_slice(&self.flat[at..at + 32]))
    }

    fn store_word(&mut self, addr: u32, value: U256) -> Result<(), String> {
        let at = self.word_index(addr, 32)?;
        self.flat[at..at + 32].copy_from_slice(&value.to_le_bytes::<32>());
        Ok(())
    }

    fn word_index(&self, addr: u32, len: u32) -> Result<usize, String> {
        if !addr.is_multiple_of(4) {
            return Err(format!("misaligned CSR operand at {addr:#010x}"));
        }
        self.index(addr, len)
            .ok_or_else(|| format!("CSR operand outside RAM at {addr:#010x}"))
    }

    /// Runs bigint op `op` on the operands `a0` and `a1` point at; the flag goes to `rd`.
    fn bigint(&mut self, registers: &mut [u32; 32], rd: usize, op: u32) -> Result<(), String> {
        let (a_at, b_at) = (registers[REG_A0], registers[REG_A1]);
        let a = self.load_word(a_at)?;
        let b = self.load_word(b_at)?;
        let (result, flag) =
            bigint_op(op, a, b).ok_or_else(|| format!("unknown bigint op {op}"))?;
        if let Some(result) = result {
            self.store_word(a_at, result)?;
        }
        if rd != 0 {
            registers[rd] = u32::from(flag);
        }
        Ok(())
    }

    /// Answers a division-advice request.
    fn advice(&mut self, registers: &[u32; 32], lie: Advice) -> Result<(), String> {
        let low = self.load_word(registers[REG_A0])?;
        let high = self.load_word(registers[REG_A1])?;
        let d = self.load_word(registers[REG_A2])?;
        let out_at = registers[REG_A3];
        let n = (U512::from(high) << 256) | U512::from(low);
        let [quotient, remainder] = division_advice(n, d, lie)
            .ok_or_else(|| format!("division advice outside its contract: {n:#x} / {d:#x}"))?;
        self.word_index(out_at, 64)?;
        self.store_word(out_at, quotient)?;
        self.store_word(out_at + 32, remainder)
    }
}

impl Memory for Machine {
    fn read_mem(&mut self, addr: u32, size: MemAccessSize) -> Option<u32> {
        let len = access_len(size);
        let at = self.index(addr, len)?;
        let mut word = [0u8; 4];
        word[..len as usize].copy_from_slice(&self.flat[at..at + len as usize]);
        Some(u32::from_le_bytes(word))
    }

    fn write_mem(&mut self, addr: u32, size: MemAccessSize, value: u32) -> bool {
        let len = access_len(size);
        if addr == EXIT_ADDR && len == 4 {
            self.exit = Some(value);
            return true;
        }
        let Some(at) = self.index(addr, len) else {
            return false;
        };
        self.flat[at..at + len as usize].copy_from_slice(&value.to_le_bytes()[..len as usize]);
        true
    }
}

/// A loaded guest executable, ready to run on any number of inputs.
pub struct Emulator {
    exe: Executable,
    advice: Advice,
    hash_lie: HashLie,
}

impl Emulator {
    /// Parses `elf_bytes` and checks that every segment lies in RAM.
    pub fn new(elf_bytes: &[u8]) -> Result<Self, EmulatorError> {
        let exe = elf::parse(elf_bytes).map_err(EmulatorError::Elf)?;
        for segment in &exe.segments {
            let end =
                u64::from(segment.address) + segment.data.len() as u64 + u64::from(segment.zeros);
            if segment.address < RAM_BASE || end > u64::from(RAM_BASE + RAM_BYTES) {
                return Err(EmulatorError::SegmentOutsideRam(segment.address));
            }
        }
        Ok(Self {
            exe,
            advice: Advice::Honest,
            hash_lie: HashLie::Honest,
        })
    }

    /// The same executable with division advice answered as `advice` says.
    pub fn with_advice(mut self, advice: Advice) -> Self {
        self.advice = advice;
        self
    }

    /// The same executable with hash delegations answered as `lie` says.
    pub fn with_hash_lie(mut self, lie: HashLie) -> Self {
        self.hash_lie = lie;
        self
    }

    /// Runs the guest on `input` for at most `max_steps` instructions.
    pub fn run(&self, input: &[u8], max_steps: u64) -> Result<Run, EmulatorError> {
        self.run_observed(input, max_steps, |_| {})
    }

    /// [`Self::run`], calling `on_pc` with the PC of every instruction before it executes.
    pub fn run_observed(
        &self,
        input: &[u8],
        max_steps: u64,
        mut on_pc: impl FnMut(u32),
    ) -> Result<Run, EmulatorError> {
        if input.len() + 4 > INPUT_REGION_BYTES as usize {
            return Err(EmulatorError::InputTooLarge(input.len()));
        }
        let mut machine = Machine {
            flat: vec![0; FLAT_BYTES as usize],
            exit: None,
        };
        for segment in &self.exe.segments {
            let at = (segment.address - RAM_BASE) as usize;
            machine.flat[at..at + segment.data.len()].copy_from_slice(&segment.data);
        }
        let input_at = (INPUT_BASE - RAM_BASE) as usize;
        machine.flat[input_at..input_at + 4].copy_from_slice(&(input.len() as u32).to_le_bytes());
        machine.flat[input_at + 4..input_at + 4 + input.len()].copy_from_slice(input);

        let mut hart = HartState::new();
        hart.pc = self.exe.entry;
        let mut executor = InstructionExecutor {
            hart_state: &mut hart,
            mem: &mut machine,
        };
        let mut instructions = 0u64;
        let mut bigint_delegations = 0u64;
        let mut advice_requests = 0u64;
        let [mut blake_delegations, mut keccak_delegations] = [0u64; 2];
        let value = loop {
            if instructions == max_steps {
                return Err(EmulatorError::StepLimit(instructions));
            }
            let pc = executor.hart_state.pc;
            on_pc(pc);
            let call = executor
                .mem
                .read_mem(pc, MemAccessSize::Word)
                .and_then(csr_call);
            instructions += 1;
            let handled = match call {
                Some(CsrCall::Bigint { rd, op }) => {
                    bigint_delegations += 1;
                    Some(
                        executor
                            .mem
                            .bigint(&mut executor.hart_state.registers, rd, op),
                    )
                }
                Some(CsrCall::Advice) => {
                    advice_requests += 1;
                    Some(
                        executor
                            .mem
                            .advice(&executor.hart_state.registers, self.advice),
                    )
                }
                Some(CsrCall::Blake2sRound) => {
                    blake_delegations += 1;
                    let registers = &mut executor.hart_state.registers;
                    Some(executor.mem.blake2s_round(registers, self.hash_lie))
                }
                Some(CsrCall::Keccak) => {
                    keccak_delegations += 1;
                    let registers = &executor.hart_state.registers;
                    Some(executor.mem.keccak(registers, self.hash_lie))
                }
                None => None,
            };
            match handled {
                Some(Ok(())) => executor.hart_state.pc = pc.wrapping_add(4),
                Some(Err(message)) => {
                    return Err(EmulatorError::Trap(
                        format!("{message} at {pc:#010x}"),
                        instructions,
                    ))
                }
                None => {
                    if let Err(trap) = executor.step() {
                        return Err(EmulatorError::Trap(describe(&trap), instructions));
                    }
                }
            }
            if let Some(value) = executor.mem.exit {
                break value;
            }
        };
        let exit_code = match value {
            0x5555 => 0,
            v if v & 0xffff == 0x3333 => v >> 16,
            v => return Err(EmulatorError::BadExitValue(v)),
        };
        let output_at = (OUTPUT_BASE - RAM_BASE) as usize;
        let mut len_word = [0u8; 4];
        len_word.copy_from_slice(&machine.flat[output_at..output_at + 4]);
        let len = u32::from_le_bytes(len_word);
        if len > OUTPUT_REGION_BYTES - 4 {
            return Err(EmulatorError::BadOutputLength(len));
        }
        let output = machine.flat[output_at + 4..output_at + 4 + len as usize].to_vec();
        Ok(Run {
            exit_code,
            output,
            instructions,
            bigint_delegations,
            advice_requests,
            blake_delegations,
            keccak_delegations,
        })
    }
}

fn describe(trap: &InstructionException) -> String {
    match trap {
        InstructionException::IllegalInstruction(pc, bits) => {
            format!("illegal instruction {bits:#010x} at {pc:#010x}")
        }
        InstructionException::FetchError(pc) => format!("fetch fault at {pc:#010x}"),
        InstructionException::LoadAccessFault(addr) => format!("load fault at {addr:#010x}"),
        InstructionException::StoreAccessFault(addr) => format!("store fault at {addr:#010x}"),
        InstructionException::AlignmentFault(addr) => format!("misaligned access at {addr:#010x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Little-endian 32-bit limbs of `x`.
    fn limbs(x: U256) -> [u32; 8] {
        let bytes = x.to_le_bytes::<32>();
        core::array::from_fn(|i| u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap()))
    }

    fn word(limbs: &[u32]) -> U256 {
        let bytes: Vec<u8> = limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
        U256::from_le_slice(&bytes)
    }

    /// Schoolbook a + b on 32-bit limbs: the sum and the carry out.
    fn reference_add(a: U256, b: U256) -> (U256, bool) {
        let (a, b) = (limbs(a), limbs(b));
        let mut out = [0u32; 8];
        let mut carry = 0u64;
        for i in 0..8 {
            let s = u64::from(a[i]) + u64::from(b[i]) + carry;
            out[i] = s as u32;
            carry = s >> 32;
        }
        (word(&out), carry == 1)
    }

    /// Schoolbook a − b on 32-bit limbs: the difference and the borrow out.
    fn reference_sub(a: U256, b: U256) -> (U256, bool) {
        let (a, b) = (limbs(a), limbs(b));
        let mut out = [0u32; 8];
        let mut borrow = 0i64;
        for i in 0..8 {
            let d = i64::from(a[i]) - i64::from(b[i]) - borrow;
            out[i] = d as u32;
            borrow = i64::from(d < 0);
        }
        (word(&out), borrow == 1)
    }

    /// Schoolbook a · b on 32-bit limbs: the low and high halves.
    fn reference_mul(a: U256, b: U256) -> (U256, U256) {
        let (a, b) = (limbs(a), limbs(b));
        let mut out = [0u32; 16];
        for i in 0..8 {
            let mut carry = 0u64;
            for j in 0..8 {
                let t = u64::from(a[i]) * u64::from(b[j]) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            out[i + 8] = carry as u32;
        }
        (word(&out[..8]), word(&out[8..]))
    }

    /// Most significant limb first comparison.
    fn reference_lt(a: U256, b: U256) -> bool {
        let (a, b) = (limbs(a), limbs(b));
        (0..8).rev().map(|i| a[i].cmp(&b[i])).find(|o| o.is_ne()) == Some(core::cmp::Ordering::Less)
    }

    /// Edge values (0, 1, MAX, 2^255, a single limb full, carries across every limb) and
    /// pseudo-random words from a fixed xorshift sequence.
    fn vectors() -> Vec<U256> {
        let mut out = vec![
            U256::ZERO,
            U256::from(1),
            U256::MAX,
            U256::from(1) << 255,
            (U256::from(1) << 255) - U256::from(1),
            U256::from(u32::MAX),
            U256::from(u64::MAX),
        ];
        // 2^(32k) − 1 and 2^(32k): adding 1 to the first carries across k limbs.
        for k in 1..8 {
            out.push((U256::from(1) << (32 * k)) - U256::from(1));
            out.push(U256::from(1) << (32 * k));
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..40 {
            let mut limbs = [0u32; 8];
            for limb in &mut limbs {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *limb = state as u32;
            }
            // Vary the width so products and quotients of every size occur.
            let keep = (state % 9) as usize;
            limbs[keep..].fill(0);
            out.push(word(&limbs));
        }
        out
    }

    #[test]
    fn only_the_machines_csr_instructions_are_intercepted() {
        // csrrwi rd, csr, uimm = csr << 20 | uimm << 15 | 5 << 12 | rd << 7 | 0x73:
        // csrrwi a5, 0x7ca, 3 (MUL_LOW) = 0x7ca1_d7f3.
        assert_eq!(
            csr_call(0x7ca1_d7f3),
            Some(CsrCall::Bigint {
                rd: 15,
                op: abi::OP_MUL_LOW
            })
        );
        // csrrw x0, 0x7c0, x0 = 0x7c0 << 20 | 1 << 12 | 0x73.
        assert_eq!(csr_call(0x7c00_1073), Some(CsrCall::Advice));
        // csrrw x0, 0x7c7, x0 and csrrw x0, 0x7cb, x0: the Blake2s round and Keccak-f CSRs.
        assert_eq!(csr_call(0x7c70_1073), Some(CsrCall::Blake2sRound));
        assert_eq!(csr_call(0x7cb0_1073), Some(CsrCall::Keccak));
        assert_eq!(csr_call(0x7c7f_d073), None);
        // csrrw on the bigint CSR, csrrwi on the advice CSR, csrrs, ecall and an ADDI are not.
        assert_eq!(csr_call(0x7ca0_1073), None);
        assert_eq!(csr_call(0x7c01_d7f3), None);
        assert_eq!(csr_call(0x7ca0_2073), None);
        assert_eq!(csr_call(0x0000_0073), None);
        assert_eq!(csr_call(0x7ca1_d793), None);
    }

    #[test]
    fn bigint_ops_match_schoolbook_limb_arithmetic() {
        let values = vectors();
        let mut checked = 0;
        for &a in &values {
            for &b in &values {
                let (sum, carry) = reference_add(a, b);
                assert_eq!(bigint_op(abi::OP_ADD, a, b), Some((Some(sum), carry)));
                let (difference, borrow) = reference_sub(a, b);
                assert_eq!(
                    bigint_op(abi::OP_SUB, a, b),
                    Some((Some(difference), borrow))
                );
                let (reversed, reversed_borrow) = reference_sub(b, a);
                assert_eq!(
                    bigint_op(abi::OP_SUB_REVERSED, a, b),
                    Some((Some(reversed), reversed_borrow))
                );
                let (low, high) = reference_mul(a, b);
                assert_eq!(
                    bigint_op(abi::OP_MUL_LOW, a, b),
                    Some((Some(low), high != U256::ZERO))
                );
                assert_eq!(bigint_op(abi::OP_MUL_HIGH, a, b), Some((Some(high), false)));
                assert_eq!(
                    bigint_op(abi::OP_EQ, a, b),
                    Some((None, limbs(a) == limbs(b)))
                );
                assert_eq!(
                    bigint_op(abi::OP_LT, a, b),
                    Some((None, reference_lt(a, b)))
                );
                checked += 1;
            }
        }
        assert_eq!(checked, values.len() * values.len());
        assert_eq!(bigint_op(abi::OP_LT + 1, U256::ZERO, U256::ZERO), None);
        // Hand-checked: MAX + 1 carries out of all eight limbs; 0 − 1 borrows into MAX;
        // MAX · MAX = 2^512 − 2^257 + 1, so low = 1 and high = MAX − 1.
        let max = U256::MAX;
        let one = U256::from(1);
        assert_eq!(
            bigint_op(abi::OP_ADD, max, one),
            Some((Some(U256::ZERO), true))
        );
        assert_eq!(
            bigint_op(abi::OP_SUB, U256::ZERO, one),
            Some((Some(max), true))
        );
        assert_eq!(
            bigint_op(abi::OP_MUL_LOW, max, max),
            Some((Some(one), true))
        );
        assert_eq!(
            bigint_op(abi::OP_MUL_HIGH, max, max),
            Some((Some(max - one), false))
        );
    }

    #[test]
    fn division_advice_is_exact_and_the_lies_keep_the_modular_identity() {
        let values = vectors();
        for &high in &values {
            for &low in &values {
                for &d in &values {
                    let n = (U512::from(high) << 256) | U512::from(low);
                    let answer = division_advice(n, d, Advice::Honest);
                    if d.is_zero() || high >= d {
                        assert_eq!(answer, None);
                        continue;
                    }
                    let [q, r] = answer.unwrap();
                    assert!(r < d);
                    assert_eq!(U512::from(q) * U512::from(d) + U512::from(r), n);
                    // A lie still satisfies q·d + r ≡ n (mod 2^256) but breaks r < d or
                    // the exact 512-bit identity.
                    for lie in [Advice::QuotientPlusOne, Advice::QuotientMinusOne] {
                        let [lq, lr] = division_advice(n, d, lie).unwrap();
                        assert_eq!(lq.wrapping_mul(d).wrapping_add(lr), low);
                        let exact = U512::from(lq) * U512::from(d) + U512::from(lr) == n && lr < d;
                        assert!(!exact);
                    }
                }
            }
        }
        // Hand-checked: (2^256 + 7) / 3 = (2^256 − 1)/3 + 2 + 2/3 → q = MAX/3 + 2, r = 2.
        let n = (U512::from(1) << 256) + U512::from(7);
        let three = U256::from(3);
        assert_eq!(
            division_advice(n, three, Advice::Honest),
            Some([U256::MAX / three + U256::from(2), U256::from(2)])
        );
    }
}
