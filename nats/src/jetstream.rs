//! A JetStream stream as a [`Broker`]: published messages are deduplicated by their
//! `Nats-Msg-Id` within the stream's window, and each named consumer is a durable pull
//! consumer with explicit acknowledgements and redelivery after `ack_wait`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use patternkit_core::messaging::{
    Broker, BrokerError, BrokerFuture, Delivery, Envelope, Published,
};
use serde_json::{Value, json};

use crate::connection::{Connection, Incoming};

/// How a stream is made, and how its consumers redeliver.
#[derive(Clone, Debug)]
pub struct StreamConfig {
    /// Ids are remembered this long for deduplication (JetStream's default: 2 minutes).
    pub duplicate_window: Duration,
    /// A delivery not acknowledged within this is delivered again.
    pub ack_wait: Duration,
    /// How long one request to the server may take.
    pub request_timeout: Duration,
}

impl Default for StreamConfig {
    fn default() -> Self {
        StreamConfig {
            duplicate_window: Duration::from_secs(120),
            ack_wait: Duration::from_secs(30),
            request_timeout: Duration::from_secs(5),
        }
    }
}

/// One JetStream stream, on file storage, holding one subject.
pub struct NatsBroker {
    connection: Arc<Connection>,
    stream: String,
    subject: String,
    config: StreamConfig,
    consumers: Mutex<HashSet<String>>,
    acks: Mutex<HashMap<(String, u64), String>>,
}

fn unavailable(why: impl Into<String>) -> BrokerError {
    BrokerError::Unavailable(why.into())
}

/// A name JetStream accepts for a stream or consumer: letters, digits, `-` and `_`.
fn check_name(what: &str, name: &str) -> Result<(), BrokerError> {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(BrokerError::Rejected(format!(
            "`{name}` cannot name a JetStream {what}: use letters, digits, `-` and `_`"
        )))
    }
}

/// The JSON of a reply, or the error it carries.
fn api_reply(incoming: &Incoming) -> Result<Value, BrokerError> {
    if incoming.status == Some(503) {
        return Err(BrokerError::Rejected(
            "no JetStream stream or service answers on this subject".into(),
        ));
    }
    let value: Value = serde_json::from_slice(&incoming.payload)
        .map_err(|e| unavailable(format!("an unreadable reply from the server: {e}")))?;
    if let Some(error) = value.get("error") {
        let description = error
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("an error");
        return Err(BrokerError::Rejected(description.to_owned()));
    }
    Ok(value)
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

impl NatsBroker {
    /// Connects to the server at `address` (`127.0.0.1:4222`) and makes sure stream `stream`
    /// exists for `subject`, on file storage, with the default [`StreamConfig`].
    ///
    /// # Errors
    ///
    /// [`BrokerError::Unavailable`] when the server cannot be reached or has no JetStream;
    /// [`BrokerError::Rejected`] for an unusable name or a stream that exists with another
    /// configuration.
    pub async fn connect(address: &str, stream: &str, subject: &str) -> Result<Self, BrokerError> {
        Self::connect_with(address, stream, subject, StreamConfig::default()).await
    }

    /// [`connect`](NatsBroker::connect) with a configuration of its own.
    ///
    /// # Errors
    ///
    /// As [`connect`](NatsBroker::connect).
    pub async fn connect_with(
        address: &str,
        stream: &str,
        subject: &str,
        config: StreamConfig,
    ) -> Result<Self, BrokerError> {
        check_name("stream", stream)?;
        let connection = Connection::connect(address).await.map_err(unavailable)?;
        let broker = NatsBroker {
            connection,
            stream: stream.to_owned(),
            subject: subject.to_owned(),
            config,
            consumers: Mutex::new(HashSet::new()),
            acks: Mutex::new(HashMap::new()),
        };
        let request = json!({
            "name": stream,
            "subjects": [subject],
            "storage": "file",
            "retention": "limits",
            "discard": "old",
            "num_replicas": 1,
            "duplicate_window": nanos(broker.config.duplicate_window),
        });
        let create = format!("$JS.API.STREAM.CREATE.{stream}");
        let mut reply = broker.api(&create, &request).await;
        // The server can fail to make a new stream's files while the last other stream of the
        // account is being deleted (it removes the account's directory then); that refusal
        // passes on a retry.
        for attempt in 0..5 {
            match &reply {
                Err(BrokerError::Rejected(why)) if why.contains("error creating store") => {
                    tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                    reply = broker.api(&create, &request).await;
                }
                _ => break,
            }
        }
        match reply {
            Ok(_) => Ok(broker),
            Err(BrokerError::Rejected(why)) if why.contains("already in use") => {
                Err(BrokerError::Rejected(format!(
                    "stream `{stream}` exists with another configuration ({why}); delete it or \
                     use its configuration"
                )))
            }
            Err(error) => Err(error),
        }
    }

    /// The stream's name.
    #[must_use]
    pub fn stream_name(&self) -> &str {
        &self.stream
    }

    /// The subject its messages are published on.
    #[must_use]
    pub fn subject(&self) -> &str {
        &self.subject
    }

    async fn api(&self, subject: &str, body: &Value) -> Result<Value, BrokerError> {
        let payload = serde_json::to_vec(body).map_err(|e| unavailable(e.to_string()))?;
        let reply = self
            .connection
            .request(subject, &[], &payload, self.config.request_timeout)
            .await
            .map_err(unavailable)?;
        api_reply(&reply)
    }

    /// Deletes the stream and everything in it.
    ///
    /// # Errors
    ///
    /// As for any request.
    pub async fn delete_stream(&self) -> Result<(), BrokerError> {
        self.api(
            &format!("$JS.API.STREAM.DELETE.{}", self.stream),
            &json!({}),
        )
        .await
        .map(drop)
    }

    /// Publishes a raw message with `headers` to the stream's subject, bypassing every
    /// check: for tests of what consumers do with foreign messages.
    ///
    /// # Errors
    ///
    /// As for any request.
    pub async fn publish_raw(
        &self,
        headers: &[(String, String)],
        payload: &str,
    ) -> Result<(), BrokerError> {
        let reply = self
            .connection
            .request(
                &self.subject,
                headers,
                payload.as_bytes(),
                self.config.request_timeout,
            )
            .await
            .map_err(unavailable)?;
        api_reply(&reply).map(drop)
    }

    fn acks(&self) -> MutexGuard<'_, HashMap<(String, u64), String>> {
        self.acks.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn ensure_consumer(&self, consumer: &str) -> Result<(), BrokerError> {
        check_name("consumer", consumer)?;
        if self
            .consumers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(consumer)
        {
            return Ok(());
        }
        let request = json!({
            "stream_name": self.stream,
            "config": {
                "durable_name": consumer,
                "ack_policy": "explicit",
                "deliver_policy": "all",
                "ack_wait": nanos(self.config.ack_wait),
                "filter_subject": self.subject,
            },
        });
        self.api(
            &format!("$JS.API.CONSUMER.DURABLE.CREATE.{}.{consumer}", self.stream),
            &request,
        )
        .await?;
        self.consumers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(consumer.to_owned());
        Ok(())
    }

    /// Past the consumer's acknowledgement floor (the last stream sequence below which it
    /// acknowledged everything), or at the stream's first message when the stream no longer
    /// holds those after it (they aged out unacknowledged and can never come).
    async fn ack_floor(&self, consumer: &str) -> Result<u64, BrokerError> {
        self.ensure_consumer(consumer).await?;
        let info = self
            .api(
                &format!("$JS.API.CONSUMER.INFO.{}.{consumer}", self.stream),
                &json!({}),
            )
            .await?;
        let floor = info
            .pointer("/ack_floor/stream_seq")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let stream = self
            .api(&format!("$JS.API.STREAM.INFO.{}", self.stream), &json!({}))
            .await?;
        let first = stream
            .pointer("/state/first_seq")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        Ok((floor + 1).max(first))
    }

    async fn pull(&self, consumer: &str, max: usize) -> Result<Vec<Delivery>, BrokerError> {
        self.ensure_consumer(consumer).await?;
        let inbox = format!(
            "_INBOX.pkfetch.{consumer}.{}",
            nanos(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
            )
        );
        let (sid, mut messages) = self
            .connection
            .subscribe(&inbox)
            .await
            .map_err(unavailable)?;
        let expires = Duration::from_millis(200);
        let request = json!({ "batch": max, "expires": nanos(expires) });
        let payload = serde_json::to_vec(&request).map_err(|e| unavailable(e.to_string()))?;
        let subject = format!("$JS.API.CONSUMER.MSG.NEXT.{}.{consumer}", self.stream);
        let sent = self
            .connection
            .publish(&subject, Some(&inbox), &[], &payload)
            .await;
        let mut batch = Vec::new();
        if let Err(why) = sent {
            self.connection.unsubscribe(sid).await;
            return Err(unavailable(why));
        }
        let deadline = tokio::time::Instant::now() + expires + Duration::from_secs(1);
        while batch.len() < max {
            let next = tokio::time::timeout_at(deadline, messages.recv()).await;
            let Ok(Some(incoming)) = next else {
                break;
            };
            if incoming.status.is_some() {
                // 404 no messages, 408 the request expired: the batch is complete.
                break;
            }
            let Some(reply) = incoming.reply.clone() else {
                continue;
            };
            let Some((offset, delivered)) = parse_ack_subject(&reply) else {
                continue;
            };
            self.acks().insert((consumer.to_owned(), offset), reply);
            batch.push(Delivery {
                offset,
                headers: incoming.headers,
                payload: String::from_utf8_lossy(&incoming.payload).into_owned(),
                redelivered: delivered.saturating_sub(1),
            });
        }
        self.connection.unsubscribe(sid).await;
        if batch.is_empty() {
            if let Some(why) = self.connection.closed() {
                return Err(unavailable(why));
            }
        }
        Ok(batch)
    }
}

/// The stream sequence and delivery count in an acknowledgement subject:
/// `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`, or
/// the longer form with a domain and an account hash in front of the stream.
fn parse_ack_subject(subject: &str) -> Option<(u64, u32)> {
    let tokens: Vec<&str> = subject.split('.').collect();
    let at = match tokens.len() {
        9 => 4,
        n if n >= 11 => 6,
        _ => return None,
    };
    let delivered = tokens.get(at)?.parse().ok()?;
    let sequence = tokens.get(at + 1)?.parse().ok()?;
    Some((sequence, delivered))
}

impl Broker for NatsBroker {
    fn publish<'a>(&'a self, message: &'a Envelope) -> BrokerFuture<'a, Published> {
        Box::pin(async move {
            let reply = self
                .connection
                .request(
                    &self.subject,
                    &message.headers(),
                    message.payload.as_bytes(),
                    self.config.request_timeout,
                )
                .await
                .map_err(unavailable)?;
            let value = api_reply(&reply)?;
            let offset = value
                .get("seq")
                .and_then(Value::as_u64)
                .ok_or_else(|| unavailable("the server's acknowledgement has no sequence"))?;
            let duplicate = value
                .get("duplicate")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            Ok(Published { offset, duplicate })
        })
    }

    fn fetch<'a>(&'a self, consumer: &'a str, max: usize) -> BrokerFuture<'a, Vec<Delivery>> {
        Box::pin(self.pull(consumer, max))
    }

    fn ack<'a>(&'a self, consumer: &'a str, offset: u64) -> BrokerFuture<'a, ()> {
        Box::pin(async move {
            let subject = self
                .acks()
                .remove(&(consumer.to_owned(), offset))
                .ok_or_else(|| {
                    BrokerError::Rejected(format!(
                        "no delivery of {offset} to `{consumer}` is waiting for an acknowledgement \
                         on this connection; fetch it again"
                    ))
                })?;
            self.connection
                .publish(&subject, None, &[], b"+ACK")
                .await
                .map_err(unavailable)?;
            // Acknowledged only once the server has it.
            self.connection.flush().await.map_err(unavailable)
        })
    }

    fn first_offset(&self) -> u64 {
        1
    }

    fn acknowledged<'a>(&'a self, consumer: &'a str) -> BrokerFuture<'a, u64> {
        Box::pin(self.ack_floor(consumer))
    }
}

#[cfg(test)]
mod tests {
    use super::parse_ack_subject;

    #[test]
    fn both_forms_of_the_acknowledgement_subject_parse() {
        assert_eq!(
            parse_ack_subject("$JS.ACK.orders.billing.2.17.9.1700000000.3"),
            Some((17, 2))
        );
        assert_eq!(
            parse_ack_subject("$JS.ACK.hub.ACCHASH.orders.billing.1.5.5.1700000000.0.xyz"),
            Some((5, 1))
        );
        assert_eq!(parse_ack_subject("$JS.ACK.bad"), None);
    }
}
