//! People: who each person is at an event besides their name (organisation, country,
//! languages), and the sessions they starred.
//!
//! Kept in the event room as records (`profile`, `stars`; key: the person's id), so the
//! organisers can list the people and other interactions (world cafés, meetings) can read them;
//! an event keeps them for at most `limits::MAX_PEOPLE` people. Each change is also logged in
//! the person's inbox room as a follow-up (`profile_changed`, `stars_changed`), so every device
//! of theirs has it at once, and nobody else does.
//!
//! A participant import (`import`) sets many people's profiles in one write, within the same
//! bound; a person it made finds their profile in their inbox when they first sign in
//! (`Tell`).

pub mod import;

use super::{Cx, Interaction, Made, RecordKind, Refusal, Stored};
use plenum_protocol::{PersonId, Profile, RoomEvent, RoomId, SessionId, limits};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The people interaction.
pub struct People;

#[derive(Debug, Clone)]
pub enum PeopleCommand {
    /// Sets a person's own profile (the whole of it).
    SetProfile {
        person: String,
        name: Option<String>,
        profile: Profile,
    },
    /// Stars or unstars a session for a person.
    Star {
        person: String,
        name: Option<String>,
        session: SessionId,
        starred: bool,
    },
    /// Sets the profiles of the people a participant import names (normalised already), all
    /// or none.
    Import(Vec<(String, Option<String>, Profile)>),
    /// Tells a person's inbox their profile as kept (a person an import made, signing in).
    Tell { person: String },
    /// Empties a person's profile ("delete my data"), if the event keeps one: it never makes
    /// a participant of someone it keeps nothing of.
    Clear { person: String },
}

/// What an event keeps of one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Someone {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub profile: Profile,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub stars: BTreeSet<SessionId>,
}

/// Every person an event keeps something of, by id.
#[derive(Debug, Default)]
pub struct PeopleRecords {
    pub people: HashMap<String, Someone>,
}

#[derive(Debug, Clone)]
pub enum PeopleChange {
    Profile {
        person: String,
        name: Option<String>,
        profile: Profile,
    },
    Stars {
        person: String,
        name: Option<String>,
        stars: BTreeSet<SessionId>,
    },
}

const PROFILE: &str = "profile";
const STARS: &str = "stars";

/// The stored value of a profile record: the name beside it.
#[derive(Serialize, Deserialize)]
struct ProfileRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    profile: Profile,
}

#[derive(Serialize, Deserialize)]
struct StarsRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    stars: BTreeSet<SessionId>,
}

/// `profile` as kept, or why not: the organisation a person's text (empty: none), the country
/// two letters (upper-cased), each language two or three letters (lower-cased), no repeats.
pub fn normalise(profile: &Profile) -> Result<Profile, Refusal> {
    let organisation = match profile.organisation.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(o) => Some(super::text(
            "profile.organisation",
            o,
            limits::MAX_ORGANISATION_CHARS,
        )?),
    };
    let country = match profile.country.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(c) => {
            return Err(Refusal::invalid(
                "profile.country",
                format!("must be a two-letter country code like \"SE\", got {c:?}"),
            ));
        }
    };
    if profile.languages.len() > limits::MAX_PROFILE_LANGUAGES {
        return Err(Refusal::TooLarge(format!(
            "profile.languages: at most {} languages",
            limits::MAX_PROFILE_LANGUAGES
        )));
    }
    let mut languages: Vec<String> = Vec::new();
    for (i, l) in profile.languages.iter().enumerate() {
        let l = l.trim().to_ascii_lowercase();
        let field = format!("profile.languages[{i}]");
        if !((2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase())) {
            return Err(Refusal::invalid(
                &field,
                format!("must be a language code like \"en\" or \"sv\", got {l:?}"),
            ));
        }
        if languages.contains(&l) {
            return Err(Refusal::invalid(&field, format!("{l:?} is named twice")));
        }
        languages.push(l);
    }
    Ok(Profile {
        organisation,
        country,
        languages,
    })
}

/// Sets the profiles an import names, all or none: within the event's bound of people. Those
/// whose profile changes and who were known before hear it in their inbox (the others find it
/// there when they first sign in).
fn import_profiles(
    cx: &mut Cx<'_, People>,
    many: Vec<(String, Option<String>, Profile)>,
) -> Result<(), Refusal> {
    let view = cx.records();
    let known = |p: &str| {
        view.committed.people.contains_key(p)
            || view.changes.iter().any(|c| match c {
                PeopleChange::Profile { person, .. } | PeopleChange::Stars { person, .. } => {
                    person == p
                }
            })
    };
    let mut newcomers = BTreeSet::new();
    for c in view.changes {
        let (PeopleChange::Profile { person, .. } | PeopleChange::Stars { person, .. }) = c;
        if !view.committed.people.contains_key(person) {
            newcomers.insert(person.as_str());
        }
    }
    let before = view.committed.people.len() + newcomers.len();
    let new = many.iter().filter(|(p, _, _)| !known(p)).count();
    if before + new > limits::MAX_PEOPLE {
        return Err(Refusal::TooLarge(format!(
            "an event keeps profiles and stars for at most {} people ({before} kept, {new} new)",
            limits::MAX_PEOPLE
        )));
    }
    let mut changes = Vec::new();
    for (person, name, profile) in many {
        let now = view.part(|r| PeopleRecords {
            people: r
                .people
                .get(&person)
                .map(|s| (person.clone(), s.clone()))
                .into_iter()
                .collect(),
        });
        match now.people.get(&person) {
            Some(s) if s.profile == profile => {}
            // Someone kept keeps their name (a re-import updates the profile only).
            Some(s) => changes.push((true, person, s.name.clone(), profile)),
            None => changes.push((false, person, name, profile)),
        }
    }
    for (tell, person, name, profile) in changes {
        keep_profile(cx, person, name, profile, tell)?;
    }
    Ok(())
}

/// Keeps `person`'s profile, telling their inbox when `tell`.
fn keep_profile(
    cx: &mut Cx<'_, People>,
    person: String,
    name: Option<String>,
    profile: Profile,
    tell: bool,
) -> Result<(), Refusal> {
    if tell {
        cx.emit_to(
            inbox(cx.room(), &person)?,
            RoomEvent::ProfileChanged {
                profile: profile.clone(),
            },
        );
    }
    cx.change(PeopleChange::Profile {
        person,
        name,
        profile,
    });
    Ok(())
}

/// What the event keeps of `person` (name, profile, stars), if anything, read by another
/// interaction deciding in the event room (`cx`'s room).
pub fn someone<I: Interaction + ?Sized>(
    cx: &Cx<'_, I>,
    person: &str,
) -> Result<Option<Someone>, Refusal> {
    let room = cx.room().clone();
    cx.other_of::<People, _>(&room, |view| {
        view.part(|r| PeopleRecords {
            people: r
                .people
                .get(person)
                .map(|s| (person.to_owned(), s.clone()))
                .into_iter()
                .collect(),
        })
        .people
        .remove(person)
    })
}

/// The inbox room of `person` at the event of `room`.
fn inbox(room: &RoomId, person: &str) -> Result<RoomId, Refusal> {
    let person = PersonId::parse(person).map_err(|e| Refusal::invalid("person", e.0))?;
    Ok(RoomId::Inbox(room.event_code().clone(), person))
}

impl Interaction for People {
    type Command = PeopleCommand;
    type Records = PeopleRecords;
    type Change = PeopleChange;
    const NAME: &'static str = "people";
    const KINDS: &'static [RecordKind] = &[
        RecordKind {
            name: PROFILE,
            tallied: false,
            personal: true,
        },
        RecordKind {
            name: STARS,
            tallied: false,
            personal: true,
        },
    ];

    fn check(&self, command: &PeopleCommand) -> Result<(), Refusal> {
        match command {
            PeopleCommand::SetProfile { profile, .. } => normalise(profile).map(drop),
            PeopleCommand::Star { .. }
            | PeopleCommand::Tell { .. }
            | PeopleCommand::Clear { .. } => Ok(()),
            PeopleCommand::Import(many) if many.len() > limits::MAX_IMPORT_PEOPLE => {
                Err(Refusal::TooLarge(format!(
                    "an import holds at most {} people",
                    limits::MAX_IMPORT_PEOPLE
                )))
            }
            PeopleCommand::Import(_) => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: PeopleCommand) -> Result<Made, Refusal> {
        cx.event_room()?;
        let command = match command {
            PeopleCommand::Import(many) => {
                import_profiles(cx, many)?;
                return Ok(Made::default());
            }
            other => other,
        };
        // Telling (or clearing) a person nobody keeps anything of writes nothing (and spends
        // no bound).
        if let PeopleCommand::Tell { person } | PeopleCommand::Clear { person } = &command
            && !cx
                .records()
                .part(|r| PeopleRecords {
                    people: r
                        .people
                        .get(person)
                        .map(|s| (person.clone(), s.clone()))
                        .into_iter()
                        .collect(),
                })
                .people
                .contains_key(person)
        {
            return Ok(Made::default());
        }
        let person = match &command {
            PeopleCommand::SetProfile { person, .. }
            | PeopleCommand::Star { person, .. }
            | PeopleCommand::Tell { person }
            | PeopleCommand::Clear { person } => person.clone(),
            PeopleCommand::Import(_) => unreachable!("decided above"),
        };
        let view = cx.records();
        let now = view.part(|r| PeopleRecords {
            people: r
                .people
                .get(&person)
                .map(|s| (person.clone(), s.clone()))
                .into_iter()
                .collect(),
        });
        let current = now.people.get(&person).cloned();
        let newcomer = current.is_none();
        if newcomer {
            // A new person: within the event's bound (counting this batch's newcomers).
            let newcomers: BTreeSet<&str> =
                view.changes
                    .iter()
                    .map(|c| match c {
                        PeopleChange::Profile { person, .. }
                        | PeopleChange::Stars { person, .. } => person.as_str(),
                    })
                    .filter(|p| !view.committed.people.contains_key(*p))
                    .collect();
            if view.committed.people.len() + newcomers.len() >= limits::MAX_PEOPLE {
                return Err(Refusal::TooLarge(format!(
                    "an event keeps profiles and stars for at most {} people",
                    limits::MAX_PEOPLE
                )));
            }
        }
        let current = current.unwrap_or_default();
        let inbox = inbox(cx.room(), &person)?;
        match command {
            PeopleCommand::Import(_) => unreachable!("decided above"),
            PeopleCommand::Tell { .. } => {
                if !current.profile.is_empty() {
                    cx.emit_to(
                        inbox,
                        RoomEvent::ProfileChanged {
                            profile: current.profile,
                        },
                    );
                }
            }
            PeopleCommand::Clear { .. } => {
                if !current.profile.is_empty() {
                    keep_profile(cx, person, current.name, Profile::default(), true)?;
                }
            }
            PeopleCommand::SetProfile { name, profile, .. } => {
                let profile = normalise(&profile)?;
                // Saved once, even empty, the person is a participant: kept with their name,
                // found and asked for meetings.
                if profile != current.profile || newcomer {
                    keep_profile(cx, person, name, profile, true)?;
                }
            }
            PeopleCommand::Star {
                name,
                session,
                starred,
                ..
            } => {
                if starred {
                    let doc = cx.event_doc()?;
                    if !doc.agenda.sessions.iter().any(|s| s.id == session) {
                        return Err(Refusal::NotFound(format!(
                            "no session {session} in event {}",
                            doc.code
                        )));
                    }
                }
                let mut stars = current.stars.clone();
                if starred && !stars.contains(&session) && stars.len() >= limits::MAX_STARS {
                    return Err(Refusal::TooLarge(format!(
                        "at most {} starred sessions",
                        limits::MAX_STARS
                    )));
                }
                let changed = if starred {
                    stars.insert(session)
                } else {
                    stars.remove(&session)
                };
                if changed {
                    cx.emit_to(
                        inbox,
                        RoomEvent::StarsChanged {
                            stars: stars.iter().cloned().collect(),
                        },
                    );
                    cx.change(PeopleChange::Stars {
                        person,
                        name,
                        stars,
                    });
                }
            }
        }
        Ok(Made::default())
    }

    fn load(records: &mut PeopleRecords, kind: &str, key: &str, value: Option<&str>) {
        let Some(value) = value else {
            if let Some(someone) = records.people.get_mut(key) {
                match kind {
                    PROFILE => someone.profile = Profile::default(),
                    STARS => someone.stars.clear(),
                    _ => {}
                }
            }
            return;
        };
        let change = match kind {
            PROFILE => {
                serde_json::from_str::<ProfileRecord>(value).map(|r| PeopleChange::Profile {
                    person: key.to_owned(),
                    name: r.name,
                    profile: r.profile,
                })
            }
            STARS => serde_json::from_str::<StarsRecord>(value).map(|r| PeopleChange::Stars {
                person: key.to_owned(),
                name: r.name,
                stars: r.stars,
            }),
            _ => return,
        };
        match change {
            Ok(change) => Self::apply(records, &change),
            Err(e) => tracing::error!(key, kind, error = %e, "an unreadable person record"),
        }
    }

    fn apply(records: &mut PeopleRecords, change: &PeopleChange) {
        match change {
            PeopleChange::Profile {
                person,
                name,
                profile,
            } => {
                let someone = records.people.entry(person.clone()).or_default();
                someone.name = name.clone();
                someone.profile = profile.clone();
            }
            PeopleChange::Stars {
                person,
                name,
                stars,
            } => {
                let someone = records.people.entry(person.clone()).or_default();
                someone.name = name.clone();
                someone.stars = stars.clone();
            }
        }
    }

    fn store(change: &PeopleChange) -> Stored {
        let (kind, key, value) = match change {
            PeopleChange::Profile {
                person,
                name,
                profile,
            } => (
                PROFILE,
                person,
                serde_json::to_string(&ProfileRecord {
                    name: name.clone(),
                    profile: profile.clone(),
                }),
            ),
            PeopleChange::Stars {
                person,
                name,
                stars,
            } => (
                STARS,
                person,
                serde_json::to_string(&StarsRecord {
                    name: name.clone(),
                    stars: stars.clone(),
                }),
            ),
        };
        Stored {
            kind,
            key: key.clone(),
            value: Some(value.expect("a person's record serialises")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_is_kept_tidy_or_refused_naming_its_field() {
        let p = normalise(&Profile {
            organisation: Some("  Nordic Cluster ".into()),
            country: Some("se".into()),
            languages: vec!["SV".into(), " en".into()],
        })
        .unwrap();
        assert_eq!(p.organisation.as_deref(), Some("Nordic Cluster"));
        assert_eq!(p.country.as_deref(), Some("SE"));
        assert_eq!(p.languages, ["sv", "en"]);
        assert_eq!(
            normalise(&Profile {
                organisation: Some(" ".into()),
                ..Profile::default()
            })
            .unwrap(),
            Profile::default()
        );
        let field = |p: Profile| match normalise(&p) {
            Err(Refusal::Invalid { field, .. }) => field,
            Err(Refusal::TooLong { field, .. }) => Some(field),
            other => panic!("{other:?}"),
        };
        let bad_country = Profile {
            country: Some("Sweden".into()),
            ..Profile::default()
        };
        assert_eq!(field(bad_country).as_deref(), Some("profile.country"));
        let twice = Profile {
            languages: vec!["en".into(), "EN".into()],
            ..Profile::default()
        };
        assert_eq!(field(twice).as_deref(), Some("profile.languages[1]"));
        let long = Profile {
            organisation: Some("x".repeat(limits::MAX_ORGANISATION_CHARS + 1)),
            ..Profile::default()
        };
        assert_eq!(field(long).as_deref(), Some("profile.organisation"));
        let many = Profile {
            languages: (0..=limits::MAX_PROFILE_LANGUAGES)
                .map(|i| format!("l{}", (b'a' + i as u8) as char))
                .collect(),
            ..Profile::default()
        };
        assert!(matches!(normalise(&many), Err(Refusal::TooLarge(_))));
    }
}
