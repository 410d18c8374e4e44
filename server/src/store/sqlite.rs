//! The embedded default store: one SQLite file in the data directory.

use super::{Batch, Committed, LogEntry, Record, RoomData, Snapshot, Store, StoreError};
use plenum_protocol::{EventCode, EventInfo, RoomId, Seq};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

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
CREATE TABLE IF NOT EXISTS room_snapshots (
    room  TEXT    PRIMARY KEY,
    seq   INTEGER NOT NULL,
    state TEXT    NOT NULL
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
        // Deleted content is overwritten with zeros, not left in free pages: a purge of
        // personal data (`Store::compact`) leaves nothing in the file to recover.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        // The file holds the token secret: its owner's alone (SQLite gives the -wal and -shm
        // files the database's mode; they exist by now, in WAL mode, and are narrowed too).
        #[cfg(unix)]
        for name in ["plenum.sqlite3", "plenum.sqlite3-wal", "plenum.sqlite3-shm"] {
            use std::os::unix::fs::PermissionsExt as _;
            let path = dir.join(name);
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| StoreError::Unavailable(format!("narrowing {name}: {e}")))?;
            }
        }
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
    /// The room's log after `after`.
    fn load_log(&mut self, room: &RoomId, after: Seq) -> Result<Vec<LogEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at_ms, event FROM room_log WHERE room = ?1 AND seq > ?2 ORDER BY seq",
        )?;
        let rows = stmt.query_map(params![room.to_string(), after as i64], |row| {
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
        let snapshot = self
            .conn
            .query_row(
                "SELECT seq, state FROM room_snapshots WHERE room = ?1",
                [room.to_string()],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()?
            .map(|(seq, state)| {
                Ok::<_, StoreError>(Snapshot {
                    seq: seq as Seq,
                    version: 0,
                    id: 0,
                    state: serde_json::from_str(&state)
                        .map_err(|e| corrupt("room_snapshots", e))?,
                })
            })
            .transpose()?;
        let after = snapshot.as_ref().map_or(0, |s| s.seq);
        Ok(RoomData {
            version: 0,
            id: 0,
            log: self.load_log(room, after)?,
            snapshot,
            records: self.load_records(room)?,
        })
    }

    fn put_snapshot(&mut self, room: &RoomId, snapshot: &Snapshot) -> Result<(), StoreError> {
        let state =
            serde_json::to_string(&snapshot.state).map_err(|e| corrupt("room_snapshots", e))?;
        self.conn.execute(
            "INSERT INTO room_snapshots (room, seq, state) VALUES (?1, ?2, ?3)
             ON CONFLICT (room) DO UPDATE SET seq = excluded.seq, state = excluded.state
             WHERE excluded.seq > room_snapshots.seq",
            params![room.to_string(), snapshot.seq as i64, state],
        )?;
        Ok(())
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
                        Some(v) => set.execute(params![room, r.kind, r.key, v])?,
                        None => delete.execute(params![room, r.kind, r.key])?,
                    };
                }
            }
        }
        tx.commit()?;
        // The only writer: nothing can conflict, and it is all or nothing.
        Ok(Committed::default())
    }

    fn rooms_of(&mut self, event: &EventCode) -> Result<Vec<RoomId>, StoreError> {
        let code = event.as_str();
        let event_room = RoomId::Event(event.clone());
        // By ranges of the tables' keys (`room` first): `session:CODE:` up to `session:CODE;`
        // (`;` follows `:`), the same for inboxes and booths. No scan of other events' rows.
        let ranges = [
            (format!("session:{code}:"), format!("session:{code};")),
            (format!("inbox:{code}:"), format!("inbox:{code};")),
            (format!("booth:{code}:"), format!("booth:{code};")),
        ];
        let mut names = std::collections::BTreeSet::new();
        for table in ["room_log", "records", "room_snapshots"] {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT DISTINCT room FROM {table} WHERE room >= ?1 AND room < ?2"
            ))?;
            for (from, to) in &ranges {
                for row in stmt.query_map(params![from, to], |row| row.get::<_, String>(0))? {
                    names.insert(row?);
                }
            }
        }
        let mut rooms = vec![event_room];
        for name in names {
            rooms.push(RoomId::parse(&name).map_err(|e| corrupt("room_log", e.0))?);
        }
        Ok(rooms)
    }

    fn holds_history(&mut self, room: &RoomId) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM room_log WHERE room = ?1 LIMIT 1",
                [room.to_string()],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn compact(&mut self, room: &RoomId, snapshot: &Snapshot) -> Result<(), StoreError> {
        let state =
            serde_json::to_string(&snapshot.state).map_err(|e| corrupt("room_snapshots", e))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO room_snapshots (room, seq, state) VALUES (?1, ?2, ?3)",
            params![room.to_string(), snapshot.seq as i64, state],
        )?;
        tx.execute(
            "DELETE FROM room_log WHERE room = ?1 AND seq <= ?2",
            params![room.to_string(), snapshot.seq as i64],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn scrub(&mut self) -> Result<(), StoreError> {
        // The write-ahead log still holds the pages as they were before: copy it into the
        // database and empty it.
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        if busy != 0 {
            return Err(StoreError::Unavailable(
                "the write-ahead log could not be emptied (a reader held it); purge again".into(),
            ));
        }
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
