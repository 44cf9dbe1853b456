//! CQRS: a user service split into a command side and a query side over separate models,
//! with events carrying each change from the write model to the read model.
//!
//! Run it with `cargo run --example cqrs`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use patternkit::cqrs::{
    Bus, Command, DispatchError, Event, Pipeline, Query, SubscriberErrors, Timing, Validate,
    Validation, ValidationError, block_on, handlers,
};

#[derive(Debug)]
enum UserError {
    NotFound(u64),
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UserError::NotFound(id) => write!(f, "no user {id}"),
        }
    }
}

// Messages.

#[derive(Command)]
#[command(output = u64, validate)]
struct CreateUser {
    name: String,
}

impl Validate for CreateUser {
    fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "must not be empty"));
        }
        Ok(())
    }
}

#[derive(Command)]
#[command(error = UserError)]
struct RenameUser {
    id: u64,
    name: String,
}

#[derive(Query)]
#[query(output = UserView, error = UserError)]
struct GetUser {
    id: u64,
}

#[derive(Query)]
#[query(output = Vec<UserView>)]
struct ListUsers;

#[derive(Event, Clone)]
struct UserCreated {
    id: u64,
    name: String,
}

#[derive(Event, Clone)]
struct UserRenamed {
    id: u64,
    name: String,
}

// The write model: the source of truth, and the events it produced.

#[derive(Default)]
struct WriteModel {
    users: BTreeMap<u64, String>,
    pending: Vec<Change>,
}

enum Change {
    Created(UserCreated),
    Renamed(UserRenamed),
}

struct UserCommandService {
    model: Arc<Mutex<WriteModel>>,
}

#[handlers]
impl UserCommandService {
    #[command]
    fn create(&self, command: CreateUser) -> Result<u64, std::convert::Infallible> {
        let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        let id = model.users.keys().next_back().map_or(1, |last| last + 1);
        model.users.insert(id, command.name.clone());
        model.pending.push(Change::Created(UserCreated {
            id,
            name: command.name,
        }));
        Ok(id)
    }

    #[command]
    async fn rename(&self, command: RenameUser) -> Result<(), UserError> {
        let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        let name = model
            .users
            .get_mut(&command.id)
            .ok_or(UserError::NotFound(command.id))?;
        name.clone_from(&command.name);
        model.pending.push(Change::Renamed(UserRenamed {
            id: command.id,
            name: command.name,
        }));
        Ok(())
    }
}

// The read model: shaped for reading, updated only by events.

#[derive(Clone, Debug)]
struct UserView {
    id: u64,
    display: String,
    renames: u32,
}

#[derive(Default)]
struct ReadModel {
    views: BTreeMap<u64, UserView>,
}

struct UserQueryService {
    model: Arc<Mutex<ReadModel>>,
}

#[handlers]
impl UserQueryService {
    #[query]
    fn get(&self, query: GetUser) -> Result<UserView, UserError> {
        let model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        model
            .views
            .get(&query.id)
            .cloned()
            .ok_or(UserError::NotFound(query.id))
    }

    #[query]
    fn list(&self, _: ListUsers) -> Result<Vec<UserView>, std::convert::Infallible> {
        let model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(model.views.values().cloned().collect())
    }

    #[event]
    fn created(&self, event: &UserCreated) {
        let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        let view = UserView {
            id: event.id,
            display: format!("@{}", event.name),
            renames: 0,
        };
        model.views.insert(event.id, view);
    }

    #[event]
    fn renamed(&self, event: &UserRenamed) {
        let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(view) = model.views.get_mut(&event.id) {
            view.display = format!("@{}", event.name);
            view.renames += 1;
        }
    }
}

struct AuditLog;

#[handlers]
impl AuditLog {
    #[event]
    fn created(&self, event: &UserCreated) {
        println!("    audit: user {} created as {:?}", event.id, event.name);
    }
}

#[derive(Bus)]
struct AppBus {
    #[handles(CreateUser, RenameUser)]
    users: UserCommandService,
    #[handles(GetUser, ListUsers)]
    #[subscribes(UserCreated, UserRenamed)]
    reads: UserQueryService,
    #[subscribes(UserCreated)]
    audit: AuditLog,
    #[middleware]
    pipeline: Pipeline,
}

impl AppBus {
    /// Moves the write model's new events to their subscribers.
    async fn flush(&self) -> Result<(), DispatchError<SubscriberErrors>> {
        let changes = {
            let mut model = self
                .users
                .model
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            std::mem::take(&mut model.pending)
        };
        for change in changes {
            match change {
                Change::Created(event) => self.publish(&event).await?,
                Change::Renamed(event) => self.publish(&event).await?,
            }
        }
        Ok(())
    }
}

fn main() {
    let timing = Arc::new(Timing::new());
    let bus = AppBus {
        users: UserCommandService {
            model: Arc::default(),
        },
        reads: UserQueryService {
            model: Arc::default(),
        },
        audit: AuditLog,
        pipeline: Pipeline::new().with(Arc::clone(&timing)).with(Validation),
    };

    block_on(async {
        println!("send CreateUser {{ name: \"ada\" }} and CreateUser {{ name: \"alan\" }}");
        let ada = bus
            .send(CreateUser { name: "ada".into() })
            .await
            .unwrap_or_default();
        let alan = bus
            .send(CreateUser {
                name: "alan".into(),
            })
            .await
            .unwrap_or_default();
        println!("  the write model gave them ids {ada} and {alan}");

        match bus.ask(GetUser { id: ada }).await {
            Ok(view) => println!("  ask GetUser before the events are published: {view:?}"),
            Err(error) => println!("  ask GetUser before the events are published: {error}"),
        }
        println!("publish the write model's events");
        if let Err(error) = bus.flush().await {
            println!("  {error}");
        }
        if let Ok(view) = bus.ask(GetUser { id: ada }).await {
            println!("  ask GetUser {{ id: {ada} }} -> {view:?}");
        }

        println!("send RenameUser {{ id: {ada}, name: \"grace\" }}, then publish");
        if let Err(error) = bus
            .send(RenameUser {
                id: ada,
                name: "grace".into(),
            })
            .await
        {
            println!("  failed: {error}");
        }
        if let Err(error) = bus.flush().await {
            println!("  {error}");
        }
        if let Ok(users) = bus.ask(ListUsers).await {
            for user in users {
                println!(
                    "  ListUsers -> {} {} (renamed {} times)",
                    user.id, user.display, user.renames
                );
            }
        }

        println!("send RenameUser {{ id: 99, .. }}");
        if let Err(DispatchError::Handler(error)) = bus
            .send(RenameUser {
                id: 99,
                name: "x".into(),
            })
            .await
        {
            println!("  the handler said: {error}");
        }
        println!("send CreateUser {{ name: \"\" }}");
        if let Err(error) = bus
            .send(CreateUser {
                name: String::new(),
            })
            .await
        {
            println!("  {error}");
        }
    });

    println!("timings recorded by the middleware:");
    for (name, timings) in timing.snapshot() {
        println!("  {name}: {} dispatches", timings.count);
    }
}
