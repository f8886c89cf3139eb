//! Runs the riscv-build guest on rrs-lib's RV32IM interpreter: loads the ELF, writes the input
//! region, steps until the guest writes the exit device, and counts retired instructions.
//!
//! The memory map mirrors `riscv-build/src/map.rs` and `riscv-build/memory.x`.

use super::elf::{self, ElfError, Executable};
use rrs_lib::instruction_executor::{InstructionException, InstructionExecutor};
use rrs_lib::{HartState, MemAccessSize, Memory};

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
    /// Instructions retired, the exit store included.
    pub instructions: u64,
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
        Ok(Self { exe })
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
        let value = loop {
            if instructions == max_steps {
                return Err(EmulatorError::StepLimit(instructions));
            }
            on_pc(executor.hart_state.pc);
            let stepped = executor.step();
            instructions += 1;
            if let Err(trap) = stepped {
                return Err(EmulatorError::Trap(describe(&trap), instructions));
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
