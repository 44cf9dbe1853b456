use patternkit::StateMachine;

enum Input {
    Fail,
}

enum Command {
    StartTimer,
}

#[derive(StateMachine)]
#[state_machine(event = Input, output = Command, initial = Closed, transitions = [
    Closed + Fail => Open output StopTimer,
    Open   + Fail => Closed output 3,
])]
enum Breaker {
    Closed,
    Open,
}

fn main() {
    let _ = Command::StartTimer;
    let mut breaker = Breaker::initial();
    let _ = breaker.fire(&Input::Fail).map(|fired| fired.output());
}
