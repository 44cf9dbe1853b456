//! Singleton vs Factory: one shared `Database`, and many `User`s created by type.
//!
//! A singleton answers "give me *the* database": there is one, made once, shared by all. A
//! factory answers "make me *a* user of this type": each call builds a new value, chosen by a
//! kind or a name at run time.
//!
//! Run it with `cargo run --example factory`.

use std::sync::Mutex;

use patternkit::prelude::*;

/// The one database of the process.
#[singleton(init = Database::connect)]
struct Database {
    url: &'static str,
    rows: Mutex<Vec<String>>,
}

impl Database {
    fn connect() -> Self {
        println!("  (connecting to the database, once)");
        Database {
            url: "postgres://localhost/users",
            rows: Mutex::new(Vec::new()),
        }
    }

    fn save(&self, row: String) -> usize {
        let mut rows = self
            .rows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rows.push(row);
        rows.len()
    }
}

/// What every kind of user can do.
trait User {
    fn describe(&self) -> String;
    fn can_delete_accounts(&self) -> bool;
}

#[derive(Default)]
struct Admin {
    permissions: Vec<&'static str>,
}

impl User for Admin {
    fn describe(&self) -> String {
        format!("admin with {:?}", self.permissions)
    }
    fn can_delete_accounts(&self) -> bool {
        true
    }
}

#[derive(Default)]
struct Member {
    posts: u32,
}

impl User for Member {
    fn describe(&self) -> String {
        format!("member with {} posts", self.posts)
    }
    fn can_delete_accounts(&self) -> bool {
        false
    }
}

#[derive(Default)]
struct Guest;

impl User for Guest {
    fn describe(&self) -> String {
        "guest".to_owned()
    }
    fn can_delete_accounts(&self) -> bool {
        false
    }
}

fn default_admin() -> Admin {
    Admin {
        permissions: vec!["read", "write", "delete"],
    }
}

/// The user factory: `UserType::from_name("admin")`, `UserType::create(..)`.
#[derive(Factory)]
#[factory(product = dyn User, kind = UserKind)]
enum UserType {
    #[factory(with = default_admin, alias = "administrator", alias = "root")]
    Admin(Admin),
    #[factory(alias = "user")]
    Member(Member),
    Guest(Guest),
}

fn main() {
    println!("Singleton: the same Database every time");
    let first = Database::instance();
    let second = Database::instance();
    println!(
        "  Database::instance() twice gives one instance: {} (url {})",
        std::ptr::eq(first, second),
        first.url
    );

    println!("\nFactory: users created by type, each a new value");
    for requested in ["admin", "User", "ROOT", "guest", "superuser"] {
        match UserType::from_name(requested) {
            Ok(user) => {
                let kind = user.kind();
                let user = user.into_product();
                let count = Database::instance().save(user.describe());
                println!(
                    "  {requested:>9} -> {kind} ({}); may delete accounts: {}; saved as row {count}",
                    user.describe(),
                    user.can_delete_accounts()
                );
            }
            Err(error) => println!("  {requested:>9} -> error: {error}"),
        }
    }

    println!("\nEvery kind the factory knows, in order:");
    for kind in UserKind::ALL {
        let user = UserType::create_product(*kind);
        println!("  {kind:<7} {}", user.describe());
    }
}
