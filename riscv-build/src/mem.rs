//! `memcpy`, `memmove`, `memset` and `memcmp`/`bcmp` for the guest: 32-bit words, eight per loop
//! step for copies and fills, one for comparisons (hash-map keys: addresses and slots).
//!
//! They take the place of compiler-builtins' portable versions, which are weak symbols and move
//! one word per loop step. Every EVM memory copy (`CALLDATACOPY`, `CODECOPY`, `MCOPY`, return
//! data) and every `Vec` growth runs through them; `make riscv-calibrate` measures a 256-byte
//! `CALLDATACOPY` at 674 guest instructions with the portable versions and prints the figure with
//! these.
//!
//! Accesses are volatile so that LLVM does not recognise the loops as copies and turn them back
//! into calls to these very functions; a volatile `lw` or `sw` is still one instruction.

use core::ptr::{read_volatile, write_volatile};

/// Bytes per machine word.
const WORD: usize = 4;
/// Bytes per unrolled loop step (eight words).
const BLOCK: usize = 8 * WORD;
/// Below this many bytes, copies and fills go byte by byte.
const SMALL: usize = 16;

/// Copies `n` bytes from `src` to `dest`; the regions must not overlap.
///
/// # Safety
/// `src` must be valid for `n` byte reads and `dest` for `n` byte writes.
#[no_mangle]
pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: the caller's contract, passed on; without overlap a forward copy is exact.
    unsafe { copy_forward(dest, src, n) };
    dest
}

/// Copies `n` bytes from `src` to `dest`; the regions may overlap.
///
/// # Safety
/// `src` must be valid for `n` byte reads and `dest` for `n` byte writes.
#[no_mangle]
pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    let ahead = (dest as usize).wrapping_sub(src as usize);
    if ahead == 0 {
        return dest;
    }
    // SAFETY: the caller's contract, passed on. When `dest` does not start inside
    // `(src, src + n)`, every source byte is read before a store can reach it going forward;
    // otherwise going backward.
    unsafe {
        if ahead >= n {
            copy_forward(dest, src, n);
        } else {
            copy_backward(dest, src, n);
        }
    }
    dest
}

/// Fills `n` bytes at `dest` with the low byte of `c`.
///
/// # Safety
/// `dest` must be valid for `n` byte writes.
#[no_mangle]
pub unsafe extern "C" fn memset(dest: *mut u8, c: i32, n: usize) -> *mut u8 {
    let byte = c as u8;
    let mut d = dest;
    let mut left = n;
    // SAFETY: every store is at `dest + k` with `k < n`; word stores are at 4-aligned addresses.
    unsafe {
        if left >= SMALL {
            while !(d as usize).is_multiple_of(WORD) {
                write_volatile(d, byte);
                d = d.add(1);
                left -= 1;
            }
            let word = u32::from(byte) * 0x0101_0101;
            let mut w = d as *mut u32;
            while left >= BLOCK {
                for k in 0..8 {
                    write_volatile(w.add(k), word);
                }
                w = w.add(8);
                left -= BLOCK;
            }
            while left >= WORD {
                write_volatile(w, word);
                w = w.add(1);
                left -= WORD;
            }
            d = w as *mut u8;
        }
        while left > 0 {
            write_volatile(d, byte);
            d = d.add(1);
            left -= 1;
        }
    }
    dest
}

/// Compares `n` bytes at `a` and `b`: zero when equal, else the difference of the first bytes
/// that differ. Word by word while both are 4-aligned, then byte by byte.
///
/// # Safety
/// `a` and `b` must be valid for `n` byte reads.
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    // SAFETY: every read is at `a + k` or `b + k` with `k < n`; a word read at `k` is taken only
    // when `k + 4 <= n` and both pointers are 4-aligned (so every `a + k`, `b + k` is).
    unsafe {
        if ((a as usize) | (b as usize)).is_multiple_of(WORD) {
            while i + WORD <= n
                && read_volatile(a.add(i).cast::<u32>()) == read_volatile(b.add(i).cast::<u32>())
            {
                i += WORD;
            }
        }
        while i < n {
            let (x, y) = (read_volatile(a.add(i)), read_volatile(b.add(i)));
            if x != y {
                return i32::from(x) - i32::from(y);
            }
            i += 1;
        }
    }
    0
}

/// Zero when the `n` bytes at `a` and `b` are equal (LLVM's equality test), as [`memcmp`].
///
/// # Safety
/// As [`memcmp`].
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's contract, passed on.
    unsafe { memcmp(a, b, n) }
}

/// Copies `n` bytes going up. Safe for overlap only when `dest` does not start inside
/// `(src, src + n)`.
///
/// # Safety
/// As [`memcpy`].
#[inline(always)]
unsafe fn copy_forward(dest: *mut u8, src: *const u8, n: usize) {
    let mut d = dest;
    let mut s = src;
    let mut left = n;
    // SAFETY: reads stay in `[src, src + n)` and writes in `[dest, dest + n)`: word reads are
    // 4-aligned and, on the shifted path, taken only while 8 bytes remain, so the aligned word
    // after the current one still lies inside the source.
    unsafe {
        if left >= SMALL {
            while !(d as usize).is_multiple_of(WORD) {
                write_volatile(d, read_volatile(s));
                d = d.add(1);
                s = s.add(1);
                left -= 1;
            }
            let mut w = d as *mut u32;
            let offset = s as usize % WORD;
            if offset == 0 {
                let mut r = s as *const u32;
                while left >= BLOCK {
                    let block: [u32; 8] = core::array::from_fn(|k| read_volatile(r.add(k)));
                    for (k, word) in block.into_iter().enumerate() {
                        write_volatile(w.add(k), word);
                    }
                    r = r.add(8);
                    w = w.add(8);
                    left -= BLOCK;
                }
                while left >= WORD {
                    write_volatile(w, read_volatile(r));
                    r = r.add(1);
                    w = w.add(1);
                    left -= WORD;
                }
                s = r as *const u8;
            } else {
                // Little-endian: the next destination word is the current source word's top
                // bytes followed by the next source word's bottom bytes.
                let low = 8 * offset as u32;
                let high = 32 - low;
                let mut r = s.sub(offset) as *const u32;
                let mut current = read_volatile(r);
                while left >= 2 * WORD {
                    let next = read_volatile(r.add(1));
                    write_volatile(w, current >> low | next << high);
                    current = next;
                    r = r.add(1);
                    w = w.add(1);
                    left -= WORD;
                }
                s = (r as *const u8).add(offset);
            }
            d = w as *mut u8;
        }
        while left > 0 {
            write_volatile(d, read_volatile(s));
            d = d.add(1);
            s = s.add(1);
            left -= 1;
        }
    }
}

/// Copies `n` bytes going down, for `dest` inside `(src, src + n)`.
///
/// # Safety
/// As [`memmove`].
unsafe fn copy_backward(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: `d` and `s` walk down from the region ends; every access is at `dest + k` or
    // `src + k` with `k < n`, word accesses only when both are 4-aligned.
    unsafe {
        let mut d = dest.add(n);
        let mut s = src.add(n);
        let mut left = n;
        if left >= SMALL && (d as usize ^ s as usize).is_multiple_of(WORD) {
            while !(d as usize).is_multiple_of(WORD) {
                d = d.sub(1);
                s = s.sub(1);
                write_volatile(d, read_volatile(s));
                left -= 1;
            }
            let mut w = d as *mut u32;
            let mut r = s as *const u32;
            while left >= WORD {
                w = w.sub(1);
                r = r.sub(1);
                write_volatile(w, read_volatile(r));
                left -= WORD;
            }
            d = w as *mut u8;
            s = r as *const u8;
        }
        while left > 0 {
            d = d.sub(1);
            s = s.sub(1);
            write_volatile(d, read_volatile(s));
            left -= 1;
        }
    }
}
