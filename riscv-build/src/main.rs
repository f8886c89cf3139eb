//! zkos as a bare-metal `riscv32im` guest.
//!
//! The host writes an input blob to the input region (see [`map`]); the first little-endian
//! `u32` selects the mode:
//! - [`MODE_CALIBRATE`] (1): run one EVM call on an in-memory state ([`calibrate`]);
//! - [`MODE_PROVE`] (2): prove one block from its recorded oracle word stream ([`prove`]).
//!
//! The result goes to the output region and the run ends through the exit device with one of the
//! `EXIT_*` codes below; a panic (including heap exhaustion) ends it with [`EXIT_PANIC`].
#![no_std]
#![no_main]

extern crate alloc;

mod calibrate;
mod input;
mod map;
mod mem;
mod prove;

use core::fmt::Write;
use input::{InputError, Reader};
use talc::locking::AssumeUnlockable;
use talc::{ErrOnOom, Span, Talc, Talck};

/// Mode word: run one EVM call and report ergs and native.
const MODE_CALIBRATE: u32 = 1;
/// Mode word: prove a block and output its public inputs.
const MODE_PROVE: u32 = 2;

/// Exit code: the mode ran and its output is in the output region.
const EXIT_OK: u16 = 0;
/// Exit code: the input blob is malformed.
const EXIT_BAD_INPUT: u16 = 1;
/// Exit code: the mode word is unknown.
const EXIT_UNKNOWN_MODE: u16 = 2;
/// Exit code: the block does not prove (a bad configuration byte or an oracle answer that does
/// not check out).
const EXIT_PROVING_FAILED: u16 = 3;
/// Exit code: the guest panicked (the message is in the output region).
const EXIT_PANIC: u16 = 101;

/// The heap: talc, which grows a block in place when the space after it is free (a growing EVM
/// memory or `Vec` then costs no copy), over the `memory.x` heap section.
///
/// `AssumeUnlockable` skips locking. That is sound here: one hart, interrupts never enabled, so
/// no two allocator calls can overlap.
#[global_allocator]
static HEAP: Talck<AssumeUnlockable, ErrOnOom> = Talc::new(ErrOnOom).lock();

/// Single hart, interrupts never enabled: a critical section needs no locking.
struct SingleHart;
critical_section::set_impl!(SingleHart);

// SAFETY: with one hart and no interrupts nothing can run concurrently with the section.
unsafe impl critical_section::Impl for SingleHart {
    unsafe fn acquire() -> critical_section::RawRestoreState {}
    unsafe fn release(_: critical_section::RawRestoreState) {}
}

/// The default handler writes `mtvec`, a CSR the emulator does not have; no trap is ever taken.
#[riscv_rt::setup_interrupts]
fn setup_interrupts(_hart_id: usize) {}

#[riscv_rt::entry]
fn main() -> ! {
    extern "C" {
        static __sheap: u8;
        static __eheap: u8;
    }
    // SAFETY: `[__sheap, __eheap)` is the heap section of `memory.x`, used by nothing else, and
    // this runs once, before any allocation.
    unsafe {
        let start = core::ptr::addr_of!(__sheap) as usize;
        let end = core::ptr::addr_of!(__eheap) as usize;
        HEAP.lock()
            .claim(Span::from_base_size(start as *mut u8, end - start))
            .expect("the heap section holds talc's metadata");
    }
    let code = match run() {
        Ok(output) => {
            map::write_output(&output);
            EXIT_OK
        }
        Err(Failure::Input(_)) => EXIT_BAD_INPUT,
        Err(Failure::UnknownMode) => EXIT_UNKNOWN_MODE,
        Err(Failure::Prove(_)) => EXIT_PROVING_FAILED,
    };
    map::exit(code)
}

/// Why a run produced no output.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    Input(InputError),
    UnknownMode,
    Prove(prove::ProveFailure),
}

impl From<InputError> for Failure {
    fn from(error: InputError) -> Self {
        Failure::Input(error)
    }
}

fn run() -> Result<alloc::vec::Vec<u8>, Failure> {
    let mut input = Reader::new(map::input().ok_or(InputError::TooLong)?);
    match input.u32()? {
        MODE_CALIBRATE => Ok(calibrate::run(input)?),
        MODE_PROVE => match prove::run(input) {
            Ok(output) => Ok(output),
            Err(prove::ProveFailure::Input(error)) => Err(Failure::Input(error)),
            Err(failure) => Err(Failure::Prove(failure)),
        },
        _ => Err(Failure::UnknownMode),
    }
}

/// Formats into the output region, dropping what does not fit.
struct OutputWriter {
    buffer: [u8; 256],
    len: usize,
}

impl Write for OutputWriter {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let room = self.buffer.len() - self.len;
        let n = s.len().min(room);
        self.buffer[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut writer = OutputWriter {
        buffer: [0; 256],
        len: 0,
    };
    let _ = write!(writer, "panic: {}", info.message());
    if let Some(location) = info.location() {
        let _ = write!(writer, " at {}:{}", location.file(), location.line());
    }
    map::write_output(&writer.buffer[..writer.len]);
    map::exit(EXIT_PANIC)
}
