//! The idempotent producer against the in-process broker: retries after lost acknowledgements
//! store each message once, a restarted producer fences the old one, and the consumer's
//! committed position never passes a message still being handled.

use std::sync::Arc;

use patternkit::cqrs::block_on;
use patternkit::messaging::{
    Broker, Faults, MemoryBroker, MessageId, Positions, Producer, SendError,
};
use patternkit::store::MemoryJournal;

#[test]
fn retries_after_lost_acknowledgements_store_each_message_once() {
    let faults = Faults {
        lose_publish_ack: 400,
        ..Faults::default()
    };
    let broker = Arc::new(MemoryBroker::new().with_faults(faults, 7));
    let journal = MemoryJournal::new();
    let producer = block_on(Producer::start(Arc::clone(&broker), &journal, "orders"))
        .unwrap()
        .attempts(20);
    for n in 0..200 {
        let id = MessageId::new(&format!("order-{n}")).unwrap();
        block_on(producer.send(&format!("customer-{}", n % 5), id, "{}")).unwrap();
    }
    let counts = broker.counts();
    assert_eq!(broker.stored(), 200, "{counts:?}");
    assert!(
        counts.lost_publish_acks > 0 && counts.duplicates_suppressed > 0,
        "{counts:?}"
    );
}

#[test]
fn a_restarted_producer_fences_the_one_it_replaces() {
    let broker = Arc::new(MemoryBroker::new());
    let journal = MemoryJournal::new();
    let old = block_on(Producer::start(Arc::clone(&broker), &journal, "orders")).unwrap();
    block_on(old.send("k", MessageId::new("a").unwrap(), "1")).unwrap();
    let new = block_on(Producer::start(Arc::clone(&broker), &journal, "orders")).unwrap();
    assert_eq!((old.epoch(), new.epoch()), (1, 2));
    block_on(new.send("k", MessageId::new("b").unwrap(), "2")).unwrap();
    let error = block_on(old.send("k", MessageId::new("c").unwrap(), "3")).unwrap_err();
    assert_eq!(error, SendError::Fenced);
    assert!(error.to_string().contains("must stop sending"));
    assert_eq!(broker.stored(), 2);
}

#[test]
fn a_broker_that_stays_away_is_reported_as_unconfirmed_and_safe_to_retry() {
    let faults = Faults {
        crash: 1000,
        ..Faults::default()
    };
    let broker = MemoryBroker::new().with_faults(faults, 3);
    let journal = MemoryJournal::new();
    let producer = block_on(Producer::start(&broker, &journal, "p"))
        .unwrap()
        .attempts(3);
    let error = block_on(producer.send("k", MessageId::new("x").unwrap(), "1")).unwrap_err();
    assert!(matches!(error, SendError::Unconfirmed(_)), "{error}");
    assert!(error.to_string().contains("same id is safe"), "{error}");
    assert!(block_on(broker.fetch("c", 1)).is_err());
}

#[test]
fn the_committed_position_is_the_lowest_unfinished_offset() {
    let mut positions = Positions::new(10);
    assert!(
        !positions.started(9),
        "below the committed position: already done"
    );
    for offset in 10..15 {
        assert!(positions.started(offset));
    }
    positions.finished(13);
    positions.finished(11);
    assert_eq!(positions.committed(), 10);
    positions.failed(10); // comes again
    assert_eq!(positions.committed(), 10);
    assert!(positions.started(10));
    positions.finished(10);
    assert_eq!(positions.committed(), 12);
    assert!(
        !positions.started(13),
        "finished out of order: not run again"
    );
    positions.finished(12);
    positions.finished(14);
    assert_eq!(positions.committed(), 15);
    assert_eq!(positions.in_flight(), 0);
}
