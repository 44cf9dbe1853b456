//! `#[derive(Factory)]` options for strum users: exact matching, names as written and the
//! remaining case styles, a fieldless enum as its own kind (`Display`, `FromStr`,
//! `TryFrom<&str>`), per-variant formats, a custom parse error, a kind without `create`, and a
//! factory that takes arguments.

use std::str::FromStr;

use patternkit::{Factory, FactoryKind, FactoryNames, UnknownKind};

#[derive(Factory, Debug, PartialEq)]
#[factory(case_sensitive, rename_all = "verbatim")]
enum Protocol {
    HTTPServer,
    HttpServer,
    #[factory(alias = "ftp")]
    Ftp,
}

#[test]
fn case_sensitive_names_as_written() {
    assert_eq!(Protocol::from_name("HTTPServer"), Ok(Protocol::HTTPServer));
    assert_eq!(Protocol::from_name("HttpServer"), Ok(Protocol::HttpServer));
    assert!(Protocol::from_name("httpserver").is_err());
    assert!(Protocol::from_name("HTTPSERVER").is_err());
    assert_eq!(Protocol::from_name("ftp"), Ok(Protocol::Ftp));
    assert_eq!(Protocol::from_name("Ftp"), Ok(Protocol::Ftp));
    assert!(Protocol::from_name("FTP").is_err());
    assert_eq!(ProtocolKind::NAMES, ["HTTPServer", "HttpServer", "Ftp"]);
    assert_eq!(
        <ProtocolKind as FactoryNames>::ACCEPTED,
        ["HTTPServer", "HttpServer", "Ftp", "ftp"]
    );
}

/// Every name of every length, and every one-byte change of it, against exact matching.
#[test]
fn case_sensitive_lookup_rejects_every_other_case() {
    for name in ProtocolKind::NAMES {
        let kind = ProtocolKind::from_name(name).unwrap();
        assert_eq!(kind.name(), *name);
        for at in 0..name.len() {
            let mut flipped = name.as_bytes().to_vec();
            flipped[at] ^= 0x20;
            let flipped = String::from_utf8(flipped).unwrap();
            if ProtocolKind::ACCEPTED.contains(&flipped.as_str()) {
                continue;
            }
            assert!(ProtocolKind::from_name(&flipped).is_err(), "{flipped}");
        }
    }
}

macro_rules! styled {
    ($style:literal, $expected:literal) => {{
        #[derive(Factory, Debug)]
        #[factory(rename_all = $style)]
        enum Styled {
            PushNotification,
        }
        assert_eq!(StyledKind::PushNotification.name(), $expected);
        assert!(Styled::from_name($expected).is_ok());
    }};
}

#[test]
fn title_train_and_verbatim_styles() {
    styled!("Title Case", "Push Notification");
    styled!("Train-Case", "Push-Notification");
    styled!("verbatim", "PushNotification");
}

/// A fieldless enum as its own kind, as strum's `EnumString` + `Display` + `EnumIter` give it.
#[derive(Factory, Debug, PartialEq)]
#[factory(kind = Self, rename_all = "kebab-case")]
enum Level {
    Debug,
    #[factory(alias = "warning")]
    Warn,
    #[factory(format = "ERROR!")]
    Error,
}

#[test]
fn an_enum_can_be_its_own_kind() {
    const NAMES: &[&str] = Level::NAMES;
    assert_eq!(Level::from_str("warn"), Ok(Level::Warn));
    assert_eq!("WARNING".parse::<Level>(), Ok(Level::Warn));
    assert_eq!(Level::try_from("debug"), Ok(Level::Debug));
    assert_eq!(Level::Debug.to_string(), "debug");
    assert_eq!(format!("[{:>7}]", Level::Warn), "[   warn]");
    assert_eq!(Level::Error.to_string(), "ERROR!");
    assert_eq!(Level::Error.name(), "error");
    assert_eq!(Level::ALL, [Level::Debug, Level::Warn, Level::Error]);
    assert_eq!(NAMES, ["debug", "warn", "error"]);
    let error: UnknownKind<Level> = Level::from_str("fatal").unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown `Level` kind; expected one of \"debug\", \"warn\", \"warning\", \"error\""
    );
}

#[derive(Factory, Debug, PartialEq)]
#[factory(display)]
enum Shape {
    #[factory(format = "a circle of radius {radius:.1}")]
    Circle {
        radius: f64,
    },
    #[factory(format = "a {0}×{1} rectangle, {{w×h}}")]
    Rectangle(u32, u32),
    Point,
    #[factory(skip)]
    Nothing,
}

#[test]
fn per_variant_formats_with_the_variants_fields() {
    assert_eq!(
        Shape::Circle { radius: 2.25 }.to_string(),
        "a circle of radius 2.2"
    );
    assert_eq!(Shape::Rectangle(3, 4).to_string(), "a 3×4 rectangle, {w×h}");
    assert_eq!(Shape::Point.to_string(), "point");
    assert_eq!(format!("{:<6}|", Shape::Point), "point |");
    assert_eq!(Shape::Nothing.to_string(), "Nothing");
}

#[derive(Debug, PartialEq)]
enum CliError {
    UnknownColour(String),
}

impl From<UnknownKind<ColourKind>> for CliError {
    fn from(error: UnknownKind<ColourKind>) -> Self {
        CliError::UnknownColour(error.to_string())
    }
}

#[derive(Factory, Debug)]
#[factory(error = CliError)]
enum Colour {
    Red,
    Green,
}

#[test]
fn a_custom_parse_error() {
    assert_eq!("red".parse::<ColourKind>(), Ok(ColourKind::Red));
    let error: CliError = "blue".parse::<ColourKind>().unwrap_err();
    assert_eq!(
        error,
        CliError::UnknownColour("unknown `Colour` kind; expected one of \"red\", \"green\"".into())
    );
    assert!(matches!(
        ColourKind::try_from("teal"),
        Err(CliError::UnknownColour(_))
    ));
    // `from_name` keeps the free error; generic code sees it too.
    assert!(ColourKind::from_name("blue").is_err());
    assert!(<ColourKind as FactoryKind>::from_name("green").is_ok());
}

/// Holds something that cannot be built by default.
struct Socket(#[allow(dead_code)] std::net::TcpStream);

#[derive(Factory)]
#[factory(kind_only)]
#[allow(dead_code)]
enum Connection {
    Tcp(Socket),
    Closed,
}

#[test]
fn the_kind_without_create() {
    assert_eq!(Connection::Closed.kind(), ConnectionKind::Closed);
    assert_eq!(ConnectionKind::from_name("tcp"), Ok(ConnectionKind::Tcp));
    assert_eq!(
        Connection::kinds(),
        [ConnectionKind::Tcp, ConnectionKind::Closed]
    );
    assert_eq!(ConnectionKind::Tcp.to_string(), "tcp");
}

struct Settings {
    admin_name: String,
    quota: u64,
}

#[derive(Debug, PartialEq)]
struct Admin {
    name: String,
}

impl Admin {
    fn new(settings: &Settings) -> Self {
        Admin {
            name: settings.admin_name.clone(),
        }
    }
}

#[derive(Factory, Debug, PartialEq)]
#[factory(args = Settings)]
enum User {
    #[factory(with = Admin::new)]
    Admin(Admin),
    Guest {
        #[factory(with = |s: &Settings| s.quota / 2)]
        quota: u64,
        visits: u32,
        // Commas at the top level of an expression, inside generic arguments: the value is
        // read up to the comma that ends it, not the first one.
        #[factory(with = |_: &Settings| <std::collections::HashMap<u8, u8> as Default>::default())]
        seen: std::collections::HashMap<u8, u8>,
        #[factory(with = |_: &Settings| Vec::<(u8, u8)>::with_capacity(2).len())]
        slots: usize,
    },
}

#[test]
fn a_factory_that_takes_arguments() {
    let settings = Settings {
        admin_name: "root".into(),
        quota: 100,
    };
    assert_eq!(
        User::create_with(UserKind::Admin, &settings),
        User::Admin(Admin {
            name: "root".into()
        })
    );
    assert_eq!(
        User::from_name_with("GUEST", &settings),
        Ok(User::Guest {
            quota: 50,
            visits: 0,
            seen: std::collections::HashMap::new(),
            slots: 0,
        })
    );
    assert!(User::from_name_with("root", &settings).is_err());
}
