//! Live room state and the events whose fold produces it.
//!
//! A room's state is exactly `events.fold(RoomState::new(room), apply)`. The server applies
//! events in sequence order; so does a client, starting from a snapshot. Both use
//! [`RoomState::apply`], so they cannot disagree.

use crate::{
    award::{Award, AwardId, AwardStatus},
    ids::{RoomId, SessionId},
    limits,
    poll::{Poll, PollId, PollResults, PollStatus},
    qa::{QaCounts, QaSettings, QaState, Question, QuestionId, QuestionStatus, VoteTally},
    quiz::{Quiz, QuizId, QuizStatus},
};
use serde::{Deserialize, Serialize};

/// Where a session stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    #[default]
    Scheduled,
    Live,
    Paused,
    Ended,
}

impl StageStatus {
    pub const ALL: [StageStatus; 4] = [
        StageStatus::Scheduled,
        StageStatus::Live,
        StageStatus::Paused,
        StageStatus::Ended,
    ];
}

/// What is on stage now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OnStage {
    #[default]
    Nothing,
    /// One of the session's numbered contributions (presentations).
    Contribution { number: u32 },
    /// Free text, for example "Coffee break until 10:30".
    Text { text: String },
}

impl OnStage {
    /// Checks the limits that hold whatever the agenda says.
    pub fn check(&self) -> Result<(), String> {
        match self {
            OnStage::Text { text } if text.chars().count() > limits::MAX_STAGE_TEXT_CHARS => {
                Err(format!(
                    "on_stage.text is longer than {} characters",
                    limits::MAX_STAGE_TEXT_CHARS
                ))
            }
            OnStage::Text { text } if text.trim().is_empty() => {
                Err("on_stage.text is empty".to_owned())
            }
            OnStage::Text { text } if text.chars().any(char::is_control) => {
                Err("on_stage.text contains control characters".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// The live stage of one session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StageState {
    pub status: StageStatus,
    pub on_stage: OnStage,
}

/// What a session's big screen shows (besides the join code, always there).
///
/// Opening a poll, asking a quiz question, opening or revealing an award vote, revealing a
/// poll's results and highlighting a question put that on the screen by themselves (the fold,
/// [`RoomState::apply`], moves it, so every screen and console agree); staff can also present
/// any of them again, or clear the screen back to the stage (`present`). Closing a poll or
/// finishing a quiz leaves it on the screen, with its results or leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScreenShows {
    /// The stage: what is on (a talk and its speakers, or a short text), nothing else.
    #[default]
    Stage,
    Poll {
        id: PollId,
    },
    Quiz {
        id: QuizId,
    },
    Award {
        id: AwardId,
    },
    Question {
        id: QuestionId,
    },
}

impl ScreenShows {
    fn is_stage(&self) -> bool {
        *self == ScreenShows::Stage
    }
}

/// A message from the organisers to everyone at the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    pub text: String,
    /// Milliseconds since the Unix epoch, server time.
    pub at_ms: i64,
}

/// The state of a session room.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SessionState {
    pub stage: StageState,
    #[serde(default)]
    pub qa: QaState,
    /// The polls this viewer may see, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub polls: Vec<Poll>,
    /// The award votes this viewer may see, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    /// The quizzes this viewer may see, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quizzes: Vec<Quiz>,
    /// How far the session's stream runs behind the room, in milliseconds (set by organisers).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub stream_delay_ms: u32,
    /// What the big screen shows.
    #[serde(default, skip_serializing_if = "ScreenShows::is_stage")]
    pub screen: ScreenShows,
    /// What this snapshot left out to stay within the frame limit: ask for it with `page`.
    #[serde(default, skip_serializing_if = "Omitted::is_empty")]
    pub omitted: Omitted,
    /// The session's tables (world cafés, breakouts, workshops), when it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<crate::TableSet>,
    /// The tables' harvests, by table number: kept across rounds (and when the tables are
    /// removed). A snapshot holds the highest-numbered that fit; `page` gives the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harvests: Vec<crate::Harvest>,
}

/// How many items of each list a snapshot left out (as of its sequence number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Omitted {
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub questions: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub polls: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub quizzes: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub awards: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub harvests: u64,
    /// An inbox's meetings, contacts and contacts with booths a snapshot left out (`GET
    /// /api/events/{code}/my-data` has them all).
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub meetings: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub contacts: u64,
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub booth_contacts: u64,
    /// A booth's older chat messages a snapshot left out (its staff read them all with `GET
    /// /api/events/{code}/booths/{booth}/chat`).
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub messages: u64,
}

impl Omitted {
    pub fn is_empty(&self) -> bool {
        *self == Omitted::default()
    }
}

fn is_zero64(v: &u64) -> bool {
    *v == 0
}

fn is_zero(v: &u32) -> bool {
    *v == 0
}

impl SessionState {
    /// Clears the big screen back to the stage if it shows what `gone` matches.
    fn off_screen(&mut self, gone: impl Fn(&ScreenShows) -> bool) {
        if gone(&self.screen) {
            self.screen = ScreenShows::Stage;
        }
    }

    /// Adds a `page` of items this state does not hold yet (events keep the held ones
    /// current, so those are left as they are), and counts them off `omitted`.
    pub fn add_page(
        &mut self,
        questions: Vec<Question>,
        polls: Vec<Poll>,
        quizzes: Vec<Quiz>,
        awards: Vec<Award>,
        harvests: Vec<crate::Harvest>,
    ) {
        for h in harvests {
            if let Err(at) = self
                .harvests
                .binary_search_by_key(&h.table, |held| held.table)
            {
                self.harvests.insert(at, h);
                self.omitted.harvests = self.omitted.harvests.saturating_sub(1);
            }
        }
        for q in questions {
            if self.qa.get(q.id).is_none() {
                self.qa.upsert(q);
                self.omitted.questions = self.omitted.questions.saturating_sub(1);
            }
        }
        for p in polls {
            if self.poll(p.id).is_none() {
                self.polls.push(p);
                self.omitted.polls = self.omitted.polls.saturating_sub(1);
            }
        }
        for q in quizzes {
            if self.quiz(q.id).is_none() {
                self.quizzes.push(q);
                self.omitted.quizzes = self.omitted.quizzes.saturating_sub(1);
            }
        }
        for a in awards {
            if self.award(a.id).is_none() {
                self.awards.push(a);
                self.omitted.awards = self.omitted.awards.saturating_sub(1);
            }
        }
        self.polls.sort_by_key(|p| p.id);
        self.quizzes.sort_by_key(|q| q.id);
        self.awards.sort_by_key(|a| a.id);
    }

    pub fn poll(&self, id: PollId) -> Option<&Poll> {
        self.polls.iter().find(|p| p.id == id)
    }

    pub fn award(&self, id: AwardId) -> Option<&Award> {
        self.awards.iter().find(|a| a.id == id)
    }

    pub fn quiz(&self, id: QuizId) -> Option<&Quiz> {
        self.quizzes.iter().find(|q| q.id == id)
    }
}

/// The state of an event room.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventState {
    /// The newest announcements, oldest first, at most [`EventState::KEEP_ANNOUNCEMENTS`].
    pub announcements: Vec<Announcement>,
    /// Bumped on every agenda import or edit; a client refetches the agenda when it changes.
    pub agenda_version: u64,
    /// Each session's stage status, by id, for the sessions whose stage is not `scheduled`:
    /// "live now" follows these, whatever the clock says. At most one entry per session of
    /// the agenda (a session removed from the agenda is removed here).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub statuses: std::collections::BTreeMap<crate::SessionId, StageStatus>,
    /// When and where the event's one-to-one meetings happen, once its organisers set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meetings: Option<crate::MeetingPlan>,
    /// Bumped on every change of the exhibition's booths (`booths_changed`).
    #[serde(default, skip_serializing_if = "is_zero64")]
    pub booths_version: u64,
}

impl EventState {
    pub const KEEP_ANNOUNCEMENTS: usize = 20;
}

/// What a note in a person's inbox is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteAbout {
    /// A moderator marked your question answered (or replied to it in writing).
    QuestionAnswered,
    /// A moderator dismissed your question.
    QuestionDismissed,
}

/// Something that happened to one of a person's own things, kept in their inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub about: NoteAbout,
    /// Milliseconds since the Unix epoch, server time.
    pub at_ms: i64,
    /// The session it happened in.
    pub session: SessionId,
    /// The question it is about.
    pub question: QuestionId,
    /// The question's text, so the note reads on its own.
    pub text: String,
    /// The moderator's written reply (answered) or reason (dismissed), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The state of a person's inbox room: their newest notes, oldest first, and how many of all
/// the notes they ever got they have read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InboxState {
    /// At most [`InboxState::KEEP_NOTES`].
    pub notes: Vec<Note>,
    /// How many notes the inbox has had in all (the newest `notes` are the last of them).
    #[serde(default)]
    pub total: u64,
    /// How many of them are read: the newest `total - read` are new.
    #[serde(default)]
    pub read: u64,
    /// Who the person is at the event, as they last set it.
    #[serde(default, skip_serializing_if = "crate::Profile::is_empty")]
    pub profile: crate::Profile,
    /// The sessions they starred, sorted by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stars: Vec<crate::SessionId>,
    /// Their newest seats, one per session, oldest first: at most [`InboxState::KEEP_SEATS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<crate::Seat>,
    /// Their one-to-one meetings, by id: every open one (at most
    /// [`crate::limits::MAX_PERSON_MEETINGS`]) and the newest
    /// [`InboxState::KEEP_CLOSED_MEETINGS`] closed (declined, expired, cancelled). For one of a
    /// booth's staff, the booth's meetings too, from when they joined until they leave its
    /// staff: its open ones (at most as many again per booth they staff), the closed ones
    /// counted with theirs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<crate::Meeting>,
    /// When and how they meet, as they last set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_preferences: Option<crate::MeetingPreferences>,
    /// Their contact card, as they last set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_card: Option<crate::ContactCard>,
    /// Their contacts (asked, offered, agreed), sorted by the other one's id: at most
    /// [`crate::limits::MAX_CONTACTS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<crate::Contact>,
    /// Their matchmaking profile, as they last set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_profile: Option<crate::MatchProfile>,
    /// The people they blocked, sorted: at most [`crate::limits::MAX_BLOCKS_PER_PERSON`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<crate::PersonId>,
    /// Reminders of meetings about to start, the newest
    /// [`InboxState::KEEP_REMINDERS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminders: Vec<crate::MeetingReminder>,
    /// Until when they said they are open for a meeting now (ms since the epoch; it may have
    /// passed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_until_ms: Option<i64>,
    /// Their "talk now" at booths, one per booth, the newest [`InboxState::KEEP_TALKS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub talks: Vec<crate::Talk>,
    /// The queues of the booths whose staff they are (at most
    /// [`crate::limits::MAX_BOOTHS_PER_PERSON`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<crate::BoothQueue>,
    /// Their contacts with booths (asked, agreed), sorted by booth: at most
    /// [`crate::limits::MAX_PERSON_BOOTH_CONTACTS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_contacts: Vec<crate::BoothContact>,
    /// What a snapshot left out to fit its frame (meetings, contacts, contacts with booths).
    #[serde(default, skip_serializing_if = "Omitted::is_empty")]
    pub omitted: Omitted,
}

impl InboxState {
    pub const KEEP_NOTES: usize = 50;
    pub const KEEP_SEATS: usize = 2;
    pub const KEEP_CLOSED_MEETINGS: usize = 20;
    pub const KEEP_REMINDERS: usize = 10;
    pub const KEEP_TALKS: usize = 10;

    /// Folds a meeting's new version: replaced in place (kept sorted by id), then the oldest
    /// closed ones beyond [`InboxState::KEEP_CLOSED_MEETINGS`] dropped. A version older than
    /// the one held (a lower `sequence`) changes nothing.
    fn meeting_changed(&mut self, meeting: &crate::Meeting) {
        match self.meetings.binary_search_by_key(&meeting.id, |m| m.id) {
            Ok(at) if self.meetings[at].sequence > meeting.sequence => return,
            Ok(at) => self.meetings[at] = meeting.clone(),
            Err(at) => self.meetings.insert(at, meeting.clone()),
        }
        let closed = self.meetings.iter().filter(|m| !m.status.open()).count();
        let mut excess = closed.saturating_sub(Self::KEEP_CLOSED_MEETINGS);
        self.meetings.retain(|m| {
            if excess > 0 && !m.status.open() {
                excess -= 1;
                false
            } else {
                true
            }
        });
    }
}

/// The state of any room.
// One is held per room and moved seldom: the few hundred bytes an inbox or the event room
// spend on a session's size cost less than a box on every session's read.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomState {
    Event(EventState),
    Session(SessionState),
    Inbox(InboxState),
    Booth(crate::BoothState),
}

/// Something that happened in a room. Rooms are the fold of these.
// A `Question` is larger than the other variants; events are built once per change and moved
// (the server keeps serialised frames, not events), so boxing would buy nothing but noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomEvent {
    /// A session's stage changed: status, what is on stage, or both.
    StageChanged { stage: StageState },
    /// The organisers announced something to the whole event.
    Announced { announcement: Announcement },
    /// The agenda was imported or edited.
    AgendaUpdated { version: u64 },
    /// In the event room: a booth of the exhibition was created, edited, given a logo or
    /// staff, removed, or became staffed or unstaffed by its staff's word. Read the booths
    /// again (`GET /api/events/{code}/booths`).
    BoothsChanged { version: u64 },
    /// In a booth's room: a message of its chat, posted (or shown again by its staff).
    BoothChat { message: crate::ChatMessage },
    /// In a booth's room: a message its staff hid (or its writer's data was deleted).
    BoothChatHidden { id: u64 },
    /// In a visitor's inbox: their "talk now" at a booth, as it stands (replaces the one
    /// held for that booth).
    TalkChanged { talk: crate::Talk },
    /// In a booth staff member's inbox: the booth's queue, as it stands (replaces the one held
    /// for that booth; `gone`: forget it, and the booth's meetings with it).
    BoothQueueChanged { queue: crate::BoothQueue },
    /// A visitor's contact with a booth changed (in the visitor's inbox): it replaces the one
    /// with that booth; `ended` removes it.
    BoothContactChanged { contact: crate::BoothContact },
    /// In the event room: a session's stage status changed (logged right after the session
    /// room's `stage_changed`); `scheduled` also for a session the agenda no longer has.
    SessionStatus {
        session: crate::SessionId,
        status: StageStatus,
    },
    /// A question was asked or changed: add it to your view, or replace it there.
    Question {
        question: Question,
        counts: QaCounts,
    },
    /// A question left your view (dismissed, merged, withdrawn, archived; or not yours to see).
    QuestionHidden { id: QuestionId, counts: QaCounts },
    /// New vote counts. Coalesced: sent at most a few times a second however many people vote.
    Votes { tallies: Vec<VoteTally> },
    /// The question on the big screen changed (`None`: none).
    Highlighted {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<QuestionId>,
    },
    /// The session's Q&A settings changed.
    QaSettingsChanged { settings: QaSettings },
    /// A poll was created or changed (opened, closed, revealed): add or replace it in your view.
    Poll { poll: Poll },
    /// An award vote was created or changed (opened, closed, a place revealed).
    Award { award: Award },
    /// An award vote left your view (drafts are for organisers).
    AwardHidden { id: AwardId },
    /// A quiz left your view (drafts are for speakers).
    QuizHidden { id: QuizId },
    /// How many ballots an open award vote has. Coalesced.
    AwardBallots { id: AwardId, ballots: u64 },
    /// A quiz was created or moved on (a question asked or revealed, finished).
    Quiz { quiz: Quiz },
    /// How many have answered the current quiz question. Coalesced.
    QuizAnswers { id: QuizId, answers: u64 },
    /// The session's stream delay changed.
    StreamDelay { delay_ms: u32 },
    /// Staff put something on the big screen, or cleared it (`present`).
    ScreenChanged { screen: ScreenShows },
    /// A poll left your view (a deleted draft).
    PollHidden { id: PollId },
    /// A note for the inbox's person (inbox rooms only).
    Note { note: Note },
    /// The inbox's person read their notes up to this count (inbox rooms only).
    NotesRead { upto: u64 },
    /// The inbox's person changed their profile (inbox rooms only): the whole of it.
    ProfileChanged { profile: crate::Profile },
    /// The inbox's person starred or unstarred a session (inbox rooms only): every star now.
    StarsChanged { stars: Vec<crate::SessionId> },
    /// The inbox's person's seat in a session's round (inbox rooms only): replaces their seat
    /// in that session.
    Seated { seat: crate::Seat },
    /// In the event room: the meeting plan was set, changed, or removed (`null`).
    MeetingsSet { plan: Option<crate::MeetingPlan> },
    /// One of the inbox's person's meetings is new or changed (inbox rooms only): replaces it.
    MeetingChanged { meeting: crate::Meeting },
    /// One of the inbox's person's meetings starts soon (inbox rooms only): 10 minutes before.
    MeetingSoon { reminder: crate::MeetingReminder },
    /// The inbox's person set when and how they meet (inbox rooms only): the whole of it.
    MeetingPreferencesChanged {
        preferences: crate::MeetingPreferences,
    },
    /// The inbox's person set their contact card (inbox rooms only): the whole of it.
    ContactCardChanged { card: crate::ContactCard },
    /// A contact of the inbox's person is new or changed (inbox rooms only): replaces the one
    /// with the same person; an `ended` one leaves the inbox.
    ContactChanged { contact: crate::Contact },
    /// The inbox's person set their matchmaking profile (inbox rooms only): the whole of it.
    MatchProfileChanged { profile: crate::MatchProfile },
    /// The people the inbox's person blocks (inbox rooms only): all of them now.
    BlocksChanged { blocked: Vec<crate::PersonId> },
    /// The inbox's person is open for a meeting now until `until_ms`, or no longer (absent)
    /// (inbox rooms only).
    OpenNowChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until_ms: Option<i64>,
    },
    /// The event's retention date passed (or the organisers purged now): what identifies
    /// people is gone from this room. In an inbox, everything; in a session, the questions,
    /// the quiz leaderboards' names and the tables' hosts; an event room keeps all it has
    /// (it holds nobody's data). The room's earlier log is gone from the store too: a client
    /// resuming from before it gets a snapshot.
    PersonalDataPurged,
    /// A session's table set was set up, changed, or removed (`null`).
    TablesSet { tables: Option<crate::TableSet> },
    /// A round began: everyone taking part has their seat in their inbox.
    RoundStarted { round: crate::Round },
    /// The running round ends later.
    RoundExtended { ends_ms: i64, warn_ms: i64 },
    /// The round ended: everyone is back in the session.
    RoundEnded { number: u32 },
    /// How many sit at these tables now (coalesced: at most four times a second).
    TableCounts { counts: Vec<crate::TableCount> },
    /// A table asked for help, or no longer needs it.
    TableHelp { number: u32, help: bool },
    /// A table was closed (its people seated elsewhere), or opened again.
    TableClosed { number: u32, closed: bool },
    /// A message to every table.
    TablesMessage { message: crate::TablesMessage },
    /// A table's harvest changed: the whole of it now.
    HarvestChanged { harvest: crate::Harvest },
    /// New results of a poll. Coalesced while it is open; exact when it closes.
    PollResults {
        id: PollId,
        ballots: u64,
        /// Absent when you may not see the results (yet).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        results: Option<PollResults>,
        /// Whether the audience does not see these results (speakers and moderators do).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        hidden: bool,
    },
}

/// An event that does not belong to the kind of room it was applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongRoom;

impl RoomState {
    /// Drops what identifies people (see [`RoomEvent::PersonalDataPurged`]).
    pub fn purge(&mut self) {
        match self {
            RoomState::Event(_) => {}
            RoomState::Inbox(i) => *i = InboxState::default(),
            RoomState::Booth(b) => b.messages.clear(),
            RoomState::Session(s) => {
                s.qa.questions.clear();
                s.qa.highlighted = None;
                s.qa.counts = Default::default();
                s.omitted.questions = 0;
                s.off_screen(|shown| matches!(shown, ScreenShows::Question { .. }));
                for quiz in &mut s.quizzes {
                    quiz.mine = None;
                    for standing in &mut quiz.leaderboard {
                        standing.name = None;
                    }
                }
                if let Some(set) = &mut s.tables {
                    for table in &mut set.tables {
                        table.host = None;
                        table.host_here = false;
                    }
                }
            }
        }
    }

    /// The state of a room with an empty log.
    pub fn new(room: &RoomId) -> RoomState {
        match room {
            RoomId::Event(_) => RoomState::Event(EventState::default()),
            RoomId::Session(..) => RoomState::Session(SessionState::default()),
            RoomId::Inbox(..) => RoomState::Inbox(InboxState::default()),
            RoomId::Booth(..) => RoomState::Booth(crate::BoothState::default()),
        }
    }

    /// Applies one event. The server never logs an event that does not fit its room, so
    /// `WrongRoom` means a bug or a corrupted log, and leaves the state unchanged.
    pub fn apply(&mut self, event: &RoomEvent) -> Result<(), WrongRoom> {
        match (self, event) {
            (RoomState::Session(s), RoomEvent::StageChanged { stage }) => {
                s.stage = stage.clone();
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::Announced { announcement }) => {
                e.announcements.push(announcement.clone());
                let excess = e
                    .announcements
                    .len()
                    .saturating_sub(EventState::KEEP_ANNOUNCEMENTS);
                e.announcements.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::NotesRead { upto }) => {
                i.read = (*upto).clamp(i.read, i.total);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ProfileChanged { profile }) => {
                i.profile = profile.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::StarsChanged { stars }) => {
                i.stars = stars.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::Seated { seat }) => {
                // One seat a session, its latest round's: a round's end can reach an inbox
                // after the next round's seat (decided on another instance), and changes
                // nothing then.
                if i.seats
                    .iter()
                    .any(|s| s.session == seat.session && s.round > seat.round)
                {
                    return Ok(());
                }
                i.seats.retain(|s| s.session != seat.session);
                i.seats.push(seat.clone());
                let excess = i.seats.len().saturating_sub(InboxState::KEEP_SEATS);
                i.seats.drain(..excess);
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::MeetingsSet { plan }) => {
                e.meetings = plan.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingChanged { meeting }) => {
                i.meeting_changed(meeting);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingPreferencesChanged { preferences }) => {
                i.meeting_preferences = Some(preferences.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MeetingSoon { reminder }) => {
                i.reminders.retain(|r| r.meeting != reminder.meeting);
                i.reminders.push(reminder.clone());
                let excess = i.reminders.len().saturating_sub(InboxState::KEEP_REMINDERS);
                i.reminders.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::MatchProfileChanged { profile }) => {
                i.match_profile = Some(profile.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BlocksChanged { blocked }) => {
                i.blocked = blocked.clone();
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::OpenNowChanged { until_ms }) => {
                i.open_until_ms = *until_ms;
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ContactCardChanged { card }) => {
                i.contact_card = Some(card.clone());
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::ContactChanged { contact }) => {
                let at = i
                    .contacts
                    .binary_search_by(|c| c.with.id.cmp(&contact.with.id));
                match (at, contact.status) {
                    (Ok(at), crate::ContactStatus::Ended) => drop(i.contacts.remove(at)),
                    (Err(_), crate::ContactStatus::Ended) => {}
                    (Ok(at), _) => i.contacts[at] = contact.clone(),
                    (Err(at), _) => i.contacts.insert(at, contact.clone()),
                }
                Ok(())
            }
            (state, RoomEvent::PersonalDataPurged) => {
                state.purge();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::TablesSet { tables }) => {
                s.tables = tables.clone();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::HarvestChanged { harvest }) => {
                match s.harvests.binary_search_by_key(&harvest.table, |h| h.table) {
                    Ok(at) => s.harvests[at] = harvest.clone(),
                    Err(at) => s.harvests.insert(at, harvest.clone()),
                }
                Ok(())
            }
            (
                RoomState::Session(s),
                event @ (RoomEvent::RoundStarted { .. }
                | RoomEvent::RoundExtended { .. }
                | RoomEvent::RoundEnded { .. }
                | RoomEvent::TableCounts { .. }
                | RoomEvent::TableHelp { .. }
                | RoomEvent::TableClosed { .. }
                | RoomEvent::TablesMessage { .. }),
            ) => {
                if let Some(set) = &mut s.tables {
                    set.apply(event);
                }
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::Note { note }) => {
                i.total += 1;
                i.notes.push(note.clone());
                let excess = i.notes.len().saturating_sub(InboxState::KEEP_NOTES);
                i.notes.drain(..excess);
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::AgendaUpdated { version }) => {
                e.agenda_version = *version;
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::BoothsChanged { version }) => {
                e.booths_version = *version;
                Ok(())
            }
            (RoomState::Booth(b), RoomEvent::BoothChat { message }) => {
                b.upsert(message.clone());
                Ok(())
            }
            (RoomState::Booth(b), RoomEvent::BoothChatHidden { id }) => {
                b.messages.retain(|m| m.id != *id);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::TalkChanged { talk }) => {
                i.talks.retain(|t| t.booth != talk.booth);
                i.talks.push(talk.clone());
                let excess = i.talks.len().saturating_sub(InboxState::KEEP_TALKS);
                i.talks.drain(..excess);
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BoothContactChanged { contact }) => {
                i.booth_contacts.retain(|c| c.booth != contact.booth);
                if contact.status != crate::BoothContactStatus::Ended {
                    i.booth_contacts.push(contact.clone());
                    i.booth_contacts.sort_by(|a, b| a.booth.cmp(&b.booth));
                }
                Ok(())
            }
            (RoomState::Inbox(i), RoomEvent::BoothQueueChanged { queue }) => {
                i.queues.retain(|q| q.booth != queue.booth);
                if queue.gone {
                    // Off the booth's staff: its meetings leave the inbox with its queue, and
                    // their reminders with them.
                    let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut i.meetings)
                        .into_iter()
                        .partition(|m| m.booth.as_ref() == Some(&queue.booth));
                    i.meetings = kept;
                    i.reminders
                        .retain(|r| !gone.iter().any(|m| m.id == r.meeting));
                } else {
                    i.queues.push(queue.clone());
                    i.queues.sort_by(|a, b| a.booth.cmp(&b.booth));
                }
                Ok(())
            }
            (RoomState::Event(e), RoomEvent::SessionStatus { session, status }) => {
                if *status == StageStatus::Scheduled {
                    e.statuses.remove(session);
                } else {
                    e.statuses.insert(session.clone(), *status);
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Question { question, counts }) => {
                if !matches!(
                    question.status,
                    QuestionStatus::Live | QuestionStatus::Answered
                ) {
                    s.off_screen(|shown| *shown == ScreenShows::Question { id: question.id });
                }
                s.qa.upsert(question.clone());
                s.qa.counts = *counts;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuestionHidden { id, counts }) => {
                s.qa.remove(*id);
                s.qa.counts = *counts;
                s.off_screen(|shown| *shown == ScreenShows::Question { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Votes { tallies }) => {
                for t in tallies {
                    if let Ok(i) = s.qa.questions.binary_search_by_key(&t.id, |q| q.id) {
                        s.qa.questions[i].votes = t.votes;
                    }
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Highlighted { id }) => {
                let before = s.qa.highlighted;
                s.qa.highlighted = *id;
                match id {
                    Some(id) => s.screen = ScreenShows::Question { id: *id },
                    // Only the question that was highlighted leaves the screen (not one
                    // presented since).
                    None => s.off_screen(|shown| {
                        before.is_some_and(|b| *shown == ScreenShows::Question { id: b })
                    }),
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::ScreenChanged { screen }) => {
                s.screen = *screen;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QaSettingsChanged { settings }) => {
                s.qa.settings = settings.clone();
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Poll { poll }) => {
                // Opened, or its results revealed: on the big screen.
                let before = s.polls.iter().find(|p| p.id == poll.id);
                let opened = poll.status == PollStatus::Open
                    && before.is_none_or(|p| p.status != PollStatus::Open);
                // A reveal is news only to a client that held the poll unrevealed (one whose
                // snapshot left the poll out must not move its screen).
                let revealed = poll.revealed && before.is_some_and(|p| !p.revealed);
                if opened || revealed {
                    s.screen = ScreenShows::Poll { id: poll.id };
                }
                match s.polls.iter_mut().find(|p| p.id == poll.id) {
                    // Your own answer stays: events never carry it.
                    Some(p) => {
                        let mine = p.mine.take();
                        *p = poll.clone();
                        p.mine = mine;
                    }
                    None => s.polls.push(poll.clone()),
                }
                s.polls.sort_by_key(|p| p.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Award { award }) => {
                // Opened, or a place revealed: on the big screen.
                let before = s.awards.iter().find(|a| a.id == award.id);
                let opened = award.status == AwardStatus::Open
                    && before.is_none_or(|a| a.status != AwardStatus::Open);
                let revealed = before.is_some_and(|a| award.revealed.len() > a.revealed.len());
                if opened || revealed {
                    s.screen = ScreenShows::Award { id: award.id };
                }
                match s.awards.iter_mut().find(|a| a.id == award.id) {
                    Some(a) => *a = award.clone(),
                    None => s.awards.push(award.clone()),
                }
                s.awards.sort_by_key(|a| a.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::AwardBallots { id, ballots }) => {
                if let Some(a) = s.awards.iter_mut().find(|a| a.id == *id) {
                    a.ballots = *ballots;
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::Quiz { quiz }) => {
                // A question asked: on the big screen.
                let before = s.quizzes.iter().find(|q| q.id == quiz.id);
                let index = |q: &Quiz| q.current.as_ref().map(|c| c.index);
                let asked = quiz.status == QuizStatus::Asking
                    && before
                        .is_none_or(|q| q.status != QuizStatus::Asking || index(q) != index(quiz));
                if asked {
                    s.screen = ScreenShows::Quiz { id: quiz.id };
                }
                match s.quizzes.iter_mut().find(|q| q.id == quiz.id) {
                    // Your own standing stays: events never carry it.
                    Some(q) => {
                        let mine = q.mine.take();
                        *q = quiz.clone();
                        q.mine = mine;
                    }
                    None => s.quizzes.push(quiz.clone()),
                }
                s.quizzes.sort_by_key(|q| q.id);
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuizAnswers { id, answers }) => {
                if let Some(c) = s
                    .quizzes
                    .iter_mut()
                    .find(|q| q.id == *id)
                    .and_then(|q| q.current.as_mut())
                {
                    c.answers = *answers;
                }
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::StreamDelay { delay_ms }) => {
                s.stream_delay_ms = *delay_ms;
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::AwardHidden { id }) => {
                s.awards.retain(|a| a.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Award { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::QuizHidden { id }) => {
                s.quizzes.retain(|q| q.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Quiz { id: *id });
                Ok(())
            }
            (RoomState::Session(s), RoomEvent::PollHidden { id }) => {
                s.polls.retain(|p| p.id != *id);
                s.off_screen(|shown| *shown == ScreenShows::Poll { id: *id });
                Ok(())
            }
            (
                RoomState::Session(s),
                RoomEvent::PollResults {
                    id,
                    ballots,
                    results,
                    ..
                },
            ) => {
                if let Some(p) = s.polls.iter_mut().find(|p| p.id == *id) {
                    p.ballots = *ballots;
                    p.results = results.clone();
                }
                Ok(())
            }
            _ => Err(WrongRoom),
        }
    }
}
