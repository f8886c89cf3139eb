//! The guest's memory map and the three places it talks to the host through: the input region,
//! the output region and the exit device. The addresses match `memory.x`; the host side is
//! `tests/src/riscv/emulator.rs`.
//!
//! | address | size | what |
//! |---|---|---|
//! | `0x0010_0000` | 4 B | exit device (QEMU `virt` "test" device layout) |
//! | `0x8000_0000` | 32 MiB | RAM: code, data, 24 MiB heap, stack |
//! | `0x8200_0000` | 16 MiB | input: `u32` LE length, then the bytes |
//! | `0x8300_0000` | 1 MiB | output: `u32` LE length, then the bytes |

/// Start of the input region: a `u32` LE length followed by that many bytes.
pub const INPUT_BASE: usize = 0x8200_0000;
/// Size of the input region, length word included.
pub const INPUT_REGION_BYTES: usize = 16 << 20;
/// Start of the output region: a `u32` LE length followed by that many bytes.
pub const OUTPUT_BASE: usize = 0x8300_0000;
/// Size of the output region, length word included.
pub const OUTPUT_REGION_BYTES: usize = 1 << 20;
/// The exit device: writing `0x5555` ends the run with code 0, `(code << 16) | 0x3333` with
/// `code`.
pub const EXIT_ADDR: usize = 0x0010_0000;

/// Exit value that means success.
const EXIT_PASS: u32 = 0x5555;
/// Low half of an exit value that carries a failure code in its high half.
const EXIT_FAIL: u32 = 0x3333;

/// The input bytes the host wrote, or `None` when the length word exceeds the region.
pub fn input() -> Option<&'static [u8]> {
    // SAFETY: the input region is mapped memory the host fills before the first instruction and
    // nothing writes afterwards; the length is checked against the region before the slice is
    // formed, so the slice stays inside it.
    unsafe {
        let len = core::ptr::read_volatile(INPUT_BASE as *const u32) as usize;
        if len > INPUT_REGION_BYTES - 4 {
            return None;
        }
        Some(core::slice::from_raw_parts(
            (INPUT_BASE + 4) as *const u8,
            len,
        ))
    }
}

/// Writes `bytes` to the output region (its tail is cut to fit the region).
pub fn write_output(bytes: &[u8]) {
    let len = bytes.len().min(OUTPUT_REGION_BYTES - 4);
    // SAFETY: `[OUTPUT_BASE, OUTPUT_BASE + 4 + len)` lies inside the output region, which no Rust
    // object occupies (it is outside RAM in `memory.x`).
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), (OUTPUT_BASE + 4) as *mut u8, len);
        core::ptr::write_volatile(OUTPUT_BASE as *mut u32, len as u32);
    }
}

/// Ends the run with `code` (0 = success).
pub fn exit(code: u16) -> ! {
    let value = if code == 0 {
        EXIT_PASS
    } else {
        (u32::from(code) << 16) | EXIT_FAIL
    };
    // SAFETY: the exit device is a write-only MMIO word; the host stops at the write.
    unsafe { core::ptr::write_volatile(EXIT_ADDR as *mut u32, value) };
    #[allow(clippy::empty_loop)]
    loop {}
}
