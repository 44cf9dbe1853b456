//! The futures the buses return, written out so that a dispatch without middleware compiles
//! down to the handler's own future.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::DispatchError;

/// A plain `fn` handler as a future: the function runs when the future is first polled, as
/// an `async fn` body would. `#[handlers]` wraps non-`async` methods in it.
#[must_use = "futures do nothing unless polled"]
pub struct Lazy<F>(Option<F>);

impl<F> Unpin for Lazy<F> {}

/// `f`, run when the returned future is first polled.
#[inline]
pub fn lazy<T, F: FnOnce() -> T>(f: F) -> Lazy<F> {
    Lazy(Some(f))
}

impl<T, F: FnOnce() -> T> Future for Lazy<F> {
    type Output = T;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        match self.0.take() {
            Some(f) => Poll::Ready(f()),
            None => panic!("`Lazy` polled after it completed"),
        }
    }
}

/// A command or query on its way: straight to the handler's future when the bus has no
/// middleware, through the pipeline when it has.
#[must_use = "futures do nothing unless polled"]
pub struct Dispatch<D, L>(DispatchState<D, L>);

enum DispatchState<D, L> {
    Direct(D),
    Layered(L),
}

impl<D, L> Dispatch<D, L> {
    #[inline]
    pub(super) fn direct(future: D) -> Self {
        Dispatch(DispatchState::Direct(future))
    }

    #[inline]
    pub(super) fn layered(future: L) -> Self {
        Dispatch(DispatchState::Layered(future))
    }
}

impl<T, E, D, L> Future for Dispatch<D, L>
where
    D: Future<Output = Result<T, E>>,
    L: Future<Output = Result<T, DispatchError<E>>>,
{
    type Output = Result<T, DispatchError<E>>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: the state is never moved out of or replaced while pinned; each arm only
        // re-pins the future it holds in place.
        unsafe {
            match &mut self.get_unchecked_mut().0 {
                DispatchState::Direct(future) => match Pin::new_unchecked(future).poll(cx) {
                    Poll::Ready(result) => Poll::Ready(result.map_err(DispatchError::Handler)),
                    Poll::Pending => Poll::Pending,
                },
                DispatchState::Layered(future) => Pin::new_unchecked(future).poll(cx),
            }
        }
    }
}
