//! The behaviour tests of strum's `EnumIter` and `EnumDiscriminants` that apply to
//! `#[derive(Factory)]`, ported: iterating one value of each variant (`Factory::iter`, fields
//! built as `create` builds them) with its length, clones and cycles, and the kind enum as
//! strum's discriminants: listed, renamed, shown, parsed, and converted from a value or a
//! reference with `From`, for enums with fields that cannot be built (`kind_only`), type
//! parameters and lifetimes.

// Like strum's, these enums are there to be listed, not built.
#![allow(dead_code)]

use std::str::FromStr;

use patternkit::{Factory, FactoryKind};

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(kind = Self)]
enum Week {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

/// The week in order, a new array at each use.
const WEEK: [Week; 7] = [
    Week::Sunday,
    Week::Monday,
    Week::Tuesday,
    Week::Wednesday,
    Week::Thursday,
    Week::Friday,
    Week::Saturday,
];

#[test]
fn simple_test() {
    let results = Week::iter().collect::<Vec<_>>();
    assert_eq!(Vec::from(WEEK), results);
}

#[derive(Debug, Eq, PartialEq, Factory)]
enum Complicated<U: Default, V: Default> {
    A(U),
    B { v: V },
    C,
}

#[test]
fn complicated_test() {
    let results = Complicated::iter().collect::<Vec<_>>();
    let expected = vec![
        Complicated::A(0),
        Complicated::B { v: String::new() },
        Complicated::C,
    ];
    assert_eq!(expected, results);
}

#[test]
fn len_test() {
    let mut i = Complicated::<(), ()>::iter();
    assert_eq!(3, i.len());
    i.next();
    assert_eq!(2, i.len());
    i.next();
    assert_eq!(1, i.len());
    i.next();
    assert_eq!(0, i.len());
    assert_eq!(None, i.next());
}

#[test]
fn clone_test() {
    let mut i = Week::iter();
    i.next();
    i.next();
    let mut i_cloned = i.clone();
    assert_eq!(Some(Week::Tuesday), i.next());
    assert_eq!(Some(Week::Tuesday), i_cloned.next());
    i.next();
    i.next();
    assert_eq!(Some(Week::Friday), i.next());
    assert_eq!(Some(Week::Wednesday), i_cloned.next());
}

#[test]
fn cycle_test() {
    let results = Week::iter().cycle().take(10).collect::<Vec<_>>();
    let expected: Vec<Week> = WEEK.into_iter().chain(WEEK.into_iter().take(3)).collect();
    assert_eq!(expected, results);
}

#[derive(Debug, PartialEq, Factory)]
enum Tool {
    Hammer {
        weight: u8,
    },
    #[factory(skip)]
    Broken,
    Saw,
}

#[test]
fn from_both_ends_and_without_skipped_variants() {
    assert_eq!(
        Tool::iter().rev().collect::<Vec<_>>(),
        [Tool::Saw, Tool::Hammer { weight: 0 }]
    );
    assert_eq!(Tool::iter().len(), 2);
    assert_eq!(Tool::iter().last(), Some(Tool::Saw));
}

#[derive(Debug, Eq, PartialEq, Factory)]
enum Simple {
    Variant0,
    Variant1,
}

#[test]
fn discriminants_simple_test() {
    let discriminants = SimpleKind::iter().collect::<Vec<_>>();
    assert_eq!(
        vec![SimpleKind::Variant0, SimpleKind::Variant1],
        discriminants
    );
    assert_eq!(Simple::kinds(), SimpleKind::ALL);
}

#[derive(Debug)]
struct NonDefault;

#[derive(Debug, Factory)]
#[factory(kind_only)]
enum WithFields {
    Variant0(NonDefault),
    Variant1 { a: NonDefault },
}

#[test]
fn fields_test() {
    assert_eq!(
        WithFieldsKind::ALL,
        [WithFieldsKind::Variant0, WithFieldsKind::Variant1]
    );
    assert_eq!(
        WithFieldsKind::from(WithFields::Variant1 { a: NonDefault }),
        WithFieldsKind::Variant1
    );
}

trait Foo {}
trait Bar {}

#[derive(Factory)]
#[factory(kind_only)]
enum Complex<U: Foo, V: Bar> {
    /// With docs
    A(U),
    B {
        v: V,
    },
    C,
}

struct Both;
impl Foo for Both {}
impl Bar for Both {}

#[test]
fn complicated_discriminants_test() {
    assert_eq!(
        ComplexKind::ALL,
        [ComplexKind::A, ComplexKind::B, ComplexKind::C]
    );
    assert_eq!(ComplexKind::from(&Complex::<Both, Both>::C), ComplexKind::C);
}

#[derive(Debug, Factory)]
enum WithDefault {
    #[factory(other)]
    A(String),
    B,
}

#[test]
fn with_default_test() {
    assert!(WithDefaultKind::A != WithDefaultKind::B);
    assert_eq!(
        WithDefaultKind::from(WithDefault::from_name("z").unwrap()),
        WithDefaultKind::A
    );
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(kind = EnumBoo, rename_all = "verbatim")]
enum Renamed {
    Variant0(bool),
    Variant1(i32),
}

#[test]
fn renamed_test() {
    assert_eq!(EnumBoo::ALL, [EnumBoo::Variant0, EnumBoo::Variant1]);
    assert_eq!("Variant0", format!("{}", EnumBoo::Variant0));
}

#[derive(Debug, Eq, PartialEq, Factory)]
#[factory(kind = PassThroughBoo, rename_all = "snake_case")]
enum PassThrough {
    DarkBlack(bool),
    BrightWhite(i32),
}

#[test]
fn arbitrary_attributes_pass_through() {
    assert_eq!(
        PassThroughBoo::ALL,
        [PassThroughBoo::DarkBlack, PassThroughBoo::BrightWhite]
    );
    assert_eq!("dark_black", PassThroughBoo::DarkBlack.to_string());
    assert_eq!(
        PassThroughBoo::DarkBlack,
        PassThroughBoo::from_str("dark_black").unwrap()
    );
    assert_eq!(PassThroughBoo::DarkBlack.name(), "dark_black");
}

#[derive(Debug, Eq, PartialEq, Factory)]
enum EnumInto {
    A(bool),
    B(i32),
}

#[test]
fn from_test() {
    assert_eq!(EnumIntoKind::A, EnumInto::A(true).into());
    assert_eq!(EnumIntoKind::B, EnumInto::B(1).into());
}

#[test]
fn from_ref_test() {
    assert_eq!(EnumIntoKind::A, (&EnumInto::A(true)).into());
    assert_eq!(EnumIntoKind::B, (&EnumInto::B(1)).into());
}

#[derive(Debug)]
struct Rara;

#[derive(Debug, Factory)]
#[factory(kind = EnumIntoComplexVars, kind_only)]
enum EnumIntoComplex<'a, T: 'a> {
    A(&'a T),
}

#[test]
fn from_test_complex() {
    let rara = Rara;
    assert_eq!(EnumIntoComplexVars::A, EnumIntoComplex::A(&rara).into());
}

#[test]
fn from_ref_test_complex() {
    let rara = Rara;
    assert_eq!(EnumIntoComplexVars::A, (&EnumIntoComplex::A(&rara)).into());
}
