//! The README shows each protocol's state machines as their own `to_mermaid()` draws them.

use patternkit_commit::{three_phase, two_phase};

#[test]
fn the_readme_shows_the_diagrams_the_machines_draw() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the README");
    for (what, diagram) in [
        ("2PC coordinator", two_phase::Coordinator::to_mermaid()),
        ("2PC participant", two_phase::Participant::to_mermaid()),
        ("3PC participant", three_phase::Participant::to_mermaid()),
    ] {
        assert!(
            readme.contains(diagram.trim_end()),
            "the README's {what} diagram is not what the machine draws now:\n{diagram}"
        );
    }
}
