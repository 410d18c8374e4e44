//! A person's inbox: a room for one person, on every device they have open. "Your question was
//! answered" and "your question was dismissed: reason" reach the asker there, and nobody else;
//! it resumes like any room.

use plenum_protocol::{
    ClientMsg, ErrorCode, Moderate, Moderation, NoteAbout, QaSettings, RoomEvent, RoomId,
    RoomState, ServerMsg,
};
use plenum_tests::*;

const F: Fixture = Fixture("INBOX");

fn inbox_of(id: &str) -> RoomId {
    RoomId::parse(&format!("inbox:INBOX:{id}")).unwrap()
}

fn moderate(question: u64, change: Moderate) -> ClientMsg {
    ClientMsg::Moderate {
        event: F.ev(),
        session: F.s1(),
        question,
        change,
    }
}

/// The notes in a mirror of an inbox room.
fn notes(m: &Mirror) -> Vec<plenum_protocol::Note> {
    match &m.state {
        Some(RoomState::Inbox(i)) => i.notes.clone(),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Sends `msg` (a change of `m`'s room) on `ws` and folds its traffic into `m` until the
/// answer, which it returns. The change's event comes first (docs/protocol.md, "Answers and
/// limits"): asserted.
async fn ask_folding(ws: &mut Ws, m: &mut Mirror, msg: ClientMsg) -> ServerMsg {
    let id = ws.request(&msg).await.unwrap();
    let answer = loop {
        let reply = ws.recv().await.expect("an answer");
        m.take(&reply).expect("in order, without gaps");
        match &reply {
            ServerMsg::Ok { id: i, .. } | ServerMsg::Error { id: Some(i), .. } if *i == id => {
                break reply;
            }
            _ => {}
        }
    };
    if let ServerMsg::Ok { seq: Some(seq), .. } = &answer {
        assert!(
            m.seq >= *seq,
            "the ok (seq {seq}) came before its event (have {})",
            m.seq
        );
    }
    answer
}

fn read_state(m: &Mirror) -> (u64, u64) {
    match &m.state {
        Some(RoomState::Inbox(i)) => (i.total, i.read),
        other => panic!("not an inbox: {other:?}"),
    }
}

/// Folds `ws`'s traffic into `m` until the inbox holds `n` notes.
async fn until_notes(ws: &mut Ws, m: &mut Mirror, n: usize) {
    until_notes_with(ws, m, &mut Mirror::new(F.room()), n).await
}

/// Like [`until_notes`], on a connection that follows another room too (`also`).
async fn until_notes_with(ws: &mut Ws, m: &mut Mirror, also: &mut Mirror, n: usize) {
    tokio::time::timeout(WAIT, async {
        while notes(m).len() < n {
            let msg = ws.recv().await.expect("the connection stays");
            m.take(&msg).expect("in order, without gaps");
            if also.state.is_some() {
                also.take(&msg).expect("in order, without gaps");
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the inbox did not reach {n} notes: {:?}", notes(m)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn askers_hear_what_happened_to_their_questions_on_every_device() {
    let server = TestServer::start().await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "INBOX")
        .await
        .unwrap();
    let mut moderator = Member::invited(&server, "INBOX", "moderator", "Mia", &F.room()).await;
    let reviewed = QaSettings {
        moderation: Moderation::Reviewed,
        ..QaSettings::default()
    };
    let set = moderator
        .ask(ClientMsg::SetQaSettings {
            event: F.ev(),
            session: F.s1(),
            settings: reviewed,
        })
        .await;
    assert!(matches!(set, ServerMsg::Ok { .. }), "{set:?}");

    // Eva on her phone and her laptop: one token, two connections.
    let token = http.join("INBOX", Some("Eva")).await.unwrap();
    let mut phone = Member::following(
        Ws::connect(&server.ws_url(), &token).await.unwrap(),
        &F.room(),
    )
    .await;
    let eva = phone.id.clone();
    let mut laptop = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let mut laptop_inbox = Mirror::new(inbox_of(&eva));
    laptop
        .join(&inbox_of(&eva), None, &mut laptop_inbox)
        .await
        .unwrap();
    let mut phone_inbox = Mirror::new(inbox_of(&eva));
    phone
        .ws
        .join(&inbox_of(&eva), None, &mut phone_inbox)
        .await
        .unwrap();
    assert!(notes(&laptop_inbox).is_empty());

    let coffee = phone.ask_question("Is there free coffee?").await;
    let hydrogen = phone
        .ask_question("How do small clusters join a hydrogen valley?")
        .await;
    // An anonymous question: its asker still hears of it (only they can).
    let asked = phone
        .ask(ClientMsg::Ask {
            event: F.ev(),
            session: F.s1(),
            text: "Who pays for the pilot?".into(),
            anonymous: true,
        })
        .await;
    let ServerMsg::Ok {
        question: Some(anonymous),
        ..
    } = asked
    else {
        panic!("{asked:?}")
    };

    let reason = "Off topic: ask at the info desk";
    for (q, change) in [
        (
            coffee,
            Moderate::Dismiss {
                reason: reason.into(),
            },
        ),
        (hydrogen, Moderate::Approve),
        (
            hydrogen,
            Moderate::Reply {
                text: "Yes: see the funding call.".into(),
            },
        ),
        (anonymous, Moderate::Approve),
        (anonymous, Moderate::Answer),
    ] {
        let done = moderator.ask(moderate(q, change)).await;
        assert!(matches!(done, ServerMsg::Ok { .. }), "{done:?}");
    }
    // A refused moderation tells nobody anything.
    let again = moderator.ask(moderate(anonymous, Moderate::Answer)).await;
    assert_eq!(refused(&again), ErrorCode::Conflict);
    until_notes(&mut laptop, &mut laptop_inbox, 3).await;
    until_notes_with(&mut phone.ws, &mut phone_inbox, &mut phone.view, 3).await;
    let got = notes(&laptop_inbox);
    assert_eq!(got, notes(&phone_inbox), "every device the same");
    let summary: Vec<_> = got
        .iter()
        .map(|n| (n.about, n.question, n.text.as_str(), n.detail.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                NoteAbout::QuestionDismissed,
                coffee,
                "Is there free coffee?",
                Some(reason)
            ),
            (
                NoteAbout::QuestionAnswered,
                hydrogen,
                "How do small clusters join a hydrogen valley?",
                Some("Yes: see the funding call.")
            ),
            (
                NoteAbout::QuestionAnswered,
                anonymous,
                "Who pays for the pilot?",
                None
            ),
        ]
    );
    assert!(got.iter().all(|n| n.session.as_str() == "s1"));

    // Reading them on the laptop reads them on the phone too.
    assert_eq!(read_state(&laptop_inbox), (3, 0), "three new notes");
    let read = ClientMsg::ReadNotes {
        event: F.ev(),
        upto: 3,
    };
    ok(ask_folding(&mut laptop, &mut laptop_inbox, read).await);
    assert_eq!(read_state(&laptop_inbox), (3, 3));
    while read_state(&phone_inbox).1 < 3 {
        let msg = phone.ws.recv().await.unwrap();
        phone_inbox.take(&msg).unwrap();
        phone.view.take(&msg).unwrap();
    }
    // Reading what is read already says nothing new; reading notes that never came is refused.
    let seq = laptop_inbox.seq;
    let again = ClientMsg::ReadNotes {
        event: F.ev(),
        upto: 1,
    };
    ok(ask_folding(&mut laptop, &mut laptop_inbox, again).await);
    assert_eq!(laptop_inbox.seq, seq, "no event for what changed nothing");
    let beyond = ClientMsg::ReadNotes {
        event: F.ev(),
        upto: 4,
    };
    let refused_beyond = ask_folding(&mut laptop, &mut laptop_inbox, beyond).await;
    assert_eq!(refused(&refused_beyond), ErrorCode::BadRequest);
    assert!(
        matches!(&refused_beyond, ServerMsg::Error { field: Some(f), .. } if f == "upto"),
        "{refused_beyond:?}"
    );

    // Nobody else may follow Eva's inbox: not another attendee, not a moderator.
    let mut bo = server.attendee("INBOX", "Bo").await;
    for ws in [&mut bo, &mut moderator.ws] {
        let id = ws
            .request(&ClientMsg::Join {
                room: inbox_of(&eva),
                since: None,
            })
            .await
            .unwrap();
        assert_eq!(refused(&ws.reply(id).await.unwrap()), ErrorCode::Forbidden);
    }
    // Bo's own inbox is empty: Eva's notes went to Eva only.
    let bo_id = match &bo.welcome {
        Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
        other => panic!("{other:?}"),
    };
    let mut bo_inbox = Mirror::new(inbox_of(&bo_id));
    bo.join(&inbox_of(&bo_id), None, &mut bo_inbox)
        .await
        .unwrap();
    assert!(notes(&bo_inbox).is_empty());

    // The laptop sleeps through a note, then resumes with exactly what it missed.
    let seen = laptop_inbox.seq;
    laptop.close().await;
    let later = phone.ask_question("And the train connections?").await;
    let done = moderator
        .ask(moderate(
            later,
            Moderate::Dismiss {
                reason: "Answered in the FAQ".into(),
            },
        ))
        .await;
    assert!(matches!(done, ServerMsg::Ok { .. }), "{done:?}");
    until_notes_with(&mut phone.ws, &mut phone_inbox, &mut phone.view, 4).await;
    let mut laptop = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let joined = laptop
        .join(&inbox_of(&eva), Some(seen), &mut laptop_inbox)
        .await
        .unwrap();
    let ServerMsg::Joined { mode, replayed, .. } = joined else {
        panic!("{joined:?}")
    };
    assert_eq!((mode, replayed), (plenum_protocol::JoinMode::Replay, 1));
    assert_eq!(notes(&laptop_inbox), notes(&phone_inbox));
    let last = laptop_inbox.events.last().map(|(_, e)| e.clone());
    assert!(
        matches!(&last, Some(RoomEvent::Note { note }) if note.question == later),
        "{last:?}"
    );
}

#[tokio::test]
async fn an_inbox_keeps_its_newest_notes() {
    let server = TestServer::start_with(TestConfig {
        requests_per_second: Some(1000.0),
        ..TestConfig::default()
    })
    .await;
    let http = server.http();
    create_small_event(&http, &server.organiser_key, "INBOX")
        .await
        .unwrap();
    let mut moderator = Member::invited(&server, "INBOX", "moderator", "Mia", &F.room()).await;
    let token = http.join("INBOX", Some("Eva")).await.unwrap();
    let mut eva = Member::following(
        Ws::connect(&server.ws_url(), &token).await.unwrap(),
        &F.room(),
    )
    .await;
    let q = eva.ask_question("Is there free coffee?").await;
    // Dismissed and restored again and again: a note each time it is dismissed.
    let keep = plenum_protocol::InboxState::KEEP_NOTES;
    for i in 0..keep + 5 {
        let reason = format!("Reason {i}");
        let done = moderator
            .ask(moderate(q, Moderate::Dismiss { reason }))
            .await;
        assert!(matches!(done, ServerMsg::Ok { .. }), "{done:?}");
        let done = moderator.ask(moderate(q, Moderate::Approve)).await;
        assert!(matches!(done, ServerMsg::Ok { .. }), "{done:?}");
    }
    // Another device joins later: a snapshot of the newest notes, the oldest gone.
    let inbox = inbox_of(&eva.id);
    let mut device = Ws::connect(&server.ws_url(), &token).await.unwrap();
    let mut m = Mirror::new(inbox.clone());
    device.join(&inbox, None, &mut m).await.unwrap();
    until_notes(&mut device, &mut m, keep).await;
    // The last note is a follow-up committed just after the moderator's answer.
    let last = format!("Reason {}", keep + 4);
    tokio::time::timeout(WAIT, async {
        while notes(&m).last().and_then(|n| n.detail.clone()).as_deref() != Some(&last) {
            let msg = device.recv().await.expect("the connection stays");
            m.take(&msg).expect("in order, without gaps");
        }
    })
    .await
    .expect("the last note arrives");
    let got = notes(&m);
    assert_eq!(got.len(), keep, "bounded");
    assert_eq!(
        got[0].detail.as_deref(),
        Some("Reason 5"),
        "the oldest left first"
    );
}
