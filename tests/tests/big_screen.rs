//! What a session's big screen shows (`screen` in the session room): opening a poll and
//! highlighting a question put them there for every follower alike, a late joiner's snapshot
//! says the same, and staff present and clear it; the audience cannot, nor can staff of another
//! session; drafts and unseen questions are refused.

use plenum_protocol::{ClientMsg, ErrorCode, PollStep, ResultsVisibility, ScreenShows, ServerMsg};
use plenum_tests::*;

const EVENT: &str = "SCREEN";
const F: Fixture = Fixture(EVENT);

fn present(screen: ScreenShows) -> ClientMsg {
    ClientMsg::Present {
        event: F.ev(),
        session: F.s1(),
        screen,
    }
}

#[tokio::test]
async fn staff_control_the_big_screen_and_everyone_sees_the_same() {
    let server = TestServer::start().await;
    create_small_event(&server.http(), &server.organiser_key, EVENT)
        .await
        .unwrap();
    let mut speaker =
        Member::invited_for(&server, EVENT, "speaker", "Sofia", &["s1"], &F.room()).await;
    let mut other =
        Member::invited_for(&server, EVENT, "moderator", "Olle", &["s2"], &F.room()).await;
    let mut ada = Member::attendee(&server, EVENT, "Ada", &F.room()).await;
    assert_eq!(ada.session().screen, ScreenShows::Stage);

    let p = F
        .single_poll(
            &mut speaker,
            "Onsite or online?",
            &["Onsite", "Online"],
            ResultsVisibility::Live,
        )
        .await;
    // A draft is not shown, and cannot be.
    assert_eq!(
        refused(&speaker.ask(present(ScreenShows::Poll { id: p })).await),
        ErrorCode::Conflict
    );
    assert_eq!(
        refused(&speaker.ask(present(ScreenShows::Poll { id: 99 })).await),
        ErrorCode::NotFound
    );
    // Opening it puts it on the screen, for the audience as for staff.
    F.run_poll(&mut speaker, p, PollStep::Open).await;
    ada.until_session(|s| s.screen == ScreenShows::Poll { id: p })
        .await;
    speaker
        .until_session(|s| s.screen == ScreenShows::Poll { id: p })
        .await;

    // A question highlighted takes the screen; closing the poll does not take it back.
    let ServerMsg::Ok {
        question: Some(q), ..
    } = ok(ada
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: "What about the stream?".into(),
            anonymous: false,
        })
        .await)
    else {
        panic!()
    };
    let mut organiser = Member::following(server.organiser().await, &F.room()).await;
    ok(organiser
        .ask(ClientMsg::Highlight {
            event: F.ev(),
            session: F.s1(),
            question: Some(q),
        })
        .await);
    F.run_poll(&mut speaker, p, PollStep::Close).await;
    ada.until_session(|s| {
        s.screen == ScreenShows::Question { id: q }
            && s.poll(p)
                .is_some_and(|p| p.status == plenum_protocol::PollStatus::Closed)
    })
    .await;

    // The speaker shows the closed poll's results again; a late joiner sees them too.
    ok(speaker.ask(present(ScreenShows::Poll { id: p })).await);
    ada.until_session(|s| s.screen == ScreenShows::Poll { id: p })
        .await;
    let late = Member::attendee(&server, EVENT, "Late", &F.room()).await;
    assert_eq!(late.session().screen, ScreenShows::Poll { id: p });

    // Presenting what is shown changes nothing; clearing shows the stage.
    let before = ada.view.seq;
    ok(speaker.ask(present(ScreenShows::Poll { id: p })).await);
    ok(speaker.ask(present(ScreenShows::Stage)).await);
    ada.until_session(|s| s.screen == ScreenShows::Stage).await;
    assert_eq!(ada.view.seq, before + 1, "one event: the clear");

    // Not for the audience, nor for staff of another session.
    assert_eq!(
        refused(&ada.ask(present(ScreenShows::Poll { id: p })).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        refused(&other.ask(present(ScreenShows::Poll { id: p })).await),
        ErrorCode::Forbidden
    );
    // A question the audience does not see cannot be shown.
    ok(organiser
        .ask(ClientMsg::Moderate {
            event: F.ev(),
            session: F.s1(),
            question: q,
            change: plenum_protocol::Moderate::Dismiss {
                reason: "Answered in the talk".into(),
            },
        })
        .await);
    assert_eq!(
        refused(&speaker.ask(present(ScreenShows::Question { id: q })).await),
        ErrorCode::Conflict
    );
}
