//! Durable storage behind the engine.
//!
//! [`Store`] is the contract; [`SqliteStore`] is the embedded default (one SQLite file in the
//! data directory, nothing else to install); `RedisStore` (in `redis_store.rs`) is the shared
//! store that lets several instances serve the same events.
//!
//! The store is written by one thread only, the engine's sequencer (see `engine.rs`), which
//! hands it whole batches: one [`Batch`] is one transaction, so an agenda import and the
//! event announcing it are committed together or not at all. A batch is acknowledged to
//! clients only after [`Store::commit`] returns, and SQLite runs in WAL mode with
//! `synchronous=FULL`, so an acknowledged write survives `kill -9` of the server (and a power
//! cut, at the price of one fsync per batch; batching amortises it).

use plenum_protocol::{EventCode, EventInfo, RoomEvent, RoomId, Seq};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

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
}

/// One committed event of a room's log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub room: RoomId,
    pub seq: Seq,
    pub at_ms: i64,
    pub event: RoomEvent,
}

/// A private record of a room: durable, but never broadcast as such (an upvote, a block).
/// Aggregates of records reach clients as ordinary, coalesced room events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub room: RoomId,
    pub kind: RecordKind,
    pub key: String,
    /// `None` deletes the record.
    pub value: Option<String>,
}

/// What a record is; its key's format depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// Key `QUESTION:PERSON` in a session room: that person votes that question up.
    Upvote,
    /// Key `PERSON` in an event room: that person may not ask questions at the event.
    Block,
    /// Key `POLL:PERSON` in a session room; the value is the answer (protocol JSON).
    Ballot,
    /// Key `POLL:ANSWER_ID` in a session room: an approved open-text answer.
    Approved,
    /// Key `AWARD:PERSON` in a session room; the value is `CANDIDATE:RECEIPT`.
    AwardBallot,
    /// Key `QUIZ:QUESTION:PERSON` in a session room; the value is `OPTION:T_MS:NAME`.
    QuizAnswer,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Upvote => "upvote",
            RecordKind::Block => "block",
            RecordKind::Ballot => "ballot",
            RecordKind::Approved => "approved",
            RecordKind::AwardBallot => "award_ballot",
            RecordKind::QuizAnswer => "quiz_answer",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        match s {
            "upvote" => Some(RecordKind::Upvote),
            "block" => Some(RecordKind::Block),
            "ballot" => Some(RecordKind::Ballot),
            "approved" => Some(RecordKind::Approved),
            "award_ballot" => Some(RecordKind::AwardBallot),
            "quiz_answer" => Some(RecordKind::QuizAnswer),
            _ => None,
        }
    }
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

/// A room as stored: its version, its whole log and its current records.
#[derive(Debug, Default)]
pub struct RoomData {
    pub version: u64,
    /// The id of the room's last write (0 for none).
    pub id: u64,
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
    /// store has any.
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
    /// Whether the store answers now (for `/readyz`).
    fn ping(&mut self) -> Result<(), StoreError>;
}

/// The embedded default: one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS events (code TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS room_log (
    room  TEXT    NOT NULL,
    seq   INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    event TEXT    NOT NULL,
    PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
    room  TEXT NOT NULL,
    kind  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (room, kind, key)
) WITHOUT ROWID;
";

impl SqliteStore {
    /// Opens (or creates) `plenum.sqlite3` in `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(dir.join("plenum.sqlite3"))?;
        // WAL: readers never block the writer. FULL: a commit is on disk before we acknowledge it.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteStore { conn })
    }
}

fn corrupt(what: &'static str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

impl SqliteStore {
    fn load_log(&mut self, room: &RoomId) -> Result<Vec<LogEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at_ms, event FROM room_log WHERE room = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([room.to_string()], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut log = Vec::new();
        for row in rows {
            let (seq, at_ms, event) = row?;
            log.push(LogEntry {
                room: room.clone(),
                seq: seq as Seq,
                at_ms,
                event: serde_json::from_str(&event).map_err(|e| corrupt("room_log", e))?,
            });
        }
        Ok(log)
    }

    fn load_records(&mut self, room: &RoomId) -> Result<Vec<Record>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT kind, key, value FROM records WHERE room = ?1")?;
        let rows = stmt.query_map([room.to_string()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (kind, key, value) = row?;
            let kind = RecordKind::parse(&kind)
                .ok_or_else(|| corrupt("records", format!("unknown kind {kind}")))?;
            records.push(Record {
                room: room.clone(),
                kind,
                key,
                value: Some(value),
            });
        }
        Ok(records)
    }
}

impl Store for SqliteStore {
    fn load_events(&mut self) -> Result<Vec<EventInfo>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT doc FROM events ORDER BY code")?;
        let docs = stmt.query_map([], |row| row.get::<_, String>(0))?;
        let mut events = Vec::new();
        for doc in docs {
            events.push(serde_json::from_str(&doc?).map_err(|e| corrupt("events", e))?);
        }
        Ok(events)
    }

    fn load_room(&mut self, room: &RoomId) -> Result<RoomData, StoreError> {
        Ok(RoomData {
            version: 0,
            id: 0,
            log: self.load_log(room)?,
            records: self.load_records(room)?,
        })
    }

    fn commit(&mut self, batch: &Batch) -> Result<Committed, StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put_event =
                tx.prepare_cached("INSERT OR REPLACE INTO events (code, doc) VALUES (?1, ?2)")?;
            // A plain INSERT: a duplicate (room, seq) is a sequencing bug and must fail loudly.
            let mut append = tx.prepare_cached(
                "INSERT INTO room_log (room, seq, at_ms, event) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut set = tx.prepare_cached(
                "INSERT OR REPLACE INTO records (room, kind, key, value) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut delete = tx
                .prepare_cached("DELETE FROM records WHERE room = ?1 AND kind = ?2 AND key = ?3")?;
            for write in &batch.rooms {
                if let Some(event) = &write.doc {
                    let doc = serde_json::to_string(event).map_err(|e| corrupt("events", e))?;
                    put_event.execute(params![event.code.as_str(), doc])?;
                }
                for entry in &write.log {
                    let event =
                        serde_json::to_string(&entry.event).map_err(|e| corrupt("room_log", e))?;
                    append.execute(params![
                        entry.room.to_string(),
                        entry.seq as i64,
                        entry.at_ms,
                        event
                    ])?;
                }
                for r in &write.records {
                    let room = r.room.to_string();
                    match &r.value {
                        Some(v) => set.execute(params![room, r.kind.as_str(), r.key, v])?,
                        None => delete.execute(params![room, r.kind.as_str(), r.key])?,
                    };
                }
            }
        }
        tx.commit()?;
        // The only writer: nothing can conflict, and it is all or nothing.
        Ok(Committed::default())
    }

    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    fn ping(&mut self) -> Result<(), StoreError> {
        self.conn.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }
}
