//! Liskov substitution: a subtype must be usable wherever its supertype is. The classic
//! violation is a `Bird` that can `fly`, and a `Penguin` that is a bird but cannot, so code
//! written for birds breaks at run time. The fix splits the capability into its own trait: a
//! penguin is a bird, not a flyer, and asking it to fly no longer compiles
//! (`tests/ui/solid/penguin-cannot-fly.rs` keeps that misuse as a compile-fail case).
//!
//! Run it with `cargo run --example solid_lsp`.

mod violating {
    /// Every bird flies — which is not true of every bird.
    pub trait Bird {
        fn name(&self) -> &'static str;
        fn fly(&self) -> Result<String, String>;
    }

    pub struct Sparrow;
    pub struct Penguin;

    impl Bird for Sparrow {
        fn name(&self) -> &'static str {
            "sparrow"
        }
        fn fly(&self) -> Result<String, String> {
            Ok("the sparrow flies".to_owned())
        }
    }

    impl Bird for Penguin {
        fn name(&self) -> &'static str {
            "penguin"
        }
        fn fly(&self) -> Result<String, String> {
            Err("penguins can't fly".to_owned())
        }
    }

    /// Written for birds; breaks for one of them.
    pub fn migrate(birds: &[&dyn Bird]) {
        for bird in birds {
            match bird.fly() {
                Ok(done) => println!("  {done}"),
                Err(problem) => println!("  at run time, the {}: {problem}", bird.name()),
            }
        }
    }
}

mod fixed {
    /// What every bird can do.
    pub trait Bird {
        fn name(&self) -> &'static str;
    }

    /// Only the birds that fly.
    pub trait Flyer: Bird {
        fn fly(&self) -> String;
    }

    pub struct Sparrow;
    pub struct Penguin;

    impl Bird for Sparrow {
        fn name(&self) -> &'static str {
            "sparrow"
        }
    }

    impl Flyer for Sparrow {
        fn fly(&self) -> String {
            "the sparrow flies".to_owned()
        }
    }

    impl Bird for Penguin {
        fn name(&self) -> &'static str {
            "penguin"
        }
    }

    /// Written for flyers: every one it is given can fly.
    pub fn migrate(flyers: &[&dyn Flyer]) {
        for flyer in flyers {
            println!("  {}", flyer.fly());
        }
    }

    /// Written for birds: asks only what every bird can do.
    pub fn census(birds: &[&dyn Bird]) {
        let names: Vec<&str> = birds.iter().map(|b| b.name()).collect();
        println!("  counted: {names:?}");
    }
}

fn main() {
    println!("The violation: Penguin is a Bird, but code for birds fails on it.");
    violating::migrate(&[&violating::Sparrow, &violating::Penguin]);

    println!("The fix: flying is its own trait.");
    fixed::migrate(&[&fixed::Sparrow]);
    fixed::census(&[&fixed::Sparrow, &fixed::Penguin]);
    println!("  `fixed::migrate(&[&fixed::Penguin])` does not compile: Penguin is not a Flyer.");
}
