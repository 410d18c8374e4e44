//! The engine's own mechanics, with a toy interaction of this file's: the batch's overlay of
//! record changes, a refused decision leaving nothing behind, follow-ups, and the retry after
//! another instance wrote a room first (a store that shares its rooms between "instances").

use super::{Command, Engine, Registry};
use crate::{
    delivery::{broker::LocalBroker, hub::Hub},
    interactions::{Cx, Interaction, Made, RecordKind, Refusal, Stored},
    metrics::Metrics,
    store::{
        Batch, Committed, Conflict, LogEntry, Record, RoomData, RoomWrite, Snapshot, Store,
        StoreError,
    },
};
use plenum_protocol::{Announcement, EventCode, EventInfo, RoomEvent, RoomId, RoomState};
use std::{
    collections::{BTreeSet, HashMap},
    sync::{Arc, Mutex},
};

/// Counts what people add, in an event room; announces the total as its tally.
struct Count;

#[derive(Debug, Clone)]
enum Add {
    /// Adds `1..=100` to a person's count.
    To(String, u64),
    /// Adds twice in one decision, reading its own first change back.
    Twice(String, u64),
    /// Changes a count, then refuses: nothing of it may stay.
    ThenRefuse(String),
    /// Adds, and tells another room (a follow-up).
    AndTell(String, u64, RoomId),
}

const KIND: &str = "count";

fn count_of(cx: &Cx<'_, Count>, person: &str) -> u64 {
    cx.records()
        .part(|r| {
            r.get(person)
                .map(|n| (person.to_owned(), *n))
                .into_iter()
                .collect()
        })
        .get(person)
        .copied()
        .unwrap_or(0)
}

fn announced(text: String) -> RoomEvent {
    RoomEvent::Announced {
        announcement: Announcement { text, at_ms: 1 },
    }
}

impl Interaction for Count {
    type Command = Add;
    type Records = HashMap<String, u64>;
    type Change = (String, u64);
    const NAME: &'static str = "count";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: KIND,
        tallied: true,
        personal: false,
    }];

    fn decide(&self, cx: &mut Cx<'_, Self>, add: Add) -> Result<Made, Refusal> {
        cx.event_room()?;
        match add {
            Add::To(p, n) => {
                let now = count_of(cx, &p);
                cx.change((p, now + n));
            }
            Add::Twice(p, n) => {
                let now = count_of(cx, &p);
                cx.change((p.clone(), now + n));
                let again = count_of(cx, &p);
                assert_eq!(again, now + n, "a decision reads its own changes");
                cx.change((p, again + n));
            }
            Add::ThenRefuse(p) => {
                cx.change((p, 1000));
                cx.emit(announced("never".into()));
                let other = RoomId::Event(EventCode::parse("OTHER").unwrap());
                cx.emit_to(other, announced("never told".into()));
                return Err(Refusal::Conflict("changed my mind".into()));
            }
            Add::AndTell(p, n, other) => {
                let now = count_of(cx, &p);
                cx.change((p.clone(), now + n));
                cx.emit_to(other, announced(format!("{p} added {n}")));
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut HashMap<String, u64>, _: &str, key: &str, value: Option<&str>) {
        match value.and_then(|v| v.parse().ok()) {
            Some(n) => drop(records.insert(key.to_owned(), n)),
            None => drop(records.remove(key)),
        }
    }

    fn apply(records: &mut HashMap<String, u64>, (p, n): &(String, u64)) {
        records.insert(p.clone(), *n);
    }

    fn store((p, n): &(String, u64)) -> Stored {
        Stored {
            kind: KIND,
            key: p.clone(),
            value: Some(n.to_string()),
        }
    }

    fn stales(_: &(String, u64)) -> Option<u64> {
        Some(0)
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, _: &BTreeSet<u64>) {
        let total: u64 = cx.records().part(Clone::clone).values().sum();
        cx.emit(announced(format!("total {total}")));
    }
}

/// A store several "instances" share: each room is a list of versioned writes; a write decided
/// against an older version is refused with the writes it missed, as Redis's script does.
#[derive(Default, Clone)]
struct SharedRooms {
    rooms: Arc<Mutex<HashMap<RoomId, Vec<RoomWrite>>>>,
    meta: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    /// Commits seen, and conflicts answered.
    commits: Arc<Mutex<(usize, usize)>>,
    /// Fails this room's next writes, this many times (the write may or may not be stored: here
    /// it is not).
    failing: Arc<Mutex<Option<(RoomId, usize)>>>,
}

impl Store for SharedRooms {
    fn load_events(&mut self) -> Result<Vec<EventInfo>, StoreError> {
        Ok(Vec::new())
    }

    fn load_room(&mut self, room: &RoomId) -> Result<RoomData, StoreError> {
        let rooms = self.rooms.lock().unwrap();
        let writes = rooms.get(room).cloned().unwrap_or_default();
        let mut records: Vec<Record> = Vec::new();
        for w in &writes {
            for r in &w.records {
                records.retain(|x| !(x.kind == r.kind && x.key == r.key));
                if r.value.is_some() {
                    records.push(r.clone());
                }
            }
        }
        Ok(RoomData {
            version: writes.len() as u64,
            id: writes.last().map_or(0, |w| w.id),
            snapshot: None,
            log: writes.iter().flat_map(|w| w.log.clone()).collect(),
            records,
        })
    }

    fn commit(&mut self, batch: &Batch) -> Result<Committed, StoreError> {
        let mut rooms = self.rooms.lock().unwrap();
        let mut committed = Committed::default();
        let mut counts = self.commits.lock().unwrap();
        let mut failing = self.failing.lock().unwrap();
        for write in &batch.rooms {
            counts.0 += 1;
            if let Some((room, left)) = failing.as_mut()
                && *room == write.room
                && *left > 0
            {
                *left -= 1;
                committed.failed.push((
                    write.room.clone(),
                    StoreError::Unavailable("injected".into()),
                ));
                continue;
            }
            let held = rooms.entry(write.room.clone()).or_default();
            let (version, last) = (held.len() as u64, held.last().map_or(0, |w| w.id));
            if write.version != version + 1 || write.prev != last {
                counts.1 += 1;
                committed.conflicts.push(Conflict {
                    room: write.room.clone(),
                    version,
                    missed: held[(write.version - 1).min(version) as usize..].to_vec(),
                });
            } else {
                held.push(write.clone());
            }
        }
        Ok(committed)
    }

    fn rooms_of(&mut self, event: &EventCode) -> Result<Vec<RoomId>, StoreError> {
        let rooms = self.rooms.lock().unwrap();
        Ok(rooms
            .keys()
            .filter(|r| r.event_code() == event)
            .cloned()
            .collect())
    }

    fn holds_history(&mut self, room: &RoomId) -> Result<bool, StoreError> {
        Ok(self.rooms.lock().unwrap().contains_key(room))
    }

    fn compact(&mut self, _room: &RoomId, _snapshot: &Snapshot) -> Result<(), StoreError> {
        // Keeps the whole history: these tests load rooms from their writes.
        Ok(())
    }

    fn writes_since(&mut self, room: &RoomId, version: u64) -> Result<Vec<RoomWrite>, StoreError> {
        let rooms = self.rooms.lock().unwrap();
        Ok(rooms
            .get(room)
            .map(|w| w[(version as usize).min(w.len())..].to_vec())
            .unwrap_or_default())
    }

    fn shared(&self) -> bool {
        true
    }

    fn get_meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.meta.lock().unwrap().get(key).cloned())
    }

    fn put_meta(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.meta.lock().unwrap().insert(key.into(), value.to_vec());
        Ok(())
    }

    fn ping(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}

fn engine(store: SharedRooms) -> Engine {
    let metrics = Arc::new(Metrics::new());
    let broker = Arc::new(LocalBroker::new(Arc::new(Hub::new(metrics.clone()))));
    Engine::start(
        Box::new(store),
        broker,
        metrics,
        Registry::default().with(Count),
    )
    .unwrap()
}

fn room() -> RoomId {
    RoomId::Event(EventCode::parse("TEST").unwrap())
}

/// The counts the room holds, as committed.
fn counts(engine: &Engine) -> HashMap<String, u64> {
    let room = engine.shared.rooms.get(&room()).unwrap().clone();
    room.read::<Count, _>(|_, r| r.clone()).unwrap()
}

async fn add(engine: &Engine, add: Add) -> Result<super::Done, Refusal> {
    engine.create(&room(), Command::to::<Count>(add)).await
}

#[tokio::test]
async fn a_decision_reads_the_batch_and_a_refusal_leaves_nothing() {
    let store = SharedRooms::default();
    let engine = engine(store.clone());
    add(&engine, Add::To("ada".into(), 2)).await.unwrap();
    add(&engine, Add::Twice("ada".into(), 3)).await.unwrap();
    let refused = add(&engine, Add::ThenRefuse("ada".into())).await;
    assert!(matches!(refused, Err(Refusal::Conflict(_))), "{refused:?}");
    // Many at once: they share batches, and each reads the ones before it.
    let many: Vec<_> = (0..50)
        .map(|i| {
            let engine = engine.clone();
            let who = if i % 2 == 0 { "bo" } else { "cy" };
            tokio::spawn(async move { add(&engine, Add::To(who.into(), 1)).await })
        })
        .collect();
    for m in many {
        m.await.unwrap().unwrap();
    }
    let held = counts(&engine);
    assert_eq!(
        held.get("ada"),
        Some(&8),
        "2 + 3 + 3, and nothing of the refusal"
    );
    assert_eq!((held.get("bo"), held.get("cy")), (Some(&25), Some(&25)));
    // What the store holds is the same: reloaded from scratch, the records agree.
    let mut fresh = store.clone();
    let data = fresh.load_room(&room()).unwrap();
    let stored: HashMap<String, u64> = data
        .records
        .iter()
        .map(|r| (r.key.clone(), r.value.as_deref().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(stored, held);
    assert!(
        data.log.iter().all(|e| !matches!(&e.event, RoomEvent::Announced { announcement } if announcement.text == "never")),
        "a refused decision's events are never logged"
    );
    engine.close().await;
}

#[tokio::test]
async fn a_room_another_instance_wrote_first_is_decided_again() {
    let store = SharedRooms::default();
    let engine = engine(store.clone());
    add(&engine, Add::To("ada".into(), 1)).await.unwrap();
    // Another instance writes the room behind this one's back: an announcement and a count.
    {
        let mut rooms = store.rooms.lock().unwrap();
        let held = rooms.get_mut(&room()).unwrap();
        let (version, prev) = (held.len() as u64, held.last().unwrap().id);
        let seq = held.iter().flat_map(|w| &w.log).count() as u64;
        held.push(RoomWrite {
            room: room(),
            version: version + 1,
            id: 777,
            prev,
            log: vec![LogEntry {
                room: room(),
                seq: seq + 1,
                at_ms: 1,
                event: announced("from elsewhere".into()),
            }],
            records: vec![Record {
                room: room(),
                kind: KIND.into(),
                key: "bo".into(),
                value: Some("40".into()),
            }],
            doc: None,
        });
    }
    let conflicts_before = store.commits.lock().unwrap().1;
    // This instance decides against its old copy, is refused, catches up and decides again.
    let done = add(&engine, Add::To("bo".into(), 2)).await.unwrap();
    assert!(
        store.commits.lock().unwrap().1 > conflicts_before,
        "the first attempt conflicted"
    );
    let held = counts(&engine);
    assert_eq!(
        held.get("bo"),
        Some(&42),
        "decided again over the other instance's count"
    );
    assert_eq!(held.get("ada"), Some(&1));
    let room = engine.shared.rooms.get(&room()).unwrap().clone();
    let (seq, state) = room.snapshot();
    assert_eq!(done.seq, seq);
    let RoomState::Event(e) = state else {
        panic!("an event room")
    };
    assert!(
        e.announcements.iter().any(|a| a.text == "from elsewhere"),
        "the missed write was applied"
    );
    engine.close().await;
}

#[tokio::test]
async fn follow_ups_are_committed_after_their_command_and_only_then() {
    let store = SharedRooms::default();
    let engine = engine(store.clone());
    let other = RoomId::Event(EventCode::parse("OTHER").unwrap());
    add(&engine, Add::AndTell("ada".into(), 3, other.clone()))
        .await
        .unwrap();
    let refused = add(&engine, Add::ThenRefuse("ada".into())).await;
    assert!(refused.is_err());
    // Long enough for a leaked follow-up of the refusal to be committed too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // The follow-up is committed in the round after its command's.
    let mut told = Vec::new();
    for _ in 0..100 {
        let mut s = store.clone();
        told = s.load_room(&other).unwrap().log;
        if !told.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let texts: Vec<_> = told
        .iter()
        .map(|e| match &e.event {
            RoomEvent::Announced { announcement } => announcement.text.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        vec!["ada added 3".to_owned()],
        "once, and only for what was committed"
    );
    engine.close().await;
}

/// Reads `room`'s announcements from the store until there are `n`.
async fn told(store: &SharedRooms, room: &RoomId, n: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for _ in 0..300 {
        let mut s = store.clone();
        texts = s
            .load_room(room)
            .unwrap()
            .log
            .iter()
            .filter_map(|e| match &e.event {
                RoomEvent::Announced { announcement } => Some(announcement.text.clone()),
                _ => None,
            })
            .collect();
        if texts.len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    texts
}

#[tokio::test]
async fn a_follow_up_whose_commit_fails_is_delivered_later_once() {
    let store = SharedRooms::default();
    let other = RoomId::Event(EventCode::parse("OTHER").unwrap());
    *store.failing.lock().unwrap() = Some((other.clone(), 3));
    let engine = engine(store.clone());
    // Answered at once: the command's own room committed.
    add(&engine, Add::AndTell("bo".into(), 4, other.clone()))
        .await
        .unwrap();
    assert_eq!(told(&store, &other, 1).await, vec!["bo added 4".to_owned()]);
    assert_eq!(
        store.failing.lock().unwrap().as_ref().map(|f| f.1),
        Some(0),
        "it failed three times first"
    );
    // Nothing more comes later.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(told(&store, &other, 2).await.len(), 1, "delivered once");
    engine.close().await;
}
