//! EVM memory: a byte array grown in 32-byte words.

use crate::primitives::U256;
use alloc::vec::Vec;

/// Byte-addressed, word-grown frame memory.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    data: Vec<u8>,
}

impl Memory {
    /// Empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empties memory, keeping its allocation.
    pub fn clear(&mut self) {
        self.data.clear();
    }

    /// Size in bytes (always a multiple of 32).
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether memory is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// All bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.data
    }

    /// Grows to `words` words (never shrinks).
    #[inline]
    pub fn resize_words(&mut self, words: usize) {
        let bytes = words * 32;
        if bytes > self.data.len() {
            self.data.resize(bytes, 0);
        }
    }

    /// Bytes `[offset, offset + len)` (the caller expanded memory first).
    #[inline]
    pub fn slice(&self, offset: usize, len: usize) -> &[u8] {
        &self.data[offset..offset + len]
    }

    /// Mutable bytes `[offset, offset + len)`.
    #[inline]
    pub fn slice_mut(&mut self, offset: usize, len: usize) -> &mut [u8] {
        &mut self.data[offset..offset + len]
    }

    /// Reads a big-endian word at `offset`.
    #[inline(always)]
    pub fn load_word(&self, offset: usize) -> U256 {
        let mut word = [0u8; 32];
        word.copy_from_slice(&self.data[offset..offset + 32]);
        U256::from_be_bytes(word)
    }

    /// Writes a big-endian word at `offset`.
    #[inline(always)]
    pub fn store_word(&mut self, offset: usize, value: U256) {
        self.data[offset..offset + 32].copy_from_slice(&value.to_be_bytes::<32>());
    }

    /// Writes the byte at `offset` (the caller expanded memory first; a byte outside memory is
    /// ignored).
    #[inline(always)]
    pub fn store_byte(&mut self, offset: usize, value: u8) {
        if let Some(byte) = self.data.get_mut(offset) {
            *byte = value;
        }
    }

    /// Copies `src` into `[offset, offset + len)`, zero-filling past the end of `src`.
    pub fn store_padded(&mut self, offset: usize, len: usize, src: &[u8]) {
        let dst = &mut self.data[offset..offset + len];
        let n = src.len().min(len);
        dst[..n].copy_from_slice(&src[..n]);
        if n < len {
            dst[n..].fill(0);
        }
    }

    /// `MCOPY`: copies `len` bytes from `src` to `dst` within memory.
    pub fn copy_within(&mut self, dst: usize, src: usize, len: usize) {
        self.data.copy_within(src..src + len, dst);
    }
}
