//! The strict crate's factories with the options strum users reach for.

use std::str::FromStr;

use patternkit_strict::factories::{
    Account, AccountKind, BadTier, Defaults, Endpoint, EndpointKind, Level, Tier, TierKind,
};

#[test]
fn own_kind_exact_and_as_written() {
    assert_eq!(Level::from_str("Trace"), Ok(Level::Trace));
    assert_eq!(Level::try_from("WARN"), Ok(Level::Warn));
    assert!(Level::from_str("trace").is_err());
    assert_eq!(Level::Warn.to_string(), "warning");
    assert_eq!(Level::NAMES, ["Trace", "Warn"]);
}

#[test]
fn formats_custom_error_title_case() {
    assert_eq!(Tier::PaidPlan { seats: 3 }.to_string(), "paid (3 seats)");
    assert_eq!(Tier::Yearly(15).to_string(), "15% off");
    assert_eq!(Tier::Free.to_string(), "Free");
    assert_eq!("paid plan".parse::<TierKind>(), Ok(TierKind::PaidPlan));
    assert_eq!("gold".parse::<TierKind>(), Err(BadTier));
}

#[test]
fn kind_only_and_args() {
    assert_eq!(Endpoint::Idle.kind(), EndpointKind::Idle);
    assert_eq!(EndpointKind::Listening.name(), "Listening");
    let defaults = Defaults { currency: "EUR" };
    assert_eq!(
        Account::create_with(AccountKind::Current, &defaults),
        Account::Current("EUR".into())
    );
    assert_eq!(
        Account::from_name_with("savings", &defaults),
        Ok(Account::Savings {
            currency: "EUR".into(),
            rate: 0
        })
    );
}
