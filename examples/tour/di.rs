//! Dependency injection: structs built from their dependencies by a container whose whole
//! graph is checked before anything is created.

use std::sync::Arc;

use patternkit::di::{Container, Inject, Lifetime};

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

#[derive(Inject)]
#[allow(dead_code)]
struct Orphan {
    missing: Arc<dyn Logger>,
    other: Arc<UserService>,
}

pub fn run() {
    println!("Dependency injection");
    println!("--------------------");
    let built = Container::builder()
        .bind::<dyn Logger, ConsoleLogger>(Lifetime::Singleton, |logger| logger)
        .singleton::<UserRepository>()
        .transient::<UserService>()
        .build();
    match built {
        Ok(container) => {
            println!("the container checked its graph and resolves UserService from it:");
            if let Ok(service) = container.resolve::<UserService>() {
                service.repository.save("ada");
                service.logger.log("the same ConsoleLogger serves both");
            }
        }
        Err(errors) => println!("{errors}"),
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
