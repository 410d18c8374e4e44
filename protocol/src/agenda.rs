//! An event and its agenda, as organisers import them and clients read them.
//!
//! Unknown fields are refused (`deny_unknown_fields`): a misspelt field in an imported agenda
//! is an error naming that field, never silently dropped. Times are local to the event's
//! time zone (`"09:30"` on the day's `date`), as printed on a programme.

use crate::ids::{EventCode, SessionId};
use serde::{Deserialize, Serialize};

/// What kind of session this is; the client picks its layout from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Plenary,
    Panel,
    Breakout,
    Workshop,
    WorldCafe,
    Pitch,
    Award,
    Networking,
    Visit,
    Social,
}

/// Where people take part from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Online,
    Onsite,
    #[default]
    Hybrid,
}

/// A person named in the agenda: a speaker, a panellist or a moderator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaPerson {
    pub name: String,
    /// Their role, for example "Cluster Manager" or "Policy Officer".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// A numbered presentation within a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// 1, 2, 3… in the order given in the session.
    pub number: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<AgendaPerson>,
    /// The talk's own slides or recording, added before, during or after the session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
    /// In a pitch session: the exhibition's booth that pitches. While the contribution is on
    /// stage, attendees can ask it for contact (`ask_booth_contact`), and the big screen shows
    /// a QR code for that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booth: Option<crate::BoothId>,
    /// In a pitch session, instead of a booth: the participant who pitches, whom attendees can
    /// offer their contact details (`share_contact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<crate::PersonId>,
}

/// A published material: slides, a report, a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub title: String,
    pub url: String,
}

/// One session of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub id: SessionId,
    pub title: String,
    pub kind: SessionKind,
    /// The day's `number` in [`Agenda::days`].
    pub day: u32,
    /// Local start time, `HH:MM`.
    pub start: String,
    /// Local end time, `HH:MM`, after `start`.
    pub end: String,
    /// The parallel track or room name; sessions in different tracks may overlap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<String>,
    /// Where onsite attendees go, for example "Hall B".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default)]
    pub attendance: Attendance,
    /// The language the session is held in (`en`, `sv`, …), when it differs from the event's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Material>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<AgendaPerson>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Contribution>,
}

/// One day of the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Day {
    /// 1, 2, 3…
    pub number: u32,
    /// `YYYY-MM-DD`, in the event's time zone.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The agenda document organisers import with `PUT /api/events/{code}/agenda`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agenda {
    pub days: Vec<Day>,
    pub sessions: Vec<Session>,
}

/// An event as everyone may read it: `GET /api/events/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventInfo {
    pub code: EventCode,
    pub title: String,
    /// IANA time zone name, for example `Europe/Stockholm`.
    pub time_zone: String,
    /// Languages the event is held in, the main one first (`en`, `sv`).
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub agenda: Agenda,
    /// Matches [`crate::EventState::agenda_version`] of the event room.
    pub agenda_version: u64,
    /// The last day (`YYYY-MM-DD`, in the event's time zone) personal data is kept: after it
    /// ends, Plenum purges it (`PUT /api/events/{code}/retention`). None: kept until the
    /// organisers purge it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_data_until: Option<String>,
    /// When personal data was last purged (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purged_at_ms: Option<i64>,
}

/// The formats `POST /api/events/{code}/agenda/import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// A spreadsheet saved as CSV (comma, semicolon or tab separated; UTF-8, with or without a
    /// byte order mark), in the layout of the template.
    Csv,
    /// An Excel workbook (`.xlsx`), its first sheet in the layout of the template.
    Xlsx,
    /// The `schedule.xml` of frab and pretalx.
    ScheduleXml,
    /// The `schedule.json` of frab and pretalx.
    ScheduleJson,
}

/// Something wrong in an imported file, where a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The spreadsheet's row number (the header is row 1); for a schedule, the position of the
    /// talk in the file (1, 2, 3…). Absent for the file as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// The column's heading as written in the file (or the schedule's field name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message: String,
}

/// The answer to an import: the agenda the file describes, to preview, and what is wrong
/// with it. Nothing is saved: the organiser saves the agenda with
/// `PUT /api/events/{code}/agenda` once `problems` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaImport {
    pub format: ImportFormat,
    pub agenda: Agenda,
    pub problems: Vec<ImportProblem>,
    /// The time zone a schedule names (`Europe/Berlin`), when it differs from the event's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}
