//! Durable storage behind the engine.
//!
//! [`Store`] is the contract; [`SqliteStore`] (`sqlite.rs`) is the embedded default (one SQLite
//! file in the data directory, nothing else to install); [`RedisStore`] (`redis_store.rs`) is the
//! shared store that lets several instances serve the same events. One conformance suite
//! (`tests/tests/conformance.rs`) checks both against this contract.
//!
//! The store is written by one thread only, the engine's sequencer (see `engine/`), which
//! hands it whole batches: one [`Batch`] is one transaction, so an agenda import and the
//! event announcing it are committed together or not at all. A batch is acknowledged to
//! clients only after [`Store::commit`] returns, and SQLite runs in WAL mode with
//! `synchronous=FULL`, so an acknowledged write survives `kill -9` of the server (and a power
//! cut, at the price of one fsync per batch; batching amortises it).

pub mod redis_store;
mod redis_wire;
mod sqlite;

pub use redis_store::RedisStore;
pub use sqlite::SqliteStore;

use plenum_protocol::{EventCode, EventInfo, RoomEvent, RoomId, RoomState, Seq};

/// A store failure. Callers turn it into `ErrorCode::Unavailable`: nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("corrupt record in {what}: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// The store cannot be reached (a network store's connection is down, say).
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The writes asked for were compacted away (`Store::compact`): load the room afresh.
    #[error("the room's history was compacted")]
    Compacted,
}

/// One committed event of a room's log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub room: RoomId,
    pub seq: Seq,
    pub at_ms: i64,
    pub event: RoomEvent,
}

/// A private record of a room: durable, but never broadcast as such (an upvote, a ballot).
/// Aggregates of records reach clients as ordinary, coalesced room events.
///
/// The store treats records as opaque: `kind` names the record's interaction-owned format
/// (each interaction declares its kinds, see `interactions::RecordKind`), and only that
/// interaction reads `key` and `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub room: RoomId,
    pub kind: String,
    pub key: String,
    /// `None` deletes the record.
    pub value: Option<String>,
}

/// What one batch writes to one room: the unit a shared store commits atomically.
#[derive(Debug, Clone)]
pub struct RoomWrite {
    pub room: RoomId,
    /// The room's version after this write. Every write to a room makes the next version, so
    /// a write decided against a stale copy of the room (another instance wrote first) is
    /// refused by a shared store as a conflict.
    pub version: u64,
    /// A random id of this write, and the id of the write it follows (0 for the first). A
    /// shared store checks both with the version, so a history that diverged (Redis lost
    /// writes and others were made in their place) is noticed, never written over.
    pub id: u64,
    pub prev: u64,
    /// Appended to the room's log, in order.
    pub log: Vec<LogEntry>,
    /// Private records set or deleted, in order.
    pub records: Vec<Record>,
    /// The event's document, when this write (in its event room) creates or changes it.
    pub doc: Option<EventInfo>,
}

/// Everything one batch writes.
#[derive(Debug, Default)]
pub struct Batch {
    pub rooms: Vec<RoomWrite>,
}

/// What a commit did, room by room: every room of the batch not listed was written.
#[derive(Debug, Default)]
pub struct Committed {
    /// Refused: another instance wrote the room first. Nothing of it was written.
    pub conflicts: Vec<Conflict>,
    /// Unknown: the store failed while writing the room (it may or may not hold the write).
    pub failed: Vec<(RoomId, StoreError)>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.rooms.is_empty()
    }

    pub fn log_len(&self) -> usize {
        self.rooms.iter().map(|w| w.log.len()).sum()
    }
}

/// A room's write a shared store refused: another instance wrote the room first.
#[derive(Debug)]
pub struct Conflict {
    pub room: RoomId,
    /// The room's version in the store when the write was refused.
    pub version: u64,
    /// The writes the refused one was missing, in order, when the store sends them along
    /// (saving a round trip); else the caller reads them with [`Store::writes_since`].
    pub missed: Vec<RoomWrite>,
}

/// A room's state as the fold of its log up to `seq` left it (after write `version`, `id`), so
/// loading the room folds only what came after. Taken by the engine every
/// `engine::SNAPSHOT_EVERY` events of a room; a cache of the log, never instead of it.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub seq: Seq,
    pub version: u64,
    pub id: u64,
    pub state: RoomState,
}

/// A room as stored: its version, its log (after its snapshot, if it has one) and its records
/// (set and deleted, in order: applying them in turn leaves the current ones).
#[derive(Debug, Default)]
pub struct RoomData {
    pub version: u64,
    /// The id of the room's last write (0 for none).
    pub id: u64,
    /// The newest snapshot: `log` holds the events after it.
    pub snapshot: Option<Snapshot>,
    pub log: Vec<LogEntry>,
    pub records: Vec<Record>,
}

/// What the engine needs from durable storage.
pub trait Store: Send + 'static {
    /// Every event, for the catalog at start-up.
    fn load_events(&mut self) -> Result<Vec<EventInfo>, StoreError>;
    /// A room's version, whole log (in sequence order) and records.
    fn load_room(&mut self, room: &RoomId) -> Result<RoomData, StoreError>;
    /// Writes the batch durably. An embedded store writes all of it or nothing. A shared store
    /// writes each room's part atomically, and refuses the part of a room whose version moved
    /// on (another instance wrote it first), or whose history differs from the write's: those
    /// rooms are returned as conflicts, nothing of them written.
    fn commit(&mut self, batch: &Batch) -> Result<Committed, StoreError>;
    /// The writes to `room` after `version`, in order: what this instance missed. Only a shared
    /// store has any. [`StoreError::Compacted`] when some of them were compacted away.
    fn writes_since(
        &mut self,
        _room: &RoomId,
        _version: u64,
    ) -> Result<Vec<RoomWrite>, StoreError> {
        Ok(Vec::new())
    }
    /// One event's document, if it exists: for an instance that has not heard of it yet (another
    /// instance created it a moment ago). An embedded store's events are all loaded at start.
    fn load_event(&mut self, _code: &EventCode) -> Result<Option<EventInfo>, StoreError> {
        Ok(None)
    }
    /// Whether other instances write to this store too.
    fn shared(&self) -> bool {
        false
    }
    /// A small named value (keys, hashes), if set.
    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Sets a small named value, durably.
    fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError>;
    /// Sets a small named value unless it is set, and returns the value that is set: when two
    /// instances start at once, both end up with the first one's.
    fn put_meta_if_absent(&mut self, key: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        match self.get_meta(key)? {
            Some(v) => Ok(v),
            None => {
                self.put_meta(key, value)?;
                Ok(value.to_vec())
            }
        }
    }
    /// Every room of `event` the store holds anything of (its event room always).
    fn rooms_of(&mut self, event: &EventCode) -> Result<Vec<RoomId>, StoreError>;
    /// Whether the store holds any of `room`'s log (a compacted room holds none until its next
    /// write).
    fn holds_history(&mut self, room: &RoomId) -> Result<bool, StoreError>;
    /// Makes `snapshot` the start of `room`'s history: its log up to the snapshot and every
    /// older snapshot are deleted, so nothing the earlier events carried stays in the store.
    /// Records are not touched (what a purge deletes, its write deleted).
    fn compact(&mut self, room: &RoomId, snapshot: &Snapshot) -> Result<(), StoreError>;
    /// After compactions: what they deleted leaves the store's files too, where the store can
    /// see to it (SQLite checkpoints and truncates its write-ahead log; the pages were zeroed
    /// as they were freed).
    fn scrub(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Whether the store answers now (for `/readyz`).
    fn ping(&mut self) -> Result<(), StoreError>;
    /// Keeps `snapshot` of `room`, unless the store holds a newer one. Both stores keep them;
    /// a store that does not (a test's) loads rooms from their whole log.
    fn put_snapshot(&mut self, _room: &RoomId, _snapshot: &Snapshot) -> Result<(), StoreError> {
        Ok(())
    }
}
