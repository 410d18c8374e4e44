//! A room as the batch leaves it, and the window interactions decide through.
//!
//! The sequencer decides a batch's commands one after another against [`Staged`] rooms: the
//! committed room with the batch's earlier events folded into a copy of its state, and the
//! batch's record changes kept beside the committed records (read through
//! [`crate::interactions::View`], which overlays them). Nothing of it is visible to anyone
//! until the batch commits; then `Sequencer::apply_write` moves it into the room in one step.

use super::{
    Registry, Untallied,
    room::{Room, RoomInner},
};
use crate::{
    interactions::{Batch, Refusal, Stored},
    store::Record,
};
use dashmap::DashMap;
use plenum_protocol::{EventCode, EventInfo, RoomEvent, RoomId, RoomState, Seq};
use std::{any::Any, collections::HashMap, sync::Arc};

/// A room as the batch so far leaves it.
pub(super) struct Staged {
    pub room: Arc<Room>,
    pub seq: Seq,
    /// The room's version, and its last write's id, this batch decides against.
    pub version: u64,
    pub last_id: u64,
    pub state: RoomState,
    /// Each interaction's changes in this batch (`Vec<I::Change>`), by registry index.
    pub changes: Vec<Box<dyn Any + Send>>,
    /// The same changes as store records, in order.
    pub stored: Vec<Record>,
    /// The published aggregates the changes make stale.
    pub stale: Untallied,
}

impl Staged {
    pub fn new(room: &Arc<Room>, registry: &Registry) -> Staged {
        let inner = room.inner.lock().unwrap();
        Staged {
            room: room.clone(),
            seq: inner.seq,
            version: inner.version,
            last_id: inner.last_id,
            state: inner.state.clone(),
            changes: (0..registry.len())
                .map(|i| registry.get(i).new_changes())
                .collect(),
            stored: Vec::new(),
            stale: Untallied::default(),
        }
    }
}

/// The batch as one interaction sees it while deciding one command in one room.
pub(super) struct Deciding<'a> {
    pub staged: &'a mut Staged,
    /// The room's committed part, locked for the decision.
    pub committed: &'a RoomInner,
    /// Which interaction decides.
    pub index: usize,
    pub registry: &'a Registry,
    /// The batch's other staged rooms, and every loaded room.
    pub others: &'a HashMap<RoomId, Staged>,
    pub rooms: &'a DashMap<RoomId, Arc<Room>>,
    /// Event documents this batch changed, and the catalog of committed ones.
    pub docs: &'a mut HashMap<EventCode, EventInfo>,
    pub catalog: &'a DashMap<EventCode, Arc<EventInfo>>,
    pub now_ms: i64,
    pub key: &'a [u8; 32],
    /// Events emitted, in order (folded by the sequencer once the decision stands).
    pub events: Vec<RoomEvent>,
    /// Events for other rooms, committed after this room's write (follow-ups).
    pub elsewhere: Vec<(RoomId, RoomEvent)>,
    /// Aggregates the changes make stale: marked once the decision stands.
    pub stale: Vec<u64>,
}

impl Batch for Deciding<'_> {
    fn room(&self) -> &RoomId {
        &self.staged.room.id
    }

    fn state(&self) -> &RoomState {
        &self.staged.state
    }

    fn now_ms(&self) -> i64 {
        self.now_ms
    }

    fn key(&self) -> &[u8; 32] {
        self.key
    }

    fn event_doc(&self) -> Option<EventInfo> {
        let code = self.staged.room.id.event_code();
        self.docs
            .get(code)
            .cloned()
            .or_else(|| self.catalog.get(code).map(|e| (**e).clone()))
    }

    fn event_doc_changed(&self) -> bool {
        self.docs.contains_key(self.staged.room.id.event_code())
    }

    fn set_event_doc(&mut self, doc: EventInfo) {
        self.docs.insert(doc.code.clone(), doc);
    }

    fn emit(&mut self, event: RoomEvent) {
        self.events.push(event);
    }

    fn emit_to(&mut self, room: RoomId, event: RoomEvent) {
        self.elsewhere.push((room, event));
    }

    fn records(&self) -> (&dyn Any, &dyn Any) {
        (
            self.committed.records[self.index].as_ref(),
            self.staged.changes[self.index].as_ref(),
        )
    }

    fn changes_mut(&mut self) -> &mut dyn Any {
        self.staged.changes[self.index].as_mut()
    }

    fn note(&mut self, stored: Stored, stale: Option<u64>) {
        self.staged.stored.push(Record {
            room: (*self.staged.room.id).clone(),
            kind: stored.kind.to_owned(),
            key: stored.key,
            value: stored.value,
        });
        if let Some(key) = stale {
            self.staged
                .stale
                .0
                .entry(self.index)
                .or_default()
                .insert(key);
        }
    }

    fn other(
        &self,
        room: &RoomId,
        interaction: std::any::TypeId,
        read: &mut dyn FnMut(&dyn Any, &dyn Any),
    ) -> Result<(), Refusal> {
        let Some(index) = self.registry.index_of_type(interaction) else {
            tracing::error!(room = %room, "an interaction read another this server does not run");
            return Err(Refusal::Unavailable);
        };
        if room == self.staged.room.id.as_ref() {
            read(
                self.committed.records[index].as_ref(),
                self.staged.changes[index].as_ref(),
            );
            return Ok(());
        }
        // The sequencer is the only one that holds two room locks at once (readers take one),
        // so taking a second one here cannot deadlock.
        if let Some(staged) = self.others.get(room) {
            let inner = staged.room.inner.lock().unwrap();
            read(
                inner.records[index].as_ref(),
                staged.changes[index].as_ref(),
            );
            return Ok(());
        }
        let Some(loaded) = self.rooms.get(room).map(|r| r.clone()) else {
            // `Interaction::reads` names the rooms the sequencer loads first.
            tracing::error!(room = %room, "an interaction read a room it did not declare");
            return Err(Refusal::Unavailable);
        };
        let inner = loaded.inner.lock().unwrap();
        let none = self.registry.get(index).new_changes();
        read(inner.records[index].as_ref(), none.as_ref());
        Ok(())
    }
}
