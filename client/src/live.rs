//! The live connection: one WebSocket per event, following the event's room and the open
//! session's room.
//!
//! Each room is kept as the server's fold of its events: a snapshot, then every event applied
//! with [`RoomState::apply`] in sequence order. When the socket drops, the connection comes
//! back with backoff and joins every room again with `since` = the last sequence seen, so
//! the server sends exactly what was missed. What to do after a close is the server's call,
//! told by the close code ([`CloseAction::for_code`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{
    ClientFrame, ClientMsg, CloseAction, ErrorCode, EventCode, MIN_PROTOCOL_VERSION,
    PROTOCOL_VERSION, Person, RequestId, RoomId, RoomState, Seq, ServerMsg, close, limits,
};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::api::{self, ApiFailure, saved};

/// How the connection stands, as shown to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// The first attempt, not yet welcomed by the server.
    Connecting,
    /// Welcomed: rooms are live.
    Open,
    /// Lost; another attempt is scheduled or under way.
    Reconnecting,
    /// Will not reconnect on its own, for the reason given (a message key, shown to the person).
    Stopped(&'static str),
}

/// Who the connection speaks as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The token this browser keeps for the event (joining again when the server refuses it).
    Event,
    /// The organiser key, typed into the organiser's sign-in.
    Organiser(String),
}

/// Why a request was not done. Nothing was changed by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The server's reason; `None` when the connection was not there to ask.
    pub code: Option<ErrorCode>,
    /// The server's own words (English), for the details.
    pub message: String,
}

impl Refusal {
    fn offline() -> Refusal {
        Refusal {
            code: None,
            message: String::new(),
        }
    }
}

type Slot = Rc<RefCell<(Option<Result<ServerMsg, Refusal>>, Option<Waker>)>>;

/// The answer to a request: `Ok(ServerMsg::Ok {..})` or why it was refused. A request made
/// while the connection is down, or lost with it, is refused with no code: the screen says so
/// and the person sends it again.
pub struct Reply(Slot);

impl Future for Reply {
    type Output = Result<ServerMsg, Refusal>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.0.borrow_mut();
        match slot.0.take() {
            Some(result) => Poll::Ready(result),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

fn settle(slot: &Slot, result: Result<ServerMsg, Refusal>) {
    let waker = {
        let mut slot = slot.borrow_mut();
        slot.0 = Some(result);
        slot.1.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// What this client knows of one room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Room {
    /// The sequence number of the last event folded into `state`.
    pub seq: Seq,
    /// `None` until the first snapshot arrives.
    pub state: Option<RoomState>,
    /// How many people follow the room, as last told by the server.
    pub present: Option<u64>,
    /// The server said this room does not exist.
    pub missing: bool,
}

/// The live connection of one event. Cheap to copy: every field is an arena handle, so the
/// WebSocket callbacks and timers can each hold one.
#[derive(Clone, Copy)]
pub struct Live {
    connection: RwSignal<Connection>,
    person: RwSignal<Option<Person>>,
    rooms: RwSignal<BTreeMap<RoomId, Room>>,
    /// The socket and its bookkeeping. Local storage: `WebSocket` and closures are not Send.
    /// Never borrowed across a call that may borrow it again (the lock is not reentrant).
    wire: StoredValue<Wire, LocalStorage>,
}

struct Wire {
    code: EventCode,
    credential: Credential,
    /// Requests sent and not yet answered.
    requests: HashMap<RequestId, Slot>,
    /// The rooms to be in; joined again after every reconnect.
    following: BTreeSet<RoomId>,
    socket: Option<Socket>,
    /// Bumped for every socket: callbacks of an older socket are ignored.
    generation: u64,
    /// Whether the current socket got its `welcome`.
    welcomed: bool,
    /// Failed attempts since the last `welcome`; sets the backoff.
    failures: u32,
    next_request: RequestId,
    /// Outstanding `join` requests, to tell which room an error is about.
    joins: HashMap<RequestId, RoomId>,
    /// When the server was last heard from (ms since the epoch).
    heard_at: f64,
    /// The server's heartbeat period: it promises a frame at least this often.
    heartbeat: Duration,
    watchdog: Option<IntervalHandle>,
    retry: Option<TimeoutHandle>,
}

/// A WebSocket with its callbacks. Dropping it detaches the callbacks and closes the socket,
/// so no callback can run after its closure is freed.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Used until the server's `welcome` says otherwise.
const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(15);

impl Live {
    /// Connects to the event. The connection closes when the calling owner (the event's
    /// screen) is cleaned up.
    pub fn start(code: EventCode, credential: Credential) -> Live {
        let live = Live {
            connection: RwSignal::new(Connection::Connecting),
            person: RwSignal::new(None),
            rooms: RwSignal::new(BTreeMap::new()),
            wire: StoredValue::new_local(Wire {
                code,
                credential,
                requests: HashMap::new(),
                following: BTreeSet::new(),
                socket: None,
                generation: 0,
                welcomed: false,
                failures: 0,
                next_request: 0,
                joins: HashMap::new(),
                heard_at: 0.0,
                heartbeat: DEFAULT_HEARTBEAT,
                watchdog: None,
                retry: None,
            }),
        };
        on_cleanup(move || live.hang_up());
        live.connect();
        live
    }

    /// How the connection stands (tracked).
    pub fn connection(&self) -> Connection {
        self.connection.get()
    }

    /// Who the server says this connection is, once welcomed (tracked).
    pub fn person(&self) -> Option<Person> {
        self.person.get()
    }

    /// Sends a request; the reply says whether it was done. Refused at once while offline:
    /// nothing is queued behind the person's back.
    pub fn request(&self, msg: ClientMsg) -> Reply {
        let slot: Slot = Rc::new(RefCell::new((None, None)));
        let id = self.wire.try_update_value(|w| {
            if !w.welcomed || w.socket.is_none() {
                return None;
            }
            w.next_request += 1;
            w.requests.insert(w.next_request, slot.clone());
            Some(w.next_request)
        });
        match id.flatten() {
            Some(id) => self.send(msg, Some(id)),
            None => settle(&slot, Err(Refusal::offline())),
        }
        Reply(slot)
    }

    /// What is known of a room (tracked).
    pub fn room(&self, room: &RoomId) -> Room {
        self.rooms
            .with(|rooms| rooms.get(room).cloned().unwrap_or_default())
    }

    /// Starts following a room: joins it now if connected, else as soon as connected.
    pub fn follow(&self, room: RoomId) {
        let Some((added, welcomed)) = self.wire.try_update_value(|w| {
            let full = w.following.len() >= limits::MAX_ROOMS_PER_CONNECTION;
            (!full && w.following.insert(room.clone()), w.welcomed)
        }) else {
            return;
        };
        if added && welcomed {
            self.join(room);
        }
    }

    /// Stops following a room. What is known of it is kept, so following it again resumes.
    pub fn unfollow(&self, room: &RoomId) {
        let Some((removed, welcomed)) = self
            .wire
            .try_update_value(|w| (w.following.remove(room), w.welcomed))
        else {
            return;
        };
        if removed && welcomed {
            self.send(ClientMsg::Leave { room: room.clone() }, None);
        }
        // The count would go stale while not following.
        self.rooms.try_update(|rooms| {
            if let Some(r) = rooms.get_mut(room) {
                r.present = None;
            }
        });
    }

    /// Tries again now, after the connection stopped or while it waits to retry.
    pub fn retry_now(&self) {
        let Some(pending) = self.wire.try_update_value(|w| {
            w.failures = 0;
            w.retry.take()
        }) else {
            return;
        };
        if let Some(pending) = pending {
            pending.clear();
        }
        self.connection.set(Connection::Reconnecting);
        self.connect();
    }

    /// Opens a socket, first getting a token when there is none (a first visit after the
    /// server refused the old one).
    fn connect(self) {
        let Some((code, credential)) = self
            .wire
            .try_with_value(|w| (w.code.clone(), w.credential.clone()))
        else {
            return;
        };
        if let Credential::Organiser(key) = credential {
            self.open(key);
            return;
        }
        if let Some(token) = saved::token(&code) {
            self.open(token);
            return;
        }
        spawn_local(async move {
            let name = saved::name(&code);
            match api::join(&code, name.clone(), None, None).await {
                Ok(joined) => {
                    saved::keep(&code, &joined.token, name.as_deref());
                    self.open(joined.token);
                }
                Err(ApiFailure::NotFound) => self.stop("event-gone"),
                Err(_) => self.lost(),
            }
        });
    }

    fn open(self, token: String) {
        // Checked first: after an awaited join the event's screen may be gone.
        let Some(generation) = self.wire.try_update_value(|w| {
            w.generation += 1;
            w.welcomed = false;
            w.heard_at = js_sys::Date::now();
            w.heartbeat = DEFAULT_HEARTBEAT;
            w.generation
        }) else {
            return;
        };
        let Ok(ws) = WebSocket::new(&socket_url()) else {
            self.lost();
            return;
        };

        let on_open = Closure::<dyn FnMut()>::new(move || {
            let versions = (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).collect();
            self.send(
                ClientMsg::Hello {
                    versions,
                    token: token.clone(),
                },
                None,
            );
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(text) = e.data().as_string() {
                self.receive(generation, &text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            self.closed(generation, e.code());
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let socket = Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        };

        let old = self.wire.try_update_value(|w| w.socket.replace(socket));
        drop(old);
        self.watch(generation, DEFAULT_HEARTBEAT);
    }

    /// Checks every `every` that the server was heard from within two periods (its promise),
    /// and pings it so it hears from this client too. A silent socket is given up and replaced:
    /// phones that change networks keep dead sockets open for minutes.
    fn watch(self, generation: u64, every: Duration) {
        let Ok(handle) = set_interval_with_handle(
            move || {
                let Some(Some((silent_ms, welcomed))) = self.wire.try_with_value(|w| {
                    (w.generation == generation)
                        .then(|| (js_sys::Date::now() - w.heard_at, w.welcomed))
                }) else {
                    return;
                };
                if silent_ms > 2.0 * every.as_millis() as f64 {
                    self.lost();
                } else if welcomed {
                    self.send(
                        ClientMsg::Ping {
                            t: Some(js_sys::Date::now()),
                        },
                        None,
                    );
                }
            },
            every,
        ) else {
            return;
        };
        let old = self.wire.try_update_value(|w| {
            w.heartbeat = every;
            w.watchdog.replace(handle)
        });
        if let Some(Some(old)) = old {
            old.clear();
        }
    }

    fn receive(self, generation: u64, text: &str) {
        let current = self.wire.try_update_value(|w| {
            let current = w.generation == generation;
            if current {
                w.heard_at = js_sys::Date::now();
            }
            current
        });
        if current != Some(true) {
            return;
        }
        let Ok(msg) = serde_json::from_str::<ServerMsg>(text) else {
            // A message type from a newer server: ignore it, as the protocol promises is safe.
            return;
        };
        match msg {
            ServerMsg::Welcome {
                heartbeat_ms,
                person,
                ..
            } => {
                // Set only when it changed: every reconnect is welcomed again, and screens that
                // depend on the person's role must not be rebuilt (losing what was typed).
                if self.person.get_untracked().as_ref() != Some(&person) {
                    self.person.set(Some(person));
                }
                let rooms = self.wire.try_update_value(|w| {
                    w.welcomed = true;
                    w.failures = 0;
                    w.joins.clear();
                    w.following.iter().cloned().collect::<Vec<_>>()
                });
                self.connection.set(Connection::Open);
                let heartbeat = Duration::from_millis(heartbeat_ms.clamp(1_000, 60_000));
                if self.wire.try_with_value(|w| w.heartbeat) != Some(heartbeat) {
                    self.watch(generation, heartbeat);
                }
                for room in rooms.unwrap_or_default() {
                    self.join(room);
                }
            }
            ServerMsg::Snapshot { room, seq, state } => {
                self.rooms.update(|rooms| {
                    let r = rooms.entry(room).or_default();
                    r.seq = seq;
                    r.state = Some(state);
                    r.missing = false;
                });
            }
            ServerMsg::Event {
                room, seq, event, ..
            } => {
                let known = self.rooms.with_untracked(|rooms| {
                    rooms
                        .get(&room)
                        .and_then(|r| r.state.is_some().then_some(r.seq))
                });
                match known {
                    // Already folded in: a replay overlapping what we had.
                    Some(last) if seq <= last => {}
                    Some(last) if seq == last + 1 => self.rooms.update(|rooms| {
                        if let Some(r) = rooms.get_mut(&room) {
                            if let Some(state) = r.state.as_mut() {
                                // WrongRoom leaves the state as it was; the server never sends it.
                                let _ = state.apply(&event);
                            }
                            r.seq = seq;
                        }
                    }),
                    // A gap (or an event before any snapshot): something was missed. Start
                    // again; the resume fills exactly the gap.
                    _ => self.lost(),
                }
            }
            ServerMsg::Presence { room, count } => {
                self.rooms
                    .update(|rooms| rooms.entry(room).or_default().present = Some(count));
            }
            ServerMsg::Joined { id: Some(id), .. } => {
                self.wire.try_update_value(|w| w.joins.remove(&id));
            }
            ServerMsg::Ok { id, .. } => {
                let slot = self
                    .wire
                    .try_update_value(|w| w.requests.remove(&id))
                    .flatten();
                if let Some(slot) = slot {
                    settle(&slot, Ok(msg));
                }
            }
            ServerMsg::Error {
                id, code, message, ..
            } => {
                let (room, slot) = id
                    .and_then(|id| {
                        self.wire
                            .try_update_value(|w| (w.joins.remove(&id), w.requests.remove(&id)))
                    })
                    .unwrap_or_default();
                if let Some(slot) = slot {
                    settle(
                        &slot,
                        Err(Refusal {
                            code: Some(code),
                            message,
                        }),
                    );
                }
                match (code, room) {
                    (ErrorCode::NotFound, Some(room)) => {
                        self.rooms
                            .update(|rooms| rooms.entry(room).or_default().missing = true);
                    }
                    (ErrorCode::Unauthenticated, _) => self.closed(generation, close::AUTH_FAILED),
                    _ => {}
                }
            }
            ServerMsg::Page {
                id,
                ref room,
                ref questions,
                ref polls,
                ref quizzes,
                ref awards,
                ref harvests,
                ..
            } => {
                self.rooms.update(|rooms| {
                    if let Some(RoomState::Session(s)) =
                        rooms.get_mut(room).and_then(|r| r.state.as_mut())
                    {
                        s.add_page(
                            questions.clone(),
                            polls.clone(),
                            quizzes.clone(),
                            awards.clone(),
                            harvests.clone(),
                        );
                    }
                });
                let slot = id
                    .and_then(|id| self.wire.try_update_value(|w| w.requests.remove(&id)))
                    .flatten();
                if let Some(slot) = slot {
                    settle(&slot, Ok(msg));
                }
            }
            ServerMsg::Joined { id: None, .. } | ServerMsg::Pong { .. } => {}
        }
    }

    fn join(self, room: RoomId) {
        let since = self.rooms.with_untracked(|rooms| {
            rooms
                .get(&room)
                .and_then(|r| r.state.is_some().then_some(r.seq))
        });
        let Some(id) = self.wire.try_update_value(|w| {
            w.next_request += 1;
            w.joins.insert(w.next_request, room.clone());
            w.next_request
        }) else {
            return;
        };
        self.send(ClientMsg::Join { room, since }, Some(id));
    }

    fn send(self, msg: ClientMsg, id: Option<RequestId>) {
        let Ok(text) = serde_json::to_string(&ClientFrame { id, msg }) else {
            return;
        };
        self.wire.try_with_value(|w| {
            if let Some(socket) = &w.socket {
                // A send on a socket that is closing fails; its close event brings the retry.
                let _ = socket.ws.send_with_str(&text);
            }
        });
    }

    /// The socket closed (or was refused): does what its close code says.
    fn closed(self, generation: u64, code: u16) {
        if self.wire.try_with_value(|w| w.generation) != Some(generation) {
            return;
        }
        match CloseAction::for_code(code) {
            CloseAction::ReconnectAndResume => self.lost(),
            CloseAction::Reauthenticate => {
                match self
                    .wire
                    .try_with_value(|w| (w.code.clone(), w.credential.clone()))
                {
                    // The sign-in ended (expired, signed out elsewhere, the key reset): start
                    // again without it, as this browser's own person at the event.
                    Some((_, Credential::Organiser(key))) if key.is_empty() => {
                        saved::forget_organiser_key();
                        let _ = leptos::prelude::window().location().reload();
                    }
                    // A co-organiser's invitation was withdrawn.
                    Some((code, Credential::Organiser(_))) => {
                        saved::forget_co_organiser(&code);
                        saved::forget_token(&code);
                        self.stop("co-organiser-refused");
                    }
                    Some((code, Credential::Event)) => {
                        saved::forget_token(&code);
                        saved::forget_co_organiser(&code);
                        self.lost();
                    }
                    None => {}
                }
            }
            CloseAction::GiveUp => self.stop(match code {
                close::UNSUPPORTED_PROTOCOL => "page-out-of-date",
                _ => "server-ended",
            }),
        }
    }

    /// Drops the socket and schedules the next attempt, backing off exponentially (with
    /// jitter, so a restarted server is not hit by everyone at the same instant).
    fn lost(self) {
        self.hang_up();
        let Some(failures) = self.wire.try_update_value(|w| {
            w.failures = w.failures.saturating_add(1);
            w.failures
        }) else {
            return;
        };
        let backoff = FIRST_RETRY
            .saturating_mul(1 << (failures - 1).min(8))
            .min(LONGEST_RETRY);
        let delay = backoff.mul_f64(0.5 + js_sys::Math::random() / 2.0);
        self.connection.try_set(Connection::Reconnecting);
        if let Ok(handle) = set_timeout_with_handle(
            move || {
                if self.wire.try_update_value(|w| w.retry.take()).is_some() {
                    self.connect();
                }
            },
            delay,
        ) {
            self.wire.try_update_value(|w| w.retry = Some(handle));
        }
    }

    fn stop(self, why: &'static str) {
        self.hang_up();
        self.connection.try_set(Connection::Stopped(why));
    }

    /// Closes the socket and cancels its timers; callbacks still queued for it are ignored.
    fn hang_up(self) {
        let parts = self.wire.try_update_value(|w| {
            w.generation += 1;
            w.welcomed = false;
            (
                w.socket.take(),
                w.watchdog.take(),
                w.retry.take(),
                std::mem::take(&mut w.requests),
            )
        });
        if let Some((socket, watchdog, retry, requests)) = parts {
            drop(socket);
            // Their answers, if any, went with the socket: the person is told to send again.
            for slot in requests.values() {
                settle(slot, Err(Refusal::offline()));
            }
            if let Some(watchdog) = watchdog {
                watchdog.clear();
            }
            if let Some(retry) = retry {
                retry.clear();
            }
        }
    }
}

/// `ws://` or `wss://` to `/ws` on the page's own host.
fn socket_url() -> String {
    let location = window().location();
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    format!("{scheme}://{}/ws", location.host().unwrap_or_default())
}
