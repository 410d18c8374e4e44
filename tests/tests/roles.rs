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
