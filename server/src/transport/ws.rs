//! One WebSocket connection: its upgrade, its task, its policies.
//!
//! Each connection is one task running a closed `select!` over: shutdown, being cut for
//! lagging, the next frame from the client, the next item of its outbound queue, answers to
//! its pending requests, and the heartbeat. Nothing else writes to the socket, so frames go
//! out in the order the task chooses:
//!
//! - **Order and resume.** The task remembers, per room, the last sequence number it sent.
//!   On join it follows the room in the hub *first*, then takes the catch-up (snapshot or
//!   replay) under the room's lock, so an event is either in the catch-up or arrives through
//!   the queue; the queue's copies at or below the catch-up's sequence are dropped. Nothing is
//!   missed and nothing is sent twice.
//! - **Bursts.** What the queue holds when the task wakes (up to [`MAX_BURST`] frames) is
//!   written together, with one flush: a burst of events costs one socket write per
//!   [`WRITE_BUFFER`] bytes, not one per frame. A replay is written the same way.
//! - **Slow clients.** The outbound queue is bounded ([`Limits::outbound_queue`]). When it is
//!   full the hub cancels `lagged`, and the task closes with `close::LAGGING`: the client
//!   reconnects and resumes. A socket write that takes longer than [`SEND_TIMEOUT`] does the
//!   same.
//! - **Heartbeats.** The server pings every [`Limits::heartbeat`]; a client silent for two
//!   intervals is closed with `close::HEARTBEAT_TIMEOUT`.
//! - **Bad input.** A malformed frame gets a `bad_request` error and changes nothing; a flood
//!   of them, or a client that never says hello, is closed with `close::PROTOCOL_VIOLATION`.

use super::{
    addresses::{ClientAddr, Counted, SocketGuard},
    replies::{Unreadable, ok, read_frame, refusal},
    requests::{self, Bucket, PersonLimit},
};
use crate::{
    App,
    auth::{self, Action},
    delivery::{
        audience::{Frames, Viewer},
        bounds,
        hub::{ConnId, Frame, Outbound, Subscriber},
    },
    engine::{CatchUp, Command, Done, Line, Turn},
    interactions::{
        Made, Refusal,
        attendance::{Attendance, AttendanceCommand},
    },
};
use axum::{
    extract::{
        State,
        ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::{
    SinkExt, StreamExt,
    stream::{FuturesUnordered, SplitSink},
};
use plenum_protocol::{
    ClientFrame, ClientMsg, ErrorCode, JoinMode, Listing, Person, RequestId, Role, RoomId, Seq,
    ServerMsg, close, limits, negotiate,
};
use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Longest a single socket write may take before the client is treated as lagging.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(5);
/// Most frames taken from the outbound queue and written together at one wake.
const MAX_BURST: usize = 64;
/// Bytes of frames gathered before they are written to the socket (a flush writes the rest):
/// frames queued together go out in as few writes as this allows.
const WRITE_BUFFER: usize = 16 * 1024;
/// Time a new connection has to send `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection the server closes waits for the client's Close frame.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Malformed or rate-limited frames tolerated before the connection is closed.
const MAX_BAD_FRAMES: u32 = 20;
/// How often idle per-person rate-limit buckets are dropped, and how long they must have been
/// idle (and full again) to go.
const LIMITS_SWEEP_EVERY: Duration = Duration::from_secs(60);
/// Requests one connection may have waiting for the store at once.
const MAX_PENDING_REQUESTS: usize = 64;

/// Per-connection limits, from the server configuration.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Capacity of each connection's outbound queue, in frames. 256 frames is seconds of a
    /// busy room: enough to ride out a hiccup, small enough that a stalled phone costs at
    /// most a few hundred kilobytes before it is cut.
    pub outbound_queue: usize,
    /// How often the server pings.
    pub heartbeat: Duration,
    /// Sustained requests per second one connection may make…
    pub requests_per_second: f64,
    /// …and the burst it may make at once.
    pub request_burst: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            outbound_queue: 256,
            heartbeat: Duration::from_secs(20),
            requests_per_second: 20.0,
            request_burst: 60.0,
        }
    }
}

/// `GET /ws`: checks the Origin, then upgrades.
pub async fn upgrade(
    State(app): State<App>,
    addr: Option<axum::Extension<ClientAddr>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&app, &headers) {
        return (StatusCode::FORBIDDEN, "origin not allowed\n").into_response();
    }
    // The connection itself counts against --max-connections (transport::listener); here,
    // against what one address may hold open.
    let addr = addr.map_or(ClientAddr(std::net::Ipv4Addr::UNSPECIFIED.into()), |a| a.0);
    let Some(socket_guard) = app.addresses.open_socket(addr) else {
        app.metrics.address_limited.inc();
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            "too many connections from your address\n",
        )
            .into_response();
    };
    // The sign-in cookie, unless the browser says another site's page opens this socket.
    let other_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| matches!(site, "cross-site" | "same-site"));
    let cookie = (!other_site)
        .then(|| super::staff::cookie_token(&headers))
        .flatten();
    ws
        // axum's default read buffer is 128 KiB per connection; our frames are small, and
        // a larger one is read in several steps.
        .read_buffer_size(1024)
        .write_buffer_size(WRITE_BUFFER)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(limits::MAX_CLIENT_FRAME_BYTES)
        .max_frame_size(limits::MAX_CLIENT_FRAME_BYTES)
        .on_upgrade(move |socket| {
            let tracker = app.tracker.clone();
            tracker.track_future(Connection::new(app, addr, cookie, socket_guard).run(socket))
        })
}

/// Browsers always send Origin: it must be this server itself or an allowed origin. Clients
/// that are not browsers send none; they still need a token.
pub(crate) fn origin_allowed(app: &App, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let wanted = origin.trim_end_matches('/');
    if app
        .config
        .allowed_origins
        .iter()
        .chain(&app.config.public_url)
        .any(|o| o.trim_end_matches('/').eq_ignore_ascii_case(wanted))
    {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

type Sink = SplitSink<WebSocket, Message>;
type Reply = Pin<Box<dyn Future<Output = Option<ServerMsg>> + Send>>;

struct Connection {
    app: App,
    id: ConnId,
    /// Who the hello's token said; `None` until then.
    person: Option<Person>,
    /// Rooms followed: the last sequence number sent for each, and which view of it this
    /// person gets (see `delivery/audience.rs`).
    rooms: HashMap<RoomId, (Seq, Viewer)>,
    tx: mpsc::Sender<Outbound>,
    rx: mpsc::Receiver<Outbound>,
    lagged: CancellationToken,
    bucket: Bucket,
    /// The order of this connection's changes.
    line: Line,
    bad_frames: u32,
    last_heard: Instant,
    /// Held for the connection's life: one of [`crate::Config::max_connections`].
    /// The client's address, and its count of open WebSockets.
    addr: ClientAddr,
    /// The sign-in cookie of the upgrade request (its Origin was checked): the credential of a
    /// `hello` with an empty token.
    cookie: Option<String>,
    /// The sessions whose tables this connection said it takes part at (renewed each heartbeat).
    taking_part: super::taking_part::TakingPart,
    _socket: SocketGuard,
}

impl Drop for Connection {
    /// Cleanup on every way out, a panic included: unfollow every room, count the close.
    fn drop(&mut self) {
        for room in self.rooms.keys() {
            if self.app.hub.unfollow(room, self.id) {
                self.app.broker.close_room(room);
            }
        }
        self.app.metrics.connections.dec();
    }
}

/// Why the loop ended: a close code to send, or none when the peer is already gone.
type Ending = Option<(u16, &'static str)>;

impl Connection {
    fn new(app: App, addr: ClientAddr, cookie: Option<String>, socket: SocketGuard) -> Connection {
        app.metrics.connections.inc();
        let limits = app.config.limits.clone();
        let (tx, rx) = mpsc::channel(limits.outbound_queue);
        Connection {
            id: app.next_conn.fetch_add(1, Ordering::Relaxed),
            app,
            person: None,
            rooms: HashMap::new(),
            tx,
            rx,
            lagged: CancellationToken::new(),
            bucket: Bucket::new(limits.requests_per_second, limits.request_burst),
            line: Line::default(),
            bad_frames: 0,
            last_heard: Instant::now(),
            addr,
            cookie,
            taking_part: Default::default(),
            _socket: socket,
        }
    }

    async fn run(mut self, socket: WebSocket) {
        let (mut sink, mut stream) = socket.split();
        let mut pending: FuturesUnordered<Reply> = FuturesUnordered::new();
        let heartbeat_every = self.app.config.limits.heartbeat;
        let mut heartbeat = tokio::time::interval_at(
            tokio::time::Instant::now() + heartbeat_every,
            heartbeat_every,
        );
        let hello_deadline = tokio::time::sleep(HELLO_TIMEOUT);
        tokio::pin!(hello_deadline);
        // Waited on for the connection's life, not made anew at every wake: each one made anew
        // would enter and leave the token's list of waiters (a lock shared by every connection)
        // for every frame delivered.
        let shutdown = self.app.shutdown.clone().cancelled_owned();
        tokio::pin!(shutdown);
        let lagged = self.lagged.clone().cancelled_owned();
        tokio::pin!(lagged);

        let ending: Ending = loop {
            tokio::select! {
                biased;
                _ = &mut shutdown => break Some((close::SERVICE_RESTART, "server restarting; reconnect and resume")),
                _ = &mut lagged => break Some((close::LAGGING, "too slow; reconnect and resume")),
                _ = &mut hello_deadline, if self.person.is_none() => break Some((close::PROTOCOL_VIOLATION, "no hello")),
                frame = stream.next() => {
                    let text = match frame {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Binary(_))) => {
                            self.last_heard = Instant::now();
                            match Box::pin(self.refuse(&mut sink, None, ErrorCode::BadRequest, "frames are JSON text".into())).await {
                                Ok(()) if self.person.is_none() => break Some((close::PROTOCOL_VIOLATION, "say hello first")),
                                Ok(()) => continue,
                                Err(end) => break end,
                            }
                        }
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                            self.last_heard = Instant::now();
                            continue;
                        }
                        // The client closes: answer its Close frame (RFC 6455 section 5.5.1), which
                        // the WebSocket library queued and a flush sends.
                        Some(Ok(Message::Close(_))) => {
                            let _ = tokio::time::timeout(Duration::from_secs(1), sink.close()).await;
                            break None;
                        }
                        None => break None,
                        // Too large, or not a WebSocket frame: say so (sending may fail if the
                        // peer is gone, which is fine).
                        Some(Err(_)) => break Some((close::PROTOCOL_VIOLATION, "unreadable or oversized frame")),
                    };
                    self.last_heard = Instant::now();
                    self.app.metrics.messages_in.inc();
                    // Boxed: a request's handling (joins, snapshots) is a large future, and inline
                    // it would sit in every idle connection's task (see BENCHMARKS.md, W0).
                    if let Err(end) = Box::pin(self.on_text(&mut sink, &mut pending, &text)).await {
                        break end;
                    }
                }
                Some(item) = self.rx.recv() => {
                    if let Err(end) = self.forward(&mut sink, item).await {
                        break end;
                    }
                }
                Some(reply) = pending.next(), if !pending.is_empty() => {
                    if let Some(reply) = reply
                        && let Err(end) = self.send(&mut sink, &reply).await {
                            break end;
                        }
                }
                _ = heartbeat.tick() => {
                    if self.last_heard.elapsed() > heartbeat_every * 2 {
                        break Some((close::HEARTBEAT_TIMEOUT, "no heartbeat"));
                    }
                    // A withdrawn invitation ends an open connection within a heartbeat, even
                    // one that only listens.
                    if let Some(p) = &self.person
                        && auth::invitation_of(p).is_some()
                        // Boxed: rare, and inline it would sit in every idle connection's task.
                        && matches!(Box::pin(auth::still_valid(&self.app.engine, p)).await, Ok(false))
                    {
                        break Some((close::AUTH_FAILED, "invitation withdrawn"));
                    }
                    // Still there: it answered the last ping (sent a heartbeat ago), and
                    // follows the session.
                    if let Some(p) = &self.person
                        && self.last_heard.elapsed() <= heartbeat_every * 3 / 2
                    {
                        let rooms = &self.rooms;
                        self.taking_part.renew(&self.app, p, |room| rooms.contains_key(room));
                    }
                    if let Err(end) = self.send_raw(&mut sink, Message::Ping(Default::default())).await {
                        break end;
                    }
                }
            }
        };

        if let Some((code, reason)) = ending {
            if code == close::SERVICE_RESTART {
                // Requests already queued will be committed: give their answers a moment to
                // arrive, so a client does not retry what succeeded.
                let drain = async {
                    while let Some(reply) = pending.next().await {
                        if let Some(reply) = reply
                            && self.send(&mut sink, &reply).await.is_err()
                        {
                            break;
                        }
                    }
                };
                let _ = tokio::time::timeout(Duration::from_secs(1), Box::pin(drain)).await;
            }
            let close = Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            }));
            if let Ok(Ok(())) = tokio::time::timeout(Duration::from_secs(1), sink.send(close)).await
            {
                // The closing handshake (RFC 6455 section 7.1.1): read what the client still sends
                // until its Close arrives, for a moment. Closing with its pongs unread would make
                // the kernel answer with a reset, which can reach the client before our Close.
                let until_close = async {
                    while let Some(Ok(frame)) = stream.next().await {
                        if matches!(frame, Message::Close(_)) {
                            break;
                        }
                    }
                };
                // A restarting server waits less: its clients come back anyway.
                let wait = if code == close::SERVICE_RESTART {
                    CLOSE_WAIT / 4
                } else {
                    CLOSE_WAIT
                };
                let _ = tokio::time::timeout(wait, until_close).await;
            }
        }
        // Drop unfollows every room.
    }

    /// Sends one message, within [`SEND_TIMEOUT`]: [`Connection::feed`], then
    /// [`Connection::flush`].
    async fn send_raw(&self, sink: &mut Sink, msg: Message) -> Result<(), Ending> {
        self.feed(sink, msg).await?;
        self.flush(sink).await
    }

    /// Writes what was fed, within [`SEND_TIMEOUT`].
    async fn flush(&self, sink: &mut Sink) -> Result<(), Ending> {
        match tokio::time::timeout(SEND_TIMEOUT, sink.flush()).await {
            Ok(Ok(())) => {
                self.app.metrics.flushes.inc();
                Ok(())
            }
            Ok(Err(_)) => Err(None),
            Err(_) => {
                self.app.metrics.send_timeouts.inc();
                Err(Some((close::LAGGING, "too slow; reconnect and resume")))
            }
        }
    }

    /// Adds one message to what the next flush writes (written already once [`WRITE_BUFFER`]
    /// bytes gather), within [`SEND_TIMEOUT`]. A message over the frame limit is not sent:
    /// every message is bounded by design, so one that is not is a bug, logged, and the
    /// connection closes with [`close::FRAME_TOO_LARGE`] (the client would not read it).
    async fn feed(&self, sink: &mut Sink, msg: Message) -> Result<(), Ending> {
        if let Message::Text(text) = &msg
            && text.len() > limits::MAX_SERVER_FRAME_BYTES
        {
            let start: String = text.as_str().chars().take(120).collect();
            tracing::error!(
                bytes = text.len(),
                start,
                "a frame over the limit was not sent; closing the connection"
            );
            return Err(Some((
                close::FRAME_TOO_LARGE,
                "a message was too large to send",
            )));
        }
        match tokio::time::timeout(SEND_TIMEOUT, sink.feed(msg)).await {
            Ok(Ok(())) => {
                self.app.metrics.messages_out.inc();
                Ok(())
            }
            Ok(Err(_)) => Err(None),
            Err(_) => {
                self.app.metrics.send_timeouts.inc();
                Err(Some((close::LAGGING, "too slow; reconnect and resume")))
            }
        }
    }

    async fn send(&self, sink: &mut Sink, msg: &ServerMsg) -> Result<(), Ending> {
        let text = serde_json::to_string(msg).expect("server messages always serialise");
        self.send_raw(sink, Message::Text(text.into())).await
    }

    async fn refuse(
        &mut self,
        sink: &mut Sink,
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    ) -> Result<(), Ending> {
        self.refuse_field(sink, id, code, message, None).await
    }

    /// [`Connection::refuse`], naming the field to blame.
    async fn refuse_field(
        &mut self,
        sink: &mut Sink,
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
        self.send(
            sink,
            &ServerMsg::Error {
                id,
                code,
                message,
                field,
            },
        )
        .await
    }

    /// Forwards `first` and what else the queue holds now (up to [`MAX_BURST`] frames), in
    /// order and without duplicates, written together with one flush.
    async fn forward(&mut self, sink: &mut Sink, first: Outbound) -> Result<(), Ending> {
        let mut fed = 0;
        let mut next = Some(first);
        while let Some(item) = next {
            if let Some(frame) = self.admitted(item)? {
                self.feed(sink, Message::Text(frame)).await?;
                fed += 1;
            }
            next = if fed < MAX_BURST {
                self.rx.try_recv().ok()
            } else {
                None
            };
        }
        if fed > 0 {
            self.flush(sink).await?;
        }
        Ok(())
    }

    /// The frame of a room event from the queue for this connection's view, if it is the next
    /// one of its room (none: a duplicate, or a room left since; a gap cuts the client).
    fn admitted(&mut self, item: Outbound) -> Result<Option<Frame>, Ending> {
        let Some((last, viewer)) = self.rooms.get_mut(item.room.as_ref()) else {
            return Ok(None); // left the room since
        };
        if let Some(seq) = item.seq {
            match admit(last, seq) {
                Admit::Next => {}
                Admit::Duplicate => return Ok(None),
                Admit::Gap => {
                    // Never expected from a local broker; a lossy one may. The resume fills it.
                    tracing::warn!(room = %item.room, have = *last, got = seq, "sequence gap; cutting the client to resume");
                    return Err(Some((
                        close::LAGGING,
                        "missed events; reconnect and resume",
                    )));
                }
            }
        }
        Ok(Some(item.frames.for_viewer(viewer).clone()))
    }

    async fn on_text(
        &mut self,
        sink: &mut Sink,
        pending: &mut FuturesUnordered<Reply>,
        text: &str,
    ) -> Result<(), Ending> {
        let frame: ClientFrame = match read_frame(text) {
            Ok(f) => f,
            Err(Unreadable { id, message, field }) => {
                self.refuse_field(sink, id, ErrorCode::BadRequest, message, field)
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
                    sink,
                    id,
                    ErrorCode::RateLimited,
                    "too many requests; slow down".into(),
                )
                .await;
        }
        let person = match (&self.person, frame.msg) {
            (None, ClientMsg::Hello { versions, token }) => {
                return self.hello(sink, id, &versions, &token).await;
            }
            (None, _) => {
                // The first frame must be `hello`: say so, then close.
                self.refuse(
                    sink,
                    id,
                    ErrorCode::Unauthenticated,
                    "say hello first".into(),
                )
                .await?;
                return Err(Some((close::PROTOCOL_VIOLATION, "say hello first")));
            }
            (Some(_), ClientMsg::Hello { .. }) => {
                return self
                    .refuse(sink, id, ErrorCode::BadRequest, "already said hello".into())
                    .await;
            }
            (Some(p), msg) => (p.clone(), msg),
        };
        let (person, msg) = person;
        match msg {
            ClientMsg::Hello { .. } => Ok(()),
            ClientMsg::Ping { t } => self.send(sink, &ServerMsg::Pong { t }).await,
            ClientMsg::Join { room, since } => self.join(sink, id, &person, room, since).await,
            ClientMsg::Leave { room } => {
                if self.rooms.remove(&room).is_some() && self.app.hub.unfollow(&room, self.id) {
                    self.app.broker.close_room(&room);
                }
                match id {
                    Some(id) => self.send(sink, &ok(id, None, Made::default(), None)).await,
                    None => Ok(()),
                }
            }
            ClientMsg::Page { room, of, before } => {
                self.page(sink, id, &person, room, of, before).await
            }
            ClientMsg::ScheduleMeetings {
                ref event,
                move_booked,
            } => {
                let room = RoomId::Event(event.clone());
                if !self
                    .permitted(sink, id, &person, Action::ManageEvent, None, &room)
                    .await?
                {
                    return Ok(());
                }
                let app = self.app.clone();
                let event = event.clone();
                self.queue(sink, pending, id, move |turn| async move {
                    let work = super::meetings::schedule_all(&app.engine, &event, move_booked);
                    let done = app.engine.in_turn(turn, work).await;
                    if done.is_ok() {
                        super::staff::note_request(&app, &person, &room, Action::ManageEvent, &msg);
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
                let (room, action, limit) = super::reads::gate(&msg).expect("a read request");
                if !self
                    .permitted(sink, id, &person, action, limit, &room)
                    .await?
                {
                    return Ok(());
                }
                let reply = super::reads::answer(&self.app, &person, id, &msg)
                    .await
                    .expect("a read request");
                self.send(sink, &reply).await
            }
            msg => {
                // What staff do is noted in the event's activity log; attendees' asks and
                // votes (the bulk) are not, and are not copied.
                let noted = (person.role != Role::Attendee).then(|| msg.clone());
                self.taking_part.note(&msg);
                // Everything else changes a room: the request table says who may, and how.
                let Some(r) = requests::route(&person, msg) else {
                    return self
                        .refuse(sink, id, ErrorCode::BadRequest, "no such request".into())
                        .await;
                };
                if !self
                    .permitted(sink, id, &person, r.action, r.limit, &r.room)
                    .await?
                {
                    return Ok(());
                }
                let app = self.app.clone();
                self.queue(sink, pending, id, move |turn| async move {
                    let done = app.engine.submit_in_turn(&r.room, r.command, turn).await;
                    if let (Ok(_), Some(msg)) = (&done, noted) {
                        super::staff::note_request(&app, &person, &r.room, r.action, &msg);
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
        sink: &mut Sink,
        id: Option<RequestId>,
        person: &Person,
        action: Action,
        limit: Option<PersonLimit>,
        room: &RoomId,
    ) -> Result<bool, Ending> {
        if !auth::allowed(person, action, room) {
            self.forbidden(sink, id, person).await?;
            return Ok(false);
        }
        // Invitations may be withdrawn: checked on every request of a person who joined
        // through one (an in-memory lookup; other people cost nothing).
        match auth::still_valid(&self.app.engine, person).await {
            Ok(true) => {}
            Ok(false) => return self.withdrawn(sink, id).await.map(|()| false),
            Err(e) => {
                self.send(sink, &refusal(id, e)).await?;
                return Ok(false);
            }
        }
        if let Some(limit) = limit
            && !self.app.person_limits.take(&person.id, limit)
        {
            self.app.metrics.rate_limited.inc();
            self.refuse(sink, id, ErrorCode::RateLimited, limit.refusal().into())
                .await?;
            return Ok(false);
        }
        // Questions also count per address: a thousand throwaway identities share one.
        if limit == Some(PersonLimit::Ask) && !self.app.addresses.take(self.addr, Counted::Ask) {
            self.app.metrics.address_limited.inc();
            self.refuse(
                sink,
                id,
                ErrorCode::RateLimited,
                Counted::Ask.refusal().into(),
            )
            .await?;
            return Ok(false);
        }
        Ok(true)
    }

    /// The person's invitation was withdrawn: say so, and close (4100).
    async fn withdrawn(&mut self, sink: &mut Sink, id: Option<RequestId>) -> Result<(), Ending> {
        self.refuse(
            sink,
            id,
            ErrorCode::Unauthenticated,
            auth::AuthError::Revoked.to_string(),
        )
        .await?;
        Err(Some((close::AUTH_FAILED, "invitation withdrawn")))
    }

    async fn forbidden(
        &mut self,
        sink: &mut Sink,
        id: Option<RequestId>,
        person: &Person,
    ) -> Result<(), Ending> {
        self.refuse(sink, id, ErrorCode::Forbidden, auth::refusal(person.role))
            .await
    }

    /// Queues a change in the connection's line (changes are decided in the order the client
    /// sent them); its answer is sent when the store has committed it, while the connection
    /// goes on serving other frames.
    async fn queue<F>(
        &mut self,
        sink: &mut Sink,
        pending: &mut FuturesUnordered<Reply>,
        id: Option<RequestId>,
        change: impl FnOnce(Turn) -> F,
    ) -> Result<(), Ending>
    where
        F: Future<Output = Result<Done, Refusal>> + Send + 'static,
    {
        if pending.len() >= MAX_PENDING_REQUESTS {
            self.app.metrics.rate_limited.inc();
            return self
                .refuse(
                    sink,
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
                (Ok(done), Some(id)) => Some(ok(id, Some(done.seq), done.made, None)),
                (Ok(_), None) => None,
                (Err(e), id) => Some(refusal(id, e)),
            }
        }));
        Ok(())
    }

    async fn hello(
        &mut self,
        sink: &mut Sink,
        id: Option<RequestId>,
        versions: &[u32],
        token: &str,
    ) -> Result<(), Ending> {
        let Some(protocol) = negotiate(versions) else {
            self.send(
                sink,
                &ServerMsg::Error {
                    id,
                    code: ErrorCode::UnsupportedVersion,
                    message: format!(
                        "this server speaks protocol versions {}..={}",
                        plenum_protocol::MIN_PROTOCOL_VERSION,
                        plenum_protocol::PROTOCOL_VERSION
                    ),
                    field: Some("versions".into()),
                },
            )
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
                    self.send(sink, &refusal(id, e)).await?;
                    return Err(Some((close::SERVICE_RESTART, "try again shortly")));
                }
            },
            Err(e) => Err(e),
        };
        match verified {
            Ok(person) => {
                self.person = Some(person.clone());
                self.send(
                    sink,
                    &ServerMsg::Welcome {
                        protocol,
                        server: concat!("plenum/", env!("CARGO_PKG_VERSION")).into(),
                        person,
                        heartbeat_ms: self.app.config.limits.heartbeat.as_millis() as u64,
                    },
                )
                .await
            }
            Err(e) => {
                self.send(
                    sink,
                    &ServerMsg::Error {
                        id,
                        code: ErrorCode::Unauthenticated,
                        message: e.to_string(),
                        field: Some("token".into()),
                    },
                )
                .await?;
                Err(Some((close::AUTH_FAILED, "token refused; get a new one")))
            }
        }
    }

    /// One page of a list of a room this connection follows, as its viewer sees it.
    async fn page(
        &mut self,
        sink: &mut Sink,
        id: Option<RequestId>,
        person: &Person,
        room_id: RoomId,
        of: Listing,
        before: Option<u64>,
    ) -> Result<(), Ending> {
        if !self
            .permitted(sink, id, person, Action::Follow, None, &room_id)
            .await?
        {
            return Ok(());
        }
        let Some((_, viewer)) = self.rooms.get(&room_id) else {
            return self
                .refuse_field(
                    sink,
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
            Err(e) => return self.send(sink, &refusal(id, e)).await,
        };
        let (seq, page) = room.view(Some(&person.id), |seq, full, personalise| {
            (seq, bounds::page(full, &viewer, personalise, of, before))
        });
        self.send(
            sink,
            &ServerMsg::Page {
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
            },
        )
        .await
    }

    async fn join(
        &mut self,
        sink: &mut Sink,
        id: Option<RequestId>,
        person: &Person,
        room_id: RoomId,
        since: Option<Seq>,
    ) -> Result<(), Ending> {
        if !self
            .permitted(sink, id, person, Action::Follow, None, &room_id)
            .await?
        {
            return Ok(());
        }
        if !self.rooms.contains_key(&room_id)
            && self.rooms.len() >= limits::MAX_ROOMS_PER_CONNECTION
        {
            return self
                .refuse(
                    sink,
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
                return self.send(sink, &msg).await;
            }
        };
        // Follow first, then catch up: see the module docs. Until the catch-up is sent, the
        // room's last sequence is "everything", so queued copies are dropped as duplicates.
        if !self.rooms.contains_key(&room_id) {
            let sub = Subscriber {
                tx: self.tx.clone(),
                lagged: self.lagged.clone(),
            };
            if self.app.hub.follow(&room_id, self.id, sub) {
                self.app.broker.open_room(&room_id);
            }
        }
        let viewer = Viewer::of(person, &room_id);
        self.rooms
            .insert(room_id.clone(), (Seq::MAX, viewer.clone()));
        let snapshot = room.catch_up(since, Some(&person.id), |full, personalise| {
            bounds::snapshot(full, &viewer, personalise)
        });
        let (seq, mode, replayed) = match snapshot {
            CatchUp::Snapshot { seq, state } => {
                if since.is_some() {
                    self.app.metrics.resume_snapshot.inc();
                }
                self.send(
                    sink,
                    &ServerMsg::Snapshot {
                        room: room_id.clone(),
                        seq,
                        state,
                    },
                )
                .await?;
                (seq, JoinMode::Snapshot, 0)
            }
            CatchUp::Replay { seq, frames } => {
                self.app.metrics.resume_replayed.inc();
                let n = frames.len() as u64;
                // Written together (the `joined` after them flushes).
                for frames in frames {
                    let frame = frames.for_viewer(&viewer).clone();
                    self.feed(sink, Message::Text(frame)).await?;
                }
                (seq, JoinMode::Replay, n)
            }
        };
        self.rooms.insert(room_id.clone(), (seq, viewer));
        self.send(
            sink,
            &ServerMsg::Joined {
                id,
                room: room_id.clone(),
                seq,
                mode,
                replayed,
            },
        )
        .await?;
        let count = self.app.hub.count(&room_id) as u64;
        self.send(
            sink,
            &ServerMsg::Presence {
                room: room_id,
                count,
            },
        )
        .await
    }
}

/// What to do with a room event that arrives through the queue.
#[derive(Debug, PartialEq, Eq)]
enum Admit {
    /// The next one: send it.
    Next,
    /// Already sent (it was in the catch-up): drop it.
    Duplicate,
    /// Events are missing before it: the client must resume.
    Gap,
}

/// Decides on event `seq` for a room whose last sent event is `*last`, advancing `*last`.
fn admit(last: &mut Seq, seq: Seq) -> Admit {
    if seq <= *last {
        Admit::Duplicate
    } else if seq == *last + 1 {
        *last = seq;
        Admit::Next
    } else {
        Admit::Gap
    }
}

/// Sends presence counts of rooms whose local following changed, at most once per `every`.
/// Coalesced on purpose: a thousand people joining in a minute cost one frame per room per
/// tick, not a thousand.
pub async fn presence_loop(app: App, every: Duration) {
    let mut tick = tokio::time::interval(every);
    let mut last_sweep = Instant::now();
    loop {
        tokio::select! {
            _ = app.shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        // Per-person limits of people who have been quiet for a while say nothing any more.
        if last_sweep.elapsed() > LIMITS_SWEEP_EVERY {
            last_sweep = Instant::now();
            app.person_limits.sweep(LIMITS_SWEEP_EVERY);
            app.addresses.sweep(LIMITS_SWEEP_EVERY);
        }
        for (room, count) in app.hub.presence_changes() {
            record_peak(&app, &room, count as u64);
            let msg = ServerMsg::Presence {
                room: room.clone(),
                count: count as u64,
            };
            let frame =
                Frame::from(serde_json::to_string(&msg).expect("server messages always serialise"));
            app.hub
                .deliver(&Arc::new(room), None, &Arc::new(Frames::uniform(frame)));
        }
    }
}

/// Records a rise of this server's presence in a session room, for the after-event report
/// (`interactions::attendance`); in the background, so the presence loop never waits.
fn record_peak(app: &App, room: &RoomId, count: u64) {
    if !matches!(room, RoomId::Session(..)) {
        return;
    }
    {
        let mut known = app.peaks.entry(room.clone()).or_insert(0);
        if count <= *known {
            return;
        }
        *known = count;
    }
    let (app, room) = (app.clone(), room.clone());
    tokio::spawn(async move {
        let command = Command::to::<Attendance>(AttendanceCommand::Present {
            server: app.server_id.clone(),
            count,
        });
        if let Err(e) = app.engine.submit(&room, command).await {
            tracing::debug!(%room, error = %e, "a presence peak was not recorded");
            // The store failed: try again at the next rise (a refusal is not retried).
            if matches!(e, Refusal::Unavailable) {
                app.peaks.remove(&room);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::{Admit, admit};

    #[test]
    fn queued_events_are_sent_once_and_in_order() {
        // Caught up to 5 by a snapshot; the queue holds 4 and 5 (published while joining), then 6.
        let mut last = 5;
        assert_eq!(admit(&mut last, 4), Admit::Duplicate);
        assert_eq!(admit(&mut last, 5), Admit::Duplicate);
        assert_eq!(admit(&mut last, 6), Admit::Next);
        assert_eq!(last, 6);
        assert_eq!(admit(&mut last, 6), Admit::Duplicate);
        assert_eq!(admit(&mut last, 8), Admit::Gap);
        assert_eq!(last, 6, "a gap does not advance");
    }
}
