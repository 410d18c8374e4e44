//! Exports: an event's (or one session's) questions, poll results, award results and quizzes,
//! exact and complete for organisers (one session's for its staff too), as JSON, as CSV that
//! spreadsheets read back unchanged (but for text that starts like a formula, which is written
//! as text) and as an XLSX workbook; times in the event's zone.

use calamine::{Data, Reader as _};
use chrono::{Offset, TimeZone};
use plenum_protocol::{
    Answer, AwardDraft, AwardStep, AwardVoters, Candidate, ClientMsg, PollDraft, PollKind,
    PollStep, QuizDraft, QuizQuestion, QuizStep, ResultsVisibility, ServerMsg, Watching,
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

    // A quiz, run by a speaker of s1 only: Eva right, Bo wrong.
    let speaker_token = http
        .invited_token(&server.organiser_key, EVENT, "speaker", "Sofia", &["s1"])
        .await
        .unwrap();
    let mut speaker = Member::following(
        Ws::connect(&server.ws_url(), &speaker_token).await.unwrap(),
        &F.room(),
    )
    .await;
    let quiz = QuizDraft {
        title: "Björn's quiz".into(),
        questions: vec![QuizQuestion {
            text: "Is Skåne in Sweden?".into(),
            options: vec!["Yes".into(), "No".into()],
            correct: 0,
            seconds: 60,
        }],
    };
    let ServerMsg::Ok { quiz: Some(z), .. } = ok(speaker
        .ask(ClientMsg::CreateQuiz {
            event: F.ev(),
            session: F.s1(),
            quiz,
        })
        .await)
    else {
        panic!()
    };
    let run = |step| ClientMsg::RunQuiz {
        event: F.ev(),
        session: F.s1(),
        quiz: z,
        step,
    };
    ok(speaker.ask(run(QuizStep::Next)).await);
    for (m, option) in [(&mut eva, 0), (&mut bo, 1)] {
        ok(m.ask(ClientMsg::AnswerQuiz {
            event: F.ev(),
            session: F.s1(),
            quiz: z,
            question: 0,
            option,
            watching: Watching::Onsite,
        })
        .await);
    }
    ok(speaker.ask(run(QuizStep::Reveal)).await);
    ok(speaker.ask(run(QuizStep::Finish)).await);

    // A session's staff export that session, and nothing wider.
    for (path, want) in [
        ("export.json?session=s1", 200),
        ("export/quizzes.csv?session=s1", 200),
        ("export.xlsx?session=s1", 200),
        ("export.json?session=s2", 403),
        ("export.json", 403),
        ("export.xlsx", 403),
    ] {
        let (status, _, _) = http
            .get_bytes_as(&format!("/api/events/{EVENT}/{path}"), Some(&speaker_token))
            .await
            .unwrap();
        assert_eq!(status, want, "a speaker of s1 asking for {path}");
    }
    // The award is closed but its winner not revealed: its counts would name the winner, so a
    // speaker's export has none (the organiser's has them, below).
    let theirs = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export.json?session=s1"),
            Some(&speaker_token),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        theirs.body["sessions"][0]["awards"][0]["award"]["status"],
        "closed"
    );
    assert!(
        theirs.body["sessions"][0]["awards"][0]
            .get("counts")
            .is_none(),
        "a speaker learnt the winner before the reveal: {}",
        theirs.body
    );
    let unknown = http
        .send(
            "GET",
            &format!("/api/events/{EVENT}/export.json?session=nope"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (unknown.status, unknown.body["field"].as_str()),
        (404, Some("session"))
    );

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
        s["questions"][1]["asker"].get("name").is_none(),
        "a question asked anonymously names nobody in the export: {}",
        s["questions"][1]
    );
    assert!(
        s["questions"][0]["asker"].get("id").is_none(),
        "exports name askers, never by id"
    );
    assert_eq!(
        s["polls"][0]["results"]["counts"],
        serde_json::json!([0, 2])
    );
    assert_eq!(s["awards"][0]["counts"], serde_json::json!([0, 1]));
    assert_eq!(json.body["time_zone"], "Europe/Stockholm");
    let z = &s["quizzes"][0];
    assert_eq!(z["chosen"], serde_json::json!([[1, 1]]));
    assert_eq!(z["quiz"]["questions"][0]["correct"], 0);
    assert_eq!(z["ranking"][0]["name"], "Eva \"E\" Lind");
    assert_eq!(z["ranking"][1]["score"], 0);
    assert_eq!(z["ranking"][1]["rank"], 2);
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
            let (status, kind, body) = http.get_bytes_as(&path, Some(&key)).await.unwrap();
            assert_eq!(status, 200);
            assert_eq!(kind, "text/csv; charset=utf-8");
            // A byte order mark, so Excel reads UTF-8 ("Björn", "Skåne").
            let text = String::from_utf8(body).unwrap();
            let text = text
                .strip_prefix('\u{feff}')
                .expect("a CSV export starts with a byte order mark")
                .to_owned();
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
    // Times in the event's zone, ISO 8601 with its offset: the same moment as the JSON's.
    let asked = chrono::DateTime::parse_from_rfc3339(&questions[0][4]).unwrap();
    let asked_ms = s["questions"][0]["asked_at_ms"].as_i64().unwrap();
    assert_eq!(asked.timestamp(), asked_ms.div_euclid(1000));
    let stockholm = chrono_tz::Europe::Stockholm
        .offset_from_utc_datetime(&asked.naive_utc())
        .fix();
    assert_eq!(*asked.offset(), stockholm, "{}", questions[0][4]);
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
    let quizzes = csv_of("quizzes.csv").await;
    assert_eq!(
        quizzes
            .iter()
            .map(|r| (r[5].as_str(), r[6].as_str(), r[7].as_str(), r[8].as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("Is Skåne in Sweden?", "Yes", "yes", "1"),
            ("Is Skåne in Sweden?", "No", "no", "1")
        ]
    );
    let scores = csv_of("quiz_scores.csv").await;
    assert_eq!(
        scores
            .iter()
            .map(|r| (r[3].as_str(), r[4].as_str()))
            .collect::<Vec<_>>(),
        vec![("1", "Eva \"E\" Lind"), ("2", "Bo")]
    );
    assert_eq!(scores[1][5], "0");

    // The workbook: every table a sheet, typed cells, times as date-times.
    let (status, kind, body) = http
        .get_bytes_as(
            &format!("/api/events/{EVENT}/export.xlsx"),
            Some(&server.organiser_key),
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(body)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "event",
            "questions",
            "polls",
            "awards",
            "quizzes",
            "quiz_scores",
            "harvests"
        ]
    );
    let about = book.worksheet_range("event").unwrap();
    assert_eq!(
        about.get_value((2, 1)),
        Some(&Data::String("Europe/Stockholm".into()))
    );
    let sheet = book.worksheet_range("questions").unwrap();
    assert_eq!(sheet.get_value((1, 6)), Some(&Data::String(tricky.into())));
    assert_eq!(
        sheet.get_value((3, 6)),
        Some(&Data::String(formula.into())),
        "a string cell holds a formula's text as text"
    );
    assert_eq!(sheet.get_value((1, 3)), Some(&Data::Float(1.0)));
    let Some(Data::DateTime(when)) = sheet.get_value((1, 4)) else {
        panic!("asked_at is a date-time: {:?}", sheet.get_value((1, 4)));
    };
    // An Excel serial date counts days from 1899-12-30; 25569 is 1970-01-01.
    let seconds = ((when.as_f64() - 25569.0) * 86400.0).round() as i64;
    assert_eq!(seconds, asked.naive_local().and_utc().timestamp());
    let quiz_sheet = book.worksheet_range("quizzes").unwrap();
    assert_eq!(quiz_sheet.get_value((1, 8)), Some(&Data::Float(1.0)));

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
