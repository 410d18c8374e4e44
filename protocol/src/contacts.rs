//! Contacts, by consent: a person's **contact card** (their own, private), and the **consent**
//! two people record about what each shares with the other.
//!
//! Nothing on a card reaches anyone until its person shares it with someone, and that someone
//! agrees to the exchange. Either of the two may withdraw at any time: what each shared then
//! leaves the other's screens (and exports). One record per pair of people, whatever brought
//! them together (a meeting, a booth, a pitch, a scanned badge).

use crate::{MeetingPerson, PersonId};
use serde::{Deserialize, Serialize};

/// `set_contact_card`: what you could share, kept for you alone (the whole of it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl ContactCard {
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.phone.is_none()
    }
}

/// What one side shares with the other: their name and organisation always; the card's email
/// and phone if they choose; a note of their own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub email: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub phone: bool,
    /// At most [`crate::limits::MAX_CONTACT_NOTE_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the other one shares with you, once you both agreed: their card's values.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Shared {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where an exchange stands, for the one who sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactStatus {
    /// You offered to share: waiting for them.
    Asked,
    /// They offered to share: answer with `share_contact` (or `decline_contact`).
    Offered,
    /// Both agreed: each sees what the other shares.
    Agreed,
    /// One of you withdrew, or the offer was declined: nothing is shared. It leaves your inbox.
    Ended,
}

/// A contact as one of its two sees it, in their inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The other one.
    pub with: MeetingPerson,
    pub status: ContactStatus,
    /// What you share with them.
    pub mine: Sharing,
    /// What they share with you: only while `agreed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Shared>,
    /// Why the one who asked asked (their words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Who asked first.
    pub asked_by: PersonId,
    /// When it was asked, and when both agreed (ms since the epoch): the consent's record.
    pub asked_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_ms: Option<i64>,
}

/// `GET /api/events/{code}/reports`: what people reported about others, for the organisers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonReport {
    pub id: u64,
    /// Who reported, and about whom.
    pub by: MeetingPerson,
    pub about: MeetingPerson,
    pub reason: String,
    pub at_ms: i64,
}

/// `GET /api/events/{code}/my-data`: everything the event keeps of you, besides what you did in
/// its sessions (questions, votes, answers: in the session exports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyData {
    pub person: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub profile: crate::Profile,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stars: Vec<crate::SessionId>,
    /// Your inbox's notes (the newest kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_profile: Option<crate::MatchProfile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_preferences: Option<crate::MeetingPreferences>,
    /// Every meeting you are one of, whatever its status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<crate::Meeting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_card: Option<ContactCard>,
    /// Your contacts as you see them (ended ones aside).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<PersonId>,
    /// The reports you made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<PersonReport>,
    /// The booths whose staff you are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booths: Vec<crate::BoothId>,
    /// Your "talk now" at booths, the newest at each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub talks: Vec<crate::Talk>,
    /// Your contacts with booths (asked, agreed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_contacts: Vec<crate::BoothContact>,
    /// The booths whose pages you visited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_visits: Vec<crate::BoothVisit>,
    /// What you wrote in booths' chats, hidden messages too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_chat: Vec<crate::BoothChatEntry>,
}
