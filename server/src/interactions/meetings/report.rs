//! The organisers' view of an event's meetings: requests and meetings counted, each person's
//! counts, and the rows of the meetings export.

use super::MeetingsRecords;
use crate::interactions::people::PeopleRecords;
use plenum_protocol::{
    Meeting, MeetingCounts, MeetingPerson, MeetingStatus, MeetingsReport, PersonMeetings,
    RequestCounts,
};
use std::collections::BTreeMap;

/// Whether meeting `m` took place: `Some(true)` when one side said so and none said not (and
/// nobody was marked as not come), `Some(false)` for a no-show or a side saying it did not,
/// `None` when nobody said.
pub fn outcome(m: &Meeting) -> Option<bool> {
    if m.no_show.is_some() || m.held.iter().any(|a| !a.held) {
        Some(false)
    } else if m.held.iter().any(|a| a.held) {
        Some(true)
    } else {
        None
    }
}

/// Everything but `unplaced` (which needs the scheduler): requests and meetings counted, and
/// each person's counts, by name.
pub fn counts(records: &MeetingsRecords, people: &PeopleRecords) -> MeetingsReport {
    let mut requests = RequestCounts::default();
    let mut meetings = MeetingCounts::default();
    let mut by_person: BTreeMap<String, PersonMeetings> = BTreeMap::new();
    for m in records.meetings.values() {
        requests.sent += 1;
        match m.status {
            MeetingStatus::Requested => requests.waiting += 1,
            MeetingStatus::Accepted => requests.accepted += 1,
            MeetingStatus::Declined => requests.declined += 1,
            MeetingStatus::Expired => requests.expired += 1,
            MeetingStatus::Cancelled => requests.cancelled += 1,
        }
        let accepted = m.status == MeetingStatus::Accepted;
        let scheduled = accepted && m.slot.is_some();
        let held = accepted && outcome(m) == Some(true);
        if accepted {
            if scheduled {
                meetings.scheduled += 1;
            } else {
                meetings.unscheduled += 1;
            }
            match outcome(m) {
                Some(true) => meetings.held += 1,
                Some(false) => meetings.missed += 1,
                None => {}
            }
        }
        for (side, sent) in [(&m.from, true), (&m.to, false)] {
            let entry = by_person
                .entry(side.id.to_string())
                .or_insert_with(|| PersonMeetings {
                    person: person(side, people),
                    sent: 0,
                    received: 0,
                    accepted: 0,
                    scheduled: 0,
                    held: 0,
                });
            if sent {
                entry.sent += 1;
            } else {
                entry.received += 1;
            }
            entry.accepted += u32::from(accepted);
            entry.scheduled += u32::from(scheduled);
            entry.held += u32::from(held);
        }
    }
    let mut people: Vec<PersonMeetings> = by_person.into_values().collect();
    people.sort_by(|a, b| {
        (a.person.name.is_none(), &a.person.name, &a.person.id).cmp(&(
            b.person.name.is_none(),
            &b.person.name,
            &b.person.id,
        ))
    });
    MeetingsReport {
        requests,
        meetings,
        people,
        unplaced: Vec::new(),
    }
}

/// One side as the organisers see them now: their name and organisation as the event keeps
/// them (as the meeting recorded them, for someone it no longer keeps).
fn person(side: &MeetingPerson, people: &PeopleRecords) -> MeetingPerson {
    match people.people.get(side.id.as_str()) {
        Some(s) => MeetingPerson {
            id: side.id.clone(),
            name: s.name.clone().or(side.name.clone()),
            organisation: s.profile.organisation.clone(),
        },
        None => side.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::{HeldAnswer, PersonId};

    fn meeting(status: MeetingStatus, held: &[bool], no_show: bool) -> Meeting {
        let p = |id: &str| MeetingPerson {
            id: PersonId::parse(id).unwrap(),
            name: Some(id.to_uppercase()),
            organisation: None,
        };
        Meeting {
            id: 1,
            from: p("ana"),
            to: p("bo"),
            message: None,
            status,
            proposed: None,
            proposed_by: None,
            slot: None,
            end: None,
            table: None,
            place: None,
            video: None,
            locked: false,
            here: vec![],
            no_show: no_show.then(|| PersonId::parse("bo").unwrap()),
            held: held
                .iter()
                .map(|h| HeldAnswer {
                    person: PersonId::parse("ana").unwrap(),
                    held: *h,
                })
                .collect(),
            sequence: 0,
            requested_ms: 0,
            expires_ms: None,
            booth: None,
        }
    }

    #[test]
    fn a_meeting_is_held_when_someone_says_so_and_nobody_says_not() {
        assert_eq!(outcome(&meeting(MeetingStatus::Accepted, &[], false)), None);
        assert_eq!(
            outcome(&meeting(MeetingStatus::Accepted, &[true], false)),
            Some(true)
        );
        assert_eq!(
            outcome(&meeting(MeetingStatus::Accepted, &[true, false], false)),
            Some(false)
        );
        assert_eq!(
            outcome(&meeting(MeetingStatus::Accepted, &[true], true)),
            Some(false)
        );
    }

    #[test]
    fn counts_add_up() {
        let mut records = MeetingsRecords::default();
        let mut id = 0;
        for (status, held) in [
            (MeetingStatus::Requested, vec![]),
            (MeetingStatus::Accepted, vec![true]),
            (MeetingStatus::Accepted, vec![false]),
            (MeetingStatus::Declined, vec![]),
            (MeetingStatus::Expired, vec![]),
            (MeetingStatus::Cancelled, vec![]),
        ] {
            id += 1;
            let mut m = meeting(status, &held, false);
            m.id = id;
            records.put(m);
        }
        let r = counts(&records, &PeopleRecords::default());
        assert_eq!(
            (
                r.requests.sent,
                r.requests.waiting,
                r.requests.accepted,
                r.requests.declined,
                r.requests.expired,
                r.requests.cancelled
            ),
            (6, 1, 2, 1, 1, 1)
        );
        assert_eq!(
            (r.meetings.unscheduled, r.meetings.held, r.meetings.missed),
            (2, 1, 1)
        );
        assert_eq!(r.people.len(), 2);
        assert_eq!(
            (r.people[0].sent, r.people[0].received, r.people[0].held),
            (6, 0, 1)
        );
        assert_eq!(
            (r.people[1].sent, r.people[1].received, r.people[1].accepted),
            (0, 6, 2)
        );
    }
}
