//! The event's team: signing in with the organiser key (a cookie every tab shares, refused
//! from other sites), co-organisers with their own credentials at one event, the invitations an
//! event made (listed, joined, withdrawn, bounded) and the activity log of who did what.

use plenum_protocol::{ClientMsg, ErrorCode, RoomId, ServerMsg, limits};
use plenum_tests::*;
use serde_json::{Value, json};

const F: Fixture = Fixture("TEAM");

/// The `name=value` of a Set-Cookie header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().trim().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_gives_every_tab_a_cookie_no_other_site_can_use() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let origin = http.origin().to_owned();

    let (wrong, cookies) = http
        .send_with(
            "POST",
            "/api/sign-in",
            &[],
            Some(&json!({"key": "org_nope"})),
        )
        .await
        .unwrap();
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(wrong.body["code"], "unauthenticated");
    assert!(cookies.is_empty(), "no cookie for a wrong key");

    let key = server.organiser_key.clone();
    let (ok, cookies) = http
        .send_with("POST", "/api/sign-in", &[], Some(&json!({ "key": key })))
        .await
        .unwrap();
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["key_holder"], true);
    let [set] = cookies.as_slice() else {
        panic!("one cookie: {cookies:?}")
    };
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=604800"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    let cookie = pair(set);
    assert!(
        !cookie.contains(&key),
        "the cookie is a sign-in, not the key"
    );

    // Another tab: the cookie alone, no key.
    let (me, _) = http
        .send_with("GET", "/api/me", &[("cookie", &cookie)], None)
        .await
        .unwrap();
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["person"]["role"], "organiser");
    assert_eq!(me.body["key_holder"], true);
    let (events, _) = http
        .send_with("GET", "/api/events", &[("cookie", &cookie)], None)
        .await
        .unwrap();
    assert_eq!(events.status, 200);
    assert_eq!(events.body.as_array().unwrap().len(), 1);

    // Changes with the cookie: from this server's pages, yes; from another site, never.
    let announce = json!({"text": "Coffee is served"});
    let path = format!("/api/events/{}/announcements", F.0);
    let (ours, _) = http
        .send_with(
            "POST",
            &path,
            &[("cookie", &cookie), ("origin", &origin)],
            Some(&announce),
        )
        .await
        .unwrap();
    assert_eq!(ours.status, 200, "{}", ours.body);
    let (theirs, _) = http
        .send_with(
            "POST",
            &path,
            &[("cookie", &cookie), ("origin", "https://evil.example")],
            Some(&announce),
        )
        .await
        .unwrap();
    assert_eq!(theirs.status, 403, "{}", theirs.body);
    assert_eq!(theirs.body["code"], "forbidden");
    // A sibling site's page (same site, another origin) sends no Origin on a GET, but the
    // browser says where the request comes from.
    let (sibling, _) = http
        .send_with(
            "GET",
            "/api/events/TEAM/export.json",
            &[("cookie", &cookie), ("sec-fetch-site", "same-site")],
            None,
        )
        .await
        .unwrap();
    assert_eq!(sibling.status, 403, "{}", sibling.body);
    // Nor may another site's page open a WebSocket with it.
    assert!(
        Ws::connect_with(
            &server.ws_url(),
            &[("cookie", &cookie), ("origin", "https://evil.example")]
        )
        .await
        .is_err(),
        "a foreign page opened a WebSocket with the cookie"
    );

    // The WebSocket: an empty token is the cookie's; without one it is no one.
    let mut ws = Ws::connect_with(&server.ws_url(), &[("cookie", &cookie)])
        .await
        .unwrap();
    ws.send(
        &ClientMsg::Hello {
            versions: vec![1],
            token: String::new(),
        },
        None,
    )
    .await
    .unwrap();
    match ws.recv().await.unwrap() {
        ServerMsg::Welcome { person, .. } => {
            assert_eq!(person.role, plenum_protocol::Role::Organiser)
        }
        other => panic!("expected a welcome, got {other:?}"),
    }
    let mut anonymous = Ws::connect_raw(&server.ws_url(), None).await.unwrap();
    anonymous
        .send(
            &ClientMsg::Hello {
                versions: vec![1],
                token: String::new(),
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        refused(&anonymous.recv().await.unwrap()),
        ErrorCode::Unauthenticated
    );

    // Signing out forgets the cookie.
    let (out, cookies) = http
        .send_with("POST", "/api/sign-out", &[], None)
        .await
        .unwrap();
    assert_eq!(out.status, 204);
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("plenum_organiser=;") && c.contains("Max-Age=0")),
        "{cookies:?}"
    );
    // A forged or stale cookie is no one.
    let (forged, _) = http
        .send_with(
            "GET",
            "/api/me",
            &[("cookie", "plenum_organiser=o1.e30.AAAA")],
            None,
        )
        .await
        .unwrap();
    assert_eq!(forged.status, 401, "{}", forged.body);
}

/// `token`'s answer to `method path` with `body`: (status, code).
async fn try_as(http: &Http, token: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let a = http
        .send(method, path, Some(token), Some(&body))
        .await
        .unwrap();
    (a.status, a.body["code"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_co_organiser_runs_their_event_and_nothing_else() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    create_small_event(&http, &key, "OTHER").await.unwrap();
    let co = http
        .invited_token(&key, F.0, "organiser", "Clara Berg", &[])
        .await
        .unwrap();

    // Their event: the list, the agenda, invitations, the stage, announcements.
    let (status, _) = try_as(&http, &co, "GET", "/api/events", Value::Null).await;
    assert_eq!(status, 200);
    let list = http
        .send("GET", "/api/events", Some(&co), None)
        .await
        .unwrap();
    let codes: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [F.0], "a co-organiser lists their event only");
    let agenda = small_event(F.0)["agenda"].clone();
    assert_eq!(
        try_as(&http, &co, "PUT", "/api/events/TEAM/agenda", agenda.clone())
            .await
            .0,
        200
    );
    let moderator = json!({"role": "moderator", "name": "Maria", "sessions": ["s1"]});
    let made = http
        .send(
            "POST",
            "/api/events/TEAM/invites",
            Some(&co),
            Some(&moderator),
        )
        .await
        .unwrap();
    assert_eq!(made.status, 200, "{}", made.body);
    let their_moderator = http
        .send(
            "POST",
            "/api/events/TEAM/join",
            None,
            Some(&json!({"invite": made.body["invite"]})),
        )
        .await
        .unwrap();
    let their_moderator = their_moderator.body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        try_as(
            &http,
            &co,
            "POST",
            "/api/events/TEAM/announcements",
            json!({"text": "Hello"})
        )
        .await
        .0,
        200
    );
    let mut ws = Ws::connect(&server.ws_url(), &co).await.unwrap();
    let mut member =
        Member::following(Ws::connect(&server.ws_url(), &co).await.unwrap(), &F.room()).await;
    let stage = member
        .ask(ClientMsg::SetStage {
            event: F.ev(),
            session: F.s1(),
            update: serde_json::from_value(json!({"status": "live"})).unwrap(),
        })
        .await;
    assert!(matches!(stage, ServerMsg::Ok { .. }), "{stage:?}");

    // Not: creating events, inviting co-organisers, anything of another event.
    assert_eq!(
        try_as(&http, &co, "POST", "/api/events", small_event("MINE")).await,
        (403, json!("forbidden"))
    );
    assert_eq!(
        try_as(
            &http,
            &co,
            "POST",
            "/api/events/TEAM/invites",
            json!({"role": "organiser", "name": "Eve"})
        )
        .await,
        (403, json!("forbidden"))
    );
    for (method, path, body) in [
        ("PUT", "/api/events/OTHER/agenda", agenda),
        ("POST", "/api/events/OTHER/invites", moderator),
        (
            "POST",
            "/api/events/OTHER/announcements",
            json!({"text": "Hi"}),
        ),
        ("GET", "/api/events/OTHER/invites", Value::Null),
        ("GET", "/api/events/OTHER/activity", Value::Null),
    ] {
        assert_eq!(
            try_as(&http, &co, method, path, body).await,
            (403, json!("forbidden")),
            "{method} {path}"
        );
    }
    let other = RoomId::Session(plenum_protocol::EventCode::parse("OTHER").unwrap(), F.s1());
    let id = ws
        .request(&ClientMsg::Join {
            room: other,
            since: None,
        })
        .await
        .unwrap();
    loop {
        match ws.recv().await.unwrap() {
            ServerMsg::Error {
                id: Some(i), code, ..
            } if i == id => {
                assert_eq!(code, ErrorCode::Forbidden);
                break;
            }
            ServerMsg::Snapshot { .. } => panic!("a co-organiser followed another event"),
            _ => {}
        }
    }

    // The key's holder withdraws a co-organiser; a co-organiser may not withdraw one.
    let other_co = http
        .send(
            "POST",
            "/api/events/TEAM/invites",
            Some(&key),
            Some(&json!({"role": "organiser", "name": "Dan"})),
        )
        .await
        .unwrap();
    let other_id = other_co.body["id"].as_str().unwrap().to_owned();
    // A co-organiser's link is the key holder's to hand out.
    let link_of_dan = |list: Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "Dan")
            .map(|i| i.get("link").cloned())
    };
    let as_key = http
        .send("GET", "/api/events/TEAM/invites", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(
        link_of_dan(as_key.body),
        Some(Some(other_co.body["link"].clone()))
    );
    let as_co = http
        .send("GET", "/api/events/TEAM/invites", Some(&co), None)
        .await
        .unwrap();
    assert_eq!(link_of_dan(as_co.body), Some(None));
    // Ids the event never recorded are the key holder's to withdraw (a co-organiser could
    // otherwise fill the withdrawals' bound).
    let never = "/api/events/TEAM/invites/AAAAAAAAAAAAAAAA";
    assert_eq!(
        try_as(&http, &co, "DELETE", never, Value::Null).await,
        (404, json!("not_found"))
    );
    assert_eq!(
        try_as(&http, &key, "DELETE", never, Value::Null).await.0,
        200
    );
    assert_eq!(
        try_as(
            &http,
            &co,
            "DELETE",
            &format!("/api/events/TEAM/invites/{other_id}"),
            Value::Null
        )
        .await,
        (403, json!("forbidden"))
    );
    let invites = http
        .send("GET", "/api/events/TEAM/invites", Some(&key), None)
        .await
        .unwrap();
    let clara = invites
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Clara Berg")
        .unwrap();
    let clara_id = clara["id"].as_str().unwrap();
    assert_eq!(
        try_as(
            &http,
            &key,
            "DELETE",
            &format!("/api/events/TEAM/invites/{clara_id}"),
            Value::Null
        )
        .await
        .0,
        200
    );
    assert_eq!(
        try_as(&http, &co, "GET", "/api/events", Value::Null).await,
        (401, json!("unauthenticated")),
        "a withdrawn co-organiser is signed out"
    );
    // Their open connection is ended at its next request.
    let after = member
        .ask(ClientMsg::SetStage {
            event: F.ev(),
            session: F.s1(),
            update: serde_json::from_value(json!({"status": "paused"})).unwrap(),
        })
        .await;
    assert_eq!(refused(&after), ErrorCode::Unauthenticated, "{after:?}");
    // What they handed out went with them; what the key holder made stays.
    assert_eq!(
        try_as(
            &http,
            &their_moderator,
            "GET",
            "/api/events/TEAM/blocked",
            Value::Null
        )
        .await,
        (401, json!("unauthenticated"))
    );
    let invites = http
        .send("GET", "/api/events/TEAM/invites", Some(&key), None)
        .await
        .unwrap();
    let state = |name: &str| {
        invites
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap()["withdrawn"]
            .clone()
    };
    assert_eq!(state("Maria"), json!(true));
    assert_eq!(state("Dan"), json!(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_lists_every_invitation_with_what_became_of_it() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let make = |body: Value| {
        let http = http.clone();
        let key = key.clone();
        async move {
            let a = http
                .send("POST", "/api/events/TEAM/invites", Some(&key), Some(&body))
                .await
                .unwrap();
            assert_eq!(a.status, 200, "{}", a.body);
            a.body
        }
    };
    let maria = make(json!({"role": "moderator", "name": "Maria", "sessions": ["s1"]})).await;
    let sofia = make(json!({"role": "speaker", "name": "Sofia"})).await;
    let ada = make(json!({"role": "attendee", "name": "Ada"})).await;
    // Maria joins; Sofia's is withdrawn; Ada's waits.
    let joined = http
        .send(
            "POST",
            "/api/events/TEAM/join",
            None,
            Some(&json!({"invite": maria["invite"]})),
        )
        .await
        .unwrap();
    assert_eq!(joined.status, 200);
    let sofia_id = sofia["id"].as_str().unwrap();
    http.send(
        "DELETE",
        &format!("/api/events/TEAM/invites/{sofia_id}"),
        Some(&key),
        None,
    )
    .await
    .unwrap();
    // Joining is counted in the background: wait for it.
    let list = eventually("the join is counted", || async {
        let a = http
            .send("GET", "/api/events/TEAM/invites", Some(&key), None)
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        let list = a.body.as_array().unwrap().clone();
        list.iter()
            .any(|i| i["name"] == "Maria" && i["joined"] == true)
            .then_some(list)
    })
    .await;
    let rows: Vec<(String, String, bool, bool)> = list
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_owned(),
                i["role"].as_str().unwrap().to_owned(),
                i["joined"].as_bool().unwrap(),
                i["withdrawn"].as_bool().unwrap(),
            )
        })
        .collect();
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("Ada".into(), "attendee".into(), false, false),
            ("Maria".into(), "moderator".into(), true, false),
            ("Sofia".into(), "speaker".into(), false, true),
        ]
    );
    // Working invitations' links are made again from what was recorded; a withdrawn one's is not.
    let ada_row = list.iter().find(|i| i["name"] == "Ada").unwrap();
    assert_eq!(
        ada_row["link"], ada["link"],
        "the same link as when it was made"
    );
    let sofia_row = list.iter().find(|i| i["name"] == "Sofia").unwrap();
    assert!(sofia_row.get("link").is_none(), "{sofia_row}");
    // A used one is its person's: nobody else gets its link to become them.
    let used = list.iter().find(|i| i["name"] == "Maria").unwrap();
    assert!(used.get("link").is_none(), "{used}");
    // Before accepting, the invitation says who it is for; a withdrawn one is refused.
    let preview = http
        .send(
            "POST",
            "/api/events/TEAM/invitation",
            None,
            Some(&json!({"invite": ada["invite"]})),
        )
        .await
        .unwrap();
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(preview.body, json!({"role": "attendee", "name": "Ada"}));
    let gone = http
        .send(
            "POST",
            "/api/events/TEAM/invitation",
            None,
            Some(&json!({"invite": sofia["invite"]})),
        )
        .await
        .unwrap();
    assert_eq!(
        (gone.status, gone.body["code"].clone()),
        (401, json!("unauthenticated"))
    );
    let maria_row = list.iter().find(|i| i["name"] == "Maria").unwrap();
    assert_eq!(maria_row["sessions"], json!(["s1"]));
    assert_eq!(maria_row["made_by"], "Organiser");
    assert_eq!(maria_row["id"], maria["id"]);
    // Newest first.
    let times: Vec<i64> = list
        .iter()
        .map(|i| i["made_at_ms"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    assert_eq!(ada["id"].as_str().unwrap().len(), 16);
    // Attendees and moderators may not read the list.
    let attendee = http.join(F.0, Some("Bo")).await.unwrap();
    let a = http
        .send("GET", "/api/events/TEAM/invites", Some(&attendee), None)
        .await
        .unwrap();
    assert_eq!(a.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_makes_at_most_its_bound_of_invitations() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    // Made concurrently, 32 at a time: each is recorded before it is handed out.
    let mut made = 0;
    while made < limits::MAX_INVITATIONS {
        let batch = (limits::MAX_INVITATIONS - made).min(32);
        let answers = futures_util::future::join_all((0..batch).map(|i| {
            let (http, key) = (http.clone(), key.clone());
            async move {
                http.send(
                    "POST",
                    "/api/events/TEAM/invites",
                    Some(&key),
                    Some(&json!({"role": "attendee", "name": format!("Person {}", made + i)})),
                )
                .await
                .unwrap()
                .status
            }
        }))
        .await;
        assert!(answers.iter().all(|s| *s == 200), "{answers:?}");
        made += batch;
    }
    let over = http
        .send(
            "POST",
            "/api/events/TEAM/invites",
            Some(&key),
            Some(&json!({"role": "speaker", "name": "One too many"})),
        )
        .await
        .unwrap();
    assert_eq!(over.status, 413, "{}", over.body);
    assert_eq!(over.body["code"], "too_large");
    let list = http
        .send("GET", "/api/events/TEAM/invites", Some(&key), None)
        .await
        .unwrap();
    let list = list.body.as_array().unwrap();
    assert_eq!(list.len(), limits::MAX_INVITATIONS);
    assert!(list.iter().all(|i| i["name"] != "One too many"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_activity_log_says_who_did_what_and_keeps_the_newest() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let mut moderator = F.moderator(&server).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let question = eva.ask_question("What about funding?").await;
    let dismissed = moderator
        .ask(ClientMsg::Moderate {
            event: F.ev(),
            session: F.s1(),
            question,
            change: plenum_protocol::Moderate::Dismiss {
                reason: "Off topic".into(),
            },
        })
        .await;
    assert!(matches!(dismissed, ServerMsg::Ok { .. }), "{dismissed:?}");
    let a = http
        .set_stage(&key, F.0, "s1", json!({"status": "live"}))
        .await
        .unwrap();
    assert_eq!(a.status, 200);
    let log = eventually("both actions are noted", || async {
        let a = http
            .send("GET", "/api/events/TEAM/activity", Some(&key), None)
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
        let log = a.body.as_array().unwrap().clone();
        (log.iter().any(|e| e["what"] == "set_stage")
            && log.iter().any(|e| e["what"] == "moderate"))
        .then_some(log)
    })
    .await;
    let moderated = log.iter().find(|e| e["what"] == "moderate").unwrap();
    assert_eq!(moderated["name"], "Maria");
    assert_eq!(moderated["role"], "moderator");
    assert_eq!(moderated["session"], "s1");
    assert!(
        moderated["detail"].as_str().unwrap().contains("dismiss"),
        "{moderated}"
    );
    let staged = log.iter().find(|e| e["what"] == "set_stage").unwrap();
    assert_eq!(staged["name"], "Organiser");
    // Invitations (the moderator's) are noted; what attendees do is not.
    let invited = log
        .iter()
        .find(|e| e["what"] == "invite")
        .expect("the invitation is noted");
    let detail: Value = serde_json::from_str(invited["detail"].as_str().unwrap()).unwrap();
    assert_eq!(
        (detail["role"].clone(), detail["name"].clone()),
        (json!("moderator"), json!("Maria"))
    );
    assert!(
        log.iter()
            .all(|e| e["role"] != "attendee" && e["what"] != "ask"),
        "{log:?}"
    );
    // Moderators may not read it.
    let maria = http
        .invited_token(&key, F.0, "moderator", "Maria 2", &[])
        .await
        .unwrap();
    let a = http
        .send("GET", "/api/events/TEAM/activity", Some(&maria), None)
        .await
        .unwrap();
    assert_eq!(a.status, 403, "{}", a.body);

    // Over the bound, the oldest give way.
    let extra = limits::MAX_ACTIVITY + 20;
    for chunk in (0..extra).collect::<Vec<_>>().chunks(32) {
        let answers = futures_util::future::join_all(chunk.iter().map(|i| {
            let (http, key) = (http.clone(), key.clone());
            async move {
                http.set_stage(
                    &key,
                    F.0,
                    "s1",
                    json!({"on_stage": {"kind": "text", "text": format!("Slide {i}")}}),
                )
                .await
                .unwrap()
                .status
            }
        }))
        .await;
        assert!(answers.iter().all(|s| *s == 200));
    }
    let log = eventually("the log is full", || async {
        let a = http
            .send("GET", "/api/events/TEAM/activity", Some(&key), None)
            .await
            .unwrap();
        let log = a.body.as_array().unwrap().clone();
        let newest_noted =
            log.iter().filter(|e| e["what"] == "set_stage").count() >= limits::MAX_ACTIVITY;
        newest_noted.then_some(log)
    })
    .await;
    assert_eq!(log.len(), limits::MAX_ACTIVITY);
    assert!(
        log.iter().all(|e| e["what"] == "set_stage"),
        "the oldest (the moderation, the invitation) gave way"
    );
    let times: Vec<i64> = log.iter().map(|e| e["at_ms"].as_i64().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
}
