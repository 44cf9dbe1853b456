//! loom models of the pool's state under concurrent returns, waiters, closing and resizing
//! (`RUSTFLAGS="--cfg loom" cargo test -p patternkit-core --lib loom`).

use super::state::{Conn, Slot, State, Step, lock};
use loom::sync::{Arc, Mutex};
use std::time::Instant;

fn conn(id: u64) -> Conn<u64> {
    Conn {
        value: id,
        id,
        expires: None,
        last_used: Instant::now(),
    }
}

/// Takes whatever a waiter was given without blocking (loom explores the orders).
fn given(slot: &Mutex<Slot<u64>>) -> Option<u64> {
    match &*lock(slot) {
        Slot::Ready(conn) => Some(conn.value),
        _ => None,
    }
}

#[test]
fn loom_a_returned_connection_reaches_a_waiter_or_the_idle_list_never_both_never_neither() {
    loom::model(|| {
        let state = Arc::new(Mutex::new(State::<u64>::new(1, 1)));
        // One connection, in use.
        {
            let mut s = lock(&state);
            assert!(matches!(s.checkout(Instant::now()), Step::Create));
            s.created(true, None).run();
        }
        let waiting = {
            let Step::Wait(w, _) = lock(&state).checkout(Instant::now()) else {
                panic!("the pool is full: the second checkout waits");
            };
            w
        };
        let returner = {
            let state = Arc::clone(&state);
            loom::thread::spawn(move || {
                let after = lock(&state).give_back(conn(1), None);
                after.run();
            })
        };
        let canceller = {
            let state = Arc::clone(&state);
            let waiting = Arc::clone(&waiting);
            loom::thread::spawn(move || {
                let (kept, after) = lock(&state).cancel(&waiting, false);
                after.run();
                assert!(kept.is_none());
            })
        };
        returner.join().unwrap();
        canceller.join().unwrap();
        let s = lock(&state);
        // The waiter left: the connection is idle, counted once.
        assert_eq!(given(&waiting.slot), None);
        assert_eq!(s.idle.len(), 1);
        assert_eq!(s.in_use, 0);
        assert_eq!(s.size(), 1);
    });
}

#[test]
fn loom_close_racing_a_return_and_a_waiter_leaves_nothing_open_and_no_one_waiting() {
    loom::model(|| {
        let state = Arc::new(Mutex::new(State::<u64>::new(1, 1)));
        {
            let mut s = lock(&state);
            assert!(matches!(s.checkout(Instant::now()), Step::Create));
            s.created(true, None).run();
        }
        let Step::Wait(waiting, _) = lock(&state).checkout(Instant::now()) else {
            panic!("the second checkout waits");
        };
        let returner = {
            let state = Arc::clone(&state);
            loom::thread::spawn(move || lock(&state).give_back(conn(1), None).run())
        };
        let closer = {
            let state = Arc::clone(&state);
            loom::thread::spawn(move || lock(&state).close().run())
        };
        returner.join().unwrap();
        closer.join().unwrap();
        let mut s = lock(&state);
        // The waiter either got the connection before the close, or was told it closed.
        let handed = given(&waiting.slot);
        if handed.is_some() {
            let (kept, after) = s.cancel(&waiting, true);
            after.run();
            let kept = kept.expect("the handed connection");
            s.give_back(kept, None).run();
        } else {
            assert!(matches!(&*lock(&waiting.slot), Slot::Closed));
        }
        assert_eq!(s.size(), 0, "nothing left open");
        assert!(s.waiters.is_empty());
    });
}

#[test]
fn loom_resize_racing_a_return_never_exceeds_the_new_size() {
    loom::model(|| {
        let state = Arc::new(Mutex::new(State::<u64>::new(2, 2)));
        {
            let mut s = lock(&state);
            for _ in 0..2 {
                assert!(matches!(s.checkout(Instant::now()), Step::Create));
                s.created(true, None).run();
            }
        }
        let returner = {
            let state = Arc::clone(&state);
            loom::thread::spawn(move || {
                lock(&state).give_back(conn(1), None).run();
                lock(&state).give_back(conn(2), None).run();
            })
        };
        let resizer = {
            let state = Arc::clone(&state);
            loom::thread::spawn(move || lock(&state).resize(1).run())
        };
        returner.join().unwrap();
        resizer.join().unwrap();
        let s = lock(&state);
        assert!(s.size() <= 1, "size {} after resize(1)", s.size());
        assert_eq!(s.in_use, 0);
    });
}
