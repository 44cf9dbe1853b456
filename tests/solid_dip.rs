//! Dependency inversion in practice: the `App` of `examples/solid_dip.rs` gets a recording
//! logger instead of the console one, through the same container, without changing `App`.

use std::sync::{Arc, Mutex};

use patternkit::di::{Container, Inject};

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

#[test]
fn a_test_swaps_in_a_recording_logger() {
    let recorder = Arc::new(RecordingLogger::default());
    let container = Container::builder()
        .instance::<dyn Logger>(recorder.clone())
        .transient::<App>()
        .build()
        .unwrap();
    container.resolve::<App>().unwrap().run();
    assert_eq!(
        *recorder.lines.lock().unwrap(),
        ["app started", "app finished"]
    );

    // And without a container at all: `new` takes the dependency by hand.
    let by_hand = Arc::new(RecordingLogger::default());
    App::new(by_hand.clone()).run();
    assert_eq!(by_hand.lines.lock().unwrap().len(), 2);
}
