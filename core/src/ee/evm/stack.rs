//! The EVM operand stack.

use crate::primitives::U256;
use alloc::vec::Vec;

/// Maximum number of stack items.
pub const STACK_LIMIT: usize = 1024;

/// A stack of at most [`STACK_LIMIT`] words. Callers check depth with [`Stack::has`] and
/// [`Stack::has_room`] before the unchecked-by-contract operations below.
#[derive(Clone, Debug)]
pub struct Stack {
    data: Vec<U256>,
}

impl Default for Stack {
    fn default() -> Self {
        Self::new()
    }
}

impl Stack {
    /// An empty stack with room for [`STACK_LIMIT`] items.
    pub fn new() -> Self {
        Self {
            data: Vec::with_capacity(STACK_LIMIT),
        }
    }

    /// Empties the stack, keeping its allocation.
    pub fn clear(&mut self) {
        self.data.clear();
    }

    /// Number of items.
    #[inline]
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the stack is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Items, bottom first.
    pub fn as_slice(&self) -> &[U256] {
        &self.data
    }

    /// Whether at least `n` items are present.
    #[inline]
    pub fn has(&self, n: usize) -> bool {
        self.data.len() >= n
    }

    /// Whether `n` more items fit.
    #[inline]
    pub fn has_room(&self, n: usize) -> bool {
        self.data.len() + n <= STACK_LIMIT
    }

    /// Pushes a word (the caller checked [`Stack::has_room`]).
    #[inline]
    pub fn push(&mut self, value: U256) {
        self.data.push(value);
    }

    /// Pops a word (zero when empty; the caller checked [`Stack::has`]).
    #[inline]
    pub fn pop(&mut self) -> U256 {
        self.data.pop().unwrap_or_default()
    }

    /// The top word, mutably (the caller checked [`Stack::has`]`(1)`).
    #[inline]
    pub fn top_mut(&mut self) -> &mut U256 {
        let len = self.data.len();
        &mut self.data[len - 1]
    }

    /// The `n`-th word from the top (0 = top).
    #[inline]
    pub fn peek(&self, n: usize) -> U256 {
        self.data[self.data.len() - 1 - n]
    }

    /// Pushes a copy of the `n`-th word from the top (DUPn with n ≥ 1).
    #[inline]
    pub fn dup(&mut self, n: usize) {
        let value = self.data[self.data.len() - n];
        self.data.push(value);
    }

    /// Swaps the top with the `n`-th word below it (SWAPn).
    #[inline]
    pub fn swap(&mut self, n: usize) {
        let len = self.data.len();
        self.data.swap(len - 1, len - 1 - n);
    }
}
