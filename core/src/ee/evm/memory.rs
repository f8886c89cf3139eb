//! EVM memory: a byte array grown in 32-byte words over a zeroed backing store.

use crate::primitives::U256;
use alloc::vec::Vec;
use core::fmt;

/// Smallest backing store a frame allocates, in bytes: room for Solidity's scratch space, free
/// memory pointer and first few words.
const MIN_BACKING_BYTES: usize = 512;

/// Most bytes the backing store holds zeroed past the logical length. Zeroing ahead is paid when
/// it happens, so it is capped: a one-word growth of a large memory zeroes at most this much.
pub const MAX_ZEROED_AHEAD_BYTES: usize = 4 << 10;

/// Byte-addressed, word-grown frame memory.
///
/// The backing store is zeroed ahead of the logical length (doubling while small, at most
/// [`MAX_ZEROED_AHEAD_BYTES`]) and kept zero past it, so most expansions only move the length:
/// no allocation, copy or zero fill.
#[derive(Default)]
pub struct Memory {
    /// Backing store; every byte from `len` on is zero.
    data: Vec<u8>,
    /// Logical size in bytes (a multiple of 32).
    len: usize,
}

impl Memory {
    /// Empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Size in bytes (always a multiple of 32).
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether memory is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// All bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.data[..self.len]
    }

    /// Grows to `words` words (never shrinks).
    #[inline(always)]
    pub fn resize_words(&mut self, words: usize) {
        let bytes = words * 32;
        if bytes > self.len {
            if bytes > self.data.len() {
                self.reserve_zeroed(bytes);
            }
            self.len = bytes;
        }
    }

    /// Bytes the backing store holds (zero past [`Self::len`], and at most
    /// [`MAX_ZEROED_AHEAD_BYTES`] past it): memory can grow this far without allocating.
    #[inline(always)]
    pub fn zeroed_capacity(&self) -> usize {
        self.data.len()
    }

    /// Grows to `bytes` (a multiple of 32, above [`Self::len`] and at most
    /// [`Self::zeroed_capacity`]) without touching the backing store.
    #[inline(always)]
    pub fn extend_within_capacity(&mut self, bytes: usize) {
        debug_assert!(bytes.is_multiple_of(32) && bytes >= self.len && bytes <= self.data.len());
        self.len = bytes;
    }

    /// Zeroes the backing store up to `bytes` plus as much again as it held, at most
    /// [`MAX_ZEROED_AHEAD_BYTES`] (the allocation itself grows geometrically).
    #[cold]
    #[inline(never)]
    fn reserve_zeroed(&mut self, bytes: usize) {
        let ahead = self.data.len().min(MAX_ZEROED_AHEAD_BYTES);
        self.data.resize((bytes + ahead).max(MIN_BACKING_BYTES), 0);
    }

    /// Bytes `[offset, offset + len)` (the caller expanded memory first).
    #[inline]
    pub fn slice(&self, offset: usize, len: usize) -> &[u8] {
        debug_assert!(offset + len <= self.len);
        &self.data[offset..offset + len]
    }

    /// Mutable bytes `[offset, offset + len)` (the caller expanded memory first).
    #[inline]
    pub fn slice_mut(&mut self, offset: usize, len: usize) -> &mut [u8] {
        debug_assert!(offset + len <= self.len);
        &mut self.data[offset..offset + len]
    }

    /// Reads a big-endian word at `offset` (the caller expanded memory first; zero past the
    /// store): on wasm32 as four 64-bit loads, where `ruint`'s byte conversion and the copy are
    /// calls at the wasm build's inliner thresholds, and through `first_chunk`, as the range
    /// index was a call too.
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    pub fn load_word(&self, offset: usize) -> U256 {
        let Some(word) = self.data.get(offset..).and_then(<[u8]>::first_chunk::<32>) else {
            return U256::ZERO;
        };
        let (limbs, _) = word.as_chunks::<8>();
        U256::from_limbs([
            u64::from_be_bytes(limbs[3]),
            u64::from_be_bytes(limbs[2]),
            u64::from_be_bytes(limbs[1]),
            u64::from_be_bytes(limbs[0]),
        ])
    }

    /// Reads a big-endian word at `offset` (the caller expanded memory first).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub fn load_word(&self, offset: usize) -> U256 {
        let mut word = [0u8; 32];
        word.copy_from_slice(&self.data[offset..offset + 32]);
        U256::from_be_bytes(word)
    }

    /// Writes a big-endian word at `offset` (the caller expanded memory first; nothing past the
    /// store): on wasm32 as four 64-bit stores (see [`Self::load_word`]).
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    pub fn store_word(&mut self, offset: usize, value: U256) {
        debug_assert!(offset + 32 <= self.len);
        let Some(word) = self
            .data
            .get_mut(offset..)
            .and_then(<[u8]>::first_chunk_mut::<32>)
        else {
            return;
        };
        let (limbs, _) = word.as_chunks_mut::<8>();
        let [l0, l1, l2, l3] = *value.as_limbs();
        limbs[0] = l3.to_be_bytes();
        limbs[1] = l2.to_be_bytes();
        limbs[2] = l1.to_be_bytes();
        limbs[3] = l0.to_be_bytes();
    }

    /// Writes a big-endian word at `offset` (the caller expanded memory first).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub fn store_word(&mut self, offset: usize, value: U256) {
        debug_assert!(offset + 32 <= self.len);
        self.data[offset..offset + 32].copy_from_slice(&value.to_be_bytes::<32>());
    }

    /// Writes the byte at `offset` (the caller expanded memory first).
    #[inline(always)]
    pub fn store_byte(&mut self, offset: usize, value: u8) {
        debug_assert!(offset < self.len);
        self.data[offset] = value;
    }

    /// Copies `src` into `[offset, offset + len)`, zero-filling past the end of `src`. Inlined
    /// in the guest, where a call's register saves are a tenth of a 256-byte copy.
    #[cfg_attr(target_arch = "riscv32", inline(always))]
    pub fn store_padded(&mut self, offset: usize, len: usize, src: &[u8]) {
        let dst = self.slice_mut(offset, len);
        let n = src.len().min(len);
        dst[..n].copy_from_slice(&src[..n]);
        if n < len {
            dst[n..].fill(0);
        }
    }

    /// `MCOPY`: copies `len` bytes from `src` to `dst` within memory.
    pub fn copy_within(&mut self, dst: usize, src: usize, len: usize) {
        self.data[..self.len].copy_within(src..src + len, dst);
    }
}

/// Clones the logical bytes only (the copy's backing store is exactly its length).
impl Clone for Memory {
    fn clone(&self) -> Self {
        Self {
            data: self.as_slice().to_vec(),
            len: self.len,
        }
    }
}

impl fmt::Debug for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Memory")
            .field("len", &self.len)
            .field("data", &self.as_slice())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_keeps_bytes_and_reads_zero_beyond_them() {
        let mut memory = Memory::new();
        memory.resize_words(1);
        memory.store_byte(31, 0xaa);
        memory.resize_words(3);
        assert_eq!(memory.len(), 96);
        assert_eq!(memory.as_slice()[31], 0xaa);
        assert!(memory.as_slice()[32..].iter().all(|&b| b == 0));
        // Past the first backing store: the bytes written before survive the reallocation.
        memory.store_word(64, U256::MAX);
        memory.resize_words(MIN_BACKING_BYTES / 32 + 5);
        assert_eq!(memory.len(), MIN_BACKING_BYTES + 160);
        assert_eq!(memory.load_word(64), U256::MAX);
        assert_eq!(memory.as_slice()[31], 0xaa);
        assert!(memory.as_slice()[96..].iter().all(|&b| b == 0));
    }

    #[test]
    fn zeroes_ahead_by_doubling_then_by_a_capped_amount() {
        let mut memory = Memory::new();
        memory.resize_words(1);
        assert_eq!(memory.zeroed_capacity(), MIN_BACKING_BYTES);
        memory.resize_words(MIN_BACKING_BYTES / 32 + 1);
        assert_eq!(memory.zeroed_capacity(), 2 * MIN_BACKING_BYTES + 32);
        // A jump to 1 MiB zeroes ahead as much as was zeroed before; the next growth past it
        // zeroes ahead the capped amount.
        let big = 1 << 20;
        memory.resize_words(big / 32);
        assert_eq!(memory.zeroed_capacity(), big + 2 * MIN_BACKING_BYTES + 32);
        memory.resize_words(memory.zeroed_capacity() / 32 + 1);
        assert_eq!(
            memory.zeroed_capacity() - memory.len(),
            MAX_ZEROED_AHEAD_BYTES
        );
    }

    #[test]
    fn never_shrinks_and_clones_only_the_logical_bytes() {
        let mut memory = Memory::new();
        memory.resize_words(4);
        memory.resize_words(2);
        assert_eq!(memory.len(), 128);
        memory.store_word(96, U256::from(7));
        let copy = memory.clone();
        assert_eq!(copy.as_slice(), memory.as_slice());
        assert_eq!(copy.data.len(), 128);
        let mut copy = copy;
        copy.resize_words(5);
        assert_eq!(copy.load_word(96), U256::from(7));
        assert_eq!(copy.load_word(128), U256::ZERO);
    }
}
