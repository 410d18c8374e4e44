//! Retention: the organisers set the last day personal data is kept, and a purge (at that date,
//! or at once) removes it from every room: from people's screens at once, from what a fresh
//! or resuming client gets, and from the store itself — the SQLite file's bytes, every key in
//! Redis — while what is not personal (the agenda, the event) stays.

use plenum_protocol::{
    ClientMsg, ContactCard, ErrorCode, EventInfo, JoinMode, PersonId, PurgeReport, RoomId,
    RoomState, ServerMsg, Sharing,
};
use plenum_tests::*;
use serde_json::json;

const F: Fixture = Fixture("PURGE");

/// Distinctive details, looked for byte by byte in the store.
const EMAIL: &str = "zyxwaldo.retention@porto.example";
const QUESTION: &str = "Will Qwertzuiop's grant be renewed next spring?";
const NAME: &str = "Zyxwaldo";

fn inbox(id: &str) -> RoomId {
    RoomId::Inbox(F.ev(), PersonId::parse(id).unwrap())
}

/// Offers (or agrees) to share contact details with `with`: the email too if `email`.
fn share(with: &str, email: bool) -> ClientMsg {
    ClientMsg::ShareContact {
        event: F.ev(),
        with: PersonId::parse(with).unwrap(),
        share: Sharing {
            email,
            phone: false,
            note: None,
        },
        why: Some("Met at the hydrogen table".into()),
    }
}

/// Two people who agreed to share contact details (one's email is [`EMAIL`]), and a question
/// asked in session `s1` ([`QUESTION`]). Returns both, following their inboxes, and the first
/// one's token.
async fn personal_data(server: &TestServer) -> (Member, Member, String) {
    let (mut ana, token) = Member::in_inbox(server, "PURGE", NAME).await;
    let (mut bo, _) = Member::in_inbox(server, "PURGE", "Bo").await;
    ok(ana
        .ask(ClientMsg::SetContactCard {
            event: F.ev(),
            card: ContactCard {
                email: Some(EMAIL.into()),
                phone: None,
            },
        })
        .await);
    ok(ana.ask(share(&bo.id, true)).await);
    ok(bo.ask(share(&ana.id, false)).await);
    until_contacts(&mut bo, |n| n == 1).await;
    let mut asker = F.attendee(server, "Asker").await;
    asker.ask_question(QUESTION).await;
    (ana, bo, token)
}

fn contacts(m: &Member) -> usize {
    match &m.view.state {
        Some(RoomState::Inbox(i)) => i.contacts.len(),
        other => panic!("not an inbox: {other:?}"),
    }
}

async fn until_contacts(m: &mut Member, ok: impl Fn(usize) -> bool) {
    tokio::time::timeout(WAIT, async {
        while !ok(contacts(m)) {
            let msg = m.ws.recv().await.expect("the connection stays");
            m.view.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the contacts never got there: {}", contacts(m)));
}

/// Whether `haystack` holds `needle`'s bytes anywhere.
fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The SQLite store's files, byte for byte (the database and its write-ahead log).
fn store_bytes(server: &TestServer) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["plenum.sqlite3", "plenum.sqlite3-wal"] {
        if let Ok(bytes) = std::fs::read(server.data_dir.join(name)) {
            all.extend(bytes);
        }
    }
    all
}

async fn purge(server: &TestServer) -> PurgeReport {
    let a = server
        .http()
        .send(
            "POST",
            "/api/events/PURGE/purge",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_value(a.body).unwrap()
}

async fn event(server: &TestServer) -> EventInfo {
    let a = server.http().get("/api/events/PURGE").await.unwrap();
    serde_json::from_value(a.body).unwrap()
}

/// A client joining `room` afresh (`since`: resuming from there), as `token`'s holder (a
/// newcomer without one): how it was answered, and the state it holds then, as JSON.
async fn fresh_view(
    server: &TestServer,
    room: &RoomId,
    since: Option<u64>,
    token: Option<&str>,
) -> (JoinMode, String) {
    let token = match token {
        Some(t) => t.to_owned(),
        None => server.http().join("PURGE", Some("Newcomer")).await.unwrap(),
    };
    let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let mut view = Mirror::new(room.clone());
    let joined = ws.join(room, since, &mut view).await.unwrap();
    let ServerMsg::Joined { mode, .. } = joined else {
        panic!("{joined:?}")
    };
    (mode, serde_json::to_string(&view.state).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purge_leaves_nothing_personal_on_screens_or_in_the_store() {
    let mut server = F.server(TestConfig::default()).await;
    let (ana, mut bo, token) = personal_data(&server).await;
    // The check can fail: before the purge, the store holds all three.
    let before = store_bytes(&server);
    for detail in [EMAIL, QUESTION, NAME] {
        assert!(holds(&before, detail), "the store should hold {detail:?}");
    }

    let report = purge(&server).await;
    // The event room, session s1, and the inboxes of Zyxwaldo and Bo.
    assert_eq!((report.rooms, report.purged), (4, 4), "{report:?}");
    assert_eq!(event(&server).await.purged_at_ms, Some(report.at_ms));

    // On screen at once: Bo's agreed contact leaves his inbox.
    until_contacts(&mut bo, |n| n == 0).await;
    // A fresh view of Zyxwaldo's inbox, of the session, and resuming the session from its start.
    let (_, mine) = fresh_view(&server, &inbox(&ana.id), None, Some(&token)).await;
    assert!(!mine.contains(EMAIL) && !mine.contains(NAME), "{mine}");
    let (_, session) = fresh_view(&server, &F.room(), None, None).await;
    assert!(!session.contains(QUESTION), "{session}");
    let (mode, resumed) = fresh_view(&server, &F.room(), Some(0), None).await;
    assert_eq!(
        mode,
        JoinMode::Snapshot,
        "nothing from before the purge is replayed"
    );
    assert!(!resumed.contains(QUESTION), "{resumed}");

    // Nor in what the server answers from what it holds: the person's own data, the people,
    // the exports, the activity log.
    let key = server.organiser_key.clone();
    let org = format!("{NAME} AB");
    for (path, who, gone) in [
        (
            "/api/events/PURGE/my-data",
            &token,
            vec![EMAIL, org.as_str()],
        ),
        ("/api/events/PURGE/people", &key, vec![NAME, EMAIL]),
        (
            "/api/events/PURGE/export.json",
            &key,
            vec![NAME, EMAIL, QUESTION],
        ),
        ("/api/events/PURGE/activity", &key, vec![NAME]),
    ] {
        let a = server
            .http()
            .send("GET", path, Some(who), None)
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        let text = a.body.to_string();
        for detail in gone {
            assert!(
                !text.contains(detail),
                "{path} still holds {detail:?}: {text}"
            );
        }
    }

    // In the store: not a byte of them, in the database or its log.
    let after = store_bytes(&server);
    for detail in [EMAIL, QUESTION, NAME] {
        assert!(!holds(&after, detail), "the store still holds {detail:?}");
    }
    // What is not personal stays: the event and its agenda.
    let info = event(&server).await;
    assert_eq!(info.agenda.sessions.len(), 3);

    // Purged again, after a restart (nothing of the first purge held in memory): only the event
    // room has anything new (the purge noted in the event's document and the activity log).
    drop((ana, bo));
    server.restart().await;
    let again = purge(&server).await;
    assert_eq!((again.rooms, again.purged), (4, 1), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_date_is_checked_and_purges_once_it_has_passed() {
    let mut server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let set = |until: serde_json::Value| {
        let http = http.clone();
        let key = key.clone();
        async move {
            http.send(
                "PUT",
                "/api/events/PURGE/retention",
                Some(&key),
                Some(&json!({ "until": until })),
            )
            .await
            .unwrap()
        }
    };
    // Bad dates: one answer for each, nothing changed.
    for bad in [json!("2026-03-09"), json!("2026-02-30"), json!("10 March")] {
        let a = set(bad.clone()).await;
        assert_eq!(a.status, 400, "{bad}: {}", a.body);
        assert_eq!(a.body["code"], json!(ErrorCode::BadRequest), "{}", a.body);
        assert_eq!(a.body["field"], json!("until"), "{}", a.body);
    }
    assert_eq!(event(&server).await.personal_data_until, None);
    // Only organisers set it, or purge.
    let attendee = http.join("PURGE", Some("Eve")).await.unwrap();
    for (method, path, body) in [
        (
            "PUT",
            "/api/events/PURGE/retention",
            Some(json!({"until": "2026-04-01"})),
        ),
        ("POST", "/api/events/PURGE/purge", None),
    ] {
        let a = http
            .send(method, path, Some(&attendee), body.as_ref())
            .await
            .unwrap();
        assert_eq!(a.status, 403, "{path}: {}", a.body);
    }

    let (_, mut bo, _) = personal_data(&server).await;
    // The event's last day: allowed, and long past, so the sweep purges at the next start.
    let a = set(json!("2026-03-10")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let info = event(&server).await;
    assert_eq!(info.personal_data_until.as_deref(), Some("2026-03-10"));
    assert_eq!(info.purged_at_ms, None, "not before the sweep");
    // While it is set, the agenda cannot run past it.
    let mut later = plenum_tests::small_event("PURGE")["agenda"].clone();
    later["days"] = json!([{"number": 1, "date": "2026-03-11"}]);
    let a = http
        .send("PUT", "/api/events/PURGE/agenda", Some(&key), Some(&later))
        .await
        .unwrap();
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(
        a.body["message"].as_str().unwrap().contains("2026-03-10"),
        "{}",
        a.body
    );
    until_contacts(&mut bo, |n| n == 1).await;
    drop(bo);

    server.restart().await;
    eventually("the sweep purges at start", || async {
        event(&server).await.purged_at_ms
    })
    .await;
    let (_, session) = fresh_view(&server, &F.room(), None, None).await;
    assert!(!session.contains(QUESTION), "{session}");
    let after = store_bytes(&server);
    assert!(!holds(&after, EMAIL), "the store still holds the email");

    // Cleared: kept until purged by hand.
    let a = set(serde_json::Value::Null).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(event(&server).await.personal_data_until, None);
}

/// Flattens every key of a Redis server into one string: what it holds, wherever.
fn everything_in(redis: &RedisServer) -> String {
    fn text(v: &redis::Value, out: &mut String) {
        match v {
            redis::Value::BulkString(b) => out.push_str(&String::from_utf8_lossy(b)),
            redis::Value::SimpleString(s) => out.push_str(s),
            redis::Value::Array(items) | redis::Value::Set(items) => {
                items.iter().for_each(|i| text(i, out))
            }
            redis::Value::Map(pairs) => pairs.iter().for_each(|(k, v)| {
                text(k, out);
                text(v, out);
            }),
            _ => {}
        }
        out.push(' ');
    }
    let mut out = String::new();
    let redis::Value::Array(keys) = redis.cmd(&["KEYS", "*"]) else {
        panic!("KEYS answers an array")
    };
    for key in keys {
        let redis::Value::BulkString(key) = key else {
            continue;
        };
        let key = String::from_utf8_lossy(&key).into_owned();
        let kind = redis.cmd(&["TYPE", &key]);
        let value = match &kind {
            redis::Value::SimpleString(t) if t == "stream" => {
                redis.cmd(&["XRANGE", &key, "-", "+"])
            }
            redis::Value::SimpleString(t) if t == "hash" => redis.cmd(&["HGETALL", &key]),
            redis::Value::SimpleString(t) if t == "set" => redis.cmd(&["SMEMBERS", &key]),
            redis::Value::SimpleString(t) if t == "string" => redis.cmd(&["GET", &key]),
            _ => continue,
        };
        text(&value, &mut out);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purge_on_one_instance_reaches_the_other_and_leaves_redis_clean() {
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, "PURGE")
        .await
        .unwrap();
    // Everyone on instance B; the purge on A.
    let (ana, mut bo, token) = personal_data(&servers[1]).await;
    let before = everything_in(&redis);
    for detail in [EMAIL, QUESTION, NAME] {
        assert!(before.contains(detail), "Redis should hold {detail:?}");
    }
    let report = purge(&servers[0]).await;
    assert_eq!((report.rooms, report.purged), (4, 4), "{report:?}");

    // B's followers see it at once, and B serves fresh views without it.
    until_contacts(&mut bo, |n| n == 0).await;
    let (_, mine) = fresh_view(&servers[1], &inbox(&ana.id), None, Some(&token)).await;
    assert!(!mine.contains(EMAIL), "{mine}");
    let (mode, resumed) = fresh_view(&servers[1], &F.room(), Some(0), None).await;
    assert_eq!(mode, JoinMode::Snapshot);
    assert!(!resumed.contains(QUESTION), "{resumed}");

    // B answers from what it holds without them too (within the 2 s a held room may lag).
    let key = servers[1].organiser_key.clone();
    eventually("B's list of people forgets them", || async {
        let a = servers[1]
            .http()
            .send("GET", "/api/events/PURGE/people", Some(&key), None)
            .await
            .unwrap();
        (a.status == 200 && !a.body.to_string().contains(NAME)).then_some(())
    })
    .await;

    // Nothing left in any key: streams trimmed, snapshots replaced, records deleted.
    let after = everything_in(&redis);
    for detail in [EMAIL, QUESTION, NAME] {
        assert!(!after.contains(detail), "Redis still holds {detail:?}");
    }

    // B goes on writing the purged rooms: the event room it holds but follows for nobody
    // heard nothing of the purge, and its history is compacted away: B loads it afresh.
    let (mut cy, _) = Member::in_inbox(&servers[1], "PURGE", "Cy").await;
    let (mut dee, _) = Member::in_inbox(&servers[0], "PURGE", "Dee").await;
    ok(cy.ask(share(&dee.id, false)).await);
    until_contacts(&mut dee, |n| n == 1).await;
    // Bo, purged, is nobody now: he is asked to come back first.
    let refused = cy.ask(share(&bo.id, false)).await;
    assert!(
        matches!(
            &refused,
            ServerMsg::Error {
                code: ErrorCode::NotFound,
                ..
            }
        ),
        "{refused:?}"
    );
}
