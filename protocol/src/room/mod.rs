//! Live room state and the events whose fold produces it.
//!
//! A room's state is exactly `events.fold(RoomState::new(room), apply)`. The server applies
//! events in sequence order; so does a client, starting from a snapshot. Both use
//! [`RoomState::apply`], so they cannot disagree.
//!
//! This module holds the state of each kind of room; `fold.rs` holds the events and the fold.

mod fold;

pub use fold::*;

use crate::{
    award::{Award, AwardId},
    ids::SessionId,
    limits,
    poll::{Poll, PollId},
    qa::{QaState, Question, QuestionId},
    quiz::{Quiz, QuizId},
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
