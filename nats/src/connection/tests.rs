//! The client against a fake server on loopback that misbehaves on purpose.

use super::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const INFO: &[u8] = b"INFO {\"headers\":true,\"max_payload\":1024}\r\n";

/// A server that introduces itself to the first client, answers its PINGs, and after
/// the first PONG (once the client is connected) sends `later`.
async fn server(hello: &[u8], later: &[u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (hello, mut later) = (hello.to_vec(), Some(later.to_vec()));
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let _ = write.write_all(&hello).await;
        let mut read = BufReader::new(read);
        let mut line = String::new();
        while read.read_line(&mut line).await.is_ok_and(|n| n > 0) {
            if line.starts_with("PING") {
                let _ = write.write_all(b"PONG\r\n").await;
                if let Some(later) = later.take() {
                    let _ = write.write_all(&later).await;
                }
            }
            line.clear();
        }
    });
    address
}

/// Waits up to a second for the connection to end; the reason.
async fn closed(connection: &Connection) -> Option<String> {
    for _ in 0..100 {
        if let Some(why) = connection.closed() {
            return Some(why);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    None
}

#[tokio::test]
async fn a_message_above_the_servers_max_payload_ends_the_connection_unallocated() {
    let address = server(INFO, b"MSG a 1 999999999999999\r\n").await;
    let connection = Connection::connect(&address).await.unwrap();
    let why = closed(&connection).await.expect("the connection ends");
    assert!(why.contains("above its own max_payload of 1024"), "{why}");
    // A caller waiting on the connection is told why it ended.
    let error = connection.flush().await.unwrap_err();
    assert!(error.contains("max_payload"), "{error}");
}

#[tokio::test]
async fn an_endless_line_ends_the_connection_instead_of_filling_memory() {
    let endless = vec![b'x'; 2 << 20];
    let connection = Connection::connect(&server(INFO, &endless).await)
        .await
        .unwrap();
    let why = closed(&connection).await.expect("the connection ends");
    assert!(why.contains("longer than 1048576 bytes"), "{why}");
}

#[tokio::test]
async fn a_refused_subject_does_not_end_the_connection() {
    let refusal = b"-ERR 'Permissions Violation for Publish to \"orders\"'\r\n";
    let connection = Connection::connect(&server(INFO, refusal).await)
        .await
        .unwrap();
    connection.flush().await.unwrap();
    assert_eq!(connection.closed(), None);
}

#[tokio::test]
async fn a_server_that_never_introduces_itself_is_an_error_not_a_wait() {
    let started = std::time::Instant::now();
    let error = Connection::connect(&server(b"", b"").await)
        .await
        .err()
        .expect("refused");
    assert!(error.contains("did not introduce itself"), "{error}");
    assert!(started.elapsed() < HELLO_TIMEOUT * 2);
}

#[tokio::test]
async fn something_else_than_nats_is_named_as_such() {
    let error = Connection::connect(&server(b"220 smtp.example ESMTP\r\n", b"").await)
        .await
        .err()
        .expect("refused");
    assert!(error.contains("is not a NATS server"), "{error}");
}

/// A server that answers the client's hello, then stops reading for `pause` (its socket
/// buffers fill), then reads every frame, reporting each `PUB` as whole or not.
async fn slow_server(pause: Duration) -> (String, mpsc::UnboundedReceiver<(String, bool)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (frames, seen) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (read, mut write) = stream.into_split();
        let _ = write
            .write_all(b"INFO {\"headers\":true,\"max_payload\":67108864}\r\n")
            .await;
        let mut read = BufReader::new(read);
        let mut line = String::new();
        let mut connected = false;
        while read.read_line(&mut line).await.is_ok_and(|n| n > 0) {
            if line.starts_with("PING") {
                let _ = write.write_all(b"PONG\r\n").await;
                if !connected {
                    connected = true;
                    tokio::time::sleep(pause).await;
                }
            } else if let Some(rest) = line.strip_prefix("PUB ") {
                let parts: Vec<&str> = rest.split_whitespace().collect();
                let subject = parts[0].to_owned();
                let Some(len) = parts.last().and_then(|n| n.parse::<usize>().ok()) else {
                    let _ = frames.send((line.clone(), false));
                    return;
                };
                let mut payload = vec![0; len + 2];
                if read.read_exact(&mut payload).await.is_err() {
                    return;
                }
                let whole = payload.ends_with(b"\r\n") && !payload[..len].contains(&b'\r');
                let _ = frames.send((subject, whole));
                if !whole {
                    return;
                }
            }
            line.clear();
        }
    });
    (address, seen)
}

#[tokio::test]
async fn a_publish_given_up_half_written_still_leaves_whole_frames() {
    let (address, mut seen) = slow_server(Duration::from_millis(500)).await;
    let connection = Connection::connect(&address).await.unwrap();
    // Larger than the socket buffers hold while the server does not read: the write is cut
    // short by the caller's timeout.
    let big = vec![b'x'; 32 << 20];
    let given_up = tokio::time::timeout(
        Duration::from_millis(50),
        connection.publish("big", None, &[], &big),
    )
    .await;
    assert!(given_up.is_err(), "the publish was still writing");
    connection.publish("after", None, &[], b"hi").await.unwrap();
    connection.flush().await.unwrap();
    assert_eq!(seen.recv().await, Some(("big".to_owned(), true)));
    assert_eq!(seen.recv().await, Some(("after".to_owned(), true)));
    assert_eq!(connection.closed(), None);
}

#[tokio::test]
async fn a_request_given_up_leaves_no_route_behind() {
    let connection = Connection::connect(&server(INFO, b"").await).await.unwrap();
    // Its own timeout, and a caller's shorter one around it.
    let error = connection
        .request("nobody", &[], b"?", Duration::from_millis(20))
        .await
        .unwrap_err();
    assert!(error.contains("no reply"), "{error}");
    let given_up = tokio::time::timeout(
        Duration::from_millis(20),
        connection.request("nobody", &[], b"?", Duration::from_secs(60)),
    )
    .await;
    assert!(given_up.is_err());
    assert_eq!(lock(&connection.routes).replies.len(), 0);
}
