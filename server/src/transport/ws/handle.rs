//! A connection's requests: the hello, joining and paging a room, and every other request,
//! checked against the table of `transport/requests.rs` and queued in the connection's line.

use super::{Answer, Connection, Ending, MAX_BAD_FRAMES, MAX_PENDING_REQUESTS, Pending};
use crate::{
    auth::{self, Action},
    delivery::{audience::Viewer, bounds},
    engine::{CatchUp, Done, Turn},
    interactions::{Made, Refusal},
    transport::{
        addresses::Counted,
        replies::{Unreadable, ok, read_frame, refusal},
        requests::{self, PersonLimit},
    },
};
use plenum_protocol::{
    ClientFrame, ClientMsg, ErrorCode, JoinMode, Listing, Person, RequestId, Role, RoomId, Seq,
    ServerMsg, close, limits, negotiate,
};

impl Connection {
    pub(super) async fn refuse(
        &mut self,
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    ) -> Result<(), Ending> {
        self.refuse_field(id, code, message, None).await
    }

    /// [`Connection::refuse`], naming the field to blame.
    async fn refuse_field(
        &mut self,
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
        field: Option<String>,
    ) -> Result<(), Ending> {
        if matches!(code, ErrorCode::BadRequest | ErrorCode::RateLimited) {
            self.bad_frames += 1;
            if self.bad_frames > MAX_BAD_FRAMES {
                return Err(Some((
                    close::PROTOCOL_VIOLATION,
                    "too many malformed frames",
                )));
            }
        }
        self.send(&ServerMsg::Error {
            id,
            code,
            message,
            field,
        })
        .await
    }

    pub(super) async fn on_text(
        &mut self,
        pending: &mut Pending,
        text: &str,
    ) -> Result<(), Ending> {
        let frame: ClientFrame = match read_frame(text) {
            Ok(f) => f,
            Err(Unreadable { id, message, field }) => {
                self.refuse_field(id, ErrorCode::BadRequest, message, field)
                    .await?;
                // The first frame must be a `hello`.
                return match self.person {
                    None => Err(Some((close::PROTOCOL_VIOLATION, "say hello first"))),
                    Some(_) => Ok(()),
                };
            }
        };
        let id = frame.id;
        if !self.bucket.take() {
            self.app.metrics.rate_limited.inc();
            return self
                .refuse(
                    id,
                    ErrorCode::RateLimited,
                    "too many requests; slow down".into(),
                )
                .await;
        }
        let person = match (&self.person, frame.msg) {
            (None, ClientMsg::Hello { versions, token }) => {
                return self.hello(id, &versions, &token).await;
            }
            (None, _) => {
                // The first frame must be `hello`: say so, then close.
                self.refuse(id, ErrorCode::Unauthenticated, "say hello first".into())
                    .await?;
                return Err(Some((close::PROTOCOL_VIOLATION, "say hello first")));
            }
            (Some(_), ClientMsg::Hello { .. }) => {
                return self
                    .refuse(id, ErrorCode::BadRequest, "already said hello".into())
                    .await;
            }
            (Some(p), msg) => (p.clone(), msg),
        };
        let (person, msg) = person;
        match msg {
            ClientMsg::Hello { .. } => Ok(()),
            ClientMsg::Ping { t } => self.send(&ServerMsg::Pong { t }).await,
            ClientMsg::Join { room, since } => self.join(id, &person, room, since).await,
            ClientMsg::Leave { room } => {
                self.outlet.leave(&room);
                if self.rooms.remove(&room).is_some() && self.app.hub.unfollow(&room, self.id) {
                    self.app.broker.close_room(&room);
                }
                match id {
                    Some(id) => self.send(&ok(id, None, Made::default(), None)).await,
                    None => Ok(()),
                }
            }
            ClientMsg::Page { room, of, before } => self.page(id, &person, room, of, before).await,
            ClientMsg::ScheduleMeetings {
                ref event,
                move_booked,
            } => {
                let room = RoomId::Event(event.clone());
                if !self
                    .permitted(id, &person, Action::ManageEvent, None, &room)
                    .await?
                {
                    return Ok(());
                }
                let app = self.app.clone();
                let event = event.clone();
                self.queue(pending, id, room.clone(), move |turn| async move {
                    let work =
                        crate::transport::meetings::schedule_all(&app.engine, &event, move_booked);
                    let done = app.engine.in_turn(turn, work).await;
                    if done.is_ok() {
                        crate::transport::staff::note_request(
                            &app,
                            &person,
                            &room,
                            Action::ManageEvent,
                            &msg,
                        );
                    }
                    done
                })
                .await
            }
            msg @ (ClientMsg::QuizStanding { .. }
            | ClientMsg::FindAtTables { .. }
            | ClientMsg::FindPeople { .. }
            | ClientMsg::Recommend { .. }) => {
                // Reads: who may, the limit, the room (`reads::gate`), then the answer.
                let (room, action, limit) =
                    crate::transport::reads::gate(&msg).expect("a read request");
                if !self.permitted(id, &person, action, limit, &room).await? {
                    return Ok(());
                }
                let reply = crate::transport::reads::answer(&self.app, &person, id, &msg)
                    .await
                    .expect("a read request");
                self.send(&reply).await
            }
            msg => {
                // What staff do is noted in the event's activity log; attendees' asks and
                // votes (the bulk) are not, and are not copied.
                let noted = (person.role != Role::Attendee).then(|| msg.clone());
                self.taking_part.note(&msg);
                // Everything else changes a room: the request table says who may, and how.
                let Some(r) = requests::route(&person, msg) else {
                    return self
                        .refuse(id, ErrorCode::BadRequest, "no such request".into())
                        .await;
                };
                if !self
                    .permitted(id, &person, r.action, r.limit, &r.room)
                    .await?
                {
                    return Ok(());
                }
                let app = self.app.clone();
                self.queue(pending, id, r.room.clone(), move |turn| async move {
                    let done = app.engine.submit_in_turn(&r.room, r.command, turn).await;
                    if let (Ok(_), Some(msg)) = (&done, noted) {
                        crate::transport::staff::note_request(
                            &app, &person, &r.room, r.action, &msg,
                        );
                    }
                    done
                })
                .await
            }
        }
    }
    /// Checks a request's role and the person's rate limit; answers a refusal itself.
    async fn permitted(
        &mut self,
        id: Option<RequestId>,
        person: &Person,
        action: Action,
        limit: Option<PersonLimit>,
        room: &RoomId,
    ) -> Result<bool, Ending> {
        if !auth::allowed(person, action, room) {
            self.forbidden(id, person).await?;
            return Ok(false);
        }
        // Invitations may be withdrawn: checked on every request of a person who joined
        // through one (an in-memory lookup; other people cost nothing).
        match auth::still_valid(&self.app.engine, person).await {
            Ok(true) => {}
            Ok(false) => return self.withdrawn(id).await.map(|()| false),
            Err(e) => {
                self.send(&refusal(id, e)).await?;
                return Ok(false);
            }
        }
        if let Some(limit) = limit
            && !self.app.person_limits.take(&person.id, limit)
        {
            self.app.metrics.rate_limited.inc();
            self.refuse(id, ErrorCode::RateLimited, limit.refusal().into())
                .await?;
            return Ok(false);
        }
        // Questions also count per address: a thousand throwaway identities share one.
        if limit == Some(PersonLimit::Ask) && !self.app.addresses.take(self.addr, Counted::Ask) {
            self.app.metrics.address_limited.inc();
            self.refuse(id, ErrorCode::RateLimited, Counted::Ask.refusal().into())
                .await?;
            return Ok(false);
        }
        Ok(true)
    }

    /// The person's invitation was withdrawn: say so, and close (4100).
    async fn withdrawn(&mut self, id: Option<RequestId>) -> Result<(), Ending> {
        self.refuse(
            id,
            ErrorCode::Unauthenticated,
            auth::AuthError::Revoked.to_string(),
        )
        .await?;
        Err(Some((close::AUTH_FAILED, "invitation withdrawn")))
    }

    async fn forbidden(&mut self, id: Option<RequestId>, person: &Person) -> Result<(), Ending> {
        self.refuse(id, ErrorCode::Forbidden, auth::refusal(person.role))
            .await
    }

    /// Queues a change of `room` in the connection's line (changes are decided in the order the
    /// client sent them); its answer is sent when the store has committed it, after the event
    /// it made, while the connection goes on serving other frames.
    async fn queue<F>(
        &mut self,
        pending: &mut Pending,
        id: Option<RequestId>,
        room: RoomId,
        change: impl FnOnce(Turn) -> F,
    ) -> Result<(), Ending>
    where
        F: Future<Output = Result<Done, Refusal>> + Send + 'static,
    {
        // Answers held back for their event ([`Outlet::send_after`]) are still in flight.
        if pending.len() + self.outlet.parked() >= MAX_PENDING_REQUESTS {
            self.app.metrics.rate_limited.inc();
            return self
                .refuse(
                    id,
                    ErrorCode::RateLimited,
                    "too many requests in flight".into(),
                )
                .await;
        }
        let change = change(self.line.turn());
        pending.push(Box::pin(async move {
            match (change.await, id) {
                // Without an id the client asked for no answer on success.
                (Ok(done), Some(id)) => Some(Answer {
                    msg: ok(id, Some(done.seq), done.made, None),
                    after: Some((room, done.seq)),
                }),
                (Ok(_), None) => None,
                (Err(e), id) => Some(Answer {
                    msg: refusal(id, e),
                    after: None,
                }),
            }
        }));
        Ok(())
    }

    async fn hello(
        &mut self,
        id: Option<RequestId>,
        versions: &[u32],
        token: &str,
    ) -> Result<(), Ending> {
        let Some(protocol) = negotiate(versions) else {
            self.send(&ServerMsg::Error {
                id,
                code: ErrorCode::UnsupportedVersion,
                message: format!(
                    "this server speaks protocol versions {}..={}",
                    plenum_protocol::MIN_PROTOCOL_VERSION,
                    plenum_protocol::PROTOCOL_VERSION
                ),
                field: Some("versions".into()),
            })
            .await?;
            return Err(Some((
                close::UNSUPPORTED_PROTOCOL,
                "no common protocol version",
            )));
        };
        // An empty token: the sign-in cookie the upgrade carried, if any.
        let token = match (token.trim(), &self.cookie) {
            ("", Some(cookie)) => cookie.clone(),
            _ => token.to_owned(),
        };
        let verified = match self.app.auth.verify(&token) {
            Ok(person) => match auth::still_valid(&self.app.engine, &person).await {
                Ok(true) => Ok(person),
                Ok(false) => Err(auth::AuthError::Revoked),
                // The event room cannot be read now: try again shortly.
                Err(e) => {
                    self.send(&refusal(id, e)).await?;
                    return Err(Some((close::SERVICE_RESTART, "try again shortly")));
                }
            },
            Err(e) => Err(e),
        };
        match verified {
            Ok(person) => {
                self.person = Some(person.clone());
                self.send(&ServerMsg::Welcome {
                    protocol,
                    server: concat!("plenum/", env!("CARGO_PKG_VERSION")).into(),
                    person,
                    heartbeat_ms: self.app.config.limits.heartbeat.as_millis() as u64,
                })
                .await
            }
            Err(e) => {
                self.send(&ServerMsg::Error {
                    id,
                    code: ErrorCode::Unauthenticated,
                    message: e.to_string(),
                    field: Some("token".into()),
                })
                .await?;
                Err(Some((close::AUTH_FAILED, "token refused; get a new one")))
            }
        }
    }

    /// One page of a list of a room this connection follows, as its viewer sees it.
    async fn page(
        &mut self,
        id: Option<RequestId>,
        person: &Person,
        room_id: RoomId,
        of: Listing,
        before: Option<u64>,
    ) -> Result<(), Ending> {
        if !self
            .permitted(id, person, Action::Follow, None, &room_id)
            .await?
        {
            return Ok(());
        }
        let Some(viewer) = self.rooms.get(&room_id) else {
            return self
                .refuse_field(
                    id,
                    ErrorCode::BadRequest,
                    "join the room first".into(),
                    Some("room".into()),
                )
                .await;
        };
        let viewer = viewer.clone();
        let room = match self.app.engine.room(&room_id).await {
            Ok(room) => room,
            Err(e) => return self.send(&refusal(id, e)).await,
        };
        let (seq, page) = room.view(Some(&person.id), |seq, full, personalise| {
            (seq, bounds::page(full, &viewer, personalise, of, before))
        });
        self.send(&ServerMsg::Page {
            id,
            room: room_id,
            seq,
            of,
            questions: page.questions,
            polls: page.polls,
            quizzes: page.quizzes,
            awards: page.awards,
            harvests: page.harvests,
            more: page.more,
        })
        .await
    }

    async fn join(
        &mut self,
        id: Option<RequestId>,
        person: &Person,
        room_id: RoomId,
        since: Option<Seq>,
    ) -> Result<(), Ending> {
        if !self
            .permitted(id, person, Action::Follow, None, &room_id)
            .await?
        {
            return Ok(());
        }
        if !self.rooms.contains_key(&room_id)
            && self.rooms.len() >= limits::MAX_ROOMS_PER_CONNECTION
        {
            return self
                .refuse(
                    id,
                    ErrorCode::TooLarge,
                    format!(
                        "a connection follows at most {} rooms",
                        limits::MAX_ROOMS_PER_CONNECTION
                    ),
                )
                .await;
        }
        let room = match self.app.engine.room(&room_id).await {
            Ok(room) => room,
            Err(e) => {
                let mut msg = refusal(id, e);
                if let ServerMsg::Error { field, .. } = &mut msg {
                    *field = Some("room".into());
                }
                return self.send(&msg).await;
            }
        };
        // Hold, follow, then catch up: see the module docs. Until the catch-up is sent, the
        // outlet holds what arrives for the room.
        let viewer = Viewer::of(person, &room_id);
        self.outlet.follow(room_id.clone(), viewer.clone());
        if !self.rooms.contains_key(&room_id)
            && self.app.hub.follow(&room_id, self.id, self.outlet.clone())
        {
            self.app.broker.open_room(&room_id);
        }
        self.rooms.insert(room_id.clone(), viewer.clone());
        let snapshot = room.catch_up(since, Some(&person.id), |full, personalise| {
            bounds::snapshot(full, &viewer, personalise)
        });
        let (seq, mode, replayed) = match snapshot {
            CatchUp::Snapshot { seq, state } => {
                if since.is_some() {
                    self.app.metrics.resume_snapshot.inc();
                }
                self.send(&ServerMsg::Snapshot {
                    room: room_id.clone(),
                    seq,
                    state,
                })
                .await?;
                (seq, JoinMode::Snapshot, 0)
            }
            CatchUp::Replay { seq, frames } => {
                self.app.metrics.resume_replayed.inc();
                let n = frames.len() as u64;
                for frames in frames {
                    self.send_frame(frames.for_viewer(&viewer)).await?;
                }
                (seq, JoinMode::Replay, n)
            }
        };
        self.send(&ServerMsg::Joined {
            id,
            room: room_id.clone(),
            seq,
            mode,
            replayed,
        })
        .await?;
        // What arrived meanwhile follows, without what the catch-up had.
        self.outlet.caught_up(&room_id, seq);
        let count = self.app.hub.count(&room_id) as u64;
        self.send(&ServerMsg::Presence {
            room: room_id,
            count,
        })
        .await
    }
}
