//! `#[derive(Factory)]` with every option, reached through the renamed dependency `pk`.

use pk::Factory;

/// Something that can deliver a message.
pub trait Notifier {
    /// Delivers `text`, returning a receipt.
    fn notify(&self, text: &str) -> String;
}

/// Sends mail.
#[derive(Debug, Default)]
pub struct Email {
    /// Sender address.
    pub from: String,
}

impl Notifier for Email {
    fn notify(&self, text: &str) -> String {
        format!("{} mails {text}", self.from)
    }
}

/// Sends texts.
#[derive(Debug)]
pub struct Sms {
    /// Gateway name.
    pub gateway: &'static str,
}

impl Notifier for Sms {
    fn notify(&self, text: &str) -> String {
        format!("{} texts {text}", self.gateway)
    }
}

fn twilio() -> Sms {
    Sms { gateway: "twilio" }
}

/// Every channel, with products, aliases and a renamed kind.
#[derive(Debug, Factory)]
#[factory(crate = pk, product = dyn Notifier, kind = ChannelType, rename_all = "kebab-case")]
pub enum Channel {
    /// Mail.
    #[factory(alias = "mail", alias = "e-mail")]
    Email(Email),
    /// Text messages.
    #[factory(with = twilio, name = "text")]
    Sms(Sms),
    /// Named fields.
    Webhook {
        /// The endpoint.
        #[factory(with = default_hook)]
        hook: Email,
    },
}

fn default_hook() -> Email {
    Email {
        from: "hooks@example.test".to_owned(),
    }
}

/// Skip, other, and a generic parameter.
#[derive(Debug, Factory, PartialEq, Eq)]
#[factory(crate = pk)]
pub enum Setting<T> {
    /// A number.
    Number(u32),
    /// A value of the caller's type.
    Value(T),
    /// Not creatable by name.
    #[factory(skip)]
    Internal(u8),
    /// Anything else.
    #[factory(other)]
    Custom(String),
}

/// Every kind name of `Channel`.
#[must_use]
pub fn channel_names() -> Vec<&'static str> {
    ChannelType::ALL.iter().map(|kind| kind.name()).collect()
}

/// A private factory and singleton whose generated functions are mostly unused must not warn.
mod private_use {
    use pk::{Factory, singleton};

    #[derive(Factory)]
    #[factory(crate = pk)]
    enum Quiet {
        Only,
    }

    #[singleton(crate = pk)]
    #[derive(Default)]
    struct Lonely;

    pub(super) fn touch() -> bool {
        matches!(Quiet::create(QuietKind::Only), Quiet::Only) && Lonely::get().is_none()
    }
}

/// Uses the private items so that only their generated functions are unused.
#[must_use]
pub fn private_items_work() -> bool {
    private_use::touch()
}

/// A fieldless enum as its own kind, matched exactly, named as written, one variant with its
/// own text.
#[derive(Debug, Factory, PartialEq, Eq)]
#[factory(crate = pk, kind = Self, case_sensitive, rename_all = "verbatim")]
pub enum Level {
    /// Everything.
    Trace,
    /// Problems only.
    #[factory(alias = "WARN", format = "warning")]
    Warn,
}

/// What parsing a [`Tier`] gives for a name it does not know.
#[derive(Debug, PartialEq, Eq)]
pub struct BadTier;

impl From<pk::UnknownKind<TierKind>> for BadTier {
    fn from(_: pk::UnknownKind<TierKind>) -> Self {
        BadTier
    }
}

/// A custom parse error, `Display` with formats, `Title Case` names.
#[derive(Debug, Factory, PartialEq, Eq)]
#[factory(crate = pk, error = BadTier, display, rename_all = "Title Case")]
pub enum Tier {
    /// Paid, with a seat count.
    #[factory(format = "paid ({seats} seats)")]
    PaidPlan {
        /// Seats.
        seats: u32,
    },
    /// Paid by the year, with a discount.
    #[factory(format = "{0}% off")]
    Yearly(u8),
    /// Free.
    Free,
}

/// Only the kinds: the field cannot be built by default.
#[derive(Debug, Factory)]
#[factory(crate = pk, kind_only, rename_all = "Train-Case")]
pub enum Endpoint {
    /// A listening socket.
    Listening(std::net::TcpListener),
    /// Nothing yet.
    Idle,
}

/// What [`Account`]'s constructors read.
#[derive(Debug)]
pub struct Defaults {
    /// The currency of new accounts.
    pub currency: &'static str,
}

fn currency_of(defaults: &Defaults) -> String {
    defaults.currency.to_owned()
}

/// A factory that takes arguments.
#[derive(Debug, Factory, PartialEq, Eq)]
#[factory(crate = pk, args = Defaults)]
pub enum Account {
    /// A current account in the default currency.
    Current(#[factory(with = currency_of)] String),
    /// Savings, with a rate left at zero.
    Savings {
        /// The default currency.
        #[factory(with = currency_of)]
        currency: String,
        /// Basis points.
        rate: u32,
    },
}
