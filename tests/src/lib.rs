//! The one harness every integration test goes through, split by what it offers:
//!
//! - [`servers`] — a real server on 127.0.0.1:0, in this process or as a killable child process.
//! - [`http`]    — the HTTP API as a client calls it.
//! - [`ws`]      — a WebSocket client speaking the protocol as the browser does.
//! - [`member`]  — a person following a room, and a mirror of the room that fails on gaps.
//! - [`scenes`]  — the small event and the fixtures every test file starts from.
//! - [`redis_servers`] — real `redis-server` processes, instances sharing them.
//! - [`faults`]  — a store that goes down on command.
//!
//! Everything is re-exported here: tests `use plenum_tests::*`. Tests live in
//! `tests/tests/*.rs`, one file per capability.

pub mod faults;
pub mod http;
pub mod member;
pub mod redis_servers;
pub mod scenes;
pub mod servers;
pub mod ws;

pub use faults::*;
pub use http::*;
pub use member::*;
pub use redis_servers::*;
pub use scenes::*;
pub use servers::*;
pub use ws::*;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

/// How long a test waits for any one expected thing before failing.
pub const WAIT: Duration = Duration::from_secs(15);

/// The workspace root (the directory with the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Polls `f` every 20 ms until it gives `Some`, for at most `WAIT`.
pub async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    mut f: impl FnMut() -> F,
) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(t) = f().await {
            return t;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The value of a counter on a server's `/metrics`.
pub async fn metric(http: &Http, name: &str) -> f64 {
    let a = http.get("/metrics").await.expect("metrics");
    let text = a.body.as_str().unwrap_or_default().to_owned();
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(' ')?;
            (k == name).then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0.0)
}
