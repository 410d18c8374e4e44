//! Contacts, by consent: each person's contact card, and one consent record per pair of people
//! about what each shares with the other.
//!
//! Kept in the event room as private records (`contact_card`, key: the person; `consent`, key:
//! the pair's ids in order, `a|b`). Nothing leaves the room but through inboxes: a person's
//! card reaches their own (`contact_card_changed`); a consent reaches its two people
//! (`contact_changed`), each seeing the other's details only once both agreed, and only what
//! the other chose to share. Withdrawn by either, it ends: each side's details leave the
//! other's inbox at once, and a changed card reaches only the people it is shared with.
//!
//! The same record serves meetings (accepting one, each side says what to share), badges and
//! pitches by a person: one record and one withdrawal per pair, whatever brought them together.
//! A contact with a booth's team is the exhibition's own record (`exhibition::leads`), by the
//! same rules.
//!
//! Blocks and reports about someone are kept here too (`blocks.rs`).

mod blocks;

pub use blocks::blocked_by;

use super::people::someone;
use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{
    Contact, ContactCard, ContactStatus, MeetingPerson, PersonId, RoomEvent, RoomId, Shared,
    Sharing, limits,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The contacts interaction.
pub struct Contacts;

#[derive(Debug, Clone)]
pub enum ContactsCommand {
    Card {
        person: String,
        card: ContactCard,
    },
    Share {
        person: String,
        name: Option<String>,
        with: PersonId,
        share: Sharing,
        why: Option<String>,
    },
    End {
        person: String,
        with: PersonId,
    },
    /// `person` blocks `with` (or no longer).
    Block {
        person: String,
        with: PersonId,
        blocked: bool,
    },
    /// Deletes `person`'s card and ends every contact of theirs.
    Forget {
        person: String,
    },
    /// `person` reports `about` to the organisers.
    Report {
        person: String,
        name: Option<String>,
        about: PersonId,
        reason: String,
    },
}

/// A report about someone, for the organisers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_name: Option<String>,
    pub about: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about_name: Option<String>,
    pub reason: String,
    pub at_ms: i64,
}

/// One side of a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// What this side shares; `None` until they offered or agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing: Option<Sharing>,
}

/// The consent of two people: who asked, when, when both agreed, and what each shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// The two, in the order of their ids.
    pub a: Side,
    pub b: Side,
    pub asked_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub asked_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_ms: Option<i64>,
    /// When one of them ended it (declined, took back, withdrew), and who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<String>,
}

impl Consent {
    fn live(&self) -> bool {
        self.ended_ms.is_none()
    }

    fn sides(&self, person: &str) -> Option<(&Side, &Side)> {
        if self.a.id == person {
            Some((&self.a, &self.b))
        } else if self.b.id == person {
            Some((&self.b, &self.a))
        } else {
            None
        }
    }

    fn side_mut(&mut self, person: &str) -> Option<&mut Side> {
        if self.a.id == person {
            Some(&mut self.a)
        } else if self.b.id == person {
            Some(&mut self.b)
        } else {
            None
        }
    }
}

/// The key of the pair `x`, `y`.
fn pair(x: &str, y: &str) -> String {
    if x <= y {
        format!("{x}|{y}")
    } else {
        format!("{y}|{x}")
    }
}

/// Every card and consent of an event.
#[derive(Debug, Default, Clone)]
pub struct ContactsRecords {
    pub cards: HashMap<String, ContactCard>,
    pub consents: HashMap<String, Consent>,
    /// Person → the keys of their consents (every one, ended too).
    by_person: HashMap<String, BTreeSet<String>>,
    /// Person → the people they block.
    pub blocks: HashMap<String, BTreeSet<String>>,
    /// Every report, by id.
    pub reports: std::collections::BTreeMap<u64, Report>,
}

impl ContactsRecords {
    /// Only what concerns `people`: their cards and consents, and the cards of the people they
    /// share with.
    fn of(&self, people: &[&str]) -> ContactsRecords {
        let mut out = ContactsRecords::default();
        for p in people {
            for key in self.by_person.get(*p).into_iter().flatten() {
                if let Some(c) = self.consents.get(key) {
                    out.put(key.clone(), c.clone());
                    for side in [&c.a, &c.b] {
                        if let Some(card) = self.cards.get(&side.id) {
                            out.cards.insert(side.id.clone(), card.clone());
                        }
                    }
                }
            }
            if let Some(card) = self.cards.get(*p) {
                out.cards.insert((*p).to_owned(), card.clone());
            }
            if let Some(b) = self.blocks.get(*p) {
                out.blocks.insert((*p).to_owned(), b.clone());
            }
        }
        out
    }

    /// Whether `blocker` blocks `blocked`.
    pub fn blocks(&self, blocker: &str, blocked: &str) -> bool {
        self.blocks
            .get(blocker)
            .is_some_and(|b| b.contains(blocked))
    }

    fn put(&mut self, key: String, c: Consent) {
        for id in [&c.a.id, &c.b.id] {
            self.by_person
                .entry(id.clone())
                .or_default()
                .insert(key.clone());
        }
        self.consents.insert(key, c);
    }

    /// The live consents of `person`.
    pub fn live_of<'a>(&'a self, person: &str) -> impl Iterator<Item = &'a Consent> + 'a {
        self.by_person
            .get(person)
            .into_iter()
            .flatten()
            .filter_map(|k| self.consents.get(k))
            .filter(|c| c.live())
    }
}

// A change is made once per command and moved into the batch: a box would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ContactsChange {
    Card(String, ContactCard),
    Consent(String, Consent),
    Blocks(String, BTreeSet<String>),
    Report(u64, Report),
    /// A card deleted.
    NoCard(String),
}

const CARD: &str = "contact_card";
const CONSENT: &str = "consent";
const BLOCKS: &str = "person_blocks";
const REPORT: &str = "person_report";

/// `person`'s contact card, as the batch leaves the records (for the exhibition).
pub fn card_in(view: &super::View<'_, Contacts>, person: &str) -> Option<ContactCard> {
    view.part(|r| r.of(&[person])).cards.get(person).cloned()
}

/// What `share` shows of `card`.
pub fn shared(share: &Sharing, card: Option<&ContactCard>) -> Shared {
    let card = card.cloned().unwrap_or_default();
    Shared {
        email: card.email.filter(|_| share.email),
        phone: card.phone.filter(|_| share.phone),
        note: share.note.clone(),
    }
}

/// Refused unless `card` holds what `share` shares.
pub(crate) fn sharing_fits(share: &Sharing, card: Option<&ContactCard>) -> Result<(), Refusal> {
    let card = card.cloned().unwrap_or_default();
    if share.email && card.email.is_none() {
        return Err(Refusal::invalid(
            "share.email",
            "your contact card has no email: set one first",
        ));
    }
    if share.phone && card.phone.is_none() {
        return Err(Refusal::invalid(
            "share.phone",
            "your contact card has no phone: set one first",
        ));
    }
    Ok(())
}

/// `consent` as `person` sees it, with the other's card (`theirs`) resolved to what they share.
pub fn contact_of(
    consent: &Consent,
    person: &str,
    their_card: Option<&ContactCard>,
) -> Option<Contact> {
    let (me, other) = consent.sides(person)?;
    let status = if !consent.live() {
        ContactStatus::Ended
    } else if consent.agreed_ms.is_some() {
        ContactStatus::Agreed
    } else if consent.asked_by == person {
        ContactStatus::Asked
    } else {
        ContactStatus::Offered
    };
    let theirs = (status == ContactStatus::Agreed)
        .then(|| shared(&other.sharing.clone().unwrap_or_default(), their_card));
    Some(Contact {
        with: MeetingPerson {
            id: PersonId::parse(&other.id).ok()?,
            name: other.name.clone(),
            organisation: other.organisation.clone(),
        },
        status,
        mine: if status == ContactStatus::Ended {
            Sharing::default()
        } else {
            me.sharing.clone().unwrap_or_default()
        },
        theirs,
        why: consent.why.clone(),
        asked_by: PersonId::parse(&consent.asked_by).ok()?,
        asked_ms: consent.asked_ms,
        agreed_ms: consent.agreed_ms,
    })
}

/// A card as kept, or why not: an email that is one, a phone of digits, spaces and `+-()`.
fn card(card: &ContactCard) -> Result<ContactCard, Refusal> {
    let email = match card.email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(e) if e.chars().count() > limits::MAX_EMAIL_CHARS => {
            return Err(Refusal::too_long("card.email", limits::MAX_EMAIL_CHARS));
        }
        Some(e) if email_address::EmailAddress::is_valid(e) => Some(e.to_owned()),
        Some(_) => return Err(Refusal::invalid("card.email", "is not an email address")),
    };
    let phone = match card.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) if p.chars().count() > limits::MAX_PHONE_CHARS => {
            return Err(Refusal::too_long("card.phone", limits::MAX_PHONE_CHARS));
        }
        Some(p)
            if p.chars().any(|c| c.is_ascii_digit())
                && p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) =>
        {
            Some(p.to_owned())
        }
        Some(_) => {
            return Err(Refusal::invalid(
                "card.phone",
                "may hold digits, spaces and + - ( ) only",
            ));
        }
    };
    Ok(ContactCard { email, phone })
}

pub(crate) fn sharing(share: &Sharing) -> Result<Sharing, Refusal> {
    let note = match share.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(super::text(
            "share.note",
            n,
            limits::MAX_CONTACT_NOTE_CHARS,
        )?),
    };
    Ok(Sharing {
        email: share.email,
        phone: share.phone,
        note,
    })
}

impl Interaction for Contacts {
    type Command = ContactsCommand;
    type Records = ContactsRecords;
    type Change = ContactsChange;
    const NAME: &'static str = "contacts";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: CARD,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: CONSENT,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: BLOCKS,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: REPORT,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &ContactsCommand) -> Result<(), Refusal> {
        match command {
            ContactsCommand::Card { card: c, .. } => card(c).map(drop),
            ContactsCommand::Share { share, why, .. } => {
                sharing(share)?;
                if let Some(w) = why.as_deref().filter(|w| !w.trim().is_empty()) {
                    super::text("why", w, limits::MAX_CONTACT_NOTE_CHARS)?;
                }
                Ok(())
            }
            ContactsCommand::End { .. }
            | ContactsCommand::Block { .. }
            | ContactsCommand::Forget { .. } => Ok(()),
            ContactsCommand::Report { reason, .. } => {
                super::text("reason", reason, limits::MAX_REPORT_CHARS).map(drop)
            }
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: ContactsCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        match command {
            ContactsCommand::Card { person, card: c } => {
                let c = card(&c)?;
                let mut records = cx.records().part(|r| r.of(&[&person]));
                cx.change(ContactsChange::Card(person.clone(), c.clone()));
                records.cards.insert(person.clone(), c.clone());
                tell(
                    cx,
                    &person,
                    RoomEvent::ContactCardChanged { card: c.clone() },
                )?;
                // The people who see this card see it as it is now.
                let mut shown: Vec<Consent> = records
                    .live_of(&person)
                    .filter(|x| x.agreed_ms.is_some())
                    .cloned()
                    .collect();
                shown.sort_by(|x, y| (&x.a.id, &x.b.id).cmp(&(&y.a.id, &y.b.id)));
                for consent in shown {
                    let Some((_, other)) = consent.sides(&person) else {
                        continue;
                    };
                    let other = other.id.clone();
                    if let Some(contact) = contact_of(&consent, &other, Some(&c)) {
                        tell(cx, &other, RoomEvent::ContactChanged { contact })?;
                    }
                }
            }
            ContactsCommand::Share {
                person,
                name,
                with,
                share,
                why,
            } => {
                if name.is_none() {
                    return Err(Refusal::Forbidden(
                        "join with your name to exchange contact details".into(),
                    ));
                }
                let share = sharing(&share)?;
                let with = with.as_str().to_owned();
                if with == person {
                    return Err(Refusal::invalid("with", "a contact takes two people"));
                }
                let them = someone(cx, &with)?.ok_or_else(|| {
                    Refusal::NotFound(format!("no participant {with} at this event"))
                })?;
                let me = someone(cx, &person)?.unwrap_or_default();
                let records = cx.records().part(|r| r.of(&[&person, &with]));
                if records.blocks(&with, &person) {
                    return Err(Refusal::Forbidden(format!(
                        "{} takes no contact offers from you",
                        them.name.as_deref().unwrap_or(&with)
                    )));
                }
                if records.blocks(&person, &with) {
                    return Err(Refusal::Conflict(
                        "you block this person: unblock them first".into(),
                    ));
                }
                sharing_fits(&share, records.cards.get(&person))?;
                let key = pair(&person, &with);
                let now = cx.now_ms();
                let consent = match records.consents.get(&key).filter(|c| c.live()) {
                    Some(live) => {
                        let mut c = live.clone();
                        let side = c.side_mut(&person).expect("a consent of the pair");
                        side.sharing = Some(share);
                        side.name = name.clone().or(side.name.take());
                        side.organisation = me.profile.organisation.clone();
                        // Their offer, answered: both agreed now.
                        if c.agreed_ms.is_none() && c.asked_by != person {
                            c.agreed_ms = Some(now);
                        }
                        c
                    }
                    None => {
                        for (p, who) in [(&person, "you have"), (&with, "they have")] {
                            if records.live_of(p).count() >= limits::MAX_CONTACTS {
                                return Err(Refusal::TooLarge(format!(
                                    "{who} {} contacts, the most one person may",
                                    limits::MAX_CONTACTS
                                )));
                            }
                        }
                        let why = match why.as_deref().map(str::trim) {
                            None | Some("") => None,
                            Some(w) => Some(super::text("why", w, limits::MAX_CONTACT_NOTE_CHARS)?),
                        };
                        let mine = Side {
                            id: person.clone(),
                            name: name.clone(),
                            organisation: me.profile.organisation.clone(),
                            sharing: Some(share),
                        };
                        let theirs = Side {
                            id: with.clone(),
                            name: them.name.clone(),
                            organisation: them.profile.organisation.clone(),
                            sharing: None,
                        };
                        let (a, b) = if person <= with {
                            (mine, theirs)
                        } else {
                            (theirs, mine)
                        };
                        Consent {
                            a,
                            b,
                            asked_by: person.clone(),
                            why,
                            asked_ms: now,
                            agreed_ms: None,
                            ended_ms: None,
                            ended_by: None,
                        }
                    }
                };
                cx.change(ContactsChange::Consent(key, consent.clone()));
                for (p, other) in [(&person, &with), (&with, &person)] {
                    if let Some(contact) = contact_of(&consent, p, records.cards.get(other)) {
                        tell(cx, p, RoomEvent::ContactChanged { contact })?;
                    }
                }
            }
            ContactsCommand::End { person, with } => {
                let with = with.as_str().to_owned();
                if !end(cx, &person, &with)? {
                    return Err(Refusal::NotFound(format!("no contact with {with}")));
                }
            }
            ContactsCommand::Forget { person } => {
                let records = cx.records().part(|r| r.of(&[&person]));
                if records.cards.contains_key(&person) {
                    cx.change(ContactsChange::NoCard(person.clone()));
                    tell(
                        cx,
                        &person,
                        RoomEvent::ContactCardChanged {
                            card: ContactCard::default(),
                        },
                    )?;
                }
                // Their organisation and their reasons leave every consent record of theirs
                // (their name stays: the other one knows whom they exchanged with).
                let mut keys: Vec<&String> = records
                    .by_person
                    .get(&person)
                    .into_iter()
                    .flatten()
                    .collect();
                keys.sort();
                for key in keys {
                    let Some(c) = records.consents.get(key) else {
                        continue;
                    };
                    let mut scrubbed = c.clone();
                    if let Some(side) = scrubbed.side_mut(&person) {
                        side.organisation = None;
                    }
                    if scrubbed.asked_by == person {
                        scrubbed.why = None;
                    }
                    if scrubbed != *c {
                        cx.change(ContactsChange::Consent(key.clone(), scrubbed));
                    }
                }
                let mut others: Vec<String> = records
                    .live_of(&person)
                    .filter_map(|c| c.sides(&person).map(|(_, o)| o.id.clone()))
                    .collect();
                others.sort();
                for other in others {
                    end(cx, &person, &other)?;
                }
            }
            ContactsCommand::Block {
                person,
                with,
                blocked,
            } => blocks::block(cx, &person, with.as_str(), blocked)?,
            ContactsCommand::Report {
                person,
                name,
                about,
                reason,
            } => blocks::report(cx, person, name, about.as_str(), &reason)?,
        }
        Ok(Made::default())
    }

    fn load(records: &mut ContactsRecords, kind: &str, key: &str, value: Option<&str>) {
        let Some(value) = value else {
            if kind == CARD {
                Self::apply(records, &ContactsChange::NoCard(key.to_owned()));
            }
            return;
        };
        let change = match kind {
            CARD => serde_json::from_str(value).map(|c| ContactsChange::Card(key.to_owned(), c)),
            CONSENT => {
                serde_json::from_str(value).map(|c| ContactsChange::Consent(key.to_owned(), c))
            }
            BLOCKS => {
                serde_json::from_str(value).map(|b| ContactsChange::Blocks(key.to_owned(), b))
            }
            REPORT => match key.parse() {
                Ok(id) => serde_json::from_str(value).map(|r| ContactsChange::Report(id, r)),
                Err(_) => return tracing::error!(key, "an unreadable report id"),
            },
            _ => return,
        };
        match change {
            Ok(change) => Self::apply(records, &change),
            Err(e) => tracing::error!(key, kind, error = %e, "an unreadable contact record"),
        }
    }

    fn apply(records: &mut ContactsRecords, change: &ContactsChange) {
        match change {
            ContactsChange::Card(p, c) => drop(records.cards.insert(p.clone(), c.clone())),
            ContactsChange::Consent(k, c) => records.put(k.clone(), c.clone()),
            ContactsChange::Blocks(p, b) => drop(records.blocks.insert(p.clone(), b.clone())),
            ContactsChange::Report(id, r) => drop(records.reports.insert(*id, r.clone())),
            ContactsChange::NoCard(p) => drop(records.cards.remove(p)),
        }
    }

    fn store(change: &ContactsChange) -> Stored {
        match change {
            ContactsChange::Card(p, c) => Stored {
                kind: CARD,
                key: p.clone(),
                value: Some(serde_json::to_string(c).expect("a card serialises")),
            },
            ContactsChange::Consent(k, c) => Stored {
                kind: CONSENT,
                key: k.clone(),
                value: Some(serde_json::to_string(c).expect("a consent serialises")),
            },
            ContactsChange::Blocks(p, b) => Stored {
                kind: BLOCKS,
                key: p.clone(),
                value: Some(serde_json::to_string(b).expect("blocks serialise")),
            },
            ContactsChange::NoCard(p) => Stored {
                kind: CARD,
                key: p.clone(),
                value: None,
            },
            ContactsChange::Report(id, r) => Stored {
                kind: REPORT,
                key: id.to_string(),
                value: Some(serde_json::to_string(r).expect("a report serialises")),
            },
        }
    }
}

/// Ends the live consent of `person` and `with`, if any (both inboxes told): whether there was
/// one.
fn end(cx: &mut Cx<'_, Contacts>, person: &str, with: &str) -> Result<bool, Refusal> {
    let key = pair(person, with);
    let records = cx.records().part(|r| r.of(&[person]));
    let Some(mut consent) = records.consents.get(&key).filter(|c| c.live()).cloned() else {
        return Ok(false);
    };
    consent.ended_ms = Some(cx.now_ms());
    consent.ended_by = Some(person.to_owned());
    consent.a.sharing = None;
    consent.b.sharing = None;
    cx.change(ContactsChange::Consent(key, consent.clone()));
    for p in [person, with] {
        if let Some(contact) = contact_of(&consent, p, None) {
            tell(cx, p, RoomEvent::ContactChanged { contact })?;
        }
    }
    Ok(true)
}

/// Logs `event` in `person`'s inbox.
fn tell(cx: &mut Cx<'_, Contacts>, person: &str, event: RoomEvent) -> Result<(), Refusal> {
    let id = PersonId::parse(person).map_err(|e| Refusal::invalid("person", e.0))?;
    cx.emit_to(RoomId::Inbox(cx.room().event_code().clone(), id), event);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(agreed: bool) -> Consent {
        Consent {
            a: Side {
                id: "ana".into(),
                name: Some("Ana".into()),
                organisation: None,
                sharing: Some(Sharing {
                    email: true,
                    phone: false,
                    note: Some("Call me".into()),
                }),
            },
            b: Side {
                id: "bo".into(),
                name: Some("Bo".into()),
                organisation: None,
                sharing: agreed.then_some(Sharing {
                    email: false,
                    phone: true,
                    note: None,
                }),
            },
            asked_by: "ana".into(),
            why: Some("Hydrogen".into()),
            asked_ms: 1,
            agreed_ms: agreed.then_some(2),
            ended_ms: None,
            ended_by: None,
        }
    }

    #[test]
    fn nothing_is_shared_before_both_agree_and_only_what_was_chosen() {
        let card = ContactCard {
            email: Some("ana@example.org".into()),
            phone: Some("+46 70 123".into()),
        };
        // Asked, not agreed: Bo sees the offer, nothing of Ana's card.
        let offered = contact_of(&consent(false), "bo", Some(&card)).unwrap();
        assert_eq!(offered.status, ContactStatus::Offered);
        assert_eq!(offered.theirs, None);
        assert_eq!(
            contact_of(&consent(false), "ana", None).unwrap().status,
            ContactStatus::Asked
        );
        // Agreed: Bo sees Ana's email and note, not her phone (not shared).
        let agreed = contact_of(&consent(true), "bo", Some(&card)).unwrap();
        assert_eq!(agreed.status, ContactStatus::Agreed);
        assert_eq!(
            agreed.theirs,
            Some(Shared {
                email: Some("ana@example.org".into()),
                phone: None,
                note: Some("Call me".into()),
            })
        );
        // Ended: nothing either way.
        let mut ended = consent(true);
        ended.ended_ms = Some(3);
        let seen = contact_of(&ended, "bo", Some(&card)).unwrap();
        assert_eq!(
            (seen.status, seen.theirs, seen.mine),
            (ContactStatus::Ended, None, Sharing::default())
        );
        assert!(contact_of(&consent(true), "cy", Some(&card)).is_none());
    }

    #[test]
    fn a_card_holds_an_email_and_a_phone_or_is_refused() {
        let ok = card(&ContactCard {
            email: Some(" ana@example.org ".into()),
            phone: Some("+46 (0)70-123 45".into()),
        })
        .unwrap();
        assert_eq!(ok.email.as_deref(), Some("ana@example.org"));
        for bad in [
            ContactCard {
                email: Some("not an email".into()),
                phone: None,
            },
            ContactCard {
                email: None,
                phone: Some("call me".into()),
            },
            ContactCard {
                email: None,
                phone: Some("=1+2".into()),
            },
        ] {
            assert!(
                matches!(card(&bad), Err(Refusal::Invalid { .. })),
                "{bad:?}"
            );
        }
        assert!(matches!(
            card(&ContactCard {
                email: None,
                phone: Some("1".repeat(40))
            }),
            Err(Refusal::TooLong { .. })
        ));
        assert_eq!(pair("bo", "ana"), pair("ana", "bo"));
    }
}
