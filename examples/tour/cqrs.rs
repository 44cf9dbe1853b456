//! CQRS: commands and queries routed at compile time, events to every subscriber.

use std::sync::Mutex;

use patternkit::cqrs::{Bus, Command, Event, Query, Registry, block_on, handlers};

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

#[derive(Bus, Default)]
struct ShopBus {
    #[handles(AddItem, ListItems)]
    cart: Cart,
    #[subscribes(ItemAdded)]
    notifier: Notifier,
}

pub fn run() {
    println!("CQRS");
    println!("----");
    let bus = ShopBus::default();
    block_on(async {
        for name in ["tea", "milk"] {
            if let Ok(count) = bus.send(AddItem { name }).await {
                println!(
                    "`bus.send(AddItem {{ name: {name:?} }})` went straight to Cart::add -> {count}"
                );
                bus.publish(&ItemAdded { count }).await;
            }
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
