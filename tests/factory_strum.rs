//! The behaviour tests of strum's `EnumString` that apply to `#[derive(Factory)]`, ported:
//! plain names, data-carrying variants built with defaults, several names for one variant,
//! a catch-all variant, not-found errors, case-insensitivity, and lifetimes.
//!
//! Deliberate differences, also documented on the derive: names are `snake_case` by default
//! (strum uses the variant name as written, so these tests say `rename_all = "PascalCase"`);
//! matching always ignores ASCII case; strum's `serialize`/`default` are our `name`/`alias`
//! and `other`; the error keeps the input and the choices.

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
    assert_eq!(error.given(), "Humpday");
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
