//! One-to-one meetings: the event's **meeting plan** (when meetings happen, at which tables, the
//! video link), a person's **preferences** (slots they keep free, onsite or online), and the
//! **meetings** themselves — requested, answered (accept, decline, or another time), booked
//! into a slot by the two people or by the organisers' "Schedule all".
//!
//! The plan is part of the event room's state: everyone at the event sees when meetings happen.
//! Meetings are not: they are private records of the event room, and each reaches the two
//! people it concerns in their inboxes (`meeting_changed`), never anyone else.

use crate::PersonId;
use serde::{Deserialize, Serialize};

/// A meeting's id: unique in its event, never reused.
pub type MeetingId = u64;

/// When meetings happen on one day: from `start` to `end` (local times, `HH:MM`), in slots of
/// `slot_minutes` with `change_minutes` between them. A slot that would end after `end` is not
/// made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingBlock {
    /// The day's `number` in the agenda's `days`.
    pub day: u32,
    pub start: String,
    pub end: String,
    /// 5 to 120.
    pub slot_minutes: u32,
    /// 0 to 60.
    #[serde(default)]
    pub change_minutes: u32,
}

/// An onsite meeting table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingTable {
    /// 1 to 9999, unique in the plan.
    pub number: u32,
    /// Where in the venue ("Hall C, row 2").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

fn default_expiry_hours() -> u32 {
    48
}

fn default_open_requests() -> u32 {
    20
}

fn yes() -> bool {
    true
}

/// `set_meetings`: an event's meeting plan, set by its organisers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingPlan {
    /// When meetings happen: at most [`crate::limits::MAX_MEETING_BLOCKS`], not overlapping,
    /// making at most [`crate::limits::MAX_MEETING_SLOTS`] slots in all.
    pub blocks: Vec<MeetingBlock>,
    /// Onsite tables, each free once per slot: at most [`crate::limits::MAX_MEETING_TABLES`].
    /// None: every meeting is online.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<MeetingTable>,
    /// A video link template (`https://…`) for online meetings: `{meeting}` is replaced by a
    /// code of the meeting's own that nobody can guess from its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// A request not answered within this many hours expires (1 to 720; 48 by default).
    #[serde(default = "default_expiry_hours")]
    pub expiry_hours: u32,
    /// How many requests one person may have sent and still waiting for an answer (1 to
    /// [`crate::limits::MAX_OPEN_MEETING_REQUESTS`]; 20 by default).
    #[serde(default = "default_open_requests")]
    pub max_open_requests: u32,
    /// Whether a person's starred sessions are kept free of meetings (true by default).
    #[serde(default = "yes")]
    pub keep_starred_free: bool,
    /// What matchmaking profiles hold, and who may find them.
    #[serde(default, skip_serializing_if = "ProfileRules::is_default")]
    pub profiles: ProfileRules,
}

/// A slot, by its day and local start time (`HH:MM`): one of the plan's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotAt {
    pub day: u32,
    pub start: String,
}

/// One slot a plan makes ([`MeetingPlan::slots`]): where it starts and ends, local to its day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSlot {
    pub at: SlotAt,
    /// Local end time, `HH:MM`.
    pub end: String,
    /// Minutes after local midnight of its day.
    pub start_min: u32,
    pub end_min: u32,
    /// The block it belongs to (its index in the plan's blocks, sorted by time).
    pub block: u32,
}

impl PlanSlot {
    /// An afternoon slot starts at 12:00 or later.
    pub fn afternoon(&self) -> bool {
        self.start_min >= 12 * 60
    }

    /// Whether `session` (on the agenda) overlaps this slot.
    pub fn overlaps(&self, session: &crate::Session) -> bool {
        session.day == self.at.day
            && matches!(
                (minutes(&session.start), minutes(&session.end)),
                (Some(s), Some(e)) if s < self.end_min && self.start_min < e
            )
    }
}

/// `HH:MM` (exactly five characters) as minutes after midnight.
pub fn minutes(hhmm: &str) -> Option<u32> {
    let b = hhmm.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let h: u32 = hhmm[..2].parse().ok()?;
    let m: u32 = hhmm[3..].parse().ok()?;
    (b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) && h < 24 && m < 60).then_some(h * 60 + m)
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl MeetingPlan {
    /// The slots this plan makes, in time order: each block from its start, a slot and the
    /// change after it at a time, while a slot still ends by the block's end.
    pub fn slots(&self) -> Vec<PlanSlot> {
        let mut blocks: Vec<_> = self
            .blocks
            .iter()
            .filter_map(|b| Some((b.day, minutes(&b.start)?, minutes(&b.end)?, b)))
            .collect();
        blocks.sort_by_key(|(day, start, _, _)| (*day, *start));
        let mut out = Vec::new();
        for (i, (day, start, end, b)) in blocks.into_iter().enumerate() {
            let step = b.slot_minutes + b.change_minutes;
            let mut at = start;
            while b.slot_minutes > 0 && at + b.slot_minutes <= end {
                out.push(PlanSlot {
                    at: SlotAt {
                        day,
                        start: hhmm(at),
                    },
                    end: hhmm(at + b.slot_minutes),
                    start_min: at,
                    end_min: at + b.slot_minutes,
                    block: i as u32,
                });
                at += step.max(1);
            }
        }
        out
    }
}

/// Half a day, for people who meet only in the morning or only in the afternoon (a slot
/// starting before 12:00 is the morning's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HalfDay {
    Morning,
    Afternoon,
}

/// `set_meeting_preferences`: when and how a person meets (the whole of it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingPreferences {
    /// Slots they keep free: nobody books them then. Each one of the plan's, no repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub busy: Vec<SlotAt>,
    /// Only in the morning, or only in the afternoon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half: Option<HalfDay>,
    /// Meets online only (not at the venue's tables). An onsite meeting needs both people
    /// onsite; the others are online.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub online: bool,
}

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Waiting for an answer: holds no slot.
    Requested,
    /// Both agreed to meet; `slot` is when, once booked.
    Accepted,
    Declined,
    /// Not answered in time.
    Expired,
    /// Called off by one of the two, or by an organiser.
    Cancelled,
}

impl MeetingStatus {
    /// Whether the meeting can still change (requested or accepted).
    pub fn open(self) -> bool {
        matches!(self, MeetingStatus::Requested | MeetingStatus::Accepted)
    }
}

/// One side of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingPerson {
    pub id: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// A meeting between two people, as both of them see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    /// Who asked.
    pub from: MeetingPerson,
    /// Who was asked.
    pub to: MeetingPerson,
    /// The request's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub status: MeetingStatus,
    /// A time proposed and not yet answered (the request's, or another time proposed since),
    /// and who proposed it: the other one answers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<SlotAt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_by: Option<PersonId>,
    /// When it is, once booked (accepted meetings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<SlotAt>,
    /// The slot's end, local time (`HH:MM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The onsite table, with its place; absent for an online meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The video link of an online meeting (from the plan's template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    /// Locked by an organiser: "Schedule all" never moves it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
    /// On the day: who said "I'm here" (from 15 minutes before the slot to its end).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub here: Vec<PersonId>,
    /// Marked by the other as not come, 5 minutes in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_show: Option<PersonId>,
    /// Afterwards, each side's answer to "did it take place?".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<HeldAnswer>,
    /// Raised on every change (a calendar's `SEQUENCE`).
    pub sequence: u32,
    /// When it was requested, and when an unanswered request expires (ms since the epoch).
    pub requested_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_ms: Option<i64>,
    /// A meeting with a booth's team: `to` is the booth (its id [`booth_side`]), and any of
    /// its staff answers, moves, cancels and keeps it for the booth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booth: Option<crate::BoothId>,
}

/// One side's answer to "did it take place?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldAnswer {
    pub person: PersonId,
    pub held: bool,
}

impl Meeting {
    /// Whether `person` is one of its two.
    pub fn has(&self, person: &str) -> bool {
        self.from.id.as_str() == person || self.to.id.as_str() == person
    }

    /// The side `person` takes in it: their own, or, for one of the booth's staff, the
    /// booth's ([`booth_side`]; the client cannot know who the staff are, so any other person
    /// is taken for the booth's).
    pub fn side_of(&self, person: &str) -> String {
        match &self.booth {
            Some(b) if !self.has(person) => booth_side(b).as_str().to_owned(),
            _ => person.to_owned(),
        }
    }
}

/// `GET /api/events/{code}/booths/{booth}/meetings`: a booth's meetings as its staff see
/// them (newest first, each as in an inbox), and when and how the booth meets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothMeetings {
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub preferences: MeetingPreferences,
}

/// What starts the id of a booth taking part in a meeting: `booth_` and the booth's id. No
/// person's id starts so (the server never makes one).
pub const BOOTH_SIDE_PREFIX: &str = "booth_";

/// The id under which `booth` takes part in meetings (`booth_lisbon`): one participant, whose
/// staff share its schedule.
pub fn booth_side(booth: &crate::BoothId) -> PersonId {
    PersonId::parse(&format!("{BOOTH_SIDE_PREFIX}{}", booth.as_str()))
        .expect("a booth's id makes a participant's")
}

/// `answer_meeting`: what the person asked answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingAnswer {
    /// Yes: the meeting is accepted, and booked at the proposed time if both are free then.
    Accept,
    Decline,
    /// Another time (`slot`): the same meeting, waiting for the other one's answer.
    Propose,
}

/// Why "Schedule all" left a meeting unplaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnplacedReason {
    /// The two share no free slot (or, onsite, none with a table).
    NoCommonSlot,
    /// Every slot they share is taken by their other meetings, or has no table free.
    Taken,
    /// Locked at a time that clashes with another locked meeting.
    LockClash,
}

/// A meeting "Schedule all" could not place, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    pub meeting: MeetingId,
    pub reason: UnplacedReason,
    /// The reason in words, naming the two ("Ana and Björn share no free slot").
    pub text: String,
}

/// The answer to `schedule_meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScheduleSummary {
    /// Accepted meetings in all, and how many of them have a slot now.
    pub accepted: u32,
    pub placed: u32,
    /// How many were booked or moved by this run.
    pub changed: u32,
    /// No schedule places more than this (a proven bound): `placed == bound` is the best.
    pub bound: u32,
    /// Idle slots between people's meetings, summed over people and days.
    pub gaps: u32,
    /// The meetings left unplaced, at most [`crate::limits::MAX_UNPLACED_LISTED`] of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unplaced: Vec<Unplaced>,
}

/// Whether a card offers something or asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    Offer,
    Request,
}

/// An offer or request card on a matchmaking profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchCard {
    pub kind: CardKind,
    /// At most [`crate::limits::MAX_CARD_TITLE_CHARS`] characters.
    pub title: String,
    /// At most [`crate::limits::MAX_CARD_TEXT_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// From the event's `tags`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// `set_match_profile`: a person's matchmaking profile (the whole of it). Listed (`listed`) it
/// is found by the others; their organisation, country and languages come from their profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchProfile {
    /// Opted in: the others find and see it. Unlisted, nobody does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub listed: bool,
    /// Their role ("Cluster manager"), at most [`crate::limits::MAX_ROLE_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// From the event's `sectors`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// At most [`crate::limits::MAX_MATCH_CARDS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<MatchCard>,
}

impl ProfileRules {
    pub fn is_default(&self) -> bool {
        *self == ProfileRules::default()
    }
}

/// What an event's matchmaking profiles hold, as its organisers decide (part of the plan).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRules {
    /// The sector tags people choose from; none: profiles have no sectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    /// The tags cards choose from; none: any tag a person writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Whether profiles ask for a role.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_role: bool,
    /// Whether anyone at the event (not only registered participants and people with a listed
    /// profile) may find the listed profiles.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
}

/// A listed person, as the others find them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub id: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<MatchCard>,
    /// Meets online only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub online: bool,
    /// Open for a meeting right now (for the next half hour).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open_now: bool,
}

/// A person recommended to you, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommended {
    pub person: Listed,
    /// Each reason in words, naming the two cards ("Their request “Hydrogen storage” matches
    /// your offer “Electrolysers”: hydrogen").
    pub reasons: Vec<String>,
}

/// The answer to `find_people`: a page of listed people.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Found {
    pub people: Vec<Listed>,
    /// Ask again with this `after` for the next page; absent: this is the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Requests, by where they stand (`GET /api/events/{code}/meetings`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RequestCounts {
    /// Every request ever sent.
    pub sent: u32,
    pub waiting: u32,
    pub accepted: u32,
    pub declined: u32,
    pub expired: u32,
    pub cancelled: u32,
}

/// Accepted meetings, by where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MeetingCounts {
    /// Accepted and booked into a slot, and accepted with no slot yet.
    pub scheduled: u32,
    pub unscheduled: u32,
    /// Said to have taken place (by one side at least, and by none not to).
    pub held: u32,
    /// A no-show, or said by one side not to have taken place.
    pub missed: u32,
}

/// One person's meetings, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonMeetings {
    pub person: MeetingPerson,
    pub sent: u32,
    pub received: u32,
    pub accepted: u32,
    pub scheduled: u32,
    pub held: u32,
}

/// `GET /api/events/{code}/meetings`: the organisers' view of an event's meetings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MeetingsReport {
    pub requests: RequestCounts,
    pub meetings: MeetingCounts,
    /// Everyone with a meeting or a request, by name.
    pub people: Vec<PersonMeetings>,
    /// Accepted meetings without a slot, and why "Schedule all" would leave them so.
    pub unplaced: Vec<Unplaced>,
}

/// One meeting in `GET /api/events/{code}/meetings.json`: times in ISO 8601 in the event's
/// time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub status: MeetingStatus,
    pub from: MeetingPerson,
    pub to: MeetingPerson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub locked: bool,
    pub requested: String,
    /// Whether it took place, once someone said (see `MeetingCounts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<bool>,
}

/// A meeting about to start, in its people's inboxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingReminder {
    pub meeting: MeetingId,
    /// When it starts (ms since the epoch).
    pub starts_ms: i64,
}
