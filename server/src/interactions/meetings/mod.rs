//! One-to-one meetings: the event's plan, requests and their answers, bookings, and the
//! organisers' "Schedule all".
//!
//! - [`plan`]      — checking a meeting plan, and the slots it makes.
//! - [`scheduler`] — the pure scheduler: accepted meetings into slots and tables.
//! - `rules`       — who is free when; the refusals a booking can meet; "Schedule all".
//! - `requests`    — a request and its answers (accept, decline, another time).
//! - `day`         — the day itself: "I'm here", no-shows, "did it take place?", reminders.
//! - `profiles`    — matchmaking profiles: checked, found, recommended.
//! - [`booths`]    — meetings with a booth's team: the booth as one participant.
//! - [`report`]    — the organisers' counts, and whether a meeting took place.
//!
//! **Every booking is decided in one room, the event room** (`event:CODE`), by its one
//! sequencer: two people taking one slot at the same moment are decided one after the other,
//! the second refused with `conflict`, on one instance or several (a write that another
//! instance's write overtook is decided again against it), and under a Redis Cluster too (one
//! room is one slot). The plan is part of the event room's state (`meetings`), which everyone
//! at the event sees. The meetings and each person's preferences are private records of the
//! room (`meeting`, key: its id; `meeting_prefs`, `match_profile`, `open_now`,
//! `calendar_feed`, key: the person), and every change reaches the two people in their inboxes
//! as a follow-up (`meeting_changed`), never anyone else.
//!
//! Unanswered requests expire by a recurring timer (every minute while the event has a plan),
//! on whichever instance runs it first.

pub mod booths;
mod day;
pub mod plan;
mod profiles;
pub mod report;
mod requests;
mod rules;
pub mod scheduler;

use super::people::someone;
use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{
    BoothId, Meeting, MeetingAnswer, MeetingId, MeetingPlan, MeetingPreferences, MeetingStatus,
    PersonId, RoomEvent, RoomId, RoomState, ScheduleSummary, SlotAt, limits,
};
pub use profiles::{Query, check as check_profile, find, recommend};
use rules::Book;
pub use rules::{Placement, Prepared, STALE, fingerprint, prepare, shown, video_link};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The meetings interaction.
pub struct Meetings;

/// Who asks.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: Option<String>,
    /// The event's organisers (who may cancel any meeting).
    pub organiser: bool,
    /// Acting for a booth (`id` is then the booth's): who of its staff, in person.
    pub staff: Option<String>,
}

#[derive(Debug, Clone)]
pub enum MeetingsCommand {
    SetPlan(Option<MeetingPlan>),
    /// `actor`'s preferences, or (`booth`) those of a booth whose staff they are.
    Preferences {
        actor: Actor,
        preferences: MeetingPreferences,
        booth: Option<BoothId>,
    },
    /// A request to a person (`to`) or to a booth's team (`booth`): one of the two.
    Request {
        actor: Actor,
        to: Option<PersonId>,
        booth: Option<BoothId>,
        message: Option<String>,
        slot: Option<SlotAt>,
    },
    /// A booth removed, or made again under its id: its open meetings asked before the booth
    /// as it is now was made (all of them, for a booth that is gone) are cancelled, its
    /// preferences deleted.
    ForgetBooth {
        booth: BoothId,
    },
    Answer {
        actor: Actor,
        meeting: MeetingId,
        answer: MeetingAnswer,
        slot: Option<SlotAt>,
    },
    Cancel {
        actor: Actor,
        meeting: MeetingId,
    },
    Lock {
        meeting: MeetingId,
        locked: bool,
    },
    /// Books the placements of a schedule computed off the sequencer from records whose
    /// [`fingerprint`] was `seen` ("Schedule all": `transport::meetings::schedule_all`).
    ApplySchedule {
        seen: u64,
        placements: Vec<Placement>,
        summary: ScheduleSummary,
    },
    /// Sets `actor`'s matchmaking profile.
    MatchProfile {
        actor: Actor,
        profile: plenum_protocol::MatchProfile,
    },
    /// "I'm here", on the day.
    Here {
        actor: Actor,
        meeting: MeetingId,
    },
    /// The other one did not come.
    NoShow {
        actor: Actor,
        meeting: MeetingId,
    },
    /// Whether it took place.
    Held {
        actor: Actor,
        meeting: MeetingId,
        held: bool,
    },
    /// Open for a meeting now (for the next half hour), or no longer.
    OpenNow {
        actor: Actor,
        open: bool,
    },
    /// Deletes `person`'s matchmaking profile and meeting preferences (their meetings stay: they
    /// are the other one's too).
    Forget {
        person: String,
    },
    /// Makes `person`'s calendar feed anew: its old address stops working.
    NewFeed {
        person: String,
    },
    /// The minute's sweep, as of `at_ms` (the timer: now; a test may ask as if later): expires
    /// the requests not answered in time, and reminds the people of meetings starting within
    /// [`REMIND_BEFORE_MS`].
    Sweep {
        at_ms: Option<i64>,
    },
}

/// An event's meetings, privately.
#[derive(Debug, Default, Clone)]
pub struct MeetingsRecords {
    /// Every meeting, by id (as stored: no place, video or end, which come from the plan).
    pub meetings: BTreeMap<MeetingId, Meeting>,
    /// Each person's preferences.
    pub prefs: HashMap<String, MeetingPreferences>,
    /// Person → the ids of their meetings (every status).
    by_person: HashMap<String, BTreeSet<MeetingId>>,
    /// Slot → the accepted meetings booked in it.
    at_slot: HashMap<SlotAt, BTreeSet<MeetingId>>,
    /// How many times each person's calendar feed was made anew (absent: never).
    pub feeds: HashMap<String, u32>,
    /// Each person's matchmaking profile (listed or not).
    pub profiles: HashMap<String, plenum_protocol::MatchProfile>,
    /// Who is open for a meeting now, until when (ms).
    pub open_now: HashMap<String, i64>,
    /// The meetings whose people were reminded, with the meeting's `sequence` then (moved, a
    /// meeting is reminded of again).
    pub reminded: HashMap<MeetingId, u32>,
}

impl MeetingsRecords {
    /// Only what concerns `people` (their meetings and preferences) and, if given, `slot`
    /// (every meeting booked in it): a point read.
    fn of(&self, people: &[&str], slot: Option<&SlotAt>) -> MeetingsRecords {
        let mut out = MeetingsRecords::default();
        let mut ids: BTreeSet<MeetingId> = BTreeSet::new();
        for p in people {
            ids.extend(self.by_person.get(*p).into_iter().flatten());
            if let Some(prefs) = self.prefs.get(*p) {
                out.prefs.insert((*p).to_owned(), prefs.clone());
            }
        }
        if let Some(s) = slot {
            ids.extend(self.at_slot.get(s).into_iter().flatten());
        }
        for id in ids {
            if let Some(m) = self.meetings.get(&id) {
                out.put(m.clone());
            }
        }
        out
    }

    /// One meeting, if kept.
    fn one(&self, id: MeetingId) -> MeetingsRecords {
        let mut out = MeetingsRecords::default();
        if let Some(m) = self.meetings.get(&id) {
            out.put(m.clone());
        }
        out
    }

    pub(crate) fn put(&mut self, m: Meeting) {
        if let Some(old) = self.meetings.get(&m.id)
            && let Some(s) = &old.slot
            && let Some(set) = self.at_slot.get_mut(s)
        {
            set.remove(&m.id);
        }
        for p in [&m.from.id, &m.to.id] {
            self.by_person
                .entry(p.as_str().to_owned())
                .or_default()
                .insert(m.id);
        }
        if m.status == MeetingStatus::Accepted
            && let Some(s) = &m.slot
        {
            self.at_slot.entry(s.clone()).or_default().insert(m.id);
        }
        self.meetings.insert(m.id, m);
    }

    /// `person`'s meetings, in id order.
    pub fn mine<'a>(&'a self, person: &str) -> impl Iterator<Item = &'a Meeting> + 'a {
        self.by_person
            .get(person)
            .into_iter()
            .flatten()
            .filter_map(|id| self.meetings.get(id))
    }
}

// A change is made once per command and moved into the batch: a box would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum MeetingsChange {
    Meeting(Meeting),
    Prefs(String, MeetingPreferences),
    Feed(String, u32),
    Profile(String, plenum_protocol::MatchProfile),
    OpenNow(String, Option<i64>),
    Reminded(MeetingId, u32),
    /// The person's matchmaking profile, or meeting preferences, deleted.
    NoProfile(String),
    NoPrefs(String),
}

const MEETING: &str = "meeting";
const PREFS: &str = "meeting_prefs";
const FEED: &str = "calendar_feed";
const PROFILE: &str = "match_profile";
const OPEN_NOW: &str = "open_now";
const REMINDED: &str = "meeting_reminded";
/// Its people are reminded of a meeting this long before it starts.
pub const REMIND_BEFORE_MS: i64 = 10 * 60_000;
/// "I'm here" opens this long before a slot starts.
const HERE_BEFORE_MS: i64 = 15 * 60_000;
/// A no-show is marked this long into a slot at the earliest.
const NO_SHOW_AFTER_MS: i64 = 5 * 60_000;
/// "Did it take place?" is answered for this long after a slot starts.
const HELD_FOR_MS: i64 = 7 * 24 * 3_600_000;
/// "Open for meetings now" lasts this long.
pub const OPEN_NOW_MS: i64 = 30 * 60_000;
/// The expiry timer's key.
const EXPIRE_KEY: u64 = 1;
/// How often unanswered requests are expired.
const EXPIRE_EVERY_MS: i64 = 60_000;

impl Interaction for Meetings {
    type Command = MeetingsCommand;
    type Records = MeetingsRecords;
    type Change = MeetingsChange;
    const NAME: &'static str = "meetings";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: MEETING,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: PREFS,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: FEED,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: PROFILE,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: OPEN_NOW,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: REMINDED,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &MeetingsCommand) -> Result<(), Refusal> {
        match command {
            MeetingsCommand::Request { to, booth, .. } if to.is_some() == booth.is_some() => {
                Err(Refusal::invalid(
                    "to",
                    "name the person to meet (`to`) or the booth (`booth`): one of them",
                ))
            }
            MeetingsCommand::Request {
                message: Some(m), ..
            } if !m.trim().is_empty() => {
                super::text("message", m, limits::MAX_MEETING_MESSAGE_CHARS).map(drop)
            }
            MeetingsCommand::Preferences { preferences, .. }
                if preferences.busy.len() > limits::MAX_MEETING_SLOTS =>
            {
                Err(Refusal::TooLarge(format!(
                    "preferences.busy: at most {} slots",
                    limits::MAX_MEETING_SLOTS
                )))
            }
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: MeetingsCommand) -> Result<Made, Refusal> {
        let RoomId::Event(_) = cx.room() else {
            return Err(super::wrong_room());
        };
        let plan = cx.event_room()?.meetings.clone();
        match command {
            MeetingsCommand::MatchProfile { actor, profile } => {
                let book = Book::new(cx, plan)?;
                // A listed profile is asked for meetings: only a named participant's (one the
                // event keeps) can be. Unlisting is always open.
                if profile.listed && actor.name.is_none() {
                    return Err(Refusal::Forbidden(
                        "join with your name to publish a matchmaking profile".into(),
                    ));
                }
                // Without a record, only taking a profile down: nothing is kept of someone
                // the event keeps nothing of (the bound on people holds).
                if profile != plenum_protocol::MatchProfile::default()
                    && someone(cx, &actor.id)?.is_none()
                {
                    return Err(Refusal::Conflict(
                        "save who you are first (set_profile, even empty): then others can find and ask you".into(),
                    ));
                }
                let profile = profiles::check(&profile, &book.plan.profiles)?;
                cx.change(MeetingsChange::Profile(actor.id.clone(), profile.clone()));
                if let Ok(me) = PersonId::parse(&actor.id) {
                    let inbox = RoomId::Inbox(cx.room().event_code().clone(), me);
                    cx.emit_to(inbox, RoomEvent::MatchProfileChanged { profile });
                }
            }
            MeetingsCommand::Here { actor, meeting } => {
                let actor = booths::acting(cx, actor, meeting);
                day::here(cx, &Book::new(cx, plan)?, &actor, meeting)?
            }
            MeetingsCommand::NoShow { actor, meeting } => {
                let actor = booths::acting(cx, actor, meeting);
                day::no_show(cx, &Book::new(cx, plan)?, &actor, meeting)?
            }
            MeetingsCommand::Held {
                actor,
                meeting,
                held,
            } => {
                let actor = booths::acting(cx, actor, meeting);
                day::held(cx, &Book::new(cx, plan)?, &actor, meeting, held)?
            }
            MeetingsCommand::ForgetBooth { booth } => {
                let book = plan.map(|p| Book {
                    slots: plan::slots(&p),
                    plan: p,
                });
                booths::forget(cx, book.as_ref(), &booth);
            }
            MeetingsCommand::OpenNow { actor, open } => {
                Book::new(cx, plan)?;
                let until = open.then(|| cx.now_ms() + OPEN_NOW_MS);
                cx.change(MeetingsChange::OpenNow(actor.id.clone(), until));
                if let Ok(me) = PersonId::parse(&actor.id) {
                    let inbox = RoomId::Inbox(cx.room().event_code().clone(), me);
                    cx.emit_to(inbox, RoomEvent::OpenNowChanged { until_ms: until });
                }
            }
            MeetingsCommand::Forget { person } => {
                let mine = cx.records().part(|r| r.of(&[&person], None));
                let had_profile = cx
                    .records()
                    .part(|r| MeetingsRecords {
                        profiles: r
                            .profiles
                            .get_key_value(&person)
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .into_iter()
                            .collect(),
                        ..MeetingsRecords::default()
                    })
                    .profiles
                    .contains_key(&person);
                let was_open = cx
                    .records()
                    .part(|r| MeetingsRecords {
                        open_now: r
                            .open_now
                            .get_key_value(&person)
                            .map(|(k, v)| (k.clone(), *v))
                            .into_iter()
                            .collect(),
                        ..MeetingsRecords::default()
                    })
                    .open_now
                    .contains_key(&person);
                let Ok(me) = PersonId::parse(&person) else {
                    return Ok(Made::default());
                };
                let inbox = RoomId::Inbox(cx.room().event_code().clone(), me);
                if had_profile {
                    cx.change(MeetingsChange::NoProfile(person.clone()));
                    cx.emit_to(
                        inbox.clone(),
                        RoomEvent::MatchProfileChanged {
                            profile: Default::default(),
                        },
                    );
                }
                if mine.prefs.contains_key(&person) {
                    cx.change(MeetingsChange::NoPrefs(person.clone()));
                    cx.emit_to(
                        inbox.clone(),
                        RoomEvent::MeetingPreferencesChanged {
                            preferences: Default::default(),
                        },
                    );
                }
                if was_open {
                    cx.change(MeetingsChange::OpenNow(person.clone(), None));
                    cx.emit_to(inbox.clone(), RoomEvent::OpenNowChanged { until_ms: None });
                }
                // Their organisation leaves their meetings (their name stays: the other one
                // knows whom they meet).
                if let Some(book) = plan.map(|p| Book {
                    slots: plan::slots(&p),
                    plan: p,
                }) {
                    let mut theirs: Vec<&Meeting> = mine.mine(&person).collect();
                    theirs.sort_by_key(|m| m.id);
                    for m in theirs {
                        let mut scrubbed = m.clone();
                        for side in [&mut scrubbed.from, &mut scrubbed.to] {
                            if side.id.as_str() == person {
                                side.organisation = None;
                            }
                        }
                        if scrubbed != *m {
                            book.save_after(cx, scrubbed, Some(m.sequence));
                        }
                    }
                }
            }
            MeetingsCommand::NewFeed { person } => {
                let n = cx
                    .records()
                    .part(|r| MeetingsRecords {
                        feeds: r
                            .feeds
                            .get_key_value(&person)
                            .map(|(k, v)| (k.clone(), *v))
                            .into_iter()
                            .collect(),
                        ..MeetingsRecords::default()
                    })
                    .feeds
                    .get(&person)
                    .copied()
                    .unwrap_or(0);
                cx.change(MeetingsChange::Feed(person, n + 1));
            }
            MeetingsCommand::SetPlan(new) => set_plan(cx, plan, new)?,
            MeetingsCommand::Preferences {
                actor,
                preferences,
                booth: Some(booth),
            } => {
                let book = Book::new(cx, plan)?;
                booths::staffed_by(cx, &booth, &actor.id)?;
                let side = plenum_protocol::booth_side(&booth);
                let preferences = book.preferences(cx, side.as_str(), preferences)?;
                // Its staff read it with the booth's meetings (`GET .../booths/{booth}/meetings`).
                cx.change(MeetingsChange::Prefs(side.as_str().to_owned(), preferences));
            }
            MeetingsCommand::Preferences {
                actor,
                preferences,
                booth: None,
            } => {
                let book = Book::new(cx, plan)?;
                let preferences = book.preferences(cx, &actor.id, preferences)?;
                cx.change(MeetingsChange::Prefs(actor.id.clone(), preferences.clone()));
                if let Ok(me) = PersonId::parse(&actor.id) {
                    let inbox = RoomId::Inbox(cx.room().event_code().clone(), me);
                    cx.emit_to(inbox, RoomEvent::MeetingPreferencesChanged { preferences });
                }
            }
            MeetingsCommand::Request {
                actor,
                to,
                booth,
                message,
                slot,
            } => {
                let book = Book::new(cx, plan)?;
                let to = match (to, booth) {
                    (Some(person), None) => requests::Asked::Person(person),
                    (None, Some(booth)) => requests::Asked::Booth(booth),
                    _ => return Err(Refusal::invalid("to", "name `to` or `booth`: one of them")),
                };
                let id = requests::request(cx, &book, &actor, to, message, slot)?;
                return Ok(Made {
                    meeting: Some(id),
                    ..Made::default()
                });
            }
            MeetingsCommand::Answer {
                actor,
                meeting,
                answer,
                slot,
            } => {
                let book = Book::new(cx, plan)?;
                let actor = booths::acting(cx, actor, meeting);
                requests::answer_meeting(cx, &book, &actor, meeting, answer, slot)?;
            }
            MeetingsCommand::Cancel { actor, meeting } => {
                let book = Book::new(cx, plan)?;
                let actor = booths::acting(cx, actor, meeting);
                let mut m = visible_meeting(cx, &actor, meeting)?;
                if !m.status.open() {
                    return Err(Refusal::Conflict(format!(
                        "meeting {meeting} is {} already",
                        status_name(m.status)
                    )));
                }
                m.status = MeetingStatus::Cancelled;
                m.proposed = None;
                m.proposed_by = None;
                m.expires_ms = None;
                book.save(cx, m);
            }
            MeetingsCommand::Lock { meeting, locked } => {
                let book = Book::new(cx, plan)?;
                let mut m = kept(cx, meeting)?;
                if m.status != MeetingStatus::Accepted {
                    return Err(Refusal::Conflict(format!(
                        "only an accepted meeting is locked; meeting {meeting} is {}",
                        status_name(m.status)
                    )));
                }
                if m.locked != locked {
                    m.locked = locked;
                    book.save(cx, m);
                }
            }
            MeetingsCommand::ApplySchedule {
                seen,
                placements,
                summary,
            } => {
                let book = Book::new(cx, plan)?;
                let summary = rules::apply_schedule(cx, &book, seen, placements, summary)?;
                return Ok(Made {
                    scheduled: Some(summary),
                    ..Made::default()
                });
            }
            MeetingsCommand::Sweep { at_ms } => {
                let Some(plan) = plan else {
                    return Ok(Made::default());
                };
                let book = Book::new(cx, Some(plan))?;
                let now = at_ms.unwrap_or_else(|| cx.now_ms());
                let due: Vec<Meeting> = cx
                    .records()
                    .committed
                    .meetings
                    .values()
                    .filter(|m| m.status.open() && m.expires_ms.is_some_and(|e| e <= now))
                    .map(|m| m.id)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .filter_map(|id| cx.records().part(|r| r.one(id)).meetings.remove(&id))
                    .filter(|m| m.status.open() && m.expires_ms.is_some_and(|e| e <= now))
                    .collect();
                for mut m in due {
                    m.expires_ms = None;
                    m.proposed = None;
                    m.proposed_by = None;
                    // A request expires; an accepted meeting only loses the time proposed.
                    if m.status == MeetingStatus::Requested {
                        m.status = MeetingStatus::Expired;
                    }
                    book.save(cx, m);
                }
                booths::orphans(cx, &book);
                day::remind(cx, &book, now)?;
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut MeetingsRecords, kind: &str, key: &str, value: Option<&str>) {
        let change = match (kind, value) {
            (MEETING, Some(v)) => match serde_json::from_str(v) {
                Ok(m) => MeetingsChange::Meeting(m),
                Err(e) => return tracing::error!(key, error = %e, "an unreadable meeting"),
            },
            (PREFS, Some(v)) => match serde_json::from_str(v) {
                Ok(p) => MeetingsChange::Prefs(key.to_owned(), p),
                Err(e) => return tracing::error!(key, error = %e, "unreadable preferences"),
            },
            (PREFS, None) => MeetingsChange::NoPrefs(key.to_owned()),
            (REMINDED, Some(v)) => match (key.parse(), v.parse()) {
                (Ok(id), Ok(seq)) => MeetingsChange::Reminded(id, seq),
                _ => return tracing::error!(key, "an unreadable reminder"),
            },
            (OPEN_NOW, v) => {
                MeetingsChange::OpenNow(key.to_owned(), v.and_then(|v| v.parse().ok()))
            }
            (PROFILE, None) => MeetingsChange::NoProfile(key.to_owned()),
            (PROFILE, Some(v)) => match serde_json::from_str(v) {
                Ok(p) => MeetingsChange::Profile(key.to_owned(), p),
                Err(e) => return tracing::error!(key, error = %e, "an unreadable profile"),
            },
            (FEED, Some(v)) => match v.parse() {
                Ok(n) => MeetingsChange::Feed(key.to_owned(), n),
                Err(_) => return tracing::error!(key, "an unreadable calendar feed"),
            },
            _ => return,
        };
        Self::apply(records, &change);
    }

    fn apply(records: &mut MeetingsRecords, change: &MeetingsChange) {
        match change {
            MeetingsChange::Meeting(m) => records.put(m.clone()),
            MeetingsChange::Prefs(p, prefs) => drop(records.prefs.insert(p.clone(), prefs.clone())),
            MeetingsChange::Feed(p, n) => {
                records.feeds.insert(p.clone(), *n);
            }
            MeetingsChange::Profile(p, x) => drop(records.profiles.insert(p.clone(), x.clone())),
            MeetingsChange::OpenNow(p, Some(until)) => {
                records.open_now.insert(p.clone(), *until);
            }
            MeetingsChange::OpenNow(p, None) => {
                records.open_now.remove(p);
            }
            MeetingsChange::NoProfile(p) => {
                records.profiles.remove(p);
            }
            MeetingsChange::Reminded(id, seq) => {
                records.reminded.insert(*id, *seq);
            }
            MeetingsChange::NoPrefs(p) => {
                records.prefs.remove(p);
            }
        }
    }

    fn store(change: &MeetingsChange) -> Stored {
        match change {
            MeetingsChange::Meeting(m) => Stored {
                kind: MEETING,
                key: m.id.to_string(),
                value: Some(serde_json::to_string(m).expect("a meeting serialises")),
            },
            MeetingsChange::Prefs(p, prefs) => Stored {
                kind: PREFS,
                key: p.clone(),
                value: Some(serde_json::to_string(prefs).expect("preferences serialise")),
            },
            MeetingsChange::Feed(p, n) => Stored {
                kind: FEED,
                key: p.clone(),
                value: Some(n.to_string()),
            },
            MeetingsChange::Profile(p, x) => Stored {
                kind: PROFILE,
                key: p.clone(),
                value: Some(serde_json::to_string(x).expect("a profile serialises")),
            },
            MeetingsChange::Reminded(id, seq) => Stored {
                kind: REMINDED,
                key: id.to_string(),
                value: Some(seq.to_string()),
            },
            MeetingsChange::NoProfile(p) => Stored {
                kind: PROFILE,
                key: p.clone(),
                value: None,
            },
            MeetingsChange::NoPrefs(p) => Stored {
                kind: PREFS,
                key: p.clone(),
                value: None,
            },
            MeetingsChange::OpenNow(p, until) => Stored {
                kind: OPEN_NOW,
                key: p.clone(),
                value: until.map(|u| u.to_string()),
            },
        }
    }

    fn timers(&self, state: &RoomState, now_ms: i64) -> Vec<(i64, u64)> {
        match state {
            RoomState::Event(e) if e.meetings.is_some() => {
                vec![((now_ms / EXPIRE_EVERY_MS + 1) * EXPIRE_EVERY_MS, EXPIRE_KEY)]
            }
            _ => Vec::new(),
        }
    }

    fn on_timer(&self, key: u64) -> Option<MeetingsCommand> {
        (key == EXPIRE_KEY).then_some(MeetingsCommand::Sweep { at_ms: None })
    }
}

/// Sets (or removes) the plan: refused while a booked meeting would lose its slot or table.
fn set_plan(
    cx: &mut Cx<'_, Meetings>,
    old: Option<MeetingPlan>,
    new: Option<MeetingPlan>,
) -> Result<(), Refusal> {
    let new = match new {
        Some(p) => Some(plan::check(&p, &cx.event_doc()?.agenda)?),
        None => None,
    };
    if new == old {
        return Ok(());
    }
    let slots: BTreeSet<SlotAt> = new
        .as_ref()
        .map(|p| plan::slots(p).into_iter().map(|s| s.at).collect())
        .unwrap_or_default();
    let tables: BTreeSet<u32> = new
        .as_ref()
        .map(|p| p.tables.iter().map(|t| t.number).collect())
        .unwrap_or_default();
    // Every booked meeting as the batch leaves it (a meeting moved earlier in the batch counts
    // where it is now).
    let booked = cx.records().part(|r| {
        let mut out = MeetingsRecords::default();
        for id in r.at_slot.values().flatten() {
            if let Some(m) = r.meetings.get(id) {
                out.put(m.clone());
            }
        }
        out
    });
    let stranded = booked
        .meetings
        .values()
        .filter(|m| m.status == MeetingStatus::Accepted)
        .filter(|m| {
            m.slot.as_ref().is_some_and(|s| !slots.contains(s))
                || m.table.is_some_and(|t| !tables.contains(&t))
        })
        .map(|m| m.id)
        .collect::<BTreeSet<_>>()
        .len();
    if stranded > 0 {
        return Err(Refusal::Conflict(format!(
            "{stranded} booked meeting(s) sit in slots or at tables this plan does not have: \
             move or cancel them first"
        )));
    }
    cx.emit(RoomEvent::MeetingsSet { plan: new });
    Ok(())
}

/// Meeting `id`, for `actor`: one of its two, or an organiser. Anyone else is told there is
/// no such meeting (whether it exists is not theirs to know).
fn visible_meeting(
    cx: &Cx<'_, Meetings>,
    actor: &Actor,
    id: MeetingId,
) -> Result<Meeting, Refusal> {
    kept(cx, id)
        .ok()
        .filter(|m| actor.organiser || m.has(&actor.id))
        .ok_or_else(|| no_meeting(id))
}

/// Meeting `id`, booked, for one of its two.
fn booked(cx: &Cx<'_, Meetings>, actor: &Actor, id: MeetingId) -> Result<Meeting, Refusal> {
    let m = kept(cx, id)
        .ok()
        .filter(|m| m.has(&actor.id))
        .ok_or_else(|| no_meeting(id))?;
    if m.status != MeetingStatus::Accepted || m.slot.is_none() {
        return Err(Refusal::Conflict(format!("meeting {id} is not booked")));
    }
    Ok(m)
}

fn kept(cx: &Cx<'_, Meetings>, id: MeetingId) -> Result<Meeting, Refusal> {
    cx.records()
        .part(|r| r.one(id))
        .meetings
        .remove(&id)
        .ok_or_else(|| no_meeting(id))
}

fn no_meeting(id: MeetingId) -> Refusal {
    Refusal::NotFound(format!("no meeting {id}"))
}

fn status_name(s: MeetingStatus) -> &'static str {
    match s {
        MeetingStatus::Requested => "requested",
        MeetingStatus::Accepted => "accepted",
        MeetingStatus::Declined => "declined",
        MeetingStatus::Expired => "expired",
        MeetingStatus::Cancelled => "cancelled",
    }
}

/// The summary's type, for the rules.
type Summary = ScheduleSummary;
