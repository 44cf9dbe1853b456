//! Dependency injection: structs built from their dependencies by a container whose whole
//! graph is checked before anything is created.

use std::sync::Arc;

use patternkit::di::{Container, ContainerBuilder, Inject, Lifetime};

trait Logger: Send + Sync {
    fn log(&self, line: &str);
}

#[derive(Inject)]
struct ConsoleLogger;

impl Logger for ConsoleLogger {
    fn log(&self, line: &str) {
        println!("  [log] {line}");
    }
}

#[derive(Inject)]
struct UserRepository {
    logger: Arc<dyn Logger>,
}

impl UserRepository {
    fn save(&self, name: &str) {
        self.logger.log(&format!("saved {name}"));
    }
}

#[derive(Inject)]
struct UserService {
    repository: Arc<UserRepository>,
    logger: Arc<dyn Logger>,
}

/// Writes nothing: a test's stand-in for the console.
#[derive(Inject)]
struct SilentLogger;

impl Logger for SilentLogger {
    fn log(&self, _: &str) {}
}

trait Check: Send + Sync {
    fn name(&self) -> &'static str;
}

#[derive(Inject)]
struct DiskCheck;

impl Check for DiskCheck {
    fn name(&self) -> &'static str {
        "disk"
    }
}

#[derive(Inject)]
struct DatabaseCheck;

impl Check for DatabaseCheck {
    fn name(&self) -> &'static str {
        "database"
    }
}

/// Every check added to the container, and a value given when it was built.
#[derive(Inject)]
struct Health {
    checks: Vec<Arc<dyn Check>>,
    #[inject(param)]
    service_name: &'static str,
}

#[derive(Inject)]
#[allow(dead_code)]
struct Orphan {
    missing: Arc<dyn Logger>,
    other: Arc<UserService>,
}

/// The application's bindings, assembled once; tests derive variants from them.
fn application() -> ContainerBuilder {
    Container::builder()
        .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |logger| logger)
        .singleton::<UserRepository>()
        .transient::<UserService>()
        .add::<dyn Check, DiskCheck>(Lifetime::Singleton, |check| check)
        .add::<dyn Check, DatabaseCheck>(Lifetime::Singleton, |check| check)
        .transient::<Health>()
        .param::<Health>("service_name", "shop")
}

pub fn run() {
    println!("Dependency injection");
    println!("--------------------");
    let built = application().build();
    match built {
        Ok(container) => {
            println!("the container checked its graph and resolves UserService from it:");
            if let Ok(service) = container.resolve::<UserService>() {
                service.repository.save("ada");
                service.logger.log("the same ConsoleLogger serves both");
            }
            if let Ok(health) = container.resolve::<Health>() {
                let names: Vec<_> = health.checks.iter().map(|check| check.name()).collect();
                println!(
                    "a `Vec<Arc<dyn Check>>` field gets every check added, in order: {names:?} \
                     (for `{}`, a parameter given at build time)",
                    health.service_name
                );
            }
        }
        Err(errors) => println!("{errors}"),
    }
    let test = application()
        .replace::<dyn Logger, SilentLogger>(Lifetime::Singleton, |logger| logger)
        .build();
    if let Ok(container) = test {
        if let Ok(service) = container.resolve::<UserService>() {
            service.repository.save("grace");
            println!("a test replaced the logger of the same bindings: nothing was logged");
        }
    }
    let broken = Container::builder().transient::<Orphan>().build();
    if let Err(errors) = broken {
        println!("a container missing bindings is refused before anything is created:");
        for error in errors.0 {
            println!("  {error}");
        }
    }
    println!();
}
