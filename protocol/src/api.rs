//! HTTP API bodies. Every route is listed in `docs/protocol.md`.

use crate::{
    agenda::Agenda,
    errors::ErrorCode,
    ids::EventCode,
    room::{OnStage, StageStatus},
};
use serde::{Deserialize, Serialize};

/// Who a person is to the server, as carried in their token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Attendee,
    Speaker,
    Moderator,
    Organiser,
}

/// A person as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Stable for as long as the person keeps their token.
    pub id: String,
    /// `None` for anonymous attendees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub role: Role,
    /// The event the token is for; `None` for the organiser key's holder, who may act on every
    /// event (a co-organiser is an `organiser` with an event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventCode>,
    /// The sessions a moderator's or speaker's invitation covers: they moderate, run polls and
    /// quizzes, and see the review queue in these sessions only. Empty (absent): every session
    /// of the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<crate::SessionId>,
    /// An attendee an organiser registered (who joined with an attendee invitation): award votes
    /// may be open to them only. A signed claim of the token, never guessed from the id.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub registered: bool,
    /// Which of their personal links signed them in (0: the first): making a new link ends
    /// the sign-ins of the older ones. A signed claim of the token; never sent.
    #[serde(skip)]
    pub link: u32,
}

/// `POST /api/events/{code}/join`: become an attendee, or redeem an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// A display name; absent or empty to join anonymously.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An invitation token from an organiser, to join as moderator or speaker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<String>,
    /// Who you are besides your name (organisation, country, languages), all optional: kept
    /// as your profile at the event (as `set_profile` would).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::Profile>,
}

/// The answer to a join: a signed token the browser keeps, so a reload is the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinResponse {
    pub token: String,
    pub person: Person,
}

/// `POST /api/events`: create an event (organisers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateEvent {
    pub code: EventCode,
    pub title: String,
    pub time_zone: String,
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub agenda: Agenda,
}

/// `POST /api/events/{code}/invites`: make an invitation link (organisers only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateInvite {
    /// `moderator` or `speaker`.
    pub role: Role,
    /// Who the invitation is for; becomes their display name.
    pub name: String,
    /// For a moderator or speaker: the sessions the invitation covers (at most
    /// [`crate::limits::MAX_INVITE_SESSIONS`], each on the agenda). Absent or empty: every
    /// session of the event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<crate::SessionId>,
}

/// `GET /api/events/{code}/invites`: an invitation the event made, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInfo {
    pub id: String,
    pub role: Role,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<crate::SessionId>,
    pub made_at_ms: i64,
    /// Who made it (their display name).
    pub made_by: String,
    /// Whether someone joined through it (on any device).
    pub joined: bool,
    /// Withdrawn: it and what it made no longer work.
    pub withdrawn: bool,
    /// The invitation's link (a path on this server), while it works: not withdrawn, not
    /// expired, not ended by a key reset. A co-organiser's is shown to the key holder only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// `POST /api/events/{code}/invitation`: who an invitation is for, before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub role: Role,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<crate::SessionId>,
}

/// `GET /api/events/{code}/activity`: who did what, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub at_ms: i64,
    /// Who: their display name and role.
    pub name: String,
    pub role: Role,
    /// What, as the request's name (`set_stage`, `moderate`, `replace_agenda`, `invite`…).
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::SessionId>,
    /// The request's particulars, at most `limits::MAX_ACTIVITY_DETAIL_CHARS` characters.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// `GET /api/me`: who the caller's credential (bearer token or sign-in cookie) says they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub person: Person,
    /// Holds the organiser key (or signed in with it): every event, creating events, and
    /// co-organisers. A co-organiser is an `organiser` of one event without it.
    pub key_holder: bool,
}

/// `POST /api/sign-in`: the organiser key, exchanged for a sign-in cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub key: String,
}

/// An invitation: a token and the link that redeems it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub invite: String,
    /// A path on this server, for example `/e/ECC2020?invite=…`.
    pub link: String,
    /// The invitation's id: `DELETE /api/events/{code}/invites/{id}` withdraws it. The person it
    /// makes has the id `inv-{id}`.
    #[serde(default)]
    pub id: String,
}

/// `POST /api/events/{code}/sessions/{id}/stage` and the `set_stage` WebSocket request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageUpdate {
    /// Absent: keep the current status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StageStatus>,
    /// Absent: keep what is on stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_stage: Option<OnStage>,
}

/// `POST /api/events/{code}/announcements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnouncementRequest {
    pub text: String,
}

/// `PUT /api/events/{code}/retention`: the last day (`YYYY-MM-DD`, in the event's time zone)
/// the event's personal data is kept, or none (`null`: kept until purged by hand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRequest {
    #[serde(default)]
    pub until: Option<String>,
}

/// `POST /api/events/{code}/purge`: what purging the event's personal data did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeReport {
    /// The event's rooms in the store (its event room, sessions and inboxes).
    pub rooms: u64,
    /// Those that held something to purge (the others had nothing new since the last purge).
    pub purged: u64,
    /// When it was purged (ms since the epoch): the event's `purged_at_ms`.
    pub at_ms: i64,
}

/// One badge of an onsite event's badge sheet (`GET /api/events/{code}/badges`, organisers):
/// the person's name and organisation, and the address their badge's QR code holds, which
/// names them and signs nobody in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badge {
    pub id: crate::PersonId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// `…/e/CODE/meetings?contact=CONTACT`, at the server's `--public-url` (without one, at
    /// the address the request was made to).
    pub contact_url: String,
}

/// The answer to an HTTP write that appended to a room's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appended {
    /// The sequence number the change got in its room.
    pub seq: u64,
}

/// The body of every HTTP error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The offending field, as a path like `sessions[3].end`, when one field is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `GET /api/events/{code}/export.json`: everything said and decided in an event's sessions,
/// exact at the moment of export (organisers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventExport {
    pub event: EventCode,
    pub title: String,
    /// The event's time zone: the CSV and XLSX exports give times in it.
    pub time_zone: String,
    /// Milliseconds since the Unix epoch.
    pub exported_at_ms: i64,
    pub sessions: Vec<SessionExport>,
}

/// One session's part of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionExport {
    pub id: crate::SessionId,
    pub title: String,
    /// Every question, whatever its status, with exact vote counts; askers by name only.
    pub questions: Vec<crate::Question>,
    /// Every poll with its exact results (hidden ones included).
    pub polls: Vec<crate::Poll>,
    /// Every award vote; `counts` once it is closed.
    pub awards: Vec<AwardExport>,
    /// Every quiz with its questions, how many chose each option, and everyone's score.
    #[serde(default)]
    pub quizzes: Vec<QuizExport>,
    /// Every table's harvest, by table number, with the table's topic while the session has
    /// the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harvests: Vec<HarvestExport>,
}

/// A table's harvest in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarvestExport {
    pub table: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub points: Vec<crate::HarvestPoint>,
}

/// `GET /api/events/{code}/report`: the after-event report, counts only (organisers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventReport {
    pub event: EventCode,
    pub title: String,
    pub time_zone: String,
    /// Milliseconds since the Unix epoch.
    pub made_at_ms: i64,
    /// People who joined: each attendee's join (a browser or device once) and each invited
    /// person once, however many devices they used.
    pub people_joined: u64,
    /// Every session of the agenda, in its order.
    pub sessions: Vec<SessionReport>,
}

/// One session in the after-event report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionReport {
    pub id: crate::SessionId,
    pub title: String,
    /// The agenda's day number and start time, as in the agenda.
    pub day: u32,
    pub start: String,
    /// The most people following the session at once (on several servers, the sum of each
    /// server's most: an upper bound).
    pub peak_presence: u64,
    /// Questions asked, of them answered, and votes up given to all of them.
    pub questions: u64,
    pub answered: u64,
    pub question_votes: u64,
    pub polls: Vec<PollReport>,
    pub quizzes: Vec<QuizReport>,
    pub awards: Vec<AwardReport>,
}

/// A poll in the report: how many answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollReport {
    pub id: crate::PollId,
    pub question: String,
    pub ballots: u64,
}

/// A quiz in the report: how many played (answered at least one question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizReport {
    pub id: crate::QuizId,
    pub title: String,
    pub players: u64,
}

/// An award vote in the report: how many voted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardReport {
    pub id: crate::AwardId,
    pub title: String,
    pub ballots: u64,
}

/// `GET /api/events/{code}/blocked`: a person blocked from asking at the event (moderators
/// of every session, organisers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedPerson {
    /// The person's id, to unblock them with `block`.
    pub person: String,
    /// The name the moderator saw when blocking them, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A quiz in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizExport {
    /// The quiz, with every question and its correct option.
    pub quiz: crate::Quiz,
    /// For each question, how many chose each option.
    pub chosen: Vec<Vec<u64>>,
    /// Everyone who answered, best first, scored over the revealed questions (equal scores
    /// share a rank); names as the players gave them.
    pub ranking: Vec<crate::Standing>,
}

/// An award vote in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardExport {
    pub award: crate::Award,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<Vec<u64>>,
}
