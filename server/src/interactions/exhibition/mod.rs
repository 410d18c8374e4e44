//! The exhibition: booths, their logos and their staff.
//!
//! Kept in the event room as private records: `booth` (key: the booth's id; its words, when it
//! was made, and its staff link's generation), `booth_logo` (key: the booth's id; the PNG as
//! re-encoded by the server, in base64), `booth_staff` (key `BOOTH|PERSON`; the name and
//! organisation they joined with; [`staff`]), and for "talk now" ([`talk`]) `booth_here` (key
//! `BOOTH|PERSON`: when that staff member last said they are at the booth), `booth_talk` (key
//! `BOOTH|VISITOR`: their newest request there) and `booth_counts` (key: the booth; requests,
//! answered, missed, contact requests: counts only), and for contacts with a booth
//! ([`leads`]) `booth_contact` (key `BOOTH|VISITOR`), and for visits ([`visits`]) `booth_visit`
//! (key `BOOTH|VISITOR`). A change of what the hall shows logs `booths_changed` in the
//! event room, and clients read the booths again over HTTP; "talk now" reaches the inboxes of
//! the visitor and the booth's staff.
//!
//! **Who may do what** (checked here, on the server, whoever asks):
//! - the event's organisers create booths, remove them, renew their staff links and remove
//!   anyone from a booth's staff (the transport checks them);
//! - a booth's staff edit that booth's words and logo, and leave it: never another booth;
//! - anyone signed in with a display name joins a booth's staff with its current staff link.

pub mod chat;
pub mod leads;
pub mod rules;
pub mod staff;
pub mod talk;
pub mod visits;

pub use staff::staff_code;

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use plenum_protocol::{BoothDraft, BoothId, RoomEvent, limits};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The exhibition interaction.
pub struct Exhibition;

/// Who edits a booth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Editor {
    /// An organiser of the event (checked by the transport).
    Organiser,
    /// A person: allowed on the booths whose staff they are.
    Person(String),
}

#[derive(Debug, Clone)]
pub enum ExhibitionCommand {
    /// Creates a booth (`create`, organisers; `conflict` if it exists), or replaces its words
    /// (organisers, its staff; `not_found` if it does not exist).
    Save {
        booth: BoothId,
        about: BoothDraft,
        by: Editor,
        create: bool,
    },
    /// Removes a booth, its logo and its staff (organisers).
    Remove { booth: BoothId },
    /// Sets (a PNG the server made) or removes a booth's logo.
    Logo {
        booth: BoothId,
        png: Option<Vec<u8>>,
        by: Editor,
    },
    /// Makes a booth's staff link anew: the old one stops working (organisers).
    RenewLink { booth: BoothId },
    /// `person` joins a booth's staff with its staff link's `code`.
    Join {
        booth: BoothId,
        person: String,
        name: Option<String>,
        organisation: Option<String>,
        code: String,
    },
    /// `person`, of the booth's staff, is at the booth (again), or no longer.
    Here {
        booth: BoothId,
        person: String,
        here: bool,
    },
    /// `person` is looking at the booth's page (again), or no longer.
    Visit {
        booth: BoothId,
        person: String,
        here: bool,
    },
    /// `person` asks the booth to talk now.
    Ask {
        booth: BoothId,
        person: String,
        name: Option<String>,
        organisation: Option<String>,
    },
    /// `person`, of the booth's staff, accepts `visitor`'s request.
    Answer {
        booth: BoothId,
        visitor: String,
        person: String,
    },
    /// `person` (the visitor, or one of the staff) ends `visitor`'s talk.
    EndTalk {
        booth: BoothId,
        visitor: String,
        person: String,
    },
    /// `person` asks a booth for contact, saying what they share and why.
    AskContact {
        booth: BoothId,
        person: String,
        name: Option<String>,
        share: plenum_protocol::Sharing,
        why: Option<String>,
    },
    /// `person`, of the booth's staff, accepts `visitor`'s contact request.
    AnswerContact {
        booth: BoothId,
        visitor: String,
        person: String,
        share: plenum_protocol::Sharing,
    },
    /// `person` (the visitor, or one of the staff) ends `visitor`'s contact with the booth.
    EndContact {
        booth: BoothId,
        visitor: String,
        person: String,
    },
    /// Takes `person` off every booth's staff, and deletes their talks and contacts with booths
    /// ("delete my data").
    Forget { person: String },
    /// Takes `person` off a booth's staff (organisers, or the person).
    Leave {
        booth: BoothId,
        person: String,
        by: Editor,
    },
}

/// A booth as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothRecord {
    pub about: BoothDraft,
    pub made_ms: i64,
    /// The staff link's generation: renewing it makes the older links fail.
    #[serde(default)]
    pub link: u32,
    /// The logo's version (16 hex digits of its SHA-256), once there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// One of a booth's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    pub joined_ms: i64,
}

/// An event's booths, logos, staff, and "talk now".
#[derive(Debug, Default, Clone)]
pub struct ExhibitionRecords {
    pub booths: BTreeMap<String, BoothRecord>,
    /// PNG bytes, by booth.
    pub logos: HashMap<String, Vec<u8>>,
    /// (booth, person) → who.
    pub staff: BTreeMap<(String, String), StaffMember>,
    /// (booth, person) → when that staff member last said they are at the booth.
    pub here: BTreeMap<(String, String), i64>,
    /// (booth, visitor) → their newest "talk now" there.
    pub talks: BTreeMap<(String, String), talk::TalkRecord>,
    /// Booth → its counts of "talk now" and contact requests.
    pub counts: HashMap<String, talk::TalkCounts>,
    /// (booth, visitor) → their contact with the booth.
    pub leads: BTreeMap<(String, String), leads::LeadRecord>,
    /// (booth, visitor) → their visits to the booth's page.
    pub visits: BTreeMap<(String, String), visits::VisitRecord>,
}

impl ExhibitionRecords {
    /// Whether `person` is on `booth`'s staff.
    pub fn staffs(&self, booth: &str, person: &str) -> bool {
        self.staff
            .contains_key(&(booth.to_owned(), person.to_owned()))
    }

    /// `booth`'s staff, by person id.
    pub fn staff_of<'a>(
        &'a self,
        booth: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a StaffMember)> + 'a {
        self.staff
            .range((booth.to_owned(), String::new())..)
            .take_while(move |((b, _), _)| b == booth)
            .map(|((_, p), m)| (p.as_str(), m))
    }

    /// Whether someone of `booth`'s staff said they are at the booth within the last
    /// [`talk::PRESENT_MS`] before `now_ms`.
    pub fn staffed(&self, booth: &str, now_ms: i64) -> bool {
        self.here
            .range((booth.to_owned(), String::new())..)
            .take_while(|((b, _), _)| b == booth)
            .any(|((_, p), seen)| now_ms - seen <= talk::PRESENT_MS && self.staffs(booth, p))
    }

    /// Only what concerns `booth`.
    fn of(&self, booth: &str) -> ExhibitionRecords {
        ExhibitionRecords {
            booths: self
                .booths
                .get_key_value(booth)
                .map(|(k, v)| (k.clone(), v.clone()))
                .into_iter()
                .collect(),
            logos: HashMap::new(),
            staff: self
                .staff_of(booth)
                .map(|(p, m)| ((booth.to_owned(), p.to_owned()), m.clone()))
                .collect(),
            here: in_booth(&self.here, booth),
            talks: in_booth(&self.talks, booth),
            leads: in_booth(&self.leads, booth),
            visits: in_booth(&self.visits, booth),
            counts: self
                .counts
                .get_key_value(booth)
                .map(|(k, v)| (k.clone(), *v))
                .into_iter()
                .collect(),
        }
    }
}

/// The entries of `map` keyed `(booth, _)`.
fn in_booth<T: Clone>(
    map: &BTreeMap<(String, String), T>,
    booth: &str,
) -> BTreeMap<(String, String), T> {
    map.range((booth.to_owned(), String::new())..)
        .take_while(|((b, _), _)| b == booth)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[derive(Debug, Clone)]
pub enum ExhibitionChange {
    Booth(String, BoothRecord),
    NoBooth(String),
    Logo(String, Vec<u8>),
    NoLogo(String),
    Staff(String, String, StaffMember),
    NoStaff(String, String),
    Here(String, String, i64),
    NotHere(String, String),
    Talk(String, String, talk::TalkRecord),
    NoTalk(String, String),
    Counts(String, talk::TalkCounts),
    NoCounts(String),
    Lead(String, String, leads::LeadRecord),
    NoLead(String, String),
    Visit(String, String, visits::VisitRecord),
    NoVisit(String, String),
}

const BOOTH: &str = "booth";
const LOGO: &str = "booth_logo";
const STAFF: &str = "booth_staff";
const HERE: &str = "booth_here";
const TALK: &str = "booth_talk";
const COUNTS: &str = "booth_counts";
const LEAD: &str = "booth_contact";
const VISIT: &str = "booth_visit";

/// A logo's version: 16 hex digits of its SHA-256.
pub fn logo_version(png: &[u8]) -> String {
    Sha256::digest(png)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(super) fn no_booth(booth: &BoothId) -> Refusal {
    Refusal::NotFound(format!("no booth {booth} at this event"))
}

fn not_staff(booth: &BoothId) -> Refusal {
    Refusal::Forbidden(format!(
        "only the event's organisers and {booth}'s staff may change it"
    ))
}

/// What concerns `booth` as the batch leaves it (the batch's changes applied, then what
/// concerns other booths left out again: a batch may change several).
pub(crate) fn booth_view(cx: &Cx<'_, Exhibition>, booth: &str) -> ExhibitionRecords {
    cx.records().part(|r| r.of(booth)).of(booth)
}

/// What concerns `booth` in `view` (another room's interaction reading the exhibition).
pub(crate) fn booth_part(view: &super::View<'_, Exhibition>, booth: &str) -> ExhibitionRecords {
    view.part(|r| r.of(booth)).of(booth)
}

/// Logs that the booths changed.
fn changed(cx: &mut Cx<'_, Exhibition>) -> Result<(), Refusal> {
    let version = cx.event_room()?.booths_version + 1;
    cx.emit(RoomEvent::BoothsChanged { version });
    Ok(())
}

/// `booth` as the batch leaves it, checked against `by`: refused unless `by` may edit it.
fn editable(
    cx: &Cx<'_, Exhibition>,
    booth: &BoothId,
    by: &Editor,
) -> Result<(ExhibitionRecords, Option<BoothRecord>), Refusal> {
    let records = booth_view(cx, booth.as_str());
    if let Editor::Person(p) = by
        && !records.staffs(booth.as_str(), p)
    {
        return Err(not_staff(booth));
    }
    let found = records.booths.get(booth.as_str()).cloned();
    Ok((records, found))
}

impl Interaction for Exhibition {
    type Command = ExhibitionCommand;
    type Records = ExhibitionRecords;
    type Change = ExhibitionChange;
    const NAME: &'static str = "exhibition";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: BOOTH,
            tallied: false,
            personal: false,
        },
        RecordKind {
            name: LOGO,
            tallied: false,
            personal: false,
        },
        RecordKind {
            name: STAFF,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: HERE,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: TALK,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: COUNTS,
            tallied: false,
            personal: false,
        },
        RecordKind {
            name: LEAD,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: VISIT,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &ExhibitionCommand) -> Result<(), Refusal> {
        match command {
            ExhibitionCommand::Save { about, .. } => rules::normalise(about).map(drop),
            ExhibitionCommand::AskContact { share, why, .. } => leads::check(share, why.as_deref()),
            ExhibitionCommand::AnswerContact { share, .. } => leads::check(share, None),
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: ExhibitionCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        match command {
            ExhibitionCommand::Save {
                booth,
                about,
                by,
                create,
            } => {
                let about = rules::normalise(&about)?;
                let (_, found) = editable(cx, &booth, &by)?;
                let record = match found {
                    Some(_) if create => {
                        return Err(Refusal::Conflict(format!(
                            "there is a booth {booth} already: choose another id"
                        )));
                    }
                    Some(r) if r.about == about => return Ok(Made::default()),
                    Some(r) => BoothRecord { about, ..r },
                    None if by == Editor::Organiser && create => {
                        let count = cx
                            .records()
                            .part(|r| ExhibitionRecords {
                                booths: r.booths.clone(),
                                ..ExhibitionRecords::default()
                            })
                            .booths
                            .len();
                        if count >= limits::MAX_BOOTHS {
                            return Err(Refusal::TooLarge(format!(
                                "an exhibition has at most {} booths",
                                limits::MAX_BOOTHS
                            )));
                        }
                        BoothRecord {
                            about,
                            made_ms: cx.now_ms(),
                            link: 0,
                            logo: None,
                        }
                    }
                    None => return Err(no_booth(&booth)),
                };
                cx.change(ExhibitionChange::Booth(booth.to_string(), record));
            }
            ExhibitionCommand::Remove { booth } => {
                let records = booth_view(cx, booth.as_str());
                let Some(record) = records.booths.get(booth.as_str()) else {
                    return Err(no_booth(&booth));
                };
                if record.logo.is_some() {
                    cx.change(ExhibitionChange::NoLogo(booth.to_string()));
                }
                talk::booth_removed(cx, &booth);
                leads::booth_removed(cx, &booth);
                visits::booth_removed(cx, &booth);
                let b = booth.to_string();
                for (person, _) in records.staff_of(booth.as_str()) {
                    cx.change(ExhibitionChange::NoStaff(b.clone(), person.to_owned()));
                    talk::gone(cx, &booth, person);
                }
                for (_, person) in records.here.keys() {
                    cx.change(ExhibitionChange::NotHere(b.clone(), person.clone()));
                }
                for (_, visitor) in records.talks.keys() {
                    cx.change(ExhibitionChange::NoTalk(b.clone(), visitor.clone()));
                }
                if records.counts.contains_key(&b) {
                    cx.change(ExhibitionChange::NoCounts(b.clone()));
                }
                cx.change(ExhibitionChange::NoBooth(b));
            }
            ExhibitionCommand::Logo { booth, png, by } => {
                let (_, found) = editable(cx, &booth, &by)?;
                let record = found.ok_or_else(|| no_booth(&booth))?;
                let version = png.as_deref().map(logo_version);
                if version == record.logo {
                    return Ok(Made::default());
                }
                match png {
                    Some(png) => cx.change(ExhibitionChange::Logo(booth.to_string(), png)),
                    None => cx.change(ExhibitionChange::NoLogo(booth.to_string())),
                }
                cx.change(ExhibitionChange::Booth(
                    booth.to_string(),
                    BoothRecord {
                        logo: version,
                        ..record
                    },
                ));
            }
            ExhibitionCommand::RenewLink { booth } => {
                staff::renew_link(cx, &booth)?;
                // Nothing anyone sees changed: no `booths_changed`.
                return Ok(Made::default());
            }
            ExhibitionCommand::Join {
                booth,
                person,
                name,
                organisation,
                code,
            } => {
                if !staff::join(cx, &booth, &person, name, organisation, &code)? {
                    return Ok(Made::default());
                }
            }
            ExhibitionCommand::Forget { person } => {
                // No booth's words or staff changed: no `booths_changed`.
                if !staff::forget(cx, &person) {
                    return Ok(Made::default());
                }
            }
            ExhibitionCommand::Here {
                booth,
                person,
                here,
            } => {
                if !talk::here(cx, &booth, &person, here)? {
                    return Ok(Made::default());
                }
            }
            ExhibitionCommand::Visit {
                booth,
                person,
                here,
            } => {
                visits::visit(cx, &booth, &person, here)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::Ask {
                booth,
                person,
                name,
                organisation,
            } => {
                talk::ask(cx, &booth, &person, name, organisation)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::Answer {
                booth,
                visitor,
                person,
            } => {
                talk::answer(cx, &booth, &visitor, &person)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::EndTalk {
                booth,
                visitor,
                person,
            } => {
                talk::end(cx, &booth, &visitor, &person)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::AskContact {
                booth,
                person,
                name,
                share,
                why,
            } => {
                leads::ask(cx, &booth, &person, name, &share, why.as_deref())?;
                return Ok(Made::default());
            }
            ExhibitionCommand::AnswerContact {
                booth,
                visitor,
                person,
                share,
            } => {
                leads::answer(cx, &booth, &visitor, &person, &share)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::EndContact {
                booth,
                visitor,
                person,
            } => {
                leads::end(cx, &booth, &visitor, &person)?;
                return Ok(Made::default());
            }
            ExhibitionCommand::Leave { booth, person, by } => {
                if !staff::leave(cx, &booth, &person, &by)? {
                    return Ok(Made::default());
                }
            }
        }
        changed(cx)?;
        Ok(Made::default())
    }

    fn load(records: &mut ExhibitionRecords, kind: &str, key: &str, value: Option<&str>) {
        let change = match (kind, value) {
            (BOOTH, None) => Ok(ExhibitionChange::NoBooth(key.to_owned())),
            (BOOTH, Some(v)) => {
                serde_json::from_str(v).map(|r| ExhibitionChange::Booth(key.to_owned(), r))
            }
            (LOGO, None) => Ok(ExhibitionChange::NoLogo(key.to_owned())),
            (LOGO, Some(v)) => match B64.decode(v) {
                Ok(png) => Ok(ExhibitionChange::Logo(key.to_owned(), png)),
                Err(_) => return tracing::error!(key, "an unreadable booth logo"),
            },
            (COUNTS, None) => Ok(ExhibitionChange::NoCounts(key.to_owned())),
            (COUNTS, Some(v)) => {
                serde_json::from_str(v).map(|c| ExhibitionChange::Counts(key.to_owned(), c))
            }
            (STAFF | HERE | TALK | LEAD | VISIT, value) => {
                let Some((booth, person)) = key.split_once('|') else {
                    return tracing::error!(key, kind, "an unreadable booth record key");
                };
                let (b, p) = (booth.to_owned(), person.to_owned());
                match (kind, value) {
                    (STAFF, None) => Ok(ExhibitionChange::NoStaff(b, p)),
                    (STAFF, Some(v)) => {
                        serde_json::from_str(v).map(|m| ExhibitionChange::Staff(b, p, m))
                    }
                    (HERE, None) => Ok(ExhibitionChange::NotHere(b, p)),
                    (HERE, Some(v)) => match v.parse() {
                        Ok(at) => Ok(ExhibitionChange::Here(b, p, at)),
                        Err(_) => return tracing::error!(key, "an unreadable presence"),
                    },
                    (VISIT, None) => Ok(ExhibitionChange::NoVisit(b, p)),
                    (VISIT, Some(v)) => {
                        serde_json::from_str(v).map(|r| ExhibitionChange::Visit(b, p, r))
                    }
                    (LEAD, None) => Ok(ExhibitionChange::NoLead(b, p)),
                    (LEAD, Some(v)) => {
                        serde_json::from_str(v).map(|l| ExhibitionChange::Lead(b, p, l))
                    }
                    (_, None) => Ok(ExhibitionChange::NoTalk(b, p)),
                    (_, Some(v)) => {
                        serde_json::from_str(v).map(|t| ExhibitionChange::Talk(b, p, t))
                    }
                }
            }
            _ => return,
        };
        match change {
            Ok(change) => Self::apply(records, &change),
            Err(e) => tracing::error!(key, kind, error = %e, "an unreadable exhibition record"),
        }
    }

    /// A booth's call link is often a staff member's own meeting room: it goes with the
    /// personal data.
    fn purged(kind: &str, _key: &str, value: &str) -> Option<String> {
        if kind != BOOTH {
            return None;
        }
        let mut record: BoothRecord = serde_json::from_str(value).ok()?;
        record.about.call.take()?;
        serde_json::to_string(&record).ok()
    }

    fn apply(records: &mut ExhibitionRecords, change: &ExhibitionChange) {
        match change {
            ExhibitionChange::Booth(b, r) => drop(records.booths.insert(b.clone(), r.clone())),
            ExhibitionChange::NoBooth(b) => drop(records.booths.remove(b)),
            ExhibitionChange::Logo(b, png) => drop(records.logos.insert(b.clone(), png.clone())),
            ExhibitionChange::NoLogo(b) => drop(records.logos.remove(b)),
            ExhibitionChange::Staff(b, p, m) => {
                drop(records.staff.insert((b.clone(), p.clone()), m.clone()))
            }
            ExhibitionChange::NoStaff(b, p) => drop(records.staff.remove(&(b.clone(), p.clone()))),
            ExhibitionChange::Here(b, p, at) => {
                records.here.insert((b.clone(), p.clone()), *at);
            }
            ExhibitionChange::NotHere(b, p) => drop(records.here.remove(&(b.clone(), p.clone()))),
            ExhibitionChange::Talk(b, p, t) => {
                drop(records.talks.insert((b.clone(), p.clone()), t.clone()))
            }
            ExhibitionChange::NoTalk(b, p) => drop(records.talks.remove(&(b.clone(), p.clone()))),
            ExhibitionChange::Counts(b, c) => {
                records.counts.insert(b.clone(), *c);
            }
            ExhibitionChange::NoCounts(b) => drop(records.counts.remove(b)),
            ExhibitionChange::Lead(b, p, l) => {
                drop(records.leads.insert((b.clone(), p.clone()), l.clone()))
            }
            ExhibitionChange::NoLead(b, p) => drop(records.leads.remove(&(b.clone(), p.clone()))),
            ExhibitionChange::Visit(b, p, v) => {
                records.visits.insert((b.clone(), p.clone()), *v);
            }
            ExhibitionChange::NoVisit(b, p) => {
                records.visits.remove(&(b.clone(), p.clone()));
            }
        }
    }

    fn store(change: &ExhibitionChange) -> Stored {
        match change {
            ExhibitionChange::Booth(b, r) => Stored {
                kind: BOOTH,
                key: b.clone(),
                value: Some(serde_json::to_string(r).expect("a booth serialises")),
            },
            ExhibitionChange::NoBooth(b) => Stored {
                kind: BOOTH,
                key: b.clone(),
                value: None,
            },
            ExhibitionChange::Logo(b, png) => Stored {
                kind: LOGO,
                key: b.clone(),
                value: Some(B64.encode(png)),
            },
            ExhibitionChange::NoLogo(b) => Stored {
                kind: LOGO,
                key: b.clone(),
                value: None,
            },
            ExhibitionChange::Staff(b, p, m) => Stored {
                kind: STAFF,
                key: format!("{b}|{p}"),
                value: Some(serde_json::to_string(m).expect("a staff member serialises")),
            },
            ExhibitionChange::NoStaff(b, p) => Stored {
                kind: STAFF,
                key: format!("{b}|{p}"),
                value: None,
            },
            ExhibitionChange::Here(b, p, at) => Stored {
                kind: HERE,
                key: format!("{b}|{p}"),
                value: Some(at.to_string()),
            },
            ExhibitionChange::NotHere(b, p) => Stored {
                kind: HERE,
                key: format!("{b}|{p}"),
                value: None,
            },
            ExhibitionChange::Talk(b, p, t) => Stored {
                kind: TALK,
                key: format!("{b}|{p}"),
                value: Some(serde_json::to_string(t).expect("a talk serialises")),
            },
            ExhibitionChange::NoTalk(b, p) => Stored {
                kind: TALK,
                key: format!("{b}|{p}"),
                value: None,
            },
            ExhibitionChange::Counts(b, c) => Stored {
                kind: COUNTS,
                key: b.clone(),
                value: Some(serde_json::to_string(c).expect("counts serialise")),
            },
            ExhibitionChange::NoCounts(b) => Stored {
                kind: COUNTS,
                key: b.clone(),
                value: None,
            },
            ExhibitionChange::Lead(b, p, l) => Stored {
                kind: LEAD,
                key: format!("{b}|{p}"),
                value: Some(serde_json::to_string(l).expect("a contact serialises")),
            },
            ExhibitionChange::NoLead(b, p) => Stored {
                kind: LEAD,
                key: format!("{b}|{p}"),
                value: None,
            },
            ExhibitionChange::Visit(b, p, v) => Stored {
                kind: VISIT,
                key: format!("{b}|{p}"),
                value: Some(serde_json::to_string(v).expect("a visit serialises")),
            },
            ExhibitionChange::NoVisit(b, p) => Stored {
                kind: VISIT,
                key: format!("{b}|{p}"),
                value: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_are_listed_per_booth() {
        let mut r = ExhibitionRecords::default();
        let m = |n: &str| StaffMember {
            name: n.into(),
            organisation: None,
            joined_ms: 0,
        };
        for (b, p) in [("a", "x"), ("a-b", "y"), ("ab", "z"), ("a", "w")] {
            Exhibition::apply(&mut r, &ExhibitionChange::Staff(b.into(), p.into(), m(p)));
        }
        let of_a: Vec<&str> = r.staff_of("a").map(|(p, _)| p).collect();
        assert_eq!(of_a, ["w", "x"]);
        assert!(r.staffs("a-b", "y") && !r.staffs("a", "y"));
    }
}
