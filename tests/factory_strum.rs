//! The behaviour tests of strum's `EnumString` and `Display` that apply to
//! `#[derive(Factory)]`, ported: plain names, data-carrying variants built with defaults,
//! several names for one variant, a catch-all variant, not-found errors, case-insensitivity,
//! lifetimes and type parameters, and `FromStr`/`TryFrom<&str>` on the enum itself.
//!
//! Differences of defaults, also documented on the derive: names are `snake_case` by default
//! (strum uses the variant name as written: `rename_all = "verbatim"`; these tests say
//! `rename_all = "PascalCase"`, which is the same for their names), and matching ignores ASCII
//! case unless `case_sensitive` (strum's default; see `exact_matching_as_strum_does` below);
//! strum's `serialize`/`default` are our `name`/`alias` and `other`, and its `to_string` is
//! `name` (shown by `Display` with `display`).

use std::str::FromStr;

use patternkit::Factory;

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "PascalCase", display)]
enum Color {
    Red,
    Blue {
        hue: usize,
    },
    #[factory(name = "y", alias = "yellow")]
    Yellow,
    #[factory(other)]
    Green(String),
    #[factory(name = "purp")]
    Purple,
}

#[test]
fn color_simple() {
    assert_eq!(Color::Red, Color::from_str("Red").unwrap());
    assert_eq!(Color::Red, Color::from_name("Red").unwrap());
}

#[test]
fn color_value() {
    assert_eq!(Color::Blue { hue: 0 }, Color::from_str("Blue").unwrap());
}

#[test]
fn color_serialize() {
    assert_eq!(Color::Yellow, Color::from_str("y").unwrap());
    assert_eq!(Color::Yellow, Color::from_str("yellow").unwrap());
}

#[test]
fn color_to_string() {
    assert_eq!(Color::Purple, Color::from_str("purp").unwrap());
    assert_eq!(Color::Purple.to_string(), "purp");
}

#[test]
fn color_default() {
    assert_eq!(
        Color::Green(String::from("not found")),
        Color::from_str("not found").unwrap()
    );
    assert_eq!(
        Color::Green(String::from("not found")),
        "not found".parse::<Color>().unwrap()
    );
}

#[test]
fn try_from_a_name_is_from_str() {
    assert_eq!(Color::try_from("Blue"), Ok(Color::Blue { hue: 0 }));
    assert_eq!(ColorKind::try_from("Blue"), Ok(ColorKind::Blue));
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "snake_case", display)]
enum Brightness {
    DarkBlack,
    Dim {
        glow: usize,
    },
    #[factory(name = "Bright")]
    BrightWhite,
}

#[test]
fn brightness_serialize_all() {
    assert_eq!(
        Brightness::DarkBlack,
        Brightness::from_str("dark_black").unwrap()
    );
    assert_eq!(
        Brightness::Dim { glow: 0 },
        Brightness::from_str("dim").unwrap()
    );
    assert_eq!(
        Brightness::BrightWhite,
        Brightness::from_str("Bright").unwrap()
    );
}

#[test]
fn brightness_to_string() {
    assert_eq!(Brightness::DarkBlack.to_string(), "dark_black");
    assert_eq!(Brightness::Dim { glow: 0 }.to_string(), "dim");
    assert_eq!(Brightness::BrightWhite.to_string(), "Bright");
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
    let error = Week::from_str("Humpday").unwrap_err();
    assert_eq!(error.with_given("Humpday").given(), "Humpday");
    assert_eq!(WeekKind::from_str("Humpday"), Err(error));
    assert_eq!(Week::from_name("Humpday"), Err(error));
}

#[test]
fn week_found() {
    assert_eq!(Ok(Week::Sunday), Week::from_str("Sunday"));
    assert_eq!(Ok(Week::Monday), Week::from_str("Monday"));
    assert_eq!(Ok(Week::Tuesday), Week::from_str("Tuesday"));
    assert_eq!(Ok(Week::Wednesday), Week::from_str("Wednesday"));
    assert_eq!(Ok(Week::Thursday), Week::from_str("Thursday"));
    assert_eq!(Ok(Week::Friday), Week::from_str("Friday"));
    assert_eq!(Ok(Week::Saturday), Week::from_str("Saturday"));
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
    assert_eq!(Lifetime::Life(""), Lifetime::from_str("Life").unwrap());
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(rename_all = "PascalCase")]
enum Generic<T: Default> {
    Gen(T),
    None,
}

#[test]
fn generic_test() {
    assert_eq!(Generic::Gen(""), Generic::from_str("Gen").unwrap());
    assert_eq!(Generic::<u8>::None, "None".parse().unwrap());
}

/// A custom error comes back from the enum's `FromStr` as from its kind's.
#[derive(Debug, PartialEq)]
struct NoSuchPlanet;

impl From<patternkit::UnknownKind<PlanetKind>> for NoSuchPlanet {
    fn from(_: patternkit::UnknownKind<PlanetKind>) -> Self {
        NoSuchPlanet
    }
}

#[derive(Debug, PartialEq, Factory)]
#[factory(error = NoSuchPlanet)]
enum Planet {
    Earth { moons: u8 },
    Mars,
}

#[test]
fn a_custom_error_is_returned_by_the_enum_and_its_kind() {
    assert_eq!("earth".parse::<Planet>(), Ok(Planet::Earth { moons: 0 }));
    assert_eq!("pluto".parse::<Planet>(), Err(NoSuchPlanet));
    assert_eq!(Planet::try_from("pluto"), Err(NoSuchPlanet));
    assert_eq!("pluto".parse::<PlanetKind>(), Err(NoSuchPlanet));
}

/// strum's default: names as written, compared exactly.
#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(kind = Self, case_sensitive, rename_all = "verbatim")]
enum Shade {
    DarkBlack,
    #[factory(name = "dim")]
    Dim,
    #[factory(name = "bright", alias = "Bright")]
    BrightWhite,
}

#[test]
fn exact_matching_as_strum_does() {
    assert_eq!(Shade::from_str("DarkBlack"), Ok(Shade::DarkBlack));
    assert!(Shade::from_str("darkblack").is_err());
    assert_eq!(Shade::from_str("dim"), Ok(Shade::Dim));
    assert!(Shade::from_str("Dim").is_err());
    assert_eq!(Shade::from_str("bright"), Ok(Shade::BrightWhite));
    assert_eq!(Shade::from_str("Bright"), Ok(Shade::BrightWhite));
    assert!(Shade::from_str("BRIGHT").is_err());
    assert_eq!(Shade::BrightWhite.to_string(), "bright");
}
