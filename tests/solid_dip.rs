//! Dependency inversion in practice: the `App` of `examples/solid_dip.rs` gets a recording
//! logger from a test container instead of the console one, without changing `App`.

use std::sync::{Arc, Mutex};

use patternkit::di::{Container, Each, Inject, Once};

trait Logger: Send + Sync {
    fn log(&self, line: &str);
}

#[derive(Inject)]
struct App {
    logger: Arc<dyn Logger>,
}

impl App {
    fn run(&self) {
        self.logger.log("app started");
        self.logger.log("app finished");
    }
}

#[derive(Inject, Default)]
struct RecordingLogger {
    #[inject(default)]
    lines: Mutex<Vec<String>>,
}

impl Logger for RecordingLogger {
    fn log(&self, line: &str) {
        self.lines.lock().unwrap().push(line.to_owned());
    }
}

/// The same wiring as production, with the recording logger.
#[derive(Container, Default)]
struct TestContainer {
    #[provide(dyn Logger, singleton)]
    logger: Once<RecordingLogger>,
    #[provide(App, transient)]
    app: Each<App>,
}

#[test]
fn a_test_swaps_in_a_recording_logger() {
    let container = TestContainer::default();
    container.resolve::<App>().run();
    let logger = container.logger.get_or_init(RecordingLogger::default);
    assert_eq!(
        *logger.lines.lock().unwrap(),
        ["app started", "app finished"]
    );

    // And without a container at all: `new` takes the dependency by hand.
    let by_hand = Arc::new(RecordingLogger::default());
    App::new(by_hand.clone()).run();
    assert_eq!(by_hand.lines.lock().unwrap().len(), 2);
}
