//! Badges and contact codes: the organisers' badge sheet names every person the event keeps,
//! each with a contact code that names them to a signed-in attendee, and signs nobody in; a
//! code made up, or another event's, names nobody.

use plenum_protocol::{Badge, ClientMsg, MeetingPerson, Profile, ServerMsg};
use plenum_tests::*;

const F: Fixture = Fixture("BADGE");

/// The contact code in a badge's address.
fn code_of(badge: &Badge) -> String {
    badge
        .contact_url
        .split_once("?contact=")
        .map(|(_, c)| c.to_owned())
        .unwrap_or_else(|| panic!("no contact code in {}", badge.contact_url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_badge_names_its_person_to_attendees_and_signs_nobody_in() {
    let server = F.server(TestConfig::default()).await;
    let http = server.http();
    let key = server.organiser_key.clone();
    let (ana, ana_token) = Member::in_inbox(&server, "BADGE", "Ana").await;
    let (bo, bo_token) = Member::in_inbox(&server, "BADGE", "Bo").await;
    // Someone with no name is on no badge, though the event keeps their profile.
    let nameless = http.join("BADGE", None).await.unwrap();
    let mut ws = Ws::connect(&server.ws_url(), &nameless).await.unwrap();
    let id = ws
        .request(&ClientMsg::SetProfile {
            event: F.ev(),
            profile: Profile {
                organisation: Some("Nameless AB".into()),
                ..Profile::default()
            },
        })
        .await
        .unwrap();
    let reply = ws.reply(id).await.unwrap();
    assert!(matches!(reply, ServerMsg::Ok { .. }), "{reply:?}");
    let people = http
        .send("GET", "/api/events/BADGE/people", Some(&key), None)
        .await
        .unwrap();
    assert!(
        people.body.to_string().contains("Nameless AB"),
        "{}",
        people.body
    );

    let a = http
        .send("GET", "/api/events/BADGE/badges", Some(&key), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let badges: Vec<Badge> = serde_json::from_value(a.body).unwrap();
    let names: Vec<&str> = badges.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, vec!["Ana", "Bo"]);
    assert_eq!(badges[0].id.as_str(), ana.id);
    assert_eq!(badges[0].organisation.as_deref(), Some("Ana AB"));
    assert!(
        badges[0]
            .contact_url
            .starts_with(&format!("{}/e/BADGE/meetings?contact=", http.origin())),
        "{}",
        badges[0].contact_url
    );
    let ana_code = code_of(&badges[0]);
    assert!(!ana_code.contains(&ana_token) && !ana_token.contains(&ana_code));

    // Bo scans Ana's badge: it names her.
    let path = |c: &str| format!("/api/events/BADGE/contact-codes/{c}");
    let a = http
        .send("GET", &path(&ana_code), Some(&bo_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    let holder: MeetingPerson = serde_json::from_value(a.body).unwrap();
    assert_eq!(
        (
            holder.id.as_str(),
            holder.name.as_deref(),
            holder.organisation.as_deref()
        ),
        (ana.id.as_str(), Some("Ana"), Some("Ana AB"))
    );

    // Made up: Bo's id under Ana's tag, a cut tag, no dot. Nobody, one answer for each.
    let (_, tag) = ana_code.rsplit_once('.').unwrap();
    for made_up in [
        format!("{}.{tag}", bo.id),
        ana_code[..ana_code.len() - 2].to_owned(),
        ana.id.clone(),
    ] {
        let a = http
            .send("GET", &path(&made_up), Some(&bo_token), None)
            .await
            .unwrap();
        assert_eq!(a.status, 404, "{made_up}: {}", a.body);
        assert_eq!(a.body["code"], "not_found", "{}", a.body);
    }
    // Without a token, nothing; and the code is no token.
    let a = http
        .send("GET", &path(&ana_code), None, None)
        .await
        .unwrap();
    assert_eq!(a.status, 401, "{}", a.body);
    let a = http
        .send("GET", "/api/events/BADGE/my-data", Some(&ana_code), None)
        .await
        .unwrap();
    assert_eq!(
        a.status, 401,
        "the contact code signs nobody in: {}",
        a.body
    );
    // Attendees do not get the sheet.
    let a = http
        .send("GET", "/api/events/BADGE/badges", Some(&bo_token), None)
        .await
        .unwrap();
    assert_eq!(a.status, 403, "{}", a.body);

    // Another event's code names nobody here.
    create_small_event(&http, &key, "OTHER").await.unwrap();
    let a = http
        .send(
            "GET",
            &format!("/api/events/OTHER/contact-codes/{ana_code}"),
            Some(&key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 404, "{}", a.body);
}
