//! The engine runs interactions it has never heard of: a tiny counter, defined only here, goes
//! through the real engine and the real SQLite store — its commands, a record kind of its own,
//! a coalesced tally, a timer, a refusal, a restart — without a line of the engine knowing it.
//! And the engine's source names none of Plenum's own interactions.

use plenum_protocol::{Announcement, RoomEvent, RoomId, RoomState, ServerMsg};
use plenum_server::{
    engine::Command,
    interactions::{Cx, Interaction, Made, RecordKind, Refusal, Stored},
};
use plenum_tests::{Mirror, TestConfig, TestServer, WAIT, create_small_event};
use std::collections::{BTreeSet, HashMap};

/// Counts what people add; announces the total; rings an alarm when its timer runs out.
struct Counter;

#[derive(Debug, Clone)]
enum Count {
    /// Adds `by` (1 to 100) to `person`'s count.
    Add { person: String, by: u64 },
    /// Sets the alarm for this moment (ms since the epoch).
    Arm { at_ms: i64 },
    /// The timer's own command: rings the alarm if one is set and due.
    Ring,
}

const KIND: &str = "test_count";
const ARMED: &str = "alarm set for ";
const RANG: &str = "alarm rang";

fn announce(cx: &mut Cx<'_, Counter>, text: String) {
    let at_ms = cx.now_ms();
    cx.emit(RoomEvent::Announced {
        announcement: Announcement { text, at_ms },
    });
}

/// The alarm the room's announcements set and did not ring yet.
fn armed(state: &RoomState) -> Option<i64> {
    let RoomState::Event(e) = state else {
        return None;
    };
    let last = e
        .announcements
        .iter()
        .rev()
        .find(|a| a.text.starts_with(ARMED) || a.text == RANG)?;
    last.text.strip_prefix(ARMED)?.parse().ok()
}

impl Interaction for Counter {
    type Command = Count;
    /// Each person's count.
    type Records = HashMap<String, u64>;
    /// A person's new count.
    type Change = (String, u64);
    const NAME: &'static str = "counter";
    const KINDS: &'static [RecordKind] = &[RecordKind {
        name: KIND,
        tallied: true,
        personal: true,
    }];

    fn check(&self, command: &Count) -> Result<(), Refusal> {
        match command {
            Count::Add { by, .. } if !(1..=100).contains(by) => {
                Err(Refusal::invalid("by", "must be 1 to 100"))
            }
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: Count) -> Result<Made, Refusal> {
        cx.event_room()?;
        match command {
            Count::Add { person, by } => {
                let view = cx.records();
                let now = view
                    .part(|r| {
                        r.get(&person)
                            .map(|n| (person.clone(), *n))
                            .into_iter()
                            .collect()
                    })
                    .get(&person)
                    .copied()
                    .unwrap_or(0);
                cx.change((person, now + by));
            }
            Count::Arm { at_ms } => announce(cx, format!("{ARMED}{at_ms}")),
            Count::Ring => {
                let due = armed(cx.state()).is_some_and(|at| at <= cx.now_ms());
                if !due {
                    return Err(Refusal::Conflict("no alarm is due".into()));
                }
                announce(cx, RANG.into());
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut HashMap<String, u64>, kind: &str, key: &str, value: Option<&str>) {
        assert_eq!(
            kind, KIND,
            "the engine hands an interaction only its own kinds"
        );
        match value.and_then(|v| v.parse().ok()) {
            Some(n) => drop(records.insert(key.to_owned(), n)),
            None => drop(records.remove(key)),
        }
    }

    fn apply(records: &mut HashMap<String, u64>, (person, n): &(String, u64)) {
        records.insert(person.clone(), *n);
    }

    fn store((person, n): &(String, u64)) -> Stored {
        Stored {
            kind: KIND,
            key: person.clone(),
            value: Some(n.to_string()),
        }
    }

    fn stales(_: &(String, u64)) -> Option<u64> {
        Some(0)
    }

    fn tally(&self, cx: &mut Cx<'_, Self>, stale: &BTreeSet<u64>) {
        assert_eq!(
            stale,
            &BTreeSet::from([0]),
            "the aggregate this interaction named"
        );
        let total: u64 = cx.records().part(|r| r.clone()).values().sum();
        announce(cx, format!("count {total}"));
    }

    fn timers(&self, state: &RoomState, _now_ms: i64) -> Vec<(i64, u64)> {
        armed(state).map(|at| (at, 7)).into_iter().collect()
    }

    fn on_timer(&self, key: u64) -> Option<Count> {
        assert_eq!(key, 7, "the key this interaction gave its timer");
        Some(Count::Ring)
    }
}

fn config() -> TestConfig {
    TestConfig {
        interactions: Some(plenum_server::interactions().with(Counter)),
        ..TestConfig::default()
    }
}

/// Waits until the event room announces `text`.
async fn announced(ws: &mut plenum_tests::Ws, mirror: &mut Mirror, text: &str) {
    tokio::time::timeout(WAIT, async {
        loop {
            let msg = ws.recv().await.expect("the connection stays");
            mirror.take(&msg).expect("in order, without gaps");
            if let ServerMsg::Event {
                event: RoomEvent::Announced { announcement },
                ..
            } = &msg
                && announcement.text == text
            {
                return;
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no announcement {text:?}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_defined_in_a_test_runs_through_the_real_engine() {
    let mut server = TestServer::start_with(config()).await;
    create_small_event(&server.http(), &server.organiser_key, "SEAM1")
        .await
        .unwrap();
    let room = RoomId::parse("event:SEAM1").unwrap();
    let mut ws = server.organiser().await;
    let mut mirror = Mirror::new(room.clone());
    ws.join(&room, None, &mut mirror).await.unwrap();

    // Commands from many callers at once: one record per person, one tally for all of them.
    let engine = server.engine();
    let adds = (0..40).map(|i| {
        let engine = engine.clone();
        let room = room.clone();
        tokio::spawn(async move {
            let person = format!("p{}", i % 4);
            engine
                .submit(&room, Command::to::<Counter>(Count::Add { person, by: 2 }))
                .await
        })
    });
    for add in adds.collect::<Vec<_>>() {
        add.await.unwrap().expect("committed");
    }
    announced(&mut ws, &mut mirror, "count 80").await;
    let tallies = mirror
        .events
        .iter()
        .filter(|(_, e)| matches!(e, RoomEvent::Announced { announcement } if announcement.text.starts_with("count")))
        .count();
    assert!(
        tallies < 40,
        "tallies are coalesced, not one per command: {tallies}"
    );

    // Its own checks refuse bad input before anything is queued, and change nothing.
    let refused = engine
        .submit(
            &room,
            Command::to::<Counter>(Count::Add {
                person: "p0".into(),
                by: 0,
            }),
        )
        .await;
    assert!(
        matches!(refused, Err(Refusal::Invalid { .. })),
        "{refused:?}"
    );
    // Its rules refuse too, and a refused command is never logged.
    let seq = mirror.seq;
    let refused = engine
        .submit(&room, Command::to::<Counter>(Count::Ring))
        .await;
    assert!(matches!(refused, Err(Refusal::Conflict(_))), "{refused:?}");

    // A timer of its own: the engine fires it and decides its command.
    let at_ms = plenum_server::engine::now_ms() + 300;
    let done = engine
        .submit(&room, Command::to::<Counter>(Count::Arm { at_ms }))
        .await
        .unwrap();
    assert_eq!(
        done.seq,
        seq + 1,
        "the refused command took no sequence number"
    );
    announced(&mut ws, &mut mirror, RANG).await;
    let rang_at = mirror.events.last().map(|(_, e)| match e {
        RoomEvent::Announced { announcement } => announcement.at_ms,
        _ => 0,
    });
    assert!(
        rang_at >= Some(at_ms),
        "not before its time: {rang_at:?} < {at_ms}"
    );

    // Its records went to the store under its own kind, and come back after a restart.
    ws.close().await;
    server.restart().await;
    let engine = server.engine();
    let mut ws = server.organiser().await;
    let mut mirror = Mirror::new(room.clone());
    ws.join(&room, None, &mut mirror).await.unwrap();
    engine
        .submit(
            &room,
            Command::to::<Counter>(Count::Add {
                person: "p1".into(),
                by: 5,
            }),
        )
        .await
        .unwrap();
    announced(&mut ws, &mut mirror, "count 85").await;

    // A server without the interaction refuses its commands as unknown, and still starts
    // with its records in the store (skipped, not misread).
    ws.close().await;
    let data_dir = server.data_dir.clone();
    server.stop().await;
    let plain = TestServer::start_with(TestConfig {
        data_dir: Some(data_dir),
        ..TestConfig::default()
    })
    .await;
    let refused = plain
        .engine()
        .submit(
            &room,
            Command::to::<Counter>(Count::Add {
                person: "p1".into(),
                by: 1,
            }),
        )
        .await;
    assert!(matches!(refused, Err(Refusal::NotFound(_))), "{refused:?}");
    let mut ws = plain.organiser().await;
    let mut mirror = Mirror::new(room.clone());
    ws.join(&room, None, &mut mirror).await.unwrap();
}

/// Apart from comments, the engine's source never names one of Plenum's interactions.
#[test]
fn the_engine_names_no_interaction() {
    // Every file under it, its folders' too.
    let mut todo = vec![plenum_tests::workspace_root().join("server/src/engine")];
    let mut paths = Vec::new();
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    let mut files = 0;
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        files += 1;
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("").to_lowercase();
            for word in [
                "poll", "quiz", "award", "question", "upvote", "ballot", "qa::",
            ] {
                assert!(
                    !code.contains(word),
                    "{}:{}: the engine names an interaction ({word}): {line}",
                    path.display(),
                    n + 1
                );
            }
        }
    }
    assert!(files >= 7, "the engine's files were read: {files}");
}
