//! Faults to inject: a store that goes down on command.

use crate::*;
use plenum_protocol::RoomId;
use std::time::Duration;

/// The real SQLite store behind a switch: while `down` is set, commits, meta writes and pings
/// fail as a store outage would, and nothing reaches the file. For fault tests.
pub struct FlakyStore {
    inner: plenum_server::store::SqliteStore,
    pub down: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FlakyStore {
    fn check(&self) -> Result<(), plenum_server::store::StoreError> {
        if self.down.load(std::sync::atomic::Ordering::SeqCst) {
            Err(plenum_server::store::StoreError::Unavailable(
                "injected outage".into(),
            ))
        } else {
            Ok(())
        }
    }
}

impl plenum_server::store::Store for FlakyStore {
    fn load_events(
        &mut self,
    ) -> Result<Vec<plenum_protocol::EventInfo>, plenum_server::store::StoreError> {
        self.inner.load_events()
    }
    fn load_room(
        &mut self,
        room: &RoomId,
    ) -> Result<plenum_server::store::RoomData, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.load_room(room)
    }
    fn commit(
        &mut self,
        batch: &plenum_server::store::Batch,
    ) -> Result<plenum_server::store::Committed, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.commit(batch)
    }
    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, plenum_server::store::StoreError> {
        self.inner.get_meta(key)
    }
    fn put_meta(
        &mut self,
        key: &str,
        value: &[u8],
    ) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.put_meta(key, value)
    }
    fn ping(&mut self) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.ping()
    }
    fn rooms_of(
        &mut self,
        event: &plenum_protocol::EventCode,
    ) -> Result<Vec<RoomId>, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.rooms_of(event)
    }
    fn holds_history(&mut self, room: &RoomId) -> Result<bool, plenum_server::store::StoreError> {
        self.check()?;
        self.inner.holds_history(room)
    }
    fn compact(
        &mut self,
        room: &RoomId,
        snapshot: &plenum_server::store::Snapshot,
    ) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.compact(room, snapshot)
    }
    fn scrub(&mut self) -> Result<(), plenum_server::store::StoreError> {
        self.check()?;
        self.inner.scrub()
    }
}

impl TestServer {
    /// A server on a [`FlakyStore`]; the returned switch takes the store down and up.
    pub async fn start_flaky() -> (TestServer, std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = temp.path().to_path_buf();
        let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let store = FlakyStore {
            inner: plenum_server::store::SqliteStore::open(&data_dir).expect("sqlite"),
            down: down.clone(),
        };
        let mut c = plenum_server::Config::new(data_dir.clone());
        c.drain_timeout = Duration::from_secs(3);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let running = plenum_server::start_with_store(c, listener, Box::new(store))
            .await
            .expect("server starts");
        let organiser_key = read_organiser_key(&data_dir).expect("organiser key file");
        let server = TestServer {
            addr: running.addr,
            organiser_key,
            data_dir,
            running: Some(running),
            config: TestConfig::default(),
            _temp: Some(temp),
        };
        (server, down)
    }
}
