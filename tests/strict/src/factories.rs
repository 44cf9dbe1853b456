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
