//! A connection's socket as delivery sees it: frames written straight to the socket by
//! whoever delivers them, with a queue only for what the socket cannot take at once.
//!
//! A broadcast to 19,000 people should cost about 19,000 socket writes and little else. So a
//! room event is not handed to each connection's task to write (a task wake, a queue and a
//! flush per recipient): the hub's lane that delivers it writes the frame's bytes itself,
//! with a non-blocking write, when nothing is queued before it. The bytes are a whole
//! WebSocket frame, header and payload, built once per broadcast ([`Frame`]): frames from a
//! server are not masked, so they are the same for every recipient of one view.
//!
//! What the socket does not take at once waits in the outlet's queue, in order, and the
//! connection's task writes it, everything queued in one vectored write, when the socket is
//! writable again ([`Outlet::poll_pump`]). The task keeps no future for the outlet: one waker,
//! registered in it, is woken when frames start to wait, when the connection is cut, and for
//! the heartbeat wheel (`transport::ws::beats`): a heartbeat due, the server shutting down.
//! Every write to the socket goes through the outlet's lock, the connection's own replies too
//! ([`Outlet::send`]), so frames leave in one order.
//!
//! Order and resume, per room followed: the outlet admits each room event only as the next of
//! its room ([`admit`]): one already sent is dropped, one after a gap cuts the client to
//! resume. While the connection sends a room's catch-up, what arrives for that room is held
//! and written after it ([`Outlet::follow`], [`Outlet::caught_up`]). The answer to a change
//! the connection asked for waits for the room event the change made and leaves right after
//! it, in the same write ([`Outlet::send_after`]): a client sees the change before its `ok`.
//!
//! Bounds: at most [`OWN_FRAMES`] answers wait for their rooms' events (they count among the
//! connection's requests in flight; past that one goes at once). At most `capacity` frames of
//! rooms wait for the socket (with at most [`OWN_FRAMES`] more of the connection's own:
//! answers, a catch-up, pongs), and at most `capacity` more are held while a room's catch-up
//! is sent. Past that the client is too slow: no frame of a room
//! is written to it any more, its task is woken ([`Outlet::cut_for`]) and its connection closes with
//! `close::LAGGING`. The same when the socket takes nothing for [`SEND_TIMEOUT`] while frames
//! wait.
//!
//! A cut is final: once a frame of a room could not be sent (too many waiting, a gap, over the
//! limit), none after it is, so the client's last sequence number is one it can resume from.

use super::{
    audience::{Frames, Viewer},
    room_map::RoomMap,
};
use bytes::Bytes;
use futures_util::task::AtomicWaker;
use plenum_protocol::{RoomId, Seq, ServerMsg};
use prometheus_client::metrics::counter::Counter;
use smallvec::SmallVec;
use std::{
    collections::VecDeque,
    io::{self, IoSlice},
    pin::Pin,
    sync::{
        Arc, Mutex, MutexGuard, PoisonError,
        atomic::{AtomicU8, Ordering},
    },
    task::{Context, Poll, Waker, ready},
    time::{Duration, Instant},
};
use tokio::{net::TcpStream, time::Sleep};
use tungstenite::protocol::frame::{
    FrameHeader,
    coding::{Data, OpCode},
};

/// A server message as a whole WebSocket text frame, header and payload, serialised and
/// framed once per broadcast; cloning it bumps a reference count.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    bytes: Bytes,
    /// Length of the WebSocket header before the payload (2, 4 or 10 bytes).
    header: u8,
}

impl Frame {
    /// `json` as one final text frame.
    pub fn text(json: String) -> Frame {
        let header = FrameHeader {
            opcode: OpCode::Data(Data::Text),
            ..FrameHeader::default()
        };
        let mut bytes = Vec::with_capacity(json.len() + 10);
        header
            .format(json.len() as u64, &mut bytes)
            .expect("writing to a Vec never fails");
        let header = bytes.len() as u8;
        bytes.extend_from_slice(json.as_bytes());
        Frame {
            bytes: bytes.into(),
            header,
        }
    }

    /// A server message, serialised and framed.
    pub fn of(msg: &ServerMsg) -> Frame {
        Frame::text(serde_json::to_string(msg).expect("server messages always serialise"))
    }

    /// The message's JSON.
    pub fn payload(&self) -> &str {
        std::str::from_utf8(&self.bytes[self.header as usize..])
            .expect("a frame is made from a String")
    }

    /// The whole frame, as written to the socket.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Frame").field(&self.payload()).finish()
    }
}

/// Most queued frames written in one vectored write.
const MAX_IOVECS: usize = 64;

/// Frames of the connection's own that may wait beyond the rooms' `capacity`: its task waits
/// for the socket when more of its own pile up (`transport::ws`), and pongs past it are
/// refused (the WebSocket library then holds a few bytes of them, then only the latest, as
/// RFC 6455 allows: `transport::ws::inbound`).
pub const OWN_FRAMES: usize = 64;

/// Longest the socket may stay unwritable while frames wait before the client is treated as
/// lagging.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// A signal of the heartbeat wheel: a heartbeat is due.
const BEAT: u8 = 1;
/// A signal of the heartbeat wheel: the server shuts down.
const SHUT_DOWN: u8 = 2;

/// Why an outlet's connection was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// More than `capacity` frames waited: the client does not read fast enough.
    Lagging,
    /// A room event arrived with earlier ones missing: the client must resume.
    Gap,
    /// A frame over [`plenum_protocol::limits::MAX_SERVER_FRAME_BYTES`] was not sent (a bug,
    /// logged).
    TooLarge,
}

/// Why [`Outlet::poll_pump`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The socket failed (the peer is gone).
    Failed,
    /// The socket took nothing for [`SEND_TIMEOUT`] while frames waited.
    TimedOut,
}

/// What a delivery to one connection did, for the deliverer's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Frames written or queued (held during a catch-up included).
    pub sent: u64,
    /// Socket writes made (one for several frames, when they went together).
    pub writes: u64,
    /// Whether this delivery cut the connection, for the first time, because too many frames
    /// waited.
    pub overflowed: bool,
}

/// One frame of a room for [`Outlet::deliver`]: an event when `seq` is given, else presence.
pub type Item<'a> = (Option<Seq>, &'a Arc<Frames>);

/// One connection's socket, shared by the hub's lanes and the connection's task.
pub struct Outlet {
    tcp: Arc<TcpStream>,
    state: Mutex<State>,
    /// The connection's task: woken when frames start waiting for the socket, when writing
    /// failed, when the connection is cut, when a heartbeat is due and when the server shuts
    /// down ([`Outlet::register`]).
    task: AtomicWaker,
    /// Why the connection was cut ([`Cut`] as a number, 0 for none yet).
    why: AtomicU8,
    /// For the task, from the heartbeat wheel (`transport::ws::beats`): [`BEAT`], [`SHUT_DOWN`].
    signals: AtomicU8,
    /// Most frames that may wait.
    capacity: usize,
    /// Counts the writes of the connection's own frames and of what waited
    /// (`plenum_flushes_total`; the lanes count theirs).
    flushes: Counter,
}

#[derive(Default)]
struct State {
    rooms: RoomMap<Follow>,
    /// Whole frames waiting for the socket, in order.
    queue: VecDeque<Bytes>,
    /// Bytes of the queue's first frame already written.
    written: usize,
    /// Nothing more is queued: a Close frame was, or the socket failed.
    sealed: bool,
    failed: bool,
    /// No frame of a room is sent any more: one could not be, or the connection is closing.
    stopped: bool,
    /// Since when frames have waited without the socket taking any (for [`SEND_TIMEOUT`]), or
    /// since the outlet was sealed, if later.
    stalled_since: Option<Instant>,
}

/// One room the connection follows.
struct Follow {
    /// The last event sent.
    last: Seq,
    viewer: Viewer,
    /// While the connection sends the room's catch-up: what arrived for it meanwhile.
    held: Option<Vec<(Option<Seq>, Arc<Frames>)>>,
    /// Answers to the connection's own requests whose event has not been sent yet, with that
    /// event's sequence number ([`Outlet::send_after`]): each leaves right after it, in the
    /// same write. At most [`OWN_FRAMES`] over all rooms.
    answers: Vec<(Seq, Bytes)>,
}

/// What to do with a room event that arrives for a connection.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Admit {
    /// The next one: send it.
    Next,
    /// Already sent (it was in the catch-up): drop it.
    Duplicate,
    /// Events are missing before it: the client must resume.
    Gap,
}

/// Decides on event `seq` for a room whose last sent event is `*last`, advancing `*last`.
pub(crate) fn admit(last: &mut Seq, seq: Seq) -> Admit {
    if seq <= *last {
        Admit::Duplicate
    } else if seq == *last + 1 {
        *last = seq;
        Admit::Next
    } else {
        Admit::Gap
    }
}

impl Outlet {
    /// An outlet writing to `tcp`; at most `capacity` frames may wait.
    pub fn new(tcp: Arc<TcpStream>, capacity: usize, flushes: Counter) -> Outlet {
        Outlet {
            tcp,
            state: Mutex::default(),
            task: AtomicWaker::new(),
            signals: AtomicU8::new(0),
            why: AtomicU8::new(0),
            capacity: capacity.max(1),
            flushes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing under the lock panics; if something did, the state is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Has `waker` woken when frames start waiting for the socket, when writing failed, when
    /// the connection is cut ([`Outlet::cut_for`]), when a heartbeat is due
    /// ([`Outlet::take_beat`]) and when the server shuts down ([`Outlet::shutting_down`]); the
    /// last waker registered is the one woken. Check after registering, not before.
    pub fn register(&self, waker: &Waker) {
        self.task.register(waker);
    }

    /// A heartbeat is due: wakes the task ([`Outlet::take_beat`]).
    pub fn beat(&self) {
        self.signals.fetch_or(BEAT, Ordering::AcqRel);
        self.task.wake();
    }

    /// Whether a heartbeat was due; it is not any more.
    pub fn take_beat(&self) -> bool {
        self.signals.fetch_and(!BEAT, Ordering::AcqRel) & BEAT != 0
    }

    /// The server shuts down: wakes the task ([`Outlet::shutting_down`]).
    pub fn shut_down(&self) {
        self.signals.fetch_or(SHUT_DOWN, Ordering::AcqRel);
        self.task.wake();
    }

    /// Whether the server shuts down.
    pub fn shutting_down(&self) -> bool {
        self.signals.load(Ordering::Acquire) & SHUT_DOWN != 0
    }

    /// Why the connection was cut, if it was.
    pub fn cut_for(&self) -> Option<Cut> {
        match self.why.load(Ordering::Acquire) {
            1 => Some(Cut::Lagging),
            2 => Some(Cut::Gap),
            3 => Some(Cut::TooLarge),
            _ => None,
        }
    }

    /// Cuts the connection (the first reason given stays). Returns whether this call cut it.
    pub fn cut(&self, why: Cut) -> bool {
        let code = match why {
            Cut::Lagging => 1,
            Cut::Gap => 2,
            Cut::TooLarge => 3,
        };
        let first = self
            .why
            .compare_exchange(0, code, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        self.task.wake();
        first
    }

    /// Too many frames wait: cuts the connection as lagging. Whether this call cut it.
    fn overflowed(&self, state: &mut State) -> bool {
        self.stop(state);
        self.cut(Cut::Lagging)
    }

    /// Sends no frame of a room from now on: before the Close frame, or when the client must
    /// resume ([`Outlet::resync`]).
    pub fn stop_rooms(&self) {
        self.stop(&mut self.lock());
    }

    /// [`Outlet::stop_rooms`], under the lock. Answers waiting for their event go now: the
    /// client learns that its request was done, and gets the event when it resumes.
    fn stop(&self, state: &mut State) {
        if state.stopped {
            return;
        }
        state.stopped = true;
        let answers: Vec<Bytes> = state
            .rooms
            .values_mut()
            .flat_map(|follow| std::mem::take(&mut follow.answers))
            .map(|(_, bytes)| bytes)
            .collect();
        let answers: Vec<&Bytes> = answers.iter().collect();
        let done = self.write(state, &answers);
        self.flushes.inc_by(done.writes);
    }

    /// Has the client reconnect and resume: no frame of a room is sent any more, and the
    /// connection closes with `close::LAGGING`.
    pub fn resync(&self) {
        self.stop_rooms();
        self.cut(Cut::Lagging);
    }

    /// Starts following `room` (or catching it up again): its events are held from now until
    /// [`Outlet::caught_up`].
    pub fn follow(&self, room: RoomId, viewer: Viewer) {
        let mut state = self.lock();
        let follow = state.rooms.get_or_insert_with(room, || Follow {
            last: 0,
            viewer: viewer.clone(),
            held: None,
            answers: Vec::new(),
        });
        follow.viewer = viewer;
        follow.held = Some(Vec::new());
    }

    /// The catch-up of `room` up to `seq` was sent: writes what was held for it meanwhile, in
    /// order and without what the catch-up had, and what comes after it as it comes.
    pub fn caught_up(&self, room: &RoomId, seq: Seq) {
        let mut state = self.lock();
        let Some(follow) = state.rooms.get_mut(room) else {
            return;
        };
        follow.last = seq;
        let held = follow.held.take().unwrap_or_default();
        let items: Vec<Item<'_>> = held.iter().map(|(seq, frames)| (*seq, frames)).collect();
        let done = self.admit_and_write(&mut state, room, &items);
        self.flushes.inc_by(done.writes);
    }

    /// Stops following `room`: what arrives for it from now on is dropped (answers waiting
    /// for its events go now).
    pub fn leave(&self, room: &RoomId) {
        let mut state = self.lock();
        if let Some(follow) = state.rooms.remove(room) {
            let answers: Vec<&Bytes> = follow.answers.iter().map(|(_, b)| b).collect();
            let done = self.write(&mut state, &answers);
            self.flushes.inc_by(done.writes);
        }
    }

    /// Delivers frames of `room`, in order: written now, together, if nothing waits before
    /// them and the socket takes them, else queued. Never waits.
    pub fn deliver(&self, room: &RoomId, items: &[Item<'_>]) -> Delivered {
        let mut state = self.lock();
        if state.stopped {
            return Delivered::default();
        }
        // The room is found once a delivery: with thousands of followers, comparing room ids
        // is a cost per recipient.
        let Some(at) = state.rooms.find(room) else {
            return Delivered::default();
        };
        let follow = state.rooms.at_mut(at);
        if let Some(held) = &mut follow.held {
            if held.len() + items.len() > self.capacity {
                return Delivered {
                    overflowed: self.overflowed(&mut state),
                    ..Delivered::default()
                };
            }
            held.extend(items.iter().map(|(seq, frames)| (*seq, Arc::clone(frames))));
            return Delivered {
                sent: items.len() as u64,
                ..Delivered::default()
            };
        }
        self.admit_and_write_at(&mut state, room, at, items)
    }

    /// Admits frames of a followed room that is not held, and writes or queues them.
    fn admit_and_write(&self, state: &mut State, room: &RoomId, items: &[Item<'_>]) -> Delivered {
        if state.stopped {
            return Delivered::default();
        }
        let Some(at) = state.rooms.find(room) else {
            return Delivered::default();
        };
        self.admit_and_write_at(state, room, at, items)
    }

    /// [`Outlet::admit_and_write`], for the room at `at` in `state.rooms`, the connection not
    /// stopped.
    fn admit_and_write_at(
        &self,
        state: &mut State,
        room: &RoomId,
        at: usize,
        items: &[Item<'_>],
    ) -> Delivered {
        let follow = state.rooms.at_mut(at);
        // Admitted on a copy: the room's last sequence moves only with frames that are sent.
        let mut last = follow.last;
        // Answers of the connection's own that these events release (declared first: `frames`
        // borrows them).
        let mut answers: Vec<(Seq, Bytes)> = Vec::new();
        // Borrowed, and inline for a few: nothing allocated or counted per recipient unless
        // the socket does not take them at once.
        let mut frames: SmallVec<[&Bytes; 4]> = SmallVec::new();
        let mut cut = None;
        for (seq, item) in items {
            if let Some(seq) = *seq {
                match admit(&mut last, seq) {
                    Admit::Next => {}
                    Admit::Duplicate => continue,
                    Admit::Gap => {
                        // Never expected from a local broker; a lossy one may. The resume
                        // fills it.
                        tracing::warn!(%room, have = last, got = seq,
                            "sequence gap; cutting the client to resume");
                        cut = Some(Cut::Gap);
                        break;
                    }
                }
            }
            let frame = item.for_viewer(&follow.viewer);
            if !self.fits(frame) {
                cut = Some(Cut::TooLarge);
                break;
            }
            frames.push(frame.bytes());
        }
        // Answers these events release go with them, and count against the bound as they did
        // when they were sent.
        let releasing = follow
            .answers
            .iter()
            .filter(|(seq, _)| *seq <= last)
            .count();
        if state.queue.len() + frames.len() + releasing > self.capacity + OWN_FRAMES {
            return Delivered {
                overflowed: self.overflowed(state),
                ..Delivered::default()
            };
        }
        let follow = state.rooms.at_mut(at);
        follow.last = last;
        // Answers whose event is among these follow them, in the same write.
        if !follow.answers.is_empty() {
            let (now, later): (Vec<_>, Vec<_>) =
                follow.answers.drain(..).partition(|(seq, _)| *seq <= last);
            follow.answers = later;
            answers = now;
        }
        let events = frames.len() as u64;
        frames.extend(answers.iter().map(|(_, bytes)| bytes));
        let mut done = self.write(state, &frames);
        // The answers were counted when the connection sent them.
        done.sent = done.sent.min(events);
        if let Some(why) = cut {
            // What came before the cut is sent; nothing after it.
            self.stop(state);
            self.cut(why);
        }
        done
    }

    /// Whether `frame` is within the frame limit. One over it is not sent: every message is
    /// bounded by design, so one that is not is a bug, logged, and the connection is cut with
    /// [`Cut::TooLarge`] (the client would not read it).
    fn fits(&self, frame: &Frame) -> bool {
        let len = frame.bytes.len() - frame.header as usize;
        if len <= plenum_protocol::limits::MAX_SERVER_FRAME_BYTES {
            return true;
        }
        let start: String = frame.payload().chars().take(120).collect();
        tracing::error!(
            bytes = len,
            start,
            "a frame over the limit was not sent; closing the connection"
        );
        false
    }

    /// [`Outlet::fits`], else the connection is cut ([`Cut::TooLarge`]) and no room's frames
    /// go out any more.
    fn fits_or_cut(&self, frame: &Frame) -> bool {
        if self.fits(frame) {
            return true;
        }
        self.stop_rooms();
        self.cut(Cut::TooLarge);
        false
    }

    /// Sends a frame of the connection's own (a reply, a catch-up), after everything before
    /// it. Its own frames do not count against the capacity: the connection's task waits for
    /// the socket ([`Outlet::drain`]) when they pile up. False when the socket failed, or the
    /// frame is over the limit (the connection is then cut).
    pub fn send(&self, frame: &Frame) -> bool {
        if !self.fits_or_cut(frame) {
            return false;
        }
        self.send_bytes(frame.bytes().clone())
    }

    /// Sends the answer to one of the connection's requests after the event `seq` of `room`
    /// that its change made: now if that event was sent, else right after it, in the same
    /// write, so a client sees the change before the answer. Now, too, when the connection
    /// does not follow the room, when no room's frames go out any more ([`Outlet::stop_rooms`]),
    /// and when [`OWN_FRAMES`] answers already wait (the connection keeps fewer: it counts
    /// them among its requests in flight, [`Outlet::parked`]).
    pub fn send_after(&self, room: &RoomId, seq: Seq, frame: &Frame) -> bool {
        if !self.fits_or_cut(frame) {
            return false;
        }
        let mut state = self.lock();
        if state.failed {
            return false;
        }
        let parked = parked(&state);
        if !state.stopped
            && parked < OWN_FRAMES
            && let Some(follow) = state.rooms.get_mut(room)
            && follow.last < seq
        {
            follow.answers.push((seq, frame.bytes().clone()));
            return true;
        }
        let done = self.write(&mut state, &[frame.bytes()]);
        self.flushes.inc_by(done.writes);
        true
    }

    /// Sends a control frame the WebSocket library made (a pong), unless too many frames
    /// wait already: then `WouldBlock`, and the library keeps it (within its bound, then
    /// only the latest pong) for later.
    pub fn send_control(&self, bytes: Bytes) -> io::Result<()> {
        let mut state = self.lock();
        if state.failed {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if state.queue.len() >= self.capacity + OWN_FRAMES {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let done = self.write(&mut state, &[&bytes]);
        self.flushes.inc_by(done.writes);
        Ok(())
    }

    /// [`Outlet::send`] for bytes already framed (by the WebSocket library: pings, pongs,
    /// the Close frame).
    pub fn send_bytes(&self, bytes: Bytes) -> bool {
        let mut state = self.lock();
        if state.failed {
            return false;
        }
        if bytes.is_empty() {
            return true;
        }
        let done = self.write(&mut state, &[&bytes]);
        self.flushes.inc_by(done.writes);
        true
    }

    /// Writes `frames` now, in one write, if nothing waits and the socket takes them; queues
    /// what it does not take (remembering how much of the first of those it took). Only what
    /// is queued is copied (a reference count).
    fn write(&self, state: &mut State, frames: &[&Bytes]) -> Delivered {
        let sent = frames.len() as u64;
        if state.sealed || frames.is_empty() {
            return Delivered::default();
        }
        if !state.queue.is_empty() {
            state.queue.extend(frames.iter().map(|&b| b.clone()));
            return Delivered {
                sent,
                ..Delivered::default()
            };
        }
        // Without a syscall when the socket is known not to be writable.
        let result = if let [one] = frames {
            self.tcp.try_write(one)
        } else {
            let mut slices = [IoSlice::new(&[]); MAX_IOVECS];
            let n = frames.len().min(MAX_IOVECS);
            for (slice, frame) in slices.iter_mut().zip(frames) {
                *slice = IoSlice::new(frame);
            }
            self.tcp.try_write_vectored(&slices[..n])
        };
        let (mut taken, writes) = match result {
            Ok(n) => (n, 1),
            Err(e) if blocked(&e) => (0, 0),
            Err(_) => {
                state.failed = true;
                state.sealed = true;
                self.task.wake();
                return Delivered::default();
            }
        };
        // The frames taken whole; the rest wait.
        let mut whole = 0;
        while let Some(frame) = frames.get(whole)
            && taken >= frame.len()
        {
            taken -= frame.len();
            whole += 1;
        }
        if whole < frames.len() {
            state.written = taken;
            state
                .queue
                .extend(frames[whole..].iter().map(|&b| b.clone()));
            state.stalled_since = Some(Instant::now());
            self.task.wake();
        }
        Delivered {
            sent,
            writes,
            overflowed: false,
        }
    }

    /// Queues nothing more after what is queued now (the Close frame, last). What waits then
    /// has a whole [`SEND_TIMEOUT`] from now to leave, however long the socket had already
    /// taken nothing: a client cut for reading slowly still gets the Close frame that says
    /// why, if it reads within that time of the cut.
    pub fn seal(&self) {
        let mut state = self.lock();
        state.sealed = true;
        if state.stalled_since.is_some() {
            state.stalled_since = Some(Instant::now());
        }
    }

    /// Frames waiting for the socket.
    pub fn waiting(&self) -> usize {
        self.lock().queue.len()
    }

    /// Answers waiting for their room's event ([`Outlet::send_after`]).
    pub fn parked(&self) -> usize {
        parked(&self.lock())
    }

    /// Writes what waits as the socket takes it; ready only when the socket failed or
    /// stalled (took nothing for [`SEND_TIMEOUT`] while frames waited). Polled by the
    /// connection's task, which registered its waker first ([`Outlet::register`]): an idle
    /// connection keeps no future for it, only `stall`, made while frames wait for the socket.
    /// Nothing is lost when it is not polled again: what waits stays in the outlet.
    pub fn poll_pump(
        &self,
        cx: &mut Context<'_>,
        stall: &mut Option<Pin<Box<Sleep>>>,
    ) -> Poll<Stop> {
        loop {
            let mut state = self.lock();
            if state.failed {
                return Poll::Ready(Stop::Failed);
            }
            if state.queue.is_empty() {
                *stall = None;
                return Poll::Pending;
            }
            match self.tcp.poll_write_ready(cx) {
                // Written until the queue emptied or the socket would block (which clears its
                // readiness: the next poll registers for it).
                Poll::Ready(ready) => match ready.and_then(|()| self.write_queue(&mut state)) {
                    Ok(n) => {
                        self.flushes.inc_by(n);
                    }
                    Err(_) => {
                        state.failed = true;
                        state.sealed = true;
                        return Poll::Ready(Stop::Failed);
                    }
                },
                Poll::Pending => {
                    // The deadline runs from when the socket last took something (or from
                    // the seal).
                    let since = state.stalled_since.unwrap_or_else(Instant::now);
                    drop(state);
                    let deadline = tokio::time::Instant::from_std(since + SEND_TIMEOUT);
                    let sleep =
                        stall.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                    if sleep.deadline() != deadline {
                        sleep.as_mut().reset(deadline);
                    }
                    ready!(sleep.as_mut().poll(cx));
                    return Poll::Ready(Stop::TimedOut);
                }
            }
        }
    }

    /// [`Outlet::poll_pump`] as a future, for the tests.
    #[cfg(test)]
    pub async fn pump(&self) -> Stop {
        let mut stall = None;
        std::future::poll_fn(|cx| {
            self.register(cx.waker());
            self.poll_pump(cx, &mut stall)
        })
        .await
    }

    /// Writes what waits until at most `left` frames do, within [`SEND_TIMEOUT`] of the
    /// socket taking nothing (or of the seal).
    pub async fn drain(&self, left: usize) -> Result<(), Stop> {
        loop {
            {
                let state = self.lock();
                if state.failed {
                    return Err(Stop::Failed);
                }
                if state.queue.len() <= left {
                    return Ok(());
                }
            }
            self.write_waiting().await?;
        }
    }

    /// Waits until the socket is writable, then writes what waits (until the socket would
    /// block).
    async fn write_waiting(&self) -> Result<(), Stop> {
        // The deadline runs from when the socket last took something (or from the seal),
        // however often this is called anew.
        let since = self.lock().stalled_since.unwrap_or_else(Instant::now);
        let deadline = tokio::time::Instant::from_std(since + SEND_TIMEOUT);
        match tokio::time::timeout_at(deadline, self.tcp.writable()).await {
            Err(_) => return Err(Stop::TimedOut),
            Ok(Err(_)) => {
                self.lock().failed = true;
                return Err(Stop::Failed);
            }
            Ok(Ok(())) => {}
        }
        let mut state = self.lock();
        match self.write_queue(&mut state) {
            Ok(n) => {
                self.flushes.inc_by(n);
                Ok(())
            }
            Err(_) => {
                state.failed = true;
                state.sealed = true;
                Err(Stop::Failed)
            }
        }
    }

    /// Writes the queue, [`MAX_IOVECS`] frames a write, until it is empty or the socket would
    /// block. Returns the writes made.
    fn write_queue(&self, state: &mut State) -> io::Result<u64> {
        let mut writes = 0;
        while !state.queue.is_empty() {
            let result = {
                let mut slices = [IoSlice::new(&[]); MAX_IOVECS];
                let mut n = 0;
                for (i, bytes) in state.queue.iter().take(MAX_IOVECS).enumerate() {
                    let from = if i == 0 { state.written } else { 0 };
                    slices[i] = IoSlice::new(&bytes[from..]);
                    n += 1;
                }
                self.tcp.try_write_vectored(&slices[..n])
            };
            let mut n = match result {
                Ok(n) => n,
                Err(e) if blocked(&e) => return Ok(writes),
                Err(e) => return Err(e),
            };
            writes += 1;
            if n > 0 {
                state.stalled_since = Some(Instant::now());
            }
            while n > 0 {
                let rest = state.queue[0].len() - state.written;
                if n >= rest {
                    n -= rest;
                    state.queue.pop_front();
                    state.written = 0;
                } else {
                    state.written += n;
                    n = 0;
                }
            }
        }
        state.stalled_since = None;
        // The queue's memory goes with it: most connections wait for nothing most of the time.
        if state.queue.capacity() > MAX_IOVECS {
            state.queue = VecDeque::new();
        }
        Ok(writes)
    }
}

fn parked(state: &State) -> usize {
    state
        .rooms
        .values()
        .map(|follow| follow.answers.len())
        .sum()
}

fn blocked(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

#[cfg(test)]
pub(crate) mod tests;
