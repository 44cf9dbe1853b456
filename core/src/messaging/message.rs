//! A message as the patterns see it: an id that makes a redelivery recognisable, the key its
//! order is kept by, the producer's stamp, and the payload — and its form on a broker, as
//! headers.

use core::fmt;

/// The header carrying a message's id (NATS JetStream's name, which it deduplicates by).
pub const ID_HEADER: &str = "Nats-Msg-Id";
/// The header carrying a message's key.
pub const KEY_HEADER: &str = "Pk-Key";
/// The header carrying the producer's stamp, `producer/epoch/sequence`.
pub const STAMP_HEADER: &str = "Pk-Stamp";

/// A message's id: 1 to 200 printable ASCII characters, the same on every delivery.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(String);

impl MessageId {
    /// The longest id, in bytes.
    pub const MAX: usize = 200;

    /// `id` as a message id.
    ///
    /// # Errors
    ///
    /// [`MessageError::BadId`] when it is empty, too long, or holds a space or a character
    /// outside printable ASCII.
    pub fn new(id: &str) -> Result<Self, MessageError> {
        if !id.is_empty() && id.len() <= Self::MAX && id.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(MessageId(id.to_owned()))
        } else {
            Err(MessageError::BadId(id.chars().take(40).collect()))
        }
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who sent a message and where it stands in that producer's order for its key: what an
/// idempotent producer attaches so a retried send is recognised and a stale producer fenced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// The producer's stable id.
    pub producer: u64,
    /// Raised each time the producer restarts; sends of an older epoch are refused.
    pub epoch: u32,
    /// 1, 2, 3… per key.
    pub seq: u64,
}

/// A message with what the patterns recognise it by: its id, its key and its producer stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// Its id, the same on every delivery.
    pub id: MessageId,
    /// What its order is kept by (an order id, an account).
    pub key: String,
    /// The producer's stamp, when an idempotent producer sent it.
    pub stamp: Option<Stamp>,
    /// The body.
    pub payload: String,
}

impl Envelope {
    /// A message without a producer stamp.
    #[must_use]
    pub fn new(id: MessageId, key: &str, payload: &str) -> Self {
        Envelope {
            id,
            key: key.to_owned(),
            stamp: None,
            payload: payload.to_owned(),
        }
    }

    /// Its headers on a broker.
    #[must_use]
    pub fn headers(&self) -> Vec<(String, String)> {
        let mut headers = vec![
            (ID_HEADER.to_owned(), self.id.to_string()),
            (KEY_HEADER.to_owned(), self.key.clone()),
        ];
        if let Some(s) = self.stamp {
            headers.push((
                STAMP_HEADER.to_owned(),
                format!("{}/{}/{}", s.producer, s.epoch, s.seq),
            ));
        }
        headers
    }

    /// The message a broker delivered, from its headers and body.
    ///
    /// # Errors
    ///
    /// [`MessageError::MissingId`] for a message without an id (one not sent through these
    /// patterns), [`MessageError::BadId`], or [`MessageError::Malformed`] for a stamp that
    /// does not parse.
    pub fn from_headers(headers: &[(String, String)], payload: &str) -> Result<Self, MessageError> {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let id = MessageId::new(header(ID_HEADER).ok_or(MessageError::MissingId)?)?;
        let stamp = match header(STAMP_HEADER) {
            None => None,
            Some(text) => Some(parse_stamp(text).ok_or_else(|| {
                MessageError::Malformed(format!(
                    "`{STAMP_HEADER}: {text}` is not producer/epoch/seq"
                ))
            })?),
        };
        Ok(Envelope {
            id,
            key: header(KEY_HEADER).unwrap_or("").to_owned(),
            stamp,
            payload: payload.to_owned(),
        })
    }
}

fn parse_stamp(text: &str) -> Option<Stamp> {
    let mut parts = text.split('/');
    let stamp = Stamp {
        producer: parts.next()?.parse().ok()?,
        epoch: parts.next()?.parse().ok()?,
        seq: parts.next()?.parse().ok()?,
    };
    parts.next().is_none().then_some(stamp)
}

/// Why a message cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageError {
    /// It has no id: it was not sent through these patterns, and a redelivery of it could
    /// not be recognised.
    MissingId,
    /// Its id is not usable (shown up to 40 characters).
    BadId(String),
    /// A header does not parse.
    Malformed(String),
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::MissingId => write!(
                f,
                "the message has no `{ID_HEADER}` header, so a redelivery of it could not be \
                 recognised; send it with an id"
            ),
            MessageError::BadId(id) => write!(
                f,
                "`{id}` is not a usable message id: 1 to 200 printable ASCII characters"
            ),
            MessageError::Malformed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for MessageError {}
