//! Durable storage behind the engine.
//!
//! [`Store`] is the contract; [`SqliteStore`] is the embedded default (one SQLite file in the
//! data directory, nothing else to install). A Redis implementation comes with scale-out.
//!
//! The store is written by one thread only, the engine's sequencer (see `engine.rs`), which
//! hands it whole batches: one [`Batch`] is one transaction, so an agenda import and the
//! event announcing it are committed together or not at all. A batch is acknowledged to
//! clients only after [`Store::commit`] returns, and SQLite runs in WAL mode with
//! `synchronous=FULL`, so an acknowledged write survives `kill -9` of the server (and a power
//! cut, at the price of one fsync per batch; batching amortises it).

use plenum_protocol::{EventInfo, RoomEvent, RoomId, Seq};
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
    fn as_str(self) -> &'static str {
        match self {
            RecordKind::Upvote => "upvote",
            RecordKind::Block => "block",
            RecordKind::Ballot => "ballot",
            RecordKind::Approved => "approved",
            RecordKind::AwardBallot => "award_ballot",
            RecordKind::QuizAnswer => "quiz_answer",
        }
    }

    fn parse(s: &str) -> Option<RecordKind> {
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

/// Everything one transaction writes.
#[derive(Debug, Default)]
pub struct Batch {
    /// Appended to room logs, in order.
    pub log: Vec<LogEntry>,
    /// Events created or replaced (their agenda included).
    pub events: Vec<EventInfo>,
    /// Private records set or deleted, in order.
    pub records: Vec<Record>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.log.is_empty() && self.events.is_empty() && self.records.is_empty()
    }
}

/// What the engine needs from durable storage.
pub trait Store: Send + 'static {
    /// Every event, for the catalog at start-up.
    fn load_events(&mut self) -> Result<Vec<EventInfo>, StoreError>;
    /// A room's whole log, in sequence order.
    fn load_room(&mut self, room: &RoomId) -> Result<Vec<LogEntry>, StoreError>;
    /// A room's private records.
    fn load_records(&mut self, room: &RoomId) -> Result<Vec<Record>, StoreError>;
    /// Writes the batch atomically and durably, or not at all.
    fn commit(&mut self, batch: &Batch) -> Result<(), StoreError>;
    /// A small named value (keys, hashes), if set.
    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Sets a small named value, durably.
    fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError>;
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

    fn load_room(&mut self, room: &RoomId) -> Result<Vec<LogEntry>, StoreError> {
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

    fn commit(&mut self, batch: &Batch) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put_event =
                tx.prepare_cached("INSERT OR REPLACE INTO events (code, doc) VALUES (?1, ?2)")?;
            for event in &batch.events {
                let doc = serde_json::to_string(event).map_err(|e| corrupt("events", e))?;
                put_event.execute(params![event.code.as_str(), doc])?;
            }
            // A plain INSERT: a duplicate (room, seq) is a sequencing bug and must fail loudly.
            let mut append = tx.prepare_cached(
                "INSERT INTO room_log (room, seq, at_ms, event) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for entry in &batch.log {
                let event =
                    serde_json::to_string(&entry.event).map_err(|e| corrupt("room_log", e))?;
                append.execute(params![
                    entry.room.to_string(),
                    entry.seq as i64,
                    entry.at_ms,
                    event
                ])?;
            }
            let mut set = tx.prepare_cached(
                "INSERT OR REPLACE INTO records (room, kind, key, value) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut delete = tx
                .prepare_cached("DELETE FROM records WHERE room = ?1 AND kind = ?2 AND key = ?3")?;
            for r in &batch.records {
                let room = r.room.to_string();
                match &r.value {
                    Some(v) => set.execute(params![room, r.kind.as_str(), r.key, v])?,
                    None => delete.execute(params![room, r.kind.as_str(), r.key])?,
                };
            }
        }
        tx.commit()?;
        Ok(())
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
