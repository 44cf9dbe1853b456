//! Per-thread stand-ins for singletons, for tests (feature `testing`).

use core::any::Any;
use std::cell::RefCell;

use super::SingletonCell;

type Override = (usize, &'static dyn Any);

thread_local! {
    static OVERRIDES: RefCell<Vec<Override>> = const { RefCell::new(Vec::new()) };
}

fn key<T>(cell: &'static SingletonCell<T>) -> usize {
    core::ptr::from_ref(cell).addr()
}

/// The innermost override of `cell` on this thread.
pub(super) fn find<T: 'static>(cell: &'static SingletonCell<T>) -> Option<&'static T> {
    let key = key(cell);
    OVERRIDES
        .try_with(|overrides| {
            overrides
                .borrow()
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .and_then(|(_, value)| value.downcast_ref::<T>())
        })
        .ok()
        .flatten()
}

/// Runs `body` with `value` standing in for `cell` on this thread.
pub(super) fn with<T: 'static, R>(
    cell: &'static SingletonCell<T>,
    value: &'static T,
    body: impl FnOnce() -> R,
) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            let _ = OVERRIDES.try_with(|overrides| overrides.borrow_mut().pop());
        }
    }

    OVERRIDES.with_borrow_mut(|overrides| overrides.push((key(cell), value)));
    let _pop = Pop;
    body()
}
