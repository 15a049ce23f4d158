//! A global allocator that counts, per thread, what the calling thread
//! asks of the allocator: a count taken around some work on one thread is
//! that work's, whatever other threads (the local server, the test
//! harness) allocate meanwhile.
//!
//! Counted: every `alloc`, `alloc_zeroed` and `realloc` (each is a trip to
//! the allocator; a growing `String` pays for its reallocations too) and
//! the bytes they return.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

#[global_allocator]
static GLOBAL: Counting = Counting;

struct Counting;

thread_local! {
    // `const` and drop-free: reading them never allocates or registers a
    // destructor, so the allocator may use them.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn note(bytes: usize) {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = BYTES.try_with(|n| n.set(n.get() + bytes as u64));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

/// What this thread has allocated so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocated {
    pub allocations: u64,
    pub bytes: u64,
}

impl Allocated {
    pub fn on_this_thread() -> Allocated {
        Allocated {
            allocations: ALLOCATIONS.with(Cell::get),
            bytes: BYTES.with(Cell::get),
        }
    }

    /// What was allocated between `earlier` and `self`.
    pub fn since(self, earlier: Allocated) -> Allocated {
        Allocated {
            allocations: self.allocations - earlier.allocations,
            bytes: self.bytes - earlier.bytes,
        }
    }
}
