//! The benchmark sources under `benches/report/generated/` are what their generator writes:
//! a change to the generator without its output (or an edit by hand) fails here.
//! `PK_REGENERATE=1 cargo test -p patternkit-tests --test generated_benches` rewrites them.

#[path = "../benches/report/generator.rs"]
mod generator;

#[test]
fn generated_benchmark_sources_are_fresh() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../benches/report/generated");
    let regenerate = std::env::var_os("PK_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (name, text) in generator::files() {
        let path = dir.join(name);
        if regenerate {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
        assert!(
            text.lines().all(|line| line.len() <= 120),
            "{name}: one item per line"
        );
    }
    assert!(
        stale.is_empty(),
        "stale generated sources {stale:?}: run `PK_REGENERATE=1 cargo test -p patternkit-tests --test generated_benches`"
    );
}
