//! Valid and nearly valid declarations for `#[derive(StateMachine)]`, which `never_panics` mutates.

pub(crate) const ITEMS: &[&str] = &[
    "#[state_machine(event = Ev, context = Ctx, initial = Closed, transitions = [ \
        Closed + Open => Opened if ok then act, Opened | Closed + Knock => _ then knock, \
        _ + Kick => Broken, Locked + Unlock { code: 1, .. } => Closed, \
        Active + Stop => Closed, Closed + Start => Active ], \
        superstate(Active, initial = Running, states = [Running, Paused], entry = e, exit = x), \
        exhaustive)] \
     enum Door { #[state(entry = a, exit = b)] Opened, Closed, Locked { n: u8 }, \
        #[state(final)] Broken, Running(u32), #[state(allow_unreachable)] Paused }",
    "#[state_machine(event = Ev, initial = A, transitions = [A + X => B, B + X => A, A + X => A])] \
     enum M<T> { A, B(T) }",
    "#[state_machine(event = Ev, initial = A, superstate(S, states = [S]), \
        superstate(T, states = [A, T]), transitions = [S + X => T])] enum M { A, B }",
    "#[state_machine(event = Ev, output = Out, initial = A, transitions = [ \
        A + X => B output Go, B + X => A if ok output Code(3), A + Y => _ output Out::Stay ])] \
     enum M { A, B }",
    "#[state_machine(event = Ev, context = History<M>, initial = A, transitions = [ \
        A + X => B, B + X => A, S + P => Q, Q + R => S then act ], \
        superstate(S, states = [A, B], history = deep))] enum M { A, B(u8), Q }",
    "#[state_machine(event = Ev, initial = A, dispatch = table, superstate(U, states = [B, C]), \
        transitions = [ \
        A + N => B, B + N => C, C + N => D, D + N => E, E + N => F, F + N => G, G + N => H, \
        H + N => A, U + S => A, _ + R => A, D + _ => E, C + S => _ then act, G + S => H if ok ])] \
     enum M { A, B, C, D(u8), E, F, G, H }",
    "#[state_machine(transitions = [])] struct NotAnEnum;",
    "#[state_machine(event = Ev, initial = A, transitions = [A + X => B])] enum M { A, B(u8, u8) }",
];
