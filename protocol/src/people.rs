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
