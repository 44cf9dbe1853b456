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
