//! What the big screen shows, as every client folds it: opening, asking, revealing and
//! highlighting put things on it; closing leaves them; withdrawing clears it; `present` sets it.

use plenum_protocol::*;

fn poll(id: u64, status: PollStatus, revealed: bool) -> RoomEvent {
    RoomEvent::Poll {
        poll: Poll {
            id,
            question: "Q".into(),
            kind: PollKind::Single {
                options: vec!["a".into(), "b".into()],
            },
            status,
            visibility: ResultsVisibility::OnReveal,
            revealed,
            duration_s: None,
            closes_at_ms: None,
            ballots: 0,
            results: None,
            mine: None,
        },
    }
}

fn screen(room: &RoomState) -> ScreenShows {
    match room {
        RoomState::Session(s) => s.screen,
        _ => unreachable!(),
    }
}

#[test]
fn the_screen_follows_what_moves_and_stays_until_something_else_does() {
    let mut room = RoomState::Session(SessionState::default());
    assert_eq!(screen(&room), ScreenShows::Stage);
    let mut apply = |e: RoomEvent| room.apply(&e).map(|_| screen(&room)).unwrap();
    // A draft is not shown; opening it is.
    assert_eq!(apply(poll(1, PollStatus::Draft, false)), ScreenShows::Stage);
    assert_eq!(
        apply(poll(1, PollStatus::Open, false)),
        ScreenShows::Poll { id: 1 }
    );
    // A highlighted question takes over; closing the poll does not bring the poll back.
    assert_eq!(
        apply(RoomEvent::Highlighted { id: Some(7) }),
        ScreenShows::Question { id: 7 }
    );
    assert_eq!(
        apply(poll(1, PollStatus::Closed, false)),
        ScreenShows::Question { id: 7 }
    );
    // Revealing its results does.
    assert_eq!(
        apply(poll(1, PollStatus::Closed, true)),
        ScreenShows::Poll { id: 1 }
    );
    // Un-highlighting a question not shown changes nothing.
    assert_eq!(
        apply(RoomEvent::Highlighted { id: None }),
        ScreenShows::Poll { id: 1 }
    );
    // Staff clear it; a hidden poll that was shown clears it too.
    assert_eq!(
        apply(RoomEvent::ScreenChanged {
            screen: ScreenShows::Stage
        }),
        ScreenShows::Stage
    );
    assert_eq!(
        apply(RoomEvent::ScreenChanged {
            screen: ScreenShows::Poll { id: 1 }
        }),
        ScreenShows::Poll { id: 1 }
    );
    assert_eq!(apply(RoomEvent::PollHidden { id: 1 }), ScreenShows::Stage);
    // Un-highlighting a question clears only that question, not one presented since.
    assert_eq!(
        apply(RoomEvent::Highlighted { id: Some(5) }),
        ScreenShows::Question { id: 5 }
    );
    assert_eq!(
        apply(RoomEvent::ScreenChanged {
            screen: ScreenShows::Question { id: 6 }
        }),
        ScreenShows::Question { id: 6 }
    );
    assert_eq!(
        apply(RoomEvent::Highlighted { id: None }),
        ScreenShows::Question { id: 6 }
    );
    apply(RoomEvent::ScreenChanged {
        screen: ScreenShows::Stage,
    });
    // A highlighted question then un-highlighted goes back to the stage, not to older things.
    assert_eq!(
        apply(RoomEvent::Highlighted { id: Some(8) }),
        ScreenShows::Question { id: 8 }
    );
    assert_eq!(
        apply(RoomEvent::Highlighted { id: None }),
        ScreenShows::Stage
    );
}

#[test]
fn quiz_questions_and_award_reveals_take_the_screen() {
    let quiz = |status: QuizStatus, index: u32| RoomEvent::Quiz {
        quiz: Quiz {
            id: 3,
            title: "T".into(),
            length: 2,
            status,
            current: Some(CurrentQuestion {
                index,
                text: "Q".into(),
                options: vec!["a".into(), "b".into()],
                seconds: 10,
                started_at_ms: 0,
                correct: None,
                answers: 0,
                chosen: None,
            }),
            leaderboard: Vec::new(),
            questions: Vec::new(),
            mine: None,
        },
    };
    let mut room = RoomState::Session(SessionState::default());
    let mut apply = |e: RoomEvent| room.apply(&e).map(|_| screen(&room)).unwrap();
    assert_eq!(
        apply(quiz(QuizStatus::Asking, 0)),
        ScreenShows::Quiz { id: 3 }
    );
    apply(RoomEvent::ScreenChanged {
        screen: ScreenShows::Stage,
    });
    // Its reveal leaves the screen to staff; the next question takes it again.
    assert_eq!(apply(quiz(QuizStatus::Revealed, 0)), ScreenShows::Stage);
    assert_eq!(
        apply(quiz(QuizStatus::Asking, 1)),
        ScreenShows::Quiz { id: 3 }
    );
    assert_eq!(apply(RoomEvent::QuizHidden { id: 3 }), ScreenShows::Stage);
}

#[test]
fn a_reveal_of_a_poll_a_snapshot_left_out_does_not_move_the_screen() {
    // The snapshot held no poll 4 (left out to fit), then its revealed results arrive.
    let mut room = RoomState::Session(SessionState {
        screen: ScreenShows::Question { id: 1 },
        ..SessionState::default()
    });
    room.apply(&poll(4, PollStatus::Closed, true)).unwrap();
    assert_eq!(screen(&room), ScreenShows::Question { id: 1 });
}
