use patternkit::StateMachine;
use patternkit::state_machine::History;

enum Ev {
    Next,
    Pause,
    Resume,
}

// History needs a context to keep it in.
#[derive(StateMachine)]
#[state_machine(event = Ev, initial = A, transitions = [
    A + Next => B,
    B + Next => A,
    Playing + Pause => Paused,
    Paused + Resume => Playing,
], superstate(Playing, states = [A, B], history = shallow))]
enum NoContext {
    A,
    B,
    Paused,
}

// Only `shallow` or `deep`.
#[derive(StateMachine)]
#[state_machine(event = Ev, context = History<Wide>, initial = A, transitions = [
    A + Next => B,
    B + Next => A,
    Playing + Pause => Paused,
    Paused + Resume => Playing,
], superstate(Playing, states = [A, B], history = wide))]
enum Wide {
    A,
    B,
    Paused,
}

#[derive(Default)]
struct Track(u8);

fn pick(_: &Ev, _: &mut History<WithData>) -> Track {
    Track(1)
}

// Which state is entered is known only when the row fires: no action can build its data.
#[derive(StateMachine)]
#[state_machine(event = Ev, context = History<WithData>, initial = A, transitions = [
    A + Next => B,
    B + Next => A,
    Playing + Pause => Paused,
    Paused + Resume => Playing then pick,
], superstate(Playing, states = [A, B], history = deep))]
enum WithData {
    A,
    B(Track),
    Paused,
}

fn main() {}
