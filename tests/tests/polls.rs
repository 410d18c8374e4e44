//! Polls through the protocol: lifecycle, who sees results when, exact counts with one ballot
//! per person under load, timers, word clouds and moderated texts, refusals, restarts.

use plenum_protocol::{
    Answer, ClientMsg, ErrorCode, PollDraft, PollId, PollKind, PollResults, PollStatus, PollStep,
    ResultsVisibility, RoomEvent, ServerMsg, WordCount,
};
use plenum_tests::*;
use std::time::Duration;

const EVENT: &str = "POLLS";
const F: Fixture = Fixture(EVENT);

/// The sequence number and the new poll of a request that succeeded.
fn created(msg: &ServerMsg) -> (u64, Option<PollId>) {
    match ok(msg.clone()) {
        ServerMsg::Ok { seq, poll, .. } => (seq.expect("a sequence number"), poll),
        _ => unreachable!("ok() checked it"),
    }
}

fn draft(kind: PollKind, visibility: ResultsVisibility) -> PollDraft {
    PollDraft {
        question: "Which one?".into(),
        kind,
        visibility,
        duration_s: None,
    }
}

fn options(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("Option {i}")).collect()
}

fn create(poll: PollDraft) -> ClientMsg {
    ClientMsg::CreatePoll {
        event: F.ev(),
        session: F.s1(),
        poll,
    }
}

fn step(poll: PollId, step: PollStep) -> ClientMsg {
    ClientMsg::RunPoll {
        event: F.ev(),
        session: F.s1(),
        poll,
        step,
    }
}

fn vote(poll: PollId, answer: Answer) -> ClientMsg {
    ClientMsg::Vote {
        event: F.ev(),
        session: F.s1(),
        poll,
        answer,
    }
}

/// Creates and opens a poll; returns its id.
async fn open(speaker: &mut Member, poll: PollDraft) -> PollId {
    let (_, id) = created(&speaker.ask(create(poll)).await);
    let id = id.expect("the answer names the poll");
    created(&speaker.ask(step(id, PollStep::Open)).await);
    id
}

#[tokio::test]
async fn a_poll_goes_from_draft_to_open_to_closed_with_exact_results() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let mut bo = F.attendee(&server, "Bo").await;

    let (seq, id) = created(
        &sofia
            .ask(create(draft(
                PollKind::Single {
                    options: options(3),
                },
                ResultsVisibility::Live,
            )))
            .await,
    );
    let id = id.unwrap();
    eva.catch_up_to(seq).await;
    assert!(
        eva.session().polls.is_empty(),
        "drafts are for speakers only"
    );
    assert_eq!(sofia.session().poll(id).unwrap().status, PollStatus::Draft);
    // Nobody votes in a draft.
    assert_eq!(
        refused(&eva.ask(vote(id, Answer::Single { option: 0 })).await),
        ErrorCode::Conflict
    );

    created(&sofia.ask(step(id, PollStep::Open)).await);
    created(&eva.ask(vote(id, Answer::Single { option: 0 })).await);
    // Eva changes her mind: still one ballot.
    created(&eva.ask(vote(id, Answer::Single { option: 2 })).await);
    created(&bo.ask(vote(id, Answer::Single { option: 2 })).await);
    assert_eq!(
        refused(&bo.ask(vote(id, Answer::Single { option: 3 })).await),
        ErrorCode::BadRequest
    );
    assert_eq!(
        refused(&bo.ask(vote(id, Answer::Rating { value: 1 })).await),
        ErrorCode::BadRequest
    );

    let (seq, _) = created(&sofia.ask(step(id, PollStep::Close)).await);
    eva.catch_up_to(seq).await;
    let poll = eva.session().poll(id).unwrap().clone();
    assert_eq!(poll.status, PollStatus::Closed);
    assert_eq!(poll.ballots, 2);
    assert_eq!(
        poll.results,
        Some(PollResults::Choices {
            counts: vec![0, 0, 2]
        })
    );

    // A vote after the close is refused and changes nothing.
    assert_eq!(
        refused(&bo.ask(vote(id, Answer::Single { option: 1 })).await),
        ErrorCode::Conflict
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    let fresh = F.attendee(&server, "Fresh").await;
    assert_eq!(
        fresh.session().poll(id).unwrap().results,
        Some(PollResults::Choices {
            counts: vec![0, 0, 2]
        })
    );
    // An attendee cannot run polls.
    assert_eq!(
        refused(
            &eva.ask(create(draft(PollKind::WordCloud, ResultsVisibility::Live)))
                .await
        ),
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&eva.ask(step(id, PollStep::Reveal)).await),
        ErrorCode::Forbidden
    );
}

#[tokio::test]
async fn hidden_results_reach_the_audience_only_when_revealed() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let on_reveal = open(
        &mut sofia,
        draft(PollKind::Rating { scale: 5 }, ResultsVisibility::OnReveal),
    )
    .await;
    let never = open(
        &mut sofia,
        draft(PollKind::Rating { scale: 5 }, ResultsVisibility::Never),
    )
    .await;
    for poll in [on_reveal, never] {
        created(&eva.ask(vote(poll, Answer::Rating { value: 4 })).await);
    }
    // Speakers see results as they come; the audience sees how many answered, nothing more.
    sofia
        .until_session(|s| {
            [on_reveal, never]
                .iter()
                .all(|p| s.poll(*p).is_some_and(|p| p.results.is_some()))
        })
        .await;
    eva.until_session(|s| {
        [on_reveal, never]
            .iter()
            .all(|p| s.poll(*p).is_some_and(|p| p.ballots == 1))
    })
    .await;
    assert!(eva.session().polls.iter().all(|p| p.results.is_none()));

    let (seq, _) = created(&sofia.ask(step(on_reveal, PollStep::Reveal)).await);
    created(&sofia.ask(step(never, PollStep::Close)).await);
    eva.catch_up_to(seq + 1).await;
    let s = eva.session();
    assert_eq!(
        s.poll(on_reveal).unwrap().results,
        Some(PollResults::Rating {
            counts: vec![0, 0, 0, 1, 0]
        })
    );
    assert_eq!(
        s.poll(never).unwrap().results,
        None,
        "never means never, closed or not"
    );
    // A newcomer's snapshot agrees, and carries no answers of anyone else's.
    let late = F.attendee(&server, "Late").await;
    assert_eq!(late.session().poll(never).unwrap().results, None);
    assert!(late.session().poll(on_reveal).unwrap().results.is_some());
    assert!(late.session().polls.iter().all(|p| p.mine.is_none()));
}

#[tokio::test]
async fn your_own_answer_comes_back_after_a_reconnect() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let id = open(
        &mut sofia,
        draft(
            PollKind::Multiple {
                options: options(4),
                max: 2,
            },
            ResultsVisibility::Live,
        ),
    )
    .await;
    let token = server.http().join(EVENT, Some("Eva")).await.unwrap();
    let mut eva = Member::following(
        Ws::connect(&server.ws_url(), &token).await.unwrap(),
        &F.room(),
    )
    .await;
    created(
        &eva.ask(vote(
            id,
            Answer::Multiple {
                options: vec![3, 1],
            },
        ))
        .await,
    );
    eva.ws.close().await;
    let eva = Member::following(
        Ws::connect(&server.ws_url(), &token).await.unwrap(),
        &F.room(),
    )
    .await;
    assert_eq!(
        eva.session().poll(id).unwrap().mine,
        Some(Answer::Multiple {
            options: vec![1, 3]
        })
    );
}

#[tokio::test]
async fn a_timed_poll_closes_by_itself() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let poll = PollDraft {
        duration_s: Some(1),
        ..draft(
            PollKind::Single {
                options: options(2),
            },
            ResultsVisibility::Live,
        )
    };
    let id = open(&mut sofia, poll).await;
    assert!(sofia.session().poll(id).unwrap().closes_at_ms.is_some());
    created(&eva.ask(vote(id, Answer::Single { option: 1 })).await);
    tokio::time::timeout(
        Duration::from_secs(10),
        eva.until_session(|s| s.poll(id).is_some_and(|p| p.status == PollStatus::Closed)),
    )
    .await
    .expect("the timer closes the poll");
    assert_eq!(
        eva.session().poll(id).unwrap().results,
        Some(PollResults::Choices { counts: vec![0, 1] })
    );
    assert_eq!(
        refused(&eva.ask(vote(id, Answer::Single { option: 0 })).await),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn word_clouds_normalise_and_moderated_texts_wait_for_approval() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let mut maria = Member::invited(&server, EVENT, "moderator", "Maria", &F.room()).await;
    let mut people = Vec::new();
    for name in ["A", "B", "C"] {
        people.push(F.attendee(&server, name).await);
    }
    let cloud = open(
        &mut sofia,
        draft(PollKind::WordCloud, ResultsVisibility::Live),
    )
    .await;
    let words = [
        vec!["Green Deal", "AI"],
        vec!["  green   deal "],
        vec!["ai", "AI", "Skills"],
    ];
    for (p, w) in people.iter_mut().zip(words) {
        created(
            &p.ask(vote(
                cloud,
                Answer::Words {
                    words: w.into_iter().map(String::from).collect(),
                },
            ))
            .await,
        );
    }
    assert_eq!(
        refused(
            &people[0]
                .ask(vote(
                    cloud,
                    Answer::Words {
                        words: vec!["a".into(), "b".into(), "c".into(), "d".into()]
                    }
                ))
                .await
        ),
        ErrorCode::BadRequest
    );
    let want = PollResults::Words {
        words: vec![
            WordCount {
                word: "ai".into(),
                count: 2,
            },
            WordCount {
                word: "green deal".into(),
                count: 2,
            },
            WordCount {
                word: "skills".into(),
                count: 1,
            },
        ],
    };
    people[0]
        .until_session(|s| {
            s.poll(cloud)
                .is_some_and(|p| p.results.as_ref() == Some(&want))
        })
        .await;

    let texts = open(
        &mut sofia,
        draft(
            PollKind::OpenText { moderated: true },
            ResultsVisibility::Live,
        ),
    )
    .await;
    created(
        &people[0]
            .ask(vote(
                texts,
                Answer::Text {
                    text: "More coffee".into(),
                },
            ))
            .await,
    );
    created(
        &people[1]
            .ask(vote(
                texts,
                Answer::Text {
                    text: "<script>alert(1)</script>".into(),
                },
            ))
            .await,
    );
    // Moderators see both, unapproved; the audience sees none.
    maria
        .until_session(|s| matches!(s.poll(texts).and_then(|p| p.results.as_ref()), Some(PollResults::Texts { answers, .. }) if answers.len() == 2))
        .await;
    let Some(PollResults::Texts { answers, .. }) =
        maria.session().poll(texts).unwrap().results.clone()
    else {
        panic!()
    };
    let coffee = answers
        .iter()
        .find(|a| a.text == "More coffee")
        .unwrap()
        .id
        .clone();
    assert!(answers.iter().all(|a| !a.approved));
    people[2]
        .until_session(|s| s.poll(texts).is_some_and(|p| p.ballots == 2))
        .await;
    assert_eq!(
        people[2].session().poll(texts).unwrap().results,
        Some(PollResults::Texts {
            answers: vec![],
            total: 0,
            approved: 0
        })
    );
    // Only the session's moderators and speakers approve.
    let approve = |approved| ClientMsg::ApproveText {
        event: F.ev(),
        session: F.s1(),
        poll: texts,
        answer: coffee.clone(),
        approved,
    };
    assert_eq!(
        refused(&people[2].ask(approve(true)).await),
        ErrorCode::Forbidden
    );
    created(&maria.ask(approve(true)).await);
    people[2]
        .until_session(|s| matches!(s.poll(texts).and_then(|p| p.results.as_ref()), Some(PollResults::Texts { answers, .. }) if answers.len() == 1 && answers[0].text == "More coffee"))
        .await;
    // Unknown answers are refused; approving after the close still reaches everyone.
    let unknown = ClientMsg::ApproveText {
        event: F.ev(),
        session: F.s1(),
        poll: texts,
        answer: "nope".into(),
        approved: true,
    };
    assert_eq!(refused(&maria.ask(unknown).await), ErrorCode::NotFound);
    created(&sofia.ask(step(texts, PollStep::Close)).await);
    let Some(PollResults::Texts { answers, .. }) =
        maria.session().poll(texts).unwrap().results.clone()
    else {
        panic!()
    };
    let other = answers
        .iter()
        .find(|a| a.text != "More coffee")
        .unwrap()
        .id
        .clone();
    let late = ClientMsg::ApproveText {
        event: F.ev(),
        session: F.s1(),
        poll: texts,
        answer: other,
        approved: true,
    };
    // The speaker who asked shows this one: their poll's answers are theirs to show.
    created(&sofia.ask(late).await);
    people[2]
        .until_session(|s| matches!(s.poll(texts).and_then(|p| p.results.as_ref()), Some(PollResults::Texts { answers, .. }) if answers.len() == 2))
        .await;
}

#[tokio::test]
async fn rankings_are_scored_by_borda_count() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let id = open(
        &mut sofia,
        draft(
            PollKind::Ranking {
                options: options(3),
            },
            ResultsVisibility::Live,
        ),
    )
    .await;
    for (i, order) in [[0, 1, 2], [1, 0, 2], [1, 2, 0]].into_iter().enumerate() {
        let mut p = F.attendee(&server, &format!("R{i}")).await;
        created(
            &p.ask(vote(
                id,
                Answer::Ranking {
                    order: order.to_vec(),
                },
            ))
            .await,
        );
    }
    let (seq, _) = created(&sofia.ask(step(id, PollStep::Close)).await);
    sofia.catch_up_to(seq).await;
    assert_eq!(
        sofia.session().poll(id).unwrap().results,
        Some(PollResults::Ranking {
            scores: vec![3, 5, 1]
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_people_voting_and_upvoting_at_once_are_counted_exactly() {
    const PEOPLE: usize = 2000;
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let id = open(
        &mut sofia,
        draft(
            PollKind::Single {
                options: options(4),
            },
            ResultsVisibility::Live,
        ),
    )
    .await;
    let ServerMsg::Ok {
        question: Some(question),
        ..
    } = sofia
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: "Shared question".into(),
            anonymous: false,
        })
        .await
    else {
        panic!("asking failed")
    };
    // Someone who only listens counts what the storm costs in broadcasts.
    let mut observer = F.attendee(&server, "Observer").await;
    let mut voters = Vec::new();
    for i in 0..PEOPLE {
        let url = server.ws_url();
        let http = server.http();
        voters.push(tokio::spawn(async move {
            let token = http.join(EVENT, Some(&format!("P{i}"))).await.unwrap();
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            // Everyone first votes 0, then settles on i % 4; every 50th also votes from a
            // second device. One ballot per person whatever they do.
            for option in [0, (i % 4) as u32] {
                let r = ws
                    .request(&vote(id, Answer::Single { option }))
                    .await
                    .unwrap();
                assert!(matches!(ws.reply(r).await.unwrap(), ServerMsg::Ok { .. }));
            }
            // Everyone also upvotes the question, in the same storm.
            let up = ClientMsg::Upvote {
                event: F.ev(),
                session: F.s1(),
                question,
                up: true,
            };
            let r = ws.request(&up).await.unwrap();
            assert!(matches!(ws.reply(r).await.unwrap(), ServerMsg::Ok { .. }));
            if i % 50 == 0 {
                let mut second = Ws::connect(&url, &token).await.unwrap();
                let r = second
                    .request(&vote(
                        id,
                        Answer::Single {
                            option: (i % 4) as u32,
                        },
                    ))
                    .await
                    .unwrap();
                assert!(matches!(
                    second.reply(r).await.unwrap(),
                    ServerMsg::Ok { .. }
                ));
                let r = second.request(&up).await.unwrap();
                assert!(matches!(
                    second.reply(r).await.unwrap(),
                    ServerMsg::Ok { .. }
                ));
            }
            ws
        }));
    }
    let mut connections = Vec::new();
    for v in voters {
        connections.push(v.await.unwrap());
    }
    // The close's answer carries the sequence number of its final results.
    let (seq, _) = created(&sofia.ask(step(id, PollStep::Close)).await);
    let mut result_events = 0;
    while observer.view.seq < seq {
        let m = observer.ws.recv().await.unwrap();
        if matches!(
            &m,
            ServerMsg::Event {
                event: RoomEvent::PollResults { .. },
                ..
            }
        ) {
            result_events += 1;
        }
        observer.view.take(&m).unwrap();
    }
    assert!(result_events >= 1, "the final results at least");
    sofia.catch_up_to(seq).await;
    let poll = sofia.session().poll(id).unwrap().clone();
    assert_eq!(poll.ballots, PEOPLE as u64);
    let quarter = (PEOPLE / 4) as u64;
    assert_eq!(
        poll.results,
        Some(PollResults::Choices {
            counts: vec![quarter; 4]
        })
    );
    assert!(
        result_events < 100,
        "{result_events} result broadcasts for {} votes",
        PEOPLE * 2
    );
    eprintln!(
        "poll storm: {} ballots, {result_events} result broadcasts",
        PEOPLE * 2 + PEOPLE / 50
    );
    // Upvotes from the same storm: one per person, both devices counted once.
    sofia
        .until_session(|s| s.qa.get(question).is_some_and(|q| q.votes == PEOPLE as u64))
        .await;
    drop(connections);
}

#[tokio::test]
async fn ballots_survive_a_restart_and_still_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = || TestConfig {
        data_dir: Some(dir.path().into()),
        ..Default::default()
    };
    let mut server = F.server(config()).await;
    let mut sofia = F.speaker(&server).await;
    let id = open(
        &mut sofia,
        draft(
            PollKind::Single {
                options: options(2),
            },
            ResultsVisibility::Live,
        ),
    )
    .await;
    let mut tokens = Vec::new();
    for i in 0..3 {
        let token = server
            .http()
            .join(EVENT, Some(&format!("V{i}")))
            .await
            .unwrap();
        let mut m = Member::following(
            Ws::connect(&server.ws_url(), &token).await.unwrap(),
            &F.room(),
        )
        .await;
        created(&m.ask(vote(id, Answer::Single { option: 1 })).await);
        tokens.push(token);
    }
    server.stop().await;
    let server = TestServer::start_with(config()).await;
    for token in &tokens {
        let mut m = Member::following(
            Ws::connect(&server.ws_url(), token).await.unwrap(),
            &F.room(),
        )
        .await;
        assert_eq!(
            m.session().poll(id).unwrap().mine,
            Some(Answer::Single { option: 1 })
        );
        created(&m.ask(vote(id, Answer::Single { option: 0 })).await);
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fresh = F.attendee(&server, "Fresh").await;
    let poll = fresh.session().poll(id).unwrap().clone();
    assert_eq!(
        (poll.ballots, poll.results),
        (3, Some(PollResults::Choices { counts: vec![3, 0] }))
    );
}

#[tokio::test]
async fn a_draft_is_edited_and_an_opened_poll_is_not() {
    let server = F.server(TestConfig::default()).await;
    let mut sofia = F.speaker(&server).await;
    let mut ada = F.attendee(&server, "Ada").await;
    let p = F
        .single_poll(
            &mut sofia,
            "Best format?",
            &["Onsite", "Online"],
            ResultsVisibility::Live,
        )
        .await;
    let edit = |question: &str| ClientMsg::EditPoll {
        event: F.ev(),
        session: F.s1(),
        poll: p,
        draft: PollDraft {
            question: question.into(),
            kind: PollKind::Single {
                options: vec!["Onsite".into(), "Online".into(), "Hybrid".into()],
            },
            visibility: ResultsVisibility::OnReveal,
            duration_s: None,
        },
    };
    assert_eq!(
        refused(&ada.ask(edit("Mine now")).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&sofia.ask(edit("   ")).await),
        ErrorCode::BadRequest,
        "the same checks as creating it"
    );
    let ServerMsg::Ok {
        poll: Some(same), ..
    } = ok(sofia.ask(edit("Which format?")).await)
    else {
        panic!()
    };
    assert_eq!(same, p);
    sofia
        .until_session(|s| s.poll(p).is_some_and(|x| x.question == "Which format?"))
        .await;
    let edited = sofia.session().poll(p).cloned().unwrap();
    assert_eq!(edited.visibility, ResultsVisibility::OnReveal);
    assert_eq!(edited.status, PollStatus::Draft);
    F.run_poll(&mut sofia, p, PollStep::Open).await;
    assert_eq!(
        refused(&sofia.ask(edit("Too late")).await),
        ErrorCode::Conflict
    );
}
