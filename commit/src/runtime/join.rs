//! Waiting for several futures at once, on any executor.

use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::Poll;

/// Runs `futures` concurrently on the calling task; their outputs in the given order.
pub(crate) async fn join_all<'a, T>(
    futures: Vec<Pin<Box<dyn Future<Output = T> + Send + 'a>>>,
) -> Vec<T> {
    let mut pending: Vec<Option<Pin<Box<dyn Future<Output = T> + Send + 'a>>>> =
        futures.into_iter().map(Some).collect();
    let mut outputs: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    poll_fn(|cx| {
        let mut all = true;
        for (slot, output) in pending.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => all = false,
                }
            }
        }
        if all { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::join_all;
    use core::future::Future;
    use core::pin::Pin;
    use core::task::{Context, Poll};

    /// Ready after `n` polls, waking itself each time.
    struct After(u32, u32);

    impl Future for After {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if self.0 == 0 {
                Poll::Ready(self.1)
            } else {
                self.0 -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn outputs_come_in_the_order_given_whatever_order_they_finish_in() {
        let futures: Vec<Pin<Box<dyn Future<Output = u32> + Send>>> = vec![
            Box::pin(After(3, 0)),
            Box::pin(After(0, 1)),
            Box::pin(After(1, 2)),
        ];
        let outputs = patternkit_core::cqrs::block_on(join_all(futures));
        assert_eq!(outputs, [0, 1, 2]);
    }
}
