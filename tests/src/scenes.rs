//! The scenes tests start from: the small event, and a fixture that names its first session
//! and the people in it, declared once for every test file.

use crate::*;
use plenum_protocol::{
    Answer, ClientMsg, EventCode, PollDraft, PollId, PollKind, PollStep, ResultsVisibility, RoomId,
    ServerMsg, SessionId,
};
use serde_json::Value;

/// A small event with three sessions, for tests that do not need the demo.
pub fn small_event(code: &str) -> Value {
    serde_json::json!({
        "code": code,
        "title": "Regional workshop",
        "time_zone": "Europe/Stockholm",
        "languages": ["en", "sv"],
        "agenda": {
            "days": [{"number": 1, "date": "2026-03-10"}],
            "sessions": [
                {"id": "s1", "title": "Session 1", "kind": "plenary", "day": 1, "start": "09:00", "end": "10:00",
                 "contributions": [{"number": 1, "title": "Welcome", "speakers": [{"name": "Ann", "role": "Host", "organisation": "Region"}]},
                                   {"number": 2, "title": "Keynote"}]},
                {"id": "s2", "title": "Session 2", "kind": "workshop", "day": 1, "start": "10:30", "end": "12:00"},
                {"id": "s3", "title": "Session 3", "kind": "visit", "day": 1, "start": "13:00", "end": "15:00", "attendance": "onsite"}
            ]
        }
    })
}

/// Creates [`small_event`] on `server` as organiser.
pub async fn create_small_event(
    http: &Http,
    organiser_key: &str,
    code: &str,
) -> anyhow::Result<()> {
    let a = http
        .send(
            "POST",
            "/api/events",
            Some(organiser_key),
            Some(&small_event(code)),
        )
        .await?;
    anyhow::ensure!(
        a.status == 201,
        "create event answered {}: {}",
        a.status,
        a.body
    );
    Ok(())
}

/// One capability's scene: the small event under its own code, its first session `s1`, and the
/// people tests put in it. Declared once here; a test file names its code:
/// `const F: Fixture = Fixture("POLLS");`.
#[derive(Debug, Clone, Copy)]
pub struct Fixture(pub &'static str);

impl Fixture {
    pub fn ev(self) -> EventCode {
        EventCode::parse(self.0).expect("a valid event code")
    }

    /// The first session of [`small_event`].
    pub fn s1(self) -> SessionId {
        SessionId::parse("s1").expect("a valid session id")
    }

    /// The room of session `s1`.
    pub fn room(self) -> RoomId {
        RoomId::Session(self.ev(), self.s1())
    }

    /// A fresh server with the event created.
    pub async fn server(self, config: TestConfig) -> TestServer {
        let server = TestServer::start_with(config).await;
        create_small_event(&server.http(), &server.organiser_key, self.0)
            .await
            .expect("the event is created");
        server
    }

    /// A new attendee following `s1`.
    pub async fn attendee(self, server: &TestServer, name: &str) -> Member {
        Member::attendee(server, self.0, name, &self.room()).await
    }

    /// Sofia, invited as a speaker, following `s1`.
    pub async fn speaker(self, server: &TestServer) -> Member {
        Member::invited(server, self.0, "speaker", "Sofia", &self.room()).await
    }

    /// Maria, invited as a moderator, following `s1`.
    pub async fn moderator(self, server: &TestServer) -> Member {
        Member::invited(server, self.0, "moderator", "Maria", &self.room()).await
    }

    /// A single-choice poll in `s1`, made by `staff` (a draft): its id.
    pub async fn single_poll(
        self,
        staff: &mut Member,
        question: &str,
        options: &[&str],
        visibility: ResultsVisibility,
    ) -> PollId {
        let made = ok(staff
            .ask(ClientMsg::CreatePoll {
                event: self.ev(),
                session: self.s1(),
                poll: PollDraft {
                    question: question.into(),
                    kind: PollKind::Single {
                        options: options.iter().map(|o| (*o).to_owned()).collect(),
                    },
                    visibility,
                    duration_s: None,
                },
            })
            .await);
        match made {
            ServerMsg::Ok { poll: Some(p), .. } => p,
            other => panic!("no poll id: {other:?}"),
        }
    }

    /// Moves poll `poll` of `s1` on, as `staff`.
    pub async fn run_poll(self, staff: &mut Member, poll: PollId, step: PollStep) {
        ok(staff
            .ask(ClientMsg::RunPoll {
                event: self.ev(),
                session: self.s1(),
                poll,
                step,
            })
            .await);
    }

    /// `m` chooses `option` in single-choice poll `poll` of `s1`.
    pub async fn vote_single(self, m: &mut Member, poll: PollId, option: u32) {
        ok(m.ask(ClientMsg::Vote {
            event: self.ev(),
            session: self.s1(),
            poll,
            answer: Answer::Single { option },
        })
        .await);
    }
}

/// Asserts that a request succeeded, and gives its answer.
pub fn ok(msg: ServerMsg) -> ServerMsg {
    assert!(matches!(msg, ServerMsg::Ok { .. }), "refused: {msg:?}");
    msg
}
