//! A booth's chat: in the booth's own room; written as text by people with a name; hidden and
//! shown again by that booth's staff and the event's moderators only (never another booth's
//! staff); kept out by a block of the booth's staff; read whole, and as CSV, by those who
//! moderate it; bounded per person and per booth; a person's messages go with their data.

use plenum_protocol::{
    BoothId, BoothState, ChatMessage, ClientMsg, ErrorCode, RoomId, RoomState, ServerMsg, limits,
};
use plenum_server::engine::Command;
use plenum_server::interactions::exhibition::chat::{BoothChat, ChatCommand};
use plenum_tests::*;
use serde_json::json;

const F: Fixture = Fixture("CHAT");

fn room(booth: &str) -> RoomId {
    RoomId::Booth(F.ev(), BoothId::parse(booth).unwrap())
}

fn chat(m: &Member) -> BoothState {
    match &m.view.state {
        Some(RoomState::Booth(b)) => b.clone(),
        other => panic!("not a booth's room: {other:?}"),
    }
}

/// Folds `m`'s booth room until `ok` holds of it.
async fn until(m: &mut Member, ok: impl Fn(&BoothState) -> bool) {
    tokio::time::timeout(WAIT, async {
        while !ok(&chat(m)) {
            let msg = m.ws.recv().await.expect("the connection stays");
            m.view.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the chat never got there: {:?}", chat(m)));
}

/// A named person of the event following `booth`'s room, and their token.
async fn visitor(server: &TestServer, name: &str, booth: &str) -> (Member, String) {
    let token = server.http().join("CHAT", Some(name)).await.unwrap();
    let ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    (Member::following(ws, &room(booth)).await, token)
}

/// Every frame a new client gets joining `booth`'s room with `since: 0` (a replay of what the
/// room still holds, or a snapshot), up to `joined`, as JSON lines.
async fn resumed_from_start(server: &TestServer, booth: &str) -> String {
    let token = server.http().join("CHAT", Some("Res")).await.unwrap();
    let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let id = ws
        .request(&ClientMsg::Join {
            room: room(booth),
            since: Some(0),
        })
        .await
        .unwrap();
    let mut seen = Vec::new();
    loop {
        let msg = ws.recv().await.unwrap();
        seen.push(serde_json::to_string(&msg).unwrap());
        if matches!(&msg, ServerMsg::Joined { id: Some(i), .. } if *i == id) {
            return seen.join("\n");
        }
    }
}

fn post(booth: &str, text: &str) -> ClientMsg {
    ClientMsg::PostBoothChat {
        event: F.ev(),
        booth: BoothId::parse(booth).unwrap(),
        text: text.into(),
    }
}

fn hide(booth: &str, message: u64, hidden: bool) -> ClientMsg {
    ClientMsg::HideBoothChat {
        event: F.ev(),
        booth: BoothId::parse(booth).unwrap(),
        message,
        hidden,
    }
}

fn code_of(msg: &ServerMsg) -> Option<(ErrorCode, Option<String>)> {
    match msg {
        ServerMsg::Error { code, field, .. } => Some((*code, field.clone())),
        _ => None,
    }
}

fn ok(m: ServerMsg) {
    assert!(matches!(m, ServerMsg::Ok { .. }), "{m:?}");
}

async fn read(server: &TestServer, token: &str, path: &str) -> Answer {
    server
        .http()
        .send(
            "GET",
            &format!("/api/events/CHAT/booths/{path}"),
            Some(token),
            None,
        )
        .await
        .unwrap()
}

/// Makes booths `porto` and `lund`, and puts `name` on `booth`'s staff.
async fn staff(server: &TestServer, name: &str, booth: &str) -> (Member, String) {
    let (m, token) = visitor(server, name, booth).await;
    join_booth_staff(server, "CHAT", booth, &token).await;
    (m, token)
}

async fn booths(server: &TestServer) {
    for (id, name) in [("porto", "Porto Cluster"), ("lund", "Lund Hydrogen")] {
        let a = server
            .http()
            .send(
                "POST",
                &format!("/api/events/CHAT/booths/{id}"),
                Some(&server.organiser_key),
                Some(&json!({ "organisation": name })),
            )
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booths_chat_is_moderated_by_its_own_staff_only() {
    let server = F.server(TestConfig::default()).await;
    booths(&server).await;
    let (mut ana, ana_token) = staff(&server, "Ana", "porto").await;
    let (mut dee, dee_token) = staff(&server, "Dee", "lund").await;
    let (mut vic, vic_token) = visitor(&server, "Vic", "porto").await;
    let (mut wen, _) = visitor(&server, "Wen", "porto").await;

    // Vic writes: everyone following the booth's room reads it, as typed.
    ok(vic.ask(post("porto", "Hello <b>Porto</b>")).await);
    until(&mut wen, |c| c.messages.len() == 1).await;
    let first = chat(&wen).messages[0].clone();
    assert_eq!(first.text, "Hello <b>Porto</b>");
    assert_eq!(first.by.name.as_deref(), Some("Vic"));
    assert!(!first.staff && !first.hidden);
    // The booth's staff are marked as such.
    ok(ana.ask(post("porto", "  Welcome!  ")).await);
    until(&mut vic, |c| c.messages.len() == 2).await;
    let second = chat(&vic).messages[1].clone();
    assert!(second.staff && second.text == "Welcome!" && second.id > first.id);
    // Another booth's room holds nothing of it.
    let (mut lund_watcher, _) = visitor(&server, "Lou", "lund").await;
    assert!(chat(&lund_watcher).messages.is_empty());

    // Bad input is refused by field and changes nothing; no name, no chat.
    assert_eq!(
        code_of(&vic.ask(post("porto", "   ")).await),
        Some((ErrorCode::BadRequest, Some("text".into())))
    );
    let long = "x".repeat(limits::MAX_CHAT_CHARS + 1);
    assert_eq!(
        code_of(&vic.ask(post("porto", &long)).await),
        Some((ErrorCode::TooLarge, Some("text".into())))
    );
    let anonymous = server.http().join("CHAT", None).await.unwrap();
    let ws = Ws::connect(&server.ws_url(), &anonymous).await.unwrap();
    let mut anon = Member::following(ws, &room("porto")).await;
    assert_eq!(
        code_of(&anon.ask(post("porto", "hi")).await).map(|c| c.0),
        Some(ErrorCode::Forbidden)
    );
    // A booth that does not exist has no room.
    assert_eq!(
        code_of(&vic.ask(post("nowhere", "hi")).await).map(|c| c.0),
        Some(ErrorCode::NotFound)
    );
    let id = vic
        .ws
        .request(&ClientMsg::Join {
            room: room("nowhere"),
            since: None,
        })
        .await
        .unwrap();
    let answer = vic.ws.reply(id).await.unwrap();
    assert_eq!(code_of(&answer).map(|c| c.0), Some(ErrorCode::NotFound));
    // Nothing of it was kept.
    let a = read(&server, &ana_token, "porto/chat").await;
    assert_eq!(a.body.as_array().map(Vec::len), Some(2), "{}", a.body);
    until(&mut wen, |c| c.messages.len() == 2).await;

    // Hiding: not a visitor, not another booth's staff; the booth's staff, for everyone.
    for m in [&mut vic, &mut dee] {
        assert_eq!(
            code_of(&m.ask(hide("porto", first.id, true)).await).map(|c| c.0),
            Some(ErrorCode::Forbidden)
        );
    }
    assert_eq!(
        code_of(&ana.ask(hide("porto", 999, true)).await).map(|c| c.0),
        Some(ErrorCode::NotFound)
    );
    ok(ana.ask(hide("porto", first.id, true)).await);
    until(&mut wen, |c| c.messages.len() == 1).await;
    assert_eq!(chat(&wen).messages[0].id, second.id);
    // A snapshot taken now has no hidden message either.
    let (late, _) = visitor(&server, "Late", "porto").await;
    assert_eq!(
        chat(&late)
            .messages
            .iter()
            .map(|m| m.id)
            .collect::<Vec<_>>(),
        [second.id]
    );

    // The whole chat, hidden messages too: its staff, the organisers; not another booth's.
    let a = read(&server, &ana_token, "porto/chat").await;
    assert_eq!(a.status, 200, "{}", a.body);
    let all: Vec<ChatMessage> = serde_json::from_value(a.body).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].hidden && all[0].text == "Hello <b>Porto</b>" && !all[1].hidden);
    for token in [&dee_token, &vic_token] {
        let a = read(&server, token, "porto/chat").await;
        assert_eq!(
            (a.status, a.body["code"].as_str()),
            (403, Some("forbidden"))
        );
        let a = read(&server, token, "porto/chat.csv").await;
        assert_eq!(a.status, 403);
    }
    assert_eq!(
        read(&server, &server.organiser_key, "porto/chat")
            .await
            .status,
        200
    );
    assert_eq!(read(&server, &ana_token, "nowhere/chat").await.status, 404);

    // A client resuming from before the hide gets a snapshot, not the hidden text again.
    let seen = resumed_from_start(&server, "porto").await;
    assert!(!seen.contains("Hello <b>Porto</b>"), "{seen}");
    assert!(seen.contains("Welcome!"), "{seen}");

    // A moderator of the whole event shows it again; one limited to some sessions may not.
    let mut limited = Member::invited_for(
        &server,
        "CHAT",
        "moderator",
        "Lim",
        &[F.s1().as_str()],
        &room("porto"),
    )
    .await;
    assert_eq!(
        code_of(&limited.ask(hide("porto", second.id, true)).await).map(|c| c.0),
        Some(ErrorCode::Forbidden)
    );
    let mut moderator = Member::invited(&server, "CHAT", "moderator", "Mo", &room("porto")).await;
    ok(moderator.ask(hide("porto", first.id, false)).await);
    until(&mut wen, |c| c.messages.len() == 2).await;
    assert_eq!(chat(&wen).messages[0].text, "Hello <b>Porto</b>");
    // What a moderator hides, the booth's staff cannot show again.
    ok(moderator.ask(hide("porto", first.id, true)).await);
    assert_eq!(
        code_of(&ana.ask(hide("porto", first.id, false)).await).map(|c| c.0),
        Some(ErrorCode::Forbidden)
    );
    ok(moderator.ask(hide("porto", first.id, false)).await);
    until(&mut wen, |c| c.messages.len() == 2).await;
    // The same when the staff hid it first.
    ok(ana.ask(hide("porto", first.id, true)).await);
    ok(moderator.ask(hide("porto", first.id, true)).await);
    assert_eq!(
        code_of(&ana.ask(hide("porto", first.id, false)).await).map(|c| c.0),
        Some(ErrorCode::Forbidden)
    );
    ok(moderator.ask(hide("porto", first.id, false)).await);
    until(&mut wen, |c| c.messages.len() == 2).await;

    // The booth's staff keep someone out by blocking them (someone the event keeps: with a
    // profile).
    ok(wen
        .ask(ClientMsg::SetProfile {
            event: F.ev(),
            profile: plenum_protocol::Profile {
                organisation: Some("Wen AB".into()),
                ..plenum_protocol::Profile::default()
            },
        })
        .await);
    ok(ana
        .ask(ClientMsg::BlockSomeone {
            event: F.ev(),
            person: plenum_protocol::PersonId::parse(&wen.id).unwrap(),
            blocked: true,
        })
        .await);
    assert_eq!(
        code_of(&wen.ask(post("porto", "still here?")).await).map(|c| c.0),
        Some(ErrorCode::Forbidden)
    );
    // …at their booth only.
    ok(wen.ask(post("lund", "Hello Lund")).await);
    until(&mut lund_watcher, |c| c.messages.len() == 1).await;
    ok(vic.ask(post("porto", "=HYPERLINK(\"http://evil\")")).await);

    // The CSV: a spreadsheet reads its characters, and no cell is a formula.
    let (status, kind, bytes) = server
        .http()
        .get_bytes_as("/api/events/CHAT/booths/porto/chat.csv", Some(&ana_token))
        .await
        .unwrap();
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let a = String::from_utf8(bytes).unwrap();
    assert!(a.starts_with('\u{feff}'), "{a}");
    let mut rows = csv::Reader::from_reader(a.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "{a}");
    assert_eq!(&rows[1][2], "Ana");
    assert_eq!(&rows[1][4], "yes");
    assert_eq!(&rows[2][6], "'=HYPERLINK(\"http://evil\")");

    // Deleting one's data takes one's messages from every booth, and from the screens.
    let a = server
        .http()
        .send("GET", "/api/events/CHAT/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(
        a.body["booth_chat"].as_array().map(Vec::len),
        Some(2),
        "{}",
        a.body
    );
    let a = server
        .http()
        .send("DELETE", "/api/events/CHAT/my-data", Some(&vic_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("booth_chat").is_none(), "{}", a.body);
    until(&mut ana, |c| {
        c.messages
            .iter()
            .all(|m| m.by.name.as_deref() != Some("Vic"))
    })
    .await;
    let a = read(&server, &ana_token, "porto/chat").await;
    let all: Vec<ChatMessage> = serde_json::from_value(a.body).unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    // Ids are never given again.
    ok(ana.ask(post("porto", "Anyone else?")).await);
    until(&mut ana, |c| c.messages.len() == 2).await;
    assert!(chat(&ana).messages[1].id > 3, "{:?}", chat(&ana));

    // A booth removed takes its chat: made again under its id, it starts empty.
    let http = server.http();
    let key = &server.organiser_key;
    let a = http
        .send("DELETE", "/api/events/CHAT/booths/lund", Some(key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    until(&mut lund_watcher, |c| c.messages.is_empty()).await;
    assert_eq!(
        code_of(&dee.ask(post("lund", "hello?")).await).map(|c| c.0),
        Some(ErrorCode::NotFound)
    );
    let a = http
        .send(
            "POST",
            "/api/events/CHAT/booths/lund",
            Some(key),
            Some(&json!({ "organisation": "Lund Again" })),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let (again, _) = visitor(&server, "Olle", "lund").await;
    assert!(chat(&again).messages.is_empty(), "{:?}", chat(&again));
    let a = read(&server, key, "lund/chat").await;
    assert_eq!(a.body, json!([]), "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booths_chat_is_bounded_per_person_and_per_booth() {
    let server = F.server(TestConfig::default()).await;
    booths(&server).await;
    let engine = server.engine();
    let say = |person: String, text: String| {
        Command::to::<BoothChat>(ChatCommand::Post {
            person,
            name: Some("Someone".into()),
            text,
        })
    };
    // One person writes at most MAX_CHAT_PER_PERSON (the rate limit aside: straight to the
    // engine).
    for i in 0..limits::MAX_CHAT_PER_PERSON {
        engine
            .submit(
                &room("porto"),
                say("att-one".into(), format!("message {i}")),
            )
            .await
            .unwrap();
    }
    let refused = engine
        .submit(&room("porto"), say("att-one".into(), "one more".into()))
        .await
        .map(drop)
        .unwrap_err();
    assert!(refused.to_string().contains("at most"), "{refused}");
    // A booth takes at most MAX_BOOTH_CHAT, long ones included.
    let long = "ü".repeat(limits::MAX_CHAT_CHARS);
    // Many at once, as a crowd would: the sequencer takes them in batches.
    let writes = (limits::MAX_CHAT_PER_PERSON..limits::MAX_BOOTH_CHAT).map(|i| {
        let person = format!("att-{}", i / limits::MAX_CHAT_PER_PERSON);
        let (engine, long) = (engine.clone(), long.clone());
        async move { engine.submit(&room("porto"), say(person, long)).await }
    });
    for done in futures_util::future::join_all(writes).await {
        done.unwrap();
    }
    let refused = engine
        .submit(&room("porto"), say("att-new".into(), "late".into()))
        .await
        .map(drop)
        .unwrap_err();
    assert!(refused.to_string().contains("2000"), "{refused}");
    // Messages deleted with their writer's data make room again.
    engine
        .submit(
            &room("porto"),
            Command::to::<BoothChat>(ChatCommand::Forget {
                person: "att-one".into(),
            }),
        )
        .await
        .unwrap();
    for i in 0..limits::MAX_CHAT_PER_PERSON {
        engine
            .submit(
                &room("porto"),
                say("att-new".into(), format!("room again {i}")),
            )
            .await
            .unwrap();
    }
    let refused = engine
        .submit(&room("porto"), say("att-newer".into(), "full again".into()))
        .await
        .map(drop)
        .unwrap_err();
    assert!(refused.to_string().contains("2000"), "{refused}");
    // Another booth is another room, with its own bound.
    engine
        .submit(&room("lund"), say("att-new".into(), "fine".into()))
        .await
        .unwrap();

    // A snapshot holds the newest that fit in a frame, and counts the rest it keeps.
    let (m, _) = visitor(&server, "Vic", "porto").await;
    let c = chat(&m);
    assert!(!c.messages.is_empty());
    assert_eq!(
        c.messages.len() as u64 + c.omitted.messages,
        BoothState::KEEP as u64
    );
    assert!(c.omitted.messages > 0, "long messages do not all fit");
    // Ids went on: the newest is the 2,050th ever written.
    assert_eq!(
        c.messages.last().map(|m| m.id),
        Some((limits::MAX_BOOTH_CHAT + limits::MAX_CHAT_PER_PERSON) as u64)
    );
    // The staff's whole list holds them all (the organisers read it too).
    let a = read(&server, &server.organiser_key, "porto/chat").await;
    assert_eq!(
        a.body.as_array().map(Vec::len),
        Some(limits::MAX_BOOTH_CHAT)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booths_chat_is_one_conversation_across_instances() {
    const EACH: usize = 8;
    let redis = RedisServer::start();
    let servers = redis_instances(&redis, 2, TestConfig::default()).await;
    create_small_event(&servers[0].http(), &servers[0].organiser_key, "CHAT")
        .await
        .unwrap();
    booths(&servers[0]).await;
    let (mut ana, _) = staff(&servers[1], "Ana", "porto").await;
    let (mut a, _) = visitor(&servers[0], "Vic", "porto").await;
    let (mut b, _) = visitor(&servers[1], "Wen", "porto").await;
    // Both instances' people write at once.
    let (url_a, url_b) = (servers[0].ws_url(), servers[1].ws_url());
    let mut writers = Vec::new();
    for (url, name) in [(url_a, "Ola"), (url_b, "Per")] {
        let token = servers[0].http().join("CHAT", Some(name)).await.unwrap();
        writers.push(tokio::spawn(async move {
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            let mut ids = Vec::new();
            for i in 0..EACH {
                ids.push(
                    ws.request(&post("porto", &format!("{name} {i}")))
                        .await
                        .unwrap(),
                );
            }
            for id in ids {
                let answer = ws.reply(id).await.unwrap();
                assert!(matches!(answer, ServerMsg::Ok { .. }), "{answer:?}");
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    until(&mut a, |c| c.messages.len() == 2 * EACH).await;
    until(&mut b, |c| c.messages.len() == 2 * EACH).await;
    // One conversation: the same messages, ids and order on both instances, ids unique.
    assert_eq!(chat(&a).messages, chat(&b).messages);
    let ids: Vec<u64> = chat(&a).messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, (1..=2 * EACH as u64).collect::<Vec<_>>());
    // Hidden on one instance, gone on the other.
    ok(ana.ask(hide("porto", 1, true)).await);
    until(&mut a, |c| c.messages.len() == 2 * EACH - 1).await;
    assert!(chat(&a).messages.iter().all(|m| m.id != 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_message_is_never_replayed_even_when_no_longer_shown() {
    let server = F.server(TestConfig::default()).await;
    booths(&server).await;
    let engine = server.engine();
    let say = |person: &str, text: &str| {
        Command::to::<BoothChat>(ChatCommand::Post {
            person: person.into(),
            name: Some("Someone".into()),
            text: text.into(),
        })
    };
    engine
        .submit(&room("porto"), say("att-gone", "My secret plan"))
        .await
        .unwrap();
    // Enough after it that it leaves the room's window (but not its recent events).
    for i in 0..(BoothState::KEEP + 20) {
        let person = format!("att-{}", i / limits::MAX_CHAT_PER_PERSON);
        engine
            .submit(&room("porto"), say(&person, &format!("chatter {i}")))
            .await
            .unwrap();
    }
    engine
        .submit(
            &room("porto"),
            Command::to::<BoothChat>(ChatCommand::Forget {
                person: "att-gone".into(),
            }),
        )
        .await
        .unwrap();
    // A client resuming from the start gets a snapshot without it.
    let seen = resumed_from_start(&server, "porto").await;
    assert!(
        !seen.contains("My secret plan"),
        "replayed after its deletion"
    );
    assert!(seen.contains("chatter"), "{seen}");
}
