//! Who is free when, booking a slot, saving and telling a meeting, and "Schedule all".

use super::plan::{self, Slot};
use super::scheduler;
use super::{Meetings, MeetingsChange, MeetingsRecords, Summary, someone};
use crate::interactions::{Cx, Refusal};
use hmac::{Hmac, Mac};
use plenum_protocol::{
    HalfDay, Meeting, MeetingId, MeetingPlan, MeetingPreferences, MeetingStatus, RoomEvent, RoomId,
    Session, SlotAt, Unplaced, UnplacedReason, limits,
};
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The plan and its slots, for one decision.
pub(super) struct Book {
    pub plan: MeetingPlan,
    pub slots: Vec<Slot>,
}

impl Book {
    /// The event's plan, or `conflict` when it has none.
    pub fn new(_cx: &Cx<'_, Meetings>, plan: Option<MeetingPlan>) -> Result<Book, Refusal> {
        let plan = plan.ok_or_else(|| {
            Refusal::Conflict("this event has no meeting plan: its organisers set one".into())
        })?;
        let slots = plan::slots(&plan);
        Ok(Book { plan, slots })
    }

    pub fn expiry_ms(&self) -> i64 {
        i64::from(self.plan.expiry_hours) * 3_600_000
    }

    /// The plan's slot at `at`, or `bad_request` naming `slot`.
    pub fn slot(&self, at: &SlotAt) -> Result<&Slot, Refusal> {
        self.slots.iter().find(|s| s.at == *at).ok_or_else(|| {
            Refusal::invalid(
                "slot",
                format!("day {} has no meeting slot at {:?}", at.day, at.start),
            )
        })
    }

    fn onsite(&self, prefs: &HashMap<String, MeetingPreferences>, m: &Meeting) -> bool {
        !self.plan.tables.is_empty()
            && [&m.from.id, &m.to.id]
                .iter()
                .all(|p| !prefs.get(p.as_str()).is_some_and(|p| p.online))
    }

    /// Whether `person` is free at `at` (their meetings but `except` aside), or why not, in
    /// the words of the one asking (`me`: "you"; else the person's name).
    pub fn free(
        &self,
        cx: &Cx<'_, Meetings>,
        person: &str,
        at: &SlotAt,
        except: Option<MeetingId>,
        me: bool,
    ) -> Result<(), Refusal> {
        let slot = self.slot(at)?;
        let records = cx.records().part(|r| r.of(&[person], Some(at)));
        let who = || -> String {
            if me {
                "you are".into()
            } else {
                let name = someone(cx, person)
                    .ok()
                    .flatten()
                    .and_then(|s| s.name)
                    .or_else(|| super::booths::name(cx, person))
                    .unwrap_or_else(|| person.to_owned());
                format!("{name} is")
            }
        };
        if let Some(other) = records.mine(person).find(|m| {
            Some(m.id) != except
                && m.status == MeetingStatus::Accepted
                && m.slot.as_ref() == Some(at)
        }) {
            return Err(Refusal::Conflict(format!(
                "{} not free at {}: meeting {} is booked then",
                who(),
                at.start,
                other.id
            )));
        }
        let prefs = records.prefs.get(person).cloned().unwrap_or_default();
        if prefs.busy.contains(at) {
            return Err(Refusal::Conflict(format!(
                "{} not free at {}: keeping it free",
                who(),
                at.start
            )));
        }
        if let Some(half) = prefs.half
            && (half == HalfDay::Afternoon) != slot.afternoon()
        {
            return Err(Refusal::Conflict(format!(
                "{} meeting in the {} only",
                who(),
                if half == HalfDay::Morning {
                    "morning"
                } else {
                    "afternoon"
                }
            )));
        }
        if self.plan.keep_starred_free
            && let Some(s) = someone(cx, person)?
            && !s.stars.is_empty()
        {
            let sessions = cx.event_doc()?.agenda.sessions;
            if let Some(session) = sessions
                .iter()
                .find(|x| s.stars.contains(&x.id) && slot.overlaps(x))
            {
                return Err(Refusal::Conflict(format!(
                    "{} not free at {}: at the starred session {:?}",
                    who(),
                    at.start,
                    session.title
                )));
            }
        }
        Ok(())
    }

    /// Whether meeting `m` can be booked at `at` (both free; onsite, a table free), and the
    /// table it would take; refusals in the words of `actor`, who books it.
    pub fn bookable(
        &self,
        cx: &Cx<'_, Meetings>,
        m: &Meeting,
        at: &SlotAt,
        actor: &str,
    ) -> Result<Option<u32>, Refusal> {
        for p in [&m.from.id, &m.to.id] {
            self.free(cx, p.as_str(), at, Some(m.id), p.as_str() == actor)?;
        }
        let records = cx
            .records()
            .part(|r| r.of(&[m.from.id.as_str(), m.to.id.as_str()], Some(at)));
        if !self.onsite(&records.prefs, m) {
            return Ok(None);
        }
        let taken: BTreeSet<u32> = records
            .at_slot
            .get(at)
            .into_iter()
            .flatten()
            .filter(|id| **id != m.id)
            .filter_map(|id| records.meetings.get(id).and_then(|o| o.table))
            .collect();
        self.plan
            .tables
            .iter()
            .map(|t| t.number)
            .find(|n| !taken.contains(n))
            .map(Some)
            .ok_or_else(|| {
                Refusal::Conflict(format!(
                    "no meeting table is free at {}: propose another time",
                    at.start
                ))
            })
    }

    /// Books `m` at a slot and table (or unbooks it). At another time, what was said on the day
    /// of the old one ("I'm here", a no-show, whether it took place) goes.
    pub fn place(&self, m: &mut Meeting, at: Option<(SlotAt, Option<u32>)>) {
        if at.as_ref().map(|(s, _)| s) != m.slot.as_ref() {
            m.here.clear();
            m.no_show = None;
            m.held.clear();
        }
        match at {
            Some((slot, table)) => {
                m.slot = Some(slot);
                m.table = table;
            }
            None => {
                m.slot = None;
                m.table = None;
            }
        }
    }

    /// When booked meeting `m` starts and ends (ms since the epoch), from the agenda's dates
    /// and time zone.
    pub fn instants(&self, cx: &Cx<'_, Meetings>, m: &Meeting) -> Result<(i64, i64), Refusal> {
        let slot = m
            .slot
            .as_ref()
            .and_then(|at| self.slots.iter().find(|s| s.at == *at))
            .ok_or_else(|| Refusal::Conflict(format!("meeting {} is not booked", m.id)))?;
        let doc = cx.event_doc()?;
        match (
            plan::instant(&doc, slot.at.day, &slot.at.start),
            plan::instant(&doc, slot.at.day, &slot.end),
        ) {
            (Some(a), Some(b)) => Ok((a.timestamp_millis(), b.timestamp_millis())),
            _ => Err(Refusal::Conflict(
                "the agenda has no date for this meeting's day".into(),
            )),
        }
    }

    /// Keeps `m` (its `sequence` one above the kept version's) and tells both its people (a
    /// booth's: all its staff).
    pub fn save(&self, cx: &mut Cx<'_, Meetings>, m: Meeting) {
        let before = cx
            .records()
            .part(|r| r.one(m.id))
            .meetings
            .remove(&m.id)
            .map(|b| b.sequence);
        self.save_after(cx, m, before);
    }

    /// [`Book::save`] of a meeting whose kept version's `sequence` the caller knows (`None`: a
    /// new meeting), without reading it again.
    pub fn save_after(&self, cx: &mut Cx<'_, Meetings>, mut m: Meeting, before: Option<u32>) {
        if let Some(b) = before {
            m.sequence = b + 1;
        }
        m.end = None;
        m.place = None;
        m.video = None;
        cx.change(MeetingsChange::Meeting(m.clone()));
        let shown = self.shown(cx, m);
        let code = cx.room().event_code().clone();
        for p in super::booths::inboxes(cx, &shown) {
            cx.emit_to(
                RoomId::Inbox(code.clone(), p),
                RoomEvent::MeetingChanged {
                    meeting: shown.clone(),
                },
            );
        }
    }

    /// `m` as its people see it: its slot's end, its table's place, or its video link.
    pub fn shown(&self, cx: &Cx<'_, Meetings>, m: Meeting) -> Meeting {
        shown(&self.plan, &self.slots, cx.key(), cx.room(), m)
    }

    /// `prefs` as kept for `person`, or why not: each busy slot one of the plan's, no repeats;
    /// none that would leave one of their booked meetings where they no longer meet.
    pub fn preferences(
        &self,
        cx: &Cx<'_, Meetings>,
        person: &str,
        mut prefs: MeetingPreferences,
    ) -> Result<MeetingPreferences, Refusal> {
        let mut seen = BTreeSet::new();
        for (i, at) in prefs.busy.iter().enumerate() {
            self.slot(at).map_err(|_| {
                Refusal::invalid(
                    &format!("preferences.busy[{i}]"),
                    format!("day {} has no meeting slot at {:?}", at.day, at.start),
                )
            })?;
            if !seen.insert(at.clone()) {
                return Err(Refusal::invalid(
                    &format!("preferences.busy[{i}]"),
                    "named twice",
                ));
            }
        }
        prefs.busy = seen.into_iter().collect();
        let records = cx.records().part(|r| r.of(&[person], None));
        for m in records.mine(person) {
            let Some(at) = m
                .slot
                .as_ref()
                .filter(|_| m.status == MeetingStatus::Accepted)
            else {
                continue;
            };
            let slot = self.slot(at)?;
            let clash = prefs.busy.contains(at)
                || prefs
                    .half
                    .is_some_and(|h| (h == HalfDay::Afternoon) != slot.afternoon())
                || (prefs.online && m.table.is_some());
            if clash {
                return Err(Refusal::Conflict(format!(
                    "meeting {} is booked at {} on day {}: cancel it or propose another time first",
                    m.id, at.start, at.day
                )));
            }
        }
        Ok(prefs)
    }
}

/// `m` as its people see it under `plan` (whose `slots` these are), in the event room `room`:
/// its slot's end, its table's place, or its video link.
pub fn shown(
    plan: &MeetingPlan,
    slots: &[Slot],
    key: &[u8; 32],
    room: &RoomId,
    mut m: Meeting,
) -> Meeting {
    if let Some(at) = &m.slot {
        m.end = slots.iter().find(|s| s.at == *at).map(|s| s.end.clone());
        match m.table {
            Some(n) => {
                m.place = plan
                    .tables
                    .iter()
                    .find(|t| t.number == n)
                    .and_then(|t| t.place.clone());
            }
            None => m.video = video_link(plan, key, room, m.id),
        }
    }
    m
}

/// An online meeting's video link, from the plan's template: `{meeting}` becomes a code of
/// its own, not guessable from its id (an HMAC under the server's key).
pub fn video_link(
    plan: &MeetingPlan,
    key: &[u8; 32],
    room: &RoomId,
    id: MeetingId,
) -> Option<String> {
    let template = plan.video.as_ref()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("meeting-video:{room}:{id}").as_bytes());
    let code: String = mac.finalize().into_bytes()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(template.replace("{meeting}", &code))
}

/// What the scheduler needs, copied out of the records: the accepted meetings (in id order),
/// the instance made of them, and each person's name.
pub struct Prepared {
    pub accepted: Vec<Meeting>,
    pub instance: scheduler::Instance,
    names: Vec<String>,
    /// The plan's table numbers, in order (the scheduler's table `i` is `tables[i]`).
    tables: Vec<u32>,
}

/// The scheduler's instance for `records`' accepted meetings under `plan` (its `slots`): each
/// person free in the slots they keep free of nothing (`busy`), outside their starred sessions
/// (`stars`, when the plan keeps them free), in their half of the day; onsite unless they meet
/// online or the plan has no tables. Locked meetings are pinned where they are; so are booked
/// ones unless `move_booked`.
#[allow(clippy::too_many_arguments)]
pub fn prepare(
    plan: &MeetingPlan,
    slots: &[Slot],
    started: &[bool],
    records: &MeetingsRecords,
    stars: impl Fn(&str) -> BTreeSet<plenum_protocol::SessionId>,
    sessions: &[Session],
    move_booked: bool,
) -> Prepared {
    // Nothing goes into a slot that has begun, and nothing booked in one moves.
    let begun = |at: &SlotAt| {
        slots
            .iter()
            .position(|s| s.at == *at)
            .is_some_and(|i| started.get(i).copied().unwrap_or(false))
    };
    let pinned = |m: &Meeting| m.locked || !move_booked || m.slot.as_ref().is_some_and(begun);
    let accepted: Vec<Meeting> = records
        .meetings
        .values()
        .filter(|m| m.status == MeetingStatus::Accepted)
        .cloned()
        .collect();
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    for m in &accepted {
        for p in [m.from.id.as_str(), m.to.id.as_str()] {
            let n = index.len() as u32;
            index.entry(p.to_owned()).or_insert(n);
        }
    }
    let tables: Vec<u32> = plan.tables.iter().map(|t| t.number).collect();
    let slot_index: HashMap<&SlotAt, u32> = slots
        .iter()
        .enumerate()
        .map(|(i, s)| (&s.at, i as u32))
        .collect();
    let mut people = vec![
        scheduler::Person {
            onsite: false,
            free: Vec::new(),
            half: None,
        };
        index.len()
    ];
    for (p, i) in &index {
        let prefs = records.prefs.get(p).cloned().unwrap_or_default();
        let stars = if plan.keep_starred_free {
            stars(p)
        } else {
            BTreeSet::new()
        };
        let free = slots
            .iter()
            .enumerate()
            .filter(|(i, _)| !started.get(*i).copied().unwrap_or(false))
            .filter(|(_, s)| !prefs.busy.contains(&s.at))
            .filter(|(_, s)| {
                stars.is_empty()
                    || !sessions
                        .iter()
                        .any(|x| stars.contains(&x.id) && s.overlaps(x))
            })
            .map(|(n, _)| n as u32)
            .collect();
        people[*i as usize] = scheduler::Person {
            onsite: !tables.is_empty() && !prefs.online,
            free,
            half: prefs.half.map(|h| match h {
                HalfDay::Morning => scheduler::Half::Morning,
                HalfDay::Afternoon => scheduler::Half::Afternoon,
            }),
        };
    }
    let mut names = vec![String::new(); index.len()];
    for m in &accepted {
        for p in [&m.from, &m.to] {
            if let Some(i) = index.get(p.id.as_str()) {
                names[*i as usize] = p.name.clone().unwrap_or_else(|| p.id.to_string());
            }
        }
    }
    // A pinned meeting's slot is its people's, even should the scheduler drop the pin (a
    // clash; or the pair now onsite where it was booked online with no table left): none of
    // their other meetings goes there.
    for m in &accepted {
        let Some(slot) = m
            .slot
            .as_ref()
            .filter(|_| pinned(m))
            .and_then(|at| slot_index.get(at))
        else {
            continue;
        };
        for p in [m.from.id.as_str(), m.to.id.as_str()] {
            people[index[p] as usize].free.retain(|s| s != slot);
        }
    }
    let meetings = accepted
        .iter()
        .map(|m| {
            let keep = pinned(m);
            let pinned = m
                .slot
                .as_ref()
                .filter(|_| keep)
                .and_then(|at| slot_index.get(at))
                .map(|slot| scheduler::Pin {
                    slot: *slot,
                    table: m
                        .table
                        .and_then(|n| tables.iter().position(|t| *t == n))
                        .map(|i| i as u32),
                });
            scheduler::Meeting {
                a: index[m.from.id.as_str()],
                b: index[m.to.id.as_str()],
                forbidden: Vec::new(),
                pinned,
            }
        })
        .collect();
    let instance = scheduler::Instance {
        slots: slots
            .iter()
            .map(|s| scheduler::Slot {
                block: s.block,
                afternoon: s.afternoon(),
                tables: tables.len() as u32,
            })
            .collect(),
        people,
        meetings,
    };
    Prepared {
        accepted,
        instance,
        names,
        tables,
    }
}

impl Prepared {
    /// The meetings `schedule` leaves unplaced, each with its reason in words.
    pub fn unplaced(&self, schedule: &scheduler::Schedule) -> Vec<Unplaced> {
        schedule
            .unplaced
            .iter()
            .filter_map(|u| {
                let m = self.accepted.get(u.meeting as usize)?;
                let x = self.instance.meetings.get(u.meeting as usize)?;
                let (a, b) = (&self.names[x.a as usize], &self.names[x.b as usize]);
                let (reason, text) = match u.reason {
                    scheduler::Reason::NoCommonSlot | scheduler::Reason::Invalid => (
                        UnplacedReason::NoCommonSlot,
                        format!("{a} and {b} share no free slot"),
                    ),
                    scheduler::Reason::Taken => (
                        UnplacedReason::Taken,
                        format!(
                            "every slot {a} and {b} share is taken by their other meetings or has no table free"
                        ),
                    ),
                    scheduler::Reason::PinClash => (
                        UnplacedReason::LockClash,
                        format!(
                            "{a} and {b} are locked at a time that clashes with another locked meeting"
                        ),
                    ),
                };
                Some(Unplaced {
                    meeting: m.id,
                    reason,
                    text,
                })
            })
            .collect()
    }
}

/// A fingerprint of what a schedule depends on: the plan, and each accepted meeting's people,
/// slot, table and lock, and those people's preferences. "Schedule all" is computed off the
/// sequencer and applied only if none of this changed meanwhile (a request, an answer on the
/// day or another meeting's change do not count).
pub fn fingerprint(records: &MeetingsRecords, plan: &MeetingPlan) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    serde_json::to_string(plan).unwrap_or_default().hash(&mut h);
    let mut people = BTreeSet::new();
    for (id, m) in records
        .meetings
        .iter()
        .filter(|(_, m)| m.status == MeetingStatus::Accepted)
    {
        (
            id,
            m.from.id.as_str(),
            m.to.id.as_str(),
            &m.slot,
            m.table,
            m.locked,
        )
            .hash(&mut h);
        people.insert(m.from.id.as_str());
        people.insert(m.to.id.as_str());
    }
    for person in people {
        person.hash(&mut h);
        records
            .prefs
            .get(person)
            .map(|p| serde_json::to_string(p).unwrap_or_default())
            .hash(&mut h);
    }
    h.finish()
}

/// Where a schedule puts a meeting: its slot and table (`None`: unbooked).
pub type Placement = (MeetingId, Option<(SlotAt, Option<u32>)>);

impl Prepared {
    /// Each accepted meeting where `schedule` puts it (one whose pin it dropped stays as it was),
    /// and what it did: `changed` is left for whoever applies it.
    pub fn outcome(
        &self,
        slots: &[Slot],
        schedule: &scheduler::Schedule,
    ) -> (Vec<Placement>, Summary) {
        let mut placements = Vec::new();
        for (i, m) in self.accepted.iter().enumerate() {
            let at = schedule.slots[i]
                .and_then(|s| slots.get(s as usize))
                .map(|s| s.at.clone());
            let table = schedule.tables[i].and_then(|t| self.tables.get(t as usize).copied());
            if at.is_none() && self.instance.meetings[i].pinned.is_some() {
                continue;
            }
            placements.push((m.id, at.map(|a| (a, table))));
        }
        // A pin the scheduler dropped (its meeting no longer fits: a pair turned onsite where
        // no table is left) stays booked where it is: placed, not listed as unplaced.
        let kept: BTreeSet<MeetingId> = self
            .accepted
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                schedule.slots[*i].is_none() && self.instance.meetings[*i].pinned.is_some()
            })
            .map(|(_, m)| m.id)
            .collect();
        let mut unplaced = self.unplaced(schedule);
        unplaced.retain(|u| !kept.contains(&u.meeting));
        unplaced.truncate(limits::MAX_UNPLACED_LISTED);
        let summary = Summary {
            accepted: self.accepted.len() as u32,
            placed: schedule.stats.placed + kept.len() as u32,
            changed: 0,
            bound: schedule.stats.upper_bound,
            gaps: schedule.stats.gaps,
            unplaced,
        };
        (placements, summary)
    }
}

/// Applies a schedule computed from the records whose [`fingerprint`] was `seen`: refused
/// (`conflict`, [`STALE`]) if they changed since; else each meeting placed anew is booked
/// there (its people told), and the summary counts them.
pub fn apply_schedule(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    seen: u64,
    placements: Vec<Placement>,
    mut summary: Summary,
) -> Result<Summary, Refusal> {
    let records: MeetingsRecords = cx.records().part(Clone::clone);
    if fingerprint(&records, &book.plan) != seen {
        return Err(Refusal::Conflict(STALE.into()));
    }
    for (id, at) in placements {
        let Some(m) = records.meetings.get(&id) else {
            continue;
        };
        let (slot, table) = match &at {
            Some((s, t)) => (Some(s), *t),
            None => (None, None),
        };
        // Only slots and tables of the plan (as the fingerprint already says).
        let known = slot.is_none_or(|s| book.slots.iter().any(|x| x.at == *s))
            && table.is_none_or(|t| book.plan.tables.iter().any(|x| x.number == t));
        if known && (slot != m.slot.as_ref() || table != m.table) {
            let before = m.sequence;
            let mut m = m.clone();
            book.place(&mut m, at);
            book.save_after(cx, m, Some(before));
            summary.changed += 1;
        }
    }
    Ok(summary)
}

/// The refusal of a schedule the meetings changed under.
pub const STALE: &str = "the meetings changed while they were being scheduled: run it again";
