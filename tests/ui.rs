//! Compile-fail cases: each file under `tests/ui/` is one mistake, and its `.stderr` is the
//! message a user sees. Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p patternkit-tests --test ui`
//! after a deliberate change of wording, and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
}
