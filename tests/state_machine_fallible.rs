//! Guards and actions that can fail (`error = E`, `if guard?`, `then action?`), as smlang's
//! `GuardFailed(E)` and `ActionFailed(E)`: the error comes back from `fire` and the machine
//! is exactly as it was, no hook run.

use patternkit::StateMachine;
use patternkit::state_machine::FireError;

#[derive(Debug, PartialEq, Clone)]
enum Fault {
    CardReader,
    Declined,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::CardReader => "the card reader failed",
            Self::Declined => "the card was declined",
        })
    }
}

impl std::error::Error for Fault {}

enum Ev {
    Insert { readable: bool },
    Pay { cents: u32 },
    Refund { cents: u32 },
    Take,
}

#[derive(Default)]
struct Till {
    balance: u32,
    log: Vec<String>,
}

fn card_ok(_: &Kiosk, event: &Ev, _: &Till) -> Result<bool, Fault> {
    match event {
        Ev::Insert { readable: false } => Err(Fault::CardReader),
        _ => Ok(true),
    }
}

fn charge(card: &Card, event: &Ev, till: &mut Till) -> Result<Receipt, Fault> {
    let Ev::Pay { cents } = event else {
        return Ok(Receipt { cents: 0 });
    };
    if *cents > card.limit {
        return Err(Fault::Declined);
    }
    till.balance += cents;
    till.log.push(format!("charged {cents}"));
    Ok(Receipt { cents: *cents })
}

fn refund(receipt: &mut Receipt, event: &Ev, till: &mut Till) -> Result<(), Fault> {
    let Ev::Refund { cents } = event else {
        return Ok(());
    };
    if *cents > receipt.cents {
        return Err(Fault::Declined);
    }
    receipt.cents -= cents;
    till.balance -= cents;
    Ok(())
}

fn read_card(_: &Ev, till: &mut Till) -> Card {
    till.log.push("card read".into());
    Card { limit: 100 }
}

fn leave_card(till: &mut Till) {
    till.log.push("exit CardIn".into());
}

fn enter_paid(till: &mut Till) {
    till.log.push("enter Paid".into());
}

#[derive(Debug, PartialEq)]
struct Card {
    limit: u32,
}

#[derive(Debug, PartialEq)]
struct Receipt {
    cents: u32,
}

#[derive(StateMachine, Debug, PartialEq)]
#[state_machine(event = Ev, context = Till, error = Fault, initial = Idle, transitions = [
    Idle   + Insert => CardIn if card_ok? then read_card,
    CardIn + Pay    => Paid then charge?,
    Paid   + Refund => _ then refund?,
    Paid   + Take   => Idle,
])]
enum Kiosk {
    Idle,
    #[state(exit = leave_card)]
    CardIn(Card),
    #[state(entry = enter_paid)]
    Paid(Receipt),
}

#[test]
fn a_failing_guard_returns_its_error_and_changes_nothing() {
    let mut till = Till::default();
    let mut kiosk = Kiosk::initial();
    let error = kiosk
        .fire(&Ev::Insert { readable: false }, &mut till)
        .unwrap_err();
    assert_eq!(error, FireError::Guard(Fault::CardReader));
    assert_eq!(
        error.to_string(),
        "Kiosk: a guard failed: the card reader failed"
    );
    assert_eq!(kiosk, Kiosk::Idle);
    assert!(till.log.is_empty());
    // Asking runs the guard too; its failure is a no.
    assert!(!kiosk.can(&Ev::Insert { readable: false }, &till));
    assert!(kiosk.can(&Ev::Insert { readable: true }, &till));
}

#[test]
fn a_failing_action_returns_its_error_before_any_hook_and_keeps_the_data() {
    let mut till = Till::default();
    let mut kiosk = Kiosk::initial();
    kiosk
        .fire(&Ev::Insert { readable: true }, &mut till)
        .unwrap();
    let error = kiosk.fire(&Ev::Pay { cents: 500 }, &mut till).unwrap_err();
    assert_eq!(error, FireError::Action(Fault::Declined));
    assert_eq!(error.error(), Some(&Fault::Declined));
    assert_eq!(kiosk, Kiosk::CardIn(Card { limit: 100 }));
    assert_eq!(till.log, ["card read"]);
    // Success: the action runs first, then the exit and entry hooks.
    kiosk.fire(&Ev::Pay { cents: 40 }, &mut till).unwrap();
    assert_eq!(kiosk, Kiosk::Paid(Receipt { cents: 40 }));
    assert_eq!(
        till.log,
        ["card read", "charged 40", "exit CardIn", "enter Paid"]
    );
}

#[test]
fn a_failing_internal_action_and_a_rejection() {
    let mut till = Till::default();
    let mut kiosk = Kiosk::Paid(Receipt { cents: 40 });
    till.balance = 40;
    assert_eq!(
        kiosk.fire(&Ev::Refund { cents: 50 }, &mut till),
        Err(FireError::Action(Fault::Declined))
    );
    kiosk.fire(&Ev::Refund { cents: 15 }, &mut till).unwrap();
    assert_eq!(kiosk, Kiosk::Paid(Receipt { cents: 25 }));
    assert_eq!(till.balance, 25);
    let error = kiosk.fire(&Ev::Pay { cents: 1 }, &mut till).unwrap_err();
    let refused = error.rejected().expect("rejected");
    assert_eq!((refused.state(), refused.event()), ("Paid", "Pay"));
    assert!(std::error::Error::source(&error).is_none());
}

fn drive<M: StateMachine>(machine: &mut M, events: &[M::Event], context: &mut M::Context) -> usize
where
    M::Error: std::fmt::Debug,
{
    events
        .iter()
        .filter(|event| machine.fire(event, context).is_ok())
        .count()
}

#[test]
fn generic_code_sees_the_machine_error_type() {
    let mut till = Till::default();
    let mut kiosk = Kiosk::initial();
    let fired = drive(
        &mut kiosk,
        &[
            Ev::Insert { readable: true },
            Ev::Pay { cents: 1000 },
            Ev::Pay { cents: 10 },
            Ev::Take,
        ],
        &mut till,
    );
    assert_eq!(fired, 3);
    assert_eq!(kiosk, Kiosk::Idle);
}
