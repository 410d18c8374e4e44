//! Quizzes through the protocol: play, points and ranks, fairness across stream delays,
//! deadlines, one answer each, nothing leaked before a reveal, scores kept across reconnects.

use plenum_protocol::{
    ClientMsg, ErrorCode, QuizDraft, QuizQuestion, QuizStatus, QuizStep, ServerMsg, Watching,
};
use plenum_tests::*;
use std::time::Duration;

const EVENT: &str = "QUIZ";
const F: Fixture = Fixture(EVENT);

fn question(text: &str, correct: u32, seconds: u32) -> QuizQuestion {
    QuizQuestion {
        text: text.into(),
        options: vec!["A".into(), "B".into(), "C".into()],
        correct,
        seconds,
    }
}

fn step(quiz: u64, step: QuizStep) -> ClientMsg {
    ClientMsg::RunQuiz {
        event: F.ev(),
        session: F.s1(),
        quiz,
        step,
    }
}

fn answer(quiz: u64, question: u32, option: u32, watching: Watching) -> ClientMsg {
    ClientMsg::AnswerQuiz {
        event: F.ev(),
        session: F.s1(),
        quiz,
        question,
        option,
        watching,
    }
}

fn standing(quiz: u64) -> ClientMsg {
    ClientMsg::QuizStanding {
        event: F.ev(),
        session: F.s1(),
        quiz,
    }
}

async fn setup(questions: Vec<QuizQuestion>) -> (TestServer, Member, u64) {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, EVENT)
        .await
        .unwrap();
    let mut speaker = Member::invited(&server, EVENT, "speaker", "Sofia", &F.room()).await;
    let quiz = QuizDraft {
        title: "Know your clusters".into(),
        questions,
    };
    let ServerMsg::Ok { quiz: Some(id), .. } = ok(speaker
        .ask(ClientMsg::CreateQuiz {
            event: F.ev(),
            session: F.s1(),
            quiz,
        })
        .await)
    else {
        panic!()
    };
    (server, speaker, id)
}

#[tokio::test]
async fn a_game_scores_speed_and_streaks_and_ranks_everyone() {
    let (server, mut speaker, id) = setup(vec![question("Q1", 2, 30), question("Q2", 0, 30)]).await;
    let fast_token = server.http().join(EVENT, Some("Fast")).await.unwrap();
    let mut fast = Member::following(
        Ws::connect(&server.ws_url(), &fast_token).await.unwrap(),
        &F.room(),
    )
    .await;
    let mut slow = Member::attendee(&server, EVENT, "Slow", &F.room()).await;
    let mut wrong = Member::attendee(&server, EVENT, "Wrong", &F.room()).await;

    // A draft is for speakers: the audience does not see it at all.
    assert!(fast.session().quiz(id).is_none());
    assert!(
        speaker
            .session()
            .quiz(id)
            .is_some_and(|q| !q.questions.is_empty())
    );
    ok(speaker.ask(step(id, QuizStep::Next)).await);
    fast.until_session(|s| s.quiz(id).is_some_and(|q| q.status == QuizStatus::Asking))
        .await;
    // The audience sees the question, never the answer or the questions to come.
    let seen = fast.session().quiz(id).unwrap().clone();
    assert!(seen.questions.is_empty());
    assert_eq!(seen.current.as_ref().unwrap().correct, None);
    assert_eq!(seen.current.as_ref().unwrap().text, "Q1");

    ok(fast.ask(answer(id, 0, 2, Watching::Onsite)).await);
    assert_eq!(
        refused(&fast.ask(answer(id, 0, 1, Watching::Onsite)).await),
        ErrorCode::Conflict,
        "one answer each"
    );
    ok(wrong.ask(answer(id, 0, 0, Watching::Onsite)).await);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    ok(slow.ask(answer(id, 0, 2, Watching::Onsite)).await);
    // An answer to another question is never taken for this one.
    assert_eq!(
        refused(&slow.ask(answer(id, 1, 0, Watching::Onsite)).await),
        ErrorCode::Conflict
    );
    // The audience cannot run the quiz.
    assert_eq!(
        refused(&wrong.ask(step(id, QuizStep::Reveal)).await),
        ErrorCode::Forbidden
    );

    ok(speaker.ask(step(id, QuizStep::Reveal)).await);
    fast.until_session(|s| s.quiz(id).is_some_and(|q| q.status == QuizStatus::Revealed))
        .await;
    let q = fast.session().quiz(id).unwrap().clone();
    assert_eq!(q.current.as_ref().unwrap().correct, Some(2));
    assert_eq!(q.current.as_ref().unwrap().answers, 3);
    // How many chose each option, for everyone once revealed.
    assert_eq!(q.current.as_ref().unwrap().chosen, Some(vec![1, 0, 2]));
    let board: Vec<(u32, Option<String>, u64)> = q
        .leaderboard
        .iter()
        .map(|s| (s.rank, s.name.clone(), s.score))
        .collect();
    assert_eq!(board.len(), 3);
    assert_eq!((board[0].0, board[0].1.as_deref()), (1, Some("Fast")));
    assert!(board[0].2 >= 990 && board[0].2 <= 1000, "{board:?}");
    assert_eq!((board[1].0, board[1].1.as_deref()), (2, Some("Slow")));
    assert!(board[1].2 < board[0].2 && board[1].2 >= 940, "{board:?}");
    assert_eq!((board[2].0, board[2].2), (3, 0));

    let ServerMsg::Ok {
        standing: Some(mine),
        ..
    } = ok(slow.ask(standing(id)).await)
    else {
        panic!()
    };
    assert_eq!(
        (mine.rank, mine.score, mine.streak, mine.players),
        (Some(2), board[1].2, 1, 3)
    );

    // Question 2: Fast again (a streak of 2: +50), Slow wrong (streak ends).
    ok(speaker.ask(step(id, QuizStep::Next)).await);
    fast.until_session(|s| s.quiz(id).is_some_and(|q| q.status == QuizStatus::Asking))
        .await;
    ok(fast.ask(answer(id, 1, 0, Watching::Onsite)).await);
    ok(slow.ask(answer(id, 1, 1, Watching::Onsite)).await);
    ok(speaker.ask(step(id, QuizStep::Reveal)).await);
    ok(speaker.ask(step(id, QuizStep::Finish)).await);
    assert_eq!(
        refused(&speaker.ask(step(id, QuizStep::Next)).await),
        ErrorCode::Conflict
    );
    let ServerMsg::Ok {
        standing: Some(f), ..
    } = ok(fast.ask(standing(id)).await)
    else {
        panic!()
    };
    assert_eq!((f.rank, f.streak), (Some(1), 2));
    assert!(
        f.score >= board[0].2 + 1040,
        "the second correct answer carries a 50-point streak bonus: {f:?}"
    );

    // Reconnecting keeps the score: the same person's snapshot carries it.
    fast.ws.close().await;
    let again = Member::following(
        Ws::connect(&server.ws_url(), &fast_token).await.unwrap(),
        &F.room(),
    )
    .await;
    let q = again.session().quiz(id).unwrap().clone();
    assert_eq!(q.status, QuizStatus::Finished);
    assert_eq!(
        q.mine.as_ref().map(|m| (m.rank, m.score)),
        Some((Some(1), f.score))
    );
    assert_eq!(q.leaderboard[0].name.as_deref(), Some("Fast"));
}

#[tokio::test]
async fn online_and_onsite_players_get_the_same_chance() {
    let (server, mut speaker, id) = setup(vec![question("Q1", 1, 5)]).await;
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    ok(organiser
        .ask(ClientMsg::SetStreamDelay {
            event: F.ev(),
            session: F.s1(),
            delay_ms: 2000,
        })
        .await);
    let mut onsite = Member::attendee(&server, EVENT, "Onsite", &F.room()).await;
    let mut online = Member::attendee(&server, EVENT, "Online", &F.room()).await;
    let mut late = Member::attendee(&server, EVENT, "Late", &F.room()).await;

    ok(speaker.ask(step(id, QuizStep::Next)).await);
    onsite
        .until_session(|s| s.quiz(id).is_some_and(|q| q.status == QuizStatus::Asking))
        .await;
    online
        .until_session(|s| s.quiz(id).is_some_and(|q| q.status == QuizStatus::Asking))
        .await;
    ok(onsite.ask(answer(id, 0, 1, Watching::Onsite)).await);
    // The online player's stream shows the question two seconds later: answering now is
    // earlier than their stream could have shown it.
    assert_eq!(
        refused(
            &online
                .ask(answer(id, 0, 1, Watching::Stream { adjust_ms: 0 }))
                .await
        ),
        ErrorCode::Conflict
    );
    tokio::time::sleep(Duration::from_millis(2000)).await;
    ok(online
        .ask(answer(id, 0, 1, Watching::Stream { adjust_ms: 0 }))
        .await);
    // Onsite, 6 s after the start, the 5 s window (and its half-second grace) is over.
    tokio::time::sleep(Duration::from_millis(4000)).await;
    assert_eq!(
        refused(&late.ask(answer(id, 0, 1, Watching::Onsite)).await),
        ErrorCode::Conflict
    );

    ok(speaker.ask(step(id, QuizStep::Reveal)).await);
    let ServerMsg::Ok {
        standing: Some(a), ..
    } = ok(onsite.ask(standing(id)).await)
    else {
        panic!()
    };
    let ServerMsg::Ok {
        standing: Some(b), ..
    } = ok(online.ask(standing(id)).await)
    else {
        panic!()
    };
    // Both answered as soon as they could see the question: nearly the same points, although
    // one answered two seconds later in server time (which would have cost 200 points).
    assert!(a.score.abs_diff(b.score) < 60, "onsite {a:?}, online {b:?}");
    assert!(a.score > 900 && b.score > 900);
}
