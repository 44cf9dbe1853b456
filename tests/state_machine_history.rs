//! History: superstates re-entered where the machine left them, shallow and deep, as UML
//! statecharts and Boost.SML (`sml::state<Playing>.sm<…>(H)`) have them.

use patternkit::StateMachine;
use patternkit::state_machine::History;

#[derive(Debug)]
enum Ev {
    Next,
    Pause,
    Resume,
    Stop,
    Open,
    Close,
}

/// What ran, in order, to check hooks.
#[derive(Default)]
struct Log {
    history: History<Player>,
    steps: Vec<&'static str>,
}

impl AsMut<History<Player>> for Log {
    fn as_mut(&mut self) -> &mut History<Player> {
        &mut self.history
    }
}

fn enter_playing(log: &mut Log) {
    log.steps.push("enter Playing");
}

fn exit_playing(log: &mut Log) {
    log.steps.push("exit Playing");
}

fn enter_song2(log: &mut Log) {
    log.steps.push("enter Song2");
}

/// Boost.SML's CD player with a history: pausing and resuming goes back to the song that was
/// playing; stopping forgets nothing either (the history is the context's).
#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = Ev, context = Log, initial = Stopped, transitions = [
    Stopped + Next   => Playing,
    Song1   + Next   => Song2,
    Song2   + Next   => Song3,
    Song3   + Next   => Song1,
    Playing + Pause  => Paused,
    Paused  + Resume => Playing,
    Playing + Stop   => Stopped,
    Paused  + Stop   => Stopped,
], superstate(Playing, states = [Song1, Song2, Song3], history = shallow,
              entry = enter_playing, exit = exit_playing))]
enum Player {
    Stopped,
    Song1,
    #[state(entry = enter_song2)]
    Song2,
    Song3,
    Paused,
}

#[test]
fn shallow_history_goes_back_to_the_song_that_was_playing() {
    let mut log = Log::default();
    let mut player = Player::initial();
    // Never left yet: entered at its initial state.
    player.fire(&Ev::Next, &mut log).unwrap();
    assert_eq!(player, Player::Song1);
    player.fire(&Ev::Next, &mut log).unwrap();
    assert_eq!(player, Player::Song2);
    log.steps.clear();

    player.fire(&Ev::Pause, &mut log).unwrap();
    assert_eq!(
        log.history.last_state(0),
        Some(Player::STATES.iter().position(|s| *s == "Song2").unwrap())
    );
    let fired = player.fire(&Ev::Resume, &mut log).unwrap();
    assert_eq!(player, Player::Song2);
    // Hooks as for any entry: the superstate's, then the state's.
    assert_eq!(log.steps, ["exit Playing", "enter Playing", "enter Song2"]);
    // `Fired` says where it went.
    assert_eq!((fired.from(), fired.to()), ("Paused", "Song2"));
    assert_eq!(fired.transition().target, Some("Playing"));
    assert_eq!(Player::TRANSITIONS[fired.table_row()].enters, Some("Song1"));

    // Left by `Stop` from `Song3`: the next `Next` from `Stopped` enters `Song3`.
    player.fire(&Ev::Next, &mut log).unwrap();
    player.fire(&Ev::Stop, &mut log).unwrap();
    player.fire(&Ev::Next, &mut log).unwrap();
    assert_eq!(player, Player::Song3);

    // A cleared history forgets.
    player.fire(&Ev::Stop, &mut log).unwrap();
    log.history.clear();
    player.fire(&Ev::Next, &mut log).unwrap();
    assert_eq!(player, Player::Song1);
}

/// Shallow against deep: a superstate inside the one with history.
#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = Ev, context = History<Shallow>, initial = Closed, transitions = [
    Closed + Open  => Working,
    Idle   + Next  => Busy,
    Fast   + Next  => Slow,
    Working + Close => Closed,
], superstate(Working, states = [Idle, Busy], history = shallow),
   superstate(Busy, states = [Fast, Slow]))]
enum Shallow {
    Closed,
    Idle,
    Fast,
    Slow,
}

#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = Ev, context = History<Deep>, initial = Closed, transitions = [
    Closed + Open  => Working,
    Idle   + Next  => Busy,
    Fast   + Next  => Slow,
    Working + Close => Closed,
], superstate(Working, states = [Idle, Busy], history = deep),
   superstate(Busy, states = [Fast, Slow]))]
enum Deep {
    Closed,
    Idle,
    Fast,
    Slow,
}

#[test]
fn shallow_history_enters_the_node_inside_deep_history_the_very_state() {
    let events = [Ev::Open, Ev::Next, Ev::Next, Ev::Close, Ev::Open];

    let mut history = History::new();
    let mut shallow = Shallow::initial();
    for event in &events {
        shallow.fire(event, &mut history).unwrap();
    }
    // Left from `Slow`, inside `Busy`: shallow history re-enters `Busy`, at its initial state.
    assert_eq!(shallow, Shallow::Fast);

    let mut history = History::new();
    let mut deep = Deep::initial();
    for event in &events {
        deep.fire(event, &mut history).unwrap();
    }
    assert_eq!(deep, Deep::Slow);
}

#[test]
fn history_rows_are_listed_and_drawn_where_they_may_go() {
    // One row into `Working`, which may go back to `Idle` (its initial state, the row
    // itself), `Fast` or `Slow` (two rows of their own).
    assert_eq!(Deep::HISTORY_TRANSITIONS.len(), 2);
    assert!(
        Deep::HISTORY_ROWS
            .iter()
            .all(|&row| Deep::TRANSITIONS[usize::from(row)].event == "Open")
    );
    assert_eq!(Shallow::HISTORY_TRANSITIONS.len(), 1);
    let dot = Deep::to_dot();
    for target in ["Idle", "Fast", "Slow"] {
        assert!(
            dot.contains(&format!("Closed -> {target} [label=\"Open (H*)\"]")),
            "{dot}"
        );
    }
    assert!(Shallow::to_mermaid().contains("Closed --> Working : Open (H)"));
}

async fn ready(_: &Flow, _: &Ev, _: &History<Flow>) -> bool {
    std::future::ready(true).await
}

/// An async machine remembers the same way.
#[derive(StateMachine, Debug, PartialEq, Clone, Copy)]
#[state_machine(event = Ev, context = History<Flow>, initial = First, transitions = [
    First  + Next   => Second if ready.await,
    Second + Next   => First,
    Active + Pause  => Held,
    Held   + Resume => Active,
], superstate(Active, states = [First, Second], history = deep))]
enum Flow {
    First,
    Second,
    Held,
}

#[test]
fn an_async_machine_goes_back_into_its_history() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut history = History::new();
        let mut flow = Flow::initial();
        for event in [Ev::Next, Ev::Pause, Ev::Resume] {
            flow.fire(&event, &mut history).await.unwrap();
        }
        assert_eq!(flow, Flow::Second);
    });
}
