//! Exports: an event's (or one session's) questions, poll results and award results, exact and
//! complete for organisers, as JSON and as CSV that spreadsheets read back unchanged (but for
//! text that starts like a formula, which is written as text).

use plenum_protocol::{
    Answer, AwardDraft, AwardStep, AwardVoters, Candidate, ClientMsg, PollDraft, PollKind,
    PollStep, ResultsVisibility, ServerMsg,
};
use plenum_tests::*;

const EVENT: &str = "EXPORT";
const F: Fixture = Fixture(EVENT);

#[tokio::test]
async fn organisers_export_exact_results_as_json_and_csv() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, EVENT)
        .await
        .unwrap();
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    let mut eva = Member::attendee(&server, EVENT, "Eva \"E\" Lind", &F.room()).await;
    let mut bo = Member::attendee(&server, EVENT, "Bo", &F.room()).await;

    let tricky = "Budget, timeline, and \"risks\"?\nSecond line";
    let ServerMsg::Ok {
        question: Some(q), ..
    } = ok(eva
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: tricky.into(),
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
    ok(eva
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: "Anonymous one".into(),
            anonymous: true,
        })
        .await);
    // Text that a spreadsheet would run as a formula.
    let formula = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    ok(bo
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: formula.into(),
            anonymous: false,
        })
        .await);

    // A poll whose results the audience never sees: the export still has them.
    let draft = PollDraft {
        question: "Best format?".into(),
        kind: PollKind::Single {
            options: vec!["Onsite".into(), "Online, hybrid".into()],
        },
        visibility: ResultsVisibility::Never,
        duration_s: None,
    };
    let ServerMsg::Ok { poll: Some(p), .. } = ok(organiser
        .ask(ClientMsg::CreatePoll {
            event: F.ev(),
            session: F.s1(),
            poll: draft,
        })
        .await)
    else {
        panic!()
    };
    ok(organiser
        .ask(ClientMsg::RunPoll {
            event: F.ev(),
            session: F.s1(),
            poll: p,
            step: PollStep::Open,
        })
        .await);
    for m in [&mut eva, &mut bo] {
        ok(m.ask(ClientMsg::Vote {
            event: F.ev(),
            session: F.s1(),
            poll: p,
            answer: Answer::Single { option: 1 },
        })
        .await);
    }
    let award = AwardDraft {
        title: "Best pitch".into(),
        candidates: vec![
            Candidate {
                name: "A".into(),
                organisation: None,
            },
            Candidate {
                name: "B".into(),
                organisation: None,
            },
        ],
        voters: AwardVoters::Everyone,
    };
    let ServerMsg::Ok { award: Some(a), .. } = ok(organiser
        .ask(ClientMsg::CreateAward {
            event: F.ev(),
            session: F.s1(),
            award,
        })
        .await)
    else {
        panic!()
    };
    ok(organiser
        .ask(ClientMsg::RunAward {
            event: F.ev(),
            session: F.s1(),
            award: a,
            step: AwardStep::Open,
        })
        .await);
    ok(bo
        .ask(ClientMsg::CastAward {
            event: F.ev(),
            session: F.s1(),
            award: a,
            candidate: 1,
        })
        .await);
    ok(organiser
        .ask(ClientMsg::RunAward {
            event: F.ev(),
            session: F.s1(),
            award: a,
            step: AwardStep::Close,
        })
        .await);

    // Attendees may not export.
    let eva_token = http.join(EVENT, Some("Eva2")).await.unwrap();
    let refused = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export.json"),
            Some(&eva_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(refused.status, 403);

    // Exact now, without waiting for coalesced tallies.
    let json = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export.json?session=s1"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(json.status, 200, "{}", json.body);
    let s = &json.body["sessions"][0];
    assert_eq!(json.body["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(s["questions"][0]["text"], tricky);
    assert_eq!(s["questions"][0]["votes"], 1);
    assert!(
        s["questions"][0]["asker"].get("id").is_none(),
        "exports name askers, never by id"
    );
    assert_eq!(
        s["polls"][0]["results"]["counts"],
        serde_json::json!([0, 2])
    );
    assert_eq!(s["awards"][0]["counts"], serde_json::json!([0, 1]));
    let whole = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export.json"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        whole.body["sessions"].as_array().unwrap().len(),
        3,
        "every session of the agenda"
    );

    // CSV that a spreadsheet reads back unchanged.
    let csv_of = |table: &str| {
        let http = server.http();
        let key = server.organiser_key.clone();
        let path = format!("/api/events/{EVENT}/export/{table}");
        async move {
            let a = http.send("GET", &path, Some(&key), None).await.unwrap();
            assert_eq!(a.status, 200);
            let text = a.body.as_str().unwrap().to_owned();
            let mut r = csv::Reader::from_reader(text.as_bytes());
            r.records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        }
    };
    let questions = csv_of("questions.csv").await;
    assert_eq!(questions.len(), 3);
    assert_eq!(questions[0][6], tricky);
    assert_eq!(questions[0][5], "Eva \"E\" Lind");
    assert_eq!(questions[1][5], "(anonymous)");
    // A formula is text in the spreadsheet (a leading apostrophe), and verbatim in the JSON.
    assert_eq!(questions[2][6], format!("'{formula}"));
    assert_eq!(
        s["questions"][2]["text"], formula,
        "the JSON keeps it as typed"
    );
    let polls = csv_of("polls.csv").await;
    assert_eq!(
        polls
            .iter()
            .map(|r| (r[6].as_str(), r[7].as_str()))
            .collect::<Vec<_>>(),
        vec![("Onsite", "0"), ("Online, hybrid", "2")]
    );
    let awards = csv_of("awards.csv").await;
    assert_eq!(
        awards
            .iter()
            .map(|r| (r[5].as_str(), r[6].as_str()))
            .collect::<Vec<_>>(),
        vec![("A", "0"), ("B", "1")]
    );
    let missing = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export/people.csv"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(missing.status, 404);
}
