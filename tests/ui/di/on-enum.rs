//! `Inject` and `Container` on an enum are one error each: the impls and `resolve` still
//! exist, so the code using them adds none.
use std::sync::Arc;

use patternkit::di::{Container, Each, Inject, Lifetime};

trait Store: Send + Sync {}

#[derive(Inject)]
enum Service {
    A,
}

impl Store for Service {}

#[derive(Inject)]
struct App {
    store: Arc<dyn Store>,
    service: Service,
}

#[derive(Container)]
enum AppContainer {
    One,
}

#[derive(Container)]
struct Generic<T> {
    #[provide(App, transient)]
    app: Each<App>,
    marker: std::marker::PhantomData<T>,
}

fn main() {
    let container = Container::builder()
        .bind::<dyn Store, Service>(Lifetime::Singleton, |s| s)
        .transient::<App>()
        .build();
    let _ = container;
    let _ = AppContainer::One.resolve::<App>().store;
    let generic = Generic::<u8> {
        app: Each::default(),
        marker: std::marker::PhantomData,
    };
    let _ = generic.resolve::<App>().service;
}
