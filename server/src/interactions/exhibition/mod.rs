//! The exhibition: booths, their logos and their staff.
//!
//! Kept in the event room as private records: `booth` (key: the booth's id; its words, when it
//! was made, and its staff link's generation), `booth_logo` (key: the booth's id; the PNG as
//! re-encoded by the server, in base64) and `booth_staff` (key `BOOTH|PERSON`; the name and
//! organisation they joined with). Each change logs `booths_changed` in the event room, and
//! clients read the booths again over HTTP.
//!
//! **Who may do what** (checked here, on the server, whoever asks):
//! - the event's organisers create booths, remove them, renew their staff links and remove
//!   anyone from a booth's staff (the transport checks them);
//! - a booth's staff edit that booth's words and logo, and leave it: never another booth;
//! - anyone signed in with a display name joins a booth's staff with its current staff link.

pub mod rules;

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use base64::{Engine as _, engine::general_purpose::STANDARD as B64};
use hmac::{Hmac, Mac};
use plenum_protocol::{BoothDraft, BoothId, EventCode, RoomEvent, limits};
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
    /// Creates a booth (organisers) or replaces its words (organisers, its staff).
    Save {
        booth: BoothId,
        about: BoothDraft,
        by: Editor,
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
    /// Takes `person` off every booth's staff ("delete my data").
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

/// An event's booths, logos and staff.
#[derive(Debug, Default, Clone)]
pub struct ExhibitionRecords {
    pub booths: BTreeMap<String, BoothRecord>,
    /// PNG bytes, by booth.
    pub logos: HashMap<String, Vec<u8>>,
    /// (booth, person) → who.
    pub staff: BTreeMap<(String, String), StaffMember>,
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
        }
    }
}

#[derive(Debug, Clone)]
pub enum ExhibitionChange {
    Booth(String, BoothRecord),
    NoBooth(String),
    Logo(String, Vec<u8>),
    NoLogo(String),
    Staff(String, String, StaffMember),
    NoStaff(String, String),
}

const BOOTH: &str = "booth";
const LOGO: &str = "booth_logo";
const STAFF: &str = "booth_staff";

/// How many bytes of the HMAC a staff link's code keeps (16 characters).
const CODE_BYTES: usize = 12;

fn code_mac(key: &[u8; 32], event: &EventCode, booth: &str, link: u32) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("booth-staff:{event}:{booth}:{link}").as_bytes());
    mac
}

/// The code of `booth`'s staff link of generation `link`.
pub fn staff_code(key: &[u8; 32], event: &EventCode, booth: &str, link: u32) -> String {
    let tag = code_mac(key, event, booth, link).finalize().into_bytes();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..CODE_BYTES])
}

/// Whether `code` is `booth`'s current staff link's (compared in constant time).
fn code_holds(key: &[u8; 32], event: &EventCode, booth: &str, link: u32, code: &str) -> bool {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(code.trim())
        .ok()
        .filter(|t| t.len() == CODE_BYTES)
        .is_some_and(|t| {
            code_mac(key, event, booth, link)
                .verify_truncated_left(&t)
                .is_ok()
        })
}

/// A logo's version: 16 hex digits of its SHA-256.
pub fn logo_version(png: &[u8]) -> String {
    Sha256::digest(png)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn no_booth(booth: &BoothId) -> Refusal {
    Refusal::NotFound(format!("no booth {booth} at this event"))
}

fn not_staff(booth: &BoothId) -> Refusal {
    Refusal::Forbidden(format!(
        "only the event's organisers and {booth}'s staff may change it"
    ))
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
    let records = cx.records().part(|r| r.of(booth.as_str()));
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
    ];

    fn check(&self, command: &ExhibitionCommand) -> Result<(), Refusal> {
        match command {
            ExhibitionCommand::Save { about, .. } => rules::normalise(about).map(drop),
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: ExhibitionCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        match command {
            ExhibitionCommand::Save { booth, about, by } => {
                let about = rules::normalise(&about)?;
                let (_, found) = editable(cx, &booth, &by)?;
                let record = match found {
                    Some(r) if r.about == about => return Ok(Made::default()),
                    Some(r) => BoothRecord { about, ..r },
                    None if by == Editor::Organiser => {
                        let view = cx.records();
                        let count = view.committed.booths.len()
                            + view
                                .changes
                                .iter()
                                .filter(|c| matches!(c, ExhibitionChange::Booth(..)))
                                .count();
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
                let records = cx.records().part(|r| r.of(booth.as_str()));
                let Some(record) = records.booths.get(booth.as_str()) else {
                    return Err(no_booth(&booth));
                };
                if record.logo.is_some() {
                    cx.change(ExhibitionChange::NoLogo(booth.to_string()));
                }
                for (person, _) in records.staff_of(booth.as_str()) {
                    cx.change(ExhibitionChange::NoStaff(
                        booth.to_string(),
                        person.to_owned(),
                    ));
                }
                cx.change(ExhibitionChange::NoBooth(booth.to_string()));
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
                let records = cx.records().part(|r| r.of(booth.as_str()));
                let record = records
                    .booths
                    .get(booth.as_str())
                    .cloned()
                    .ok_or_else(|| no_booth(&booth))?;
                cx.change(ExhibitionChange::Booth(
                    booth.to_string(),
                    BoothRecord {
                        link: record.link + 1,
                        ..record
                    },
                ));
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
                let records = cx.records().part(|r| r.of(booth.as_str()));
                let record = records
                    .booths
                    .get(booth.as_str())
                    .ok_or_else(|| no_booth(&booth))?;
                let event = cx.room().event_code().clone();
                if !code_holds(cx.key(), &event, booth.as_str(), record.link, &code) {
                    return Err(Refusal::Forbidden(
                        "this staff link does not work (any more): ask the organisers for the booth's current one".into(),
                    ));
                }
                let Some(name) = name else {
                    return Err(Refusal::Forbidden(
                        "a booth's staff are shown by name: choose a display name first".into(),
                    ));
                };
                if records.staffs(booth.as_str(), &person) {
                    return Ok(Made::default());
                }
                if records.staff_of(booth.as_str()).count() >= limits::MAX_BOOTH_STAFF {
                    return Err(Refusal::TooLarge(format!(
                        "a booth has at most {} staff",
                        limits::MAX_BOOTH_STAFF
                    )));
                }
                cx.change(ExhibitionChange::Staff(
                    booth.to_string(),
                    person,
                    StaffMember {
                        name,
                        organisation,
                        joined_ms: cx.now_ms(),
                    },
                ));
            }
            ExhibitionCommand::Forget { person } => {
                let view = cx.records();
                let mut theirs: Vec<String> = view
                    .committed
                    .staff
                    .keys()
                    .filter(|(_, p)| *p == person)
                    .map(|(b, _)| b.clone())
                    .collect();
                theirs.retain(|b| view.part(|r| r.of(b)).staffs(b, &person));
                if theirs.is_empty() {
                    return Ok(Made::default());
                }
                for booth in theirs {
                    cx.change(ExhibitionChange::NoStaff(booth, person.clone()));
                }
            }
            ExhibitionCommand::Leave { booth, person, by } => {
                if matches!(&by, Editor::Person(p) if *p != person) {
                    return Err(Refusal::Forbidden(
                        "only the organisers take someone else off a booth's staff".into(),
                    ));
                }
                let records = cx.records().part(|r| r.of(booth.as_str()));
                if !records.booths.contains_key(booth.as_str()) {
                    return Err(no_booth(&booth));
                }
                if !records.staffs(booth.as_str(), &person) {
                    return Ok(Made::default());
                }
                cx.change(ExhibitionChange::NoStaff(booth.to_string(), person));
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
            (STAFF, value) => {
                let Some((booth, person)) = key.split_once('|') else {
                    return tracing::error!(key, "an unreadable booth staff key");
                };
                match value {
                    None => Ok(ExhibitionChange::NoStaff(
                        booth.to_owned(),
                        person.to_owned(),
                    )),
                    Some(v) => serde_json::from_str(v)
                        .map(|m| ExhibitionChange::Staff(booth.to_owned(), person.to_owned(), m)),
                }
            }
            _ => return,
        };
        match change {
            Ok(change) => Self::apply(records, &change),
            Err(e) => tracing::error!(key, kind, error = %e, "an unreadable exhibition record"),
        }
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staff_link_works_for_its_booth_and_generation_only() {
        let key = [3u8; 32];
        let event = EventCode::parse("ECC2026").unwrap();
        let code = staff_code(&key, &event, "porto", 0);
        assert!(code_holds(&key, &event, "porto", 0, &code));
        assert!(!code_holds(&key, &event, "porto", 1, &code));
        assert!(!code_holds(&key, &event, "lund", 0, &code));
        assert!(!code_holds(&[4u8; 32], &event, "porto", 0, &code));
        let other = EventCode::parse("OTHER").unwrap();
        assert!(!code_holds(&key, &other, "porto", 0, &code));
        assert!(!code_holds(
            &key,
            &event,
            "porto",
            0,
            &code[..code.len() - 1]
        ));
        assert!(!code_holds(&key, &event, "porto", 0, ""));
    }

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
