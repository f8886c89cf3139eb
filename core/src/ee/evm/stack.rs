//! The EVM operand stack.

use crate::bytecode::STACK_LIMIT;
use crate::primitives::U256;
use alloc::boxed::Box;

/// Mask that keeps every slot index inside the array, so indexing needs no bounds check.
const INDEX_MASK: usize = STACK_LIMIT - 1;

/// A stack of at most [`STACK_LIMIT`] words in a fixed array. Callers check depth with
/// [`Stack::has`] and [`Stack::has_room`] before the unchecked-by-contract operations below;
/// indices are masked to the array, so a broken contract yields wrong words, never a panic.
#[derive(Clone, Debug)]
pub struct Stack {
    data: Box<[U256; STACK_LIMIT]>,
    len: usize,
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
            data: Box::new([U256::ZERO; STACK_LIMIT]),
            len: 0,
        }
    }

    /// Empties the stack, keeping its allocation.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Number of items.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the stack is empty.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Items, bottom first.
    pub fn as_slice(&self) -> &[U256] {
        &self.data[..self.len.min(STACK_LIMIT)]
    }

    /// Whether at least `n` items are present.
    #[inline(always)]
    pub fn has(&self, n: usize) -> bool {
        self.len >= n
    }

    /// Whether `n` more items fit.
    #[inline(always)]
    pub fn has_room(&self, n: usize) -> bool {
        self.len + n <= STACK_LIMIT
    }

    /// The words with the height held in `height` instead of the stack's own (the interpreter
    /// keeps it in a register while its hot opcodes run, see `Registers`).
    #[inline(always)]
    pub(crate) fn with_height<'a>(&'a mut self, height: &'a mut usize) -> Words<'a> {
        Words {
            data: &mut self.data,
            len: height,
        }
    }

    /// The words with the stack's own height.
    #[inline(always)]
    pub(crate) fn words(&mut self) -> Words<'_> {
        Words {
            data: &mut self.data,
            len: &mut self.len,
        }
    }

    /// Sets the height (to one a [`Words`] view counted, at most [`STACK_LIMIT`]).
    #[inline(always)]
    pub(crate) fn set_len(&mut self, len: usize) {
        self.len = len;
    }

    /// Pushes a word (the caller checked [`Stack::has_room`]).
    #[inline(always)]
    pub fn push(&mut self, value: U256) {
        self.words().push(value);
    }

    /// Pops a word (the caller checked [`Stack::has`]; an empty stack stays empty).
    #[inline(always)]
    pub fn pop(&mut self) -> U256 {
        self.words().pop()
    }

    /// The top word, mutably (the caller checked [`Stack::has`]`(1)`).
    #[inline(always)]
    pub fn top_mut(&mut self) -> &mut U256 {
        &mut self.data[self.len.wrapping_sub(1) & INDEX_MASK]
    }

    /// The `n`-th word from the top (0 = top; the caller checked [`Stack::has`]`(n + 1)`).
    #[inline(always)]
    pub fn peek(&self, n: usize) -> U256 {
        self.data[self.len.wrapping_sub(1 + n) & INDEX_MASK]
    }
}

/// A stack's words and a height held apart from them: the stack's own (`Stack::words`) or a
/// copy the interpreter keeps in a register (`Stack::with_height`), so a hot opcode neither
/// loads nor stores the height through the frame. Same contract as [`Stack`]: callers check the
/// height first, indices are masked to the array.
pub struct Words<'a> {
    data: &'a mut [U256; STACK_LIMIT],
    len: &'a mut usize,
}

impl Words<'_> {
    /// Pushes a word (the caller checked [`Stack::has_room`]).
    #[inline(always)]
    pub fn push(&mut self, value: U256) {
        self.data[*self.len & INDEX_MASK] = value;
        *self.len += 1;
    }

    /// Pops a word (the caller checked [`Stack::has`]; an empty stack stays empty).
    #[inline(always)]
    pub fn pop(&mut self) -> U256 {
        *self.len = self.len.saturating_sub(1);
        self.data[*self.len & INDEX_MASK]
    }

    /// Pops the top word and calls `f(popped, new_top)` on the two slots in place, without
    /// copying either (the caller checked [`Stack::has`]`(2)`; with fewer items `f` is not
    /// called).
    #[inline(always)]
    pub fn pop_apply(&mut self, f: impl FnOnce(&U256, &mut U256)) {
        if let Some((popped, top)) = self.pop_operands() {
            f(popped, top);
        }
    }

    /// Pops the top word and returns it beside the new top, both in place (the caller checked
    /// [`Stack::has`]`(2)`; with fewer items, `None`). For a binary opcode to call its function
    /// directly: passed to [`Words::pop_apply`] as a function item, it is called through a
    /// `FnOnce` shim that the wasm build's low inlining threshold leaves out of line.
    #[inline(always)]
    pub fn pop_operands(&mut self) -> Option<(&U256, &mut U256)> {
        *self.len = self.len.saturating_sub(1);
        let (below, from_popped) = self.data.split_at_mut(*self.len & INDEX_MASK);
        Some((from_popped.first()?, below.last_mut()?))
    }

    /// The top word, mutably (the caller checked [`Stack::has`]`(1)`).
    #[inline(always)]
    pub fn top_mut(&mut self) -> &mut U256 {
        &mut self.data[self.len.wrapping_sub(1) & INDEX_MASK]
    }

    /// Pushes a copy of the `n`-th word from the top (DUPn with n ≥ 1; the caller checked
    /// [`Stack::has`]`(n)` and [`Stack::has_room`]`(1)`).
    #[inline(always)]
    pub fn dup(&mut self, n: usize) {
        let from = self.len.wrapping_sub(n) & INDEX_MASK;
        let to = *self.len & INDEX_MASK;
        let limbs = limbs_of(&self.data[from]);
        self.data[to] = U256::from_limbs(limbs);
        *self.len += 1;
    }

    /// Swaps the top with the `n`-th word below it (SWAPn; the caller checked
    /// [`Stack::has`]`(n + 1)`).
    #[cfg(not(target_arch = "riscv32"))]
    #[inline(always)]
    pub fn swap(&mut self, n: usize) {
        let top = self.len.wrapping_sub(1) & INDEX_MASK;
        let other = self.len.wrapping_sub(1 + n) & INDEX_MASK;
        let a = limbs_of(&self.data[top]);
        let b = limbs_of(&self.data[other]);
        self.data[top] = U256::from_limbs(b);
        self.data[other] = U256::from_limbs(a);
    }

    /// Swaps the top with the `n`-th word below it (SWAPn; the caller checked
    /// [`Stack::has`]`(n + 1)`). riscv32 holds one word in registers while it copies the other
    /// slot over it.
    #[cfg(target_arch = "riscv32")]
    #[inline(always)]
    pub fn swap(&mut self, n: usize) {
        let top = self.len.wrapping_sub(1) & INDEX_MASK;
        let other = self.len.wrapping_sub(1 + n) & INDEX_MASK;
        let [h0, h1, h2, h3] = *self.data[top].as_limbs();
        self.data[top] = self.data[other];
        self.data[other] = U256::from_limbs([h0, h1, h2, h3]);
    }
}

/// The limbs of `word`, read one 64-bit limb at a time. Instructions store results limb by limb
/// (or in mixed widths); reading whole limbs lets those stores forward to the next DUP or SWAP
/// instead of stalling on a load that spans two stores. Volatile reads keep the compiler from
/// merging the four loads into 16-byte ones, with no trip through memory (`black_box` stores
/// and reloads each limb: 8 more instructions a DUP, 16 a SWAP).
#[cfg(not(any(target_arch = "riscv32", target_arch = "wasm32")))]
#[allow(unsafe_code)]
#[inline(always)]
fn limbs_of(word: &U256) -> [u64; 4] {
    let limbs = word.as_limbs();
    // SAFETY: each pointer comes from a reference to an initialised, aligned `u64` that lives
    // for the whole call; a volatile read of it is an ordinary load the compiler keeps whole.
    unsafe {
        [
            core::ptr::read_volatile(&limbs[0]),
            core::ptr::read_volatile(&limbs[1]),
            core::ptr::read_volatile(&limbs[2]),
            core::ptr::read_volatile(&limbs[3]),
        ]
    }
}

/// The limbs of `word`. riscv32 loads 32-bit words and has no store forwarding to protect; wasm32
/// loads at most 64 bits at a time anyway. `black_box` would spill every limb to the (shadow)
/// stack on both, so they read the limbs plainly.
#[cfg(any(target_arch = "riscv32", target_arch = "wasm32"))]
#[inline(always)]
fn limbs_of(word: &U256) -> [u64; 4] {
    *word.as_limbs()
}
