//! Runs the report's four-step saga with steno and its in-memory store, one saga after
//! another, and prints the mean microseconds per saga.

use std::sync::Arc;
use std::time::Instant;

use steno::{
    Action, ActionContext, ActionError, ActionFunc, ActionRegistry, DagBuilder, Node, SagaDag,
    SagaId, SagaName, SagaType,
};

#[derive(Debug)]
struct Four;

impl SagaType for Four {
    type ExecContextType = ();
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Input(u64);

async fn first(cx: ActionContext<Four>) -> Result<u64, ActionError> {
    Ok(std::hint::black_box(cx.saga_params::<Input>()?.0 + 1))
}

async fn next(cx: ActionContext<Four>, from: &str) -> Result<u64, ActionError> {
    Ok(std::hint::black_box(cx.lookup::<u64>(from)? + 1))
}

async fn second(cx: ActionContext<Four>) -> Result<u64, ActionError> {
    next(cx, "first").await
}

async fn third(cx: ActionContext<Four>) -> Result<u64, ActionError> {
    next(cx, "second").await
}

async fn fourth(cx: ActionContext<Four>) -> Result<u64, ActionError> {
    next(cx, "third").await
}

async fn undo(_: ActionContext<Four>) -> Result<(), anyhow::Error> {
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let sec = steno::sec(log, Arc::new(steno::InMemorySecStore::new()));
    let actions: Vec<Arc<dyn Action<Four>>> = vec![
        ActionFunc::new_action("first", first, undo),
        ActionFunc::new_action("second", second, undo),
        ActionFunc::new_action("third", third, undo),
        ActionFunc::new_action("fourth", fourth, undo),
    ];
    let mut registry = ActionRegistry::new();
    for action in &actions {
        registry.register(Arc::clone(action));
    }
    let registry = Arc::new(registry);
    let started = Instant::now();
    for _ in 0..runs {
        let mut builder = DagBuilder::new(SagaName::new("four"));
        for (name, action) in ["first", "second", "third", "fourth"].iter().zip(&actions) {
            builder.append(Node::action(name, name, action.as_ref()));
        }
        let dag = Arc::new(SagaDag::new(builder.build().expect("a dag"), serde_json_params()));
        let id = SagaId::new_v4();
        let done = sec.saga_create(id, Arc::new(()), dag, Arc::clone(&registry)).await.expect("created");
        sec.saga_start(id).await.expect("started");
        let result = done.await;
        assert!(result.kind.is_ok());
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(runs);
    println!("{micros:.1}");
}

fn serde_json_params() -> serde_json::Value {
    serde_json::json!(1)
}
