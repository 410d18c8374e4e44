//! Blocks and reports: whom a person blocks (kept as one record per blocker, `person_blocks`),
//! and reports about someone for the organisers (`person_report`, bounded per person and per
//! event). Blocking someone ends a contact between the two; a contact with a booth shows a
//! staff member's details to a visitor only while neither blocks the other.

use super::{Contacts, ContactsChange, ContactsRecords, Report, end, tell};
use crate::interactions::{
    Cx, Refusal, View,
    exhibition::{Exhibition, leads},
    people::someone,
    text,
};
use plenum_protocol::{PersonId, RoomEvent, limits};

/// Whether `blocker` blocks `blocked`, as the batch leaves the records (for the meetings).
pub fn blocked_by(view: &View<'_, Contacts>, blocker: &str, blocked: &str) -> bool {
    view.part(|r| r.of_blocks(blocker)).blocks(blocker, blocked)
}

impl ContactsRecords {
    fn of_blocks(&self, person: &str) -> ContactsRecords {
        ContactsRecords {
            blocks: self
                .blocks
                .get_key_value(person)
                .map(|(k, v)| (k.clone(), v.clone()))
                .into_iter()
                .collect(),
            ..ContactsRecords::default()
        }
    }
}

/// `person` blocks `with` (`blocked`), or no longer does.
pub(super) fn block(
    cx: &mut Cx<'_, Contacts>,
    person: &str,
    with: &str,
    blocked: bool,
) -> Result<(), Refusal> {
    let with = with.to_owned();
    if with == person {
        return Err(Refusal::invalid("person", "you cannot block yourself"));
    }
    if blocked && someone(cx, &with)?.is_none() {
        return Err(Refusal::NotFound(format!(
            "no participant {with} at this event"
        )));
    }
    let mut mine = cx
        .records()
        .part(|r| r.of_blocks(person))
        .blocks
        .remove(person)
        .unwrap_or_default();
    let changed = if blocked {
        if !mine.contains(&with) && mine.len() >= limits::MAX_BLOCKS_PER_PERSON {
            return Err(Refusal::TooLarge(format!(
                "you block {} people, the most one person may",
                limits::MAX_BLOCKS_PER_PERSON
            )));
        }
        mine.insert(with.clone())
    } else {
        mine.remove(&with)
    };
    if changed {
        cx.change(ContactsChange::Blocks(person.to_owned(), mine.clone()));
        let blocked: Vec<PersonId> = mine
            .iter()
            .filter_map(|p| PersonId::parse(p).ok())
            .collect();
        tell(cx, person, RoomEvent::BlocksChanged { blocked })?;
    }
    // Blocked: a contact between the two ends.
    if blocked {
        end(cx, person, &with)?;
    }
    // A contact with a booth one of them accepted for it, the other asked: the
    // visitor sees the staff member's details only while neither blocks the other.
    if changed {
        let records = cx.records().part(|r| r.of(&[person, with.as_str()]));
        let apart = records.blocks(person, &with) || records.blocks(&with, person);
        let room = cx.room().clone();
        let told = cx.other_of::<Exhibition, _>(&room, |view| {
            leads::between(
                &view,
                person,
                &with,
                |id| records.cards.get(id).cloned(),
                apart,
            )
        })?;
        for (visitor, contact) in told {
            tell(cx, &visitor, RoomEvent::BoothContactChanged { contact })?;
        }
    }
    Ok(())
}

/// `person` (named `name`) reports `about` to the organisers, saying why (`reason`).
pub(super) fn report(
    cx: &mut Cx<'_, Contacts>,
    person: String,
    name: Option<String>,
    about: &str,
    reason: &str,
) -> Result<(), Refusal> {
    let reason = text("reason", reason, limits::MAX_REPORT_CHARS)?;
    let about = about.to_owned();
    if about == person {
        return Err(Refusal::invalid("person", "you cannot report yourself"));
    }
    let them = someone(cx, &about)?
        .ok_or_else(|| Refusal::NotFound(format!("no participant {about} at this event")))?;
    let view = cx.records();
    let all = view.committed.reports.len()
        + view
            .changes
            .iter()
            .filter(|c| matches!(c, ContactsChange::Report(..)))
            .count();
    let next = view
        .committed
        .reports
        .keys()
        .next_back()
        .copied()
        .into_iter()
        .chain(view.changes.iter().filter_map(|c| match c {
            ContactsChange::Report(id, _) => Some(*id),
            _ => None,
        }))
        .max()
        .unwrap_or(0)
        + 1;
    let theirs = view
        .committed
        .reports
        .values()
        .chain(view.changes.iter().filter_map(|c| match c {
            ContactsChange::Report(_, r) => Some(r),
            _ => None,
        }))
        .filter(|r| r.by == person)
        .count();
    if all >= limits::MAX_REPORTS || theirs >= limits::MAX_REPORTS_PER_PERSON {
        return Err(Refusal::TooLarge(format!(
            "at most {} reports a person ({} an event): the organisers have yours",
            limits::MAX_REPORTS_PER_PERSON,
            limits::MAX_REPORTS
        )));
    }
    let at_ms = cx.now_ms();
    cx.change(ContactsChange::Report(
        next,
        Report {
            by: person,
            by_name: name,
            about,
            about_name: them.name,
            reason,
            at_ms,
        },
    ));
    Ok(())
}
