//! Q&A through the protocol: who sees what, moderation, votes counted exactly once per person
//! and published coalesced, refusals that change nothing, and votes that survive a restart.

use plenum_protocol::{
    ClientMsg, ErrorCode, Moderate, Moderation, QaSettings, QuestionId, QuestionStatus, RoomEvent,
    RoomState, ServerMsg,
};
use plenum_tests::*;
use std::time::Duration;

const EVENT: &str = "QANDA";
const F: Fixture = Fixture(EVENT);

async fn following(ws: Ws) -> Member {
    Member::following(ws, &F.room()).await
}

fn qa(view: &Mirror) -> plenum_protocol::QaState {
    match view.state.as_ref().unwrap() {
        RoomState::Session(s) => s.qa.clone(),
        other => panic!("{other:?}"),
    }
}

fn ask(text: &str, anonymous: bool) -> ClientMsg {
    ClientMsg::Ask {
        event: F.ev(),
        session: F.s1(),
        text: text.into(),
        anonymous,
    }
}

fn moderate(question: QuestionId, change: Moderate) -> ClientMsg {
    ClientMsg::Moderate {
        event: F.ev(),
        session: F.s1(),
        question,
        change,
    }
}

fn upvote(question: QuestionId, up: bool) -> ClientMsg {
    ClientMsg::Upvote {
        event: F.ev(),
        session: F.s1(),
        question,
        up,
    }
}

fn answered(msg: &ServerMsg) -> (u64, Option<QuestionId>) {
    match msg {
        ServerMsg::Ok { seq, question, .. } => (seq.unwrap(), *question),
        other => panic!("refused: {other:?}"),
    }
}

#[tokio::test]
async fn open_questions_appear_for_everyone_without_anyones_id() {
    let server = F.server(TestConfig::default()).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let mut bo = F.attendee(&server, "Bo").await;

    let (seq, id) = answered(&eva.ask(ask("  How do we fund this?  ", false)).await);
    let id = id.expect("the answer names the new question");
    let (_, anon) = answered(&eva.ask(ask("And who decides?", true)).await);
    let anon = anon.unwrap();
    bo.catch_up_to(seq + 1).await;

    let seen = qa(&bo.view);
    let q = seen.questions.iter().find(|q| q.id == id).unwrap();
    assert_eq!(q.text, "How do we fund this?");
    assert_eq!(q.status, QuestionStatus::Live);
    assert_eq!(q.asker.name.as_deref(), Some("Eva"));
    assert_eq!(q.asker.id, None, "nobody else's id is shown");
    let a = seen.questions.iter().find(|q| q.id == anon).unwrap();
    assert_eq!(
        (a.asker.id.as_deref(), a.asker.name.as_deref()),
        (None, None)
    );
    // The asker recognises their own questions.
    let mine = qa(&eva.view);
    assert_eq!(
        mine.questions
            .iter()
            .find(|q| q.id == anon)
            .unwrap()
            .asker
            .id
            .as_deref(),
        Some(eva.id.as_str())
    );
}

#[tokio::test]
async fn reviewed_questions_wait_for_a_moderator_and_dismissals_reach_their_asker() {
    let server = F.server(TestConfig::default()).await;
    let mut moderator = F.moderator(&server).await;
    let settings = QaSettings {
        moderation: Moderation::Reviewed,
        ..QaSettings::default()
    };
    answered(
        &moderator
            .ask(ClientMsg::SetQaSettings {
                event: F.ev(),
                session: F.s1(),
                settings,
            })
            .await,
    );
    let mut eva = F.attendee(&server, "Eva").await;
    let mut bo = F.attendee(&server, "Bo").await;

    let (_, q1) = answered(&eva.ask(ask("First?", false)).await);
    let (seq, q2) = answered(&eva.ask(ask("Second?", false)).await);
    let (q1, q2) = (q1.unwrap(), q2.unwrap());
    // Bo sees only that two questions wait; Eva sees hers; the moderator sees both.
    bo.catch_up_to(seq).await;
    assert!(qa(&bo.view).questions.is_empty());
    assert_eq!(qa(&bo.view).counts.waiting, 2);
    assert_eq!(qa(&eva.view).questions.len(), 2);
    moderator.catch_up_to(seq).await;
    let queue = qa(&moderator.view);
    assert!(
        queue
            .questions
            .iter()
            .all(|q| q.status == QuestionStatus::Pending)
    );
    assert_eq!(
        queue.questions[0].asker.id.as_deref(),
        Some(eva.id.as_str()),
        "moderators see who asked"
    );

    // An attendee cannot moderate, and trying changes nothing.
    assert_eq!(
        refused(&bo.ask(moderate(q1, Moderate::Approve)).await),
        ErrorCode::Forbidden
    );
    let before = bo.view.seq;

    answered(&moderator.ask(moderate(q1, Moderate::Approve)).await);
    let (seq, _) = answered(
        &moderator
            .ask(moderate(
                q2,
                Moderate::Dismiss {
                    reason: "Asked in the keynote already".into(),
                },
            ))
            .await,
    );
    assert_eq!(seq, before + 2);
    bo.catch_up_to(seq).await;
    eva.catch_up_to(seq).await;
    let public = qa(&bo.view);
    assert_eq!(
        public.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        vec![q1]
    );
    assert_eq!((public.counts.waiting, public.counts.dismissed), (0, 1));
    let own = qa(&eva.view);
    let dismissed = own.questions.iter().find(|q| q.id == q2).unwrap();
    assert_eq!(dismissed.status, QuestionStatus::Dismissed);
    assert_eq!(
        dismissed.dismissed_reason.as_deref(),
        Some("Asked in the keynote already")
    );

    // A reconnecting attendee's snapshot is their own view too.
    let token = server.http().join(EVENT, Some("Late")).await.unwrap();
    let late = following(Ws::connect(&server.ws_url(), &token).await.unwrap()).await;
    assert_eq!(qa(&late.view), qa(&bo.view));
    late.ws.close().await;

    // Reply, highlight, answered list.
    answered(
        &moderator
            .ask(moderate(
                q1,
                Moderate::Reply {
                    text: "Yes, in May.".into(),
                },
            ))
            .await,
    );
    let (seq, _) = answered(
        &moderator
            .ask(ClientMsg::Highlight {
                event: F.ev(),
                session: F.s1(),
                question: Some(q1),
            })
            .await,
    );
    bo.catch_up_to(seq).await;
    let public = qa(&bo.view);
    assert_eq!(public.highlighted, Some(q1));
    assert_eq!(public.questions[0].status, QuestionStatus::Answered);
    assert_eq!(
        public.questions[0].reply.as_ref().unwrap().text,
        "Yes, in May."
    );
    // Only a published question goes on the big screen.
    assert_eq!(
        refused(
            &moderator
                .ask(ClientMsg::Highlight {
                    event: F.ev(),
                    session: F.s1(),
                    question: Some(q2)
                })
                .await
        ),
        ErrorCode::Conflict
    );
}

#[tokio::test]
async fn askers_edit_and_withdraw_only_their_own_questions() {
    let server = F.server(TestConfig::default()).await;
    let mut eva = F.attendee(&server, "Eva").await;
    let mut bo = F.attendee(&server, "Bo").await;
    let (_, q) = answered(&eva.ask(ask("Typo quesiton", false)).await);
    let q = q.unwrap();
    let edit = |text: &str| ClientMsg::EditQuestion {
        event: F.ev(),
        session: F.s1(),
        question: q,
        text: text.into(),
    };
    assert_eq!(
        refused(&bo.ask(edit("Hijacked")).await),
        ErrorCode::Forbidden
    );
    answered(&eva.ask(edit("Typo question")).await);
    // Once someone votes for it, its text is fixed.
    answered(&bo.ask(upvote(q, true)).await);
    eva.until_qa(|qa| qa.get(q).is_some_and(|x| x.votes == 1))
        .await;
    assert_eq!(
        refused(&eva.ask(edit("Something else")).await),
        ErrorCode::Conflict
    );
    let withdraw = ClientMsg::WithdrawQuestion {
        event: F.ev(),
        session: F.s1(),
        question: q,
    };
    assert_eq!(
        refused(&bo.ask(withdraw.clone()).await),
        ErrorCode::Forbidden
    );
    let (seq, _) = answered(&eva.ask(withdraw).await);
    // The answer may come before the event it acknowledges: both views catch up to it.
    bo.catch_up_to(seq).await;
    eva.catch_up_to(seq).await;
    assert!(qa(&bo.view).get(q).is_none());
    assert_eq!(
        qa(&eva.view).get(q),
        None,
        "a withdrawn question leaves every view"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_people_voting_at_once_are_counted_exactly_and_published_coalesced() {
    const PEOPLE: usize = 2000;
    let server = F.server(TestConfig::default()).await;
    let mut observer = F.attendee(&server, "Observer").await;
    let (_, a) = answered(&observer.ask(ask("Question A", false)).await);
    let (_, b) = answered(&observer.ask(ask("Question B", false)).await);
    let (a, b) = (a.unwrap(), b.unwrap());

    // Everyone votes A; every second person votes B; every tenth of those takes it back.
    let mut voters = Vec::new();
    for i in 0..PEOPLE {
        let url = server.ws_url();
        let http = server.http();
        voters.push(tokio::spawn(async move {
            let token = http.join(EVENT, Some(&format!("P{i}"))).await.unwrap();
            let mut ws = Ws::connect(&url, &token).await.unwrap();
            let mut wants = vec![upvote(a, true)];
            if i % 2 == 0 {
                wants.push(upvote(b, true));
                if i % 20 == 0 {
                    wants.push(upvote(b, false));
                }
            }
            // The same person on a second device votes A again: still one vote.
            if i % 100 == 0 {
                let mut second = Ws::connect(&url, &token).await.unwrap();
                let id = second.request(&upvote(a, true)).await.unwrap();
                assert!(matches!(
                    second.reply(id).await.unwrap(),
                    ServerMsg::Ok { .. }
                ));
            }
            for msg in wants {
                let id = ws.request(&msg).await.unwrap();
                let reply = ws.reply(id).await.unwrap();
                assert!(matches!(reply, ServerMsg::Ok { .. }), "{reply:?}");
            }
            ws
        }));
    }
    let mut connections = Vec::new();
    for v in voters {
        connections.push(v.await.unwrap());
    }
    let want_b = (PEOPLE / 2 - PEOPLE / 20) as u64;
    let mut tally_events = 0;
    loop {
        let s = qa(&observer.view);
        if s.get(a).unwrap().votes == PEOPLE as u64 && s.get(b).unwrap().votes == want_b {
            break;
        }
        let m = tokio::time::timeout(Duration::from_secs(20), observer.ws.recv())
            .await
            .expect("tallies arrive")
            .unwrap();
        if matches!(
            &m,
            ServerMsg::Event {
                event: RoomEvent::Votes { .. },
                ..
            }
        ) {
            tally_events += 1;
        }
        observer.view.take(&m).unwrap();
    }
    eprintln!(
        "upvote storm: {} upvotes, {tally_events} tally broadcasts",
        PEOPLE + PEOPLE / 2 + PEOPLE / 100
    );
    // Thousands of votes, a handful of broadcasts (at most four a second).
    assert!(
        tally_events < 100,
        "{tally_events} tally events for {} votes",
        PEOPLE + PEOPLE / 2
    );
    // And the counts stay exact: no later event changes them.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fresh = F.attendee(&server, "Fresh").await;
    assert_eq!(qa(&fresh.view).get(a).unwrap().votes, PEOPLE as u64);
    assert_eq!(qa(&fresh.view).get(b).unwrap().votes, want_b);
    drop(connections);
}

#[tokio::test]
async fn merging_combines_votes_and_counts_nobody_twice() {
    let server = F.server(TestConfig::default()).await;
    let mut moderator = F.moderator(&server).await;
    let mut people = Vec::new();
    for name in ["A", "B", "C", "D"] {
        people.push(F.attendee(&server, name).await);
    }
    let (_, original) = answered(&people[0].ask(ask("Original", false)).await);
    let (_, duplicate) = answered(&people[1].ask(ask("Duplicate", false)).await);
    let (original, duplicate) = (original.unwrap(), duplicate.unwrap());
    // A and B vote the original; B, C and D vote the duplicate. B must count once.
    for (who, q) in [
        (0, original),
        (1, original),
        (1, duplicate),
        (2, duplicate),
        (3, duplicate),
    ] {
        answered(&people[who].ask(upvote(q, true)).await);
    }
    moderator
        .until_qa(|qa| {
            qa.get(original).is_some_and(|q| q.votes == 2)
                && qa.get(duplicate).is_some_and(|q| q.votes == 3)
        })
        .await;
    answered(
        &moderator
            .ask(moderate(duplicate, Moderate::Merge { into: original }))
            .await,
    );
    moderator
        .until_qa(|qa| qa.get(original).is_some_and(|q| q.votes == 4))
        .await;
    let s = qa(&moderator.view);
    assert_eq!(s.get(original).unwrap().merged, vec![duplicate]);
    assert_eq!(s.get(duplicate).unwrap().status, QuestionStatus::Merged);
    people[3]
        .until_qa(|qa| {
            qa.get(duplicate).is_none() && qa.get(original).is_some_and(|q| q.votes == 4)
        })
        .await;
    // Votes for the merged question are refused; voting the original again changes nothing.
    assert_eq!(
        refused(&people[2].ask(upvote(duplicate, true)).await),
        ErrorCode::Conflict
    );
    answered(&people[2].ask(upvote(original, true)).await);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fresh = F.attendee(&server, "Fresh").await;
    assert_eq!(qa(&fresh.view).get(original).unwrap().votes, 4);
}

#[tokio::test]
async fn blocked_people_cannot_ask_and_attendees_cannot_moderate() {
    let server = F.server(TestConfig::default()).await;
    let mut moderator = F.moderator(&server).await;
    let mut troll = F.attendee(&server, "Troll").await;
    let (_, q) = answered(&troll.ask(ask("Spam", false)).await);
    let q = q.unwrap();
    let troll_id = troll.id.clone();

    // Every moderator action, tried by an attendee, is refused and changes nothing.
    let before = troll.view.seq;
    for msg in [
        moderate(q, Moderate::Dismiss { reason: "x".into() }),
        moderate(q, Moderate::Archive),
        ClientMsg::Highlight {
            event: F.ev(),
            session: F.s1(),
            question: Some(q),
        },
        ClientMsg::SetQaSettings {
            event: F.ev(),
            session: F.s1(),
            settings: QaSettings::default(),
        },
        ClientMsg::Block {
            event: F.ev(),
            person: "someone".into(),
            blocked: true,
            name: None,
        },
    ] {
        assert_eq!(refused(&troll.ask(msg).await), ErrorCode::Forbidden);
    }
    assert_eq!(troll.view.seq, before);

    // A name that is no name is refused, and blocks nobody.
    assert_eq!(
        refused(
            &moderator
                .ask(ClientMsg::Block {
                    event: F.ev(),
                    person: troll_id.clone(),
                    blocked: true,
                    name: Some("Tr\u{202E}oll".into()),
                })
                .await
        ),
        ErrorCode::BadRequest
    );
    let http = server.http();
    let path = format!("/api/events/{}/blocked", F.0);
    let list = http
        .send("GET", &path, Some(&server.organiser_key), None)
        .await
        .unwrap();
    assert_eq!(
        list.body,
        serde_json::json!([]),
        "a refused block blocks nobody"
    );
    answered(
        &moderator
            .ask(ClientMsg::Block {
                event: F.ev(),
                person: troll_id.clone(),
                blocked: true,
                name: Some("Troll".into()),
            })
            .await,
    );
    assert_eq!(
        refused(&troll.ask(ask("More spam", false)).await),
        ErrorCode::Forbidden
    );
    // The list of blocked people, by name, for those who may block; not for attendees.
    let list = http
        .send("GET", &path, Some(&server.organiser_key), None)
        .await
        .unwrap();
    assert_eq!(list.status, 200);
    assert_eq!(
        list.body,
        serde_json::json!([{"person": troll_id, "name": "Troll"}])
    );
    let token = http.join(F.0, Some("Curious")).await.unwrap();
    let refused_list = http.send("GET", &path, Some(&token), None).await.unwrap();
    assert_eq!(refused_list.status, 403);
    answered(
        &moderator
            .ask(ClientMsg::Block {
                event: F.ev(),
                person: troll_id,
                blocked: false,
                name: None,
            })
            .await,
    );
    answered(&troll.ask(ask("Sorry", false)).await);
    let list = http
        .send("GET", &path, Some(&server.organiser_key), None)
        .await
        .unwrap();
    assert_eq!(list.body, serde_json::json!([]), "unblocked: off the list");
    // Oversized and empty questions are refused with a typed error.
    assert_eq!(
        refused(&troll.ask(ask(&"x".repeat(501), false)).await),
        ErrorCode::TooLarge
    );
    assert_eq!(
        refused(&troll.ask(ask("   ", false)).await),
        ErrorCode::BadRequest
    );
}

#[tokio::test]
async fn asking_is_rate_limited_per_person_across_connections() {
    let server = F.server(TestConfig::default()).await;
    let token = server.http().join(EVENT, Some("Eager")).await.unwrap();
    let mut one = following(Ws::connect(&server.ws_url(), &token).await.unwrap()).await;
    let mut two = following(Ws::connect(&server.ws_url(), &token).await.unwrap()).await;
    let mut outcomes = Vec::new();
    for i in 0..4 {
        outcomes.push(one.ask(ask(&format!("Q{i}"), false)).await);
        outcomes.push(two.ask(ask(&format!("R{i}"), false)).await);
    }
    let ok = outcomes
        .iter()
        .filter(|m| matches!(m, ServerMsg::Ok { .. }))
        .count();
    assert_eq!(ok, 5, "five at once, across both connections: {outcomes:?}");
    assert!(
        outcomes
            .iter()
            .skip(5)
            .all(|m| refused(m) == ErrorCode::RateLimited)
    );
}

#[tokio::test]
async fn votes_and_blocks_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = || TestConfig {
        data_dir: Some(dir.path().into()),
        ..Default::default()
    };
    let mut server = TestServer::start_with(config()).await;
    create_small_event(&server.http(), &server.organiser_key, EVENT)
        .await
        .unwrap();
    let eva_token = server.http().join(EVENT, Some("Eva")).await.unwrap();
    let mut eva = following(Ws::connect(&server.ws_url(), &eva_token).await.unwrap()).await;
    let (_, q) = answered(&eva.ask(ask("Kept?", false)).await);
    let q = q.unwrap();
    let mut tokens = Vec::new();
    for i in 0..5 {
        let token = server
            .http()
            .join(EVENT, Some(&format!("V{i}")))
            .await
            .unwrap();
        let mut m = following(Ws::connect(&server.ws_url(), &token).await.unwrap()).await;
        answered(&m.ask(upvote(q, true)).await);
        tokens.push(token);
    }
    let mut organiser = following(server.organiser().await).await;
    answered(
        &organiser
            .ask(ClientMsg::Block {
                event: F.ev(),
                person: eva.id.clone(),
                blocked: true,
                name: None,
            })
            .await,
    );
    // Stopping publishes the last tallies.
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let fresh = F.attendee(&server, "Fresh").await;
    assert_eq!(qa(&fresh.view).get(q).unwrap().votes, 5);
    // The same people voting again after the restart still count once each.
    for token in &tokens {
        let mut m = following(Ws::connect(&server.ws_url(), token).await.unwrap()).await;
        answered(&m.ask(upvote(q, true)).await);
    }
    // And the block holds.
    let mut eva = following(Ws::connect(&server.ws_url(), &eva_token).await.unwrap()).await;
    assert_eq!(
        refused(&eva.ask(ask("Still here?", false)).await),
        ErrorCode::Forbidden
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    let fresh = F.attendee(&server, "Fresh again").await;
    assert_eq!(qa(&fresh.view).get(q).unwrap().votes, 5);
}

#[tokio::test]
async fn handled_questions_are_restored_to_the_live_list() {
    let server = F.server(TestConfig::default()).await;
    let mut moderator = F.moderator(&server).await;
    let mut ada = F.attendee(&server, "Ada").await;
    let mut ids = Vec::new();
    for text in ["One", "Two", "Three", "Four"] {
        ids.push(answered(&ada.ask(ask(text, false)).await).1.unwrap());
    }
    answered(&moderator.ask(moderate(ids[0], Moderate::Answer)).await);
    answered(&moderator.ask(moderate(ids[1], Moderate::Archive)).await);
    answered(
        &moderator
            .ask(moderate(
                ids[2],
                Moderate::Dismiss {
                    reason: "Later".into(),
                },
            ))
            .await,
    );
    answered(
        &moderator
            .ask(moderate(ids[3], Moderate::Merge { into: ids[0] }))
            .await,
    );
    // Answered, archived and dismissed come back to the live list; a merged one does not
    // (its votes went to the other), and says so.
    for &q in &ids[..3] {
        answered(&moderator.ask(moderate(q, Moderate::Approve)).await);
    }
    assert_eq!(
        refused(&moderator.ask(moderate(ids[3], Moderate::Approve)).await),
        ErrorCode::Conflict
    );
    moderator
        .until_session(|s| {
            ids[..3].iter().all(|q| {
                s.qa.get(*q)
                    .is_some_and(|q| q.status == QuestionStatus::Live)
            })
        })
        .await;
    let restored = moderator.session().qa.get(ids[2]).cloned().unwrap();
    assert_eq!(restored.dismissed_reason, None);
}
