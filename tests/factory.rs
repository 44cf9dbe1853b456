//! `#[derive(Factory)]`: every generated item, lookup, names, skip, products, generics.

use std::collections::BTreeSet;
use std::str::FromStr;

use patternkit::{Factory, FactoryKind, FactoryNames, UnknownKind};

#[derive(Debug, Default, PartialEq)]
struct Address(String);

fn gateway() -> String {
    "twilio".to_owned()
}

#[derive(Factory, Debug, PartialEq)]
enum Channel {
    Email {
        to: Address,
        retries: u8,
    },
    #[factory(alias = "text", alias = "SMS-message")]
    Sms(#[factory(with = gateway)] String),
    PushNotification,
}

#[test]
fn kind_enum_lists_and_names_every_variant() {
    assert_eq!(
        ChannelKind::ALL,
        [
            ChannelKind::Email,
            ChannelKind::Sms,
            ChannelKind::PushNotification
        ]
    );
    assert_eq!(ChannelKind::Email.name(), "email");
    assert_eq!(ChannelKind::PushNotification.name(), "push_notification");
    assert_eq!(ChannelKind::Sms.to_string(), "sms");
    assert_eq!(format!("[{:>6}]", ChannelKind::Sms), "[   sms]");
    assert_eq!(format!("{:?}", ChannelKind::Sms), "Sms");
    // Copy, Eq, Ord, Hash.
    let kinds: BTreeSet<ChannelKind> = ChannelKind::ALL.iter().copied().collect();
    assert_eq!(kinds.len(), 3);
    assert!(ChannelKind::Email < ChannelKind::PushNotification);
    let set: std::collections::HashSet<_> = [ChannelKind::Sms, ChannelKind::Sms].into();
    assert_eq!(set.len(), 1);
}

#[derive(Factory)]
enum Keyword {
    r#Loop,
    Plain(u8),
    r#Match { arms: u8 },
}

#[test]
fn the_kind_traits_behave_as_their_derives_would() {
    use std::hash::{BuildHasher, RandomState};
    const LOOP: KeywordKind = KeywordKind::Loop;
    // Debug: the variant's name as written, without `r#`, in both forms.
    assert_eq!(format!("{:?}", KeywordKind::Loop), "Loop");
    assert_eq!(format!("{:#?}", KeywordKind::Match), "Match");
    assert_eq!(format!("{:?}", KeywordKind::ALL), "[Loop, Plain, Match]");
    // Ord: declaration order, whatever the names.
    let mut sorted = vec![KeywordKind::Match, KeywordKind::Loop, KeywordKind::Plain];
    sorted.sort();
    assert_eq!(sorted, KeywordKind::ALL);
    assert_eq!(
        KeywordKind::Match.partial_cmp(&KeywordKind::Plain),
        Some(std::cmp::Ordering::Greater)
    );
    assert_eq!(
        KeywordKind::Plain.max(KeywordKind::Loop),
        KeywordKind::Plain
    );
    // Hash agrees with Eq.
    let hasher = RandomState::new();
    for a in KeywordKind::ALL {
        for b in KeywordKind::ALL {
            assert_eq!(a == b, hasher.hash_one(a) == hasher.hash_one(b));
        }
    }
    // A kind constant is a pattern (`PartialEq` is derived).
    let kind = Keyword::create(KeywordKind::Loop).kind();
    assert!(matches!(kind, LOOP));
    let copied = kind;
    assert_eq!(copied.clone(), kind);
    for &kind in KeywordKind::ALL {
        let fields = match Keyword::create(kind) {
            Keyword::Loop => None,
            Keyword::Plain(value) | Keyword::Match { arms: value } => Some(value),
        };
        assert_eq!(fields.is_some(), kind != KeywordKind::Loop);
    }
}

#[test]
fn create_builds_fields_with_default_or_with() {
    assert_eq!(
        Channel::create(ChannelKind::Email),
        Channel::Email {
            to: Address(String::new()),
            retries: 0
        }
    );
    assert_eq!(
        Channel::create(ChannelKind::Sms),
        Channel::Sms("twilio".into())
    );
    assert_eq!(
        Channel::create(ChannelKind::PushNotification),
        Channel::PushNotification
    );
    for &kind in Channel::kinds() {
        assert_eq!(Channel::create(kind).kind(), kind);
    }
}

#[test]
fn lookup_ignores_ascii_case_and_accepts_aliases() {
    for name in [
        "sms",
        "SMS",
        "sMs",
        "text",
        "TEXT",
        "sms-message",
        "SMS-MESSAGE",
    ] {
        assert_eq!(ChannelKind::from_name(name), Ok(ChannelKind::Sms), "{name}");
        assert_eq!(
            Channel::from_name(name).unwrap(),
            Channel::Sms("twilio".into())
        );
    }
    assert_eq!(
        ChannelKind::from_str("Push_Notification"),
        Ok(ChannelKind::PushNotification)
    );
    assert_eq!("EMAIL".parse::<ChannelKind>(), Ok(ChannelKind::Email));
    // Not a prefix, not a suffix, not with spaces.
    for name in [
        "",
        "sm",
        "smss",
        " sms",
        "email ",
        "pushnotification",
        "Email!",
    ] {
        assert!(ChannelKind::from_name(name).is_err(), "{name:?}");
    }
}

#[test]
fn unknown_kind_message_is_exact() {
    let error = Channel::from_name("emial").unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown `Channel` kind; expected one of \"email\", \"sms\", \"text\", \
         \"SMS-message\", \"push_notification\""
    );
    assert_eq!(error.factory(), "Channel");
    assert_eq!(error.suggestion_for("emial"), Some("email"));
    assert_eq!(
        error.expected(),
        ["email", "sms", "text", "SMS-message", "push_notification"]
    );
    let named = error.with_given("emial");
    assert_eq!(
        named.to_string(),
        "unknown `Channel` kind \"emial\"; expected one of \"email\", \"sms\", \"text\", \
         \"SMS-message\", \"push_notification\"; did you mean \"email\"?"
    );
    assert_eq!(named.given(), "emial");
    assert_eq!(named.factory(), "Channel");
    assert_eq!(named.suggestion(), Some("email"));
    let far = ChannelKind::from_name("carrier pigeon").unwrap_err();
    assert_eq!(far.suggestion_for("carrier pigeon"), None);
    assert!(
        !far.with_given("carrier pigeon")
            .to_string()
            .contains("did you mean")
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        Box::new(far.with_given("carrier pigeon"));
    assert!(
        boxed
            .to_string()
            .starts_with("unknown `Channel` kind \"carrier pigeon\"")
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(far);
    assert!(
        boxed
            .to_string()
            .starts_with("unknown `Channel` kind; expected")
    );
    // The error is free: a result is as small as the kind.
    assert_eq!(size_of::<UnknownKind<ChannelKind>>(), 0);
    assert_eq!(
        size_of::<Result<ChannelKind, UnknownKind<ChannelKind>>>(),
        size_of::<ChannelKind>()
    );
}

#[test]
fn non_utf8_neighbours_and_unicode_do_not_confuse_lookup() {
    #[derive(Factory, Debug, PartialEq)]
    enum Greeting {
        #[factory(name = "grüße")]
        German,
        #[factory(name = "GRÜSSE")]
        Swiss,
    }
    assert_eq!(Greeting::from_name("GRüße").unwrap(), Greeting::German);
    assert_eq!(Greeting::from_name("grÜsse").unwrap(), Greeting::Swiss);
    // ASCII case folding only: `Ü` and `ü` differ.
    assert!(Greeting::from_name("grÜße").is_err());
}

#[derive(Factory, Debug, PartialEq)]
#[factory(kind = Flavour, kind_derive(serde::Serialize, serde::Deserialize))]
enum IceCream {
    Vanilla,
    Chocolate,
}

#[test]
fn kind_can_be_renamed_and_derive_more() {
    fn serde_both_ways<T: serde::Serialize + serde::de::DeserializeOwned>() {}
    assert_eq!(IceCream::Chocolate.kind(), Flavour::Chocolate);
    // The extra derives ran on the kind enum.
    serde_both_ways::<Flavour>();
}

macro_rules! styled {
    ($style:literal, $name:ident, $expected:literal) => {{
        #[derive(Factory, Debug)]
        #[factory(rename_all = $style)]
        enum Styled {
            HttpServer,
        }
        assert_eq!(StyledKind::HttpServer.name(), $expected, "{}", $style);
        assert!(Styled::from_name($expected).is_ok());
    }};
}

#[test]
fn every_rename_style() {
    styled!("lowercase", A, "httpserver");
    styled!("UPPERCASE", A, "HTTPSERVER");
    styled!("PascalCase", A, "HttpServer");
    styled!("camelCase", A, "httpServer");
    styled!("snake_case", A, "http_server");
    styled!("SCREAMING_SNAKE_CASE", A, "HTTP_SERVER");
    styled!("kebab-case", A, "http-server");
    styled!("SCREAMING-KEBAB-CASE", A, "HTTP-SERVER");
}

#[test]
fn explicit_name_beats_rename_all() {
    #[derive(Factory, Debug, PartialEq)]
    #[factory(rename_all = "kebab-case")]
    enum Region {
        UsEast,
        #[factory(name = "eu")]
        EuropeWest,
    }
    assert_eq!(RegionKind::UsEast.name(), "us-east");
    assert_eq!(RegionKind::EuropeWest.name(), "eu");
    assert!(Region::from_name("europe-west").is_err());
}

struct Secret(u64);

#[derive(Factory)]
enum Credential {
    Token(String),
    #[factory(skip)]
    Raw(Secret),
}

#[test]
fn skipped_variant_has_no_kind_and_no_name() {
    assert_eq!(CredentialKind::ALL, [CredentialKind::Token]);
    assert_eq!(
        Credential::create(CredentialKind::Token).kind(),
        Some(CredentialKind::Token)
    );
    assert_eq!(Credential::Raw(Secret(7)).kind(), None);
    let error = Credential::from_name("raw").err().unwrap();
    assert_eq!(error.expected(), ["token"]);
    if let Credential::Raw(Secret(n)) = Credential::Raw(Secret(1)) {
        assert_eq!(n, 1);
    }
    if let Credential::Token(token) = Credential::create(CredentialKind::Token) {
        assert!(token.is_empty());
    }
}

trait Shape {
    fn area(&self) -> f64;
}

#[derive(Debug, Default, PartialEq)]
struct Circle {
    radius: f64,
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.radius * self.radius
    }
}

#[derive(Debug, PartialEq)]
struct Square(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

fn unit_square() -> Square {
    Square(1.0)
}

#[derive(Factory, Debug, PartialEq)]
#[factory(product = dyn Shape)]
enum Shapes {
    Circle(Circle),
    #[factory(with = unit_square)]
    Square(Square),
    Named {
        inner: Circle,
    },
}

#[test]
fn products_are_trait_objects() {
    assert!((Shapes::create_product(ShapesKind::Square).area() - 1.0).abs() < f64::EPSILON);
    let circle = Shapes::Circle(Circle { radius: 1.0 }).into_product();
    assert!((circle.area() - std::f64::consts::PI).abs() < 1e-9);
    let named = Shapes::Named {
        inner: Circle { radius: 2.0 },
    };
    assert!((named.into_product().area() - 4.0 * std::f64::consts::PI).abs() < 1e-9);
    let total: f64 = ShapesKind::ALL
        .iter()
        .map(|&k| Shapes::create_product(k).area())
        .sum();
    assert!((total - 1.0).abs() < f64::EPSILON);
}

#[derive(Factory, Debug, PartialEq)]
enum Wrapper<T, U: Clone> {
    One(T),
    Pair(T, U),
    Fixed(u8),
}

#[test]
fn generic_enums_need_their_bounds_only_where_used() {
    struct NoDefault;
    let one: Wrapper<String, Vec<u8>> = Wrapper::create(WrapperKind::One);
    assert_eq!(one, Wrapper::One(String::new()));
    let pair: Wrapper<u32, Vec<u8>> = Wrapper::from_name("pair").unwrap();
    assert_eq!(pair, Wrapper::Pair(0, Vec::new()));
    // `kind` needs no bounds at all.
    let fixed: Wrapper<NoDefault, u8> = Wrapper::Fixed(3);
    assert_eq!(fixed.kind(), WrapperKind::Fixed);
}

#[derive(Factory, Debug, PartialEq)]
enum Colour {
    Red,
    Blue {
        hue: usize,
    },
    #[factory(other)]
    Custom(String),
}

#[test]
fn other_variant_keeps_unknown_names() {
    assert_eq!(Colour::from_name("RED").unwrap(), Colour::Red);
    assert_eq!(
        Colour::from_name("teal").unwrap(),
        Colour::Custom("teal".into())
    );
    assert_eq!(ColourKind::from_name("teal"), Ok(ColourKind::Custom));
    assert_eq!(
        Colour::create(ColourKind::Custom),
        Colour::Custom(String::new())
    );
    assert_eq!(ColourKind::Custom.name(), "custom");
}

fn kinds_of<F: Factory>() -> Vec<String> {
    F::kinds().iter().map(ToString::to_string).collect()
}

fn roundtrip<K: FactoryKind>() -> bool {
    K::ALL.iter().all(|&k| K::from_name(k.name()) == Ok(k))
}

#[test]
fn generic_code_works_over_any_factory() {
    assert_eq!(kinds_of::<Channel>(), ["email", "sms", "push_notification"]);
    assert!(roundtrip::<ChannelKind>());
    assert!(roundtrip::<ShapesKind>());
    assert_eq!(
        <Channel as Factory>::kind(&Channel::PushNotification),
        Some(ChannelKind::PushNotification)
    );
    let error: UnknownKind<ColourKind> = <Colour as Factory>::from_name("x")
        .map(|_| ())
        .err()
        .unwrap_or_default();
    assert_eq!(error.factory(), "Colour");
}

/// The trait's `from_name` and `ACCEPTED` are the enum's own, whether the derive writes them
/// out (an `other` variant, aliases) or leaves them to the trait's defaults.
#[test]
fn the_trait_names_and_parses_as_the_enum_does() {
    fn parsed<F: Factory>(name: &str) -> Option<F> {
        F::from_name(name).ok()
    }
    fn accepted<K: FactoryNames>() -> &'static [&'static str] {
        K::ACCEPTED
    }
    assert_eq!(
        parsed::<Channel>("SMS-message"),
        Channel::from_name("SMS-message").ok()
    );
    assert_eq!(
        parsed::<Channel>("PUSH_notification"),
        Some(Channel::PushNotification)
    );
    assert_eq!(parsed::<Channel>("fax"), None);
    assert_eq!(
        parsed::<Colour>("teal"),
        Some(Colour::Custom("teal".into()))
    );
    assert_eq!(parsed::<Colour>("blue"), Some(Colour::Blue { hue: 0 }));
    assert_eq!(accepted::<ShapesKind>(), ShapesKind::NAMES);
    assert_eq!(accepted::<ColourKind>(), ["red", "blue"]);
    assert_eq!(
        accepted::<ChannelKind>(),
        ["email", "sms", "text", "SMS-message", "push_notification"]
    );
}

mod renamed {
    #[allow(dead_code)]
    mod patternkit {}

    extern crate patternkit as pk;

    #[derive(pk::Factory, Debug, PartialEq)]
    #[factory(crate = pk)]
    pub enum Level {
        Info,
        Warn,
    }
}

#[test]
fn crate_path_can_be_renamed() {
    assert_eq!(
        renamed::Level::from_name("warn").unwrap(),
        renamed::Level::Warn
    );
}

macro_rules! many {
    ($($v:ident)*) => {
        #[derive(Factory, Debug, PartialEq, Clone, Copy)]
        #[allow(dead_code)]
        enum Many { $($v,)* }
        const MANY_NAMES: &[&str] = &[$(stringify!($v),)*];
    };
}

many!(
    A Ab Abc Abd Abcd Abce Bcd Bce Xyz Xyw Xzz Yes No Maybe Never Always Sometimes Often
    Rarely Seldom Cat Car Cab Cap Can Cow Coy Dog Dot Don Zebra Zebras Zeta Eta Theta Iota
    Kappa Lambda Mu Nu Xi Omicron Pi Rho Sigma Tau Upsilon Phi Chi Psi Omega Alpha Beta Gamma
    Delta Epsilon Aa Bb Cc Dd Ee Ff Gg Hh
);

#[test]
fn every_name_of_a_large_enum_round_trips() {
    assert_eq!(MANY_NAMES.len(), ManyKind::ALL.len());
    for (name, &kind) in MANY_NAMES.iter().zip(ManyKind::ALL) {
        let snake = kind.name();
        assert_eq!(ManyKind::from_name(snake), Ok(kind), "{name}");
        assert_eq!(
            ManyKind::from_name(&snake.to_uppercase()),
            Ok(kind),
            "{name}"
        );
        // One byte changed at every position misses.
        for i in 0..snake.len() {
            let mut bytes = snake.as_bytes().to_vec();
            bytes[i] = b'#';
            let changed = String::from_utf8(bytes).unwrap();
            assert!(ManyKind::from_name(&changed).is_err(), "{changed}");
        }
    }
}
