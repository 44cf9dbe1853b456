//! The NATS client protocol, as much of it as JetStream needs: `CONNECT`, `PUB`/`HPUB`, `SUB`,
//! `MSG`/`HMSG` routed to subscriptions, `PING`/`PONG` both ways, and request/reply over one
//! inbox subscription.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, oneshot};

/// A message received on a subscription.
#[derive(Clone, Debug, Default)]
pub(crate) struct Incoming {
    pub(crate) subject: String,
    pub(crate) reply: Option<String>,
    /// The status line's code (`404`, `408`) for a status message, else `None`.
    pub(crate) status: Option<u16>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) payload: Vec<u8>,
}

#[derive(Default)]
struct Routes {
    subscriptions: HashMap<u64, mpsc::UnboundedSender<Incoming>>,
    replies: HashMap<String, oneshot::Sender<Incoming>>,
    pongs: std::collections::VecDeque<oneshot::Sender<()>>,
    closed: Option<String>,
}

/// One connection to a NATS server.
pub(crate) struct Connection {
    /// Frames are written whole, in the order this lock is taken: see [`Connection::write`].
    writer: Arc<tokio::sync::Mutex<OwnedWriteHalf>>,
    routes: Arc<Mutex<Routes>>,
    next: AtomicU64,
    inbox: String,
}

/// The longest protocol line taken from the server: far above any real one (an `INFO` that
/// lists a large cluster's addresses included), and a bound on what a broken or hostile
/// server can make the client hold.
const MAX_LINE: u64 = 1 << 20;

/// How long a server has to introduce itself once connected.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);

/// The payload limit when the server does not state one (the NATS default).
const DEFAULT_MAX_PAYLOAD: usize = 1 << 20;

/// Reads one protocol line into `line`: `Ok(0)` at the end of the stream, an error for a
/// line longer than [`MAX_LINE`].
async fn read_line(
    read: &mut BufReader<OwnedReadHalf>,
    line: &mut String,
) -> Result<usize, String> {
    let read = (&mut *read)
        .take(MAX_LINE)
        .read_line(line)
        .await
        .map_err(|e| format!("the connection failed: {e}"))?;
    if read as u64 == MAX_LINE && !line.ends_with('\n') {
        return Err(format!(
            "the server sent a line longer than {MAX_LINE} bytes"
        ));
    }
    Ok(read)
}

/// The route a request's reply takes, removed when the request ends however it ends.
struct ReplyRoute<'a> {
    routes: &'a Mutex<Routes>,
    reply: &'a str,
}

impl Drop for ReplyRoute<'_> {
    fn drop(&mut self) {
        lock(self.routes).replies.remove(self.reply);
    }
}

fn lock(routes: &Mutex<Routes>) -> std::sync::MutexGuard<'_, Routes> {
    routes.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Connection {
    /// Connects to `address` (`host:port`, or `nats://host:port`).
    pub(crate) async fn connect(address: &str) -> Result<Arc<Self>, String> {
        let address = address.trim_start_matches("nats://");
        let stream = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(address))
            .await
            .map_err(|_| format!("connecting to {address} timed out"))?
            .map_err(|e| format!("cannot connect to {address}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let mut info = String::new();
        tokio::time::timeout(HELLO_TIMEOUT, read_line(&mut read, &mut info))
            .await
            .map_err(|_| {
                format!("{address} did not introduce itself within {HELLO_TIMEOUT:?}")
            })??;
        let Some(fields) = info.strip_prefix("INFO ") else {
            return Err(format!(
                "{address} is not a NATS server (it said `{}`)",
                info.trim().chars().take(80).collect::<String>()
            ));
        };
        let fields: serde_json::Value = serde_json::from_str(fields.trim())
            .map_err(|e| format!("{address} sent an unreadable INFO: {e}"))?;
        if fields.get("headers") != Some(&serde_json::Value::Bool(true)) {
            return Err(format!(
                "the NATS server at {address} does not support headers"
            ));
        }
        let max_payload = fields
            .get("max_payload")
            .and_then(serde_json::Value::as_u64)
            .and_then(|max| usize::try_from(max).ok())
            .unwrap_or(DEFAULT_MAX_PAYLOAD);
        write
            .write_all(
                b"CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1,\"name\":\"patternkit\"}\r\n",
            )
            .await
            .map_err(|e| e.to_string())?;
        let token = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let connection = Arc::new(Connection {
            writer: Arc::new(tokio::sync::Mutex::new(write)),
            routes: Arc::new(Mutex::new(Routes::default())),
            next: AtomicU64::new(1),
            inbox: format!("_INBOX.pk{token:x}{}", std::process::id()),
        });
        tokio::spawn(read_loop(
            read,
            max_payload,
            Arc::clone(&connection.routes),
            Arc::downgrade(&connection),
        ));
        // Replies of every request arrive on one wildcard subscription.
        let inbox = format!("{}.*", connection.inbox);
        connection
            .send(format!("SUB {inbox} 0\r\n").into_bytes())
            .await?;
        connection.flush().await?;
        Ok(connection)
    }

    async fn send(&self, frame: Vec<u8>) -> Result<(), String> {
        let writer = Arc::clone(&self.writer).lock_owned().await;
        if let Some(why) = &lock(&self.routes).closed {
            return Err(why.clone());
        }
        Self::write(writer, frame).await
    }

    /// Writes `frame` on a task of its own that holds the writer's lock until the frame is
    /// written whole. A caller that stops waiting (a timeout around a publish) thus cannot
    /// leave half a frame on the connection for the next one to follow, which the server
    /// would read as garbage.
    async fn write(
        mut writer: tokio::sync::OwnedMutexGuard<OwnedWriteHalf>,
        frame: Vec<u8>,
    ) -> Result<(), String> {
        tokio::spawn(async move { writer.write_all(&frame).await })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    }

    /// Waits until the server has processed everything sent so far.
    pub(crate) async fn flush(&self) -> Result<(), String> {
        let (tx, rx) = oneshot::channel();
        // Registered and sent under the writer's lock, so waiters queue in PING order.
        let writer = Arc::clone(&self.writer).lock_owned().await;
        {
            let mut routes = lock(&self.routes);
            if let Some(why) = &routes.closed {
                return Err(why.clone());
            }
            routes.pongs.push_back(tx);
        }
        Self::write(writer, b"PING\r\n".to_vec()).await?;
        tokio::time::timeout(Duration::from_secs(5), rx)
            .await
            .map_err(|_| "the server did not answer a PING".to_string())?
            .map_err(|_| self.closed_reason())
    }

    /// Publishes `payload` with `headers` to `subject`, replies going to `reply`.
    pub(crate) async fn publish(
        &self,
        subject: &str,
        reply: Option<&str>,
        headers: &[(String, String)],
        payload: &[u8],
    ) -> Result<(), String> {
        let reply = reply.map(|r| format!(" {r}")).unwrap_or_default();
        let mut frame = Vec::with_capacity(payload.len() + 128);
        if headers.is_empty() {
            frame.extend_from_slice(
                format!("PUB {subject}{reply} {}\r\n", payload.len()).as_bytes(),
            );
        } else {
            let mut block = String::from("NATS/1.0\r\n");
            for (name, value) in headers {
                let _ = write!(block, "{name}: {value}\r\n");
            }
            block.push_str("\r\n");
            frame.extend_from_slice(
                format!(
                    "HPUB {subject}{reply} {} {}\r\n",
                    block.len(),
                    block.len() + payload.len()
                )
                .as_bytes(),
            );
            frame.extend_from_slice(block.as_bytes());
        }
        frame.extend_from_slice(payload);
        frame.extend_from_slice(b"\r\n");
        self.send(frame).await
    }

    /// Sends a request and waits up to `wait` for its one reply.
    pub(crate) async fn request(
        &self,
        subject: &str,
        headers: &[(String, String)],
        payload: &[u8],
        wait: Duration,
    ) -> Result<Incoming, String> {
        let reply = format!(
            "{}.{}",
            self.inbox,
            self.next.fetch_add(1, Ordering::Relaxed)
        );
        let (tx, rx) = oneshot::channel();
        lock(&self.routes).replies.insert(reply.clone(), tx);
        // However the wait ends (an error, a timeout, a caller that stops waiting), the
        // route to its reply goes with it.
        let _route = ReplyRoute {
            routes: &self.routes,
            reply: &reply,
        };
        self.publish(subject, Some(&reply), headers, payload)
            .await?;
        match tokio::time::timeout(wait, rx).await {
            Ok(Ok(incoming)) => Ok(incoming),
            Ok(Err(_)) => Err(self.closed_reason()),
            Err(_) => Err(format!("no reply to `{subject}` within {wait:?}")),
        }
    }

    /// Subscribes to `subject`; messages arrive on the returned channel until dropped.
    pub(crate) async fn subscribe(
        &self,
        subject: &str,
    ) -> Result<(u64, mpsc::UnboundedReceiver<Incoming>), String> {
        let sid = self.next.fetch_add(1, Ordering::Relaxed) + 1_000_000;
        let (tx, rx) = mpsc::unbounded_channel();
        lock(&self.routes).subscriptions.insert(sid, tx);
        self.send(format!("SUB {subject} {sid}\r\n").into_bytes())
            .await?;
        Ok((sid, rx))
    }

    /// Ends subscription `sid`.
    pub(crate) async fn unsubscribe(&self, sid: u64) {
        lock(&self.routes).subscriptions.remove(&sid);
        let _ = self.send(format!("UNSUB {sid}\r\n").into_bytes()).await;
    }

    /// Why the connection ended, for a caller whose wait it cut short.
    fn closed_reason(&self) -> String {
        self.closed()
            .unwrap_or_else(|| "the connection closed".to_string())
    }

    /// Whether the connection is gone (and why).
    pub(crate) fn closed(&self) -> Option<String> {
        lock(&self.routes).closed.clone()
    }
}

/// Reads the server's messages until the connection ends, answering its PINGs. An `-ERR`
/// does not end it: the server closes the connection after the errors that are fatal, and
/// keeps it after the others (a subject it refuses); the last one is kept for the reason.
async fn read_loop(
    mut read: BufReader<OwnedReadHalf>,
    max_payload: usize,
    routes: Arc<Mutex<Routes>>,
    connection: std::sync::Weak<Connection>,
) {
    let mut refused: Option<String> = None;
    let why = loop {
        let mut line = String::new();
        match read_line(&mut read, &mut line).await {
            Ok(0) => {
                break match refused.take() {
                    Some(error) => format!("the server closed the connection after `{error}`"),
                    None => "the server closed the connection".to_string(),
                };
            }
            Ok(_) => {}
            Err(why) => break why,
        }
        let line = line.trim_end();
        let mut words = line.split_ascii_whitespace();
        let incoming = match words.next() {
            Some("PING") => {
                if let Some(connection) = connection.upgrade() {
                    let _ = connection.send(b"PONG\r\n".to_vec()).await;
                }
                continue;
            }
            Some("PONG") => {
                // PONGs answer PINGs in order.
                let waiting = lock(&routes).pongs.pop_front();
                if let Some(pong) = waiting {
                    let _ = pong.send(());
                }
                continue;
            }
            Some("-ERR") => {
                refused = Some(line.to_owned());
                continue;
            }
            Some("MSG") => {
                let parts: Vec<&str> = words.collect();
                match read_msg(&mut read, &parts, false, max_payload).await {
                    Ok(incoming) => incoming,
                    Err(why) => break why,
                }
            }
            Some("HMSG") => {
                let parts: Vec<&str> = words.collect();
                match read_msg(&mut read, &parts, true, max_payload).await {
                    Ok(incoming) => incoming,
                    Err(why) => break why,
                }
            }
            _ => continue,
        };
        let mut routes = lock(&routes);
        if let Some(waiting) = routes.replies.remove(&incoming.1) {
            let _ = waiting.send(incoming.2);
        } else if let Some(subscription) = routes.subscriptions.get(&incoming.0) {
            let _ = subscription.send(incoming.2);
        }
    };
    let mut routes = lock(&routes);
    routes.closed = Some(why);
    routes.subscriptions.clear();
    routes.replies.clear();
    routes.pongs.clear();
}

/// Reads the body of a `MSG`/`HMSG` whose header line's words (after the verb) are `parts`:
/// (sid, subject, the message). A size above the server's own `max_payload` is refused
/// before anything is allocated for it.
async fn read_msg(
    read: &mut BufReader<OwnedReadHalf>,
    parts: &[&str],
    with_headers: bool,
    max_payload: usize,
) -> Result<(u64, String, Incoming), String> {
    let malformed = || format!("a malformed message line: {parts:?}");
    let (subject, sid, reply, header_len, total) = match (with_headers, parts) {
        (false, [subject, sid, size]) => (*subject, *sid, None, 0, *size),
        (false, [subject, sid, reply, size]) => (*subject, *sid, Some(*reply), 0, *size),
        (true, [subject, sid, headers, size]) => (*subject, *sid, None, parse(headers)?, *size),
        (true, [subject, sid, reply, headers, size]) => {
            (*subject, *sid, Some(*reply), parse(headers)?, *size)
        }
        _ => return Err(malformed()),
    };
    let total = parse(total)?;
    if total > max_payload {
        return Err(format!(
            "the server sent a message of {total} bytes, above its own max_payload of \
             {max_payload}"
        ));
    }
    if header_len > total {
        return Err(malformed());
    }
    let sid: u64 = sid.parse().map_err(|_| malformed())?;
    let mut body = vec![0; total + 2];
    read.read_exact(&mut body)
        .await
        .map_err(|e| e.to_string())?;
    body.truncate(total);
    let payload = body.split_off(header_len.min(total));
    let mut incoming = Incoming {
        subject: subject.to_owned(),
        reply: reply.map(str::to_owned),
        status: None,
        headers: Vec::new(),
        payload,
    };
    if with_headers {
        let text = String::from_utf8_lossy(&body);
        let mut lines = text.split("\r\n");
        if let Some(status) = lines.next() {
            incoming.status = status
                .strip_prefix("NATS/1.0")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|code| code.parse().ok());
        }
        for line in lines {
            if let Some((name, value)) = line.split_once(':') {
                incoming
                    .headers
                    .push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
    }
    let key = incoming.subject.clone();
    Ok((sid, key, incoming))
}

fn parse(number: &str) -> Result<usize, String> {
    number
        .parse()
        .map_err(|_| format!("`{number}` is not a length"))
}

#[cfg(test)]
mod tests;
