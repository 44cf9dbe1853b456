//! Deferred events: kept while the state defers them, tried again in order after each
//! transition, nothing dropped.

use patternkit::state_machine::{Deferring, Outcome};
use patternkit::{Rejection, StateMachine};

#[derive(Debug, Clone, PartialEq)]
enum Ev {
    Boot,
    Ready,
    Job(u32),
    Halt,
}

fn run(event: &Ev, done: &mut Vec<u32>) {
    if let Ev::Job(n) = event {
        done.push(*n);
    }
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Vec<u32>, initial = Off, transitions = [
    Off     + Boot  => Booting,
    Booting + Ready => On,
    On      + Job   => _ then run,
    On      + Halt  => Halted,
])]
enum Worker {
    #[state(defer = [Job])]
    Off,
    #[state(defer = [Job, Halt])]
    Booting,
    On,
    #[state(final)]
    Halted,
}

#[test]
fn deferred_events_wait_for_a_state_that_takes_them() {
    let mut done = Vec::new();
    let mut worker = Deferring::new(Worker::initial());
    assert_eq!(worker.fire(Ev::Job(1), &mut done), Ok(Outcome::Deferred));
    worker.fire(Ev::Boot, &mut done).unwrap();
    // Still deferred in `Booting`; `Halt` is deferred there too, after `Job(2)`.
    assert_eq!(worker.fire(Ev::Job(2), &mut done), Ok(Outcome::Deferred));
    assert_eq!(worker.fire(Ev::Halt, &mut done), Ok(Outcome::Deferred));
    assert_eq!(worker.deferred().len(), 3);
    assert!(done.is_empty());
    assert!(worker.take_replayed().is_empty());
    // `Ready` reaches `On`: the kept events run in the order they came, and `Halt` ends it.
    worker.fire(Ev::Ready, &mut done).unwrap();
    assert_eq!(done, [1, 2]);
    assert_eq!(*worker.machine(), Worker::Halted);
    let replayed = worker.take_replayed();
    assert_eq!(replayed.len(), 3);
    assert!(replayed.iter().all(Result::is_ok));
    assert!(worker.deferred().is_empty());
}

#[test]
fn a_kept_event_rejected_when_tried_again_is_reported_not_lost() {
    let mut done = Vec::new();
    let mut worker = Deferring::new(Worker::Booting);
    worker.fire(Ev::Halt, &mut done).unwrap();
    worker.fire(Ev::Job(7), &mut done).unwrap();
    worker.fire(Ev::Ready, &mut done).unwrap();
    // `Halt` ran first and `Halted` rejects the job: it is reported, not silently dropped.
    let replayed = worker.take_replayed();
    assert_eq!(replayed.len(), 2);
    let refused = replayed[1].unwrap_err();
    assert_eq!(
        (refused.state(), refused.event(), refused.rejection()),
        ("Halted", "Job", Rejection::NoTransition)
    );
    assert!(done.is_empty());
}

#[test]
fn an_event_neither_deferred_nor_accepted_is_an_error_and_keeps_the_queue() {
    let mut done = Vec::new();
    let mut worker = Deferring::new(Worker::initial());
    worker.fire(Ev::Job(1), &mut done).unwrap();
    assert!(worker.fire(Ev::Ready, &mut done).is_err());
    let (machine, kept) = worker.into_parts();
    assert_eq!(machine, Worker::Off);
    assert_eq!(kept, [Ev::Job(1)]);
    assert!(Worker::Off.defers(&Ev::Job(0)));
    assert!(!Worker::On.defers(&Ev::Job(0)));
}
