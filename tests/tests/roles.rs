//! Every privileged action, tried by someone not allowed to, is refused with a typed error
//! and changes nothing.

use plenum_protocol::{ClientMsg, ErrorCode, EventCode, RoomId, ServerMsg, SessionId};
use plenum_tests::*;
use serde_json::{Value, json};

async fn state_of(server: &TestServer) -> (Value, Vec<u64>) {
    let info = server.http().get("/api/events/ROLE").await.unwrap().body;
    let mut ws = server.organiser().await;
    let mut seqs = Vec::new();
    for room in ["event:ROLE", "session:ROLE:s1"] {
        let room = RoomId::parse(room).unwrap();
        let mut m = Mirror::new(room.clone());
        ws.join(&room, None, &mut m).await.unwrap();
        seqs.push(m.seq);
    }
    (info, seqs)
}

#[tokio::test]
async fn attendees_cannot_do_what_organisers_and_speakers_do() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "ROLE")
        .await
        .unwrap();
    create_small_event(&http, &server.organiser_key, "OTHER")
        .await
        .unwrap();
    let attendee = http.join("ROLE", Some("Eve")).await.unwrap();
    let before = state_of(&server).await;

    let agenda = small_event("ROLE")["agenda"].clone();
    let http_actions: Vec<(&str, String, Option<Value>)> = vec![
        ("POST", "/api/events".into(), Some(small_event("EVIL"))),
        ("GET", "/api/events".into(), None),
        ("PUT", "/api/events/ROLE/agenda".into(), Some(agenda)),
        (
            "POST",
            "/api/events/ROLE/invites".into(),
            Some(json!({"role": "moderator", "name": "Eve"})),
        ),
        (
            "POST",
            "/api/events/ROLE/announcements".into(),
            Some(json!({"text": "Free beer!"})),
        ),
        (
            "POST",
            "/api/events/ROLE/sessions/s1/stage".into(),
            Some(json!({"status": "ended"})),
        ),
    ];
    for (method, path, body) in &http_actions {
        let a = http
            .send(method, path, Some(&attendee), body.as_ref())
            .await
            .unwrap();
        assert_eq!(a.status, 403, "{method} {path}: {}", a.body);
        assert_eq!(a.body["code"], "forbidden");
        // Without a token, or with a forged one: unauthenticated.
        let a = http.send(method, path, None, body.as_ref()).await.unwrap();
        assert_eq!(
            (a.status, a.body["code"].as_str()),
            (401, Some("unauthenticated")),
            "{method} {path}"
        );
        let forged = format!("{}x", &attendee[..attendee.len() - 1]);
        let a = http
            .send(method, path, Some(&forged), body.as_ref())
            .await
            .unwrap();
        assert_eq!(a.status, 401, "{method} {path}");
        let a = http
            .send(method, path, Some("org_guessed"), body.as_ref())
            .await
            .unwrap();
        assert_eq!(a.status, 401, "{method} {path}");
    }

    let mut ws = Ws::connect(&server.ws_url(), &attendee).await.unwrap();
    for msg in [
        ClientMsg::SetStage {
            event: EventCode::parse("ROLE").unwrap(),
            session: SessionId::parse("s1").unwrap(),
            update: serde_json::from_value(json!({"status": "ended"})).unwrap(),
        },
        ClientMsg::Announce {
            event: EventCode::parse("ROLE").unwrap(),
            text: "Free beer!".into(),
        },
        // Another event's rooms.
        ClientMsg::Join {
            room: RoomId::parse("event:OTHER").unwrap(),
            since: None,
        },
    ] {
        let id = ws.request(&msg).await.unwrap();
        let reply = ws.reply(id).await.unwrap();
        assert!(
            matches!(
                reply,
                ServerMsg::Error {
                    code: ErrorCode::Forbidden,
                    ..
                }
            ),
            "{msg:?}: {reply:?}"
        );
    }
    // Refused, not disconnected: the connection still works.
    let id = ws
        .request(&ClientMsg::Join {
            room: RoomId::parse("session:ROLE:s1").unwrap(),
            since: None,
        })
        .await
        .unwrap();
    ws.wait_for(|m| matches!(m, ServerMsg::Joined { id: Some(i), .. } if *i == id).then_some(()))
        .await
        .unwrap();

    assert_eq!(
        state_of(&server).await,
        before,
        "a refused action changed something"
    );
}

#[tokio::test]
async fn invited_speakers_run_the_stage_but_not_the_event() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "ROLE")
        .await
        .unwrap();
    create_small_event(&http, &server.organiser_key, "OTHER")
        .await
        .unwrap();
    let invite = http
        .send(
            "POST",
            "/api/events/ROLE/invites",
            Some(&server.organiser_key),
            Some(&json!({"role": "speaker", "name": "Sofia Rossi"})),
        )
        .await
        .unwrap();
    assert_eq!(invite.status, 200, "{}", invite.body);
    let code = invite.body["invite"].as_str().unwrap();
    assert!(
        invite.body["link"]
            .as_str()
            .unwrap()
            .starts_with("/e/ROLE?invite=")
    );

    // An invitation for one event does not open another.
    let a = http
        .send(
            "POST",
            "/api/events/OTHER/join",
            None,
            Some(&json!({"invite": code})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 401, "{}", a.body);

    let a = http
        .send(
            "POST",
            "/api/events/ROLE/join",
            None,
            Some(&json!({"invite": code})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200);
    assert_eq!(a.body["person"]["role"], "speaker");
    let speaker = a.body["token"].as_str().unwrap().to_owned();

    let a = http
        .set_stage(
            &speaker,
            "ROLE",
            "s1",
            json!({"status": "live", "on_stage": {"kind": "contribution", "number": 2}}),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let a = http
        .set_stage(&speaker, "OTHER", "s1", json!({"status": "live"}))
        .await
        .unwrap();
    assert_eq!(a.status, 403, "a speaker at one event is nobody at another");
    let a = http
        .send(
            "POST",
            "/api/events/ROLE/announcements",
            Some(&speaker),
            Some(&json!({"text": "hi"})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 403);
    let a = http
        .send(
            "POST",
            "/api/events/ROLE/invites",
            Some(&speaker),
            Some(&json!({"role": "moderator", "name": "X"})),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 403);
}

/// An invitation that names sessions covers those sessions only: its speaker runs polls and
/// its moderator moderates (and sees the review queue) there, and is an attendee elsewhere.
#[tokio::test]
async fn an_invitation_naming_sessions_covers_those_sessions_only() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "ROLE")
        .await
        .unwrap();
    let ev = || EventCode::parse("ROLE").unwrap();
    let s = |id: &str| SessionId::parse(id).unwrap();
    let room = |id: &str| RoomId::Session(ev(), s(id));

    // Bad scopes are refused on the field, and make no invitation.
    for (body, why) in [
        (
            json!({"role": "speaker", "name": "S", "sessions": ["nope"]}),
            "no session nope",
        ),
        (
            json!({"role": "attendee", "name": "A", "sessions": ["s1"]}),
            "only moderator",
        ),
        (
            json!({"role": "speaker", "name": "S", "sessions": ["s1", "s1"]}),
            "named twice",
        ),
    ] {
        let a = http
            .send(
                "POST",
                "/api/events/ROLE/invites",
                Some(&server.organiser_key),
                Some(&body),
            )
            .await
            .unwrap();
        assert_eq!(
            (a.status, a.body["field"].as_str()),
            (400, Some("sessions")),
            "{body}"
        );
        assert!(
            a.body["message"].as_str().unwrap().contains(why),
            "{}",
            a.body
        );
    }

    let mut speaker =
        Member::invited_for(&server, "ROLE", "speaker", "Sofia", &["s1"], &room("s1")).await;
    let welcome = speaker.ws.welcome.clone();
    assert!(
        matches!(&welcome, Some(ServerMsg::Welcome { person, .. }) if person.sessions == vec![s("s1")]),
        "{welcome:?}"
    );
    let poll = |session: &str| ClientMsg::CreatePoll {
        event: ev(),
        session: s(session),
        poll: serde_json::from_value(
            json!({"question": "Ready?", "kind": "single", "options": ["Yes", "No"]}),
        )
        .unwrap(),
    };
    let made = speaker.ask(poll("s1")).await;
    assert!(
        matches!(made, ServerMsg::Ok { poll: Some(_), .. }),
        "{made:?}"
    );
    let refused_there = speaker.ask(poll("s2")).await;
    assert_eq!(refused(&refused_there), ErrorCode::Forbidden);
    let stage = |session: &str| ClientMsg::SetStage {
        event: ev(),
        session: s(session),
        update: serde_json::from_value(json!({"status": "live"})).unwrap(),
    };
    assert!(matches!(
        speaker.ask(stage("s1")).await,
        ServerMsg::Ok { .. }
    ));
    assert_eq!(
        refused(&speaker.ask(stage("s2")).await),
        ErrorCode::Forbidden
    );

    // Over HTTP too, with the same token.
    let token = {
        let invite = http
            .send(
                "POST",
                "/api/events/ROLE/invites",
                Some(&server.organiser_key),
                Some(&json!({"role": "speaker", "name": "Sven", "sessions": ["s1"]})),
            )
            .await
            .unwrap();
        let a = http
            .send(
                "POST",
                "/api/events/ROLE/join",
                None,
                Some(&json!({"invite": invite.body["invite"]})),
            )
            .await
            .unwrap();
        a.body["token"].as_str().unwrap().to_owned()
    };
    for (session, status) in [("s1", 200), ("s2", 403)] {
        let a = http
            .send(
                "POST",
                &format!("/api/events/ROLE/sessions/{session}/stage"),
                Some(&token),
                Some(&json!({"status": "paused"})),
            )
            .await
            .unwrap();
        assert_eq!(a.status, status, "{session}: {}", a.body);
    }
    // The list of blocked people is for moderators of the whole event.
    let a = http
        .send("GET", "/api/events/ROLE/blocked", Some(&token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 403);
    // Showing open-text answers is for that session's staff only.
    assert_eq!(
        refused(
            &speaker
                .ask(ClientMsg::ApproveText {
                    event: ev(),
                    session: s("s2"),
                    poll: 1,
                    answer: "x".into(),
                    approved: true,
                })
                .await
        ),
        ErrorCode::Forbidden
    );

    // A scoped moderator sees the review queue of their session, not of another one.
    let mut attendee = Member::attendee(&server, "ROLE", "Eva", &room("s2")).await;
    let mut moderator =
        Member::invited_for(&server, "ROLE", "moderator", "Mia", &["s1"], &room("s2")).await;
    let mut organiser = Member::following(server.organiser().await, &room("s2")).await;
    let reviewed = ClientMsg::SetQaSettings {
        event: ev(),
        session: s("s2"),
        settings: plenum_protocol::QaSettings {
            moderation: plenum_protocol::Moderation::Reviewed,
            ..Default::default()
        },
    };
    assert_eq!(
        refused(&moderator.ask(reviewed.clone()).await),
        ErrorCode::Forbidden
    );
    assert!(matches!(
        organiser.ask(reviewed).await,
        ServerMsg::Ok { .. }
    ));
    let q = attendee.ask_question("Waiting for review?").await;
    organiser.until_qa(|qa| qa.get(q).is_some()).await;
    moderator.catch_up_to(organiser.view.seq).await;
    assert!(
        moderator.session().qa.get(q).is_none(),
        "a pending question in another session is not theirs to see"
    );
    assert_eq!(
        moderator.session().qa.counts.waiting,
        1,
        "the counts are public"
    );
    let approve = ClientMsg::Moderate {
        event: ev(),
        session: s("s2"),
        question: q,
        change: plenum_protocol::Moderate::Approve,
    };
    assert_eq!(refused(&moderator.ask(approve).await), ErrorCode::Forbidden);
    // Blocking someone from the whole event needs an invitation for the whole event.
    let block = ClientMsg::Block {
        event: ev(),
        person: attendee.id.clone(),
        blocked: true,
        name: None,
    };
    assert_eq!(refused(&moderator.ask(block).await), ErrorCode::Forbidden);
}
