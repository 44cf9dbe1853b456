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
