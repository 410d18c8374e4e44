//! Agenda import: a valid document imports whole; an invalid one is refused with the
//! offending field's path, and nothing changes.

use plenum_tests::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_valid_agenda_imports_and_every_client_is_told() {
    let server = TestServer::start_with(TestConfig {
        demo: true,
        ..Default::default()
    })
    .await;
    let http = server.http();
    let demo = http.get("/api/events/ECC2026").await.unwrap().body;
    assert_eq!(demo["agenda_version"], 1);
    assert!(demo["agenda"]["sessions"].as_array().unwrap().len() >= 10);

    let mut ws = server.attendee("ECC2026", "Eva").await;
    let room = plenum_protocol::RoomId::parse("event:ECC2026").unwrap();
    let mut m = Mirror::new(room.clone());
    ws.join(&room, None, &mut m).await.unwrap();

    let mut agenda = demo["agenda"].clone();
    agenda["sessions"][0]["title"] = json!("Öppning: Kluster för ett motståndskraftigt Europa");
    let a = http
        .send(
            "PUT",
            "/api/events/ECC2026/agenda",
            Some(&server.organiser_key),
            Some(&agenda),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);

    let version = ws
        .wait_for(|msg| {
            m.take(msg).unwrap();
            match msg {
                plenum_protocol::ServerMsg::Event {
                    event: plenum_protocol::RoomEvent::AgendaUpdated { version },
                    ..
                } => Some(*version),
                _ => None,
            }
        })
        .await
        .unwrap();
    assert_eq!(version, 2);
    let now = http.get("/api/events/ECC2026").await.unwrap().body;
    assert_eq!(now["agenda_version"], 2);
    assert_eq!(now["agenda"], agenda);
}

#[tokio::test]
async fn an_invalid_agenda_is_refused_precisely_and_changes_nothing() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "AGN")
        .await
        .unwrap();
    let before = http.get("/api/events/AGN").await.unwrap().body;
    let good = before["agenda"].clone();

    type Breakage = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Breakage)> = vec![
        (
            "sessions[1].titel",
            Box::new(|a| a["sessions"][1]["titel"] = json!("typo")),
        ),
        (
            "sessions[0].kind",
            Box::new(|a| a["sessions"][0]["kind"] = json!("keynote")),
        ),
        (
            "sessions[2].end",
            Box::new(|a| a["sessions"][2]["end"] = json!("12:00")),
        ),
        (
            "sessions[0].start",
            Box::new(|a| a["sessions"][0]["start"] = json!("9am")),
        ),
        (
            "sessions[1].id",
            Box::new(|a| a["sessions"][1]["id"] = json!("s1")),
        ),
        (
            "sessions[2].day",
            Box::new(|a| a["sessions"][2]["day"] = json!(4)),
        ),
        (
            "sessions[0].contributions[1].number",
            Box::new(|a| a["sessions"][0]["contributions"][1]["number"] = json!(3)),
        ),
        (
            "sessions[0].contributions[0].speakers[0].name",
            Box::new(|a| a["sessions"][0]["contributions"][0]["speakers"][0]["name"] = json!("  ")),
        ),
        (
            "sessions[1].stream_url",
            Box::new(|a| a["sessions"][1]["stream_url"] = json!("javascript:alert(1)")),
        ),
        (
            "sessions[1].id",
            Box::new(|a| a["sessions"][1]["id"] = json!("Session Two")),
        ),
        (
            "days[0].date",
            Box::new(|a| a["days"][0]["date"] = json!("2026-02-30")),
        ),
        (
            "sessions[2].title",
            Box::new(|a| a["sessions"][2]["title"] = json!("x".repeat(201))),
        ),
        ("sessions", Box::new(|a| a["sessions"] = json!("none"))),
    ];
    for (field, break_it) in cases {
        let mut doc = good.clone();
        break_it(&mut doc);
        let a = http
            .send(
                "PUT",
                "/api/events/AGN/agenda",
                Some(&server.organiser_key),
                Some(&doc),
            )
            .await
            .unwrap();
        // An over-long text is `too_large`, as every text anywhere; the rest `bad_request`.
        let (status, code) = if field.ends_with("title") {
            (413, "too_large")
        } else {
            (400, "bad_request")
        };
        assert_eq!(a.status, status, "{field}: {}", a.body);
        assert_eq!(a.body["code"], code);
        assert_eq!(a.body["field"], field, "{}", a.body);
        assert!(
            a.body["message"].as_str().unwrap().starts_with(field),
            "{}",
            a.body
        );
    }
    // Not JSON at all, and too large.
    let a = http
        .send_raw(
            "PUT",
            "/api/events/AGN/agenda",
            Some(&server.organiser_key),
            "{\"days\": [",
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["code"].as_str()),
        (400, Some("bad_request"))
    );
    let huge = format!(
        "{{\"days\": [], \"sessions\": [], \"x\": \"{}\"}}",
        "a".repeat(plenum_protocol::limits::MAX_AGENDA_BYTES)
    );
    let a = http
        .send_raw(
            "PUT",
            "/api/events/AGN/agenda",
            Some(&server.organiser_key),
            &huge,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 413);

    assert_eq!(
        http.get("/api/events/AGN").await.unwrap().body,
        before,
        "a refused import changed the event"
    );

    // A new event is checked the same way, with the path from the document's root.
    let mut bad = small_event("NEWEV");
    bad["time_zone"] = json!("Europe/Malmo");
    let a = http
        .send(
            "POST",
            "/api/events",
            Some(&server.organiser_key),
            Some(&bad),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("time_zone")),
        "{}",
        a.body
    );
    let mut bad = small_event("NEWEV");
    bad["agenda"]["sessions"][0]["end"] = json!("08:00");
    let a = http
        .send(
            "POST",
            "/api/events",
            Some(&server.organiser_key),
            Some(&bad),
        )
        .await
        .unwrap();
    assert_eq!(a.body["field"], "agenda.sessions[0].end", "{}", a.body);
    assert_eq!(http.get("/api/events/NEWEV").await.unwrap().status, 404);
    // And an event code is taken once.
    let a = http
        .send(
            "POST",
            "/api/events",
            Some(&server.organiser_key),
            Some(&small_event("AGN")),
        )
        .await
        .unwrap();
    assert_eq!((a.status, a.body["code"].as_str()), (409, Some("conflict")));
}

#[tokio::test]
async fn one_session_is_edited_in_place_and_concurrent_edits_all_land() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "EDIT")
        .await
        .unwrap();
    let key = server.organiser_key.clone();

    let mut s2 = http.get("/api/events/EDIT").await.unwrap().body["agenda"]["sessions"][1].clone();
    s2["title"] = json!("Session 2: Workshop på svenska");
    s2["language"] = json!("sv");
    let a = http
        .send("PUT", "/api/events/EDIT/sessions/s2", Some(&key), Some(&s2))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);

    // Ten new sessions added at once: none overwrites another.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let http = server.http();
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"id": format!("extra-{i}"), "title": format!("Extra {i}"), "kind": "networking", "day": 1, "start": "16:00", "end": "17:00"});
            let a = http.send("PUT", &format!("/api/events/EDIT/sessions/extra-{i}"), Some(&key), Some(&body)).await.unwrap();
            assert_eq!(a.status, 200, "{}", a.body);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let info = http.get("/api/events/EDIT").await.unwrap().body;
    assert_eq!(info["agenda"]["sessions"].as_array().unwrap().len(), 13);
    assert_eq!(info["agenda"]["sessions"][1], s2);
    assert_eq!(info["agenda_version"], 12);

    // A bad edit is refused with the field, and changes nothing.
    let mut bad = s2.clone();
    bad["end"] = json!("10:00");
    let a = http
        .send(
            "PUT",
            "/api/events/EDIT/sessions/s2",
            Some(&key),
            Some(&bad),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.status, a.body["field"].as_str()),
        (400, Some("sessions[1].end")),
        "{}",
        a.body
    );
    let a = http
        .send(
            "PUT",
            "/api/events/EDIT/sessions/other",
            Some(&key),
            Some(&s2),
        )
        .await
        .unwrap();
    assert_eq!((a.status, a.body["field"].as_str()), (400, Some("id")));
    assert_eq!(http.get("/api/events/EDIT").await.unwrap().body, info);
}

/// The organiser's spreadsheet path end to end: the Swedish XLSX template downloaded, read
/// back as a preview with nothing saved, saved with the ordinary PUT; a CSV with mistakes
/// answered with every problem by row and column; and nobody else may import.
#[tokio::test]
async fn a_spreadsheet_is_previewed_by_row_and_saved_by_the_organiser_only() {
    let server = TestServer::start().await;
    let http = server.http();
    let key = server.organiser_key.clone();
    create_small_event(&http, &key, "SHEET").await.unwrap();

    let (status, kind, xlsx) = http
        .get_bytes("/api/agenda-template.xlsx?lang=sv")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(xlsx.starts_with(b"PK\x03\x04"));
    let (status, kind, csv) = http.get_bytes("/api/agenda-template.csv").await.unwrap();
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(
        csv.starts_with(b"\xEF\xBB\xBFDate,Start,End,Title"),
        "a BOM, then English headings"
    );

    let import = "/api/events/SHEET/agenda/import";
    let before = http.get("/api/events/SHEET").await.unwrap().body;
    let preview = http
        .send_bytes(
            "POST",
            import,
            Some(&key),
            xlsx.clone(),
            "application/octet-stream",
        )
        .await
        .unwrap();
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(preview.body["format"], "xlsx");
    assert_eq!(preview.body["problems"], json!([]));
    let sessions = preview.body["agenda"]["sessions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(sessions.len(), 4);
    assert_eq!(sessions[0]["title"], "Välkommen och inledning");
    assert_eq!(sessions[0]["language"], "sv");
    assert_eq!(sessions[1]["kind"], "breakout");
    assert_eq!(sessions[1]["attendance"], "onsite");
    assert_eq!(sessions[0]["contributions"].as_array().unwrap().len(), 2);
    // A preview saves nothing.
    let now = http.get("/api/events/SHEET").await.unwrap().body;
    assert_eq!(now, before);

    let saved = http
        .send(
            "PUT",
            "/api/events/SHEET/agenda",
            Some(&key),
            Some(&preview.body["agenda"]),
        )
        .await
        .unwrap();
    assert_eq!(saved.status, 200, "{}", saved.body);
    let now = http.get("/api/events/SHEET").await.unwrap().body;
    assert_eq!(now["agenda"], preview.body["agenda"]);

    // Mistakes: each named by row and column, all at once; the good row still previewed.
    let bad = "Datum;Start;Slut;Titel;Typ;Deltagande\n\
               2026-05-12;09.00;10.00;Bra;Plenum;På plats\n\
               2026-05-12;10:00;09:00;Baklänges;;\n\
               maj;10:00;11:00;Dansen;dans;ute\n";
    let answer = http
        .send_bytes(
            "POST",
            import,
            Some(&key),
            bad.as_bytes().to_vec(),
            "text/csv",
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let places: Vec<(i64, String)> = answer.body["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [(3, "Slut"), (4, "Datum"), (4, "Typ"), (4, "Deltagande")]
            .map(|(r, c)| (r, c.to_owned()))
            .to_vec(),
        "{}",
        answer.body
    );
    assert_eq!(
        answer.body["agenda"]["sessions"].as_array().unwrap().len(),
        1
    );

    // Only the organiser may import; the same error as any organiser's action.
    let eva = http.join("SHEET", Some("Eva")).await.unwrap();
    let refused = http
        .send_bytes(
            "POST",
            import,
            Some(&eva),
            xlsx.clone(),
            "application/octet-stream",
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body["code"], "forbidden");
    let refused = http
        .send_bytes("POST", import, None, xlsx, "application/octet-stream")
        .await
        .unwrap();
    assert_eq!(refused.status, 401);
    // A file over the limit is refused before it is read.
    let huge = vec![b'a'; plenum_protocol::limits::MAX_AGENDA_BYTES + 1];
    let refused = http
        .send_bytes("POST", import, Some(&key), huge, "text/csv")
        .await
        .unwrap();
    assert_eq!(refused.status, 413);
    assert_eq!(refused.body["code"], "too_large");
}

/// A form's empty optional field means "none", not an error; the stored agenda has no trace
/// of it.
#[tokio::test]
async fn empty_optional_fields_from_a_form_are_absent() {
    let server = TestServer::start().await;
    let http = server.http();
    let key = server.organiser_key.clone();
    create_small_event(&http, &key, "FORM").await.unwrap();
    let mut agenda = small_event("FORM")["agenda"].clone();
    agenda["sessions"][1]["track"] = json!("");
    agenda["sessions"][1]["location"] = json!("  ");
    agenda["sessions"][1]["title"] = json!("  Session 2  ");
    agenda["sessions"][1]["moderator"] = json!({"name": "", "organisation": ""});
    agenda["sessions"][0]["contributions"][0]["speakers"][0]["role"] = json!("");
    let a = http
        .send("PUT", "/api/events/FORM/agenda", Some(&key), Some(&agenda))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let now = http.get("/api/events/FORM").await.unwrap().body;
    let s2 = &now["agenda"]["sessions"][1];
    assert_eq!(s2["title"], "Session 2");
    for absent in ["track", "location", "moderator"] {
        assert!(s2.get(absent).is_none(), "{absent} in {s2}");
    }
    assert!(
        now["agenda"]["sessions"][0]["contributions"][0]["speakers"][0]
            .get("role")
            .is_none()
    );
    // A required field left empty is still refused, by name.
    agenda["sessions"][1]["title"] = json!(" ");
    let a = http
        .send("PUT", "/api/events/FORM/agenda", Some(&key), Some(&agenda))
        .await
        .unwrap();
    assert_eq!(a.status, 400);
    assert_eq!(a.body["field"], "sessions[1].title");
}

/// A frab/pretalx schedule.json: talks become sessions, rooms tracks; a schedule in another
/// zone is pointed out.
#[tokio::test]
async fn a_pretalx_schedule_imports() {
    let server = TestServer::start().await;
    let http = server.http();
    let key = server.organiser_key.clone();
    create_small_event(&http, &key, "PRETALX").await.unwrap();
    let schedule = json!({"schedule": {"version": "0.1", "conference": {
        "acronym": "c", "title": "C", "time_zone_name": "Europe/Berlin",
        "days": [{"index": 1, "date": "2026-03-10", "rooms": {
            "Saal 1": [{"id": 11, "start": "09:00", "duration": "00:30", "title": "Eröffnung", "type": "Talk",
                        "language": "de", "persons": [{"public_name": "Anna"}]}],
            "Saal 2": [{"id": 12, "start": "09:00", "duration": "01:00", "title": "Werkstatt", "type": "Workshop",
                        "persons": []}]}}]}}});
    let a = http
        .send_bytes(
            "POST",
            "/api/events/PRETALX/agenda/import",
            Some(&key),
            serde_json::to_vec(&schedule).unwrap(),
            "application/json",
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["format"], "schedule_json");
    assert_eq!(a.body["time_zone"], "Europe/Berlin");
    assert_eq!(a.body["problems"], json!([]));
    let s = a.body["agenda"]["sessions"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(
        (s[0]["id"].as_str(), s[0]["track"].as_str()),
        (Some("talk-11"), Some("Saal 1"))
    );
    assert_eq!(
        (s[1]["kind"].as_str(), s[1]["end"].as_str()),
        (Some("workshop"), Some("10:00"))
    );
    let saved = http
        .send(
            "PUT",
            "/api/events/PRETALX/agenda",
            Some(&key),
            Some(&a.body["agenda"]),
        )
        .await
        .unwrap();
    assert_eq!(saved.status, 200, "{}", saved.body);
}

/// "Live now" follows the stage, not the clock: the event room carries each session's stage
/// status as the organisers set it, to everyone following it and to newcomers; a session
/// taken out of the agenda leaves it.
#[tokio::test]
async fn the_event_room_knows_which_sessions_are_live() {
    use plenum_protocol::{RoomState, SessionId, StageStatus};
    use std::collections::BTreeMap;
    let server = TestServer::start().await;
    let http = server.http();
    let key = server.organiser_key.clone();
    create_small_event(&http, &key, "NOW").await.unwrap();
    let room = plenum_protocol::RoomId::parse("event:NOW").unwrap();
    let mut ws = server.attendee("NOW", "Eva").await;
    let mut m = Mirror::new(room.clone());
    ws.join(&room, None, &mut m).await.unwrap();
    let statuses = |m: &Mirror| match &m.state {
        Some(RoomState::Event(e)) => e.statuses.clone(),
        _ => panic!("no event room state"),
    };
    let id = |s: &str| SessionId::parse(s).unwrap();
    assert_eq!(statuses(&m), BTreeMap::new());

    for (session, status) in [("s1", "live"), ("s2", "paused"), ("s1", "ended")] {
        let a = http
            .set_stage(&key, "NOW", session, json!({"status": status}))
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    // What is on stage alone changes no status: nothing more is logged in the event room.
    let a = http
        .set_stage(
            &key,
            "NOW",
            "s2",
            json!({"on_stage": {"kind": "text", "text": "Coffee"}}),
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    // A last status change after it: once that one is here, everything before it is too.
    let a = http
        .set_stage(&key, "NOW", "s3", json!({"status": "live"}))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let want = BTreeMap::from([
        (id("s1"), StageStatus::Ended),
        (id("s2"), StageStatus::Paused),
        (id("s3"), StageStatus::Live),
    ]);
    while statuses(&m) != want {
        let msg = ws.recv().await.unwrap();
        m.take(&msg).unwrap();
    }
    let told: Vec<_> = m
        .events
        .iter()
        .filter(|(_, e)| matches!(e, plenum_protocol::RoomEvent::SessionStatus { .. }))
        .collect();
    assert_eq!(
        told.len(),
        4,
        "the on-stage change alone logged no status: {told:?}"
    );

    // A newcomer's snapshot holds the same.
    let mut late = server.attendee("NOW", "Bo").await;
    let mut n = Mirror::new(room.clone());
    late.join(&room, None, &mut n).await.unwrap();
    assert_eq!(statuses(&n), want);

    // s2 leaves the agenda, and its status with it; s1 and s3 scheduled again leave it too.
    let mut agenda = small_event("NOW")["agenda"].clone();
    agenda["sessions"].as_array_mut().unwrap().remove(1);
    let a = http
        .send("PUT", "/api/events/NOW/agenda", Some(&key), Some(&agenda))
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    for session in ["s1", "s3"] {
        let a = http
            .set_stage(&key, "NOW", session, json!({"status": "scheduled"}))
            .await
            .unwrap();
        assert_eq!(a.status, 200, "{}", a.body);
    }
    while !statuses(&n).is_empty() {
        let msg = late.recv().await.unwrap();
        n.take(&msg).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_pitch_names_a_booth_or_a_contact_and_never_both() {
    let server = TestServer::start().await;
    let http = server.http();
    let post = |event: Value| {
        let http = http.clone();
        let key = server.organiser_key.clone();
        async move {
            http.send("POST", "/api/events", Some(&key), Some(&event))
                .await
                .unwrap()
        }
    };
    // A plenary's talk naming a booth, or a person: refused by field, and nothing is made.
    for (field, value) in [("booth", json!("porto")), ("contact", json!("att-Zk3q"))] {
        let mut bad = small_event("PITCHA");
        bad["agenda"]["sessions"][0]["contributions"][0][field] = value;
        let a = post(bad).await;
        assert_eq!(
            (a.status, a.body["field"].as_str()),
            (
                400,
                Some(format!("agenda.sessions[0].contributions[0].{field}").as_str())
            ),
            "{}",
            a.body
        );
    }
    // A pitch naming both: refused on `contact`. A booth id that is none: refused too.
    let mut bad = small_event("PITCHA");
    bad["agenda"]["sessions"][0]["kind"] = json!("pitch");
    bad["agenda"]["sessions"][0]["contributions"][0]["booth"] = json!("porto");
    bad["agenda"]["sessions"][0]["contributions"][0]["contact"] = json!("att-Zk3q");
    let a = post(bad).await;
    assert_eq!(
        a.body["field"], "agenda.sessions[0].contributions[0].contact",
        "{}",
        a.body
    );
    let mut bad = small_event("PITCHA");
    bad["agenda"]["sessions"][0]["kind"] = json!("pitch");
    bad["agenda"]["sessions"][0]["contributions"][0]["booth"] = json!("Not A Booth!");
    assert_eq!(post(bad).await.status, 400);
    assert_eq!(http.get("/api/events/PITCHA").await.unwrap().status, 404);
    // A pitch naming a booth, and another naming a person: kept as sent.
    let mut good = small_event("PITCHA");
    good["agenda"]["sessions"][0]["kind"] = json!("pitch");
    good["agenda"]["sessions"][0]["contributions"][0]["booth"] = json!("porto");
    good["agenda"]["sessions"][0]["contributions"][1]["contact"] = json!("att-Zk3q");
    let a = post(good).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let event = http.get("/api/events/PITCHA").await.unwrap().body;
    let talks = &event["agenda"]["sessions"][0]["contributions"];
    assert_eq!(talks[0]["booth"], "porto", "{event}");
    assert_eq!(talks[1]["contact"], "att-Zk3q", "{event}");
}
