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
//! 4. only then does it update the rooms' visible state, serialise each event once per
//!    audience ([`Frames`]), publish it through the [`Broker`], and acknowledge the requests.
//!
//! So a client never sees, and is never told of, a change that could still be lost, and
//! within a room every instance and every connection sees the same order.
//!
//! Some changes are **private records** rather than events: an upvote is durable, but telling
//! a thousand people about each of a thousand upvotes would cost a million frames. Records are
//! committed with the batch; the sequencer then publishes the new tallies of the rooms they
//! touched as one `votes` event per room at most every [`TALLY_EVERY`].
//!
//! A single thread is deliberate: SQLite has one writer anyway, deciding a command costs
//! microseconds, and one owner of sequence numbers makes ordering trivially true.

use crate::{
    audience::Frames,
    awards::{self, AwardCommand, Ballot, BallotCast},
    broker::Broker,
    hub::Frame,
    metrics::Metrics,
    polls::{self, ApprovalChange, BallotChange, PollCommand},
    qa::{self, QaCommand, VoteChange},
    quizzes::{self, AnswerGiven, QuizAnswer, QuizCommand},
    store::{
        Batch, Committed, LogEntry, Record, RecordKind, RoomData, RoomWrite, Store, StoreError,
    },
};
use dashmap::DashMap;
use plenum_protocol::{
    Agenda, Announcement, Answer, AwardId, AwardStatus, EventCode, EventInfo, OnStage, Person,
    PollId, PollStatus, QuestionId, QuizId, QuizStatus, RoomEvent, RoomId, RoomState, Seq,
    ServerMsg, StageUpdate, VoteTally,
};
use std::{
    collections::{BTreeSet, HashMap, HashSet, VecDeque},
    sync::{Arc, Mutex, mpsc},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};
use tokio::sync::oneshot;

/// How many recent events each room keeps in memory, serialised, for resuming clients.
/// A client further behind than this gets a fresh snapshot instead: at a few events a second
/// this covers minutes of a phone being off the Wi-Fi.
pub const RECENT_EVENTS: usize = 1024;

/// Most commands in one store transaction. Bounds the latency a batch adds to its last command.
pub const MAX_BATCH: usize = 1024;

/// How long commands of a room other instances keep writing first are decided again, before
/// they are refused as unavailable (retryable). Each round commits someone's write, so the
/// deployment always progresses; after a few lost rounds an instance waits a random moment
/// before the next, so instances do not keep colliding.
pub const RETRY_FOR: Duration = Duration::from_secs(5);

/// How long after another instance's votes this one publishes their tallies itself, if they
/// are still not published (that instance died). Normally they are, and this publishes nothing.
pub const ORPHANED_TALLIES_AFTER: Duration = Duration::from_secs(1);

/// How often new vote tallies are published, at most: four times a second reads as live, and
/// ten thousand votes in a second cost four broadcasts per room, not ten thousand.
pub const TALLY_EVERY: Duration = Duration::from_millis(250);

/// Why the engine refused a command. Each maps to one protocol error code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    TooLarge(String),
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
        let message = message.into();
        EngineError::Invalid {
            message: format!("{field}: {message}"),
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
    /// A Q&A request in a session.
    Qa { actor: Person, command: QaCommand },
    /// Blocks (or unblocks) a person from asking at an event.
    Block { person: String, blocked: bool },
    /// A poll request in a session, by `person` (a person id).
    Poll {
        person: String,
        command: PollCommand,
    },
    /// An award request in a session, by `person`.
    Award {
        person: String,
        command: AwardCommand,
    },
    /// A quiz request in a session, by `person`.
    Quiz {
        person: String,
        command: QuizCommand,
    },
    /// Sets a session's stream delay.
    StreamDelay(u32),
    /// Publishes current tallies and poll results (the sequencer's own, coalesced).
    PublishTallies(Untallied),
}

/// What changed in a room since its tallies and results were last published.
#[derive(Debug, Clone, Default)]
pub struct Untallied {
    questions: BTreeSet<QuestionId>,
    polls: BTreeSet<PollId>,
    awards: BTreeSet<AwardId>,
    quizzes: BTreeSet<QuizId>,
}

impl Untallied {
    fn is_empty(&self) -> bool {
        self.questions.is_empty()
            && self.polls.is_empty()
            && self.awards.is_empty()
            && self.quizzes.is_empty()
    }
}

/// What a committed command answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// The room's sequence number after the command.
    pub seq: Seq,
    /// A new question's id.
    pub question: Option<QuestionId>,
    /// A new poll's id.
    pub poll: Option<PollId>,
    /// A new award vote's id.
    pub award: Option<AwardId>,
    /// An award ballot's receipt.
    pub receipt: Option<String>,
    /// A new quiz's id.
    pub quiz: Option<QuizId>,
}

/// A room's private records, as committed.
#[derive(Debug, Default)]
struct Records {
    /// Who votes each question up.
    upvotes: HashMap<QuestionId, HashSet<Arc<str>>>,
    /// Who may not ask (event rooms).
    blocked: HashSet<String>,
    /// Each poll's ballots, by person.
    ballots: HashMap<PollId, HashMap<Arc<str>, Answer>>,
    /// Each moderated open-text poll's approved answer ids.
    approved: HashMap<PollId, HashSet<String>>,
    /// Each award vote's ballots, by person.
    awards: HashMap<AwardId, HashMap<Arc<str>, Ballot>>,
    /// Each quiz's answers.
    quiz_answers: HashMap<QuizId, quizzes::Answers>,
}

impl Records {
    fn load(records: Vec<Record>) -> Records {
        let mut r = Records::default();
        for record in &records {
            r.apply_record(record);
        }
        r
    }

    /// Applies one stored record: set, or deleted when it has no value. Unreadable records
    /// are skipped (they were written by this code, so there are none).
    fn apply_record(&mut self, record: &Record) {
        let value = record.value.as_deref();
        match record.kind {
            RecordKind::Upvote => {
                if let Some((q, person)) = record.key.split_once(':')
                    && let Ok(q) = q.parse()
                {
                    let voters = self.upvotes.entry(q).or_default();
                    if value.is_some() {
                        voters.insert(Arc::from(person));
                    } else {
                        voters.remove(person);
                    }
                }
            }
            RecordKind::Block => {
                if value.is_some() {
                    self.blocked.insert(record.key.clone());
                } else {
                    self.blocked.remove(&record.key);
                }
            }
            RecordKind::Ballot => {
                if let Some((poll, person)) = record.key.split_once(':')
                    && let Ok(poll) = poll.parse()
                {
                    let ballots = self.ballots.entry(poll).or_default();
                    match value {
                        None => drop(ballots.remove(person)),
                        Some(v) => {
                            if let Ok(answer) = serde_json::from_str(v) {
                                ballots.insert(Arc::from(person), answer);
                            }
                        }
                    }
                }
            }
            RecordKind::AwardBallot => {
                let ballot = value.and_then(|v| {
                    let (c, receipt) = v.split_once(':')?;
                    Some(Ballot {
                        candidate: c.parse().ok()?,
                        receipt: receipt.to_owned(),
                    })
                });
                if let Some((award, person)) = record.key.split_once(':')
                    && let Ok(award) = award.parse()
                {
                    let ballots = self.awards.entry(award).or_default();
                    match ballot {
                        Some(b) => drop(ballots.insert(Arc::from(person), b)),
                        None => drop(ballots.remove(person)),
                    }
                }
            }
            RecordKind::QuizAnswer => {
                let mut key = record.key.splitn(3, ':');
                let (Some(quiz), Some(question), Some(person)) =
                    (key.next(), key.next(), key.next())
                else {
                    return;
                };
                let (Ok(quiz), Ok(question)) = (quiz.parse(), question.parse()) else {
                    return;
                };
                let answers = self.quiz_answers.entry(quiz).or_default();
                let answer = value.and_then(|value| {
                    let mut v = value.splitn(3, ':');
                    let option = v.next()?.parse().ok()?;
                    let t_ms = v.next()?.parse().ok()?;
                    let name = v.next().filter(|n| !n.is_empty()).map(str::to_owned);
                    Some(QuizAnswer { option, t_ms, name })
                });
                match answer {
                    Some(a) => drop(answers.insert((question, Arc::from(person)), a)),
                    None => drop(answers.remove(&(question, Arc::from(person)))),
                }
            }
            RecordKind::Approved => {
                if let Some((poll, id)) = record.key.split_once(':')
                    && let Ok(poll) = poll.parse()
                {
                    let approved = self.approved.entry(poll).or_default();
                    if value.is_some() {
                        approved.insert(id.to_owned());
                    } else {
                        approved.remove(id);
                    }
                }
            }
        }
    }

    /// Applies one change, as committed (or as a batch overlays it).
    fn apply(&mut self, change: &RecordChange) {
        match change {
            RecordChange::Vote(v) => {
                let set = self.upvotes.entry(v.question).or_default();
                if v.up {
                    set.insert(v.person.clone());
                } else {
                    set.remove(&v.person);
                }
            }
            RecordChange::Block { person, blocked } => {
                if *blocked {
                    self.blocked.insert(person.clone());
                } else {
                    self.blocked.remove(person);
                }
            }
            RecordChange::Ballot(b) => {
                let ballots = self.ballots.entry(b.poll).or_default();
                match &b.answer {
                    Some(a) => ballots.insert(b.person.clone(), a.clone()),
                    None => ballots.remove(&b.person),
                };
            }
            RecordChange::Approval(a) => {
                let approved = self.approved.entry(a.poll).or_default();
                if a.approved {
                    approved.insert(a.answer.clone());
                } else {
                    approved.remove(&a.answer);
                }
            }
            RecordChange::AwardBallot(b) => {
                self.awards
                    .entry(b.award)
                    .or_default()
                    .insert(b.person.clone(), b.ballot.clone());
            }
            RecordChange::QuizAnswer(a) => {
                self.quiz_answers
                    .entry(a.quiz)
                    .or_default()
                    .insert((a.question, a.person.clone()), a.answer.clone());
            }
        }
    }
}

/// A change to a room's private records. Each kind knows, here and only here, its store record
/// and (in [`Records::apply`]) how it applies, so no kind can be half wired.
#[derive(Debug, Clone)]
enum RecordChange {
    Vote(VoteChange),
    Block { person: String, blocked: bool },
    Ballot(BallotChange),
    Approval(ApprovalChange),
    AwardBallot(BallotCast),
    QuizAnswer(AnswerGiven),
}

impl RecordChange {
    /// The store record that makes this change durable.
    fn record(&self, room: &RoomId) -> Record {
        let (kind, key, value) = match self {
            RecordChange::Vote(v) => (
                RecordKind::Upvote,
                format!("{}:{}", v.question, v.person),
                v.up.then(|| "1".to_owned()),
            ),
            RecordChange::Block { person, blocked } => (
                RecordKind::Block,
                person.clone(),
                blocked.then(|| "1".to_owned()),
            ),
            RecordChange::Ballot(b) => (
                RecordKind::Ballot,
                format!("{}:{}", b.poll, b.person),
                b.answer
                    .as_ref()
                    .map(|a| serde_json::to_string(a).expect("answers serialise")),
            ),
            RecordChange::Approval(a) => (
                RecordKind::Approved,
                format!("{}:{}", a.poll, a.answer),
                a.approved.then(|| "1".to_owned()),
            ),
            RecordChange::AwardBallot(b) => (
                RecordKind::AwardBallot,
                format!("{}:{}", b.award, b.person),
                Some(format!("{}:{}", b.ballot.candidate, b.ballot.receipt)),
            ),
            RecordChange::QuizAnswer(a) => (
                RecordKind::QuizAnswer,
                format!("{}:{}:{}", a.quiz, a.question, a.person),
                Some(format!(
                    "{}:{}:{}",
                    a.answer.option,
                    a.answer.t_ms,
                    a.answer.name.as_deref().unwrap_or("")
                )),
            ),
        };
        Record {
            room: room.clone(),
            kind,
            key,
            value,
        }
    }

    /// Notes which published aggregate this change makes stale.
    fn stales(&self, u: &mut Untallied) {
        match self {
            RecordChange::Vote(v) => drop(u.questions.insert(v.question)),
            RecordChange::Ballot(b) => drop(u.polls.insert(b.poll)),
            RecordChange::Approval(a) => drop(u.polls.insert(a.poll)),
            RecordChange::AwardBallot(b) => drop(u.awards.insert(b.award)),
            RecordChange::QuizAnswer(a) => drop(u.quizzes.insert(a.quiz)),
            RecordChange::Block { .. } => {}
        }
    }
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
    /// How many writes the room has had, and the id of the last (see `store::RoomWrite`).
    version: u64,
    last_id: u64,
    /// The full (staff) view; connections derive their viewer's view from it.
    state: RoomState,
    records: Records,
    /// The last [`RECENT_EVENTS`] events, serialised as sent, oldest first.
    recent: VecDeque<(Seq, Arc<Frames>)>,
}

/// What a joining client is sent.
pub enum CatchUp {
    /// The full state: the connection sends its viewer's view of it.
    Snapshot {
        seq: Seq,
        state: RoomState,
    },
    Replay {
        seq: Seq,
        frames: Vec<Arc<Frames>>,
    },
}

impl Room {
    fn from_data(id: RoomId, data: RoomData) -> Room {
        let RoomData {
            version,
            id: last_id,
            log,
            records,
        } = data;
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
                recent.push_back((entry.seq, event_frames(&id, &entry)));
            }
        }
        Room {
            id: Arc::new(id),
            inner: Mutex::new(RoomInner {
                seq,
                version,
                last_id,
                state,
                records: Records::load(records),
                recent,
            }),
        }
    }

    /// The current sequence number and full state.
    pub fn snapshot(&self) -> (Seq, RoomState) {
        let inner = self.inner.lock().unwrap();
        (inner.seq, inner.state.clone())
    }

    /// How many writes this copy of the room has applied.
    pub fn version(&self) -> u64 {
        self.inner.lock().unwrap().version
    }

    /// The version and the id of the last write applied.
    fn head(&self) -> (u64, u64) {
        let inner = self.inner.lock().unwrap();
        (inner.version, inner.last_id)
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

    /// Who votes `question` up, as committed.
    fn voters(&self, question: QuestionId) -> HashSet<Arc<str>> {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .upvotes
            .get(&question)
            .cloned()
            .unwrap_or_default()
    }

    fn is_blocked(&self, person: &str) -> bool {
        self.inner.lock().unwrap().records.blocked.contains(person)
    }

    /// A poll's ballots and approved answers, as committed.
    fn ballots(&self, poll: PollId) -> (HashMap<Arc<str>, Answer>, HashSet<String>) {
        let inner = self.inner.lock().unwrap();
        (
            inner
                .records
                .ballots
                .get(&poll)
                .cloned()
                .unwrap_or_default(),
            inner
                .records
                .approved
                .get(&poll)
                .cloned()
                .unwrap_or_default(),
        )
    }

    /// An award's ballots, as committed.
    pub fn award_ballots(&self, award: AwardId) -> HashMap<Arc<str>, Ballot> {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .awards
            .get(&award)
            .cloned()
            .unwrap_or_default()
    }

    /// A quiz's answers, as committed.
    fn quiz_answers(&self, quiz: QuizId) -> quizzes::Answers {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .quiz_answers
            .get(&quiz)
            .cloned()
            .unwrap_or_default()
    }

    /// `person`'s standing in every quiz of this room.
    pub fn quiz_standings_of(&self, person: &str) -> HashMap<QuizId, plenum_protocol::MyStanding> {
        let inner = self.inner.lock().unwrap();
        let RoomState::Session(s) = &inner.state else {
            return HashMap::new();
        };
        let none = quizzes::Answers::new();
        s.quizzes
            .iter()
            .map(|q| {
                let answers = inner.records.quiz_answers.get(&q.id).unwrap_or(&none);
                (q.id, quizzes::standing(q, answers, person))
            })
            .collect()
    }

    /// `person`'s answers to this room's polls.
    pub fn answers_of(&self, person: &str) -> HashMap<PollId, Answer> {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .ballots
            .iter()
            .filter_map(|(poll, ballots)| Some((*poll, ballots.get(person)?.clone())))
            .collect()
    }

    /// Every aggregate that can still change: published questions, open polls and awards, the
    /// quiz question being asked.
    fn live_aggregates(&self) -> Untallied {
        let inner = self.inner.lock().unwrap();
        let RoomState::Session(s) = &inner.state else {
            return Untallied::default();
        };
        Untallied {
            questions: s.qa.questions.iter().map(|q| q.id).collect(),
            polls: s
                .polls
                .iter()
                .filter(|p| p.status == PollStatus::Open)
                .map(|p| p.id)
                .collect(),
            awards: s
                .awards
                .iter()
                .filter(|a| a.status == AwardStatus::Open)
                .map(|a| a.id)
                .collect(),
            quizzes: s
                .quizzes
                .iter()
                .filter(|q| q.status == QuizStatus::Asking)
                .map(|q| q.id)
                .collect(),
        }
    }

    /// Whether `person` cast a ballot in `award`, as committed.
    fn has_award_ballot(&self, award: AwardId, person: &str) -> bool {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .awards
            .get(&award)
            .is_some_and(|b| b.contains_key(person))
    }

    /// Whether `person` answered `question` of `quiz`, as committed.
    fn has_quiz_answer(&self, quiz: QuizId, question: u32, person: &str) -> bool {
        let inner = self.inner.lock().unwrap();
        inner
            .records
            .quiz_answers
            .get(&quiz)
            .is_some_and(|a| a.contains_key(&(question, Arc::from(person))))
    }

    /// Open polls with a timer: (closes at, poll).
    fn timers(&self) -> Vec<(i64, PollId)> {
        inner_timers(&self.inner.lock().unwrap().state)
    }
}

/// Open polls with a timer in `state`: (closes at, poll).
fn inner_timers(state: &RoomState) -> Vec<(i64, PollId)> {
    match state {
        RoomState::Session(s) => s
            .polls
            .iter()
            .filter(|p| p.status == PollStatus::Open)
            .filter_map(|p| Some((p.closes_at_ms?, p.id)))
            .collect(),
        RoomState::Event(_) => Vec::new(),
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

fn event_frames(room: &RoomId, entry: &LogEntry) -> Arc<Frames> {
    Arc::new(Frames::of(&entry.event, |event| {
        let msg = ServerMsg::Event {
            room: room.clone(),
            seq: entry.seq,
            at_ms: entry.at_ms,
            event: event.clone(),
        };
        Frame::from(serde_json::to_string(&msg).expect("server messages always serialise"))
    }))
}

/// A random id for a room write (never 0, which stands for "no write yet").
fn write_id() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the operating system's random source");
    u64::from_le_bytes(b).max(1)
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Where a loaded (or synced) room is answered.
type RoomReply = oneshot::Sender<Result<Arc<Room>, EngineError>>;

enum Job {
    Load {
        room: RoomId,
        reply: RoomReply,
    },
    Command {
        room: Arc<Room>,
        command: Command,
        /// `None` for the sequencer's own commands.
        reply: Option<oneshot::Sender<Result<Ack, EngineError>>>,
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
        reply: oneshot::Sender<Option<Arc<EventInfo>>>,
    },
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
    /// The last readiness answer and when it was taken.
    readiness: Mutex<Option<(Instant, bool)>>,
    /// Keys open-text answer ids (see `polls::text_id`); made on the first start, kept in the store.
    answer_key: [u8; 32],
    /// Whether other instances write to the store too (`--redis`): then a room held here may
    /// be behind, and is brought up to date before a client joins it.
    shared_store: bool,
    /// Event codes recently looked up in a shared store and not found: asked again only after
    /// a second, so guessing codes cannot keep the sequencer busy.
    misses: DashMap<EventCode, Instant>,
}

impl Engine {
    /// Loads the catalog and starts the sequencer thread, which takes ownership of the store.
    pub fn start(
        mut store: Box<dyn Store>,
        broker: Arc<dyn Broker>,
        metrics: Arc<Metrics>,
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
            answer_key,
            shared_store,
            misses: DashMap::new(),
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

    /// The event, also when another instance created it a moment ago and its document has
    /// not arrived here yet (a shared store is asked on a miss).
    pub async fn find_event(&self, code: &EventCode) -> Option<Arc<EventInfo>> {
        if let Some(e) = self.event(code) {
            return Some(e);
        }
        if !self.shared.shared_store {
            return None;
        }
        if self
            .shared
            .misses
            .get(code)
            .is_some_and(|at| at.elapsed() < Duration::from_secs(1))
        {
            return None;
        }
        let (reply, answer) = oneshot::channel();
        self.send(Job::FindEvent {
            code: code.clone(),
            reply,
        })
        .ok()?;
        let found = answer.await.ok().flatten();
        if found.is_none() {
            if self.shared.misses.len() > 10_000 {
                self.shared.misses.clear();
            }
            self.shared.misses.insert(code.clone(), Instant::now());
        }
        found
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

    /// A room that exists: its event is in the catalog, and a session room's session is on
    /// the agenda. Loads the room from the store on first use.
    pub async fn room(&self, id: &RoomId) -> Result<Arc<Room>, EngineError> {
        let event = self
            .find_event(id.event_code())
            .await
            .ok_or_else(|| EngineError::NotFound(format!("no event {}", id.event_code())))?;
        if let RoomId::Session(_, session) = id
            && !event.agenda.sessions.iter().any(|s| &s.id == session)
        {
            return Err(EngineError::NotFound(format!(
                "no session {session} in event {}",
                event.code
            )));
        }
        if self.shared.shared_store {
            // Another instance may have written the room since this one last heard of it.
            let (reply, answer) = oneshot::channel();
            self.send(Job::Sync {
                room: id.clone(),
                reply: Some(reply),
            })?;
            return answer.await.map_err(|_| EngineError::Unavailable)?;
        }
        self.load(id).await
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
    pub async fn submit(&self, room: &RoomId, command: Command) -> Result<Ack, EngineError> {
        let room = self.load(room).await?;
        let (reply, answer) = oneshot::channel();
        self.send(Job::Command {
            room,
            command,
            reply: Some(reply),
        })?;
        answer.await.map_err(|_| EngineError::Unavailable)?
    }

    /// Submits a stage update; whether it fits the session's agenda is decided in the
    /// sequencer, against the agenda as it is when the update is committed.
    pub async fn set_stage(
        &self,
        event: &EventCode,
        session: &plenum_protocol::SessionId,
        update: StageUpdate,
    ) -> Result<Ack, EngineError> {
        if let Some(on_stage) = &update.on_stage {
            on_stage
                .check()
                .map_err(|m| EngineError::invalid("on_stage", m))?;
        }
        let room = RoomId::Session(event.clone(), session.clone());
        // Existence now, for a quick `not_found`; the sequencer checks again.
        self.room(&room).await?;
        self.submit(&room, Command::SetStage(update)).await
    }

    /// `person`'s standing in a quiz, as committed.
    pub async fn quiz_standing(
        &self,
        event: &EventCode,
        session: &plenum_protocol::SessionId,
        quiz: QuizId,
        person: &str,
    ) -> Result<plenum_protocol::MyStanding, EngineError> {
        let room = self
            .room(&RoomId::Session(event.clone(), session.clone()))
            .await?;
        room.quiz_standings_of(person)
            .remove(&quiz)
            .ok_or_else(|| EngineError::NotFound(format!("no quiz {quiz} in this session")))
    }

    /// The bulletin board of a closed award vote.
    pub async fn award_bulletin(
        &self,
        event: &EventCode,
        session: &plenum_protocol::SessionId,
        award: AwardId,
    ) -> Result<plenum_protocol::AwardBallots, EngineError> {
        let room = self
            .room(&RoomId::Session(event.clone(), session.clone()))
            .await?;
        let (_, state) = room.snapshot();
        let RoomState::Session(s) = state else {
            unreachable!("a session room")
        };
        let a = s.award(award).ok_or_else(|| {
            EngineError::NotFound(format!("no award vote {award} in this session"))
        })?;
        if !awards::board_public(a) {
            return Err(EngineError::Conflict(
                "the ballots are published once the winner is revealed".into(),
            ));
        }
        Ok(awards::bulletin(a, &room.award_ballots(award)))
    }

    /// One session's questions, polls and awards, exact now: vote counts and poll results are
    /// computed from the records, not taken from the last published tallies.
    pub async fn export_session(
        &self,
        event: &EventCode,
        session: &plenum_protocol::Session,
    ) -> Result<plenum_protocol::SessionExport, EngineError> {
        let room = self
            .room(&RoomId::Session(event.clone(), session.id.clone()))
            .await?;
        let (_, state) = room.snapshot();
        let RoomState::Session(s) = state else {
            unreachable!("a session room")
        };
        let questions =
            s.qa.questions
                .into_iter()
                .map(|mut q| {
                    q.votes = room.voters(q.id).len() as u64;
                    q.asker.id = None;
                    q
                })
                .collect();
        let polls = s
            .polls
            .into_iter()
            .map(|mut p| {
                let (ballots, approved) = room.ballots(p.id);
                p.ballots = ballots.len() as u64;
                p.results = Some(polls::results(
                    &p,
                    &ballots,
                    &approved,
                    &self.shared.answer_key,
                ));
                p
            })
            .collect();
        let awards = s
            .awards
            .into_iter()
            .map(|award| {
                let counts = (award.status == AwardStatus::Closed)
                    .then(|| awards::bulletin(&award, &room.award_ballots(award.id)).counts);
                plenum_protocol::AwardExport { award, counts }
            })
            .collect();
        Ok(plenum_protocol::SessionExport {
            id: session.id.clone(),
            title: session.title.clone(),
            questions,
            polls,
            awards,
        })
    }

    /// A request in a session's room (Q&A, polls, awards, quizzes, its stream delay), once the
    /// caller has checked who may make it.
    pub async fn in_session(
        &self,
        event: &EventCode,
        session: &plenum_protocol::SessionId,
        command: Command,
    ) -> Result<Ack, EngineError> {
        let room = RoomId::Session(event.clone(), session.clone());
        self.room(&room).await?;
        self.submit(&room, command).await
    }

    /// Blocks (or unblocks) a person from asking anywhere at the event.
    pub async fn block(
        &self,
        event: &EventCode,
        person: String,
        blocked: bool,
    ) -> Result<Ack, EngineError> {
        if person.is_empty() || person.len() > 64 {
            return Err(EngineError::invalid("person", "must be a person's id"));
        }
        let room = RoomId::Event(event.clone());
        self.room(&room).await?;
        self.submit(&room, Command::Block { person, blocked }).await
    }

    /// Creates an event from a checked [`plenum_protocol::CreateEvent`].
    pub async fn create_event(
        &self,
        new: plenum_protocol::CreateEvent,
    ) -> Result<Ack, EngineError> {
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
    pub async fn announce(&self, event: &EventCode, text: String) -> Result<Ack, EngineError> {
        let text = text.trim().to_owned();
        if text.is_empty() {
            return Err(EngineError::invalid("text", "must not be empty"));
        }
        let max = plenum_protocol::limits::MAX_ANNOUNCEMENT_CHARS;
        if text.chars().count() > max {
            return Err(EngineError::invalid(
                "text",
                format!("is longer than {max} characters"),
            ));
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(EngineError::invalid("text", "contains control characters"));
        }
        let room = RoomId::Event(event.clone());
        self.room(&room).await?;
        self.submit(&room, Command::Announce(text)).await
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

/// The one thread that writes: see the module docs.
struct Sequencer {
    store: Box<dyn Store>,
    broker: Arc<dyn Broker>,
    metrics: Arc<Metrics>,
    shared: Arc<Shared>,
    /// Rooms whose records changed since their tallies and results were last published.
    untallied: HashMap<RoomId, (Arc<Room>, Untallied)>,
    /// Poll timers: when, which room, which poll. A timer whose poll closed early is ignored.
    timers: BTreeSet<(i64, RoomId, PollId)>,
    /// Rooms a failed commit to a shared store may have written in part: synced from the store
    /// as soon as it answers, so their followers get what was written.
    stale: HashSet<RoomId>,
    /// Rooms whose records another instance changed, and when to publish their tallies here
    /// if that instance has not (it died before its next tally).
    orphaned: HashMap<RoomId, Instant>,
}

/// A command to decide, and who waits for its answer.
struct Work {
    room: RoomId,
    command: Command,
    /// `None` for the sequencer's own commands.
    reply: Option<oneshot::Sender<Result<Ack, EngineError>>>,
}

/// A command decided within the current round, waiting for the commit.
struct Decided {
    room: Arc<Room>,
    entries: Vec<LogEntry>,
    ack: Ack,
    /// Kept to decide it again if the room's commit conflicts.
    work: Work,
}

/// A room as the batch so far leaves it.
struct Pending {
    room: Arc<Room>,
    seq: Seq,
    /// The room's version, and its last write's id, this batch decides against.
    version: u64,
    last_id: u64,
    state: RoomState,
    /// Record changes of this batch, in order, over the committed records.
    changes: Vec<RecordChange>,
}

impl Pending {
    fn new(room: &Arc<Room>) -> Pending {
        let (seq, state) = room.snapshot();
        Pending {
            room: room.clone(),
            seq,
            version: room.head().0,
            last_id: room.head().1,
            state,
            changes: Vec::new(),
        }
    }

    /// `base` (a part of the committed records) with this batch's changes applied.
    fn overlay(&self, mut base: Records) -> Records {
        for c in &self.changes {
            base.apply(c);
        }
        base
    }

    fn quiz_answers(&self, quiz: QuizId) -> quizzes::Answers {
        let mut base = Records::default();
        base.quiz_answers.insert(quiz, self.room.quiz_answers(quiz));
        self.overlay(base)
            .quiz_answers
            .remove(&quiz)
            .unwrap_or_default()
    }

    /// Whether `person` has a ballot in `award`, as the batch leaves it (a point lookup: no copy).
    fn voted_in_award(&self, award: AwardId, person: &str) -> bool {
        self.room.has_award_ballot(award, person)
            || self.changes.iter().any(|c| matches!(c, RecordChange::AwardBallot(b) if b.award == award && &*b.person == person))
    }

    /// Whether `person` answered `question` of `quiz`, as the batch leaves it.
    fn answered_quiz(&self, quiz: QuizId, question: u32, person: &str) -> bool {
        self.room.has_quiz_answer(quiz, question, person)
            || self.changes.iter().any(
                |c| matches!(c, RecordChange::QuizAnswer(a) if a.quiz == quiz && a.question == question && &*a.person == person),
            )
    }

    fn award_ballots(&self, award: AwardId) -> HashMap<Arc<str>, Ballot> {
        let mut base = Records::default();
        base.awards.insert(award, self.room.award_ballots(award));
        self.overlay(base).awards.remove(&award).unwrap_or_default()
    }

    fn ballots(&self, poll: PollId) -> (HashMap<Arc<str>, Answer>, HashSet<String>) {
        let (ballots, approved) = self.room.ballots(poll);
        let mut base = Records::default();
        base.ballots.insert(poll, ballots);
        base.approved.insert(poll, approved);
        let mut r = self.overlay(base);
        (
            r.ballots.remove(&poll).unwrap_or_default(),
            r.approved.remove(&poll).unwrap_or_default(),
        )
    }

    fn voters(&self, question: QuestionId) -> HashSet<Arc<str>> {
        let mut base = Records::default();
        base.upvotes.insert(question, self.room.voters(question));
        self.overlay(base)
            .upvotes
            .remove(&question)
            .unwrap_or_default()
    }

    fn is_blocked(&self, person: &str) -> bool {
        let mut base = Records::default();
        if self.room.is_blocked(person) {
            base.blocked.insert(person.to_owned());
        }
        self.overlay(base).blocked.contains(person)
    }
}

/// What a command does, before sequence numbers are assigned.
#[derive(Default)]
struct Decision {
    events: Vec<RoomEvent>,
    changes: Vec<RecordChange>,
    question: Option<QuestionId>,
    poll: Option<PollId>,
    award: Option<AwardId>,
    receipt: Option<String>,
    quiz: Option<QuizId>,
}

impl Decision {
    fn event(event: RoomEvent) -> Decision {
        Decision {
            events: vec![event],
            ..Decision::default()
        }
    }
}

impl Sequencer {
    fn run(mut self, jobs: mpsc::Receiver<Job>) {
        let mut last_tally = Instant::now();
        loop {
            // Sleep until a job arrives, tallies are due, or a poll's timer runs out.
            let mut wait = Duration::from_secs(3600);
            if !self.untallied.is_empty() {
                wait = wait.min(TALLY_EVERY.saturating_sub(last_tally.elapsed()));
            }
            if let Some((at, _, _)) = self.timers.first() {
                wait = wait.min(Duration::from_millis((at - now_ms()).max(0) as u64));
            }
            if !self.stale.is_empty() {
                wait = wait.min(Duration::from_millis(200));
            }
            if let Some(at) = self.orphaned.values().min() {
                wait = wait.min(at.saturating_duration_since(Instant::now()));
            }
            let mut batch = Vec::new();
            match jobs.recv_timeout(wait) {
                Ok(job) => batch.push(job),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            while batch.len() < MAX_BATCH {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            // Expired timers go first, so no answer queued behind them is taken after its close.
            let now = now_ms();
            let mut expired = Vec::new();
            while self.timers.first().is_some_and(|(at, _, _)| *at <= now) {
                let (_, room, poll) = self.timers.pop_first().expect("checked");
                if let Some(room) = self.shared.rooms.get(&room).map(|r| r.clone()) {
                    expired.push(Job::Command {
                        room,
                        command: Command::Poll {
                            person: String::new(),
                            command: PollCommand::TimerExpired { poll },
                        },
                        reply: None,
                    });
                }
            }
            batch.splice(0..0, expired);
            self.adopt_orphans();
            if !self.untallied.is_empty() && last_tally.elapsed() >= TALLY_EVERY {
                last_tally = Instant::now();
                batch.extend(self.tally_jobs());
            }
            if !batch.is_empty() {
                self.run_batch(batch);
            } else if !self.stale.is_empty() {
                self.sync_stale();
            }
        }
        // Publish what is still untallied, so tallies are exact when the server stops.
        let last = self.tally_jobs();
        if !last.is_empty() {
            self.run_batch(last);
        }
        tracing::debug!("sequencer stopped: every queued job is committed");
    }

    /// Rooms whose tallies another instance should have published by now: publish whatever
    /// still differs from the records (normally nothing).
    fn adopt_orphans(&mut self) {
        let now = Instant::now();
        let due: Vec<RoomId> = self
            .orphaned
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.orphaned.remove(&id);
            if let Some(room) = self.shared.rooms.get(&id).map(|r| r.clone()) {
                let live = room.live_aggregates();
                let (_, u) = self
                    .untallied
                    .entry(id)
                    .or_insert_with(|| (room.clone(), Untallied::default()));
                u.questions.extend(live.questions);
                u.polls.extend(live.polls);
                u.awards.extend(live.awards);
                u.quizzes.extend(live.quizzes);
            }
        }
    }

    fn tally_jobs(&mut self) -> Vec<Job> {
        self.untallied
            .drain()
            .map(|(_, (room, untallied))| Job::Command {
                room,
                command: Command::PublishTallies(untallied),
                reply: None,
            })
            .collect()
    }

    fn run_batch(&mut self, jobs: Vec<Job>) {
        let mut work: Vec<Work> = Vec::new();
        let mut syncs: Vec<(RoomId, Option<RoomReply>)> = Vec::new();
        for job in jobs {
            match job {
                Job::Ping { reply } => {
                    let _ = reply.send(self.store.ping().is_ok());
                }
                Job::Load { room, reply } => {
                    let _ = reply.send(self.load(room));
                }
                Job::Sync { room, reply } => syncs.push((room, reply)),
                Job::Remote(write) => self.remote(write),
                Job::Catalog(doc) => self.catalog(doc),
                Job::FindEvent { code, reply } => {
                    let found = match self.store.load_event(&code) {
                        Ok(Some(doc)) => {
                            self.catalog(Some(doc));
                            self.shared.catalog.get(&code).map(|e| e.clone())
                        }
                        Ok(None) => None,
                        Err(e) => {
                            tracing::warn!(error = %e, "looking an event up failed");
                            None
                        }
                    };
                    let _ = reply.send(found);
                }
                Job::Command {
                    room,
                    command,
                    reply,
                } => work.push(Work {
                    room: (*room.id).clone(),
                    command,
                    reply,
                }),
            }
        }
        if !self.stale.is_empty() {
            self.sync_stale();
        }
        // One read of the store per room, however many clients join it in this batch.
        let mut synced: HashMap<(RoomId, bool), Result<Arc<Room>, EngineError>> = HashMap::new();
        for (room, reply) in syncs {
            let key = (room, reply.is_some());
            let result = match synced.get(&key) {
                Some(r) => r.clone(),
                None => {
                    let r = self.sync(&key.0, key.1);
                    synced.insert(key, r.clone());
                    r
                }
            };
            if let Some(reply) = reply {
                let _ = reply.send(result);
            }
        }
        // Asking reads the event room's block list: bring it up to date first (once per batch),
        // as this instance may not follow the event room.
        if self.shared.shared_store {
            let events: HashSet<RoomId> = work
                .iter()
                .filter(|w| {
                    matches!(
                        w.command,
                        Command::Qa {
                            command: QaCommand::Ask { .. },
                            ..
                        }
                    )
                })
                .map(|w| RoomId::Event(w.room.event_code().clone()))
                .collect();
            for id in events {
                let _ = self.sync(&id, true);
            }
        }
        // Commands of a room another instance wrote first are decided again, after catching
        // up; each round commits at least the other instance's write, so this ends.
        let started = Instant::now();
        let mut round: u64 = 0;
        while !work.is_empty() {
            round += 1;
            if round > 4 {
                let mut b = [0u8; 2];
                getrandom::fill(&mut b).expect("the operating system's random source");
                let max_us = 250 * (round - 4).min(20);
                thread::sleep(Duration::from_micros(
                    u64::from(u16::from_le_bytes(b)) % max_us,
                ));
            }
            if started.elapsed() > RETRY_FOR {
                tracing::warn!(commands = work.len(), "rooms too contended; refusing");
                for w in work {
                    self.rearm_timer(&w);
                    if let Some(reply) = w.reply {
                        let _ = reply.send(Err(EngineError::Unavailable));
                    }
                }
                break;
            }
            work = self.commit_round(work);
        }
    }

    /// Decides, commits and publishes one round of commands. Returns the commands of rooms
    /// whose commit conflicted (shared store only), to be decided again.
    fn commit_round(&mut self, work: Vec<Work>) -> Vec<Work> {
        let mut pending: HashMap<RoomId, Pending> = HashMap::new();
        let mut docs: HashMap<EventCode, EventInfo> = HashMap::new();
        let mut decided: Vec<Decided> = Vec::new();
        let mut refused: Vec<(Work, EngineError)> = Vec::new();
        let at_ms = now_ms();
        for w in work {
            // The room as loaded now: a job queued before a failed commit made us drop and
            // reload a room must not act on the dropped copy.
            let room = match self.load(w.room.clone()) {
                Ok(current) => current,
                Err(e) => {
                    if let Some(reply) = w.reply {
                        let _ = reply.send(Err(e));
                    }
                    continue;
                }
            };
            let decision = match self.decide(&room, &mut pending, &mut docs, w.command.clone()) {
                Ok(d) => d,
                Err(e) => {
                    // Answered after the commit: if the room turns out to be behind, it is
                    // decided again.
                    refused.push((w, e));
                    continue;
                }
            };
            let p = pending
                .get_mut(room.id.as_ref())
                .expect("decide made it pending");
            let mut entries = Vec::with_capacity(decision.events.len());
            for event in decision.events {
                // decide() only returns events that fit the room (its state checks them).
                if p.state.apply(&event).is_err() {
                    tracing::error!(room = %room.id, "a decided event does not fit its room");
                    continue;
                }
                p.seq += 1;
                entries.push(LogEntry {
                    room: (*room.id).clone(),
                    seq: p.seq,
                    at_ms,
                    event,
                });
            }
            p.changes.extend(decision.changes);
            decided.push(Decided {
                room,
                ack: Ack {
                    seq: p.seq,
                    question: decision.question,
                    poll: decision.poll,
                    award: decision.award,
                    receipt: decision.receipt,
                    quiz: decision.quiz,
                },
                entries,
                work: w,
            });
        }
        // One write per room that changes: its events in decision order, its records, and
        // (for an event room) the event's new document.
        let mut batch = Batch::default();
        for (id, p) in &pending {
            let log: Vec<LogEntry> = decided
                .iter()
                .filter(|d| Arc::ptr_eq(&d.room, &p.room))
                .flat_map(|d| d.entries.iter().cloned())
                .collect();
            let doc = match id {
                RoomId::Event(code) => docs.get(code).cloned(),
                RoomId::Session(..) => None,
            };
            if log.is_empty() && p.changes.is_empty() && doc.is_none() {
                continue;
            }
            batch.rooms.push(RoomWrite {
                room: id.clone(),
                version: p.version + 1,
                id: write_id(),
                prev: p.last_id,
                log,
                records: p.changes.iter().map(|c| c.record(id)).collect(),
                doc,
            });
        }
        let committed = if batch.is_empty() {
            Committed::default()
        } else {
            match self.store.commit(&batch) {
                Ok(committed) => committed,
                Err(e) => {
                    tracing::error!(error = %e, "store commit failed; refusing the batch");
                    self.metrics.store_failures.inc();
                    for d in decided {
                        if let Some(reply) = d.work.reply {
                            let _ = reply.send(Err(EngineError::Unavailable));
                        }
                    }
                    for (w, e) in refused {
                        if let Some(reply) = w.reply {
                            let _ = reply.send(Err(e));
                        }
                    }
                    self.forget_uncertain(batch.rooms.into_iter().map(|w| w.room));
                    return Vec::new();
                }
            }
        };
        if batch.rooms.len() > committed.conflicts.len() + committed.failed.len() {
            self.metrics.store_commits.inc();
        }
        // Rooms the store may or may not hold the write of: their requests are refused as
        // unavailable (retryable), and the rooms are synced as soon as the store answers.
        let failed: HashSet<RoomId> = committed
            .failed
            .into_iter()
            .map(|(room, e)| {
                tracing::error!(room = %room, error = %e, "store commit failed for a room");
                self.metrics.store_failures.inc();
                room
            })
            .collect();
        // Rooms another instance wrote first: catch up (with the writes the store sent along,
        // or by reading them), and decide their commands again. A room whose history in the
        // store is not the one held here (Redis lost writes) is refused instead.
        let mut retry = Vec::new();
        let mut diverged = HashSet::new();
        let conflicts: HashSet<RoomId> = committed
            .conflicts
            .into_iter()
            .map(|c| {
                self.metrics.store_conflicts.inc();
                if !self.catch_up(&c.room, c.version, c.missed) {
                    diverged.insert(c.room.clone());
                }
                c.room
            })
            .collect();
        let refused_rooms: HashSet<RoomId> = failed.union(&diverged).cloned().collect();
        let mut written = Vec::new();
        for write in batch.rooms {
            if !conflicts.contains(&write.room) && !failed.contains(&write.room) {
                self.metrics.events_committed.inc_by(write.log.len() as u64);
                written.push(write);
            }
        }
        let mut acks = Vec::new();
        for d in decided {
            if refused_rooms.contains(d.room.id.as_ref()) {
                self.rearm_timer(&d.work);
                if let Some(reply) = d.work.reply {
                    let _ = reply.send(Err(EngineError::Unavailable));
                }
            } else if conflicts.contains(d.room.id.as_ref()) {
                retry.push(d.work);
            } else {
                acks.push((d.work.reply, d.ack));
            }
        }
        for (w, e) in refused {
            if conflicts.contains(&w.room) && !diverged.contains(&w.room) {
                retry.push(w);
            } else if let Some(reply) = w.reply {
                let _ = reply.send(Err(e));
            }
        }
        self.stale.extend(failed);
        // Committed: make each room's write visible at once, publish it in order, then
        // acknowledge.
        for write in written {
            let Some(p) = pending.remove(&write.room) else {
                continue;
            };
            let untallied = p
                .changes
                .iter()
                .any(|c| !matches!(c, RecordChange::Block { .. }));
            if untallied {
                let (_, u) = self
                    .untallied
                    .entry(write.room.clone())
                    .or_insert_with(|| (p.room.clone(), Untallied::default()));
                for c in &p.changes {
                    c.stales(u);
                }
            }
            let room = p.room.clone();
            self.apply_write(&room, write, Some(p));
        }
        for (reply, ack) in acks {
            if let Some(reply) = reply {
                let _ = reply.send(Ok(ack));
            }
        }
        retry
    }

    /// Makes a committed write visible: the room's sequence number, state, records, version and
    /// recent frames change under one lock, so a joining client sees all of it or none. Then
    /// its events go to this instance's followers, in order. Each event is serialised once per
    /// audience here, on every instance: never per follower.
    ///
    /// `folded` is this instance's own write as the batch already worked it out (its state
    /// and record changes), so nothing is folded or parsed twice; `None` for a write from
    /// another instance, folded here from what it carries.
    fn apply_write(&mut self, room: &Arc<Room>, write: RoomWrite, folded: Option<Pending>) {
        let frames: Vec<Arc<Frames>> = write
            .log
            .iter()
            .map(|e| event_frames(&room.id, e))
            .collect();
        {
            let mut inner = room.inner.lock().unwrap();
            let local = folded.is_some();
            for (entry, f) in write.log.iter().zip(&frames) {
                if !local && inner.state.apply(&entry.event).is_err() {
                    tracing::error!(room = %room.id, seq = entry.seq, "a written event does not fit its room");
                }
                inner.seq = entry.seq;
                if inner.recent.len() == RECENT_EVENTS {
                    inner.recent.pop_front();
                }
                inner.recent.push_back((entry.seq, f.clone()));
            }
            match folded {
                Some(p) => {
                    inner.state = p.state;
                    for c in &p.changes {
                        inner.records.apply(c);
                    }
                }
                None => {
                    for r in &write.records {
                        inner.records.apply_record(r);
                    }
                }
            }
            inner.version = write.version;
            inner.last_id = write.id;
            debug_assert!(inner.recent.back().is_none_or(|(s, _)| *s == inner.seq));
            for (at, poll) in inner_timers(&inner.state) {
                self.timers.insert((at, (*room.id).clone(), poll));
            }
        }
        if let Some(doc) = write.doc {
            self.shared.catalog.insert(doc.code.clone(), Arc::new(doc));
        }
        for (entry, f) in write.log.iter().zip(&frames) {
            self.broker.publish(&room.id, entry.seq, f);
        }
    }

    /// A write from another instance: applied if it is the room's next, read from the store
    /// with whatever else is missing if it is further ahead, ignored if already here (our
    /// own, or one a resync brought). Rooms not loaded here are not followed here either.
    fn remote(&mut self, write: RoomWrite) {
        let Some(room) = self.shared.rooms.get(&write.room).map(|r| r.clone()) else {
            return;
        };
        let have = room.version();
        if write.version == have + 1 {
            self.apply_next(&room, write);
        } else if write.version > have + 1 {
            self.metrics.broker_gaps.inc();
            if let Err(e) = self.sync(&write.room, false) {
                tracing::warn!(room = %write.room, error = %e, "filling a gap failed");
                self.stale.insert(write.room);
            }
        }
    }

    /// Applies `missed` to a loaded room, in order; reads from the store only if they do not
    /// bring it to `version`. False when the room made no progress: the store's history of the
    /// room is not the one held here.
    fn catch_up(&mut self, id: &RoomId, version: u64, missed: Vec<RoomWrite>) -> bool {
        let Some(room) = self.shared.rooms.get(id).map(|r| r.clone()) else {
            return true;
        };
        let before = room.version();
        for write in missed {
            if !self.apply_next(&room, write) {
                break;
            }
        }
        if room.version() < version
            && let Err(e) = self.sync(id, false)
        {
            tracing::warn!(room = %id, error = %e, "catching up after a conflict failed");
            return true;
        }
        let progressed = room.version() > before;
        if !progressed {
            tracing::error!(room = %id, version = before, store_version = version,
                "the store's history of this room differs from this instance's (did Redis lose writes?); refusing to write it");
        }
        progressed
    }

    /// Applies `write` if it is the room's next (its version and the id it follows match);
    /// returns whether it did.
    fn apply_next(&mut self, room: &Arc<Room>, write: RoomWrite) -> bool {
        let (version, last_id) = room.head();
        if write.version != version + 1 {
            return false;
        }
        if write.prev != last_id {
            tracing::error!(room = %room.id, version = write.version,
                "a write does not follow this instance's history of the room (did Redis lose writes?)");
            return false;
        }
        let from_elsewhere = write.records.iter().any(|r| r.kind != RecordKind::Block);
        self.apply_write(room, write, None);
        if from_elsewhere {
            // Its instance publishes the tallies; if it dies first, this one does.
            self.orphaned
                .entry((*room.id).clone())
                .or_insert_with(|| Instant::now() + ORPHANED_TALLIES_AFTER);
        }
        true
    }

    /// Puts back the timer of a poll whose expiry could not be committed.
    fn rearm_timer(&mut self, work: &Work) {
        if let Command::Poll {
            command: PollCommand::TimerExpired { poll },
            ..
        } = &work.command
        {
            let at = now_ms() + 200;
            self.timers.insert((at, work.room.clone(), *poll));
        }
    }

    /// Brings a loaded room up to date with the store (loads it when `load` and it is not
    /// loaded). If the store does not answer, what this instance holds is still served.
    fn sync(&mut self, id: &RoomId, load: bool) -> Result<Arc<Room>, EngineError> {
        let Some(room) = self.shared.rooms.get(id).map(|r| r.clone()) else {
            return if load {
                self.load(id.clone())
            } else {
                Err(EngineError::NotFound(format!("room {id} is not loaded")))
            };
        };
        match self.store.writes_since(id, room.version()) {
            Ok(writes) => {
                for write in writes {
                    if !self.apply_next(&room, write) {
                        break;
                    }
                }
                self.stale.remove(id);
                // A poll timer lost with a failed commit comes back (the set has no duplicates).
                for (at, poll) in room.timers() {
                    self.timers.insert((at, id.clone(), poll));
                }
            }
            Err(e) => {
                tracing::warn!(room = %id, error = %e, "store unavailable; serving the room as held");
                self.stale.insert(id.clone());
            }
        }
        Ok(room)
    }

    /// Retries rooms left uncertain by a failed commit.
    fn sync_stale(&mut self) {
        let stale: Vec<RoomId> = self.stale.iter().cloned().collect();
        for id in stale {
            let _ = self.sync(&id, false);
            if self.stale.contains(&id) {
                // The store still does not answer: try again later.
                break;
            }
        }
    }

    fn catalog(&mut self, doc: Option<EventInfo>) {
        let docs = match doc {
            Some(doc) => vec![doc],
            None => match self.store.load_events() {
                Ok(all) => all,
                Err(e) => {
                    tracing::warn!(error = %e, "reloading the catalog failed");
                    return;
                }
            },
        };
        for doc in docs {
            let newer = self
                .shared
                .catalog
                .get(&doc.code)
                .is_none_or(|held| held.agenda_version <= doc.agenda_version);
            if newer {
                self.shared.catalog.insert(doc.code.clone(), Arc::new(doc));
            }
        }
    }

    /// After a failed commit nothing in memory changed, but the store may hold part of the
    /// batch (an fsync error at COMMIT can leave it on disk, a connection can drop after Redis
    /// ran the script). An embedded store: drop the touched rooms and reload the catalog, so
    /// the next use reads what the store really has. A shared store: keep them, and sync them
    /// as soon as the store answers (versions tell exactly what was written).
    fn forget_uncertain(&mut self, rooms: impl Iterator<Item = RoomId>) {
        if self.shared.shared_store {
            self.stale.extend(rooms);
            return;
        }
        for room in rooms {
            self.untallied.remove(&room);
            self.shared.rooms.remove(&room);
        }
        match self.store.load_events() {
            Ok(events) => {
                for info in events {
                    self.shared
                        .catalog
                        .insert(info.code.clone(), Arc::new(info));
                }
            }
            Err(e) => tracing::error!(error = %e, "reloading the catalog failed"),
        }
    }

    fn load(&mut self, id: RoomId) -> Result<Arc<Room>, EngineError> {
        if let Some(room) = self.shared.rooms.get(&id) {
            return Ok(room.clone());
        }
        let data = self.store.load_room(&id).map_err(|e| {
            tracing::error!(room = %id, error = %e, "loading a room failed");
            EngineError::Unavailable
        })?;
        let room = Arc::new(Room::from_data(id.clone(), data));
        // Timers of polls left open (by a restart, say): a past one fires at the next turn.
        for (at, poll) in room.timers() {
            self.timers.insert((at, id.clone(), poll));
        }
        // Aggregates published before a crash may lag the records: mark what is live stale,
        // and the next tally publishes whatever differs.
        let stale = room.live_aggregates();
        if !stale.is_empty() {
            self.untallied.insert(id.clone(), (room.clone(), stale));
        }
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

    /// Whether `person` is blocked at `event`, as the batch leaves it.
    fn blocked(
        &mut self,
        pending: &HashMap<RoomId, Pending>,
        event: &EventCode,
        person: &str,
    ) -> Result<bool, EngineError> {
        let id = RoomId::Event(event.clone());
        if let Some(p) = pending.get(&id) {
            return Ok(p.is_blocked(person));
        }
        Ok(self.load(id)?.is_blocked(person))
    }

    /// Decides what a command does, given its room (and others) as the batch leaves them.
    fn decide(
        &mut self,
        room: &Arc<Room>,
        pending: &mut HashMap<RoomId, Pending>,
        docs: &mut HashMap<EventCode, EventInfo>,
        command: Command,
    ) -> Result<Decision, EngineError> {
        let code = room.id.event_code().clone();
        // Cross-room reads first, while `pending` is not borrowed for this room.
        let blocked = match &command {
            Command::Qa {
                actor,
                command: QaCommand::Ask { .. },
            } => self.blocked(pending, &code, &actor.id)?,
            _ => false,
        };
        let p = pending
            .entry((*room.id).clone())
            .or_insert_with(|| Pending::new(room));
        match (command, &p.state) {
            (Command::CreateEvent(info), RoomState::Event(state)) => {
                if state.agenda_version > 0 || docs.contains_key(&code) {
                    return Err(EngineError::Conflict(format!(
                        "an event with code {code} already exists"
                    )));
                }
                Ok(Decision::event(new_agenda_version(docs, state, info)))
            }
            (Command::ReplaceAgenda(agenda), RoomState::Event(state)) => {
                let mut info = self.current_event(docs, &code)?;
                info.agenda = agenda;
                Ok(Decision::event(new_agenda_version(docs, state, info)))
            }
            (Command::PutSession(session), RoomState::Event(state)) => {
                let mut info = self.current_event(docs, &code)?;
                let sessions = &mut info.agenda.sessions;
                match sessions.iter_mut().find(|s| s.id == session.id) {
                    Some(existing) => *existing = *session,
                    None => sessions.push(*session),
                }
                crate::agenda::check_agenda(&info.agenda).map_err(|e| EngineError::Invalid {
                    message: format!("{}: {}", e.field, e.message),
                    field: Some(e.field),
                })?;
                Ok(Decision::event(new_agenda_version(docs, state, info)))
            }
            (Command::Announce(text), RoomState::Event(_)) => {
                Ok(Decision::event(RoomEvent::Announced {
                    announcement: Announcement {
                        text,
                        at_ms: now_ms(),
                    },
                }))
            }
            (Command::Block { person, blocked }, RoomState::Event(_)) => Ok(Decision {
                changes: vec![RecordChange::Block { person, blocked }],
                ..Decision::default()
            }),
            (Command::SetStage(update), RoomState::Session(state)) => {
                let RoomId::Session(_, session_id) = room.id.as_ref() else {
                    unreachable!("a session state belongs to a session room")
                };
                let info = self.current_event(docs, &code)?;
                let session = info
                    .agenda
                    .sessions
                    .iter()
                    .find(|s| &s.id == session_id)
                    .ok_or_else(|| {
                        EngineError::NotFound(format!("no session {session_id} in event {code}"))
                    })?;
                if let Some(OnStage::Contribution { number }) = &update.on_stage
                    && !session.contributions.iter().any(|c| c.number == *number)
                {
                    return Err(EngineError::invalid(
                        "on_stage.number",
                        format!("session {session_id} has no contribution {number}"),
                    ));
                }
                let mut stage = state.stage.clone();
                if let Some(status) = update.status {
                    stage.status = status;
                }
                if let Some(on_stage) = update.on_stage {
                    stage.on_stage = on_stage;
                }
                if stage == state.stage {
                    return Ok(Decision::default());
                }
                Ok(Decision::event(RoomEvent::StageChanged { stage }))
            }
            (Command::Qa { actor, command }, RoomState::Session(state)) => {
                // The rules work on a copy: the batch's state changes only through the events.
                let mut qa = state.qa.clone();
                let voters = |q| p.voters(q);
                let cx = qa::Context {
                    actor: &actor,
                    blocked,
                    now_ms: now_ms(),
                    voters: &voters,
                };
                let out = qa::decide(&mut qa, command, &cx)?;
                Ok(Decision {
                    events: out.events,
                    changes: out.votes.into_iter().map(RecordChange::Vote).collect(),
                    question: out.question,
                    ..Decision::default()
                })
            }
            (Command::Poll { person, command }, RoomState::Session(state)) => {
                let mut polls = state.polls.clone();
                let ballots = |poll| p.ballots(poll);
                let cx = polls::Context {
                    person: &person,
                    now_ms: now_ms(),
                    ballots: &ballots,
                    key: &self.shared.answer_key,
                };
                let out = polls::decide(&mut polls, command, &cx)?;
                let changes = out
                    .ballots
                    .into_iter()
                    .map(RecordChange::Ballot)
                    .chain(out.approvals.into_iter().map(RecordChange::Approval))
                    .collect();
                Ok(Decision {
                    events: out.events,
                    changes,
                    poll: out.poll,
                    ..Decision::default()
                })
            }
            (Command::Award { person, command }, RoomState::Session(state)) => {
                let mut all = state.awards.clone();
                let ballots = |award| p.award_ballots(award);
                let voted = |award| p.voted_in_award(award, &person);
                let cx = awards::Context {
                    person: &person,
                    ballots: &ballots,
                    voted: &voted,
                };
                let out = awards::decide(&mut all, command, &cx)?;
                Ok(Decision {
                    events: out.events,
                    changes: out
                        .ballots
                        .into_iter()
                        .map(RecordChange::AwardBallot)
                        .collect(),
                    award: out.award,
                    receipt: out.receipt,
                    ..Decision::default()
                })
            }
            (Command::Quiz { person, command }, RoomState::Session(state)) => {
                let mut all = state.quizzes.clone();
                let answers = |quiz| p.quiz_answers(quiz);
                let answered = |quiz, question| p.answered_quiz(quiz, question, &person);
                let cx = quizzes::Context {
                    person: &person,
                    now_ms: now_ms(),
                    stream_delay_ms: state.stream_delay_ms,
                    answers: &answers,
                    answered: &answered,
                };
                let out = quizzes::decide(&mut all, command, &cx)?;
                Ok(Decision {
                    events: out.events,
                    changes: out
                        .answers
                        .into_iter()
                        .map(RecordChange::QuizAnswer)
                        .collect(),
                    quiz: out.quiz,
                    ..Decision::default()
                })
            }
            (Command::StreamDelay(delay_ms), RoomState::Session(state)) => {
                if delay_ms > plenum_protocol::limits::MAX_STREAM_DELAY_MS {
                    return Err(EngineError::invalid(
                        "delay_ms",
                        format!(
                            "must be at most {}",
                            plenum_protocol::limits::MAX_STREAM_DELAY_MS
                        ),
                    ));
                }
                if state.stream_delay_ms == delay_ms {
                    return Ok(Decision::default());
                }
                Ok(Decision::event(RoomEvent::StreamDelay { delay_ms }))
            }
            (Command::PublishTallies(untallied), RoomState::Session(state)) => {
                let tallies: Vec<VoteTally> = untallied
                    .questions
                    .into_iter()
                    .filter_map(|id| {
                        let votes = p.voters(id).len() as u64;
                        let q = state.qa.get(id)?;
                        (q.votes != votes).then_some(VoteTally { id, votes })
                    })
                    .collect();
                let mut events = Vec::new();
                if !tallies.is_empty() {
                    events.push(RoomEvent::Votes { tallies });
                }
                for id in untallied.quizzes {
                    if let Some(q) = state.quiz(id).filter(|q| q.status == QuizStatus::Asking) {
                        let answers = quizzes::answered(q, &p.quiz_answers(id));
                        if q.current.as_ref().is_some_and(|c| c.answers != answers) {
                            events.push(RoomEvent::QuizAnswers { id, answers });
                        }
                    }
                }
                for id in untallied.awards {
                    if let Some(a) = state.award(id).filter(|a| a.status == AwardStatus::Open) {
                        let ballots = p.award_ballots(id).len() as u64;
                        if ballots != a.ballots {
                            events.push(RoomEvent::AwardBallots { id, ballots });
                        }
                    }
                }
                // Closed polls already have their exact results, from the close itself.
                for id in untallied.polls {
                    if let Some(poll) = state.poll(id).filter(|x| x.status == PollStatus::Open) {
                        let (ballots, approved) = p.ballots(id);
                        let event = polls::results_event(
                            poll,
                            &ballots,
                            &approved,
                            &self.shared.answer_key,
                        );
                        // Results as published already: nothing to say.
                        if let RoomEvent::PollResults {
                            ballots, results, ..
                        } = &event
                            && *ballots == poll.ballots
                            && *results == poll.results
                        {
                            continue;
                        }
                        events.push(event);
                    }
                }
                Ok(Decision {
                    events,
                    ..Decision::default()
                })
            }
            _ => Err(EngineError::invalid(
                "room",
                "this change does not apply to this kind of room",
            )),
        }
    }
}
