//! Contact with a booth, by consent: a visitor asks a booth for contact, saying what they share
//! (their name and organisation always; their card's email and phone if they choose; a note)
//! and why. The booth's staff see who asked and why, nothing else, until one of them accepts,
//! saying what they share in turn; then each side sees what the other shares. Either side ends
//! it (the visitor withdraws; the staff decline or withdraw), and then nothing of it is kept:
//! it leaves the booth's list and every export made after.
//!
//! Kept as `booth_contact` records (key `BOOTH|VISITOR`, personal). The visitor's inbox holds
//! their contacts with booths (`booth_contact_changed`); the staff's inboxes hold the booth's
//! queue, whose counts of contacts asked and agreed tell them to read the list again (`GET
//! /api/events/{code}/booths/{booth}/contacts`, that booth's staff only).

use super::{Exhibition, ExhibitionChange, ExhibitionRecords, no_booth, talk};
use crate::interactions::contacts::{Contacts, blocked_by, card_in, shared, sharing, sharing_fits};
use crate::interactions::{Cx, Refusal, text};
use plenum_protocol::{
    BoothContact, BoothContactStatus, BoothId, BoothLead, ContactCard, MeetingPerson, PersonId,
    RoomEvent, RoomId, Sharing, limits,
};
use serde::{Deserialize, Serialize};

/// The staff member who accepted a contact request, as they were then, and what they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadStaff {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub share: Sharing,
}

/// A visitor's contact with a booth, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadRecord {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub share: Sharing,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub asked_ms: i64,
    /// Set once one of the staff accepted (and taken away when they leave the booth's staff:
    /// the contact stays agreed with the booth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<LeadStaff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_ms: Option<i64>,
}

fn key(booth: &BoothId, visitor: &str) -> (String, String) {
    (booth.to_string(), visitor.to_owned())
}

/// Checks a request's words before it is sequenced.
pub fn check(share: &Sharing, why: Option<&str>) -> Result<(), Refusal> {
    sharing(share)?;
    if let Some(w) = why.filter(|w| !w.trim().is_empty()) {
        text("why", w, limits::MAX_CONTACT_NOTE_CHARS)?;
    }
    Ok(())
}

fn person(id: &str, name: Option<&str>, organisation: Option<&str>) -> Option<MeetingPerson> {
    Some(MeetingPerson {
        id: PersonId::parse(id).ok()?,
        name: name.map(str::to_owned),
        organisation: organisation.map(str::to_owned),
    })
}

/// A contact with `booth` as its visitor sees it; `staff_card`: the card of the staff member
/// who accepted; `apart`: the visitor and that staff member block one another (then nothing
/// of the staff member's is shown, as when they leave the booth's staff).
pub fn contact_of(
    r: &ExhibitionRecords,
    booth: &BoothId,
    visitor: &str,
    staff_card: Option<&ContactCard>,
    apart: bool,
) -> Option<BoothContact> {
    let l = r.leads.get(&key(booth, visitor))?;
    let organisation = r.booths.get(booth.as_str())?.about.organisation.clone();
    let agreed = l.agreed_ms.is_some();
    let staff = l.staff.as_ref().filter(|_| agreed && !apart);
    Some(BoothContact {
        booth: booth.clone(),
        organisation,
        status: if agreed {
            BoothContactStatus::Agreed
        } else {
            BoothContactStatus::Asked
        },
        mine: l.share.clone(),
        with: staff.and_then(|s| person(&s.id, Some(&s.name), s.organisation.as_deref())),
        theirs: staff.map(|s| shared(&s.share, staff_card)),
        why: l.why.clone(),
        asked_ms: l.asked_ms,
        agreed_ms: l.agreed_ms,
    })
}

/// A visitor's contact as the booth's staff see it; `visitor_card`: the visitor's card.
pub fn lead_of(
    l: &LeadRecord,
    visitor: &str,
    visitor_card: Option<&ContactCard>,
) -> Option<BoothLead> {
    let agreed = l.agreed_ms.is_some();
    Some(BoothLead {
        visitor: person(visitor, Some(&l.name), l.organisation.as_deref())?,
        status: if agreed {
            BoothContactStatus::Agreed
        } else {
            BoothContactStatus::Asked
        },
        theirs: agreed.then(|| shared(&l.share, visitor_card)),
        why: l.why.clone(),
        staff: l
            .staff
            .as_ref()
            .and_then(|s| person(&s.id, Some(&s.name), s.organisation.as_deref())),
        mine: l.staff.as_ref().map(|s| s.share.clone()),
        asked_ms: l.asked_ms,
        agreed_ms: l.agreed_ms,
    })
}

/// Counts of `booth`'s contacts: asked (not answered yet), and agreed.
pub fn counts(r: &ExhibitionRecords, booth: &str) -> (u32, u32) {
    let mut asked = 0;
    let mut agreed = 0;
    for ((b, _), l) in &r.leads {
        if b == booth {
            if l.agreed_ms.is_some() {
                agreed += 1;
            } else {
                asked += 1;
            }
        }
    }
    (asked, agreed)
}

fn card(cx: &Cx<'_, Exhibition>, person: &str) -> Result<Option<ContactCard>, Refusal> {
    let room = cx.room().clone();
    cx.other_of::<Contacts, _>(&room, |view| card_in(&view, person))
}

fn tell(cx: &mut Cx<'_, Exhibition>, person: &str, event: RoomEvent) {
    if let Ok(id) = PersonId::parse(person) {
        cx.emit_to(RoomId::Inbox(cx.room().event_code().clone(), id), event);
    }
}

/// Tells `visitor` their contact with `booth` as the batch leaves it (`ended` once it is
/// gone).
fn tell_visitor(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, visitor: &str, organisation: &str) {
    let r = super::booth_view(cx, booth.as_str());
    let staff_id = r
        .leads
        .get(&key(booth, visitor))
        .and_then(|l| l.staff.as_ref())
        .map(|s| s.id.clone());
    let (staff_card, apart) = match staff_id {
        Some(s) => {
            let room = cx.room().clone();
            let apart = cx
                .other_of::<Contacts, _>(&room, |view| {
                    blocked_by(&view, visitor, &s) || blocked_by(&view, &s, visitor)
                })
                // Blocks unreadable: nothing of the staff member's is shown.
                .unwrap_or(true);
            (card(cx, &s).ok().flatten(), apart)
        }
        None => (None, false),
    };
    let contact =
        contact_of(&r, booth, visitor, staff_card.as_ref(), apart).unwrap_or(BoothContact {
            booth: booth.clone(),
            organisation: organisation.to_owned(),
            status: BoothContactStatus::Ended,
            mine: Sharing::default(),
            with: None,
            theirs: None,
            why: None,
            asked_ms: 0,
            agreed_ms: None,
        });
    tell(cx, visitor, RoomEvent::BoothContactChanged { contact });
}

/// Tells `visitor` their contact, and the booth's staff their queue (its counts and version
/// changed: they read the list again).
fn tell_both(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, visitor: &str, organisation: &str) {
    talk::count(cx, booth, |c| c.contacts_version += 1);
    tell_visitor(cx, booth, visitor, organisation);
    talk::tell_queue(cx, booth);
}

/// `person` asks `booth` for contact (again: changes what they share and why).
pub fn ask(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    person: &str,
    name: Option<String>,
    share: &Sharing,
    why: Option<&str>,
) -> Result<(), Refusal> {
    let Some(name) = name else {
        return Err(Refusal::Forbidden(
            "join with your name to ask a booth for contact".into(),
        ));
    };
    let share = sharing(share)?;
    let why = match why.map(str::trim) {
        None | Some("") => None,
        Some(w) => Some(text("why", w, limits::MAX_CONTACT_NOTE_CHARS)?),
    };
    let r = super::booth_view(cx, booth.as_str());
    let Some(record) = r.booths.get(booth.as_str()) else {
        return Err(no_booth(booth));
    };
    let organisation = record.about.organisation.clone();
    if r.staffs(booth.as_str(), person) {
        return Err(Refusal::Conflict(format!("you are on {booth}'s staff")));
    }
    sharing_fits(&share, card(cx, person)?.as_ref())?;
    let now = cx.now_ms();
    let organisation_now =
        crate::interactions::people::someone(cx, person)?.and_then(|s| s.profile.organisation);
    let lead = match r.leads.get(&key(booth, person)) {
        Some(l) => LeadRecord {
            name,
            organisation: organisation_now,
            share,
            why: why.or(l.why.clone()),
            ..l.clone()
        },
        None => {
            if r.leads.len() >= limits::MAX_BOOTH_CONTACTS {
                return Err(Refusal::TooLarge(format!(
                    "{booth} holds {} contact requests: it takes no more",
                    limits::MAX_BOOTH_CONTACTS
                )));
            }
            let theirs = asked_by(cx, person).len();
            if theirs >= limits::MAX_PERSON_BOOTH_CONTACTS {
                return Err(Refusal::TooLarge(format!(
                    "you asked {} booths for contact: withdraw one first",
                    limits::MAX_PERSON_BOOTH_CONTACTS
                )));
            }
            talk::count(cx, booth, |c| c.contacts += 1);
            LeadRecord {
                name,
                organisation: organisation_now,
                share,
                why,
                asked_ms: now,
                staff: None,
                agreed_ms: None,
            }
        }
    };
    put(
        cx,
        booth,
        person,
        r.leads.get(&key(booth, person)),
        lead,
        &organisation,
    );
    Ok(())
}

/// Keeps `lead` as `visitor`'s contact with `booth` (was `before`), and tells both sides: when
/// anything changed.
fn put(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    visitor: &str,
    before: Option<&LeadRecord>,
    lead: LeadRecord,
    organisation: &str,
) {
    if before == Some(&lead) {
        return;
    }
    cx.change(ExhibitionChange::Lead(
        booth.to_string(),
        visitor.to_owned(),
        lead,
    ));
    tell_both(cx, booth, visitor, organisation);
}

/// `person`, of the booth's staff, accepts `visitor`'s request, sharing `share` (again:
/// changes it). The first to accept answers for the booth.
pub fn answer(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    visitor: &str,
    person: &str,
    share: &Sharing,
) -> Result<(), Refusal> {
    let share = sharing(share)?;
    let r = super::booth_view(cx, booth.as_str());
    let Some(record) = r.booths.get(booth.as_str()) else {
        return Err(no_booth(booth));
    };
    let organisation = record.about.organisation.clone();
    let Some(member) = r.staff.get(&key(booth, person)).cloned() else {
        return Err(Refusal::Forbidden(format!(
            "only {booth}'s staff answer its contact requests"
        )));
    };
    let Some(lead) = r.leads.get(&key(booth, visitor)).cloned() else {
        return Err(Refusal::NotFound(format!(
            "{visitor} did not ask {booth} for contact"
        )));
    };
    if visitor == person {
        // Asked before joining the staff: someone else of the staff answers.
        return Err(Refusal::Conflict(
            "you asked this booth yourself: someone else of its staff answers".into(),
        ));
    }
    if let Some(s) = lead.staff.as_ref().filter(|s| s.id != person) {
        return Err(Refusal::Conflict(format!("{} accepted it first", s.name)));
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
    sharing_fits(&share, card(cx, person)?.as_ref())?;
    let answered = LeadRecord {
        staff: Some(LeadStaff {
            id: person.to_owned(),
            name: member.name,
            organisation: member.organisation,
            share,
        }),
        agreed_ms: lead.agreed_ms.or(Some(cx.now_ms())),
        ..lead.clone()
    };
    put(cx, booth, visitor, Some(&lead), answered, &organisation);
    Ok(())
}

/// Ends `visitor`'s contact with `booth`: the visitor, or one of the booth's staff. Nothing of
/// it is kept.
pub fn end(
    cx: &mut Cx<'_, Exhibition>,
    booth: &BoothId,
    visitor: &str,
    person: &str,
) -> Result<(), Refusal> {
    let r = super::booth_view(cx, booth.as_str());
    let Some(record) = r.booths.get(booth.as_str()) else {
        return Err(no_booth(booth));
    };
    let organisation = record.about.organisation.clone();
    if person != visitor && !r.staffs(booth.as_str(), person) {
        return Err(Refusal::Forbidden(
            "only the visitor and the booth's staff end a contact with a booth".into(),
        ));
    }
    if !r.leads.contains_key(&key(booth, visitor)) {
        return Err(Refusal::NotFound(format!(
            "{visitor} did not ask {booth} for contact"
        )));
    }
    cx.change(ExhibitionChange::NoLead(
        booth.to_string(),
        visitor.to_owned(),
    ));
    tell_both(cx, booth, visitor, &organisation);
    Ok(())
}

/// `person` left `booth`'s staff (already changed): what they shared leaves the contacts they
/// accepted, which stay agreed with the booth.
pub fn staff_left(cx: &mut Cx<'_, Exhibition>, booth: &BoothId, person: &str) {
    let r = super::booth_view(cx, booth.as_str());
    let Some(record) = r.booths.get(booth.as_str()) else {
        return;
    };
    let organisation = record.about.organisation.clone();
    let theirs: Vec<(String, LeadRecord)> = r
        .leads
        .iter()
        .filter(|(_, l)| l.staff.as_ref().is_some_and(|s| s.id == person))
        .map(|((_, v), l)| (v.clone(), l.clone()))
        .collect();
    if theirs.is_empty() {
        return;
    }
    for (v, l) in &theirs {
        cx.change(ExhibitionChange::Lead(
            booth.to_string(),
            v.clone(),
            LeadRecord {
                staff: None,
                ..l.clone()
            },
        ));
        tell_visitor(cx, booth, v, &organisation);
    }
    // The counts stay; the list changed (who accepted): one queue for the staff.
    talk::count(cx, booth, |c| c.contacts_version += 1);
    talk::tell_queue(cx, booth);
}

/// The booth is being removed: its contacts go, and their visitors are told.
pub fn booth_removed(cx: &mut Cx<'_, Exhibition>, booth: &BoothId) {
    let r = super::booth_view(cx, booth.as_str());
    let Some(record) = r.booths.get(booth.as_str()) else {
        return;
    };
    for ((_, v), l) in &r.leads {
        cx.change(ExhibitionChange::NoLead(booth.to_string(), v.clone()));
        let contact = BoothContact {
            booth: booth.clone(),
            organisation: record.about.organisation.clone(),
            status: BoothContactStatus::Ended,
            mine: Sharing::default(),
            with: None,
            theirs: None,
            why: None,
            asked_ms: l.asked_ms,
            agreed_ms: None,
        };
        tell(cx, v, RoomEvent::BoothContactChanged { contact });
    }
}

/// The booths `person` asked for contact, as the batch leaves the records.
fn asked_by(cx: &Cx<'_, Exhibition>, person: &str) -> Vec<String> {
    let mine = |all: &ExhibitionRecords| ExhibitionRecords {
        leads: all
            .leads
            .iter()
            .filter(|((_, v), _)| v == person)
            .map(|(k, l)| (k.clone(), l.clone()))
            .collect(),
        ..ExhibitionRecords::default()
    };
    // The batch's changes are applied after the part is taken: filter again.
    cx.records()
        .part(mine)
        .leads
        .into_keys()
        .filter(|(_, v)| v == person)
        .map(|(b, _)| b)
        .collect()
}

/// Deletes every contact `person` asked of a booth ("delete my data"); the booths' staff are
/// told. (What they shared as staff left with them: [`staff_left`].)
pub fn forget(cx: &mut Cx<'_, Exhibition>, person: &str) {
    let theirs: Vec<String> = asked_by(cx, person);
    for b in theirs {
        let Ok(booth) = BoothId::parse(&b) else {
            continue;
        };
        let organisation = super::booth_view(cx, &b)
            .booths
            .get(&b)
            .map(|r| r.about.organisation.clone())
            .unwrap_or_default();
        cx.change(ExhibitionChange::NoLead(b.clone(), person.to_owned()));
        tell_both(cx, &booth, person, &organisation);
    }
}

/// Every contact of `person` with a booth, as they see it (their own data); `card_of`: the
/// cards of the staff who accepted; `apart`: whether `person` and a staff member block one
/// another.
pub fn contacts_of(
    r: &ExhibitionRecords,
    person: &str,
    card_of: impl Fn(&str) -> Option<ContactCard>,
    apart: impl Fn(&str) -> bool,
) -> Vec<BoothContact> {
    r.leads
        .iter()
        .filter(|((_, v), _)| v == person)
        .filter_map(|((b, v), l)| {
            let staff = l.staff.as_ref();
            let card = staff.and_then(|s| card_of(&s.id));
            let apart = staff.is_some_and(|s| apart(&s.id));
            contact_of(r, &BoothId::parse(b).ok()?, v, card.as_ref(), apart)
        })
        .collect()
}

/// The contacts with booths where one of `a` and `b` is the visitor and the other the staff
/// member who accepted, as each visitor sees them once a block between the two changed
/// (`apart`: one of them blocks the other now): the visitor's inbox is told.
pub fn between(
    view: &crate::interactions::View<'_, Exhibition>,
    a: &str,
    b: &str,
    card_of: impl Fn(&str) -> Option<ContactCard>,
    apart: bool,
) -> Vec<(String, BoothContact)> {
    let pair = |v: &str, l: &LeadRecord| {
        l.staff
            .as_ref()
            .is_some_and(|s| (v == a && s.id == b) || (v == b && s.id == a))
    };
    let r = view.part(|all| {
        let leads: std::collections::BTreeMap<_, _> = all
            .leads
            .iter()
            .filter(|((_, v), l)| pair(v, l))
            .map(|(k, l)| (k.clone(), l.clone()))
            .collect();
        ExhibitionRecords {
            booths: leads
                .keys()
                .filter_map(|(bth, _)| Some((bth.clone(), all.booths.get(bth)?.clone())))
                .collect(),
            leads,
            ..ExhibitionRecords::default()
        }
    });
    r.leads
        .iter()
        .filter(|((_, v), l)| pair(v, l))
        .filter_map(|((bth, v), l)| {
            let card = l.staff.as_ref().and_then(|s| card_of(&s.id));
            let contact = contact_of(&r, &BoothId::parse(bth).ok()?, v, card.as_ref(), apart)?;
            Some((v.clone(), contact))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(agreed: bool) -> LeadRecord {
        LeadRecord {
            name: "Ana Costa".into(),
            organisation: Some("Porto Cluster".into()),
            share: Sharing {
                email: true,
                phone: false,
                note: Some("Call me".into()),
            },
            why: Some("Your test bed".into()),
            asked_ms: 1,
            staff: agreed.then(|| LeadStaff {
                id: "staff-1".into(),
                name: "Björn".into(),
                organisation: None,
                share: Sharing {
                    email: false,
                    phone: true,
                    note: None,
                },
            }),
            agreed_ms: agreed.then_some(2),
        }
    }

    #[test]
    fn the_staff_see_nothing_shared_before_they_accept_and_only_what_was_chosen_after() {
        let card = ContactCard {
            email: Some("ana@example.org".into()),
            phone: Some("+351 1".into()),
        };
        let asked = lead_of(&lead(false), "att-ana", Some(&card)).unwrap();
        assert_eq!(asked.status, BoothContactStatus::Asked);
        assert_eq!(asked.theirs, None);
        assert_eq!(asked.visitor.name.as_deref(), Some("Ana Costa"));
        let agreed = lead_of(&lead(true), "att-ana", Some(&card)).unwrap();
        let theirs = agreed.theirs.unwrap();
        assert_eq!(theirs.email.as_deref(), Some("ana@example.org"));
        assert_eq!(theirs.phone, None, "the phone was not shared");
        assert_eq!(theirs.note.as_deref(), Some("Call me"));
        assert!(agreed.mine.unwrap().phone);
    }
}
