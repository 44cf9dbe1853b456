//! The behaviour tests of strum's `EnumString` that apply to `#[derive(Factory)]`, ported:
//! plain names, data-carrying variants built with defaults, several names for one variant,
//! a catch-all variant, not-found errors, case-insensitivity, and lifetimes.
//!
//! Differences of defaults, also documented on the derive: names are `snake_case` by default
//! (strum uses the variant name as written: `rename_all = "verbatim"`; these tests say
//! `rename_all = "PascalCase"`, which is the same for their names), and matching ignores ASCII
//! case unless `case_sensitive` (strum's default; see `exact_matching_as_strum_does` below);
//! strum's `serialize`/`default` are our `name`/`alias` and `other`.

use std::str::FromStr;

use patternkit::Factory;

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "PascalCase")]
enum Color {
    Red,
    Blue {
        hue: usize,
    },
    #[factory(name = "y", alias = "yellow")]
    Yellow,
    #[factory(other)]
    Green(String),
}

#[test]
fn color_simple() {
    assert_eq!(Color::Red, Color::from_name("Red").unwrap());
}

#[test]
fn color_value() {
    assert_eq!(Color::Blue { hue: 0 }, Color::from_name("Blue").unwrap());
}

#[test]
fn color_serialize() {
    assert_eq!(Color::Yellow, Color::from_name("y").unwrap());
    assert_eq!(Color::Yellow, Color::from_name("yellow").unwrap());
}

#[test]
fn color_default() {
    assert_eq!(
        Color::Green(String::from("not found")),
        Color::from_name("not found").unwrap()
    );
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "PascalCase")]
enum Week {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

#[test]
fn week_not_found() {
    let error = Week::from_name("Humpday").unwrap_err();
    assert_eq!(error.with_given("Humpday").given(), "Humpday");
    assert_eq!(WeekKind::from_str("Humpday"), Err(error));
}

#[test]
fn week_found() {
    assert_eq!(Week::Sunday, Week::from_name("Sunday").unwrap());
    assert_eq!(Week::Monday, Week::from_name("Monday").unwrap());
    assert_eq!(Week::Tuesday, Week::from_name("Tuesday").unwrap());
    assert_eq!(Week::Wednesday, Week::from_name("Wednesday").unwrap());
    assert_eq!(Week::Thursday, Week::from_name("Thursday").unwrap());
    assert_eq!(Week::Friday, Week::from_name("Friday").unwrap());
    assert_eq!(Week::Saturday, Week::from_name("Saturday").unwrap());
}

#[test]
fn case_insensitive() {
    assert_eq!(Week::Monday, Week::from_name("monday").unwrap());
    assert_eq!(Week::Monday, Week::from_name("MONDAY").unwrap());
    assert_eq!(Week::Monday, Week::from_name("mOnDaY").unwrap());
    assert_eq!(Color::Yellow, Color::from_name("YELLOW").unwrap());
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "PascalCase")]
enum Lifetime<'a> {
    Life(&'a str),
    None,
}

#[test]
fn lifetime_test() {
    assert_eq!(Lifetime::Life(""), Lifetime::from_name("Life").unwrap());
}

/// strum's default: names as written, compared exactly.
#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(kind = Self, case_sensitive, rename_all = "verbatim")]
enum Brightness {
    DarkBlack,
    #[factory(name = "dim")]
    Dim,
    #[factory(name = "bright", alias = "Bright")]
    BrightWhite,
}

#[test]
fn exact_matching_as_strum_does() {
    assert_eq!(Brightness::from_str("DarkBlack"), Ok(Brightness::DarkBlack));
    assert!(Brightness::from_str("darkblack").is_err());
    assert_eq!(Brightness::from_str("dim"), Ok(Brightness::Dim));
    assert!(Brightness::from_str("Dim").is_err());
    assert_eq!(Brightness::from_str("bright"), Ok(Brightness::BrightWhite));
    assert_eq!(Brightness::from_str("Bright"), Ok(Brightness::BrightWhite));
    assert!(Brightness::from_str("BRIGHT").is_err());
    assert_eq!(Brightness::BrightWhite.to_string(), "bright");
}
