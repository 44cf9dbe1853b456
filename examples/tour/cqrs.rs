//! CQRS: commands and queries routed at compile time, events to every subscriber.

use std::sync::Mutex;

use patternkit::cqrs::{
    Behavior, Bus, Command, DispatchError, Event, Next, Query, Registry, Response, ValidationError,
    block_on, handlers,
};

#[derive(Command)]
#[command(output = u32)]
struct AddItem {
    name: &'static str,
}

#[derive(Query)]
#[query(output = Vec<&'static str>)]
struct ListItems;

#[derive(Event)]
struct ItemAdded {
    count: u32,
}

#[derive(Default)]
struct Cart {
    items: Mutex<Vec<&'static str>>,
}

#[handlers]
impl Cart {
    #[command]
    fn add(&self, command: AddItem) -> Result<u32, std::convert::Infallible> {
        let mut items = self
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        items.push(command.name);
        Ok(u32::try_from(items.len()).unwrap_or(u32::MAX))
    }

    #[query]
    async fn list(&self, _: ListItems) -> Result<Vec<&'static str>, std::convert::Infallible> {
        Ok(self
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone())
    }
}

#[derive(Default)]
struct Notifier;

#[handlers]
impl Notifier {
    #[event]
    fn added(&self, event: &ItemAdded) {
        println!(
            "  the Notifier subscriber heard: the cart now holds {} item(s)",
            event.count
        );
    }
}

/// A subscriber that can fail: its error is collected, and the other subscribers still run.
#[derive(Default)]
struct Mailer;

#[handlers]
impl Mailer {
    #[event]
    async fn added(&self, event: &ItemAdded) -> Result<(), String> {
        if event.count > 1 {
            return Err("the mail server is down".into());
        }
        println!("  the Mailer subscriber sent a receipt");
        Ok(())
    }
}

/// A behaviour around one command: it sees the request, and calls `next` or answers itself.
#[derive(Default)]
struct NoEmptyNames;

impl Behavior<AddItem> for NoEmptyNames {
    async fn handle<N: Next<AddItem>>(&self, request: AddItem, next: N) -> Response<AddItem> {
        if request.name.is_empty() {
            return Err(DispatchError::rejected(
                "AddItem",
                ValidationError::new("name", "must not be empty"),
            ));
        }
        next.run(request).await
    }
}

#[derive(Bus, Default)]
struct ShopBus {
    #[behavior(AddItem)]
    names: NoEmptyNames,
    #[handles(AddItem, ListItems)]
    cart: Cart,
    #[subscribes(ItemAdded)]
    notifier: Notifier,
    #[subscribes(ItemAdded)]
    mailer: Mailer,
}

pub fn run() {
    println!("CQRS");
    println!("----");
    let bus = ShopBus::default();
    block_on(async {
        for name in ["tea", "milk"] {
            if let Ok(count) = bus.send(AddItem { name }).await {
                println!(
                    "`bus.send(AddItem {{ name: {name:?} }})` went through NoEmptyNames to Cart::add -> {count}"
                );
                // All subscribers at once, on this task; failures come back together.
                if let Err(error) = bus.publish_concurrently(&ItemAdded { count }).await {
                    println!("  publishing reported: {error}");
                }
            }
        }
        if let Err(error) = bus.send(AddItem { name: "" }).await {
            println!("the NoEmptyNames behaviour stopped `AddItem {{ name: \"\" }}`: {error}");
        }
        if let Ok(items) = bus.ask(ListItems).await {
            println!("`bus.ask(ListItems)` -> {items:?}");
        }
    });
    println!(
        "a command the bus has no handler for does not compile: \"`ShopBus` has no handler for `RemoveItem`\""
    );

    let registry = Registry::builder()
        .command::<AddItem>(Cart::default())
        .build();
    if let Ok(registry) = registry {
        let added = block_on(registry.send(AddItem { name: "bread" }));
        println!("the runtime Registry, filled while running, dispatches the same way: {added:?}");
        let missing = block_on(registry.ask(ListItems));
        if let Err(error) = missing {
            println!("and reports what it lacks: {error}");
        }
    }
    println!();
}
