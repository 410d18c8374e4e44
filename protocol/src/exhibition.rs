//! The exhibition: booths, each an organisation's stand with its words, logo, links, video,
//! offers and staff.
//!
//! Organisers create booths and hand each a **staff link**; a signed-in person who opens it
//! joins that booth's staff, and may then edit that booth (and only it). Booths are read over
//! HTTP (`GET /api/events/{code}/booths`); the event room says when they changed
//! (`booths_changed`).

use crate::{BoothId, MeetingPerson, Shared, Sharing};
use serde::{Deserialize, Serialize};

/// Words in both of Plenum's languages: each optional, the other shown when one is missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sv: Option<String>,
}

impl Localised {
    /// The words in `lang` (`en`, `sv`), else in the other language.
    pub fn get(&self, lang: &str) -> Option<&str> {
        let (first, second) = if lang == "sv" {
            (&self.sv, &self.en)
        } else {
            (&self.en, &self.sv)
        };
        first.as_deref().or(second.as_deref())
    }
}

/// A link on a booth: a web page, a brochure (a PDF), a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoothLink {
    /// At most [`crate::limits::MAX_BOOTH_LINK_LABEL_CHARS`] characters.
    pub label: String,
    /// An `https://` address of at most [`crate::limits::MAX_VIDEO_TEMPLATE_CHARS`] characters.
    pub url: String,
}

/// Something a booth offers visitors: a demo, a partnership, a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offer {
    /// At most [`crate::limits::MAX_CARD_TITLE_CHARS`] characters.
    pub title: String,
    /// At most [`crate::limits::MAX_CARD_TEXT_CHARS`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `PUT /api/events/{code}/booths/{booth}`: a booth's words, the whole of them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoothDraft {
    /// The organisation, as the hall shows it.
    pub organisation: String,
    #[serde(default)]
    pub description: Localised,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<BoothLink>,
    /// A video from YouTube or Vimeo: kept as the player's embedding address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offers: Vec<Offer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// An ISO 3166-1 alpha-2 code (`SE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The booth's video call (an `https://` link): given to a visitor once one of the staff
    /// accepts their "talk now", and to nobody else (`GET .../booths` shows it to those who
    /// may edit the booth only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
}

/// A booth, as `GET /api/events/{code}/booths` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booth {
    pub id: BoothId,
    /// What its organisers and staff wrote (as `PUT` takes it).
    pub about: BoothDraft,
    /// Its logo's address (a PNG), once one was uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Its staff, by name (joining a booth's staff shows one's name on it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<MeetingPerson>,
    /// Whether the one asking may edit it: its staff, and the event's organisers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub editable: bool,
    /// Whether one of its staff is at the booth now: visitors may ask to talk now.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub staffed: bool,
    /// How many people (its staff aside) have its page open now: a count only.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub visitors_now: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// `GET`/`POST /api/events/{code}/booths/{booth}/staff-link` (organisers): the link that makes
/// whoever opens it, signed in, one of the booth's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLink {
    pub link: String,
    /// The code in the link, for `POST .../staff`.
    pub code: String,
}

/// `POST /api/events/{code}/booths/{booth}/staff`: joins the booth's staff with its link's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinStaff {
    pub code: String,
}

/// Where a visitor's "talk now" stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TalkStatus {
    /// In the booth's queue: the staff present are alerted.
    Waiting,
    /// A staff member accepted: talk (the booth's call link, or at the booth).
    Accepted,
    /// One of the two ended it.
    Ended,
    /// The visitor left the queue before anyone accepted, or waited too long.
    Missed,
}

/// A visitor's "talk now" at a booth, as the visitor sees it (in their inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    pub booth: BoothId,
    /// The booth's organisation, so the inbox reads on its own.
    pub organisation: String,
    pub status: TalkStatus,
    /// Your place in the queue while `waiting` (1: next).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<u32>,
    /// Who accepted, once `accepted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<MeetingPerson>,
    /// The booth's call link, once `accepted` (none: talk at the booth, or exchange contacts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    pub asked_ms: i64,
}

/// One visitor in a booth's queue, as its staff see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRequest {
    pub visitor: MeetingPerson,
    pub asked_ms: i64,
    /// Who accepted (in `talking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<MeetingPerson>,
}

/// A booth's "talk now" queue, as its staff see it (in their inboxes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothQueue {
    pub booth: BoothId,
    /// Waiting, first come first: at most [`crate::limits::MAX_TALK_QUEUE`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<TalkRequest>,
    /// Accepted and not yet ended: at most one per staff member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub talking: Vec<TalkRequest>,
    /// Counts since the booth opened: requests answered, and missed (the visitor left first).
    #[serde(default)]
    pub answered: u32,
    #[serde(default)]
    pub missed: u32,
    /// "Talk now" requests ever made (answered, missed, waiting and talking).
    #[serde(default)]
    pub requests: u32,
    /// Visits to the booth's page (a visit ends 30 minutes after the page was last open), and
    /// the different people who made them: counts only, never who.
    #[serde(default)]
    pub visits: u32,
    #[serde(default)]
    pub visitors: u32,
    /// Contact requests waiting for an answer, and agreed (read them with `GET
    /// /api/events/{code}/booths/{booth}/contacts`).
    #[serde(default)]
    pub contacts_asked: u32,
    #[serde(default)]
    pub contacts_agreed: u32,
    /// Contact requests ever made at the booth (withdrawn and declined ones too): a count only.
    #[serde(default)]
    pub contacts_requested: u32,
    /// Grows with every change of the booth's contacts (a request, an answer, a change of what
    /// is shared, an ending): read the list again when it does.
    #[serde(default)]
    pub contacts_version: u32,
    /// You are no longer on this booth's staff: forget the queue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

/// Where a visitor's contact with a booth stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoothContactStatus {
    /// The visitor asked: the booth's staff see their name, organisation and why, nothing else.
    Asked,
    /// One of the staff accepted: each side sees what the other shares.
    Agreed,
    /// Withdrawn or declined, or the booth was removed: nothing is shared. It leaves the inbox.
    Ended,
}

/// A visitor's contact with a booth, as the visitor sees it (in their inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothContact {
    pub booth: BoothId,
    /// The booth's organisation, so the inbox reads on its own.
    pub organisation: String,
    pub status: BoothContactStatus,
    /// What you share with the booth's staff.
    pub mine: Sharing,
    /// Who of the staff accepted, and what they share, once `agreed` (none once they left the
    /// booth's staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with: Option<MeetingPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Shared>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub asked_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_ms: Option<i64>,
}

/// A visitor's contact with a booth, as the booth's staff see it (`GET
/// /api/events/{code}/booths/{booth}/contacts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothLead {
    pub visitor: MeetingPerson,
    /// `asked` or `agreed`.
    pub status: BoothContactStatus,
    /// What the visitor shares: only once `agreed`, with their card's values as it is now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<Shared>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Who of the staff accepted, and what they share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<MeetingPerson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<Sharing>,
    pub asked_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_ms: Option<i64>,
}

/// Your visits to a booth's page (in "my data"): counts only reach the booth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothVisit {
    pub booth: BoothId,
    pub visits: u32,
    pub first_ms: i64,
    pub last_ms: i64,
}

/// One message of a booth's chat (in the booth's room, `booth:CODE:BOOTH`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Numbered from 1 in the booth, never reused.
    pub id: u64,
    /// Who wrote it, by the name and organisation they wrote it with.
    pub by: MeetingPerson,
    /// As typed: a person's text, never markup.
    pub text: String,
    pub at_ms: i64,
    /// Written by one of the booth's staff.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub staff: bool,
    /// Hidden by the booth's staff: only in their list (`GET .../booths/{booth}/chat`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

/// A booth's room: the newest messages of its chat that are not hidden, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BoothState {
    /// At most [`BoothState::KEEP`] (a snapshot: as many of the newest as fit, the rest
    /// counted in `omitted.messages`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "crate::room::Omitted::is_empty")]
    pub omitted: crate::room::Omitted,
}

impl BoothState {
    /// The newest messages a booth's room keeps.
    pub const KEEP: usize = 200;

    /// Adds `message`, or puts it back, in order of ids; keeps the newest [`BoothState::KEEP`].
    pub fn upsert(&mut self, message: ChatMessage) {
        match self.messages.binary_search_by_key(&message.id, |m| m.id) {
            Ok(i) => self.messages[i] = message,
            Err(i) => self.messages.insert(i, message),
        }
        let excess = self.messages.len().saturating_sub(Self::KEEP);
        self.messages.drain(..excess);
    }
}

/// A message you wrote in a booth's chat (in "my data").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoothChatEntry {
    pub booth: BoothId,
    pub message: ChatMessage,
}
