//! "Talk now" at a booth: a visitor asks; every staff member is told (their inboxes hold the
//! booth's queue); the first to accept talks with them, and the others' accepting is refused
//! (`conflict`): the event room's sequencer decides one after another. The visitor sees their
//! place in the queue; one who leaves before anyone accepts (or waits longer than
//! [`WAIT_MS`]) counts as missed.
//!
//! Staff say they are at the booth (`booth_here`), again every 30 seconds while their page is
//! open; a booth is staffed while one of them said so within [`PRESENT_MS`]. Nobody can ask a
//! booth nobody staffs.

use super::{Exhibition, ExhibitionChange, ExhibitionRecords, no_booth};
use crate::interactions::contacts::{Contacts, blocked_by};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{
    BoothId, BoothQueue, MeetingPerson, PersonId, RoomEvent, RoomId, Talk, TalkRequest, TalkStatus,
    limits,
};
use serde::{Deserialize, Serialize};

/// A staff member is at the booth for this long after they last said so.
pub const PRESENT_MS: i64 = 90_000;
/// An unchanged presence is written at most this often.
pub const RENEW_MS: i64 = 20_000;
/// A request nobody accepted within this long counts as missed.
pub const WAIT_MS: i64 = 10 * 60_000;

/// A visitor's newest "talk now" at a booth, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub asked_ms: i64,
    pub status: TalkStatus,
    /// The staff member who accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// When it was accepted, or ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_ms: Option<i64>,
}

/// A booth's counts: talk-now requests, answered, missed; contact requests ever made; visits. Counts
/// only: nobody's identity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkCounts {
    pub requests: u32,
    pub answered: u32,
    pub missed: u32,
    #[serde(default)]
    pub contacts: u32,
    /// Grows with every change of the booth's contacts (staff read the list again).
    #[serde(default)]
    pub contacts_version: u32,
    /// Visits to the booth's page, and the different people who made them.
    #[serde(default)]
    pub visits: u32,
    #[serde(default)]
    pub visitors: u32,
}

fn key(booth: &BoothId, person: &str) -> (String, String) {
    (booth.to_string(), person.to_owned())
}

/// Tells `person`'s inbox `event`.
fn tell(cx: &mut Cx<'_, Exhibition>, person: &str, event: RoomEvent) {
    if let Ok(id) = PersonId::parse(person) {
        cx.emit_to(RoomId::Inbox(cx.room().event_code().clone(), id), event);
    }
}

/// The booth's records as the batch leaves them.
fn booth_records(cx: &Cx<'_, Exhibition>, booth: &BoothId) -> ExhibitionRecords {
    super::booth_view(cx, booth.as_str())
}

/// A staff member, or someone named in a talk, as a person of the protocol.
fn person(r: &ExhibitionRecords, booth: &str, id: &str) -> Option<MeetingPerson> {
    let id_ = PersonId::parse(id).ok()?;
    if let Some(m) = r.staff.get(&(booth.to_owned(), id.to_owned())) {
        return Some(MeetingPerson {
            id: id_,
            name: Some(m.name.clone()),
            organisation: m.organisation.clone(),
        });
    }
    let t = r.talks.get(&(booth.to_owned(), id.to_owned()))?;
    Some(MeetingPerson {
        id: id_,
        name: t.name.clone(),
        organisation: t.organisation.clone(),
    })
}

/// Whether `t` waits at `now`: asked, not answered, and not longer ago than [`WAIT_MS`] (an
/// older one is missed, whether or not that is recorded yet).
fn waits(t: &TalkRecord, now: i64) -> bool {
    t.status == TalkStatus::Waiting && now - t.asked_ms <= WAIT_MS
}

/// The waiting visitors of a booth, first come first.
fn waiting(r: &ExhibitionRecords, now: i64) -> Vec<(&str, &TalkRecord)> {
    let mut w: Vec<(&str, &TalkRecord)> = r
        .talks
        .iter()
        .filter(|(_, t)| waits(t, now))
        .map(|((_, v), t)| (v.as_str(), t))
        .collect();
    w.sort_by(|a, b| (a.1.asked_ms, a.0).cmp(&(b.1.asked_ms, b.0)));
    w
}

/// The queue as one of the booth's staff sees it: without the visitors in `hidden` (either
/// of whom and they blocks the other).
pub fn queue(r: &ExhibitionRecords, booth: &BoothId, now: i64, hidden: &[String]) -> BoothQueue {
    let b = booth.as_str();
    let shown = |v: &str| !hidden.iter().any(|h| h == v);
    let request = |visitor: &str, t: &TalkRecord| {
        Some(TalkRequest {
            visitor: person(r, b, visitor)?,
            asked_ms: t.asked_ms,
            staff: t.staff.as_deref().and_then(|s| person(r, b, s)),
        })
    };
    let counts = r.counts.get(b).copied().unwrap_or_default();
    let (asked, agreed) = super::leads::counts(r, b);
    BoothQueue {
        booth: booth.clone(),
        waiting: waiting(r, now)
            .into_iter()
            .filter(|(v, _)| shown(v))
            .filter_map(|(v, t)| request(v, t))
            .collect(),
        talking: r
            .talks
            .iter()
            .filter(|((_, v), t)| t.status == TalkStatus::Accepted && shown(v))
            .filter_map(|((_, v), t)| request(v, t))
            .collect(),
        answered: counts.answered,
        missed: counts.missed,
        requests: counts.requests,
        visits: counts.visits,
        visitors: counts.visitors,
        contacts_asked: asked,
        contacts_agreed: agreed,
        contacts_requested: counts.contacts,
        contacts_version: counts.contacts_version,
        gone: false,
    }
}

/// A visitor's talk as they see it.
pub fn talk_of(r: &ExhibitionRecords, booth: &BoothId, visitor: &str, now: i64) -> Option<Talk> {
    let t = r.talks.get(&key(booth, visitor))?;
    let about = &r.booths.get(booth.as_str())?.about;
    let status = match t.status {
        TalkStatus::Waiting if !waits(t, now) => TalkStatus::Missed,
        s => s,
    };
    let place = (status == TalkStatus::Waiting)
        .then(|| waiting(r, now).iter().position(|(v, _)| *v == visitor))
        .flatten()
        .map(|i| i as u32 + 1);
    let accepted = status == TalkStatus::Accepted;
    Some(Talk {
        booth: booth.clone(),
        organisation: about.organisation.clone(),
        status,
        place,
        with: t
            .staff
            .as_deref()
            .filter(|_| accepted)
            .and_then(|s| person(r, booth.as_str(), s)),
        call: about.call.clone().filter(|_| accepted),
        asked_ms: t.asked_ms,
    })
}

/// Every booth's talk of `person`, as they see it (their own data).
pub fn talks_of(r: &ExhibitionRecords, person: &str, now: i64) -> Vec<Talk> {
    r.talks
        .keys()
        .filter(|(_, v)| v == person)
        .filter_map(|(b, v)| talk_of(r, &BoothId::parse(b).ok()?, v, now))
        .collect()
}

/// Tells every staff member the queue (each without the visitors they may not see), and
/// `visitors` (and every waiting visitor, whose place may have changed) their talk.
fn tell_all(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, visitors: &[&str]) {
    let now = cx.now_ms();
    tell_staff(cx, booth);
    let r = booth_records(cx, booth);
    let mut told: Vec<&str> = Vec::new();
    for v in visitors {
        if !told.contains(v) {
            told.push(v);
        }
    }
    for (v, _) in waiting(&r, now) {
        if !told.contains(&v) {
            told.push(v);
        }
    }
    for v in told {
        if let Some(talk) = talk_of(&r, booth, v, now) {
            tell(cx, v, RoomEvent::TalkChanged { talk });
        }
    }
}

/// Tells every staff member of `booth` its queue, each without the visitors they may not see.
pub(super) fn tell_staff(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) {
    let now = cx.now_ms();
    let r = booth_records(cx, booth);
    let staff: Vec<String> = r
        .staff_of(booth.as_str())
        .map(|(p, _)| p.to_owned())
        .collect();
    let room = cx.room().clone();
    // Only those waiting or talking are shown: only they are checked.
    let shown: Vec<String> = r
        .talks
        .iter()
        .filter(|(_, t)| waits(t, now) || t.status == TalkStatus::Accepted)
        .map(|((_, v), _)| v.clone())
        .collect();
    for s in staff {
        let hidden: Vec<String> = cx
            .other_of::<Contacts, _>(&room, |view| {
                shown
                    .iter()
                    .filter(|v| blocked_by(&view, v, &s) || blocked_by(&view, &s, v))
                    .cloned()
                    .collect()
            })
            // Blocks unreadable: nobody is shown rather than someone blocked.
            .unwrap_or_else(|_| shown.clone());
        let queue = queue(&r, booth, now, &hidden);
        tell(cx, &s, RoomEvent::BoothQueueChanged { queue });
    }
}

/// Tells the booth's staff its queue: one who just joined gets it this way.
pub fn tell_queue(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) {
    tell_all(cx, booth, &[]);
}

/// Tells `person` they are no longer on `booth`'s staff (their queue leaves their inbox).
pub fn gone(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, person: &str) {
    let queue = BoothQueue {
        booth: booth.clone(),
        waiting: Vec::new(),
        talking: Vec::new(),
        answered: 0,
        missed: 0,
        requests: 0,
        visits: 0,
        visitors: 0,
        contacts_asked: 0,
        contacts_agreed: 0,
        contacts_requested: 0,
        contacts_version: 0,
        gone: true,
    };
    tell(cx, person, RoomEvent::BoothQueueChanged { queue });
}

pub(super) fn count(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    change: impl FnOnce(&mut TalkCounts),
) {
    let mut c = booth_records(cx, booth)
        .counts
        .get(booth.as_str())
        .copied()
        .unwrap_or_default();
    change(&mut c);
    cx.change(ExhibitionChange::Counts(booth.to_string(), c));
}

/// Records as missed the requests nobody accepted within [`WAIT_MS`]: the visitors who waited.
fn expire(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) -> Vec<String> {
    let now = cx.now_ms();
    let r = booth_records(cx, booth);
    let old: Vec<(String, TalkRecord)> = r
        .talks
        .iter()
        .filter(|(_, t)| t.status == TalkStatus::Waiting && !waits(t, now))
        .map(|((_, v), t)| (v.clone(), t.clone()))
        .collect();
    for (v, t) in &old {
        let missed = TalkRecord {
            status: TalkStatus::Missed,
            at_ms: Some(now),
            ..t.clone()
        };
        cx.change(ExhibitionChange::Talk(booth.to_string(), v.clone(), missed));
        count(cx, booth, |c| c.missed += 1);
    }
    old.into_iter().map(|(v, _)| v).collect()
}

/// `person` (a staff member) says they are at the booth, or no longer. Returns whether the
/// booth's being staffed changed (the hall shows it).
pub fn here(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    here: bool,
) -> Result<bool, Refusal> {
    let r = booth_records(cx, booth);
    if !r.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if !r.staffs(booth.as_str(), person) {
        return Err(Refusal::Forbidden(format!(
            "only {booth}'s staff say they are at it"
        )));
    }
    let now = cx.now_ms();
    let before = r.staffed(booth.as_str(), now);
    let seen = r.here.get(&key(booth, person)).copied();
    match (here, seen) {
        (true, Some(at)) if now - at < RENEW_MS => return Ok(false),
        (true, _) => cx.change(ExhibitionChange::Here(
            booth.to_string(),
            person.to_owned(),
            now,
        )),
        (false, None) => return Ok(false),
        (false, Some(_)) => cx.change(ExhibitionChange::NotHere(
            booth.to_string(),
            person.to_owned(),
        )),
    }
    Ok(booth_records(cx, booth).staffed(booth.as_str(), now) != before)
}

/// `person` asks `booth` to talk now.
pub fn ask(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    name: Option<String>,
    organisation: Option<String>,
) -> Result<(), Refusal> {
    let Some(name) = name else {
        return Err(Refusal::Forbidden(
            "join with your name to talk to a booth's staff".into(),
        ));
    };
    let organisation = match organisation {
        Some(o) => Some(o),
        None => {
            crate::interactions::people::someone(cx, person)?.and_then(|s| s.profile.organisation)
        }
    };
    let r = booth_records(cx, booth);
    if !r.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if r.staffs(booth.as_str(), person) {
        return Err(Refusal::Conflict(format!("you are on {booth}'s staff")));
    }
    let now = cx.now_ms();
    if let Some(t) = r.talks.get(&key(booth, person))
        && (waits(t, now) || t.status == TalkStatus::Accepted)
    {
        // Asked already: nothing changes.
        return Ok(());
    }
    if !r.staffed(booth.as_str(), now) {
        return Err(Refusal::Conflict(
            "nobody is at this booth now: ask for a meeting with its staff instead".into(),
        ));
    }
    // One queue at a time: a visitor waiting elsewhere leaves that queue first.
    let elsewhere = cx.records().part(|all| ExhibitionRecords {
        talks: all
            .talks
            .iter()
            .filter(|((b, v), _)| v == person && b != booth.as_str())
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect(),
        ..ExhibitionRecords::default()
    });
    if let Some(((b, _), _)) = elsewhere
        .talks
        .iter()
        .find(|((b, v), t)| v == person && b != booth.as_str() && waits(t, now))
    {
        return Err(Refusal::Conflict(format!(
            "you are waiting at {b} already: leave that queue first"
        )));
    }
    let mut told = expire(cx, booth);
    if waiting(&booth_records(cx, booth), now).len() >= limits::MAX_TALK_QUEUE {
        return Err(Refusal::TooLarge(format!(
            "{booth}'s queue is full ({} waiting): try again in a moment",
            limits::MAX_TALK_QUEUE
        )));
    }
    cx.change(ExhibitionChange::Talk(
        booth.to_string(),
        person.to_owned(),
        TalkRecord {
            name: Some(name),
            organisation,
            asked_ms: now,
            status: TalkStatus::Waiting,
            staff: None,
            at_ms: None,
        },
    ));
    count(cx, booth, |c| c.requests += 1);
    told.push(person.to_owned());
    let told: Vec<&str> = told.iter().map(String::as_str).collect();
    tell_all(cx, booth, &told);
    Ok(())
}

/// `person` (a staff member) accepts `visitor`'s request: the first wins. One talk at a time
/// for each staff member.
pub fn answer(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    visitor: &str,
    person: &str,
) -> Result<(), Refusal> {
    let r = booth_records(cx, booth);
    if !r.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if !r.staffs(booth.as_str(), person) {
        return Err(Refusal::Forbidden(format!(
            "only {booth}'s staff answer its requests"
        )));
    }
    let now = cx.now_ms();
    let Some(t) = r.talks.get(&key(booth, visitor)).cloned() else {
        return Err(Refusal::NotFound(format!(
            "{visitor} did not ask {booth} to talk"
        )));
    };
    if !waits(&t, now) {
        let why = match (&t.status, t.staff.as_deref()) {
            (TalkStatus::Accepted, Some(s)) if s == person => "you accepted it already".into(),
            (TalkStatus::Accepted, Some(s)) => format!(
                "{} accepted it first",
                person_name(&r, booth, s).unwrap_or_else(|| "someone else".into())
            ),
            _ => "they are no longer waiting".into(),
        };
        return Err(Refusal::Conflict(why));
    }
    if let Some(((_, other), _)) = r
        .talks
        .iter()
        .find(|(_, t)| t.status == TalkStatus::Accepted && t.staff.as_deref() == Some(person))
    {
        return Err(Refusal::Conflict(format!(
            "end your talk with {} first",
            person_name(&r, booth, other).unwrap_or_else(|| other.clone())
        )));
    }
    let room = cx.room().clone();
    let blocked = cx.other_of::<Contacts, _>(&room, |view| {
        blocked_by(&view, visitor, person) || blocked_by(&view, person, visitor)
    })?;
    if blocked {
        return Err(Refusal::Forbidden(
            "one of you blocks the other: someone else of the staff may answer".into(),
        ));
    }
    let mut told = expire(cx, booth);
    cx.change(ExhibitionChange::Talk(
        booth.to_string(),
        visitor.to_owned(),
        TalkRecord {
            status: TalkStatus::Accepted,
            staff: Some(person.to_owned()),
            at_ms: Some(now),
            ..t
        },
    ));
    count(cx, booth, |c| c.answered += 1);
    told.push(visitor.to_owned());
    let told: Vec<&str> = told.iter().map(String::as_str).collect();
    tell_all(cx, booth, &told);
    Ok(())
}

fn person_name(r: &ExhibitionRecords, booth: &BoothId, id: &str) -> Option<String> {
    person(r, booth.as_str(), id).and_then(|p| p.name)
}

/// Ends `visitor`'s talk at `booth`: the visitor themself (leaving the queue counts as
/// missed), or one of the staff once it was accepted.
pub fn end(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    visitor: &str,
    person: &str,
) -> Result<(), Refusal> {
    let r = booth_records(cx, booth);
    if !r.booths.contains_key(booth.as_str()) {
        return Err(no_booth(booth));
    }
    if person != visitor && !r.staffs(booth.as_str(), person) {
        return Err(Refusal::Forbidden(
            "only the visitor and the booth's staff end a talk".into(),
        ));
    }
    let Some(t) = r.talks.get(&key(booth, visitor)).cloned() else {
        return Err(Refusal::NotFound(format!(
            "{visitor} did not ask {booth} to talk"
        )));
    };
    if t.status == TalkStatus::Waiting && person != visitor && waits(&t, cx.now_ms()) {
        return Err(Refusal::Conflict(
            "accept the request to talk, or let them wait".into(),
        ));
    }
    let mut told = expire(cx, booth);
    let t = booth_records(cx, booth)
        .talks
        .get(&key(booth, visitor))
        .cloned()
        .unwrap_or(t);
    let status = match t.status {
        TalkStatus::Waiting => TalkStatus::Missed,
        TalkStatus::Accepted => TalkStatus::Ended,
        // Ended already: nothing else changes.
        TalkStatus::Ended | TalkStatus::Missed => {
            if !told.is_empty() {
                let told: Vec<&str> = told.iter().map(String::as_str).collect();
                tell_all(cx, booth, &told);
            }
            return Ok(());
        }
    };
    cx.change(ExhibitionChange::Talk(
        booth.to_string(),
        visitor.to_owned(),
        TalkRecord {
            status,
            at_ms: Some(cx.now_ms()),
            ..t
        },
    ));
    if status == TalkStatus::Missed {
        count(cx, booth, |c| c.missed += 1);
    }
    told.push(visitor.to_owned());
    let told: Vec<&str> = told.iter().map(String::as_str).collect();
    tell_all(cx, booth, &told);
    Ok(())
}

/// `person` left `booth`'s staff (already changed): the talks they accepted end, and the
/// others are told.
pub fn staff_left(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, person: &str) {
    let now = cx.now_ms();
    let r = booth_records(cx, booth);
    let theirs: Vec<(String, TalkRecord)> = r
        .talks
        .iter()
        .filter(|(_, t)| t.status == TalkStatus::Accepted && t.staff.as_deref() == Some(person))
        .map(|((_, v), t)| (v.clone(), t.clone()))
        .collect();
    for (v, t) in &theirs {
        let ended = TalkRecord {
            status: TalkStatus::Ended,
            at_ms: Some(now),
            ..t.clone()
        };
        cx.change(ExhibitionChange::Talk(booth.to_string(), v.clone(), ended));
    }
    let told: Vec<&str> = theirs.iter().map(|(v, _)| v.as_str()).collect();
    tell_all(cx, booth, &told);
}

/// The booth is about to be removed: its visitors waiting or talking are told it ended.
pub fn booth_removed(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) {
    let now = cx.now_ms();
    let r = booth_records(cx, booth);
    let Some(record) = r.booths.get(booth.as_str()) else {
        return;
    };
    for ((_, v), t) in &r.talks {
        if waits(t, now) || t.status == TalkStatus::Accepted {
            let talk = Talk {
                booth: booth.clone(),
                organisation: record.about.organisation.clone(),
                status: TalkStatus::Ended,
                place: None,
                with: None,
                call: None,
                asked_ms: t.asked_ms,
            };
            tell(cx, v, RoomEvent::TalkChanged { talk });
        }
    }
}

/// Deletes every talk of `person` ("delete my data"), and their id from the talks they
/// accepted as staff (those still going end): their inbox and the queues are told.
pub fn forget(cx: &mut Cx<'_, Exhibition>, person: &str) {
    let now = cx.now_ms();
    let theirs = cx.records().part(|r| ExhibitionRecords {
        talks: r
            .talks
            .iter()
            .filter(|((_, v), t)| v == person || t.staff.as_deref() == Some(person))
            .map(|(k, t)| (k.clone(), t.clone()))
            .collect(),
        booths: r.booths.clone(),
        ..ExhibitionRecords::default()
    });
    // Each booth changed, with the visitors whose talk there ended.
    let mut booths: Vec<(String, Vec<String>)> = Vec::new();
    for ((b, v), t) in &theirs.talks {
        let Ok(booth) = BoothId::parse(b) else {
            continue;
        };
        if v == person {
            // Their inbox no longer shows them waiting or talking.
            if let Some(record) = theirs.booths.get(b) {
                let status = match t.status {
                    TalkStatus::Accepted => TalkStatus::Ended,
                    TalkStatus::Waiting => TalkStatus::Missed,
                    s => s,
                };
                let talk = Talk {
                    booth: booth.clone(),
                    organisation: record.about.organisation.clone(),
                    status,
                    place: None,
                    with: None,
                    call: None,
                    asked_ms: t.asked_ms,
                };
                tell(cx, person, RoomEvent::TalkChanged { talk });
            }
            cx.change(ExhibitionChange::NoTalk(b.clone(), person.to_owned()));
        } else if t.staff.as_deref() == Some(person) {
            match booths.iter_mut().find(|(x, _)| x == b) {
                Some((_, told)) => told.push(v.clone()),
                None => booths.push((b.clone(), vec![v.clone()])),
            }
            let status = if t.status == TalkStatus::Accepted {
                TalkStatus::Ended
            } else {
                t.status
            };
            cx.change(ExhibitionChange::Talk(
                b.clone(),
                v.clone(),
                TalkRecord {
                    status,
                    staff: None,
                    at_ms: Some(now),
                    ..t.clone()
                },
            ));
        }
        if !booths.iter().any(|(x, _)| x == b) {
            booths.push((b.clone(), Vec::new()));
        }
    }
    for (b, told) in booths {
        if let Ok(booth) = BoothId::parse(&b) {
            let told: Vec<&str> = told.iter().map(String::as_str).collect();
            tell_all(cx, &booth, &told);
        }
    }
}
