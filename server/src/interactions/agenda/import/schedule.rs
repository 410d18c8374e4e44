//! The schedule export of frab and pretalx (`schedule.xml`, `schedule.json`): days, rooms and
//! the talks in them. Each talk becomes a session holding that one talk and its speakers; the
//! room is both its track and its location.

use super::{Found, MAX_ROWS, Reading, names};
use chrono::{NaiveTime, Timelike};
use plenum_protocol::{
    AgendaPerson, Attendance, Contribution, Material, Session, SessionId, SessionKind,
};
use serde_json::Value;

/// One talk as either format gives it.
#[derive(Debug, Default)]
struct Talk {
    id: String,
    /// The day's date, or the talk's own (`date` holds the talk's start with its offset).
    date: String,
    start: String,
    duration: String,
    room: String,
    title: String,
    subtitle: String,
    kind: String,
    language: String,
    abstract_: String,
    description: String,
    persons: Vec<String>,
    links: Vec<(String, String)>,
}

/// `schedule.json`: `{"schedule": {"conference": {"time_zone_name", "days": [{"date",
/// "rooms": {"Room": [talk…]}}]}}}`.
pub fn from_json(bytes: &[u8]) -> Reading {
    let mut reading = Reading::default();
    let doc: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            reading.problem(None, None, format!("is not JSON: {e}"));
            return reading;
        }
    };
    let conference = &doc["schedule"]["conference"];
    let Some(days) = conference["days"].as_array() else {
        reading.problem(
            None,
            Some("schedule.conference.days"),
            "is missing: this is not a frab or pretalx schedule.json",
        );
        return reading;
    };
    reading.time_zone = conference["time_zone_name"].as_str().map(str::to_owned);
    let s = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let mut talks = Vec::new();
    for day in days {
        let date = s(&day["date"]);
        let Some(rooms) = day["rooms"].as_object() else {
            continue;
        };
        for (room, list) in rooms {
            for t in list.as_array().into_iter().flatten() {
                talks.push(Talk {
                    id: s(&t["id"]),
                    date: Some(s(&t["date"]))
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| date.clone()),
                    start: s(&t["start"]),
                    duration: s(&t["duration"]),
                    room: Some(s(&t["room"]))
                        .filter(|r| !r.is_empty())
                        .unwrap_or_else(|| room.clone()),
                    title: s(&t["title"]),
                    subtitle: s(&t["subtitle"]),
                    kind: s(&t["type"]),
                    language: s(&t["language"]),
                    abstract_: s(&t["abstract"]),
                    description: s(&t["description"]),
                    persons: t["persons"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|p| match p {
                            Value::String(name) => name.clone(),
                            p => Some(s(&p["public_name"]))
                                .filter(|n| !n.is_empty())
                                .unwrap_or_else(|| s(&p["name"])),
                        })
                        .collect(),
                    links: t["links"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|l| (s(&l["title"]), s(&l["url"])))
                        .collect(),
                });
                if talks.len() > MAX_ROWS {
                    reading.problem(None, None, format!("has more than {MAX_ROWS} talks"));
                    return reading;
                }
            }
        }
    }
    talks_into(talks, reading)
}

/// `schedule.xml`: `<schedule><conference><time_zone_name/></conference><day date="…"><room
/// name="…"><event id="…"><start/><duration/><title/>…</event></room></day></schedule>`.
pub fn from_xml(bytes: &[u8]) -> Reading {
    let mut reading = Reading::default();
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        reading.problem(None, None, "is not UTF-8 text");
        return reading;
    };
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
        ..Default::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(d) => d,
        Err(e) => {
            reading.problem(None, None, format!("is not valid XML: {e}"));
            return reading;
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "schedule" {
        reading.problem(
            None,
            Some("schedule"),
            "is missing: this is not a frab or pretalx schedule.xml",
        );
        return reading;
    }
    let child = |n: roxmltree::Node<'_, '_>, name: &str| -> String {
        n.children()
            .find(|c| c.has_tag_name(name))
            .map(|c| c.text().unwrap_or("").trim().to_owned())
            .unwrap_or_default()
    };
    reading.time_zone = root
        .children()
        .find(|c| c.has_tag_name("conference"))
        .map(|c| child(c, "time_zone_name"))
        .filter(|z| !z.is_empty());
    let mut talks = Vec::new();
    for day in root.children().filter(|c| c.has_tag_name("day")) {
        let date = day.attribute("date").unwrap_or("").to_owned();
        for room in day.children().filter(|c| c.has_tag_name("room")) {
            let room_name = room.attribute("name").unwrap_or("").to_owned();
            for e in room.children().filter(|c| c.has_tag_name("event")) {
                talks.push(Talk {
                    id: e.attribute("id").unwrap_or("").to_owned(),
                    date: Some(child(e, "date"))
                        .filter(|d| !d.is_empty())
                        .unwrap_or_else(|| date.clone()),
                    start: child(e, "start"),
                    duration: child(e, "duration"),
                    room: Some(child(e, "room"))
                        .filter(|r| !r.is_empty())
                        .unwrap_or_else(|| room_name.clone()),
                    title: child(e, "title"),
                    subtitle: child(e, "subtitle"),
                    kind: child(e, "type"),
                    language: child(e, "language"),
                    abstract_: child(e, "abstract"),
                    description: child(e, "description"),
                    persons: e
                        .children()
                        .filter(|c| c.has_tag_name("persons"))
                        .flat_map(|p| p.children().filter(|c| c.has_tag_name("person")))
                        .map(|p| p.text().unwrap_or("").trim().to_owned())
                        .collect(),
                    links: e
                        .children()
                        .filter(|c| c.has_tag_name("links"))
                        .flat_map(|p| p.children().filter(|c| c.has_tag_name("link")))
                        .map(|l| {
                            (
                                l.text().unwrap_or("").trim().to_owned(),
                                l.attribute("href").unwrap_or("").to_owned(),
                            )
                        })
                        .collect(),
                });
                if talks.len() > MAX_ROWS {
                    reading.problem(None, None, format!("has more than {MAX_ROWS} talks"));
                    return reading;
                }
            }
        }
    }
    talks_into(talks, reading)
}

/// A duration as frab writes it: `00:45`, `1:30`, `00:45:00`; at most a day.
fn duration_minutes(value: &str) -> Option<u32> {
    let mut parts = value.trim().split(':').map(|p| p.parse::<u32>().ok());
    let h = parts.next()??;
    let m = parts.next().unwrap_or(Some(0))?;
    (m < 60 && h <= 24 && h * 60 + m <= 24 * 60).then(|| h * 60 + m)
}

/// The kind a schedule's talk type suggests; talks in parallel rooms are breakouts.
fn kind_of(kind: &str, parallel: bool) -> SessionKind {
    let k = kind.to_lowercase();
    if k.contains("workshop") {
        SessionKind::Workshop
    } else if k.contains("panel") {
        SessionKind::Panel
    } else if k.contains("pitch") {
        SessionKind::Pitch
    } else if k.contains("keynote") || k.contains("plenary") {
        SessionKind::Plenary
    } else if k.contains("social") || k.contains("party") {
        SessionKind::Social
    } else if parallel {
        SessionKind::Breakout
    } else {
        SessionKind::Plenary
    }
}

fn talks_into(talks: Vec<Talk>, mut reading: Reading) -> Reading {
    let rooms: std::collections::BTreeSet<_> = talks.iter().map(|t| t.room.as_str()).collect();
    let parallel = rooms.len() > 1;
    for (i, t) in talks.iter().enumerate() {
        let row = i as u32 + 1;
        let date = names::date(&t.date);
        if date.is_none() {
            reading.problem(
                Some(row),
                Some("date"),
                format!("must be a date like 2026-05-12, got {:?}", t.date),
            );
        }
        let start = NaiveTime::parse_from_str(t.start.trim(), "%H:%M").ok();
        if start.is_none() {
            reading.problem(
                Some(row),
                Some("start"),
                format!("must be a time like 09:30, got {:?}", t.start),
            );
        }
        let minutes = duration_minutes(&t.duration).filter(|m| *m > 0);
        if minutes.is_none() {
            reading.problem(
                Some(row),
                Some("duration"),
                format!("must be a duration like 00:45, got {:?}", t.duration),
            );
        }
        let (Some(date), Some(start), Some(minutes)) = (date, start, minutes) else {
            continue;
        };
        let end_minutes = start.hour() * 60 + start.minute() + minutes;
        if end_minutes >= 24 * 60 {
            reading.problem(
                Some(row),
                Some("duration"),
                "runs past midnight: an agenda's session ends on the day it starts",
            );
            continue;
        }
        let end =
            NaiveTime::from_hms_opt(end_minutes / 60, end_minutes % 60, 0).expect("within the day");
        let language = names::language(&t.language).ok().flatten();
        let description = [t.abstract_.trim(), t.description.trim()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        let title = if t.subtitle.trim().is_empty() {
            t.title.trim().to_owned()
        } else {
            format!("{}: {}", t.title.trim(), t.subtitle.trim())
        };
        let speakers: Vec<AgendaPerson> = t
            .persons
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| AgendaPerson {
                name: p.trim().to_owned(),
                role: None,
                organisation: None,
            })
            .collect();
        let materials = t
            .links
            .iter()
            .filter(|(_, url)| url.starts_with("https://") || url.starts_with("http://"))
            .map(|(title, url)| Material {
                title: if title.is_empty() {
                    url.clone()
                } else {
                    title.clone()
                },
                url: url.clone(),
            })
            .collect();
        let fallback_id =
            (!t.id.is_empty() && t.id.len() <= 20 && t.id.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("talk-{}", t.id));
        let room = Some(t.room.trim().to_owned()).filter(|r| !r.is_empty());
        reading.sessions.push(Found {
            row,
            date,
            id: None,
            fallback_id,
            session: Session {
                id: SessionId::parse("session").expect("a valid id"),
                title: title.clone(),
                kind: kind_of(&t.kind, parallel),
                day: 0,
                start: start.format("%H:%M").to_string(),
                end: end.format("%H:%M").to_string(),
                track: room.clone().filter(|_| parallel),
                location: room,
                attendance: Attendance::Hybrid,
                language,
                description: Some(description).filter(|d| !d.is_empty()),
                stream_url: None,
                materials: Vec::new(),
                moderator: None,
                contributions: vec![Contribution {
                    number: 1,
                    title,
                    speakers,
                    materials,
                    booth: None,
                    contact: None,
                }],
            },
        });
    }
    // A schedule has no row numbers a person sees: each problem names its talk too.
    for p in &mut reading.problems {
        if let Some(t) = p.row.and_then(|r| talks.get(r as usize - 1)) {
            p.message = format!("{:?} ({}): {}", t.title.trim(), t.id, p.message);
        }
    }
    if reading.sessions.is_empty() && reading.problems.is_empty() {
        reading.problem(None, None, "has no talks");
    }
    reading
}
