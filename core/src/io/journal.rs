//! The undo log of one transaction, and the chunked log it (and the block caches' log) is kept in.

use crate::bytecode::Bytecode;
use crate::primitives::{Address, U256};
use alloc::rc::Rc;
use alloc::vec::Vec;

/// Entries per full chunk of a [`ChunkedLog`] (1,024 × 88 bytes for the journal natively).
const CHUNK_ENTRIES: usize = 1024;

/// An append-and-pop log, oldest first, in chunks of [`CHUNK_ENTRIES`]: growing never moves
/// what is written (one vector's reallocations copied megabytes, and faulted in fresh pages
/// for each copy, in a storage-heavy transaction).
#[derive(Debug)]
pub(crate) struct ChunkedLog<T> {
    /// Full chunks, each of exactly [`CHUNK_ENTRIES`] entries.
    full: Vec<Vec<T>>,
    /// The chunk being written (fewer than [`CHUNK_ENTRIES`] entries after each push).
    open: Vec<T>,
}

impl<T> Default for ChunkedLog<T> {
    fn default() -> Self {
        Self {
            full: Vec::new(),
            open: Vec::new(),
        }
    }
}

impl<T> ChunkedLog<T> {
    /// Appends `entry`.
    #[inline]
    pub(crate) fn push(&mut self, entry: T) {
        if self.open.len() == CHUNK_ENTRIES {
            let next = Vec::with_capacity(CHUNK_ENTRIES);
            self.full.push(core::mem::replace(&mut self.open, next));
        }
        self.open.push(entry);
    }

    /// How many entries it holds.
    pub(crate) fn len(&self) -> usize {
        self.full.len() * CHUNK_ENTRIES + self.open.len()
    }

    /// Removes and returns the newest entry.
    pub(crate) fn pop(&mut self) -> Option<T> {
        if self.open.is_empty() {
            self.open = self.full.pop()?;
        }
        self.open.pop()
    }

    /// Removes every entry, keeping the open chunk's allocation.
    pub(crate) fn clear(&mut self) {
        self.full.clear();
        self.open.clear();
    }

    /// The entry at `index` (oldest first), if there is one.
    #[inline]
    pub(crate) fn get(&self, index: usize) -> Option<&T> {
        let (chunk, offset) = (index / CHUNK_ENTRIES, index % CHUNK_ENTRIES);
        match self.full.get(chunk) {
            Some(full) => full.get(offset),
            None if chunk == self.full.len() => self.open.get(offset),
            None => None,
        }
    }

    /// The entry at `index`, writable.
    #[inline]
    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        let (chunk, offset) = (index / CHUNK_ENTRIES, index % CHUNK_ENTRIES);
        let full_chunks = self.full.len();
        match self.full.get_mut(chunk) {
            Some(full) => full.get_mut(offset),
            None if chunk == full_chunks => self.open.get_mut(offset),
            None => None,
        }
    }

    /// The entry at `index`, writable, which must be below [`Self::len`] (as a slice index).
    #[inline]
    pub(crate) fn at_mut(&mut self, index: usize) -> &mut T {
        let (chunk, offset) = (index / CHUNK_ENTRIES, index % CHUNK_ENTRIES);
        if chunk < self.full.len() {
            &mut self.full[chunk][offset]
        } else {
            &mut self.open[offset]
        }
    }

    /// Every entry, writable, oldest first.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.full.iter_mut().flatten().chain(self.open.iter_mut())
    }

    /// The entries from index `start` on (none when `start` is past the end), oldest first.
    pub(crate) fn iter_from(&self, start: usize) -> ChunkedIter<'_, T> {
        let (chunk, offset) = (start / CHUNK_ENTRIES, start % CHUNK_ENTRIES);
        let (current, later, open): (&[T], &[Vec<T>], &[T]) = match self.full.get(chunk) {
            Some(first) => (&first[offset..], &self.full[chunk + 1..], &self.open),
            None if chunk == self.full.len() => {
                (self.open.get(offset..).unwrap_or_default(), &[], &[])
            }
            None => (&[], &[], &[]),
        };
        ChunkedIter {
            current: current.iter(),
            later: later.iter(),
            open,
        }
    }

    /// Every entry, oldest first.
    pub(crate) fn iter(&self) -> ChunkedIter<'_, T> {
        self.iter_from(0)
    }
}

/// The entries of a [`ChunkedLog`] from a point on, oldest first.
pub(crate) struct ChunkedIter<'a, T> {
    /// What is left of the chunk being read.
    current: core::slice::Iter<'a, T>,
    /// The full chunks after it.
    later: core::slice::Iter<'a, Vec<T>>,
    /// The open chunk, once the full ones are read (empty when it is being read or was).
    open: &'a [T],
}

impl<'a, T> Iterator for ChunkedIter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            if let Some(entry) = self.current.next() {
                return Some(entry);
            }
            let next = match self.later.next() {
                Some(chunk) => chunk.as_slice(),
                None if !self.open.is_empty() => core::mem::take(&mut self.open),
                None => return None,
            };
            self.current = next.iter();
        }
    }
}

/// The undo log of one transaction.
pub(crate) type Journal = ChunkedLog<JournalEntry>;

/// One reversible change.
#[derive(Debug)]
pub(crate) enum JournalEntry {
    /// The account became warm.
    AccountWarmed(Address),
    /// The slot became warm.
    SlotWarmed(Address, U256),
    /// The balance had this value before.
    Balance(Address, U256),
    /// The nonce had this value before.
    Nonce(Address, u64),
    /// The code was this before.
    Code(Address, Rc<Bytecode>),
    /// Protocol version 2: a deployment installed empty code (the account was not so marked).
    DeployedEmpty(Address),
    /// The account was created in this transaction; `existed` is what it was before.
    Created { address: Address, existed: bool },
    /// The slot held this value before.
    Storage(Address, U256, U256),
    /// The transient slot held this value before.
    Transient(Address, U256, U256),
    /// The account came into existence (it did not exist before).
    Exists(Address),
    /// The account was touched (EIP-161).
    Touched(Address),
    /// The account self-destructed.
    SelfDestructed(Address),
    /// Protocol version 2: the transaction accessed the account for the first time.
    Accessed(Address),
    /// Protocol version 2: the slot was written for the first time in the block.
    SlotWritten(Address, U256),
}

/// A point a frame can roll back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub(crate) journal_len: usize,
    pub(crate) logs_len: usize,
    pub(crate) messages_len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries `log` yields from `start` on.
    fn from(log: &ChunkedLog<usize>, start: usize) -> Vec<usize> {
        log.iter_from(start).copied().collect()
    }

    #[test]
    fn chunked_log_behaves_as_one_vector_across_chunk_edges() {
        // A plain vector is the model: every length from empty to past two full chunks, and
        // reads from each chunk edge, one entry either side of it and past the end.
        let total = 2 * CHUNK_ENTRIES + 3;
        let mut log = ChunkedLog::default();
        let mut model = Vec::new();
        for value in 0..total {
            assert_eq!(log.len(), model.len());
            log.push(value);
            model.push(value);
        }
        assert_eq!(log.len(), total);
        for start in [0, 1, CHUNK_ENTRIES - 1, CHUNK_ENTRIES, CHUNK_ENTRIES + 1]
            .into_iter()
            .chain([
                2 * CHUNK_ENTRIES,
                total - 1,
                total,
                total + 1,
                5 * CHUNK_ENTRIES,
            ])
        {
            assert_eq!(from(&log, start), model.get(start..).unwrap_or_default());
        }
        assert_eq!(log.iter().copied().collect::<Vec<_>>(), model);
        // Reads and writes by position, on either side of each chunk edge and past the end.
        for index in [
            0,
            CHUNK_ENTRIES - 1,
            CHUNK_ENTRIES,
            2 * CHUNK_ENTRIES,
            total - 1,
        ] {
            assert_eq!(log.get(index), model.get(index));
            *log.at_mut(index) += 10_000_000;
            assert_eq!(log.get_mut(index).copied(), Some(model[index] + 10_000_000));
            *log.get_mut(index).unwrap() -= 10_000_000;
        }
        assert_eq!(log.get(total), None);
        assert_eq!(log.get_mut(total + CHUNK_ENTRIES), None);
        for value in log.iter_mut() {
            *value += 1;
        }
        assert!(log.iter().zip(&model).all(|(a, b)| *a == b + 1));
        for value in log.iter_mut() {
            *value -= 1;
        }
        // Popping back below a chunk edge and pushing again keeps the order.
        for _ in 0..CHUNK_ENTRIES + 5 {
            assert_eq!(log.pop(), model.pop());
            assert_eq!(log.len(), model.len());
        }
        for value in 0..10 {
            log.push(1_000_000 + value);
            model.push(1_000_000 + value);
        }
        assert_eq!(from(&log, 0), model);
        assert_eq!(from(&log, CHUNK_ENTRIES - 2), model[CHUNK_ENTRIES - 2..]);
        while let Some(value) = model.pop() {
            assert_eq!(log.pop(), Some(value));
        }
        assert_eq!(log.pop(), None);
        assert_eq!(log.len(), 0);
        log.push(7);
        log.clear();
        assert_eq!((log.len(), log.pop()), (0, None));
    }
}
