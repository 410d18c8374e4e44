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

/// Pipelines stage changes over one connection to `code`'s three sessions (none loaded yet,
/// so each request first waits for its room) with a refused one among them, and checks that
/// every room took its changes in the order they were sent: their sequence numbers rise in
/// the order of the requests, and each room ends on the last text sent to it.
pub async fn check_pipelined_order(server: &TestServer, code: &str) {
    let ev = EventCode::parse(code).expect("a valid event code");
    let mut organiser = server.organiser().await;
    let mut sent: std::collections::HashMap<u64, (&str, u32)> = Default::default();
    for i in 0..48u32 {
        // Every fourth goes to a session that does not exist: refused, in its turn.
        let session = ["s1", "s2", "s3", "none"][i as usize % 4];
        let status = ["live", "paused"][i as usize % 2];
        let update = serde_json::from_value(serde_json::json!({
            "status": status,
            "on_stage": {"kind": "text", "text": format!("Item {i}")}
        }))
        .expect("a stage update");
        let msg = ClientMsg::SetStage {
            event: ev.clone(),
            session: SessionId::parse(session).expect("a valid session id"),
            update,
        };
        let id = organiser.request(&msg).await.expect("sent");
        sent.insert(id, (session, i));
    }
    let mut committed: std::collections::HashMap<&str, Vec<(u32, u64)>> = Default::default();
    let mut refused = 0;
    while committed.values().map(Vec::len).sum::<usize>() + refused < sent.len() {
        match organiser.recv().await.expect("an answer") {
            ServerMsg::Ok { id, seq, .. } => {
                let (session, i) = sent[&id];
                committed
                    .entry(session)
                    .or_default()
                    .push((i, seq.expect("a change has a sequence number")));
            }
            ServerMsg::Error { id, code, .. } => {
                let (session, _) = sent[&id.expect("an answer names its request")];
                assert_eq!(session, "none", "only the unknown session is refused");
                assert_eq!(code, plenum_protocol::ErrorCode::NotFound);
                refused += 1;
            }
            _ => {}
        }
    }
    assert_eq!(refused, 12);
    for (session, mut changes) in committed {
        changes.sort();
        assert_eq!(changes.len(), 12, "{session}");
        assert!(
            changes.windows(2).all(|w| w[0].1 < w[1].1),
            "{session} took its changes out of the order sent: {changes:?}"
        );
        let room = RoomId::Session(ev.clone(), SessionId::parse(session).unwrap());
        let watcher = Member::attendee(server, code, "Watcher", &room).await;
        let last = changes.last().unwrap().0;
        assert_eq!(
            serde_json::to_value(&watcher.session().stage.on_stage).unwrap(),
            serde_json::json!({"kind": "text", "text": format!("Item {last}")}),
            "{session} ends on the last change sent to it"
        );
    }
}

/// Day 1, 09:00–12:00 in slots of 20 minutes and 5 to change (09:00, 09:25, 09:50, 10:15,
/// 10:40, 11:05, 11:30), with `tables` onsite tables and a video link for `code`.
pub fn meeting_plan(code: &str, tables: u32) -> plenum_protocol::MeetingPlan {
    plenum_protocol::MeetingPlan {
        blocks: vec![plenum_protocol::MeetingBlock {
            day: 1,
            start: "09:00".into(),
            end: "12:00".into(),
            slot_minutes: 20,
            change_minutes: 5,
        }],
        tables: (1..=tables)
            .map(|number| plenum_protocol::MeetingTable {
                number,
                place: Some(format!("Hall C, table {number}")),
            })
            .collect(),
        video: Some(format!("https://meet.example.org/{code}-{{meeting}}")),
        expiry_hours: 48,
        max_open_requests: 20,
        keep_starred_free: true,
        profiles: Default::default(),
    }
}

/// A server with the small event as `code`, held on 12 March 2030 (in the future, so every
/// meeting slot is still to come and "Schedule all" may use it).
pub async fn future_event_server(code: &str) -> TestServer {
    let server = TestServer::start().await;
    let mut event = small_event(code);
    event["agenda"]["days"][0]["date"] = "2030-03-12".into();
    let made = server
        .http()
        .send(
            "POST",
            "/api/events",
            Some(&server.organiser_key),
            Some(&event),
        )
        .await
        .expect("the event is sent");
    assert_eq!(made.status, 201, "{}", made.body);
    server
}

/// Puts the person signed in with `token` on `booth`'s staff at `code`, with the staff link
/// the organisers read.
pub async fn join_booth_staff(server: &TestServer, code: &str, booth: &str, token: &str) {
    let http = server.http();
    let link = http
        .send(
            "GET",
            &format!("/api/events/{code}/booths/{booth}/staff-link"),
            Some(&server.organiser_key),
            None,
        )
        .await
        .expect("the staff link");
    let link: plenum_protocol::StaffLink = serde_json::from_value(link.body).expect("a staff link");
    let a = http
        .send(
            "POST",
            &format!("/api/events/{code}/booths/{booth}/staff"),
            Some(token),
            Some(&serde_json::json!({ "code": link.code })),
        )
        .await
        .expect("joined");
    assert_eq!(a.status, 200, "{}", a.body);
}
