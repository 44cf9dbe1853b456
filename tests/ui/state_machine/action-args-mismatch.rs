use patternkit::StateMachine;

enum Ev {
    Coin { cents: u32 },
}

#[derive(Default)]
struct Till {
    total: u32,
}

fn credit(cents: u64, till: &mut Till) {
    till.total += cents as u32;
}

#[derive(StateMachine)]
#[state_machine(event = Ev, context = Till, initial = Idle, transitions = [
    Idle + Coin { cents } => Paid then credit(cents),
    Paid + Coin { .. } => Idle,
])]
enum Vending {
    Idle,
    Paid,
}

fn main() {}
