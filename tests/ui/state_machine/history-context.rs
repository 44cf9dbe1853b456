use patternkit::StateMachine;

enum Ev {
    Next,
    Pause,
    Resume,
}

/// Holds no `History<Player>`.
struct Settings {
    volume: u8,
}

#[derive(StateMachine)]
#[state_machine(event = Ev, context = Settings, initial = A, transitions = [
    A + Next => B,
    B + Next => A,
    Playing + Pause => Paused,
    Paused + Resume => Playing,
], superstate(Playing, states = [A, B], history = shallow))]
enum Player {
    A,
    B,
    Paused,
}

fn main() {
    let mut settings = Settings { volume: 3 };
    let mut player = Player::initial();
    let _ = player.fire(&Ev::Next, &mut settings);
    let _ = settings.volume;
}
