use patternkit::StateMachine;

enum Input {
    Fail,
}

#[derive(StateMachine)]
#[state_machine(event = Input, initial = Closed, transitions = [
    Closed + Fail => Open output StartTimer,
    Open   + Fail => Closed,
])]
enum Breaker {
    Closed,
    Open,
}

fn main() {
    let mut breaker = Breaker::initial();
    let _ = breaker.fire(&Input::Fail);
}
