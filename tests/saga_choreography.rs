//! The choreography example as a test: the events each order produces, in order, all with
//! the order's correlation id, and the compensating events when shipping fails.

#[allow(dead_code)]
#[path = "../examples/saga_choreography.rs"]
mod story;

use patternkit::cqrs::block_on;

fn run(courier: bool) -> (Vec<&'static str>, Vec<String>) {
    let (shop, timeline) = story::shop(courier);
    let correlation = block_on(shop.send(story::PlaceOrder { amount: 42 })).unwrap();
    let seen = shop.log.seen.lock().unwrap().clone();
    assert!(seen.iter().all(|(_, c)| *c == correlation), "{seen:?}");
    (
        seen.into_iter().map(|(name, _)| name).collect(),
        timeline.lines(),
    )
}

#[test]
fn an_order_that_ships_completes_without_a_coordinator() {
    let (events, _) = run(true);
    assert_eq!(events, ["OrderPlaced", "PaymentCharged", "ParcelShipped"]);
}

#[test]
fn a_shipping_failure_publishes_the_compensations_the_earlier_services_handle() {
    let (events, timeline) = run(false);
    assert_eq!(
        events,
        [
            "OrderPlaced",
            "PaymentCharged",
            "ShippingFailed",
            "PaymentRefunded",
            "OrderCancelled"
        ]
    );
    assert!(
        timeline[3].starts_with("payments: refunded"),
        "{timeline:?}"
    );
    assert!(
        timeline[4].starts_with("orders:   cancelled"),
        "{timeline:?}"
    );
}

#[test]
fn two_orders_keep_their_events_apart() {
    let (shop, _) = story::shop(true);
    let first = block_on(shop.send(story::PlaceOrder { amount: 1 })).unwrap();
    let second = block_on(shop.send(story::PlaceOrder { amount: 2 })).unwrap();
    assert_ne!(first, second);
    let seen = shop.log.seen.lock().unwrap();
    assert_eq!(seen.iter().filter(|(_, c)| *c == first).count(), 3);
    assert_eq!(seen.iter().filter(|(_, c)| *c == second).count(), 3);
}

#[test]
fn a_publisher_without_a_bus_says_so() {
    let events: patternkit::cqrs::Publisher<story::Shop> = patternkit::cqrs::Publisher::new();
    let error = block_on(events.publish(story::OrderCancelled {
        correlation: "x".into(),
    }))
    .unwrap_err();
    assert!(matches!(error, patternkit::cqrs::PublishError::NotAttached));
    let (shop, _) = story::shop(true);
    let detached = shop.orders.events.clone();
    drop(shop);
    let error = block_on(detached.publish(story::OrderCancelled {
        correlation: "x".into(),
    }))
    .unwrap_err();
    assert!(matches!(error, patternkit::cqrs::PublishError::BusGone));
}
