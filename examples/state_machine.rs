//! A traffic light with a pedestrian button, declared as a transition table, run, and drawn.
//!
//! Run it with `cargo run --example state_machine`; it prints the run and writes the diagrams
//! to `target/traffic_light.mmd` (Mermaid) and `target/traffic_light.dot` (Graphviz, e.g.
//! `dot -Tsvg target/traffic_light.dot > light.svg`).

use patternkit::StateMachine;

#[derive(Debug)]
enum Signal {
    Timer,
    Button,
    PowerCut,
    PowerBack,
}

#[derive(Default)]
struct Junction {
    waiting: bool,
    cycles: u32,
}

fn pedestrian_waiting(_: &Light, _: &Signal, junction: &Junction) -> bool {
    junction.waiting
}

fn remember_button(_: &Signal, junction: &mut Junction) {
    junction.waiting = true;
}

fn let_them_cross(_: &Signal, junction: &mut Junction) {
    junction.waiting = false;
}

fn count_cycle(junction: &mut Junction) {
    junction.cycles += 1;
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(
    event = Signal,
    context = Junction,
    initial = Red,
    superstate(Running, initial = Red, states = [Red, Green, Amber]),
    transitions = [
        Red     + Timer     => Walk   if pedestrian_waiting then let_them_cross,
        Red     + Timer     => Green,
        Walk    + Timer     => Green,
        Green   + Timer     => Amber,
        Amber   + Timer     => Red,
        Running + Button    => _      then remember_button,
        Running + PowerCut  => Flashing,
        Walk    + PowerCut  => Flashing,
        Flashing + PowerBack => Running,
    ],
)]
enum Light {
    #[state(entry = count_cycle)]
    Red,
    Green,
    Amber,
    Walk,
    Flashing,
}

fn main() {
    let mut junction = Junction::default();
    let mut light = Light::initial();
    let signals = [
        Signal::Timer,
        Signal::Timer,
        Signal::Button,
        Signal::Timer,
        Signal::Timer,
        Signal::Timer,
        Signal::PowerCut,
        Signal::Timer,
        Signal::PowerBack,
    ];
    println!("start: {light:?}");
    for signal in signals {
        match light.fire(&signal, &mut junction) {
            Ok(fired) => println!("{signal:<10?} {} -> {}", fired.from(), fired.to()),
            Err(error) => println!("{signal:<10?} rejected: {error}"),
        }
    }
    println!("red was entered {} times", junction.cycles);

    println!("\nMermaid:\n{}", Light::to_mermaid());
    println!("Graphviz:\n{}", Light::to_dot());
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let written = std::fs::create_dir_all(&target)
        .and_then(|()| std::fs::write(target.join("traffic_light.mmd"), Light::to_mermaid()))
        .and_then(|()| std::fs::write(target.join("traffic_light.dot"), Light::to_dot()));
    match written {
        Ok(()) => println!("wrote target/traffic_light.mmd and target/traffic_light.dot"),
        Err(error) => println!("could not write the diagrams: {error}"),
    }
}
