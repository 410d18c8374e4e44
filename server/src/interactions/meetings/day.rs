//! The day itself: "I'm here", a no-show, "did it take place?", and the reminders the minute's
//! sweep sends.

use super::rules::Book;
use super::{
    Actor, HELD_FOR_MS, HERE_BEFORE_MS, Meetings, MeetingsChange, NO_SHOW_AFTER_MS,
    REMIND_BEFORE_MS, booked, plan,
};
use crate::interactions::{Cx, Refusal};
use plenum_protocol::{MeetingId, MeetingStatus, PersonId, RoomEvent, RoomId};

/// "I'm here", from 15 minutes before the slot to its end.
pub(super) fn here(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    actor: &Actor,
    meeting: MeetingId,
) -> Result<(), Refusal> {
    let mut m = booked(cx, actor, meeting)?;
    let (start, end) = book.instants(cx, &m)?;
    let now = cx.now_ms();
    if now < start - HERE_BEFORE_MS || now > end {
        return Err(Refusal::Conflict(
            "\"I'm here\" opens 15 minutes before the meeting and closes at its end".into(),
        ));
    }
    let me = PersonId::parse(&actor.id).map_err(|e| Refusal::invalid("person", e.0))?;
    if !m.here.contains(&me) {
        m.here.push(me.clone());
        m.here.sort();
        // Here after all: not a no-show.
        if m.no_show.as_ref() == Some(&me) {
            m.no_show = None;
        }
        book.save(cx, m);
    }
    Ok(())
}

/// The other one did not come: 5 minutes in, once `actor` said they are here.
pub(super) fn no_show(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    actor: &Actor,
    meeting: MeetingId,
) -> Result<(), Refusal> {
    let mut m = booked(cx, actor, meeting)?;
    let (start, end) = book.instants(cx, &m)?;
    let now = cx.now_ms();
    if now < start + NO_SHOW_AFTER_MS || now > end {
        return Err(Refusal::Conflict(
            "a no-show is marked from 5 minutes into the meeting to its end".into(),
        ));
    }
    let other = if m.from.id.as_str() == actor.id {
        m.to.id.clone()
    } else {
        m.from.id.clone()
    };
    if !m.here.iter().any(|p| p.as_str() == actor.id) {
        return Err(Refusal::Conflict("say you are here first".into()));
    }
    if m.here.contains(&other) {
        return Err(Refusal::Conflict("they said they are here".into()));
    }
    if m.no_show.as_ref() != Some(&other) {
        m.no_show = Some(other);
        book.save(cx, m);
    }
    Ok(())
}

/// Whether it took place: from the slot's start, for 7 days.
pub(super) fn held(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    actor: &Actor,
    meeting: MeetingId,
    held: bool,
) -> Result<(), Refusal> {
    let mut m = booked(cx, actor, meeting)?;
    let (start, _) = book.instants(cx, &m)?;
    let now = cx.now_ms();
    if now < start || now > start + HELD_FOR_MS {
        return Err(Refusal::Conflict(
            "\"did it take place?\" is answered from the meeting's start, for 7 days".into(),
        ));
    }
    let me = PersonId::parse(&actor.id).map_err(|e| Refusal::invalid("person", e.0))?;
    let answer = plenum_protocol::HeldAnswer { person: me, held };
    if !m.held.contains(&answer) {
        m.held.retain(|a| a.person != answer.person);
        m.held.push(answer);
        m.held.sort_by(|a, b| a.person.cmp(&b.person));
        book.save(cx, m);
    }
    Ok(())
}

/// Reminds both people of each booked meeting starting within [`REMIND_BEFORE_MS`] of `now`
/// (once per version of the meeting: moved, it is reminded of again).
pub(super) fn remind(cx: &mut Cx<'_, Meetings>, book: &Book, now: i64) -> Result<(), Refusal> {
    let view = cx.records();
    let booked: Vec<MeetingId> = view.committed.at_slot.values().flatten().copied().collect();
    if booked.is_empty() {
        return Ok(());
    }
    let doc = cx.event_doc()?;
    let mut due = Vec::new();
    for id in booked {
        let part = cx.records().part(|r| {
            let mut out = r.one(id);
            if let Some(seq) = r.reminded.get(&id) {
                out.reminded.insert(id, *seq);
            }
            out
        });
        let Some(m) = part.meetings.get(&id) else {
            continue;
        };
        let Some(slot) = m
            .slot
            .as_ref()
            .filter(|_| m.status == MeetingStatus::Accepted)
            .and_then(|at| book.slots.iter().find(|s| s.at == *at))
        else {
            continue;
        };
        let Some(starts) = plan::instant(&doc, slot.at.day, &slot.at.start) else {
            continue;
        };
        let starts_ms = starts.timestamp_millis();
        let soon = now < starts_ms && starts_ms - now <= REMIND_BEFORE_MS;
        if soon && part.reminded.get(&id) != Some(&m.sequence) {
            due.push((m.clone(), starts_ms));
        }
    }
    due.sort_by_key(|(m, _)| m.id);
    let code = cx.room().event_code().clone();
    for (m, starts_ms) in due {
        cx.change(MeetingsChange::Reminded(m.id, m.sequence));
        let reminder = plenum_protocol::MeetingReminder {
            meeting: m.id,
            starts_ms,
        };
        for p in super::booths::inboxes(cx, &m) {
            cx.emit_to(
                RoomId::Inbox(code.clone(), p),
                RoomEvent::MeetingSoon {
                    reminder: reminder.clone(),
                },
            );
        }
    }
    Ok(())
}
