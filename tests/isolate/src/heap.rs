//! The module's allocator: a bump allocator over a fixed region, enough for a module whose
//! instance lives for one request. Nothing is freed.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

const SIZE: usize = 1 << 20;

struct Bump {
    next: AtomicUsize,
}

static mut REGION: [u8; SIZE] = [0; SIZE];

#[global_allocator]
static HEAP: Bump = Bump {
    next: AtomicUsize::new(0),
};

// SAFETY: every block handed out is inside `REGION`, aligned as asked, and never handed out
// twice: `next` only grows.
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = core::ptr::addr_of_mut!(REGION).cast::<u8>();
        let mut start = 0;
        let claimed = self
            .next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
                let address = base as usize + next;
                start = next + (address.next_multiple_of(layout.align()) - address);
                let end = start.checked_add(layout.size())?;
                (end <= SIZE).then_some(end)
            });
        match claimed {
            // SAFETY: `start + size <= SIZE`, so the block is inside `REGION`.
            Ok(_) => unsafe { base.add(start) },
            Err(_) => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

/// Room for `len` bytes, for the host to write into.
pub fn room(len: usize) -> *mut u8 {
    // SAFETY: a valid layout (size `len.max(1)`, alignment 1).
    unsafe { HEAP.alloc(Layout::from_size_align(len.max(1), 1).unwrap_or(Layout::new::<u8>())) }
}
