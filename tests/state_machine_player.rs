//! The CD player of Boost.MSM's tutorial, ported: first as its flat transition table, then
//! with the states that play a disc grouped in a superstate, which removes the repeated rows.
//! Both must do the same actions for the same events.

use patternkit::StateMachine;

#[derive(Debug, Clone, Copy, PartialEq)]
enum PlayerEvent {
    Play,
    OpenClose,
    CdDetected,
    Stop,
    Pause,
    EndPause,
}

#[derive(Default)]
struct Deck {
    actions: Vec<&'static str>,
}

macro_rules! actions {
    ($($name:ident)*) => {
        $(fn $name(_: &PlayerEvent, deck: &mut Deck) {
            deck.actions.push(stringify!($name));
        })*
    };
}

actions!(start_playback open_drawer stopped_again close_drawer store_cd_info stop_playback
         pause_playback stop_and_open resume_playback);

#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = PlayerEvent, context = Deck, initial = Empty, transitions = [
    Stopped + Play       => Playing then start_playback,
    Stopped + OpenClose  => Open    then open_drawer,
    Stopped + Stop       => Stopped then stopped_again,
    Open    + OpenClose  => Empty   then close_drawer,
    Empty   + OpenClose  => Open    then open_drawer,
    Empty   + CdDetected => Stopped then store_cd_info,
    Playing + Stop       => Stopped then stop_playback,
    Playing + Pause      => Paused  then pause_playback,
    Playing + OpenClose  => Open    then stop_and_open,
    Paused  + EndPause   => Playing then resume_playback,
    Paused  + Stop       => Stopped then stop_playback,
    Paused  + OpenClose  => Open    then stop_and_open,
])]
enum Player {
    Empty,
    Open,
    Stopped,
    Playing,
    Paused,
}

fn leave_active(deck: &mut Deck) {
    deck.actions.push("leave Active");
}

fn enter_active(deck: &mut Deck) {
    deck.actions.push("enter Active");
}

#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(
    event = PlayerEvent,
    context = Deck,
    initial = Empty,
    superstate(Active, initial = Playing, states = [Playing, Paused], entry = enter_active, exit = leave_active),
    transitions = [
        Stopped + Play       => Active  then start_playback,
        Stopped + OpenClose  => Open    then open_drawer,
        Stopped + Stop       => Stopped then stopped_again,
        Open    + OpenClose  => Empty   then close_drawer,
        Empty   + OpenClose  => Open    then open_drawer,
        Empty   + CdDetected => Stopped then store_cd_info,
        Playing + Pause      => Paused  then pause_playback,
        Paused  + EndPause   => Playing then resume_playback,
        Active  + Stop       => Stopped then stop_playback,
        Active  + OpenClose  => Open    then stop_and_open,
    ],
)]
enum NestedPlayer {
    Empty,
    Open,
    Stopped,
    Playing,
    Paused,
}

const SESSION: &[PlayerEvent] = &[
    PlayerEvent::OpenClose,
    PlayerEvent::OpenClose,
    PlayerEvent::CdDetected,
    PlayerEvent::Play,
    PlayerEvent::Pause,
    PlayerEvent::EndPause,
    PlayerEvent::Pause,
    PlayerEvent::Stop,
    PlayerEvent::Stop,
    PlayerEvent::Play,
    PlayerEvent::OpenClose,
    PlayerEvent::Play,
];

fn run<M: StateMachine<Event = PlayerEvent, Context = Deck>>()
-> (Vec<&'static str>, Vec<&'static str>, usize) {
    let mut deck = Deck::default();
    let mut player = M::initial();
    let mut states = vec![player.state_name()];
    let mut rejected = 0;
    for event in SESSION {
        match player.fire(event, &mut deck) {
            Ok(_) => states.push(player.state_name()),
            Err(_) => rejected += 1,
        }
    }
    (states, deck.actions, rejected)
}

#[test]
fn the_tutorial_session() {
    let (states, actions, rejected) = run::<Player>();
    assert_eq!(
        states,
        [
            "Empty", "Open", "Empty", "Stopped", "Playing", "Paused", "Playing", "Paused",
            "Stopped", "Stopped", "Playing", "Open"
        ]
    );
    assert_eq!(
        actions,
        [
            "open_drawer",
            "close_drawer",
            "store_cd_info",
            "start_playback",
            "pause_playback",
            "resume_playback",
            "pause_playback",
            "stop_playback",
            "stopped_again",
            "start_playback",
            "stop_and_open",
        ]
    );
    // `Play` with the drawer open is not in the table.
    assert_eq!(rejected, 1);
}

#[test]
fn the_superstate_version_behaves_the_same() {
    let (flat_states, flat_actions, flat_rejected) = run::<Player>();
    let (states, actions, rejected) = run::<NestedPlayer>();
    assert_eq!(states, flat_states);
    assert_eq!(rejected, flat_rejected);
    let without_hooks: Vec<_> = actions
        .iter()
        .copied()
        .filter(|a| !a.contains("Active"))
        .collect();
    assert_eq!(without_hooks, flat_actions);
    // Moving between Playing and Paused stays inside Active: its hooks do not run.
    assert_eq!(
        actions,
        [
            "open_drawer",
            "close_drawer",
            "store_cd_info",
            "start_playback",
            "enter Active",
            "pause_playback",
            "resume_playback",
            "pause_playback",
            "leave Active",
            "stop_playback",
            "stopped_again",
            "start_playback",
            "enter Active",
            "leave Active",
            "stop_and_open",
        ]
    );
}

#[test]
fn superstate_rows_expand_to_every_state_inside() {
    let stop = NestedPlayer::TRANSITIONS
        .iter()
        .find(|t| t.source == "Active" && t.event == "Stop")
        .unwrap();
    assert_eq!(stop.sources, ["Playing", "Paused"]);
    let play = &NestedPlayer::TRANSITIONS[0];
    assert_eq!(play.target, Some("Active"));
    assert_eq!(play.enters, Some("Playing"));
}
