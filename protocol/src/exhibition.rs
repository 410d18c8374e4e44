//! The exhibition: booths, each an organisation's stand with its words, logo, links, video,
//! offers and staff.
//!
//! Organisers create booths and hand each a **staff link**; a signed-in person who opens it
//! joins that booth's staff, and may then edit that booth (and only it). Booths are read over
//! HTTP (`GET /api/events/{code}/booths`); the event room says when they changed
//! (`booths_changed`).

use crate::{BoothId, MeetingPerson};
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
