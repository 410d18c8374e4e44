//! The words a spreadsheet may use, in English and Swedish: headings, session kinds,
//! attendance, languages; and dates, times and people as people type them.

use chrono::{NaiveDate, NaiveTime};
use plenum_protocol::{AgendaPerson, Attendance, SessionKind};

/// The template's columns, by the name the agenda checker uses, with their headings in
/// English and Swedish and the other headings read as the same column.
pub const COLUMNS: &[(&str, &str, &str, &[&str])] = &[
    ("date", "Date", "Datum", &["day", "dag"]),
    (
        "start",
        "Start",
        "Start",
        &["from", "från", "starttid", "start time", "begins"],
    ),
    (
        "end",
        "End",
        "Slut",
        &["to", "till", "sluttid", "end time", "ends"],
    ),
    (
        "title",
        "Title",
        "Titel",
        &["session", "rubrik", "name", "namn"],
    ),
    ("kind", "Kind", "Typ", &["type", "format", "sort"]),
    (
        "track",
        "Track",
        "Spår",
        &["room", "rum", "sal", "parallel"],
    ),
    (
        "location",
        "Location",
        "Plats",
        &["place", "venue", "lokal"],
    ),
    (
        "attendance",
        "Attendance",
        "Deltagande",
        &["mode", "format of attendance", "form"],
    ),
    ("language", "Language", "Språk", &["lang"]),
    (
        "moderator",
        "Moderator",
        "Moderator",
        &["chair", "host", "ordförande", "värd"],
    ),
    (
        "talk",
        "Talk",
        "Bidrag",
        &["contribution", "presentation", "föredrag", "talk title"],
    ),
    (
        "speakers",
        "Speakers",
        "Talare",
        &["speaker", "presenter", "presenters", "medverkande"],
    ),
    (
        "description",
        "Description",
        "Beskrivning",
        &["abstract", "sammanfattning"],
    ),
    (
        "stream_url",
        "Stream",
        "Sändning",
        &["stream url", "video", "link", "länk"],
    ),
    ("id", "Id", "Id", &["session id"]),
];

/// The column a heading names, if any: case, spaces and a trailing `*` or `(…)` ignored.
pub fn column(heading: &str) -> Option<&'static str> {
    let h = heading.trim().trim_end_matches('*').trim();
    let h = h.split('(').next().unwrap_or(h).trim().to_lowercase();
    let named = COLUMNS
        .iter()
        .find(|(name, en, sv, _)| h == *name || h == en.to_lowercase() || h == sv.to_lowercase());
    named
        .or_else(|| COLUMNS.iter().find(|c| c.3.contains(&h.as_str())))
        .map(|c| c.0)
}

/// Kinds with their names in the template (English, Swedish).
pub const KINDS: &[(SessionKind, &str, &str, &str)] = &[
    (SessionKind::Plenary, "plenary", "Plenary", "Plenum"),
    (SessionKind::Panel, "panel", "Panel", "Panel"),
    (
        SessionKind::Breakout,
        "breakout",
        "Breakout",
        "Parallellpass",
    ),
    (SessionKind::Workshop, "workshop", "Workshop", "Workshop"),
    (
        SessionKind::WorldCafe,
        "world_cafe",
        "World café",
        "Världscafé",
    ),
    (SessionKind::Pitch, "pitch", "Pitches", "Pitchar"),
    (SessionKind::Award, "award", "Award", "Prisutdelning"),
    (
        SessionKind::Networking,
        "networking",
        "Networking",
        "Nätverkande",
    ),
    (SessionKind::Visit, "visit", "Visit", "Studiebesök"),
    (SessionKind::Social, "social", "Social", "Socialt"),
];

/// A kind from its code, English or Swedish name; empty is a plenary.
pub fn kind(value: &str) -> Result<SessionKind, String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Ok(SessionKind::Plenary);
    }
    let v2 = v.replace([' ', '-'], "_").replace('é', "e");
    KINDS
        .iter()
        .find(|(_, code, en, sv)| {
            v == *code || v2 == *code || v == en.to_lowercase() || v == sv.to_lowercase()
        })
        .map(|k| k.0)
        .or(match v.as_str() {
            "pitch" | "pitchar" | "pitchning" => Some(SessionKind::Pitch),
            "world cafe" | "varldscafe" => Some(SessionKind::WorldCafe),
            "keynote" | "plenum" | "plenar" => Some(SessionKind::Plenary),
            _ => None,
        })
        .ok_or_else(|| {
            format!(
                "is not a session kind: use one of {}",
                KINDS.iter().map(|k| k.2).collect::<Vec<_>>().join(", ")
            )
        })
}

/// Attendance from its code, English or Swedish name; empty is hybrid.
pub fn attendance(value: &str) -> Result<Attendance, String> {
    match value.trim().to_lowercase().as_str() {
        "" | "hybrid" | "hybrid (onsite and online)" => Ok(Attendance::Hybrid),
        "online" | "digital" | "digitalt" | "virtual" | "virtuell" | "virtuellt" | "distans" => {
            Ok(Attendance::Online)
        }
        "onsite" | "on site" | "on-site" | "in person" | "på plats" | "fysiskt" | "fysisk" => {
            Ok(Attendance::Onsite)
        }
        _ => Err(
            "is not an attendance: use Onsite, Online or Hybrid (På plats, Digitalt, Hybrid)"
                .into(),
        ),
    }
}

/// Language names (English, Swedish, own) for the languages European events are held in.
const LANGUAGES: &[(&str, &[&str])] = &[
    ("en", &["english", "engelska"]),
    ("sv", &["swedish", "svenska"]),
    ("fi", &["finnish", "finska", "suomi"]),
    ("no", &["norwegian", "norska", "norsk"]),
    ("da", &["danish", "danska", "dansk"]),
    ("de", &["german", "tyska", "deutsch"]),
    ("fr", &["french", "franska", "français", "francais"]),
    ("es", &["spanish", "spanska", "español", "espanol"]),
    ("it", &["italian", "italienska", "italiano"]),
    ("nl", &["dutch", "nederländska", "nederlands"]),
    ("pl", &["polish", "polska", "polski"]),
    ("et", &["estonian", "estniska", "eesti"]),
    ("lv", &["latvian", "lettiska", "latviešu"]),
    ("lt", &["lithuanian", "litauiska", "lietuvių"]),
    ("pt", &["portuguese", "portugisiska", "português"]),
    ("is", &["icelandic", "isländska", "íslenska"]),
];

/// A language code from a code (`sv`, `SV`) or a name (`Swedish`, `svenska`); empty is none.
pub fn language(value: &str) -> Result<Option<String>, String> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    if let Some((code, _)) = LANGUAGES
        .iter()
        .find(|(code, names)| v == *code || names.contains(&v.as_str()))
    {
        return Ok(Some((*code).to_owned()));
    }
    if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_lowercase()) {
        return Ok(Some(v));
    }
    Err("is not a language: use a code like en or sv, or a name like English or svenska".into())
}

/// A date as people write it: `2026-05-12`, `12.5.2026`, `2026/05/12`.
pub fn date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let v = v.split(['T', ' ']).next().unwrap_or(v);
    ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
}

/// A time as people write it: `9:30`, `09.30`, `09:30:00`, `9`, `9.30 am` is not accepted.
pub fn time(value: &str) -> Option<NaiveTime> {
    let v = value.trim().replace('.', ":");
    if let Ok(h) = v.parse::<u32>() {
        return NaiveTime::from_hms_opt(h, 0, 0);
    }
    ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(&v, f).ok())
}

/// A person as written in one cell: `Name`, `Name, Organisation` or `Name (Organisation)`.
pub fn person(value: &str) -> Option<AgendaPerson> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let (name, organisation) = if let Some((name, rest)) = v.split_once('(') {
        (name, Some(rest.trim_end_matches(')')))
    } else if let Some((name, rest)) = v.split_once(',') {
        (name, Some(rest))
    } else {
        (v, None)
    };
    Some(AgendaPerson {
        name: name.trim().to_owned(),
        role: None,
        organisation: organisation
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty()),
    })
}

/// People in one cell, separated by `;` or new lines.
pub fn people(value: &str) -> Vec<AgendaPerson> {
    value.split([';', '\n']).filter_map(person).collect()
}

/// A session id made from a title: lowercase ASCII letters, digits and dashes, at most 48.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' => 'a',
            'ö' | 'ø' | 'ò' | 'ó' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ù' | 'ú' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}
