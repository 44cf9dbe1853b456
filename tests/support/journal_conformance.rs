//! What every `Journal` must do, run against each one (`#[path]`-included by its tests).

#![allow(dead_code)]

use std::time::Duration;

use patternkit::store::{Journal, KeyState};

/// Runs every check on `journal`, whose streams must start empty; `stream` keeps runs of
/// the suite on one shared database apart.
pub async fn conforms<J: Journal>(journal: &J, stream: &str) {
    // Entries come back in order, per key.
    assert!(journal.read(stream, "a").await.unwrap().is_empty());
    journal.append(stream, "a", "one").await.unwrap();
    journal.append(stream, "b", "other").await.unwrap();
    journal.append(stream, "a", "two").await.unwrap();
    journal
        .append(stream, "a", "ünïcødé \"quoted\" {json}")
        .await
        .unwrap();
    assert_eq!(
        journal.read(stream, "a").await.unwrap(),
        ["one", "two", "ünïcødé \"quoted\" {json}"]
    );
    assert_eq!(journal.read(stream, "b").await.unwrap(), ["other"]);

    // Keys are open from their first entry, listed oldest first.
    assert_eq!(
        journal.keys(stream, KeyState::Open).await.unwrap(),
        ["a", "b"]
    );
    journal
        .set_state(stream, "a", KeyState::Stuck)
        .await
        .unwrap();
    assert_eq!(journal.keys(stream, KeyState::Open).await.unwrap(), ["b"]);
    assert_eq!(journal.keys(stream, KeyState::Stuck).await.unwrap(), ["a"]);
    journal
        .set_state(stream, "a", KeyState::Closed)
        .await
        .unwrap();
    assert_eq!(journal.keys(stream, KeyState::Closed).await.unwrap(), ["a"]);
    // Another stream is another namespace.
    let other = format!("{stream}-other");
    assert!(journal.read(&other, "a").await.unwrap().is_empty());
    assert!(
        journal
            .keys(&other, KeyState::Closed)
            .await
            .unwrap()
            .is_empty()
    );

    // A lease is exclusive until it expires or is released; taking it again extends it.
    let long = Duration::from_secs(60);
    assert!(journal.lease(stream, "c", "one", long).await.unwrap());
    assert!(!journal.lease(stream, "c", "two", long).await.unwrap());
    assert!(journal.lease(stream, "c", "one", long).await.unwrap());
    journal.release(stream, "c", "two").await.unwrap();
    assert!(
        !journal.lease(stream, "c", "two", long).await.unwrap(),
        "only the owner releases"
    );
    journal.release(stream, "c", "one").await.unwrap();
    assert!(
        journal
            .lease(stream, "c", "two", Duration::ZERO)
            .await
            .unwrap()
    );
    std::thread::sleep(Duration::from_millis(5));
    assert!(
        journal.lease(stream, "c", "one", long).await.unwrap(),
        "an expired lease is taken over"
    );
    // A lease alone does not make a key open: there is nothing to resume.
    assert!(
        !journal
            .keys(stream, KeyState::Open)
            .await
            .unwrap()
            .contains(&"c".to_owned())
    );
}
