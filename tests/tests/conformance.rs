//! One conformance suite, two deployments. Every scenario runs against the embedded default
//! (one instance, SQLite) and against Redis (two instances sharing one real redis-server, the
//! clients spread over both), with the same assertions. The store contract is checked the same
//! way, on `SqliteStore` and `RedisStore` directly.

use plenum_protocol::{
    Answer, ClientMsg, EventCode, JoinMode, PersonId, PollStep, RoomEvent, RoomId, RoomState,
    ServerMsg, SessionId,
};
use plenum_server::store::{LogEntry, Record, RoomWrite, Store};
use plenum_tests::*;
use serde_json::json;

#[derive(Clone, Copy)]
enum Kind {
    Embedded,
    Redis,
}

/// The servers of one deployment; `at(i)` spreads clients over them.
struct Deployment {
    servers: Vec<TestServer>,
    redis: Option<RedisServer>,
    /// The embedded instance's data directory, kept across restarts.
    data_dir: Option<tempfile::TempDir>,
}

impl Deployment {
    async fn start(kind: Kind) -> Deployment {
        let mut d = match kind {
            Kind::Embedded => Deployment {
                servers: Vec::new(),
                redis: None,
                data_dir: Some(tempfile::tempdir().unwrap()),
            },
            Kind::Redis => Deployment {
                servers: Vec::new(),
                redis: Some(RedisServer::start()),
                data_dir: None,
            },
        };
        d.boot(None).await;
        create_small_event(&d.at(0).http(), &d.key(), CODE)
            .await
            .unwrap();
        d
    }

    async fn boot(&mut self, key: Option<String>) {
        self.servers = match (&self.redis, &self.data_dir) {
            (Some(redis), _) => {
                let config = TestConfig {
                    organiser_key: key,
                    ..TestConfig::default()
                };
                redis_instances(redis, 2, config).await
            }
            (None, Some(dir)) => vec![
                TestServer::start_with(TestConfig {
                    data_dir: Some(dir.path().to_path_buf()),
                    ..TestConfig::default()
                })
                .await,
            ],
            (None, None) => unreachable!(),
        };
    }

    /// Stops every instance and starts them again on the same store.
    async fn restart(&mut self) {
        let key = self.key();
        for s in &mut self.servers {
            s.stop().await;
        }
        self.servers.clear();
        self.boot(Some(key)).await;
    }

    fn at(&self, i: usize) -> &TestServer {
        &self.servers[i % self.servers.len()]
    }

    fn key(&self) -> String {
        self.servers[0].organiser_key.clone()
    }
}

const CODE: &str = "CONF";
const F: Fixture = Fixture(CODE);

fn stage_body(i: usize) -> serde_json::Value {
    let status = ["live", "paused"][i % 2];
    json!({"status": status, "on_stage": {"kind": "text", "text": format!("Slide {i}")}})
}

/// What a newcomer joining on `server` is sent for the room.
async fn fresh_view(server: &TestServer) -> Mirror {
    Member::attendee(server, CODE, "Newcomer", &F.room())
        .await
        .view
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod embedded {
            $(#[tokio::test] async fn $name() { super::$name(super::Kind::Embedded).await })*
        }
        mod redis {
            $(#[tokio::test] async fn $name() { super::$name(super::Kind::Redis).await })*
        }
    };
}

conformance!(
    followers_on_every_instance_see_one_order,
    a_resume_replays_exactly_what_was_missed,
    votes_and_upvotes_are_exact_everywhere_and_survive_a_restart,
    an_agenda_edit_reaches_every_instance,
    a_long_room_loads_from_its_snapshot_after_a_restart,
);

async fn followers_on_every_instance_see_one_order(kind: Kind) {
    let d = Deployment::start(kind).await;
    let mut followers = Vec::new();
    for i in 0..4 {
        followers.push(Member::attendee(d.at(i), CODE, &format!("F{i}"), &F.room()).await);
    }
    // Stage changes race from every instance at once.
    let mut writers = Vec::new();
    for w in 0..4 {
        let (http, key) = (d.at(w).http(), d.key());
        writers.push(tokio::spawn(async move {
            let mut last = 0;
            for i in 0..10 {
                let a = http
                    .set_stage(&key, CODE, "s1", stage_body(w * 10 + i))
                    .await
                    .unwrap();
                assert_eq!(a.status, 200, "{}", a.body);
                last = a.body["seq"].as_u64().unwrap();
            }
            last
        }));
    }
    let mut top = 0;
    for w in writers {
        top = top.max(w.await.unwrap());
    }
    assert_eq!(top, 40, "40 changes, 40 sequence numbers, none skipped");
    for f in &mut followers {
        f.catch_up_to(top).await;
    }
    let first = &followers[0].view;
    for f in &followers[1..] {
        assert_eq!(
            f.view.events, first.events,
            "every follower saw the same order"
        );
    }
    for i in 0..2 {
        let fresh = fresh_view(d.at(i)).await;
        assert_eq!(fresh.seq, top);
        assert_eq!(
            fresh.state, first.state,
            "a snapshot equals the fold of the events"
        );
    }
}

async fn a_resume_replays_exactly_what_was_missed(kind: Kind) {
    let d = Deployment::start(kind).await;
    let (http, key) = (d.at(0).http(), d.key());
    for i in 0..5 {
        http.set_stage(&key, CODE, "s1", stage_body(i))
            .await
            .unwrap();
    }
    let token = http.join(CODE, Some("Phone")).await.unwrap();
    let mut ws = Ws::connect(&d.at(0).ws_url(), &token).await.unwrap();
    let mut view = Mirror::new(F.room());
    ws.join(&F.room(), None, &mut view).await.unwrap();
    assert_eq!(view.seq, 5);
    ws.close().await;
    // Missed while away, written on the other instance.
    let other = d.at(1).http();
    for i in 5..12 {
        let a = other
            .set_stage(&key, CODE, "s1", stage_body(i))
            .await
            .unwrap();
        assert_eq!(a.status, 200);
    }
    // Back, on the other instance, as the same person.
    let mut ws = Ws::connect(&d.at(1).ws_url(), &token).await.unwrap();
    let joined = ws.join(&F.room(), Some(5), &mut view).await.unwrap();
    let ServerMsg::Joined {
        seq,
        mode,
        replayed,
        ..
    } = joined
    else {
        panic!("{joined:?}")
    };
    assert_eq!((seq, mode, replayed), (12, JoinMode::Replay, 7));
    let seqs: Vec<u64> = view.events.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        seqs,
        (6..=12).collect::<Vec<_>>(),
        "the missed events, once each"
    );
    assert_eq!(view.state, fresh_view(d.at(0)).await.state);
}

async fn votes_and_upvotes_are_exact_everywhere_and_survive_a_restart(kind: Kind) {
    const PEOPLE: usize = 40;
    let mut d = Deployment::start(kind).await;
    let ev = EventCode::parse(CODE).unwrap();
    let s1 = SessionId::parse("s1").unwrap();
    let mut speaker = Member::invited(d.at(0), CODE, "speaker", "Sofia", &F.room()).await;
    let poll = speaker.open_poll(3).await;
    let run = |step| ClientMsg::RunPoll {
        event: ev.clone(),
        session: s1.clone(),
        poll,
        step,
    };
    let question = speaker.ask_question("Shared question").await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let (url, http) = (d.at(i).ws_url(), d.at(i).http());
        let (ev, s1) = (ev.clone(), s1.clone());
        people.push(tokio::spawn(async move {
            let token = http.join(CODE, Some(&format!("P{i}"))).await.unwrap();
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            for msg in [
                ClientMsg::Vote {
                    event: ev.clone(),
                    session: s1.clone(),
                    poll,
                    answer: Answer::Single {
                        option: (i % 3) as u32,
                    },
                },
                ClientMsg::Upvote {
                    event: ev,
                    session: s1,
                    question,
                    up: true,
                },
            ] {
                let r = ws.request(&msg).await.unwrap();
                let answer = ws.reply(r).await.unwrap();
                assert!(matches!(answer, ServerMsg::Ok { .. }), "{answer:?}");
            }
        }));
    }
    for p in people {
        p.await.unwrap();
    }
    let closed = speaker.ask(run(PollStep::Close)).await;
    let ServerMsg::Ok { seq: Some(seq), .. } = closed else {
        panic!("{closed:?}")
    };
    let exact = |view: &Mirror| {
        let Some(RoomState::Session(s)) = &view.state else {
            panic!("not a session")
        };
        let p = s.poll(poll).unwrap();
        let q = s.qa.get(question).unwrap();
        (
            serde_json::to_value(&p.results).unwrap(),
            p.ballots,
            q.votes,
        )
    };
    let expected = (
        json!({"kind": "choices", "counts": [14, 13, 13]}),
        PEOPLE as u64,
        PEOPLE as u64,
    );
    let mut before = Vec::new();
    for i in 0..d.servers.len() {
        let mut newcomer = Member::attendee(d.at(i), CODE, "Newcomer", &F.room()).await;
        assert!(newcomer.view.seq >= seq);
        // Tallies are coalesced: wait for the last one to be published.
        newcomer
            .until_qa(|qa| qa.get(question).is_some_and(|q| q.votes == PEOPLE as u64))
            .await;
        let view = newcomer.view;
        assert_eq!(exact(&view), expected, "instance {i}");
        before.push(view.state);
    }
    d.restart().await;
    for (i, before) in before.into_iter().enumerate() {
        let after = fresh_view(d.at(i)).await;
        assert_eq!(exact(&after), expected, "after the restart, instance {i}");
        assert_eq!(after.state, before, "the restart changed nothing");
    }
}

async fn an_agenda_edit_reaches_every_instance(kind: Kind) {
    let d = Deployment::start(kind).await;
    let session = json!({"id": "s9", "title": "Added late", "kind": "workshop", "day": 1, "start": "16:00", "end": "17:00"});
    let a = d
        .at(0)
        .http()
        .send(
            "PUT",
            &format!("/api/events/{CODE}/sessions/s9"),
            Some(&d.key()),
            Some(&session),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    for i in 0..d.servers.len() {
        let http = d.at(i).http();
        eventually("the new session is on every instance's agenda", || {
            let http = http.clone();
            async move {
                let a = http.get(&format!("/api/events/{CODE}")).await.ok()?;
                let sessions = a.body["agenda"]["sessions"].as_array()?.clone();
                sessions.iter().any(|s| s["id"] == "s9").then_some(())
            }
        })
        .await;
        // And it is a room one can join there.
        let late = RoomId::Session(
            EventCode::parse(CODE).unwrap(),
            SessionId::parse("s9").unwrap(),
        );
        Member::attendee(d.at(i), CODE, "Late", &late).await;
    }
}

async fn a_long_room_loads_from_its_snapshot_after_a_restart(kind: Kind) {
    // More than two snapshots' worth of events (one every SNAPSHOT_EVERY), from 8 writers.
    let total = 2 * plenum_server::engine::SNAPSHOT_EVERY as usize + 300;
    let mut d = Deployment::start(kind).await;
    let key = d.key();
    let mut writers = Vec::new();
    for w in 0..8 {
        let (http, key) = (d.at(w).http(), key.clone());
        writers.push(tokio::spawn(async move {
            for i in (w..total).step_by(8) {
                let a = http
                    .set_stage(&key, CODE, "s1", stage_body(i))
                    .await
                    .unwrap();
                assert_eq!(a.status, 200, "{}", a.body);
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let before = fresh_view(d.at(0)).await;
    assert!(before.seq >= total as u64);
    let mut snapshots = 0.0;
    for s in &d.servers {
        snapshots += metric(&s.http(), "plenum_snapshots_total").await;
    }
    assert!(snapshots >= 2.0, "{snapshots} snapshots");
    d.restart().await;
    // The same room, folded from the snapshot and the events after it.
    for i in 0..d.servers.len() {
        let after = fresh_view(d.at(i)).await;
        assert_eq!(
            (after.seq, &after.state),
            (before.seq, &before.state),
            "instance {i}"
        );
    }
    // A client that saw an event from before the snapshot is sent a snapshot; one that saw the
    // last event is told it missed nothing.
    for (since, mode) in [(10, JoinMode::Snapshot), (before.seq, JoinMode::Replay)] {
        let token = d.at(0).http().join(CODE, Some("Back")).await.unwrap();
        let mut ws = Ws::connect(&d.at(0).ws_url(), &token).await.unwrap();
        let mut view = Mirror::new(F.room());
        let joined = ws.join(&F.room(), Some(since), &mut view).await.unwrap();
        assert!(
            matches!(joined, ServerMsg::Joined { mode: m, .. } if m == mode),
            "since {since}: {joined:?}"
        );
    }
}

// ---- The store contract, on both stores ----

fn entry(room: &RoomId, seq: u64) -> LogEntry {
    LogEntry {
        room: room.clone(),
        seq,
        at_ms: 1_000 + seq as i64,
        event: RoomEvent::StreamDelay {
            delay_ms: seq as u32 * 1000,
        },
    }
}

fn record(room: &RoomId, key: &str, value: Option<&str>) -> Record {
    Record {
        room: room.clone(),
        kind: "upvote".into(),
        key: key.into(),
        value: value.map(str::to_owned),
    }
}

fn write(version: u64, log: Vec<LogEntry>, records: Vec<Record>) -> RoomWrite {
    RoomWrite {
        room: F.room(),
        version,
        id: 10 + version,
        prev: if version == 1 { 0 } else { 9 + version },
        log,
        records,
        doc: None,
    }
}

fn commit(store: &mut dyn Store, w: RoomWrite) -> plenum_server::store::Committed {
    store
        .commit(&plenum_server::store::Batch { rooms: vec![w] })
        .unwrap()
}

fn store_contract(store: &mut dyn Store) {
    let room = F.room();
    let first = write(
        1,
        vec![entry(&room, 1), entry(&room, 2)],
        vec![
            record(&room, "1:ann", Some("1")),
            record(&room, "1:bo", Some("1")),
        ],
    );
    let second = write(2, vec![entry(&room, 3)], vec![record(&room, "1:ann", None)]);
    for w in [first, second] {
        let committed = commit(store, w);
        assert!(committed.conflicts.is_empty() && committed.failed.is_empty());
    }
    let data = store.load_room(&room).unwrap();
    let seqs: Vec<u64> = data.log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    assert_eq!(data.log[2].event, entry(&room, 3).event);
    assert_eq!(
        data.records,
        vec![record(&room, "1:bo", Some("1"))],
        "a deleted record is gone"
    );
    assert!(
        store
            .load_room(&RoomId::Event(EventCode::parse("NONE").unwrap()))
            .unwrap()
            .log
            .is_empty()
    );
    // The first value set wins, for instances starting at once.
    assert_eq!(store.put_meta_if_absent("k", b"one").unwrap(), b"one");
    assert_eq!(store.put_meta_if_absent("k", b"two").unwrap(), b"one");
    assert_eq!(store.get_meta("k").unwrap().unwrap(), b"one");
    store.ping().unwrap();
}

/// Snapshots: a room loads from its newest snapshot and the log after it, with its records
/// as they stand; an older snapshot never replaces a newer one.
fn snapshot_contract(store: &mut dyn Store) {
    let room = RoomId::Session(F.ev(), SessionId::parse("s2").unwrap());
    let at = |version: u64, log: Vec<LogEntry>, records: Vec<Record>| RoomWrite {
        room: room.clone(),
        ..write(version, log, records)
    };
    let rec = |key: &str, value: Option<&str>| record(&room, key, value);
    let writes = [
        at(
            1,
            vec![entry(&room, 1), entry(&room, 2)],
            vec![rec("1:ann", Some("1"))],
        ),
        at(2, vec![entry(&room, 3)], vec![rec("1:bo", Some("1"))]),
        at(
            3,
            vec![entry(&room, 4)],
            vec![rec("1:ann", None), rec("1:cy", Some("1"))],
        ),
    ];
    let mut state = RoomState::new(&room);
    for (i, w) in writes.into_iter().enumerate() {
        for e in &w.log {
            state.apply(&e.event).unwrap();
        }
        commit(store, w);
        if i == 1 {
            // After the second write: seq 3, version 2.
            let snapshot = plenum_server::store::Snapshot {
                seq: 3,
                version: 2,
                id: 12,
                state: state.clone(),
            };
            store.put_snapshot(&room, &snapshot).unwrap();
        }
    }
    let data = store.load_room(&room).unwrap();
    let snapshot = data.snapshot.expect("the snapshot");
    assert_eq!((snapshot.seq, data.log.len(), data.log[0].seq), (3, 1, 4));
    let mut folded = snapshot.state.clone();
    for e in &data.log {
        folded.apply(&e.event).unwrap();
    }
    assert_eq!(
        folded, state,
        "snapshot and tail fold to the whole log's state"
    );
    let mut keys: Vec<&str> = data
        .records
        .iter()
        .filter(|r| r.value.is_some())
        .map(|r| r.key.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, vec!["1:bo", "1:cy"], "records as they stand");
    // An older snapshot does not replace the newer one.
    let older = plenum_server::store::Snapshot {
        seq: 2,
        version: 1,
        id: 11,
        state: RoomState::new(&room),
    };
    store.put_snapshot(&room, &older).unwrap();
    assert_eq!(store.load_room(&room).unwrap().snapshot.unwrap().seq, 3);
}

/// Compaction (a purge's): the history up to a snapshot is gone, the room loads from the
/// snapshot with its records as they stand and goes on from there; a shared store says so to a
/// reader asking for compacted writes. And every room of the event is listed, no other event's.
fn compaction_contract(store: &mut dyn Store) {
    let room = RoomId::Inbox(F.ev(), PersonId::parse("att-purged").unwrap());
    let at = |version: u64, log: Vec<LogEntry>, records: Vec<Record>| RoomWrite {
        room: room.clone(),
        ..write(version, log, records)
    };
    let rec = |key: &str, value: Option<&str>| record(&room, key, value);
    let mut state = RoomState::new(&room);
    for w in [
        at(
            1,
            vec![entry(&room, 1)],
            vec![rec("1:ann", Some("1")), rec("1:bo", Some("1"))],
        ),
        at(2, vec![entry(&room, 2)], vec![rec("1:ann", None)]),
    ] {
        commit(store, w);
    }
    state.apply(&RoomEvent::PersonalDataPurged).unwrap();
    let snapshot = plenum_server::store::Snapshot {
        seq: 2,
        version: 2,
        id: 12,
        state: state.clone(),
    };
    store.compact(&room, &snapshot).unwrap();
    let data = store.load_room(&room).unwrap();
    assert!(
        data.log.is_empty(),
        "no log before the snapshot: {:?}",
        data.log
    );
    assert_eq!(data.snapshot.map(|s| (s.seq, s.state)), Some((2, state)));
    let keys: Vec<&str> = data
        .records
        .iter()
        .filter(|r| r.value.is_some())
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, vec!["1:bo"], "records as they stand");
    match store.writes_since(&room, 1) {
        Ok(w) if !store.shared() => assert!(w.is_empty()),
        Err(plenum_server::store::StoreError::Compacted) => {}
        other => panic!("a shared store says the writes were compacted: {other:?}"),
    }
    // The room goes on from the snapshot.
    commit(store, at(3, vec![entry(&room, 3)], vec![]));
    let data = store.load_room(&room).unwrap();
    assert_eq!(data.log.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![3]);

    let elsewhere = RoomId::Session(EventCode::parse("OTHER").unwrap(), F.s1());
    commit(
        store,
        RoomWrite {
            room: elsewhere.clone(),
            ..write(1, vec![entry(&elsewhere, 1)], vec![])
        },
    );
    let mut rooms: Vec<String> = store
        .rooms_of(&F.ev())
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    rooms.sort();
    let mut expected = vec![
        RoomId::Event(F.ev()).to_string(),
        room.to_string(),
        F.room().to_string(),
        RoomId::Session(F.ev(), SessionId::parse("s2").unwrap()).to_string(),
    ];
    expected.sort();
    assert_eq!(rooms, expected);
    store.scrub().unwrap();
}

#[test]
fn the_embedded_store_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = plenum_server::store::SqliteStore::open(dir.path()).unwrap();
    store_contract(&mut store);
    snapshot_contract(&mut store);
    compaction_contract(&mut store);
}

#[test]
fn the_redis_store_keeps_the_contract_and_refuses_stale_writes() {
    let redis = RedisServer::start();
    let mut store = plenum_server::store::RedisStore::open(&[redis.url()]).unwrap();
    store_contract(&mut store);
    snapshot_contract(&mut store);
    compaction_contract(&mut store);
    let room = F.room();
    assert_eq!(
        store.load_room(&room).unwrap().id,
        12,
        "the last write's id"
    );
    // Another instance decided against version 1, but the room is at 2: nothing is written.
    let stale = write(2, vec![entry(&room, 3)], vec![]);
    let conflicts = commit(
        &mut store,
        RoomWrite {
            prev: 11,
            id: 99,
            ..stale
        },
    )
    .conflicts;
    assert_eq!(conflicts.len(), 1);
    assert_eq!((&conflicts[0].room, conflicts[0].version), (&room, 2));
    // The refusal brings what the writer missed, so catching up needs no second round trip.
    let missed: Vec<u64> = conflicts[0].missed.iter().map(|w| w.version).collect();
    assert_eq!(missed, vec![2]);
    assert_eq!(store.load_room(&room).unwrap().log.len(), 3);
    // What an instance at version 1 missed.
    let missed = store.writes_since(&room, 1).unwrap();
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].version, 2);
    // The right version on another history (Redis lost writes and another instance made
    // others in their place) is refused too, with nothing to catch up on.
    let other = write(3, vec![entry(&room, 4)], vec![]);
    let conflicts = commit(&mut store, RoomWrite { prev: 77, ..other }).conflicts;
    assert_eq!((conflicts.len(), conflicts[0].version), (1, 2));
    assert!(conflicts[0].missed.is_empty());
    assert_eq!(store.load_room(&room).unwrap().log.len(), 3);
    // The next write on the right history lands.
    let next = commit(&mut store, write(3, vec![entry(&room, 4)], vec![]));
    assert!(next.conflicts.is_empty() && next.failed.is_empty());
    assert_eq!(store.load_room(&room).unwrap().version, 3);
}
