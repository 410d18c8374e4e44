//! The live event engine: rooms, their ordered logs, and the sequencer that writes them.
//!
//! A room's state is the fold of its log ([`RoomState::apply`]). Every change goes through
//! one thread, the **sequencer**, which owns the store:
//!
//! 1. a request becomes a [`Command`] on a room and is queued to the sequencer;
//! 2. the sequencer takes everything queued (up to [`MAX_BATCH`]), decides each command
//!    against the room's state *including earlier commands of the same batch*, and assigns
//!    sequence numbers;
//! 3. it commits the batch in one store transaction (group commit: one fsync for many
//!    changes);
//! 4. only then does it update the rooms' visible state, serialise each event once, publish it
//!    through the [`Broker`], and acknowledge the requests.
//!
//! So a client never sees, and is never told of, a change that could still be lost, and
//! within a room every instance and every connection sees the same order.
//!
//! A single thread is deliberate: SQLite has one writer anyway, deciding a command costs
//! microseconds, and one owner of sequence numbers makes ordering trivially true.

use crate::{
    broker::Broker,
    hub::Frame,
    metrics::Metrics,
    store::{Batch, LogEntry, Store, StoreError},
};
use dashmap::DashMap;
use plenum_protocol::{
    Agenda, Announcement, EventCode, EventInfo, OnStage, RoomEvent, RoomId, RoomState, Seq,
    ServerMsg, StageUpdate,
};
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, mpsc},
    thread,
    time::{SystemTime, UNIX_EPOCH},
};
use tokio::sync::oneshot;

/// How many recent events each room keeps in memory, serialised, for resuming clients.
/// A client further behind than this gets a fresh snapshot instead: at a few events a second
/// this covers minutes of a phone being off the Wi-Fi.
pub const RECENT_EVENTS: usize = 1024;

/// Most commands in one store transaction. Bounds the latency a batch adds to its last command.
pub const MAX_BATCH: usize = 1024;

/// Why the engine refused a command. Each maps to one protocol error code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{message}")]
    Invalid {
        message: String,
        field: Option<String>,
    },
    #[error("the store is unavailable; nothing was changed")]
    Unavailable,
}

impl EngineError {
    pub fn invalid(field: &str, message: impl Into<String>) -> EngineError {
        EngineError::Invalid {
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }
}

/// A change requested of one room.
#[derive(Debug, Clone)]
pub enum Command {
    /// Creates an event (its event room must be empty).
    CreateEvent(EventInfo),
    /// Replaces an existing event's agenda.
    ReplaceAgenda(Agenda),
    /// Adds a session to an event's agenda, or replaces the one with its id. Decided in the
    /// sequencer, against the agenda as it is then, so concurrent edits never overwrite each other.
    PutSession(Box<plenum_protocol::Session>),
    /// Announces to the whole event.
    Announce(String),
    /// Changes a session's stage.
    SetStage(StageUpdate),
}

/// A live room: its committed state and its recent events.
pub struct Room {
    pub id: Arc<RoomId>,
    // A std mutex: it is held for microseconds (copying state, pushing a frame) and never
    // across an `.await`, so an async mutex would only add overhead.
    inner: Mutex<RoomInner>,
}

struct RoomInner {
    seq: Seq,
    state: RoomState,
    /// The last [`RECENT_EVENTS`] events, serialised as sent, oldest first.
    recent: VecDeque<(Seq, Frame)>,
}

/// What a joining client is sent.
pub enum CatchUp {
    Snapshot { seq: Seq, state: RoomState },
    Replay { seq: Seq, frames: Vec<Frame> },
}

impl Room {
    fn from_log(id: RoomId, log: Vec<LogEntry>) -> Room {
        let mut state = RoomState::new(&id);
        let mut seq = 0;
        let mut recent = VecDeque::with_capacity(RECENT_EVENTS.min(log.len()));
        let keep_from = log.len().saturating_sub(RECENT_EVENTS);
        for (i, entry) in log.into_iter().enumerate() {
            if state.apply(&entry.event).is_err() {
                tracing::error!(room = %id, seq = entry.seq, "logged event does not fit its room; skipped");
            }
            seq = entry.seq;
            if i >= keep_from {
                recent.push_back((entry.seq, event_frame(&id, &entry)));
            }
        }
        Room {
            id: Arc::new(id),
            inner: Mutex::new(RoomInner { seq, state, recent }),
        }
    }

    /// The current sequence number and state.
    pub fn snapshot(&self) -> (Seq, RoomState) {
        let inner = self.inner.lock().unwrap();
        (inner.seq, inner.state.clone())
    }

    /// What to send a client that last saw `since` (or nothing).
    pub fn catch_up(&self, since: Option<Seq>) -> CatchUp {
        let inner = self.inner.lock().unwrap();
        if let Some(since) = since {
            let oldest_kept = inner.recent.front().map_or(inner.seq + 1, |(s, _)| *s);
            // Replay when every event after `since` is still in memory. A client claiming to
            // be ahead of us gets a snapshot: its view is not ours.
            if since <= inner.seq && since + 1 >= oldest_kept {
                let frames = inner
                    .recent
                    .iter()
                    .filter(|(s, _)| *s > since)
                    .map(|(_, f)| f.clone())
                    .collect();
                return CatchUp::Replay {
                    seq: inner.seq,
                    frames,
                };
            }
        }
        CatchUp::Snapshot {
            seq: inner.seq,
            state: inner.state.clone(),
        }
    }
}

/// Records `info` as the event's next agenda version in this batch, and the event telling clients.
fn new_agenda_version(
    docs: &mut HashMap<EventCode, EventInfo>,
    state: &plenum_protocol::EventState,
    mut info: EventInfo,
) -> RoomEvent {
    info.agenda_version = state.agenda_version + 1;
    let version = info.agenda_version;
    docs.insert(info.code.clone(), info);
    RoomEvent::AgendaUpdated { version }
}

fn event_frame(room: &RoomId, entry: &LogEntry) -> Frame {
    let msg = ServerMsg::Event {
        room: room.clone(),
        seq: entry.seq,
        at_ms: entry.at_ms,
        event: entry.event.clone(),
    };
    Frame::from(serde_json::to_string(&msg).expect("server messages always serialise"))
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

enum Job {
    Load {
        room: RoomId,
        reply: oneshot::Sender<Result<Arc<Room>, EngineError>>,
    },
    Command {
        room: Arc<Room>,
        command: Command,
        reply: oneshot::Sender<Result<Seq, EngineError>>,
    },
    Ping {
        reply: oneshot::Sender<bool>,
    },
}

/// The engine handle: cheap to clone, shared by every request and connection.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

struct Shared {
    /// Every event, as last committed. Read on every join and agenda request.
    catalog: DashMap<EventCode, Arc<EventInfo>>,
    /// Rooms loaded into memory. A room is loaded on first use and stays: rooms are small,
    /// and a whole conference has a few hundred.
    rooms: DashMap<RoomId, Arc<Room>>,
    /// The sequencer's queue. Unbounded on purpose: every job in it belongs to a request that
    /// is waiting for its answer, so its length is bounded by the number of open requests,
    /// which connection and rate limits bound.
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    sequencer: Mutex<Option<thread::JoinHandle<()>>>,
}

impl Engine {
    /// Loads the catalog and starts the sequencer thread, which takes ownership of the store.
    pub fn start(
        mut store: Box<dyn Store>,
        broker: Arc<dyn Broker>,
        metrics: Arc<Metrics>,
    ) -> Result<Engine, StoreError> {
        let catalog = DashMap::new();
        for info in store.load_events()? {
            catalog.insert(info.code.clone(), Arc::new(info));
        }
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            catalog,
            rooms: DashMap::new(),
            jobs: Mutex::new(Some(tx)),
            sequencer: Mutex::new(None),
        });
        let sequencer = Sequencer {
            store,
            broker,
            metrics,
            shared: shared.clone(),
        };
        let handle = thread::Builder::new()
            .name("plenum-sequencer".into())
            .spawn(move || sequencer.run(rx))
            .expect("spawn the sequencer thread");
        *shared.sequencer.lock().unwrap() = Some(handle);
        Ok(Engine { shared })
    }

    /// Stops the sequencer after it has committed everything queued, and waits for it.
    pub async fn close(&self) {
        self.shared.jobs.lock().unwrap().take();
        let handle = self.shared.sequencer.lock().unwrap().take();
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
    }

    fn send(&self, job: Job) -> Result<(), EngineError> {
        let jobs = self.shared.jobs.lock().unwrap();
        match jobs.as_ref() {
            Some(tx) => tx.send(job).map_err(|_| EngineError::Unavailable),
            None => Err(EngineError::Unavailable),
        }
    }

    pub fn event(&self, code: &EventCode) -> Option<Arc<EventInfo>> {
        self.shared.catalog.get(code).map(|e| e.clone())
    }

    pub fn events(&self) -> Vec<Arc<EventInfo>> {
        let mut all: Vec<_> = self.shared.catalog.iter().map(|e| e.clone()).collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }

    /// A room that exists: its event is in the catalog, and a session room's session is on
    /// the agenda. Loads the room from the store on first use.
    pub async fn room(&self, id: &RoomId) -> Result<Arc<Room>, EngineError> {
        let event = self
            .event(id.event_code())
            .ok_or_else(|| EngineError::NotFound(format!("no event {}", id.event_code())))?;
        if let RoomId::Session(_, session) = id
            && !event.agenda.sessions.iter().any(|s| &s.id == session)
        {
            return Err(EngineError::NotFound(format!(
                "no session {session} in event {}",
                event.code
            )));
        }
        self.load(id).await
    }

    async fn load(&self, id: &RoomId) -> Result<Arc<Room>, EngineError> {
        if let Some(room) = self.shared.rooms.get(id) {
            return Ok(room.clone());
        }
        let (reply, answer) = oneshot::channel();
        self.send(Job::Load {
            room: id.clone(),
            reply,
        })?;
        answer.await.map_err(|_| EngineError::Unavailable)?
    }

    /// Queues a command and waits until it is committed (or refused).
    pub async fn submit(&self, room: &RoomId, command: Command) -> Result<Seq, EngineError> {
        let room = self.load(room).await?;
        let (reply, answer) = oneshot::channel();
        self.send(Job::Command {
            room,
            command,
            reply,
        })?;
        answer.await.map_err(|_| EngineError::Unavailable)?
    }

    /// Checks that a stage update fits the session's agenda, then submits it.
    pub async fn set_stage(
        &self,
        event: &EventCode,
        session: &plenum_protocol::SessionId,
        update: StageUpdate,
    ) -> Result<Seq, EngineError> {
        let room = RoomId::Session(event.clone(), session.clone());
        // Existence, and loads the room.
        self.room(&room).await?;
        if let Some(on_stage) = &update.on_stage {
            on_stage
                .check()
                .map_err(|m| EngineError::invalid("on_stage", m))?;
            if let OnStage::Contribution { number } = on_stage {
                let info = self.event(event).ok_or(EngineError::Unavailable)?;
                let known = info
                    .agenda
                    .sessions
                    .iter()
                    .find(|s| &s.id == session)
                    .is_some_and(|s| s.contributions.iter().any(|c| c.number == *number));
                if !known {
                    return Err(EngineError::invalid(
                        "on_stage.number",
                        format!("session {session} has no contribution {number}"),
                    ));
                }
            }
        }
        self.submit(&room, Command::SetStage(update)).await
    }

    /// Whether the sequencer and its store answer.
    pub async fn ready(&self) -> bool {
        let (reply, answer) = oneshot::channel();
        if self.send(Job::Ping { reply }).is_err() {
            return false;
        }
        answer.await.unwrap_or(false)
    }
}

/// The one thread that writes: see the module docs.
struct Sequencer {
    store: Box<dyn Store>,
    broker: Arc<dyn Broker>,
    metrics: Arc<Metrics>,
    shared: Arc<Shared>,
}

/// A command decided within the current batch, waiting for the commit.
struct Decided {
    room: Arc<Room>,
    entry: Option<LogEntry>,
    /// The sequence number to acknowledge: the new event's, or the current one for a no-op.
    seq: Seq,
    reply: oneshot::Sender<Result<Seq, EngineError>>,
}

/// A room's state as the batch so far leaves it.
struct Pending {
    room: Arc<Room>,
    seq: Seq,
    state: RoomState,
}

impl Sequencer {
    fn run(mut self, jobs: mpsc::Receiver<Job>) {
        while let Ok(first) = jobs.recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            self.run_batch(batch);
        }
        tracing::debug!("sequencer stopped: every queued job is committed");
    }

    fn run_batch(&mut self, jobs: Vec<Job>) {
        let mut pending: HashMap<RoomId, Pending> = HashMap::new();
        let mut docs: HashMap<EventCode, EventInfo> = HashMap::new();
        let mut decided = Vec::new();
        let at_ms = now_ms();
        for job in jobs {
            match job {
                Job::Ping { reply } => {
                    let _ = reply.send(self.store.ping().is_ok());
                }
                Job::Load { room, reply } => {
                    let _ = reply.send(self.load(room));
                }
                Job::Command {
                    room,
                    command,
                    reply,
                } => {
                    let p = pending.entry((*room.id).clone()).or_insert_with(|| {
                        let (seq, state) = room.snapshot();
                        Pending {
                            room: room.clone(),
                            seq,
                            state,
                        }
                    });
                    match self.decide(p, &mut docs, command) {
                        Ok(None) => decided.push(Decided {
                            room,
                            entry: None,
                            seq: p.seq,
                            reply,
                        }),
                        Ok(Some(event)) => {
                            if p.state.apply(&event).is_err() {
                                let _ = reply.send(Err(EngineError::invalid(
                                    "room",
                                    "this change does not apply to this kind of room",
                                )));
                                continue;
                            }
                            p.seq += 1;
                            let entry = LogEntry {
                                room: (*room.id).clone(),
                                seq: p.seq,
                                at_ms,
                                event,
                            };
                            decided.push(Decided {
                                room,
                                entry: Some(entry),
                                seq: p.seq,
                                reply,
                            });
                        }
                        Err(e) => {
                            let _ = reply.send(Err(e));
                        }
                    }
                }
            }
        }
        if decided.is_empty() {
            return;
        }
        let batch = Batch {
            log: decided.iter().filter_map(|d| d.entry.clone()).collect(),
            events: docs.values().cloned().collect(),
        };
        if !batch.is_empty() {
            if let Err(e) = self.store.commit(&batch) {
                tracing::error!(error = %e, "store commit failed; refusing the batch");
                self.metrics.store_failures.inc();
                for d in decided {
                    let _ = d.reply.send(Err(EngineError::Unavailable));
                }
                return;
            }
            self.metrics.store_commits.inc();
            self.metrics.events_committed.inc_by(batch.log.len() as u64);
        }
        // Committed: make it visible, in order, then acknowledge.
        for info in batch.events {
            self.shared
                .catalog
                .insert(info.code.clone(), Arc::new(info));
        }
        for p in pending.into_values() {
            let mut inner = p.room.inner.lock().unwrap();
            inner.seq = p.seq;
            inner.state = p.state;
        }
        for d in decided {
            if let Some(entry) = &d.entry {
                let frame = event_frame(&d.room.id, entry);
                {
                    let mut inner = d.room.inner.lock().unwrap();
                    if inner.recent.len() == RECENT_EVENTS {
                        inner.recent.pop_front();
                    }
                    inner.recent.push_back((entry.seq, frame.clone()));
                }
                self.broker.publish(&d.room.id, entry.seq, &frame);
            }
            let _ = d.reply.send(Ok(d.seq));
        }
    }

    fn load(&mut self, id: RoomId) -> Result<Arc<Room>, EngineError> {
        if let Some(room) = self.shared.rooms.get(&id) {
            return Ok(room.clone());
        }
        let log = self.store.load_room(&id).map_err(|e| {
            tracing::error!(room = %id, error = %e, "loading a room failed");
            EngineError::Unavailable
        })?;
        let room = Arc::new(Room::from_log(id.clone(), log));
        self.shared.rooms.insert(id, room.clone());
        Ok(room)
    }

    /// The event as this batch leaves it: changed earlier in the batch, or as committed.
    fn current_event(
        &self,
        docs: &HashMap<EventCode, EventInfo>,
        code: &EventCode,
    ) -> Result<EventInfo, EngineError> {
        docs.get(code)
            .cloned()
            .or_else(|| self.shared.catalog.get(code).map(|e| (**e).clone()))
            .ok_or_else(|| EngineError::NotFound(format!("no event {code}")))
    }

    /// Decides what event, if any, a command produces, given the room as the batch leaves it.
    fn decide(
        &self,
        p: &Pending,
        docs: &mut HashMap<EventCode, EventInfo>,
        command: Command,
    ) -> Result<Option<RoomEvent>, EngineError> {
        let code = p.room.id.event_code();
        match (command, &p.state) {
            (Command::CreateEvent(info), RoomState::Event(state)) => {
                if state.agenda_version > 0 || docs.contains_key(code) {
                    return Err(EngineError::Conflict(format!(
                        "an event with code {code} already exists"
                    )));
                }
                Ok(Some(new_agenda_version(docs, state, info)))
            }
            (Command::ReplaceAgenda(agenda), RoomState::Event(state)) => {
                let mut info = self.current_event(docs, code)?;
                info.agenda = agenda;
                Ok(Some(new_agenda_version(docs, state, info)))
            }
            (Command::PutSession(session), RoomState::Event(state)) => {
                let mut info = self.current_event(docs, code)?;
                let sessions = &mut info.agenda.sessions;
                match sessions.iter_mut().find(|s| s.id == session.id) {
                    Some(existing) => *existing = *session,
                    None => sessions.push(*session),
                }
                crate::agenda::check_agenda(&info.agenda).map_err(|e| EngineError::Invalid {
                    message: format!("{}: {}", e.field, e.message),
                    field: Some(e.field),
                })?;
                Ok(Some(new_agenda_version(docs, state, info)))
            }
            (Command::Announce(text), RoomState::Event(_)) => Ok(Some(RoomEvent::Announced {
                announcement: Announcement {
                    text,
                    at_ms: now_ms(),
                },
            })),
            (Command::SetStage(update), RoomState::Session(state)) => {
                let mut stage = state.stage.clone();
                if let Some(status) = update.status {
                    stage.status = status;
                }
                if let Some(on_stage) = update.on_stage {
                    stage.on_stage = on_stage;
                }
                if stage == state.stage {
                    return Ok(None);
                }
                Ok(Some(RoomEvent::StageChanged { stage }))
            }
            _ => Err(EngineError::invalid(
                "room",
                "this change does not apply to this kind of room",
            )),
        }
    }
}

impl Engine {
    /// Creates an event from a checked [`plenum_protocol::CreateEvent`].
    pub async fn create_event(
        &self,
        new: plenum_protocol::CreateEvent,
    ) -> Result<Seq, EngineError> {
        let room = RoomId::Event(new.code.clone());
        let info = EventInfo {
            code: new.code,
            title: new.title,
            time_zone: new.time_zone,
            languages: new.languages,
            venue: new.venue,
            description: new.description,
            agenda: new.agenda,
            agenda_version: 0,
        };
        self.submit(&room, Command::CreateEvent(info)).await
    }

    /// Announces `text` to everyone at the event.
    pub async fn announce(&self, event: &EventCode, text: String) -> Result<Seq, EngineError> {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(EngineError::invalid("text", "must not be empty"));
        }
        if text.chars().count() > plenum_protocol::limits::MAX_ANNOUNCEMENT_CHARS {
            return Err(EngineError::invalid(
                "text",
                format!(
                    "is longer than {} characters",
                    plenum_protocol::limits::MAX_ANNOUNCEMENT_CHARS
                ),
            ));
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(EngineError::invalid("text", "contains control characters"));
        }
        let room = RoomId::Event(event.clone());
        self.room(&room).await?;
        self.submit(&room, Command::Announce(text)).await
    }
}
