//! The after-event report: people joined (each attendee's join once, each invited person once
//! however many devices), each session's peak presence (the most following it at once, kept
//! across a restart), questions, votes and poll participation; counts only, for organisers.

use plenum_protocol::{ClientMsg, PollStep, ResultsVisibility, ServerMsg};
use plenum_tests::*;
use serde_json::Value;
use std::time::Duration;

const EVENT: &str = "REPORT";
const F: Fixture = Fixture(EVENT);

async fn report(server: &TestServer) -> Value {
    let a = server
        .http()
        .send(
            "GET",
            &format!("/api/events/{EVENT}/report"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(a.status, 200, "{}", a.body);
    a.body
}

fn session<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

#[tokio::test]
async fn the_report_counts_people_presence_questions_and_answers() {
    let mut server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, EVENT)
        .await
        .unwrap();
    assert_eq!(report(&server).await["people_joined"], 0);

    // Three attendees follow s1 at once; an invited speaker joins on two devices.
    let mut ada = Member::attendee(&server, EVENT, "Ada", &F.room()).await;
    let mut bo = Member::attendee(&server, EVENT, "Bo", &F.room()).await;
    let cy = Member::attendee(&server, EVENT, "Cy", &F.room()).await;
    let invite = http
        .send(
            "POST",
            &format!("/api/events/{EVENT}/invites"),
            Some(&server.organiser_key),
            Some(&serde_json::json!({"role": "speaker", "name": "Sofia"})),
        )
        .await
        .unwrap();
    for _ in 0..2 {
        let joined = http
            .send(
                "POST",
                &format!("/api/events/{EVENT}/join"),
                None,
                Some(&serde_json::json!({"invite": invite.body["invite"]})),
            )
            .await
            .unwrap();
        assert_eq!(joined.status, 200);
    }

    // A question, a vote, a poll two answer.
    let ServerMsg::Ok {
        question: Some(q), ..
    } = ok(ada
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: "How many came?".into(),
            anonymous: false,
        })
        .await)
    else {
        panic!()
    };
    ok(bo
        .ask(ClientMsg::Upvote {
            event: F.ev(),
            session: F.s1(),
            question: q,
            up: true,
        })
        .await);
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    let p = F
        .single_poll(
            &mut organiser,
            "Onsite or online?",
            &["Onsite", "Online"],
            ResultsVisibility::Live,
        )
        .await;
    F.run_poll(&mut organiser, p, PollStep::Open).await;
    for m in [&mut ada, &mut bo] {
        F.vote_single(m, p, 0).await;
    }

    // Four followed s1 at once (three attendees and the organiser): the presence loop
    // records it within a tick or two.
    let peak = eventually("a peak presence of 4 in s1", || async {
        let r = report(&server).await;
        (session(&r, "s1")["peak_presence"] == 4).then_some(r)
    })
    .await;
    assert_eq!(
        peak["people_joined"], 4,
        "three attendees and one invited person"
    );
    let s1 = session(&peak, "s1");
    assert_eq!(s1["questions"], 1);
    assert_eq!(s1["answered"], 0);
    assert_eq!(s1["question_votes"], 1);
    assert_eq!(s1["polls"][0]["ballots"], 2);
    assert_eq!(s1["polls"][0]["question"], "Onsite or online?");
    assert_eq!(session(&peak, "s2")["peak_presence"], 0);
    assert_eq!(peak["sessions"].as_array().unwrap().len(), 3);

    // Fewer now does not lower the peak; it stays across a restart, and one person after it
    // does not add to it (one server is one server, before and after).
    cy.ws.close().await;
    drop((ada, bo, organiser));
    server.restart().await;
    let _back = Member::attendee(&server, EVENT, "Dee", &F.room()).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = report(&server).await;
    assert_eq!(session(&after, "s1")["peak_presence"], 4);
    assert_eq!(after["people_joined"], 5);

    // Counts only, for organisers only.
    let token = http.join(EVENT, Some("Eve")).await.unwrap();
    let refused = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/report"),
            Some(&token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 403);
    let missing = http
        .send(
            "GET",
            "/api/events/NOSUCH/report",
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
    let text = after.to_string();
    for private in ["Ada", "Sofia", "Dee"] {
        assert!(
            !text.contains(private),
            "the report names {private}: {text}"
        );
    }
}
