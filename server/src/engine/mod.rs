//! The live event engine: rooms, their ordered logs, and the sequencer that writes them.
//!
//! A room's state is the fold of its log ([`RoomState::apply`]). Every change goes through
//! one thread, the **sequencer**, which owns the store:
//!
//! 1. a request becomes a [`Command`] for one interaction on a room, and is queued to the
//!    sequencer;
//! 2. the sequencer takes everything queued (up to [`MAX_BATCH`]), decides each command
//!    against the room's state *including earlier commands of the same batch* (a staged
//!    room, `staged.rs`: the interaction decides through a [`crate::interactions::Cx`] over it), and assigns
//!    sequence numbers;
//! 3. it commits the batch in one store transaction (group commit: one fsync for many
//!    changes);
//! 4. only then does it update the rooms' visible state, serialise each event once per
//!    audience ([`Frames`]), publish it through the [`Broker`], and acknowledge the requests.
//!
//! So a client never sees, and is never told of, a change that could still be lost, and
//! within a room every instance and every connection sees the same order.
//!
//! Some changes are **private records** rather than events: a vote is durable, but telling
//! a thousand people about each of a thousand votes would cost a million frames. Records are
//! committed with the batch; the sequencer then has the interactions publish the aggregates
//! those records made stale ([`crate::interactions::Interaction::tally`]), at most every
//! [`TALLY_EVERY`]. Timers ([`crate::interactions::Interaction::timers`]) are the sequencer's
//! too: a due timer's command is decided first in the next batch.
//!
//! **The engine names no interaction.** It knows rooms, logs, opaque records, aggregates keyed
//! by numbers, and timers; what they mean is the interactions' (`interactions/`), which it
//! calls through the [`Registry`] it was started with.
//!
//! Module map: [`room`] (a live room, its catch-up ring), [`staged`] (a room as the batch leaves
//! it, the window interactions decide through), [`sequencer`] (the loop, batches, commits,
//! conflicts, replication from a shared store), [`registry`] (the interactions, type-erased).
//!
//! A single thread is deliberate: SQLite has one writer anyway, deciding a command costs
//! microseconds, and one owner of sequence numbers makes ordering trivially true.

mod registry;
mod room;
mod sequencer;
mod staged;
#[cfg(test)]
mod tests;

pub use registry::{Command, Registry};
pub use room::{CatchUp, Personalise, Room};

use crate::{
    delivery::broker::Broker,
    interactions::{Interaction, Made, Refusal},
    metrics::Metrics,
    store::{RoomWrite, Store, StoreError},
};
use dashmap::DashMap;
use plenum_protocol::{EventCode, EventInfo, RoomId, Seq};
use sequencer::Sequencer;
use std::{
    collections::{BTreeMap, BTreeSet, HashMap, HashSet},
    sync::{Arc, Mutex, mpsc},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use tokio::sync::oneshot;

/// How many recent events each room keeps in memory, serialised, for resuming clients.
/// A client further behind than this gets a fresh snapshot instead: at a few events a second
/// this covers minutes of a phone being off the Wi-Fi.
pub const RECENT_EVENTS: usize = 1024;

/// By default a room is snapshotted in the store every this many events (`store::Snapshot`,
/// `--snapshot-every`): loading it folds at most this many events after its snapshot, however
/// long the event ran. As many as the catch-up ring keeps, so a room loaded from its snapshot
/// can still replay most resumes.
pub const SNAPSHOT_EVERY: u64 = RECENT_EVENTS as u64;

/// How stale [`Engine::read_held`] may read a room from a shared store (a withdrawn invitation
/// reaches an instance that does not follow the event room within this).
pub const HELD_FRESH: Duration = Duration::from_secs(2);

/// Most commands in one store transaction. Bounds the latency a batch adds to its last command.
pub const MAX_BATCH: usize = 1024;

/// How long commands of a room other instances keep writing first are decided again, before
/// they are refused as unavailable (retryable). Each round commits someone's write, so the
/// deployment always progresses; after a few lost rounds an instance waits a random moment
/// before the next, so instances do not keep colliding.
pub const RETRY_FOR: Duration = Duration::from_secs(5);

/// How long after another instance's tallied records this one publishes their aggregates
/// itself, if they are still not published (that instance died). Normally they are, and this
/// publishes nothing.
pub const ORPHANED_TALLIES_AFTER: Duration = Duration::from_secs(1);

/// How often stale aggregates are published, at most: four times a second reads as live, and
/// ten thousand votes in a second cost four broadcasts per room, not ten thousand.
pub const TALLY_EVERY: Duration = Duration::from_millis(250);

/// Published aggregates a room's records changed since they were last published: keys of
/// each interaction's choosing, by its index in the registry.
#[derive(Debug, Clone, Default)]
pub(crate) struct Untallied(pub BTreeMap<usize, BTreeSet<u64>>);

impl Untallied {
    fn is_empty(&self) -> bool {
        self.0.values().all(BTreeSet::is_empty)
    }

    fn extend(&mut self, other: Untallied) {
        for (i, keys) in other.0 {
            self.0.entry(i).or_default().extend(keys);
        }
    }
}

/// What a committed command answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The room's sequence number after the command.
    pub seq: Seq,
    /// What it made (a new item's id, a receipt).
    pub made: Made,
}

/// Milliseconds since the Unix epoch, server time.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Where a loaded (or synced) room is answered.
type RoomReply = oneshot::Sender<Result<Arc<Room>, Refusal>>;

/// Where a request's outcome is answered.
type Reply = oneshot::Sender<Result<Done, Refusal>>;

/// What the sequencer's queue carries.
enum Job {
    Load {
        room: RoomId,
        reply: RoomReply,
    },
    /// A command on a room, resolved once by the caller.
    Command {
        room: Arc<Room>,
        command: Command,
        reply: Reply,
    },
    Ping {
        reply: oneshot::Sender<bool>,
    },
    /// Brings a room up to date with a shared store (loading it if needed). Without a reply
    /// when the broker asks, after (re)subscribing to the room.
    Sync {
        room: RoomId,
        reply: Option<RoomReply>,
    },
    /// A write another instance committed, from the broker.
    Remote(RoomWrite),
    /// An event's document changed on another instance; `None`: reload them all.
    Catalog(Option<EventInfo>),
    /// Looks for an event this instance has not heard of in a shared store.
    FindEvent {
        code: EventCode,
        reply: oneshot::Sender<Result<Option<Arc<EventInfo>>, Refusal>>,
    },
    /// Every room of an event the store holds anything of.
    RoomsOf {
        code: EventCode,
        reply: oneshot::Sender<Result<Vec<RoomId>, Refusal>>,
    },
    /// Purges one room's personal data: whether it held any.
    Purge {
        room: RoomId,
        reply: oneshot::Sender<Result<bool, Refusal>>,
    },
    /// After purges: what they deleted leaves the store's files too (`Store::scrub`).
    Scrub {
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
}

/// What purging an event's personal data did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purged {
    /// The event's rooms in the store.
    pub rooms: u64,
    /// Those that held something to purge.
    pub purged: u64,
}

/// An [`Engine`] handle that lets the engine stop when everything else has let it go.
#[derive(Clone)]
pub struct WeakEngine(std::sync::Weak<Shared>);

impl WeakEngine {
    pub fn upgrade(&self) -> Option<Engine> {
        self.0.upgrade().map(|shared| Engine { shared })
    }
}

/// The engine handle: cheap to clone, shared by every request and connection.
#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
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
    /// The last readiness answer and when it was taken.
    readiness: Mutex<Option<(Instant, bool)>>,
    /// The interactions this engine runs.
    registry: Arc<Registry>,
    /// A server-wide secret for ids the rules derive (see `Cx::key`); made on the first start,
    /// kept in the store under its historical name.
    answer_key: [u8; 32],
    /// Whether other instances write to the store too (`--redis`): then a room held here may
    /// be behind, and is brought up to date before a client joins it.
    shared_store: bool,
    /// Event codes recently looked up in a shared store and not found: asked again only after
    /// a second, so guessing codes cannot keep the sequencer busy.
    misses: DashMap<EventCode, Instant>,
    /// When [`Engine::read_held`] last read each room from a shared store.
    held_reads: DashMap<RoomId, Instant>,
}

impl Engine {
    /// Loads the catalog and starts the sequencer thread, which takes ownership of the store.
    pub fn start(
        store: Box<dyn Store>,
        broker: Arc<dyn Broker>,
        metrics: Arc<Metrics>,
        registry: Registry,
    ) -> Result<Engine, StoreError> {
        Self::start_with(store, broker, metrics, registry, SNAPSHOT_EVERY)
    }

    /// [`Engine::start`], snapshotting each room every `snapshot_every` events (0: never).
    pub fn start_with(
        mut store: Box<dyn Store>,
        broker: Arc<dyn Broker>,
        metrics: Arc<Metrics>,
        registry: Registry,
        snapshot_every: u64,
    ) -> Result<Engine, StoreError> {
        let answer_key = match store.get_meta("answer_id_key")? {
            Some(k) if k.len() == 32 => k.try_into().expect("length checked"),
            _ => {
                let mut k = [0u8; 32];
                getrandom::fill(&mut k).expect("the operating system's random source");
                // Instances starting at once all keep the first one's key.
                let k = store.put_meta_if_absent("answer_id_key", &k)?;
                k.try_into().map_err(|_| StoreError::Corrupt {
                    what: "meta",
                    detail: "answer_id_key is not 32 bytes".into(),
                })?
            }
        };
        let shared_store = store.shared();
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
            readiness: Mutex::new(None),
            registry: Arc::new(registry),
            answer_key,
            shared_store,
            misses: DashMap::new(),
            held_reads: DashMap::new(),
        });
        let sequencer = Sequencer {
            store,
            broker,
            metrics,
            shared: shared.clone(),
            untallied: HashMap::new(),
            timers: BTreeSet::new(),
            stale: HashSet::new(),
            orphaned: HashMap::new(),
            undelivered: Vec::new(),
            snapshot_every,
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

    fn send(&self, job: Job) -> Result<(), Refusal> {
        let jobs = self.shared.jobs.lock().unwrap();
        match jobs.as_ref() {
            Some(tx) => tx.send(job).map_err(|_| Refusal::Unavailable),
            None => Err(Refusal::Unavailable),
        }
    }

    pub fn event(&self, code: &EventCode) -> Option<Arc<EventInfo>> {
        self.shared.catalog.get(code).map(|e| e.clone())
    }

    /// The event, also when another instance created it a moment ago and its document has
    /// not arrived here yet (a shared store is asked on a miss). `Ok(None)`: there is no such
    /// event; `Err(Unavailable)`: the store could not be asked, so nobody can say (a miss is
    /// remembered for a second, a failure is not).
    pub async fn find_event(&self, code: &EventCode) -> Result<Option<Arc<EventInfo>>, Refusal> {
        if let Some(e) = self.event(code) {
            return Ok(Some(e));
        }
        if !self.shared.shared_store {
            return Ok(None);
        }
        if self
            .shared
            .misses
            .get(code)
            .is_some_and(|at| at.elapsed() < Duration::from_secs(1))
        {
            return Ok(None);
        }
        let (reply, answer) = oneshot::channel();
        self.send(Job::FindEvent {
            code: code.clone(),
            reply,
        })?;
        let found = answer.await.map_err(|_| Refusal::Unavailable)??;
        if found.is_none() {
            if self.shared.misses.len() > 10_000 {
                self.shared.misses.clear();
            }
            self.shared.misses.insert(code.clone(), Instant::now());
        }
        Ok(found)
    }

    /// The server-wide secret interactions derive ids with (the same one `Cx::key` gives).
    pub fn key(&self) -> &[u8; 32] {
        &self.shared.answer_key
    }

    /// A handle that does not keep the engine alive (for the broker's threads).
    pub fn downgrade(&self) -> WeakEngine {
        WeakEngine(Arc::downgrade(&self.shared))
    }

    pub fn events(&self) -> Vec<Arc<EventInfo>> {
        let mut all: Vec<_> = self.shared.catalog.iter().map(|e| e.clone()).collect();
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }

    /// A room that exists: its event is in the catalog, a session room's session is on the
    /// agenda, and a booth room's booth is in the exhibition. Loads the room from the store on first use.
    pub async fn room(&self, id: &RoomId) -> Result<Arc<Room>, Refusal> {
        let event = self
            .find_event(id.event_code())
            .await?
            .ok_or_else(|| Refusal::NotFound(format!("no event {}", id.event_code())))?;
        if let RoomId::Session(_, session) = id
            && !event.agenda.sessions.iter().any(|s| &s.id == session)
        {
            return Err(Refusal::NotFound(format!(
                "no session {session} in event {}",
                event.code
            )));
        }
        if let RoomId::Booth(code, booth) = id {
            // A booth's room is there while the booth is (its chat is kept with it).
            let event = RoomId::Event(code.clone());
            // Boxed: reading the event room may load it, through this function.
            let exists = Box::pin(
                self.read_held::<crate::interactions::exhibition::Exhibition, _>(&event, |_, r| {
                    r.booths.contains_key(booth.as_str())
                }),
            )
            .await?;
            if !exists {
                return Err(Refusal::NotFound(format!(
                    "no booth {booth} in event {}",
                    event.event_code()
                )));
            }
        }
        if self.shared.shared_store {
            // Another instance may have written the room since this one last heard of it.
            let (reply, answer) = oneshot::channel();
            self.send(Job::Sync {
                room: id.clone(),
                reply: Some(reply),
            })?;
            return answer.await.map_err(|_| Refusal::Unavailable)?;
        }
        self.load(id).await
    }

    /// Reads interaction `I`'s records in `room` as this instance holds them, without asking
    /// a shared store for newer writes (the broker brings those): for checks on every request
    /// that must not cost a round trip. Loads the room if it is not loaded yet.
    pub async fn read_held<I: Interaction, T>(
        &self,
        room: &RoomId,
        read: impl FnOnce(&plenum_protocol::RoomState, &I::Records) -> T,
    ) -> Result<T, Refusal> {
        // A room this instance holds but nobody here follows hears nothing from the broker: with
        // a shared store it is read again from the store, at most every HELD_FRESH.
        let held = self.shared.rooms.get(room).map(|r| r.clone());
        let fresh = !self.shared.shared_store
            || self
                .shared
                .held_reads
                .get(room)
                .is_some_and(|at| at.elapsed() < HELD_FRESH);
        let room = match held {
            Some(held) if fresh => held,
            _ => {
                let loaded = self.room(room).await?;
                self.shared.held_reads.insert(room.clone(), Instant::now());
                loaded
            }
        };
        room.read::<I, T>(read)
            .ok_or_else(|| Refusal::NotFound("no such interaction on this server".into()))
    }

    /// Purges an event's personal data from every room of it (`sequencer/purge.rs`), one room
    /// per job so other work goes on in between, then from the store's files. A room that
    /// fails stops the purge (`unavailable`); run again, it picks up where it stopped (a room
    /// with nothing new since its purge is skipped).
    pub async fn purge(&self, code: &EventCode) -> Result<Purged, Refusal> {
        async fn ask<T>(
            engine: &Engine,
            job: impl FnOnce(oneshot::Sender<Result<T, Refusal>>) -> Job,
        ) -> Result<T, Refusal> {
            let (reply, answer) = oneshot::channel();
            engine.send(job(reply))?;
            answer.await.map_err(|_| Refusal::Unavailable)?
        }
        let rooms = ask(self, |reply| Job::RoomsOf {
            code: code.clone(),
            reply,
        })
        .await?;
        let mut done = Purged {
            rooms: rooms.len() as u64,
            purged: 0,
        };
        for room in rooms {
            if ask(self, |reply| Job::Purge { room, reply }).await? {
                done.purged += 1;
            }
        }
        ask(self, |reply| Job::Scrub { reply }).await?;
        Ok(done)
    }

    /// A write another instance committed (from the broker). Never blocks.
    pub fn remote_write(&self, write: RoomWrite) {
        let _ = self.send(Job::Remote(write));
    }

    /// Brings `room` up to date from the shared store, if it is loaded (from the broker, after
    /// subscribing to it). Never blocks.
    pub fn resync(&self, room: RoomId) {
        let _ = self.send(Job::Sync { room, reply: None });
    }

    /// An event's document changed on another instance (`None`: any may have). Never blocks.
    pub fn catalog_changed(&self, doc: Option<EventInfo>) {
        let _ = self.send(Job::Catalog(doc));
    }

    async fn load(&self, id: &RoomId) -> Result<Arc<Room>, Refusal> {
        if let Some(room) = self.shared.rooms.get(id) {
            return Ok(room.clone());
        }
        let (reply, answer) = oneshot::channel();
        self.send(Job::Load {
            room: id.clone(),
            reply,
        })?;
        answer.await.map_err(|_| Refusal::Unavailable)?
    }

    /// Queues a command on a room that exists (see [`Engine::room`]) and waits until it is
    /// committed or refused. The room is resolved once, here: the sequencer takes it as is.
    pub async fn submit(&self, room: &RoomId, command: Command) -> Result<Done, Refusal> {
        self.check(&command)?;
        let room = self.room(room).await?;
        self.queue(room, command).await
    }

    /// Like [`Engine::submit`], in `turn`: the command reaches the sequencer after every
    /// command of the same [`Line`] taken before it, however long each took to find its room
    /// (a room loaded or synced for one request must not let a later request overtake it).
    pub async fn submit_in_turn(
        &self,
        room: &RoomId,
        command: Command,
        turn: Turn,
    ) -> Result<Done, Refusal> {
        let found = match self.check(&command) {
            Ok(()) => self.room(room).await,
            Err(e) => Err(e),
        };
        // Wait for the one before, also when this one is refused: the one after waits on us.
        if let Some(before) = turn.after {
            let _ = before.await;
        }
        let answer = found.and_then(|room| self.enqueue(room, command));
        drop(turn.taken);
        answer?.await.map_err(|_| Refusal::Unavailable)?
    }

    /// Runs `work` in `turn`: after the connection's request before it is queued, and before
    /// the one after it is (a request that does more than one command, like "Schedule all",
    /// keeps the connection's order).
    pub async fn in_turn<T>(&self, turn: Turn, work: impl Future<Output = T>) -> T {
        if let Some(before) = turn.after {
            let _ = before.await;
        }
        let out = work.await;
        drop(turn.taken);
        out
    }

    /// Like [`Engine::submit`], for a room whose event need not exist yet (creating one).
    pub async fn create(&self, room: &RoomId, command: Command) -> Result<Done, Refusal> {
        self.check(&command)?;
        let room = self.load(room).await?;
        self.queue(room, command).await
    }

    /// The command's own checks, before anything is queued.
    fn check(&self, command: &Command) -> Result<(), Refusal> {
        self.shared.registry.check(command)
    }

    async fn queue(&self, room: Arc<Room>, command: Command) -> Result<Done, Refusal> {
        self.enqueue(room, command)?
            .await
            .map_err(|_| Refusal::Unavailable)?
    }

    /// Hands a command to the sequencer, in the order of the calls; the receiver answers when
    /// it is committed or refused.
    fn enqueue(
        &self,
        room: Arc<Room>,
        command: Command,
    ) -> Result<oneshot::Receiver<Result<Done, Refusal>>, Refusal> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Command {
            room,
            command,
            reply,
        })?;
        Ok(answer)
    }

    /// Reads interaction `I`'s committed records and the state of a room that exists.
    pub async fn read<I: Interaction, T>(
        &self,
        room: &RoomId,
        read: impl FnOnce(&plenum_protocol::RoomState, &I::Records) -> T,
    ) -> Result<T, Refusal> {
        self.room(room)
            .await?
            .read::<I, T>(read)
            .ok_or_else(|| Refusal::NotFound("no such interaction on this server".into()))
    }

    /// [`Engine::read`] of two interactions' records in one room, as one moment holds them.
    pub async fn read_two<I: Interaction, J: Interaction, T>(
        &self,
        room: &RoomId,
        read: impl FnOnce(&plenum_protocol::RoomState, &I::Records, &J::Records) -> T,
    ) -> Result<T, Refusal> {
        self.room(room)
            .await?
            .read_two::<I, J, T>(read)
            .ok_or_else(|| Refusal::NotFound("no such interaction on this server".into()))
    }

    /// Whether the sequencer and its store answer. Asks at most once a second, so a flood of
    /// readiness probes cannot queue work for the sequencer.
    pub async fn ready(&self) -> bool {
        {
            let last = self.shared.readiness.lock().unwrap();
            if let Some((at, ok)) = *last
                && at.elapsed() < Duration::from_secs(1)
            {
                return ok;
            }
        }
        let (reply, answer) = oneshot::channel();
        let ok = self.send(Job::Ping { reply }).is_ok()
            && tokio::time::timeout(Duration::from_secs(5), answer)
                .await
                .is_ok_and(|r| r.unwrap_or(false));
        *self.shared.readiness.lock().unwrap() = Some((Instant::now(), ok));
        ok
    }
}

/// One client's line of commands (a WebSocket connection's): taken turns are sent to the
/// sequencer in the order they were taken, so a client's changes are decided in the order it
/// sent them. Answers still come as each is committed.
#[derive(Default)]
pub struct Line {
    last: Option<oneshot::Receiver<()>>,
}

impl Line {
    /// The next place in the line.
    pub fn turn(&mut self) -> Turn {
        let (taken, next) = oneshot::channel();
        Turn {
            after: self.last.replace(next),
            taken,
        }
    }
}

/// A place in a [`Line`]: waits for the one before; lets the one after go when its command is
/// sent, refused or dropped.
pub struct Turn {
    after: Option<oneshot::Receiver<()>>,
    taken: oneshot::Sender<()>,
}
