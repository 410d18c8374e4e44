//! One WebSocket connection: its upgrade, its task, its policies.
//!
//! The upgrade is our own (RFC 6455's handshake, tungstenite's accept key): the connection
//! keeps the TCP socket, and room events are written to it by the hub's lanes through the
//! connection's [`Outlet`], whole frames built once per broadcast, without waking this task
//! (`delivery/outlet.rs`). Each connection is one task that waits, in this order, for:
//! shutdown, being cut, writing what waits in its outlet when the socket is writable again,
//! the next frame from the client (read by tungstenite's `WebSocketContext`), answers to its
//! pending requests, and the heartbeat. It polls them ([`Waits::poll`]) rather
//! than `select!` over futures: the outlet, the socket's readiness and the requests keep the
//! task's waker themselves, so an idle connection's task holds no future for them, and costs
//! about 2.5 KiB (bench/README.md, W0). Its own frames go through the same outlet, so
//! everything leaves in one order:
//!
//! - **Order and resume.** The outlet remembers, per room, the last sequence number sent. On
//!   join the outlet holds the room's events *first*, then the task follows the room in the
//!   hub and takes the catch-up (snapshot or replay) under the room's lock, so an event is
//!   either in the catch-up or arrives after it; the held copies at or below the catch-up's
//!   sequence are dropped when it is sent. Nothing is missed and nothing is sent twice.
//! - **Bursts.** What the socket does not take at once waits in the outlet and is written
//!   together, up to 64 frames a write. A replay is written the same way.
//! - **Slow clients.** The outlet is bounded ([`Limits::outbound_queue`] frames). When it is
//!   full the lane cuts it (`Outlet::cut`, which wakes the task), and the task closes with
//!   `close::LAGGING`: the client reconnects and resumes. A socket that takes nothing for [`SEND_TIMEOUT`] while frames
//!   wait does the same. What waits still goes, then the Close frame (past every bound), within
//!   [`SEND_TIMEOUT`] of the cut; the client then has as long again to read it and answer.
//! - **Heartbeats.** The server pings every [`Limits::heartbeat`] (the first ping 18 to 19
//!   twentieths of an interval after connecting: `ws/beats.rs`); a client silent for two
//!   intervals is closed with `close::HEARTBEAT_TIMEOUT`.
//! - **Bad input.** A malformed frame gets a `bad_request` error and changes nothing; a flood
//!   of them (more than [`MAX_BAD_FRAMES`] in one heartbeat interval, rate-limited frames
//!   counted too), or a client that never says hello, is closed with `close::PROTOCOL_VIOLATION`.

pub mod beats;
mod handle;
mod inbound;
mod upgrade;

pub(crate) use upgrade::origin_allowed;
pub use upgrade::upgrade;

use super::{
    addresses::{ClientAddr, SocketGuard},
    listener,
    requests::Bucket,
};
use crate::{
    App, auth,
    delivery::{
        audience::Viewer,
        hub::ConnId,
        outlet::{Cut, Frame, Outlet, SEND_TIMEOUT, Stop},
        room_map::RoomMap,
    },
    engine::{Command, Line},
    interactions::{
        Refusal,
        attendance::{Attendance, AttendanceCommand},
    },
};
use futures_util::{StreamExt, stream::FuturesUnordered};
use inbound::Inbound;
use plenum_protocol::{ErrorCode, Person, RoomId, Seq, ServerMsg, close};
use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, atomic::Ordering},
    task::{Context, Poll},
    time::{Duration, Instant},
};
use tungstenite::Message;

/// Most of the connection's own frames left waiting for the socket before it waits for the
/// socket to take them (a replay, a burst of answers).
const MAX_BURST: usize = 64;
/// Time a new connection has to send `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a connection the server closes waits for the client's Close frame.
const CLOSE_WAIT: Duration = Duration::from_secs(2);
/// Malformed or rate-limited frames tolerated in one heartbeat interval before the
/// connection is closed. The count starts again at each heartbeat: a client that slips now and
/// then over a day is not cut, one that floods is.
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

type Reply = Pin<Box<dyn Future<Output = Option<Answer>> + Send>>;

/// Requests waiting for the store, their answers in the order they come. Made only while one
/// waits: most connections wait for none, and an empty `FuturesUnordered` holds two
/// allocations.
#[derive(Default)]
struct Pending(Option<FuturesUnordered<Reply>>);

impl Pending {
    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, FuturesUnordered::len)
    }

    fn push(&mut self, reply: Reply) {
        self.0.get_or_insert_with(FuturesUnordered::new).push(reply);
    }

    /// The next answer (boxed as it arrives: a `ServerMsg` is large, and the connection's
    /// task would otherwise keep room for one); pending while none waits.
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Box<Answer>>> {
        let Some(waiting) = &mut self.0 else {
            return Poll::Pending;
        };
        match waiting.poll_next_unpin(cx) {
            Poll::Ready(Some(answer)) => {
                if waiting.is_empty() {
                    self.0 = None;
                }
                Poll::Ready(answer.map(Box::new))
            }
            Poll::Ready(None) => {
                self.0 = None;
                Poll::Pending
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// [`Pending::poll_next`] as a future; `None` once none waits.
    async fn next(&mut self) -> Option<Option<Box<Answer>>> {
        std::future::poll_fn(|cx| match self.poll_next(cx) {
            Poll::Ready(answer) => Poll::Ready(Some(answer)),
            Poll::Pending if self.0.is_none() => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        })
        .await
    }
}

/// What a connection's task waits for, besides its outlet (which the heartbeat wheel and the
/// shutdown signal too: `ws/beats.rs`) and its socket's readiness.
struct Waits {
    /// Gone once the client said hello.
    hello_deadline: Option<Pin<Box<tokio::time::Sleep>>>,
    pending: Pending,
    /// The deadline of frames waiting for the socket, made only while some do.
    stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Waits {
    /// What woke the task, in this order. Polled, not a `select!` of futures: the outlet, the
    /// socket's readiness and the requests keep the task's waker themselves, so an idle
    /// connection's task holds no future for them (W0).
    fn poll(
        &mut self,
        cx: &mut Context<'_>,
        outlet: &Outlet,
        inbound: &mut Inbound,
    ) -> Poll<Woken> {
        outlet.register(cx.waker());
        if outlet.shutting_down() {
            return Poll::Ready(Woken::Shutdown);
        }
        if outlet.cut_for().is_some() {
            return Poll::Ready(Woken::Cut);
        }
        if let Some(deadline) = &mut self.hello_deadline
            && deadline.as_mut().poll(cx).is_ready()
        {
            return Poll::Ready(Woken::NoHello);
        }
        // What the socket did not take at once, written as it takes it: before the client's
        // frames, which can come without end (pings), and ready only when the socket failed
        // or stalled, so the client's frames are read whatever waits.
        if let Poll::Ready(stop) = outlet.poll_pump(cx, &mut self.stall) {
            return Poll::Ready(Woken::Stopped(stop));
        }
        if let Poll::Ready(frame) = inbound.poll_next(cx) {
            return Poll::Ready(Woken::Frame(Incoming::of(frame)));
        }
        if let Poll::Ready(reply) = self.pending.poll_next(cx) {
            return Poll::Ready(Woken::Reply(reply));
        }
        if outlet.take_beat() {
            return Poll::Ready(Woken::Heartbeat);
        }
        Poll::Pending
    }
}

/// What woke a connection's task.
enum Woken {
    Shutdown,
    Cut,
    NoHello,
    Frame(Incoming),
    Stopped(Stop),
    Reply(Option<Box<Answer>>),
    Heartbeat,
}

/// A frame from the client, as the connection's loop tells them apart (small: it passes
/// through every idle connection's task).
enum Incoming {
    Text(tungstenite::Utf8Bytes),
    Binary,
    /// A ping or a pong.
    Control,
    Close,
    /// A raw frame (tungstenite gives none when reading).
    Other,
    /// The connection is closed.
    End,
    /// Too large, or not a WebSocket frame.
    Unreadable,
}

impl Incoming {
    fn of(frame: Option<Result<Message, tungstenite::Error>>) -> Incoming {
        match frame {
            Some(Ok(Message::Text(text))) => Incoming::Text(text),
            Some(Ok(Message::Binary(_))) => Incoming::Binary,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Incoming::Control,
            Some(Ok(Message::Close(_))) => Incoming::Close,
            Some(Ok(Message::Frame(_))) => Incoming::Other,
            None => Incoming::End,
            Some(Err(_)) => Incoming::Unreadable,
        }
    }
}

/// The answer to a request, and for a change, the room event it made: the answer follows that
/// event on this connection ([`Outlet::send_after`]).
struct Answer {
    msg: ServerMsg,
    after: Option<(RoomId, Seq)>,
}

struct Connection {
    app: App,
    id: ConnId,
    /// Who the hello's token said; `None` until then.
    person: Option<Person>,
    /// Rooms followed, and which view of each this person gets (see `delivery/audience.rs`);
    /// the outlet keeps the last sequence number sent of each.
    rooms: RoomMap<Viewer>,
    /// The socket's writing side, shared with the hub's lanes.
    outlet: Arc<Outlet>,
    bucket: Bucket,
    /// The order of this connection's changes.
    line: Line,
    /// Malformed or rate-limited frames since the last heartbeat.
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
    /// Its slot in the heartbeat wheel (`ws/beats.rs`).
    beat_slot: u64,
    _socket: SocketGuard,
    /// The upgraded socket with its connection permit, held for the connection's life.
    io: listener::Counted,
}

impl Drop for Connection {
    /// Cleanup on every way out, a panic included: unfollow every room, count the close.
    fn drop(&mut self) {
        for room in self.rooms.keys() {
            if self.app.hub.unfollow(room, self.id) {
                self.app.broker.close_room(room);
            }
        }
        self.app.beats.leave(self.beat_slot, self.id);
        // A lane still holding the outlet writes nothing more.
        self.outlet.seal();
        self.app.metrics.connections.dec();
    }
}

/// Why the loop ended: a close code to send, or none when the peer is already gone.
type Ending = Option<(u16, &'static str)>;

impl Connection {
    fn new(
        app: App,
        addr: ClientAddr,
        cookie: Option<String>,
        socket: SocketGuard,
        io: listener::Counted,
    ) -> Connection {
        app.metrics.connections.inc();
        let limits = app.config.limits.clone();
        let outlet = Outlet::new(
            io.tcp().clone(),
            limits.outbound_queue,
            app.metrics.flushes.clone(),
        );
        let id = app.next_conn.fetch_add(1, Ordering::Relaxed);
        let outlet = Arc::new(outlet);
        let beat_slot = app.beats.enter(id, &outlet);
        Connection {
            id,
            app,
            person: None,
            rooms: RoomMap::default(),
            outlet,
            bucket: Bucket::new(limits.requests_per_second, limits.request_burst),
            line: Line::default(),
            bad_frames: 0,
            last_heard: Instant::now(),
            addr,
            cookie,
            taking_part: Default::default(),
            beat_slot,
            _socket: socket,
            io,
        }
    }

    /// Serves the connection until it ends. By reference: an async fn's arguments take room
    /// twice in its future (rust-lang/rust#62958), and this one sits in every connection's task.
    async fn run(&mut self, inbound: &mut Inbound) {
        let mut waits = Waits {
            hello_deadline: Some(Box::pin(tokio::time::sleep(HELLO_TIMEOUT))),
            pending: Pending::default(),
            stall: None,
        };
        let ending: Ending = loop {
            if self.person.is_some() {
                waits.hello_deadline = None;
            }
            let woken = std::future::poll_fn(|cx| waits.poll(cx, &self.outlet, inbound)).await;
            match woken {
                Woken::Shutdown => {
                    break Some((
                        close::SERVICE_RESTART,
                        "server restarting; reconnect and resume",
                    ));
                }
                Woken::Cut => break Some(self.cut()),
                Woken::NoHello => break Some((close::PROTOCOL_VIOLATION, "no hello")),
                Woken::Frame(frame) => {
                    let text = match frame {
                        Incoming::Text(text) => text,
                        Incoming::Binary => {
                            self.last_heard = Instant::now();
                            match Box::pin(self.refuse(
                                None,
                                ErrorCode::BadRequest,
                                "frames are JSON text".into(),
                            ))
                            .await
                            {
                                Ok(()) if self.person.is_none() => {
                                    break Some((close::PROTOCOL_VIOLATION, "say hello first"));
                                }
                                Ok(()) => continue,
                                Err(end) => break end,
                            }
                        }
                        Incoming::Control => {
                            self.last_heard = Instant::now();
                            continue;
                        }
                        // The client closes: answer its Close frame (RFC 6455 section 5.5.1), which
                        // the WebSocket library queued and a flush sends.
                        Incoming::Close => {
                            self.outlet.stop_rooms();
                            inbound.flush();
                            self.outlet.seal();
                            let _ = Box::pin(tokio::time::timeout(
                                Duration::from_secs(1),
                                self.outlet.drain(0),
                            ))
                            .await;
                            break None;
                        }
                        Incoming::Other => continue,
                        Incoming::End => break None,
                        // Too large, or not a WebSocket frame: say so (sending may fail if the
                        // peer is gone, which is fine).
                        Incoming::Unreadable => {
                            break Some((
                                close::PROTOCOL_VIOLATION,
                                "unreadable or oversized frame",
                            ));
                        }
                    };
                    self.last_heard = Instant::now();
                    self.app.metrics.messages_in.inc();
                    // Boxed: a request's handling (joins, snapshots) is a large future, and inline
                    // it would sit in every idle connection's task (see BENCHMARKS.md, W0).
                    if let Err(end) = Box::pin(self.on_text(&mut waits.pending, &text)).await {
                        break end;
                    }
                }
                Woken::Stopped(stop) => break self.stopped(stop),
                Woken::Reply(reply) => {
                    // Boxed: inline, sending would sit in every idle connection's task.
                    if let Some(reply) = reply
                        && let Err(end) = Box::pin(self.answer(&reply)).await
                    {
                        break end;
                    }
                }
                Woken::Heartbeat => {
                    let every = self.app.config.limits.heartbeat;
                    if self.last_heard.elapsed() > every * 2 {
                        break Some((close::HEARTBEAT_TIMEOUT, "no heartbeat"));
                    }
                    self.bad_frames = 0;
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
                        && self.last_heard.elapsed() <= every * 3 / 2
                    {
                        let rooms = &self.rooms;
                        self.taking_part
                            .renew(&self.app, p, |room| rooms.contains_key(room));
                    }
                    if !inbound.ping() {
                        break None;
                    }
                }
            }
        };

        if let Some((code, reason)) = ending {
            // Boxed: the closing handshake's futures would otherwise sit in every idle
            // connection's task.
            Box::pin(self.close(inbound, waits.pending, code, reason)).await;
        }
        // Drop unfollows every room.
    }

    /// Closes the connection with `code` and `reason`: the answers of requests already
    /// queued when the server restarts, then the Close frame after everything before it, and
    /// the client's Close read for a moment.
    async fn close(
        &self,
        inbound: &mut Inbound,
        mut pending: Pending,
        code: u16,
        reason: &'static str,
    ) {
        if code == close::SERVICE_RESTART {
            // Requests already queued will be committed: give their answers a moment to
            // arrive, so a client does not retry what succeeded.
            let drain = async {
                while let Some(reply) = pending.next().await {
                    if let Some(reply) = reply
                        && self.answer(&reply).await.is_err()
                    {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(Duration::from_secs(1), Box::pin(drain)).await;
        }
        // No frame of a room goes out from here, and nothing at all after the Close frame.
        self.outlet.stop_rooms();
        inbound.close(code, reason);
        self.outlet.seal();
        // What was queued before the Close frame leaves first. A restarting server gives it a
        // second; otherwise it has as long as a socket may take nothing, counted from the cut
        // (sealing restarts that clock): a phone that reads slowly still learns why it was
        // cut. Past that the connection ends without a Close frame.
        let leave = if code == close::SERVICE_RESTART {
            Duration::from_secs(1)
        } else {
            SEND_TIMEOUT
        };
        if let Ok(Ok(())) = tokio::time::timeout(leave, self.outlet.drain(0)).await {
            // The closing handshake (RFC 6455 section 7.1.1): read what the client still sends
            // until its Close arrives, for a moment. Closing with its pongs unread would make
            // the kernel answer with a reset, which can reach the client before our Close.
            let until_close = async {
                while let Some(Ok(frame)) = inbound.next().await {
                    if matches!(frame, Message::Close(_)) {
                        break;
                    }
                }
            };
            // A restarting server waits less: its clients come back anyway. A client cut for
            // lagging has its backlog to read before it reaches the Close frame, answering the
            // pings in it as it goes: it gets as long as a socket may take nothing. (Closing
            // while its pongs arrive would reset the connection, and the reset discards what
            // the kernel still held for it, the Close frame with it.)
            let wait = match code {
                close::SERVICE_RESTART => CLOSE_WAIT / 4,
                close::LAGGING => SEND_TIMEOUT,
                _ => CLOSE_WAIT,
            };
            let _ = tokio::time::timeout(wait, until_close).await;
        }
    }

    /// Sends one message of the connection's own, after everything before it; when many of
    /// its own wait for the socket, waits (within [`SEND_TIMEOUT`]) for it to take them.
    async fn send(&self, msg: &ServerMsg) -> Result<(), Ending> {
        self.send_frame(&Frame::of(msg)).await
    }

    /// Sends the answer to a request: after the event its change made, if it made one.
    async fn answer(&self, answer: &Answer) -> Result<(), Ending> {
        match &answer.after {
            Some((room, seq)) => {
                let frame = Frame::of(&answer.msg);
                let sent = self.outlet.send_after(room, *seq, &frame);
                self.sent(sent).await
            }
            None => self.send(&answer.msg).await,
        }
    }

    /// [`Connection::send`] for a frame already made (a replayed event).
    async fn send_frame(&self, frame: &Frame) -> Result<(), Ending> {
        let sent = self.outlet.send(frame);
        self.sent(sent).await
    }

    /// After a frame of its own was sent (or refused: `sent` false): the connection's end if
    /// it was cut, else, when many of its own wait, waiting for the socket to take some.
    async fn sent(&self, sent: bool) -> Result<(), Ending> {
        if !sent {
            return Err(self.outlet.cut_for().map(|_| self.cut()));
        }
        self.app.metrics.messages_out.inc();
        if self.outlet.waiting() > MAX_BURST {
            self.outlet
                .drain(MAX_BURST / 2)
                .await
                .map_err(|stop| self.stopped(stop))?;
        }
        Ok(())
    }

    /// Why the connection closes when its outlet was cut.
    fn cut(&self) -> (u16, &'static str) {
        match self.outlet.cut_for() {
            Some(Cut::Gap) => (close::LAGGING, "missed events; reconnect and resume"),
            Some(Cut::TooLarge) => (close::FRAME_TOO_LARGE, "a message was too large to send"),
            Some(Cut::Lagging) | None => (close::LAGGING, "too slow; reconnect and resume"),
        }
    }

    /// Why the connection closes when writing to its socket stopped.
    fn stopped(&self, stop: Stop) -> Ending {
        match stop {
            Stop::Failed => None,
            Stop::TimedOut => {
                self.app.metrics.send_timeouts.inc();
                Some((close::LAGGING, "too slow; reconnect and resume"))
            }
        }
    }
}

/// Sends presence counts of rooms whose local following changed, at most once per `every`, and
/// at most one tick late (each rides along with the room's next broadcast if one comes before
/// the next tick: `Hub::presence_tick`). Coalesced on purpose: a thousand people joining in a
/// minute cost one frame per room per tick, not a thousand.
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
        for (room, count) in app.hub.presence_tick() {
            record_peak(&app, &room, count as u64);
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
    use super::*;
    use crate::delivery::outlet::tests::filler;
    use tokio::{
        io::{AsyncReadExt, AsyncWriteExt},
        net::{TcpListener, TcpStream},
    };

    /// A client that sends pings without end does not keep its connection from writing
    /// what waits for it: the task writes before it reads (it used to read every ping
    /// first, and what waited piled up until the connection was cut as lagging).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn what_waits_is_written_while_the_client_floods_pings() {
        const PINGS: usize = 8_000;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let tcp = Arc::new(server);
        let outlet = Arc::new(Outlet::new(tcp.clone(), 256, Default::default()));
        // Frames wait: the client reads nothing yet.
        let filler = filler();
        while outlet.waiting() < 16 {
            assert!(outlet.send_bytes(filler.clone()));
        }
        // Every ping is in the server's socket before the task reads one (empty, masked).
        client
            .write_all(&[0x89, 0x80, 1, 2, 3, 4].repeat(PINGS))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Now the client reads.
        let reader = tokio::spawn(async move {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_secs(2), client.read(&mut buf)).await
                && n > 0
            {}
        });
        let mut inbound = Inbound::over(tcp, outlet.clone(), Vec::new());
        let mut waits = Waits {
            hello_deadline: None,
            pending: Pending::default(),
            stall: None,
        };
        let mut pings = 0;
        while outlet.waiting() > 0 {
            let woken = tokio::time::timeout(
                Duration::from_secs(10),
                std::future::poll_fn(|cx| waits.poll(cx, &outlet, &mut inbound)),
            )
            .await
            .expect("the task is woken");
            assert!(
                matches!(woken, Woken::Frame(Incoming::Control)),
                "only pings come"
            );
            pings += 1;
            assert!(
                pings < PINGS,
                "every ping was read before what waited was written"
            );
        }
        assert!(outlet.cut_for().is_none(), "the connection was not cut");
        reader.abort();
    }
}
