//! The strict crate's door, driven through every kind of row.

#[test]
fn door_runs_hooks_actions_and_superstate_rows() {
    assert_eq!(
        patternkit_strict::machines::door_log(),
        [
            "knock",
            "leave",
            "enter",
            "leave",
            "enter",
            "lock",
            "unlock after 1",
            "leave"
        ]
    );
}

#[test]
fn wiring_shares_one_logger() {
    assert_eq!(patternkit_strict::wiring::run(), 2);
}

#[test]
fn gate_tells_its_barrier_what_to_do() {
    use patternkit_strict::machines::{Barrier, Coin, Gate};
    let mut gate = Gate::initial();
    let outputs: Vec<Option<&Barrier>> = [Coin::Push, Coin::Insert, Coin::Insert, Coin::Push]
        .iter()
        .map(|coin| gate.fire(coin).ok().and_then(|fired| fired.output()))
        .collect();
    assert_eq!(
        outputs,
        [None, Some(&Barrier::Open), None, Some(&Barrier::Close)]
    );
}

#[test]
fn pipelines_fire_alike_with_and_without_a_guard() {
    use patternkit_strict::machines::{GuardedPipeline, Pipeline, Stage};
    let (mut plain, mut guarded) = (Pipeline::initial(), GuardedPipeline::initial());
    for stage in [
        Stage::Retry,
        Stage::Step,
        Stage::Step,
        Stage::Fail,
        Stage::Retry,
        Stage::Step,
    ] {
        let (a, b) = (plain.fire(&stage), guarded.fire(&stage));
        assert_eq!(a.is_ok(), b.is_ok(), "{stage:?}");
        assert_eq!(plain.state_name(), guarded.state_name());
    }
    assert_eq!(plain, Pipeline::Fetching);
}

#[test]
fn every_macro_works_where_the_prelude_is_shadowed() {
    assert_eq!(patternkit_strict::hygiene::run(), ("On", 2, true));
}
