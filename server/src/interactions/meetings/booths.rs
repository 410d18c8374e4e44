//! Meetings with a booth's team. The booth takes part as **one participant**, under the id
//! `booth_{booth}` ([`booth_side`]), always as the one asked (`to`, with the meeting's `booth`
//! set): one meeting a slot, its own preferences (set by its staff), counted like a person
//! against every bound. Its staff share its schedule:
//! - any of them answers, moves, cancels and keeps a meeting for the booth ([`acting`]);
//! - every change reaches each of them in their inbox ([`inboxes`]), and the visitor's;
//! - someone who leaves the staff loses the booth's meetings from their inbox (the inbox's
//!   fold of `booth_queue_changed` with `gone`);
//! - a block between the visitor and any of its staff keeps the two apart here as anywhere.
//!
//! The booth's staff are read from the exhibition's records in the same room, the event room,
//! as the batch leaves them: who is on the staff is decided in the same sequence as the
//! meetings. A booth removed (or made again under its id) has its open meetings cancelled by
//! the transport at once ([`forget`]), and by the minute's sweep should that have failed
//! ([`orphans`]).

use super::{Actor, Meetings, MeetingsChange, MeetingsRecords, kept, rules::Book};
use crate::interactions::contacts::{Contacts, blocked_by};
use crate::interactions::exhibition::{Exhibition, ExhibitionRecords};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{BoothId, Meeting, MeetingId, MeetingStatus, PersonId, booth_side};

/// What the meetings need of a booth: its organisation's name, when it was made and its staff
/// (person ids).
struct Booth {
    organisation: String,
    made_ms: i64,
    staff: Vec<String>,
}

/// `booth` as the batch leaves it, if it exists (its record and staff only: a point read).
fn booth(cx: &Cx<'_, Meetings>, booth: &BoothId) -> Option<Booth> {
    let room = cx.room().clone();
    let b = booth.as_str();
    cx.other_of::<Exhibition, _>(&room, |view| {
        let only = |r: &ExhibitionRecords| ExhibitionRecords {
            booths: r
                .booths
                .get_key_value(b)
                .map(|(k, v)| (k.clone(), v.clone()))
                .into_iter()
                .collect(),
            staff: r
                .staff_of(b)
                .map(|(p, m)| ((b.to_owned(), p.to_owned()), m.clone()))
                .collect(),
            ..ExhibitionRecords::default()
        };
        // The batch's changes may concern other booths: what concerns this one, again.
        let part = only(&view.part(only));
        let record = part.booths.get(b)?;
        Some(Booth {
            organisation: record.about.organisation.clone(),
            made_ms: record.made_ms,
            staff: part.staff_of(b).map(|(p, _)| p.to_owned()).collect(),
        })
    })
    .ok()
    .flatten()
}

/// The name a participant goes by in a refusal: a booth's organisation, else none.
pub(super) fn name(cx: &Cx<'_, Meetings>, side: &str) -> Option<String> {
    let b = side
        .strip_prefix(plenum_protocol::BOOTH_SIDE_PREFIX)
        .and_then(|b| BoothId::parse(b).ok())?;
    booth(cx, &b).map(|b| b.organisation)
}

/// The inboxes that hear of a change to `m`: its two people's; for a booth's, its staff's in
/// place of the booth's.
pub(super) fn inboxes(cx: &Cx<'_, Meetings>, m: &Meeting) -> Vec<PersonId> {
    let mut out = vec![m.from.id.clone()];
    match &m.booth {
        None => out.push(m.to.id.clone()),
        Some(b) => out.extend(
            booth(cx, b)
                .map(|b| b.staff)
                .unwrap_or_default()
                .iter()
                .filter_map(|p| PersonId::parse(p).ok()),
        ),
    }
    out
}

/// `actor` as they act on meeting `id`: for one of the booth's staff (not the visitor), the
/// booth, with who they are in `staff`; anyone else as they are (refused further on as not one
/// of the two).
pub(super) fn acting(cx: &Cx<'_, Meetings>, actor: Actor, id: MeetingId) -> Actor {
    let Ok(m) = kept(cx, id) else {
        return actor;
    };
    let Some(b) = m.booth.as_ref().filter(|_| m.from.id.as_str() != actor.id) else {
        return actor;
    };
    match booth(cx, b) {
        Some(booth) if booth.staff.contains(&actor.id) => Actor {
            id: booth_side(b).as_str().to_owned(),
            name: Some(booth.organisation),
            organiser: actor.organiser,
            staff: Some(actor.id),
        },
        _ => actor,
    }
}

/// Whether a block keeps `m`'s two sides apart, one way: `blocker`'s side blocking `blocked`'s
/// (for a booth: any of its staff; the staff member acting for it, in person).
pub(super) fn blocks(
    cx: &Cx<'_, Meetings>,
    m: &Meeting,
    blocker: &Actor,
    blocked: &Actor,
) -> Result<bool, Refusal> {
    let people = |a: &Actor| -> Vec<String> {
        match (&m.booth, &a.staff) {
            (_, Some(person)) => vec![person.clone()],
            (Some(b), None) if a.id == booth_side(b).as_str() => {
                booth(cx, b).map(|b| b.staff).unwrap_or_default()
            }
            _ => vec![a.id.clone()],
        }
    };
    let (blockers, blocked) = (people(blocker), people(blocked));
    let room = cx.room().clone();
    cx.other_of::<Contacts, _>(&room, |view| {
        blockers
            .iter()
            .any(|x| blocked.iter().any(|y| blocked_by(&view, x, y)))
    })
}

/// The booth's side of a new request from `actor`: its id, its organisation's name; or why
/// not (no such booth, `actor` on its staff, nobody on its staff, a block either way).
pub(super) fn asked(
    cx: &Cx<'_, Meetings>,
    actor: &Actor,
    b: &BoothId,
) -> Result<(PersonId, String), Refusal> {
    let booth =
        booth(cx, b).ok_or_else(|| Refusal::NotFound(format!("no booth {b} at this event")))?;
    if booth.staff.contains(&actor.id) {
        return Err(Refusal::invalid(
            "booth",
            "you are on this booth's staff: meet its visitors, not yourself",
        ));
    }
    if booth.staff.is_empty() {
        return Err(Refusal::Conflict(format!(
            "{} has nobody on its staff yet to meet you",
            booth.organisation
        )));
    }
    let room = cx.room().clone();
    let (they_block, i_block) = cx.other_of::<Contacts, _>(&room, |view| {
        (
            booth.staff.iter().any(|s| blocked_by(&view, s, &actor.id)),
            booth.staff.iter().any(|s| blocked_by(&view, &actor.id, s)),
        )
    })?;
    if they_block {
        return Err(Refusal::Forbidden(format!(
            "{} takes no meeting requests from you",
            booth.organisation
        )));
    }
    if i_block {
        return Err(Refusal::Conflict(
            "you block someone on this booth's staff: unblock them first".into(),
        ));
    }
    Ok((booth_side(b), booth.organisation))
}

/// Whether `person`'s meeting with booth `b` waits for an answer (a request, or another time
/// proposed; in `view`, the event room's meetings as another interaction reads them): then they
/// do not join its staff, and so never answer their own question for the booth.
pub fn asks(view: &crate::interactions::View<'_, Meetings>, person: &str, b: &BoothId) -> bool {
    view.part(|r| r.of(&[person], None)).mine(person).any(|m| {
        m.booth.as_ref() == Some(b)
            && m.from.id.as_str() == person
            && (m.status == MeetingStatus::Requested
                || (m.status == MeetingStatus::Accepted && m.proposed.is_some()))
    })
}

/// Whether `person` may set `b`'s preferences: one of its staff (`not_found` without the
/// booth, `forbidden` for anyone else, organisers too: the staff know when they are there).
pub(super) fn staffed_by(cx: &Cx<'_, Meetings>, b: &BoothId, person: &str) -> Result<(), Refusal> {
    let booth =
        booth(cx, b).ok_or_else(|| Refusal::NotFound(format!("no booth {b} at this event")))?;
    if booth.staff.iter().any(|p| p == person) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(format!(
            "only {b}'s staff set when it meets"
        )))
    }
}

/// Cancels `m` (open) for a booth that is gone, and tells whoever is left to hear.
fn cancel(cx: &mut Cx<'_, Meetings>, book: Option<&Book>, mut m: Meeting) {
    let before = m.sequence;
    m.status = MeetingStatus::Cancelled;
    m.proposed = None;
    m.proposed_by = None;
    m.expires_ms = None;
    match book {
        Some(book) => book.save_after(cx, m, Some(before)),
        // Requests outlive a plan taken away: cancelled all the same, nothing to show.
        None => {
            m.sequence = before + 1;
            cx.change(MeetingsChange::Meeting(m.clone()));
            let code = cx.room().event_code().clone();
            for p in inboxes(cx, &m) {
                cx.emit_to(
                    plenum_protocol::RoomId::Inbox(code.clone(), p),
                    plenum_protocol::RoomEvent::MeetingChanged { meeting: m.clone() },
                );
            }
        }
    }
}

/// A booth removed, or made again under its id: its open meetings asked before it was made as
/// it is now (all of them, for a booth that is gone: decided here, so a booth made again
/// meanwhile keeps its own) are cancelled, their visitors told, and its preferences go.
pub(super) fn forget(cx: &mut Cx<'_, Meetings>, book: Option<&Book>, b: &BoothId) {
    let before_ms = booth(cx, b).map_or(i64::MAX, |x| x.made_ms);
    let side = booth_side(b);
    let records = cx.records().part(|r| r.of(&[side.as_str()], None));
    let mut open: Vec<_> = records
        .mine(side.as_str())
        .filter(|m| m.status.open() && m.requested_ms < before_ms)
        .cloned()
        .collect();
    open.sort_by_key(|m| m.id);
    for m in open {
        cancel(cx, book, m);
    }
    if records.prefs.contains_key(side.as_str()) {
        cx.change(MeetingsChange::NoPrefs(side.as_str().to_owned()));
    }
}

/// The minute's sweep: open meetings of a booth that is gone, or was made again since they
/// were asked (should the transport's [`forget`] have failed), are cancelled, and the
/// preferences of a booth that is gone deleted.
pub(super) fn orphans(cx: &mut Cx<'_, Meetings>, book: &Book) {
    // The booths' own meetings (by their participants' ids), not every meeting.
    let records = cx.records();
    let open: Vec<(MeetingId, BoothId, i64)> = records
        .committed
        .by_person
        .iter()
        .filter(|(side, _)| side.starts_with(plenum_protocol::BOOTH_SIDE_PREFIX))
        .flat_map(|(_, ids)| ids.iter())
        .filter_map(|id| records.committed.meetings.get(id))
        .filter(|m| m.status.open())
        .filter_map(|m| Some((m.id, m.booth.clone()?, m.requested_ms)))
        .collect();
    let prefs: Vec<String> = records
        .committed
        .prefs
        .keys()
        .filter(|side| side.starts_with(plenum_protocol::BOOTH_SIDE_PREFIX))
        .cloned()
        .collect();
    // One read of each booth, however many of its meetings are open.
    let mut made: std::collections::HashMap<BoothId, Option<i64>> = Default::default();
    for (id, b, requested_ms) in open {
        let made_ms = match made.get(&b) {
            Some(x) => *x,
            None => {
                let x = booth(cx, &b).map(|x| x.made_ms);
                made.insert(b, x);
                x
            }
        };
        if made_ms.is_some_and(|x| requested_ms >= x) {
            continue;
        }
        // As the batch leaves it (the sweep may have expired it already).
        if let Some(m) = kept(cx, id).ok().filter(|x| x.status.open()) {
            cancel(cx, Some(book), m);
        }
    }
    for side in prefs {
        let gone = side
            .strip_prefix(plenum_protocol::BOOTH_SIDE_PREFIX)
            .and_then(|b| BoothId::parse(b).ok())
            .is_none_or(|b| booth(cx, &b).is_none());
        if gone {
            cx.change(MeetingsChange::NoPrefs(side));
        }
    }
}

/// The meetings of `b` asked since `since_ms` (a booth made again under an old id has none of
/// the old one's), newest first: every open one and the newest `closed` closed; with its
/// preferences. For its staff's screen.
pub fn of_booth(
    records: &MeetingsRecords,
    b: &BoothId,
    since_ms: i64,
    closed: usize,
) -> (Vec<Meeting>, plenum_protocol::MeetingPreferences) {
    let side = booth_side(b);
    let mut out = Vec::new();
    let mut left = closed;
    for id in records
        .by_person
        .get(side.as_str())
        .into_iter()
        .flatten()
        .rev()
    {
        let Some(m) = records.meetings.get(id) else {
            continue;
        };
        if m.requested_ms < since_ms || m.booth.as_ref() != Some(b) {
            continue;
        }
        if m.status.open() {
            out.push(m.clone());
        } else if left > 0 {
            left -= 1;
            out.push(m.clone());
        }
    }
    (
        out,
        records
            .prefs
            .get(side.as_str())
            .cloned()
            .unwrap_or_default(),
    )
}
