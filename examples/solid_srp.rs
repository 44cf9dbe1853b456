//! Single responsibility: each type has one reason to change. `UserRepository` stores users,
//! `EmailService` sends mail, and `UserService` only composes them — it receives both by
//! injection instead of doing either job itself.
//!
//! Run it with `cargo run --example solid_srp`.

use std::sync::{Arc, Mutex, PoisonError};

use patternkit::di::{Container, Inject};

#[derive(Inject, Default)]
struct UserRepository {
    #[inject(default)]
    users: Mutex<Vec<String>>,
}

impl UserRepository {
    fn save(&self, name: &str) -> usize {
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        users.push(name.to_owned());
        println!("  UserRepository: stored {name:?} (its one job: storage)");
        users.len()
    }
}

#[derive(Inject)]
struct EmailService {
    #[inject(with = || "welcome@example.test")]
    sender: &'static str,
}

impl EmailService {
    fn send_welcome(&self, name: &str) {
        println!(
            "  EmailService: sent the welcome mail from {} to {name:?} (its one job: mail)",
            self.sender
        );
    }
}

#[derive(Inject)]
struct UserService {
    repository: Arc<UserRepository>,
    email: Arc<EmailService>,
}

impl UserService {
    fn register(&self, name: &str) -> usize {
        let id = self.repository.save(name);
        self.email.send_welcome(name);
        id
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("Single responsibility: UserService composes a repository and a mailer.");
    let container = Container::builder()
        .singleton::<UserRepository>()
        .singleton::<EmailService>()
        .transient::<UserService>()
        .build()?;
    let service = container.resolve::<UserService>()?;
    for name in ["ada", "grace"] {
        let id = service.register(name);
        println!("UserService: registered {name:?} as user {id}, doing neither job itself");
    }
    Ok(())
}
