//! A saga by choreography: no coordinator, only services reacting to each other's events on
//! the CQRS bus. An order service places an order, a payment service charges, a shipping
//! service ships; when shipping fails, its event makes the payment service refund and the
//! order service cancel. Every event carries the order's correlation id.
//!
//! Run it with `cargo run --example saga_choreography`.

use std::sync::{Arc, Mutex, PoisonError};

use patternkit::cqrs::{Bus, Command, CorrelationId, Event, Publisher, block_on, handlers};

// The events, each carrying the id that links one order's events.

#[derive(Event, Clone, Debug)]
pub(crate) struct OrderPlaced {
    pub(crate) correlation: CorrelationId,
    pub(crate) amount: u64,
}

#[derive(Event, Clone, Debug)]
pub(crate) struct PaymentCharged {
    pub(crate) correlation: CorrelationId,
    pub(crate) amount: u64,
}

#[derive(Event, Clone, Debug)]
pub(crate) struct ParcelShipped {
    pub(crate) correlation: CorrelationId,
}

#[derive(Event, Clone, Debug)]
pub(crate) struct ShippingFailed {
    pub(crate) correlation: CorrelationId,
    pub(crate) reason: String,
}

#[derive(Event, Clone, Debug)]
pub(crate) struct PaymentRefunded {
    pub(crate) correlation: CorrelationId,
}

#[derive(Event, Clone, Debug)]
pub(crate) struct OrderCancelled {
    pub(crate) correlation: CorrelationId,
}

#[derive(Command)]
#[command(output = CorrelationId)]
pub(crate) struct PlaceOrder {
    pub(crate) amount: u64,
}

/// What happened, in order, as the services saw it.
#[derive(Default)]
pub(crate) struct Timeline(Mutex<Vec<String>>);

impl Timeline {
    fn note(&self, line: String) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

// The services. Each publishes its next event through the bus it is part of.

pub(crate) struct Orders {
    pub(crate) events: Publisher<Shop>,
    timeline: Arc<Timeline>,
}

#[handlers]
impl Orders {
    #[command]
    async fn place(&self, command: PlaceOrder) -> Result<CorrelationId, std::convert::Infallible> {
        let correlation = CorrelationId::new();
        self.timeline
            .note(format!("orders:   placed an order of {}", command.amount));
        let placed = OrderPlaced {
            correlation: correlation.clone(),
            amount: command.amount,
        };
        self.events.publish(placed).await.ok();
        Ok(correlation)
    }

    #[event]
    fn on_shipped(&self, _: &ParcelShipped) {
        self.timeline.note("orders:   order complete".into());
    }

    #[event]
    async fn on_refunded(&self, event: &PaymentRefunded) {
        self.timeline
            .note("orders:   cancelled the order (compensation)".into());
        let cancelled = OrderCancelled {
            correlation: event.correlation.clone(),
        };
        self.events.publish(cancelled).await.ok();
    }
}

pub(crate) struct Payments {
    events: Publisher<Shop>,
    timeline: Arc<Timeline>,
}

#[handlers]
impl Payments {
    #[event]
    async fn on_placed(&self, event: &OrderPlaced) {
        self.timeline
            .note(format!("payments: charged {}", event.amount));
        let charged = PaymentCharged {
            correlation: event.correlation.clone(),
            amount: event.amount,
        };
        self.events.publish(charged).await.ok();
    }

    #[event]
    async fn on_shipping_failed(&self, event: &ShippingFailed) {
        self.timeline.note(format!(
            "payments: refunded the charge, as {} (compensation)",
            event.reason
        ));
        let refunded = PaymentRefunded {
            correlation: event.correlation.clone(),
        };
        self.events.publish(refunded).await.ok();
    }
}

pub(crate) struct Shipping {
    events: Publisher<Shop>,
    timeline: Arc<Timeline>,
    /// Whether the courier takes parcels today.
    pub(crate) available: bool,
}

#[handlers]
impl Shipping {
    #[event]
    async fn on_charged(&self, event: &PaymentCharged) {
        let correlation = event.correlation.clone();
        if self.available {
            self.timeline.note(format!(
                "shipping: shipped the parcel ({} paid)",
                event.amount
            ));
            self.events
                .publish(ParcelShipped { correlation })
                .await
                .ok();
        } else {
            self.timeline
                .note("shipping: no courier today — shipping failed".into());
            let reason = "shipping failed".to_owned();
            self.events
                .publish(ShippingFailed {
                    correlation,
                    reason,
                })
                .await
                .ok();
        }
    }
}

/// Every event, with the order it belongs to.
pub(crate) struct Log {
    pub(crate) seen: Mutex<Vec<(&'static str, CorrelationId)>>,
}

#[handlers]
impl Log {
    #[event]
    fn placed(&self, event: &OrderPlaced) {
        self.record("OrderPlaced", &event.correlation);
    }
    #[event]
    fn charged(&self, event: &PaymentCharged) {
        self.record("PaymentCharged", &event.correlation);
    }
    #[event]
    fn shipped(&self, event: &ParcelShipped) {
        self.record("ParcelShipped", &event.correlation);
    }
    #[event]
    fn failed(&self, event: &ShippingFailed) {
        self.record("ShippingFailed", &event.correlation);
    }
    #[event]
    fn refunded(&self, event: &PaymentRefunded) {
        self.record("PaymentRefunded", &event.correlation);
    }
    #[event]
    fn cancelled(&self, event: &OrderCancelled) {
        self.record("OrderCancelled", &event.correlation);
    }
}

impl Log {
    fn record(&self, name: &'static str, correlation: &CorrelationId) {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((name, correlation.clone()));
    }
}

#[derive(Bus)]
pub(crate) struct Shop {
    #[subscribes(
        OrderPlaced,
        PaymentCharged,
        ParcelShipped,
        ShippingFailed,
        PaymentRefunded
    )]
    #[subscribes(OrderCancelled)]
    pub(crate) log: Log,
    #[handles(PlaceOrder)]
    #[subscribes(ParcelShipped, PaymentRefunded)]
    pub(crate) orders: Orders,
    #[subscribes(OrderPlaced, ShippingFailed)]
    pub(crate) payments: Payments,
    #[subscribes(PaymentCharged)]
    pub(crate) shipping: Shipping,
}

/// The shop with its services wired to one bus.
pub(crate) fn shop(courier_available: bool) -> (Arc<Shop>, Arc<Timeline>) {
    let events = Publisher::new();
    let timeline = Arc::new(Timeline::default());
    let shop = Arc::new(Shop {
        log: Log {
            seen: Mutex::new(Vec::new()),
        },
        orders: Orders {
            events: events.clone(),
            timeline: Arc::clone(&timeline),
        },
        payments: Payments {
            events: events.clone(),
            timeline: Arc::clone(&timeline),
        },
        shipping: Shipping {
            events: events.clone(),
            timeline: Arc::clone(&timeline),
            available: courier_available,
        },
    });
    events.attach(&shop);
    (shop, timeline)
}

fn main() {
    for courier in [true, false] {
        println!(
            "\n== {}",
            if courier {
                "an order that ships"
            } else {
                "an order whose shipping fails"
            }
        );
        let (shop, timeline) = shop(courier);
        let correlation = match block_on(shop.send(PlaceOrder { amount: 42 })) {
            Ok(correlation) => correlation,
            Err(error) => {
                eprintln!("the order was not placed: {error}");
                return;
            }
        };
        for line in timeline.lines() {
            println!("  {line}");
        }
        let seen = shop.log.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let names: Vec<&str> = seen.iter().map(|(name, _)| *name).collect();
        println!("  events of order {correlation}: {}", names.join(" → "));
    }
}
