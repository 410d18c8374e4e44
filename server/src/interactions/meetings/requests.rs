//! A meeting's life as its two people lead it: a request, and the answers to it (accept,
//! decline, another time).

use super::rules::Book;
use super::{Actor, Meetings, MeetingsChange, booths, someone, status_name, visible_meeting};
use crate::interactions::contacts::{Contacts, blocked_by};
use crate::interactions::{Cx, Refusal, text};
use plenum_protocol::{
    BoothId, Meeting, MeetingAnswer, MeetingId, MeetingPerson, MeetingStatus, PersonId, SlotAt,
    limits,
};

/// Whom a request asks.
pub(super) enum Asked {
    Person(PersonId),
    /// A booth's team ([`super::booths`]).
    Booth(BoothId),
}

/// The side asked: who, by what name and organisation, and the booth if it is one.
struct Them {
    id: PersonId,
    name: Option<String>,
    organisation: Option<String>,
    booth: Option<BoothId>,
}

/// The person asked, or why not.
fn person(cx: &Cx<'_, Meetings>, actor: &Actor, to: PersonId) -> Result<Them, Refusal> {
    if to.as_str() == actor.id {
        return Err(Refusal::invalid("to", "a meeting takes two people"));
    }
    let them = someone(cx, to.as_str())?
        .ok_or_else(|| Refusal::NotFound(format!("no participant {to} at this event")))?;
    // Blocked, either way: no request.
    let room = cx.room().clone();
    let (they_block, i_block) = cx.other_of::<Contacts, _>(&room, |view| {
        (
            blocked_by(&view, to.as_str(), &actor.id),
            blocked_by(&view, &actor.id, to.as_str()),
        )
    })?;
    if they_block {
        return Err(Refusal::Forbidden(format!(
            "{} takes no meeting requests from you",
            them.name.as_deref().unwrap_or(to.as_str())
        )));
    }
    if i_block {
        return Err(Refusal::Conflict(
            "you block this person: unblock them first".into(),
        ));
    }
    Ok(Them {
        id: to,
        name: them.name,
        organisation: them.profile.organisation,
        booth: None,
    })
}

/// A new request.
pub(super) fn request(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    actor: &Actor,
    asked: Asked,
    message: Option<String>,
    slot: Option<SlotAt>,
) -> Result<MeetingId, Refusal> {
    if actor.name.is_none() {
        return Err(Refusal::Forbidden(
            "join with your name to ask for meetings".into(),
        ));
    }
    let them = match asked {
        Asked::Person(to) => person(cx, actor, to)?,
        Asked::Booth(b) => {
            let (id, organisation) = booths::asked(cx, actor, &b)?;
            Them {
                id,
                name: Some(organisation),
                organisation: None,
                booth: Some(b),
            }
        }
    };
    let to = them.id.clone();
    let message = match message.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => Some(text("message", m, limits::MAX_MEETING_MESSAGE_CHARS)?),
    };
    let view = cx.records();
    let total = view.committed.meetings.len()
        + view
            .changes
            .iter()
            .filter(|c| matches!(c, MeetingsChange::Meeting(m) if !view.committed.meetings.contains_key(&m.id)))
            .count();
    if total >= limits::MAX_MEETINGS {
        return Err(Refusal::TooLarge(format!(
            "an event keeps at most {} meetings",
            limits::MAX_MEETINGS
        )));
    }
    let id = view
        .committed
        .meetings
        .keys()
        .next_back()
        .copied()
        .into_iter()
        .chain(view.changes.iter().filter_map(|c| match c {
            MeetingsChange::Meeting(m) => Some(m.id),
            _ => None,
        }))
        .max()
        .unwrap_or(0)
        + 1;
    let records = view.part(|r| r.of(&[&actor.id, to.as_str()], None));
    let open = |p: &str| records.mine(p).filter(|m| m.status.open()).count();
    let sent = records
        .mine(&actor.id)
        .filter(|m| m.status == MeetingStatus::Requested && m.from.id.as_str() == actor.id)
        .count();
    if sent >= book.plan.max_open_requests as usize {
        return Err(Refusal::TooLarge(format!(
            "you have {sent} requests waiting for an answer, the most this event allows: \
             wait for answers, or cancel one"
        )));
    }
    if open(&actor.id) >= limits::MAX_PERSON_MEETINGS {
        return Err(Refusal::TooLarge(format!(
            "you have {} open meetings and requests, the most one person may",
            limits::MAX_PERSON_MEETINGS
        )));
    }
    if open(to.as_str()) >= limits::MAX_PERSON_MEETINGS {
        return Err(Refusal::TooLarge(format!(
            "{} has as many open meetings and requests as one person may",
            them.name.as_deref().unwrap_or(to.as_str())
        )));
    }
    if let Some(m) = records
        .mine(&actor.id)
        .find(|m| m.status.open() && m.has(to.as_str()))
    {
        return Err(Refusal::Conflict(format!(
            "you already have meeting {} with {}",
            m.id,
            them.name.as_deref().unwrap_or(to.as_str())
        )));
    }
    if let Some(at) = &slot {
        book.slot(at)?;
        book.free(cx, &actor.id, at, None, true)?;
    }
    let me = someone(cx, &actor.id)?.unwrap_or_default();
    let now = cx.now_ms();
    let from = PersonId::parse(&actor.id)
        .map_err(|_| Refusal::Forbidden("your id cannot take meetings".into()))?;
    let meeting = Meeting {
        id,
        from: MeetingPerson {
            id: from.clone(),
            name: actor.name.clone(),
            organisation: me.profile.organisation,
        },
        to: MeetingPerson {
            id: to,
            name: them.name,
            organisation: them.organisation,
        },
        message,
        status: MeetingStatus::Requested,
        proposed_by: slot.as_ref().map(|_| from),
        proposed: slot,
        slot: None,
        end: None,
        table: None,
        place: None,
        video: None,
        locked: false,
        sequence: 0,
        here: Vec::new(),
        no_show: None,
        held: Vec::new(),
        requested_ms: now,
        expires_ms: Some(now + book.expiry_ms()),
        booth: them.booth,
    };
    book.save(cx, meeting);
    Ok(id)
}

/// An answer to a meeting (or to another time proposed for it).
pub(super) fn answer_meeting(
    cx: &mut Cx<'_, Meetings>,
    book: &Book,
    actor: &Actor,
    id: MeetingId,
    answer: MeetingAnswer,
    slot: Option<SlotAt>,
) -> Result<(), Refusal> {
    let mut m = visible_meeting(cx, actor, id)?;
    if !m.has(&actor.id) {
        return Err(Refusal::Forbidden(
            "only the two people of a meeting answer it".into(),
        ));
    }
    if !m.status.open() {
        return Err(Refusal::Conflict(format!(
            "meeting {id} is {} already",
            status_name(m.status)
        )));
    }
    // The one who answers: not whoever made the request or proposed the time.
    let asked_last = m.proposed_by.clone().unwrap_or_else(|| m.from.id.clone());
    let my_turn = asked_last.as_str() != actor.id;
    let waiting = m.status == MeetingStatus::Requested || m.proposed.is_some();
    match answer {
        MeetingAnswer::Accept | MeetingAnswer::Decline if !waiting => {
            return Err(Refusal::Conflict(format!(
                "meeting {id} has no request or proposed time to answer"
            )));
        }
        MeetingAnswer::Accept | MeetingAnswer::Decline if !my_turn => {
            return Err(Refusal::Conflict("you asked: the other one answers".into()));
        }
        MeetingAnswer::Propose if m.status == MeetingStatus::Requested && !my_turn => {
            return Err(Refusal::Conflict(
                "you asked: the other one answers (or cancel your request)".into(),
            ));
        }
        _ => {}
    }
    if slot.is_some() && answer != MeetingAnswer::Propose {
        return Err(Refusal::invalid(
            "slot",
            "only a proposal names a time (accept takes the time proposed)",
        ));
    }
    match answer {
        MeetingAnswer::Accept => {
            if let Some(at) = m.proposed.clone() {
                let table = book.bookable(cx, &m, &at, &actor.id)?;
                book.place(&mut m, Some((at, table)));
            }
            m.status = MeetingStatus::Accepted;
            m.proposed = None;
            m.proposed_by = None;
            m.expires_ms = None;
        }
        MeetingAnswer::Decline => {
            if m.status == MeetingStatus::Requested {
                m.status = MeetingStatus::Declined;
            }
            // An accepted meeting stays where it is: only the time proposed goes.
            m.proposed = None;
            m.proposed_by = None;
            m.expires_ms = None;
        }
        MeetingAnswer::Propose => {
            // Blocked: no more proposals to the one who blocked (for a booth: any of its
            // staff; acting for it, the staff member in person).
            let other = Actor {
                id: if m.from.id.as_str() == actor.id {
                    m.to.id.to_string()
                } else {
                    m.from.id.to_string()
                },
                name: None,
                organiser: false,
                staff: None,
            };
            if booths::blocks(cx, &m, &other, actor)? {
                return Err(Refusal::Forbidden(
                    "this person takes no proposals from you".into(),
                ));
            }
            let at = slot.ok_or_else(|| Refusal::invalid("slot", "a proposal names a time"))?;
            book.slot(&at)?;
            if m.slot.as_ref() == Some(&at) {
                return Err(Refusal::Conflict(
                    "the meeting is at that time already".into(),
                ));
            }
            book.free(cx, &actor.id, &at, Some(m.id), true)?;
            m.proposed = Some(at);
            m.proposed_by = PersonId::parse(&actor.id).ok();
            m.expires_ms = Some(cx.now_ms() + book.expiry_ms());
        }
    }
    book.save(cx, m);
    Ok(())
}
