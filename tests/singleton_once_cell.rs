//! The behaviour tests of `once_cell`'s `sync::OnceCell` that apply to `#[singleton]`, ported
//! (a singleton is one cell per type, in a `static`): a value once made is never made again,
//! `get` does not block while another thread is making it, threads that `wait` and threads
//! that create race through many barriers, and readers spinning on `get` only ever see a
//! whole value while several threads `init` a manual singleton.
//!
//! Left out, as a `static` has no owner: dropping, `take`, `into_inner`, `get_mut`, `Clone`.
//! Different by design: an initialiser that panics leaves the singleton empty rather than
//! poisoned (`tests/singleton.rs`), and one that needs its own singleton panics naming the
//! cycle where `OnceCell` deadlocks.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use patternkit::prelude::*;

static MADE: AtomicUsize = AtomicUsize::new(0);

#[singleton(init = Answer::make)]
#[derive(Debug, PartialEq)]
struct Answer(u32);

impl Answer {
    fn make() -> Self {
        assert_eq!(MADE.fetch_add(1, Ordering::SeqCst), 0, "made twice");
        Answer(92)
    }
}

#[test]
fn once_cell() {
    assert!(Answer::get().is_none());
    thread::scope(|s| {
        s.spawn(|| {
            let _ = Answer::instance();
            assert_eq!(Answer::get(), Some(&Answer(92)));
        });
    });
    // The initialiser panics if run again.
    assert_eq!(Answer::instance(), &Answer(92));
    assert_eq!(MADE.load(Ordering::SeqCst), 1);
}

/// Held by `get_does_not_block` while the greeting is being made.
static GREETING_GATE: Mutex<Option<&'static Barrier>> = Mutex::new(None);

#[singleton(init = Greeting::make)]
struct Greeting(String);

impl Greeting {
    fn make() -> Self {
        let barrier = GREETING_GATE
            .lock()
            .unwrap()
            .expect("the test sets the gate");
        barrier.wait();
        barrier.wait();
        Greeting("hello".to_owned())
    }
}

#[test]
fn get_does_not_block() {
    let barrier: &'static Barrier = Box::leak(Box::new(Barrier::new(2)));
    *GREETING_GATE.lock().unwrap() = Some(barrier);
    thread::scope(|s| {
        s.spawn(|| {
            let _ = Greeting::instance();
        });
        barrier.wait();
        // Being made on the other thread: `get` answers at once.
        assert!(Greeting::get().is_none());
        assert!(!Greeting::is_initialized());
        barrier.wait();
    });
    assert_eq!(Greeting::get().map(|g| g.0.as_str()), Some("hello"));
}

macro_rules! stress_cells {
    ($($name:ident = $value:expr),* $(,)?) => {
        $(
            #[singleton(init = $name::make)]
            struct $name(usize);

            impl $name {
                fn make() -> Self {
                    $name($value)
                }
            }
        )*

        /// Each thread goes through every cell behind a barrier; half of them wait for it,
        /// half create it.
        #[test]
        fn get_or_init_stress() {
            const THREADS: usize = 16;
            let barriers: Vec<Barrier> = [$($value),*].iter().map(|_| Barrier::new(THREADS)).collect();
            thread::scope(|s| {
                for t in 0..THREADS {
                    let barriers = &barriers;
                    s.spawn(move || {
                        let mut barrier = barriers.iter();
                        $(
                            barrier.next().unwrap().wait();
                            let got = if t % 2 == 0 { $name::wait().0 } else { $name::instance().0 };
                            assert_eq!(got, $value);
                        )*
                    });
                }
            });
        }
    };
}

stress_cells!(
    Cell0 = 0,
    Cell1 = 1,
    Cell2 = 2,
    Cell3 = 3,
    Cell4 = 4,
    Cell5 = 5,
    Cell6 = 6,
    Cell7 = 7,
);

#[singleton(manual)]
#[derive(Debug)]
struct Message(String);

#[test]
fn does_not_leak_partially_constructed_values() {
    const MSG: &str = "Hello, World";
    thread::scope(|s| {
        for _ in 0..10 {
            s.spawn(|| {
                loop {
                    if let Some(message) = Message::get() {
                        assert_eq!(message.0, MSG);
                        break;
                    }
                    std::hint::spin_loop();
                }
            });
        }
        let writers: Vec<_> = (0..3)
            .map(|_| s.spawn(|| Message::init(Message(MSG.to_owned())).is_ok()))
            .collect();
        let won = writers
            .into_iter()
            .map(|w| w.join().unwrap())
            .filter(|&ok| ok)
            .count();
        assert_eq!(won, 1, "exactly one init succeeds");
    });
}

#[test]
fn a_singleton_is_sync_and_send() {
    fn assert_traits<T: Send + Sync>() {}
    assert_traits::<Answer>();
    assert_traits::<&'static Message>();
}
