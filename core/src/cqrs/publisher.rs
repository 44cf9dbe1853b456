//! Publishing from inside a handler: a handler holds a [`Publisher`] of the bus it is a field
//! of, so reacting to one event can publish the next — the way services choreograph a saga
//! with no coordinator.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Bus, DispatchError, Event, Publish, SubscriberErrors};

/// A typed handle to publish events on bus `B` from a handler that is one of `B`'s fields.
///
/// A handler cannot hold the bus it belongs to, so it holds a `Publisher` that is attached
/// once the bus exists: make one, give clones to the handlers, put the bus in an `Arc`, and
/// [`attach`](Publisher::attach) it. [`publish`](Publisher::publish) checks at compile time,
/// like [`Bus::publish`], that `B` publishes the event.
///
/// # Example
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use patternkit::cqrs::{Bus, Event, Publisher, block_on, handlers};
///
/// #[derive(Event)]
/// struct OrderPlaced(u32);
///
/// #[derive(Event)]
/// struct PaymentCharged(u32);
///
/// struct Payments {
///     events: Publisher<AppBus>,
/// }
///
/// #[handlers]
/// impl Payments {
///     #[event]
///     async fn on_order(&self, event: &OrderPlaced) {
///         // Reacting to one event publishes the next.
///         self.events.publish(PaymentCharged(event.0)).await.unwrap();
///     }
/// }
///
/// #[derive(Default)]
/// struct Audit(Mutex<Vec<u32>>);
///
/// #[handlers]
/// impl Audit {
///     #[event]
///     fn on_charged(&self, event: &PaymentCharged) {
///         self.0.lock().unwrap().push(event.0);
///     }
/// }
///
/// #[derive(Bus)]
/// struct AppBus {
///     #[subscribes(OrderPlaced)]
///     payments: Payments,
///     #[subscribes(PaymentCharged)]
///     audit: Audit,
/// }
///
/// let events = Publisher::new();
/// let bus = Arc::new(AppBus { payments: Payments { events: events.clone() }, audit: Audit::default() });
/// events.attach(&bus);
/// block_on(bus.publish(&OrderPlaced(7)))?;
/// assert_eq!(*bus.audit.0.lock().unwrap(), [7]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Publisher<B> {
    bus: Arc<OnceLock<Weak<B>>>,
}

impl<B> Clone for Publisher<B> {
    fn clone(&self) -> Self {
        Publisher {
            bus: Arc::clone(&self.bus),
        }
    }
}

impl<B> Default for Publisher<B> {
    fn default() -> Self {
        Publisher {
            bus: Arc::new(OnceLock::new()),
        }
    }
}

impl<B> fmt::Debug for Publisher<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.bus.get().is_some() {
            "Publisher(attached)"
        } else {
            "Publisher(not attached)"
        })
    }
}

impl<B: Bus + Send + Sync + 'static> Publisher<B> {
    /// A publisher not attached to a bus yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Attaches the bus; every clone of this publisher publishes on it. `false` when a bus
    /// was attached already (the first one stays).
    pub fn attach(&self, bus: &Arc<B>) -> bool {
        self.bus.set(Arc::downgrade(bus)).is_ok()
    }

    /// Publishes `event` to the bus's subscribers, in declaration order.
    ///
    /// The future is boxed: a handler that publishes an event whose handlers publish again
    /// would otherwise have a future type that contains itself.
    ///
    /// # Errors
    ///
    /// [`PublishError`] when no bus is attached, the bus is gone, or the bus's subscribers
    /// failed or its middleware rejected the event.
    pub fn publish<E>(
        &self,
        event: E,
    ) -> Pin<Box<dyn Future<Output = Result<(), PublishError>> + Send + '_>>
    where
        E: Event + Publish<B> + Send + Sync + 'static,
    {
        Box::pin(async move {
            let bus = self
                .bus
                .get()
                .ok_or(PublishError::NotAttached)?
                .upgrade()
                .ok_or(PublishError::BusGone)?;
            bus.publish(&event).await.map_err(PublishError::Failed)
        })
    }
}

/// Why a [`Publisher`] could not publish.
#[derive(Debug)]
pub enum PublishError {
    /// [`Publisher::attach`] was never called.
    NotAttached,
    /// The bus it was attached to has been dropped.
    BusGone,
    /// The bus published it, and some subscribers failed (or a middleware rejected it).
    Failed(DispatchError<SubscriberErrors>),
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PublishError::NotAttached => {
                "the publisher is not attached to a bus: call `publisher.attach(&bus)` once \
                 the bus is in an `Arc`"
            }
            PublishError::BusGone => "the bus this publisher was attached to has been dropped",
            PublishError::Failed(error) => return error.fmt(f),
        })
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::Failed(error) => Some(error),
            _ => None,
        }
    }
}

/// An id carried by every event of one saga run (one order, say), so its services and logs
/// can tell which events belong together.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CorrelationId(Arc<str>);

impl CorrelationId {
    /// A new id, unique within this process and unlikely to repeat across processes.
    #[must_use]
    pub fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        CorrelationId(format!("{nanos:x}-{:x}-{n:x}", std::process::id()).into())
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for CorrelationId {
    fn default() -> Self {
        Self::new()
    }
}

impl From<&str> for CorrelationId {
    fn from(id: &str) -> Self {
        CorrelationId(id.into())
    }
}

impl fmt::Display for CorrelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
