//! A person in a room: [`Mirror`], a client's fold of one room that fails on gaps and
//! duplicates, and [`Member`], a connected person following a room.

use crate::*;
use anyhow::{Context as _, anyhow};
use plenum_protocol::{
    ClientMsg, QaState, RoomEvent, RoomId, RoomState, Seq, ServerMsg, SessionState,
};

/// A client's copy of one room, built exactly as the browser client builds it: a snapshot,
/// then events applied in order. It fails loudly on a gap or a duplicate.
#[derive(Debug, Clone)]
pub struct Mirror {
    pub room: RoomId,
    pub seq: Seq,
    pub state: Option<RoomState>,
    /// Every event applied, with its sequence number.
    pub events: Vec<(Seq, RoomEvent)>,
}

impl Mirror {
    pub fn new(room: RoomId) -> Mirror {
        Mirror {
            room,
            seq: 0,
            state: None,
            events: Vec::new(),
        }
    }

    /// Applies a server message if it concerns this room.
    pub fn take(&mut self, msg: &ServerMsg) -> anyhow::Result<()> {
        match msg {
            ServerMsg::Snapshot { room, seq, state } if room == &self.room => {
                self.seq = *seq;
                self.state = Some(state.clone());
            }
            ServerMsg::Event {
                room, seq, event, ..
            } if room == &self.room => {
                anyhow::ensure!(
                    *seq == self.seq + 1,
                    "room {room}: got seq {seq} after {}",
                    self.seq
                );
                let state = self
                    .state
                    .as_mut()
                    .context("an event before any snapshot")?;
                state
                    .apply(event)
                    .map_err(|_| anyhow!("event does not fit the room"))?;
                self.seq = *seq;
                self.events.push((*seq, event.clone()));
            }
            ServerMsg::Page {
                room,
                questions,
                polls,
                quizzes,
                awards,
                harvests,
                ..
            } if room == &self.room => {
                if let Some(RoomState::Session(s)) = self.state.as_mut() {
                    s.add_page(
                        questions.clone(),
                        polls.clone(),
                        quizzes.clone(),
                        awards.clone(),
                        harvests.clone(),
                    );
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// A connected person following one room, with their own view of it.
pub struct Member {
    pub ws: Ws,
    pub view: Mirror,
    /// Their person id.
    pub id: String,
}

impl Member {
    /// A new attendee of `event`, following `room`.
    pub async fn attendee(server: &TestServer, event: &str, name: &str, room: &RoomId) -> Member {
        let ws = server.attendee(event, name).await;
        Self::following(ws, room).await
    }

    /// Someone invited to `event` as `role` (`moderator` or `speaker`), following `room`.
    pub async fn invited(
        server: &TestServer,
        event: &str,
        role: &str,
        name: &str,
        room: &RoomId,
    ) -> Member {
        Self::invited_for(server, event, role, name, &[], room).await
    }

    /// Like [`Member::invited`], with an invitation covering `sessions` only (all when empty).
    pub async fn invited_for(
        server: &TestServer,
        event: &str,
        role: &str,
        name: &str,
        sessions: &[&str],
        room: &RoomId,
    ) -> Member {
        let http = server.http();
        let invite = http
            .send(
                "POST",
                &format!("/api/events/{event}/invites"),
                Some(&server.organiser_key),
                Some(&serde_json::json!({"role": role, "name": name, "sessions": sessions})),
            )
            .await
            .expect("invite");
        assert_eq!(invite.status, 200, "invitation refused: {}", invite.body);
        let a = http
            .send(
                "POST",
                &format!("/api/events/{event}/join"),
                None,
                Some(&serde_json::json!({"invite": invite.body["invite"]})),
            )
            .await
            .expect("join with the invitation");
        let ws = Ws::connect(&server.ws_url(), a.body["token"].as_str().expect("token"))
            .await
            .expect("connect");
        Self::following(ws, room).await
    }

    /// A new named attendee of `event` with a profile (organisation "NAME AB", so the event
    /// keeps them: others may ask them for meetings), following their own inbox; and their
    /// token.
    pub async fn in_inbox(server: &TestServer, event: &str, name: &str) -> (Member, String) {
        let token = server.http().join(event, Some(name)).await.expect("join");
        let mut ws = Ws::connect(&server.ws_url(), &token)
            .await
            .expect("connect");
        let code = plenum_protocol::EventCode::parse(event).expect("an event code");
        let id = ws
            .request(&ClientMsg::SetProfile {
                event: code.clone(),
                profile: plenum_protocol::Profile {
                    organisation: Some(format!("{name} AB")),
                    ..plenum_protocol::Profile::default()
                },
            })
            .await
            .expect("send");
        let reply = ws.reply(id).await.expect("an answer");
        assert!(matches!(reply, ServerMsg::Ok { .. }), "refused: {reply:?}");
        let me = match &ws.welcome {
            Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
            other => panic!("not welcomed: {other:?}"),
        };
        let inbox = RoomId::Inbox(code, plenum_protocol::PersonId::parse(&me).expect("an id"));
        (Self::following(ws, &inbox).await, token)
    }

    /// `ws` (welcomed) joining `room`.
    pub async fn following(mut ws: Ws, room: &RoomId) -> Member {
        let id = match &ws.welcome {
            Some(ServerMsg::Welcome { person, .. }) => person.id.clone(),
            other => panic!("not welcomed: {other:?}"),
        };
        let mut view = Mirror::new(room.clone());
        ws.join(room, None, &mut view).await.expect("join");
        Member { ws, view, id }
    }

    /// Sends a request and folds everything until its answer, which it returns. An `ok` to a
    /// change of the followed room carries the change's sequence number, and the protocol sends
    /// the change's events first: asserted here, for every test that asks through a member.
    pub async fn ask(&mut self, msg: ClientMsg) -> ServerMsg {
        let changes_this_room = room_of(&msg).as_ref() == Some(&self.view.room);
        let id = self.ws.request(&msg).await.expect("send");
        loop {
            let m = self.ws.recv().await.expect("an answer");
            self.view.take(&m).expect("a consistent view");
            match &m {
                ServerMsg::Ok { id: i, seq, .. } if *i == id => {
                    // The protocol: the change's event comes before its `ok`.
                    if let (true, Some(seq)) = (changes_this_room, seq) {
                        assert!(
                            self.view.seq >= *seq,
                            "the ok of {msg:?} (seq {seq}) came before its event (have {})",
                            self.view.seq
                        );
                    }
                    return m;
                }
                ServerMsg::Error { id: Some(i), .. } if *i == id => return m,
                _ => {}
            }
        }
    }

    /// Folds room traffic until the view is at `seq`.
    pub async fn catch_up_to(&mut self, seq: u64) {
        while self.view.seq < seq {
            let m = self.ws.recv().await.expect("room traffic");
            self.view.take(&m).expect("a consistent view");
        }
    }

    /// The session as this member sees it.
    pub fn session(&self) -> SessionState {
        match self.view.state.as_ref().expect("joined") {
            RoomState::Session(s) => s.clone(),
            other => panic!("not a session: {other:?}"),
        }
    }

    /// The inbox as this member sees it.
    pub fn inbox(&self) -> plenum_protocol::InboxState {
        match self.view.state.as_ref().expect("joined") {
            RoomState::Inbox(i) => i.clone(),
            other => panic!("not an inbox: {other:?}"),
        }
    }

    /// Folds inbox traffic until `ok` holds of the inbox (`what` names it if it never does,
    /// within [`crate::WAIT`]).
    pub async fn until_inbox(
        &mut self,
        what: &str,
        ok: impl Fn(&plenum_protocol::InboxState) -> bool,
    ) {
        let reached = tokio::time::timeout(crate::WAIT, async {
            while !ok(&self.inbox()) {
                let m = self.ws.recv().await.expect("inbox traffic");
                self.view.take(&m).expect("a consistent view");
            }
        })
        .await;
        assert!(
            reached.is_ok(),
            "the inbox never showed {what}: {:?}",
            self.inbox()
        );
    }

    /// Folds room traffic until `ok` holds of the session.
    pub async fn until_session(&mut self, ok: impl Fn(&SessionState) -> bool) {
        while !ok(&self.session()) {
            let m = self.ws.recv().await.expect("room traffic");
            self.view.take(&m).expect("a consistent view");
        }
    }

    /// Creates and opens a single-choice poll with `options` options and live results in the
    /// session this member follows; returns its id.
    pub async fn open_poll(&mut self, options: usize) -> plenum_protocol::PollId {
        let RoomId::Session(event, session) = self.view.room.clone() else {
            panic!("not following a session")
        };
        let created = self
            .ask(ClientMsg::CreatePoll {
                event: event.clone(),
                session: session.clone(),
                poll: plenum_protocol::PollDraft {
                    question: "Which?".into(),
                    kind: plenum_protocol::PollKind::Single {
                        options: (0..options).map(|i| format!("Option {i}")).collect(),
                    },
                    visibility: plenum_protocol::ResultsVisibility::Live,
                    duration_s: None,
                },
            })
            .await;
        let ServerMsg::Ok {
            poll: Some(poll), ..
        } = created
        else {
            panic!("creating the poll failed: {created:?}")
        };
        let opened = self
            .ask(ClientMsg::RunPoll {
                event,
                session,
                poll,
                step: plenum_protocol::PollStep::Open,
            })
            .await;
        assert!(matches!(opened, ServerMsg::Ok { .. }), "{opened:?}");
        poll
    }

    /// Asks `text` (by name) in the session this member follows; returns the question's id.
    pub async fn ask_question(&mut self, text: &str) -> plenum_protocol::QuestionId {
        let RoomId::Session(event, session) = self.view.room.clone() else {
            panic!("not following a session")
        };
        let asked = self
            .ask(ClientMsg::Ask {
                event,
                session,
                text: text.into(),
                anonymous: false,
            })
            .await;
        let ServerMsg::Ok {
            question: Some(question),
            ..
        } = asked
        else {
            panic!("asking failed: {asked:?}")
        };
        question
    }

    /// Folds room traffic until `ok` holds of the session's Q&A.
    pub async fn until_qa(&mut self, ok: impl Fn(&QaState) -> bool) {
        self.until_session(|s| ok(&s.qa)).await
    }
}

/// The session room a request changes, when it names one (`event` and `session`).
fn room_of(msg: &ClientMsg) -> Option<RoomId> {
    let v = serde_json::to_value(msg).ok()?;
    let event = plenum_protocol::EventCode::parse(v.get("event")?.as_str()?).ok()?;
    let session = plenum_protocol::SessionId::parse(v.get("session")?.as_str()?).ok()?;
    Some(RoomId::Session(event, session))
}
