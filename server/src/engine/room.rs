//! A live room: its committed state, its private records and its ring of recent frames.

use super::{RECENT_EVENTS, Registry, Untallied};
use crate::{
    delivery::{audience::Frames, hub::Frame},
    interactions::Interaction,
    store::{LogEntry, Record, RoomData},
};
use plenum_protocol::{RoomEvent, RoomId, RoomState, Seq, ServerMsg};
use std::{
    any::Any,
    collections::VecDeque,
    sync::{Arc, Mutex},
};

/// A live room: its committed state and its recent events.
pub struct Room {
    pub id: Arc<RoomId>,
    pub(super) registry: Arc<Registry>,
    // A std mutex: it is held for microseconds (copying state, pushing a frame, deciding one
    // command) and never across an `.await`, so an async mutex would only add overhead.
    pub(super) inner: Mutex<RoomInner>,
}

pub(super) struct RoomInner {
    pub seq: Seq,
    /// How many writes the room has had, and the id of the last (see `store::RoomWrite`).
    pub version: u64,
    pub last_id: u64,
    /// The full (staff) view; connections derive their viewer's view from it.
    pub state: RoomState,
    /// Each interaction's private records, by its index in the registry.
    pub records: Vec<Box<dyn Any + Send>>,
    /// The last [`RECENT_EVENTS`] events, serialised as sent, oldest first.
    pub recent: VecDeque<(Seq, Arc<Frames>)>,
    /// The sequence number of the room's newest snapshot in the store (0: none).
    pub snapshot_seq: Seq,
}

impl RoomInner {
    /// A snapshot of the room as it stands, noted as the newest kept (`snapshot_seq`).
    pub fn take_snapshot(&mut self) -> crate::store::Snapshot {
        self.snapshot_seq = self.seq;
        crate::store::Snapshot {
            seq: self.seq,
            version: self.version,
            id: self.last_id,
            state: self.state.clone(),
        }
    }

    /// Applies one stored record to the records of the interaction that owns its kind.
    pub fn apply_record(&mut self, registry: &Registry, id: &RoomId, record: &Record) {
        match registry.owner_of(&record.kind) {
            Some(i) => registry.get(i).load(
                self.records[i].as_mut(),
                &record.kind,
                &record.key,
                record.value.as_deref(),
            ),
            None => tracing::error!(room = %id, kind = %record.kind,
                "a record of a kind no interaction owns; skipped"),
        }
    }
}

/// What a joining client is sent.
// Made once per join and moved to the connection: boxing the state would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum CatchUp {
    /// The viewer's view of the full state, as the caller built it.
    Snapshot {
        seq: Seq,
        state: RoomState,
    },
    Replay {
        seq: Seq,
        frames: Vec<Arc<Frames>>,
    },
}

/// Adds what is one person's alone to a view of a room (see [`Room::view`]).
pub type Personalise<'a> = &'a dyn Fn(&mut RoomState);

impl Room {
    pub(super) fn from_data(id: RoomId, data: RoomData, registry: Arc<Registry>) -> Room {
        let RoomData {
            version,
            id: last_id,
            snapshot,
            log,
            records,
        } = data;
        // From the snapshot, if there is one: then only the events after it are folded.
        let (mut state, mut seq) = match snapshot {
            Some(s) => (s.state, s.seq),
            None => (RoomState::new(&id), 0),
        };
        let snapshot_seq = seq;
        let mut recent = VecDeque::with_capacity(RECENT_EVENTS.min(log.len()));
        let keep_from = log.len().saturating_sub(RECENT_EVENTS);
        for (i, entry) in log.into_iter().enumerate() {
            if state.apply(&entry.event).is_err() {
                tracing::error!(room = %id, seq = entry.seq, "logged event does not fit its room; skipped");
            }
            seq = entry.seq;
            if cuts_replay(&entry.event) {
                // Nothing from before is replayed (see `cuts_replay`).
                recent.clear();
            }
            if i >= keep_from {
                recent.push_back((entry.seq, event_frames(&id, &entry)));
            }
        }
        let mut inner = RoomInner {
            seq,
            version,
            last_id,
            state,
            records: registry.new_records(),
            recent,
            snapshot_seq,
        };
        for record in &records {
            inner.apply_record(&registry, &id, record);
        }
        Room {
            id: Arc::new(id),
            registry,
            inner: Mutex::new(inner),
        }
    }

    /// The current sequence number and full state.
    pub fn snapshot(&self) -> (Seq, RoomState) {
        let inner = self.inner.lock().unwrap();
        (inner.seq, inner.state.clone())
    }

    /// How many writes this copy of the room has applied.
    pub fn version(&self) -> u64 {
        self.inner.lock().unwrap().version
    }

    /// The version and the id of the last write applied.
    pub(super) fn head(&self) -> (u64, u64) {
        let inner = self.inner.lock().unwrap();
        (inner.version, inner.last_id)
    }

    /// What to send a client that last saw `since` (or nothing). A snapshot is what `build`
    /// makes of the full state (see [`Room::view`]).
    pub fn catch_up(
        &self,
        since: Option<Seq>,
        person: Option<&str>,
        build: impl FnOnce(&RoomState, Personalise<'_>) -> RoomState,
    ) -> CatchUp {
        {
            let inner = self.inner.lock().unwrap();
            if let Some(since) = since {
                let oldest_kept = inner.recent.front().map_or(inner.seq + 1, |(s, _)| *s);
                // Replay when every event after `since` is still in memory. A client claiming
                // to be ahead of us gets a snapshot: its view is not ours.
                if since <= inner.seq && since + 1 >= oldest_kept {
                    let frames = inner
                        .recent
                        .iter()
                        .filter(|(s, _)| *s > since)
                        .map(|(_, f)| f.clone())
                        .collect();
                    return CatchUp::Replay {
                        seq: inner.seq,
                        frames,
                    };
                }
            }
        }
        let (seq, state) = self.view(person, |seq, full, personalise| {
            (seq, build(full, personalise))
        });
        CatchUp::Snapshot { seq, state }
    }

    /// Runs `f` on the committed state under the room's lock, without copying it, with the
    /// sequence number and a function that adds `person`'s own (their answers, their quiz
    /// standing) to a view built from it. Keep `f` short: the room waits.
    pub fn view<T>(
        &self,
        person: Option<&str>,
        f: impl FnOnce(Seq, &RoomState, Personalise<'_>) -> T,
    ) -> T {
        let inner = self.inner.lock().unwrap();
        let personalise = |view: &mut RoomState| {
            if let Some(person) = person {
                for (i, interaction) in self.registry.iter() {
                    interaction.personalise(inner.records[i].as_ref(), &inner.state, view, person);
                }
            }
        };
        f(inner.seq, &inner.state, &personalise)
    }

    /// Reads the committed state and interaction `I`'s records, under the room's lock.
    /// `None` when the engine does not run `I`.
    pub fn read<I: Interaction, T>(
        &self,
        read: impl FnOnce(&RoomState, &I::Records) -> T,
    ) -> Option<T> {
        let index = self.registry.index_of::<I>()?;
        let inner = self.inner.lock().unwrap();
        let records = inner.records[index]
            .downcast_ref()
            .expect("records of their own interaction");
        Some(read(&inner.state, records))
    }

    /// Reads two interactions' records at once, as one moment holds them.
    pub fn read_two<I: Interaction, J: Interaction, T>(
        &self,
        read: impl FnOnce(&RoomState, &I::Records, &J::Records) -> T,
    ) -> Option<T> {
        let (i, j) = (
            self.registry.index_of::<I>()?,
            self.registry.index_of::<J>()?,
        );
        let inner = self.inner.lock().unwrap();
        let first = inner.records[i]
            .downcast_ref()
            .expect("records of their own interaction");
        let second = inner.records[j]
            .downcast_ref()
            .expect("records of their own interaction");
        Some(read(&inner.state, first, second))
    }

    /// Every aggregate that can still change, by interaction.
    pub(super) fn live_aggregates(&self) -> Untallied {
        let inner = self.inner.lock().unwrap();
        live_in(&self.registry, &inner.state)
    }

    /// The timers the room's state asks for: (when, interaction, key).
    pub(super) fn timers(&self, now_ms: i64) -> Vec<(i64, usize, u64)> {
        timers_in(&self.registry, &self.inner.lock().unwrap().state, now_ms)
    }
}

pub(super) fn live_in(registry: &Registry, state: &RoomState) -> Untallied {
    let mut u = Untallied::default();
    for (i, interaction) in registry.iter() {
        let live = interaction.live(state);
        if !live.is_empty() {
            u.0.entry(i).or_default().extend(live);
        }
    }
    u
}

pub(super) fn timers_in(
    registry: &Registry,
    state: &RoomState,
    now_ms: i64,
) -> Vec<(i64, usize, u64)> {
    registry
        .iter()
        .flat_map(|(i, interaction)| {
            interaction
                .timers(state, now_ms)
                .into_iter()
                .map(move |(at, key)| (at, i, key))
        })
        .collect()
}

/// Whether nothing logged before `event` may be replayed to a client resuming from earlier (it
/// gets a snapshot instead): a purge (the store no longer has what came before), and a booth
/// chat's message leaving the chat (hidden, or deleted with its writer's data or its booth),
/// whose text the events before it carry.
pub(super) fn cuts_replay(event: &RoomEvent) -> bool {
    matches!(
        event,
        RoomEvent::PersonalDataPurged | RoomEvent::BoothChatHidden { .. }
    )
}

pub(super) fn event_frames(room: &RoomId, entry: &LogEntry) -> Arc<Frames> {
    Arc::new(Frames::of(&entry.event, |event| {
        let msg = ServerMsg::Event {
            room: room.clone(),
            seq: entry.seq,
            at_ms: entry.at_ms,
            event: event.clone(),
        };
        Frame::of(&msg)
    }))
}
