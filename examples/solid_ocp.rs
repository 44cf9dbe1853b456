//! Open/closed: open to extension, closed to modification. Payment processors are the
//! products of a `#[derive(Factory)]` enum; adding one (`Crypto` below) is a new type and a new
//! variant — no existing processor, and no code that picks one by name, changes.
//!
//! Run it with `cargo run --example solid_ocp`.

use patternkit::Factory;

trait PaymentProcessor {
    fn pay(&self, cents: u64) -> String;
}

#[derive(Default)]
struct PayPal;

impl PaymentProcessor for PayPal {
    fn pay(&self, cents: u64) -> String {
        format!("PayPal charged {}.{:02}", cents / 100, cents % 100)
    }
}

#[derive(Default)]
struct Stripe;

impl PaymentProcessor for Stripe {
    fn pay(&self, cents: u64) -> String {
        format!("Stripe charged {cents} cents")
    }
}

/// The extension: a processor added later, without touching the two above.
#[derive(Default)]
struct Crypto;

impl PaymentProcessor for Crypto {
    fn pay(&self, cents: u64) -> String {
        format!("Crypto charged {cents} cents in tokens")
    }
}

#[derive(Factory)]
#[factory(product = dyn PaymentProcessor)]
enum Processor {
    PayPal(PayPal),
    Stripe(Stripe),
    Crypto(Crypto),
}

/// Checkout knows only the trait and a name: it never changes when processors are added.
fn checkout(method: &str, cents: u64) -> String {
    match Processor::from_name(method) {
        Ok(processor) => processor.into_product().pay(cents),
        Err(error) => format!("cannot pay: {error}"),
    }
}

fn main() {
    println!("Open/closed: checkout picks a processor by name and pays through the trait.");
    for method in ["pay_pal", "stripe", "crypto", "cash"] {
        println!("  checkout({method:?}, 1999) -> {}", checkout(method, 1999));
    }
    println!("adding `Crypto` added a type and a variant; `checkout` did not change.");
}
