//! A handler's future with its type erased, kept inline when it is small — as a plain `fn`
//! handler's is — and boxed otherwise, so the runtime registry does not allocate for every
//! dispatch.

use alloc::boxed::Box;
use core::future::Future;
use core::marker::PhantomData;
use core::mem::{MaybeUninit, align_of, size_of};
use core::pin::Pin;
use core::task::{Context, Poll};

/// Words of inline room: a handler's future up to this size (its `&self`, the message, a
/// little state) is not boxed.
const WORDS: usize = 6;

type Storage = MaybeUninit<[usize; WORDS]>;

/// A `Send` future of output `T` borrowing for `'a`, of a type known only when it was made.
pub(crate) struct ErasedFuture<'a, T> {
    repr: Repr<'a, T>,
}

enum Repr<'a, T> {
    Inline {
        storage: Storage,
        poll: unsafe fn(*mut (), &mut Context<'_>) -> Poll<T>,
        /// `None` for a future with nothing to drop.
        drop: Option<unsafe fn(*mut ())>,
        /// The erased future borrows for `'a` and is neither `Unpin` nor `Sync` as far as
        /// the compiler can tell.
        marker: PhantomData<(&'a (), *mut ())>,
    },
    Boxed(Pin<Box<dyn Future<Output = T> + Send + 'a>>),
}

// SAFETY: an inline future is only ever made from an `F: Send` (see `ErasedFuture::new`), and
// moving or polling it from another thread is what `F: Send` allows.
unsafe impl<T> Send for Repr<'_, T> {}

/// # Safety
///
/// `data` points to a pinned, live `F`.
unsafe fn poll_inline<F: Future>(data: *mut (), cx: &mut Context<'_>) -> Poll<F::Output> {
    // SAFETY: the caller's contract; the `F` never moves while pinned.
    unsafe { Pin::new_unchecked(&mut *data.cast::<F>()) }.poll(cx)
}

/// # Safety
///
/// `data` points to a live `F` that is not used again.
unsafe fn drop_inline<F>(data: *mut ()) {
    // SAFETY: the caller's contract.
    unsafe { core::ptr::drop_in_place(data.cast::<F>()) }
}

impl<'a, T> ErasedFuture<'a, T> {
    /// `future`, inline when it fits, boxed when not.
    #[inline]
    pub(crate) fn new<F>(future: F) -> Self
    where
        F: Future<Output = T> + Send + 'a,
    {
        if size_of::<F>() <= size_of::<Storage>() && align_of::<F>() <= align_of::<Storage>() {
            let mut storage = Storage::uninit();
            // SAFETY: the storage is large and aligned enough for an `F` (checked above), and
            // it is written before anything reads it.
            unsafe { storage.as_mut_ptr().cast::<F>().write(future) };
            ErasedFuture {
                repr: Repr::Inline {
                    storage,
                    poll: poll_inline::<F>,
                    // A future with nothing to drop costs no call when it is dropped.
                    drop: core::mem::needs_drop::<F>()
                        .then_some(drop_inline::<F> as unsafe fn(*mut ())),
                    marker: PhantomData,
                },
            }
        } else {
            ErasedFuture {
                repr: Repr::Boxed(Box::pin(future)),
            }
        }
    }
}

impl<T> Future for ErasedFuture<'_, T> {
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: nothing is moved out of the pinned value; the inline future is polled in
        // place, where it stays until it is dropped.
        match &mut unsafe { self.get_unchecked_mut() }.repr {
            Repr::Inline { storage, poll, .. } => unsafe {
                poll(storage.as_mut_ptr().cast::<()>(), cx)
            },
            Repr::Boxed(future) => future.as_mut().poll(cx),
        }
    }
}

impl<T> Drop for ErasedFuture<'_, T> {
    fn drop(&mut self) {
        if let Repr::Inline {
            storage,
            drop: Some(drop),
            ..
        } = &mut self.repr
        {
            // SAFETY: the storage holds the live future `drop` was made for, dropped once,
            // here.
            unsafe { drop(storage.as_mut_ptr().cast::<()>()) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErasedFuture;
    use alloc::sync::Arc;
    use core::future::Future;
    use core::pin::pin;
    use core::task::{Context, Poll, Waker};

    fn ready<T>(future: impl Future<Output = T>) -> T {
        let mut future = pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("not ready"),
        }
    }

    #[test]
    fn small_futures_run_inline_and_large_ones_boxed_with_their_drops() {
        let tracker = Arc::new(());
        let small = {
            let held = Arc::clone(&tracker);
            ErasedFuture::new(async move { Arc::strong_count(&held) })
        };
        assert!(matches!(small.repr, super::Repr::Inline { .. }));
        assert_eq!(ready(small), 2);
        assert_eq!(
            Arc::strong_count(&tracker),
            1,
            "polled to the end and dropped"
        );

        let large = {
            let held = Arc::clone(&tracker);
            let ballast = [7_u64; 32];
            ErasedFuture::new(async move { (ballast[31], Arc::strong_count(&held)).1 })
        };
        assert!(matches!(large.repr, super::Repr::Boxed(_)));
        assert_eq!(ready(large), 2);

        let never_polled = {
            let held = Arc::clone(&tracker);
            ErasedFuture::new(async move { drop(held) })
        };
        assert_eq!(Arc::strong_count(&tracker), 2);
        drop(never_polled);
        assert_eq!(
            Arc::strong_count(&tracker),
            1,
            "an unpolled future is dropped too"
        );
    }
}
