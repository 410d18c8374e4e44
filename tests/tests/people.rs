//! People: a profile (organisation, country, languages) and starred sessions, kept by the
//! server, on every device of their person and nobody else's; listed for the organisers.

use plenum_protocol::{ClientMsg, ErrorCode, Profile, RoomId, RoomState, ServerMsg, SessionId};
use plenum_tests::*;
use serde_json::json;

const F: Fixture = Fixture("PEOPLE");

fn inbox_of(id: &str) -> RoomId {
    RoomId::parse(&format!("inbox:PEOPLE:{id}")).unwrap()
}

/// The profile and stars in a mirror of an inbox.
fn mine(m: &Mirror) -> (Profile, Vec<SessionId>) {
    match &m.state {
        Some(RoomState::Inbox(i)) => (i.profile.clone(), i.stars.clone()),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Folds `ws`'s traffic into `inbox` until `ok` holds.
async fn until(ws: &mut Ws, inbox: &mut Mirror, ok: impl Fn(&(Profile, Vec<SessionId>)) -> bool) {
    tokio::time::timeout(WAIT, async {
        while !ok(&mine(inbox)) {
            let msg = ws.recv().await.expect("the connection stays");
            inbox.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the inbox never got there: {:?}", mine(inbox)));
}

/// Sends `msg`; folds into `inbox` until its answer, which it returns.
async fn request(ws: &mut Ws, inbox: &mut Mirror, msg: ClientMsg) -> ServerMsg {
    let id = ws.request(&msg).await.unwrap();
    loop {
        let reply = ws.recv().await.expect("an answer");
        inbox.take(&reply).expect("in order, without gaps");
        match &reply {
            ServerMsg::Ok { id: i, .. } | ServerMsg::Error { id: Some(i), .. } if *i == id => {
                return reply;
            }
            _ => {}
        }
    }
}

fn welcome_id(ws: &Ws) -> String {
    match &ws.welcome {
        Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
        other => panic!("not welcomed: {other:?}"),
    }
}

fn hydrogen() -> Profile {
    Profile {
        organisation: Some("Nordic Hydrogen Cluster".into()),
        country: Some("SE".into()),
        languages: vec!["sv".into(), "en".into()],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_and_stars_reach_every_device_of_their_person_and_nobody_else() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    // Eva gives her profile as she joins (in lower case: kept upper-cased).
    let joined = http
        .send(
            "POST",
            "/api/events/PEOPLE/join",
            None,
            Some(&json!({"name": "Eva", "profile": {"organisation": "Nordic Hydrogen Cluster", "country": "se", "languages": ["sv", "en"]}})),
        )
        .await
        .unwrap();
    assert_eq!(joined.status, 200, "{}", joined.body);
    let token = joined.body["token"].as_str().unwrap().to_owned();
    let mut phone = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let mut laptop = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let eva = welcome_id(&phone);
    let mut on_phone = Mirror::new(inbox_of(&eva));
    phone
        .join(&inbox_of(&eva), None, &mut on_phone)
        .await
        .unwrap();
    let mut on_laptop = Mirror::new(inbox_of(&eva));
    laptop
        .join(&inbox_of(&eva), None, &mut on_laptop)
        .await
        .unwrap();
    assert_eq!(mine(&on_laptop), (hydrogen(), vec![]), "in the snapshot");

    // Bo, following his own inbox, hears nothing of Eva's.
    let bo_token = http.join("PEOPLE", Some("Bo")).await.unwrap();
    let mut bo = Ws::connect(&server.ws_url(), &bo_token).await.unwrap();
    let bo_id = welcome_id(&bo);
    let mut bo_inbox = Mirror::new(inbox_of(&bo_id));
    bo.join(&inbox_of(&bo_id), None, &mut bo_inbox)
        .await
        .unwrap();

    // A change on the phone reaches the laptop.
    let moved = Profile {
        organisation: Some("Baltic Energy".into()),
        country: Some("EE".into()),
        languages: vec!["et".into(), "en".into()],
    };
    let ok = request(
        &mut phone,
        &mut on_phone,
        ClientMsg::SetProfile {
            event: F.ev(),
            profile: moved.clone(),
        },
    )
    .await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut laptop, &mut on_laptop, |(p, _)| *p == moved).await;

    // Stars: a session of the agenda, on every device; one it lacks, refused.
    let star = |session: &str, starred: bool| ClientMsg::Star {
        event: F.ev(),
        session: SessionId::parse(session).unwrap(),
        starred,
    };
    let ok = request(&mut phone, &mut on_phone, star("s1", true)).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut laptop, &mut on_laptop, |(_, s)| s == &[F.s1()]).await;
    let missing = request(&mut phone, &mut on_phone, star("nowhere", true)).await;
    assert_eq!(refused(&missing), ErrorCode::NotFound);
    // Starring it again changes nothing: no event (the next change's event follows at once).
    // A star is the event room's change, told to the inbox after it: the `ok` does not wait
    // for the inbox's event, so the phone's inbox is read up to the star first.
    until(&mut phone, &mut on_phone, |(_, s)| s == &[F.s1()]).await;
    let seq = on_phone.seq;
    let again = request(&mut phone, &mut on_phone, star("s1", true)).await;
    assert!(matches!(again, ServerMsg::Ok { .. }), "{again:?}");
    let marker = request(&mut phone, &mut on_phone, star("s2", true)).await;
    assert!(matches!(marker, ServerMsg::Ok { .. }), "{marker:?}");
    until(&mut phone, &mut on_phone, |(_, s)| s.len() == 2).await;
    assert_eq!(on_phone.seq, seq + 1, "starring twice said nothing");
    let ok = request(&mut phone, &mut on_phone, star("s2", false)).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut laptop, &mut on_laptop, |(_, s)| s == &[F.s1()]).await;

    // Bo's inbox heard nothing; Bo cannot set Eva's (he only ever sets his own).
    let bo_seq = bo_inbox.seq;
    while let Ok(Ok(msg)) = bo.next_event(std::time::Duration::from_millis(300)).await {
        bo_inbox.take(&msg).unwrap();
    }
    assert_eq!(bo_inbox.seq, bo_seq, "Bo's inbox heard of Eva's changes");
    assert_eq!(mine(&bo_inbox), (Profile::default(), vec![]));

    // The organisers list Eva with her profile and one star; an attendee may not.
    let people = http
        .send(
            "GET",
            "/api/events/PEOPLE/people",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(people.status, 200, "{}", people.body);
    let list = people.body.as_array().unwrap();
    let entry = list
        .iter()
        .find(|p| p["id"] == eva.as_str())
        .expect("Eva is listed");
    assert_eq!(entry["name"], "Eva");
    assert_eq!(entry["profile"]["organisation"], "Baltic Energy");
    assert_eq!(entry["stars"], 1);
    let by_attendee = http
        .send("GET", "/api/events/PEOPLE/people", Some(&token), None)
        .await
        .unwrap();
    assert_eq!(by_attendee.status, 403, "{}", by_attendee.body);

    // Unstarring, from the laptop, reaches the phone.
    let ok = request(&mut laptop, &mut on_laptop, star("s1", false)).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut phone, &mut on_phone, |(_, s)| s.is_empty()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_profile_is_refused_naming_its_field_and_changes_nothing() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    // A join with a bad profile makes nobody.
    let bad = http
        .send(
            "POST",
            "/api/events/PEOPLE/join",
            None,
            Some(&json!({"name": "Eva", "profile": {"country": "Sweden"}})),
        )
        .await
        .unwrap();
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.body["field"], "profile.country");
    let unknown = http
        .send(
            "POST",
            "/api/events/PEOPLE/join",
            None,
            Some(&json!({"profile": {"company": "Acme"}})),
        )
        .await
        .unwrap();
    assert_eq!(unknown.status, 400, "{}", unknown.body);

    let token = http.join("PEOPLE", Some("Eva")).await.unwrap();
    let mut ws = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let eva = welcome_id(&ws);
    let mut inbox = Mirror::new(inbox_of(&eva));
    ws.join(&inbox_of(&eva), None, &mut inbox).await.unwrap();
    let set = |profile: Profile| ClientMsg::SetProfile {
        event: F.ev(),
        profile,
    };
    let ok = request(&mut ws, &mut inbox, set(hydrogen())).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut ws, &mut inbox, |(p, _)| *p == hydrogen()).await;
    let seq = inbox.seq;
    for (profile, code, field) in [
        (
            Profile {
                languages: vec!["sv".into(), "Swedish".into()],
                ..hydrogen()
            },
            ErrorCode::BadRequest,
            "profile.languages[1]",
        ),
        (
            Profile {
                organisation: Some("x".repeat(121)),
                ..hydrogen()
            },
            ErrorCode::TooLarge,
            "profile.organisation",
        ),
        (
            Profile {
                organisation: Some("Hidden\u{200B}Org".into()),
                ..hydrogen()
            },
            ErrorCode::BadRequest,
            "profile.organisation",
        ),
    ] {
        let refusal = request(&mut ws, &mut inbox, set(profile)).await;
        match refusal {
            ServerMsg::Error {
                code: c, field: f, ..
            } => {
                assert_eq!(c, code);
                assert_eq!(f.as_deref(), Some(field));
            }
            other => panic!("refused, not {other:?}"),
        }
    }
    let many = Profile {
        languages: ["da", "de", "en", "es", "et", "fi", "fr", "it", "sv"]
            .map(String::from)
            .to_vec(),
        ..hydrogen()
    };
    assert_eq!(
        refused(&request(&mut ws, &mut inbox, set(many)).await),
        ErrorCode::TooLarge
    );
    // Nothing changed: the next change's event is the only one since, and the organisers
    // have the same profile.
    let marker = Profile {
        country: Some("FI".into()),
        ..hydrogen()
    };
    let ok = request(&mut ws, &mut inbox, set(marker.clone())).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut ws, &mut inbox, |(p, _)| *p == marker).await;
    assert_eq!(inbox.seq, seq + 1, "a refused profile said something");
    let ok = request(&mut ws, &mut inbox, set(hydrogen())).await;
    assert!(matches!(ok, ServerMsg::Ok { .. }), "{ok:?}");
    until(&mut ws, &mut inbox, |(p, _)| *p == hydrogen()).await;
    let people = http
        .send(
            "GET",
            "/api/events/PEOPLE/people",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    let list = people.body.as_array().unwrap();
    assert_eq!(list.len(), 1, "only Eva: {list:?}");
    assert_eq!(list[0]["profile"]["languages"], json!(["sv", "en"]));
}
