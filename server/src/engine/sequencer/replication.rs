//! Keeping rooms true to the store: writes from other instances applied in order, gaps and
//! conflicts caught up from the store, rooms reloaded after a purge or a compaction, and rooms
//! a failed commit left uncertain brought back.

use super::{super::ORPHANED_TALLIES_AFTER, Sequencer, now_ms};
use crate::{engine::room::Room, interactions::Refusal, store::RoomWrite};
use plenum_protocol::RoomId;
use std::{sync::Arc, time::Instant};

impl Sequencer {
    /// A write from another instance: applied if it is the room's next, read from the store
    /// with whatever else is missing if it is further ahead, ignored if already here (our
    /// own, or one a resync brought). Rooms not loaded here are not followed here either.
    pub(super) fn remote(&mut self, write: RoomWrite) {
        let Some(room) = self.shared.rooms.get(&write.room).map(|r| r.clone()) else {
            return;
        };
        let have = room.version();
        if write.version == have + 1 {
            self.apply_next(&room, write);
        } else if write.version > have + 1 {
            self.metrics.broker_gaps.inc();
            if let Err(e) = self.sync(&write.room, false) {
                tracing::warn!(room = %write.room, error = %e, "filling a gap failed");
                self.stale.insert(write.room);
            }
        }
    }

    /// Applies `missed` to a loaded room, in order; reads from the store only if they do not
    /// bring it to `version`. False when the room made no progress: the store's history of the
    /// room is not the one held here.
    pub(super) fn catch_up(&mut self, id: &RoomId, version: u64, missed: Vec<RoomWrite>) -> bool {
        let Some(room) = self.shared.rooms.get(id).map(|r| r.clone()) else {
            return true;
        };
        let before = room.version();
        for write in missed {
            if !self.apply_next(&room, write) {
                break;
            }
        }
        let mut now = room.version();
        if now < version {
            match self.sync(id, false) {
                // The room as held now: a compacted history has it loaded afresh.
                Ok(current) if !Arc::ptr_eq(&current, &room) => return true,
                Ok(_) => now = room.version(),
                Err(e) => {
                    tracing::warn!(room = %id, error = %e, "catching up after a conflict failed");
                    return true;
                }
            }
        }
        let progressed = now > before;
        if !progressed {
            tracing::error!(room = %id, version = before, store_version = version,
                "the store's history of this room differs from this instance's (did Redis lose writes?); refusing to write it");
        }
        progressed
    }

    /// Applies `write` if it is the room's next (its version and the id it follows match);
    /// returns whether to go on applying writes to `room`: false when it did not apply it, and
    /// after a purge, which loads the room afresh (with everything the store has).
    pub(super) fn apply_next(&mut self, room: &Arc<Room>, write: RoomWrite) -> bool {
        let (version, last_id) = room.head();
        if write.version != version + 1 {
            return false;
        }
        if write.prev != last_id {
            tracing::error!(room = %room.id, version = write.version,
                "a write does not follow this instance's history of the room (did Redis lose writes?)");
            return false;
        }
        let registry = &self.shared.registry;
        let tallied = write.records.iter().any(|r| registry.tallied(&r.kind));
        let purge = write
            .log
            .iter()
            .any(|e| e.event == plenum_protocol::RoomEvent::PersonalDataPurged);
        self.apply_write(room, write, None);
        if purge {
            // Another instance's purge: what the interactions hold is read again from the
            // store, as the purging instance does (`purge.rs`).
            if let Err(e) = self.reload(&room.id) {
                tracing::warn!(room = %room.id, error = ?e, "reloading a purged room failed");
            }
            // `room` is not the one held now: apply nothing more to it.
            return false;
        }
        if tallied {
            // Its instance publishes the aggregates; if it dies first, this one does.
            self.orphaned
                .entry((*room.id).clone())
                .or_insert_with(|| Instant::now() + ORPHANED_TALLIES_AFTER);
        }
        true
    }

    /// Brings a loaded room up to date with the store (loads it when `load` and it is not
    /// loaded). If the store does not answer, what this instance holds is still served.
    pub(super) fn sync(&mut self, id: &RoomId, load: bool) -> Result<Arc<Room>, Refusal> {
        let Some(mut room) = self.shared.rooms.get(id).map(|r| r.clone()) else {
            return if load {
                self.load(id.clone())
            } else {
                Err(Refusal::NotFound(format!("room {id} is not loaded")))
            };
        };
        match self.store.writes_since(id, room.version()) {
            Err(crate::store::StoreError::Compacted) => {
                // The writes this copy lacks were compacted away (a purge's, `Store::compact`):
                // load the room afresh, from its snapshot.
                tracing::info!(room = %id, "the room's history was compacted; reloading it");
                let loaded = self.reload(id);
                // The followers here lack what the new copy skipped (writes compacted away):
                // they reconnect and resume from what they saw, and get a snapshot.
                self.broker.resync(id);
                return loaded;
            }
            Ok(writes) => {
                for write in writes {
                    if !self.apply_next(&room, write) {
                        break;
                    }
                }
                // The room as held now (a purge among the writes loads it afresh).
                if let Some(held) = self.shared.rooms.get(id).map(|r| r.clone()) {
                    room = held;
                }
                self.stale.remove(id);
                // A timer lost with a failed commit comes back (the set has no duplicates).
                for (at, interaction, key) in room.timers(now_ms()) {
                    self.timers.insert((at, id.clone(), interaction, key));
                }
            }
            Err(e) => {
                tracing::warn!(room = %id, error = %e, "store unavailable; serving the room as held");
                self.stale.insert(id.clone());
            }
        }
        Ok(room)
    }

    /// Drops the room held here and loads it from the store: after a purge (the records
    /// each interaction holds are rebuilt from what the store kept, rather than trusting each
    /// to forget a deleted record), or when the writes it lacks were compacted away. Its
    /// followers keep following (the hub knows rooms by id); the next join gets the new copy.
    pub(super) fn reload(&mut self, id: &RoomId) -> Result<Arc<Room>, Refusal> {
        self.untallied.remove(id);
        self.orphaned.remove(id);
        // Not held here any more, so nothing to bring up to date: the next use loads it.
        self.stale.remove(id);
        self.shared.rooms.remove(id);
        self.load(id.clone())
    }

    /// Retries rooms left uncertain by a failed commit.
    pub(super) fn sync_stale(&mut self) {
        let stale: Vec<RoomId> = self.stale.iter().cloned().collect();
        for id in stale {
            let _ = self.sync(&id, false);
            if self.stale.contains(&id) {
                // The store still does not answer: try again later.
                break;
            }
        }
    }

    /// After a failed commit nothing in memory changed, but the store may hold part of the
    /// batch (an fsync error at COMMIT can leave it on disk, a connection can drop after Redis
    /// ran the script). An embedded store: drop the touched rooms and reload the catalog, so
    /// the next use reads what the store really has. A shared store: keep them, and sync them
    /// as soon as the store answers (versions tell exactly what was written).
    pub(super) fn forget_uncertain(&mut self, rooms: impl Iterator<Item = RoomId>) {
        if self.shared.shared_store {
            self.stale.extend(rooms);
            return;
        }
        for room in rooms {
            self.untallied.remove(&room);
            self.shared.rooms.remove(&room);
        }
        match self.store.load_events() {
            Ok(events) => {
                for info in events {
                    self.shared
                        .catalog
                        .insert(info.code.clone(), Arc::new(info));
                }
            }
            Err(e) => tracing::error!(error = %e, "reloading the catalog failed"),
        }
    }
}
