//! The module's allocator: the standard one (dlmalloc over `memory.grow`), with the memory grown
//! in steps of a quarter of its size instead of what each allocation needs.
//!
//! Every `memory.grow` hands JS a new `ArrayBuffer` over the whole memory, and V8 counts each as
//! that much more external memory: a run that grows the memory 64 KiB at a time sets off a full
//! garbage collection every few grows, each as long as the JS heap is large. One `setAccount`
//! of 80,000 slots (135 MB of wasm memory, ~44 MB of JS heap holding its arguments) took 17.7 s
//! of which 9 s were 130 full collections, against 0.6 s natively; with the memory grown in
//! quarters 2.6 s and 6 collections. Memory may end up to a quarter larger than what
//! the engine holds, and never beyond the instance's maximum (a step that does not fit is not
//! taken).

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_size;
use std::alloc::System;

/// Bytes in a wasm page.
const PAGE_BYTES: usize = 65_536;

/// The standard allocator, growing the memory by at least a quarter of its size at a time.
pub struct Stepped;

impl Stepped {
    /// After an allocation that grew the memory: allocates and frees a block of a quarter of
    /// the memory's size. dlmalloc grows the memory for it and keeps the freed block at its top
    /// (it never gives memory back on wasm), where the next allocations are carved from.
    fn step(grew: bool) {
        if !grew {
            return;
        }
        let Ok(layout) = Layout::from_size_align(memory_size(0) * PAGE_BYTES / 4, 1) else {
            return;
        };
        // SAFETY: the layout is not zero-sized (the memory has pages); the block is freed with
        // the layout it was allocated with, and only when it was allocated (not null).
        unsafe {
            let block = System.alloc(layout);
            if !block.is_null() {
                System.dealloc(block, layout);
            }
        }
    }
}

// SAFETY: every call is passed to `System` with the caller's arguments unchanged, so `System`'s
// guarantees hold for what is returned; `step` allocates and frees a block of its own in
// between, touching no block of the caller's.
unsafe impl GlobalAlloc for Stepped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        let block = unsafe { System.alloc(layout) };
        Self::step(memory_size(0) != pages);
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        let block = unsafe { System.alloc_zeroed(layout) };
        Self::step(memory_size(0) != pages);
        block
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let pages = memory_size(0);
        let block = unsafe { System.realloc(ptr, layout, new_size) };
        Self::step(memory_size(0) != pages);
        block
    }
}

#[global_allocator]
static ALLOCATOR: Stepped = Stepped;
