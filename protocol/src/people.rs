//! People at an event: who they are besides their name (organisation, country, languages) and
//! the sessions they starred. Both are theirs: set by them (or, for the profile, given when
//! joining), kept by the server, on every device they use (their inbox room carries them).

use serde::{Deserialize, Serialize};

/// Who a person is at an event, besides their name. Every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// At most [`crate::limits::MAX_ORGANISATION_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// An ISO 3166-1 alpha-2 code, upper case (`SE`); lower case is accepted and upper-cased.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Language codes (`sv`, `en`: two or three letters), most fluent first, at most
    /// [`crate::limits::MAX_PROFILE_LANGUAGES`], no repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
}

impl Profile {
    pub fn is_empty(&self) -> bool {
        *self == Profile::default()
    }
}

/// A person as an event's organisers list them: `GET /api/events/{code}/people`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonEntry {
    pub id: String,
    /// Their name when they last changed their profile or stars (absent: anonymous).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub profile: Profile,
    /// How many sessions they starred.
    #[serde(default)]
    pub stars: usize,
}

/// One row of a participant import as the server read it (and, once saved, the link it made).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedPerson {
    /// The spreadsheet's row number (the header is row 1).
    pub row: u32,
    /// Their person id (`inv-…`): the same on every device they sign in on. Absent in a
    /// preview for a row that would make someone new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub role: crate::Role,
    #[serde(default)]
    pub profile: Profile,
    /// `true` for someone new; `false` for a row whose email belongs to someone imported
    /// before (their profile is updated, their name, role and link stay).
    pub new: bool,
    /// Their personal link (absolute, made with `--public-url`), once saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The answer to `POST /api/events/{code}/people/import`: what the file holds and, when it
/// holds a mistake, every mistake (row and column); a file with any is refused whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleImport {
    /// Whether the people were saved: `false` for a preview (`?preview=true`) or a file with
    /// problems.
    pub saved: bool,
    pub people: Vec<ImportedPerson>,
    pub problems: Vec<crate::ImportProblem>,
    /// Columns the file has that the import does not read (kept out, named as written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<String>,
}

/// A registered participant's personal link: `GET /api/events/{code}/people/links` (and its
/// CSV for a mail merge), and `POST /api/events/{code}/people/{person}/link` (a new link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalLink {
    pub person: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub role: crate::Role,
    #[serde(default)]
    pub profile: Profile,
    /// The link (absolute). Absent when the caller may not see it: a co-organiser sees the
    /// links of the people they imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// How many times the link was made anew (0: the first link works).
    #[serde(default)]
    pub reissued: u32,
    /// Whether they have signed in with it.
    pub joined: bool,
    /// Whether the caller may see their link and make it anew (the organiser key's holder:
    /// everyone's; a co-organiser: the people they imported).
    #[serde(default)]
    pub yours: bool,
}
