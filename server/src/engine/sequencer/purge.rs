//! Purging an event's personal data, one room at a time (`engine::Engine::purge`).
//!
//! A room's purge is one ordinary write, so every instance and every follower applies it in
//! order: a `personal_data_purged` event (its fold drops what identifies people from the
//! state, `RoomState::purge`), the deletion of every record of a personal kind
//! (`RecordKind::personal`) and what other records' interactions make of them
//! (`Interaction::purged`: a registration link without the person's name). Once committed, the room's history up to it is replaced by a
//! snapshot of the purged state (`Store::compact`), and its ring of recent frames keeps
//! nothing from before: a client resuming from earlier gets the snapshot.

use super::{Sequencer, write_id};
use crate::{
    engine::now_ms,
    interactions::Refusal,
    store::{Batch, LogEntry, Record, RoomWrite},
};
use plenum_protocol::{RoomEvent, RoomId};

/// How many times a purge is tried again when another instance wrote the room first.
const ATTEMPTS: usize = 5;

impl Sequencer {
    /// Purges one room: whether it held anything to purge. A room with no record to change and no
    /// log in the store (compacted by the last purge, nothing since) is left alone; one whose
    /// compaction failed still holds its log, and is purged again.
    pub(in crate::engine) fn purge_room(&mut self, id: &RoomId) -> Result<bool, Refusal> {
        for _ in 0..ATTEMPTS {
            let room = self.sync(id, true)?;
            // The records as stored: the personal ones are deleted by key.
            let data = self.store.load_room(id).map_err(|e| {
                tracing::error!(room = %id, error = %e, "reading a room to purge failed");
                Refusal::Unavailable
            })?;
            let registry = self.shared.registry.clone();
            // Personal kinds deleted, other records rewritten where their interaction says so.
            let changes: Vec<Record> = data
                .records
                .into_iter()
                .filter_map(|r| {
                    let value = r.value.as_deref()?;
                    let purged = registry.purged(&r.kind, &r.key, value)?;
                    Some(Record { value: purged, ..r })
                })
                .collect();
            let (seq, version, last_id) = {
                let inner = room.inner.lock().unwrap();
                (inner.seq, inner.version, inner.last_id)
            };
            if data.version > version {
                // Another instance wrote since: read it first.
                continue;
            }
            // Nothing to do: no record to change, and no history (it was compacted by the
            // last purge, and nothing has happened since; or the room never had any).
            let history = self.store.holds_history(id).map_err(|e| {
                tracing::error!(room = %id, error = %e, "reading a room to purge failed");
                Refusal::Unavailable
            })?;
            if changes.is_empty() && !history {
                return Ok(false);
            }
            let write = RoomWrite {
                room: id.clone(),
                version: version + 1,
                id: write_id(),
                prev: last_id,
                log: vec![LogEntry {
                    room: id.clone(),
                    seq: seq + 1,
                    at_ms: now_ms(),
                    event: RoomEvent::PersonalDataPurged,
                }],
                records: changes,
                doc: None,
            };
            let batch = Batch {
                rooms: vec![write.clone()],
            };
            match self.store.commit(&batch) {
                Ok(c) if c.conflicts.is_empty() && c.failed.is_empty() => {}
                Ok(c) if c.failed.is_empty() => {
                    for conflict in c.conflicts {
                        self.catch_up(&conflict.room, conflict.version, conflict.missed);
                    }
                    continue;
                }
                Ok(c) => {
                    for (room, e) in &c.failed {
                        tracing::error!(room = %room, error = %e, "purging a room failed");
                    }
                    self.forget_uncertain(std::iter::once(id.clone()));
                    return Err(Refusal::Unavailable);
                }
                Err(e) => {
                    tracing::error!(room = %id, error = %e, "purging a room failed");
                    self.forget_uncertain(std::iter::once(id.clone()));
                    return Err(Refusal::Unavailable);
                }
            }
            self.apply_write(&room, write, None);
            // What each interaction holds in memory is rebuilt from the store, which holds the
            // deletions: no interaction is trusted to forget a deleted record by itself.
            let room = self.reload(id)?;
            let snapshot = room.inner.lock().unwrap().take_snapshot();
            self.store.compact(id, &snapshot).map_err(|e| {
                tracing::error!(room = %id, error = %e, "compacting a purged room failed");
                Refusal::Unavailable
            })?;
            return Ok(true);
        }
        tracing::warn!(room = %id, "purging a room lost to other instances' writes {ATTEMPTS} times");
        Err(Refusal::Unavailable)
    }
}
