//! Feature `serde`: a machine's state saves and restores through the user's own derives, and
//! the runtime types serialise as data.

use pk::StateMachine;
use serde::{Deserialize, Serialize};

#[derive(Debug)]
enum Ev {
    Insert(u32),
    Refund,
    Vend,
}

fn add(credit: u32, event: &Ev) -> u32 {
    let Ev::Insert(coin) = event else {
        return credit;
    };
    credit + coin
}

fn first_coin(event: &Ev) -> u32 {
    match event {
        Ev::Insert(coin) => *coin,
        _ => 0,
    }
}

fn enough(state: &Vending, _: &Ev) -> bool {
    matches!(state, Vending::Paid { credit } if *credit >= 100)
}

#[derive(StateMachine, Serialize, Deserialize, Debug, PartialEq)]
#[state_machine(crate = pk, event = Ev, initial = Idle, transitions = [
    Idle + Insert => Paid then first_coin,
    Paid + Insert => Paid then add,
    Paid + Vend   => Idle if enough,
    Paid + Refund => Idle,
])]
enum Vending {
    Idle,
    Paid { credit: u32 },
}

#[test]
fn state_saves_and_restores_mid_run() {
    let mut machine = Vending::initial();
    machine.fire(&Ev::Insert(50)).unwrap();
    machine.fire(&Ev::Insert(20)).unwrap();
    let saved = serde_json::to_string(&machine).unwrap();
    assert_eq!(saved, r#"{"Paid":{"credit":70}}"#);

    let mut restored: Vending = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, machine);
    assert!(restored.fire(&Ev::Vend).is_err());
    restored.fire(&Ev::Insert(30)).unwrap();
    restored.fire(&Ev::Vend).unwrap();
    assert_eq!(restored, Vending::Idle);
    assert_eq!(serde_json::to_string(&restored).unwrap(), r#""Idle""#);
}

#[test]
fn runtime_types_serialise() {
    let mut machine = Vending::initial();
    let fired = machine.fire(&Ev::Insert(5)).unwrap();
    let json = serde_json::to_value(fired).unwrap();
    assert_eq!(json["from"], "Idle");
    assert_eq!(json["to"], "Paid");
    assert_eq!(json["transition"]["action"], "first_coin");
    assert_eq!(json["transition"]["sources"], serde_json::json!(["Idle"]));

    let error = machine.fire(&Ev::Vend).unwrap_err();
    assert_eq!(
        serde_json::to_value(error).unwrap(),
        serde_json::json!({
            "machine": "Vending",
            "state": "Paid",
            "event": "Vend",
            "rejection": "GuardsRejected",
        })
    );
    let table = serde_json::to_value(Vending::TRANSITIONS).unwrap();
    assert_eq!(table.as_array().map(Vec::len), Some(4));
    let _ = Ev::Refund;
}
