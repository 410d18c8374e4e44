//! Agendas from the files organisers already have: a spreadsheet (CSV or XLSX) in the
//! template's layout, or the `schedule.xml` / `schedule.json` that frab and pretalx export.
//!
//! An import only reads: it answers the agenda the file describes and every problem found,
//! each with its row and column, and the organiser saves the agenda (after a preview) with the
//! ordinary `PUT /api/events/{code}/agenda`. So there is one way an agenda is written and
//! checked, and a file with one mistake in row 40 is reported whole, not one error at a time.
//!
//! Sessions keep their ids across imports: a session of the file that matches one of the
//! agenda it replaces (same title, or same date, start and track) takes that session's id,
//! so its room, questions and polls stay with it.

pub(crate) mod names;
mod schedule;
mod sheet;
mod template;

pub use sheet::text_cells;
pub use template::{TemplateFile, template};

use super::check::{check_agenda, tidy_agenda};
use plenum_protocol::{Agenda, AgendaImport, Day, ImportFormat, ImportProblem, SessionId};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Most rows (or talks) one file may hold.
pub const MAX_ROWS: usize = 5000;
/// Most problems reported for one file; the rest are counted in one last problem.
pub const MAX_PROBLEMS: usize = 100;
/// Most bytes an XLSX file may unpack to (it is a zip archive).
pub const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

/// Reads `bytes` as `format` (or the format its first bytes show) into an agenda to preview.
/// `current` is the agenda it would replace, for session ids; `zone` the event's time zone.
pub fn import(
    bytes: &[u8],
    format: Option<ImportFormat>,
    current: &Agenda,
    zone: &str,
) -> AgendaImport {
    let format = format.unwrap_or_else(|| sniff(bytes));
    let mut found = match format {
        ImportFormat::Csv => sheet::from_csv(bytes),
        ImportFormat::Xlsx => sheet::from_xlsx(bytes),
        ImportFormat::ScheduleXml => schedule::from_xml(bytes),
        ImportFormat::ScheduleJson => schedule::from_json(bytes),
    };
    let mut agenda = found.build(current);
    tidy_agenda(&mut agenda);
    if found.problems.is_empty()
        && let Err(e) = check_agenda(&agenda)
    {
        // Name the row the session came from, where the checker names a session.
        let (row, column) = found.locate(&e.field);
        found.problems.push(ImportProblem {
            row,
            column,
            message: e.to_string(),
        });
    }
    let time_zone = found.time_zone.filter(|z| z != zone);
    let mut problems = found.problems;
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        problems.push(ImportProblem {
            row: None,
            column: None,
            message: format!("and {more} more problems"),
        });
    }
    AgendaImport {
        format,
        agenda,
        problems,
        time_zone,
    }
}

/// The format a file's first bytes show: a zip archive is XLSX, `<` a schedule.xml, `{` a
/// schedule.json, anything else CSV.
pub fn sniff(bytes: &[u8]) -> ImportFormat {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        _ if bytes.starts_with(b"PK\x03\x04") => ImportFormat::Xlsx,
        Some(b'<') => ImportFormat::ScheduleXml,
        Some(b'{') => ImportFormat::ScheduleJson,
        _ => ImportFormat::Csv,
    }
}

/// A session as read from a file, before days are numbered and ids chosen.
#[derive(Debug, Clone)]
struct Found {
    /// Where it came from: the spreadsheet row, or the talk's position.
    row: u32,
    date: chrono::NaiveDate,
    /// An id the file gives (`id` column, or a schedule's talk id as `talk-123`).
    id: Option<SessionId>,
    /// The id to use when nothing matches; `None`: made from the title.
    fallback_id: Option<String>,
    session: plenum_protocol::Session,
}

/// What a reader found: sessions, problems, and a time zone the file names.
#[derive(Debug, Default)]
struct Reading {
    sessions: Vec<Found>,
    problems: Vec<ImportProblem>,
    time_zone: Option<String>,
    /// Each column's heading as written, by the name the checker uses (`start`, `title`…).
    headings: HashMap<&'static str, String>,
}

impl Reading {
    fn problem(&mut self, row: Option<u32>, column: Option<&str>, message: impl Into<String>) {
        self.problems.push(ImportProblem {
            row,
            column: column.map(str::to_owned),
            message: message.into(),
        });
    }

    /// The agenda: days numbered in date order, sessions in the file's order.
    fn build(&self, current: &Agenda) -> Agenda {
        let dates: BTreeSet<_> = self.sessions.iter().map(|f| f.date).collect();
        let days: Vec<Day> = dates
            .iter()
            .enumerate()
            .map(|(i, d)| Day {
                number: i as u32 + 1,
                date: d.format("%Y-%m-%d").to_string(),
                title: current
                    .days
                    .iter()
                    .find(|c| c.date == d.format("%Y-%m-%d").to_string())
                    .and_then(|c| c.title.clone()),
            })
            .collect();
        let day_of =
            |d: chrono::NaiveDate| dates.iter().position(|x| *x == d).unwrap_or(0) as u32 + 1;
        let current_date = |n: u32| {
            current
                .days
                .iter()
                .find(|d| d.number == n)
                .map(|d| d.date.clone())
        };
        let mut taken: HashSet<SessionId> =
            self.sessions.iter().filter_map(|f| f.id.clone()).collect();
        // First the ids of the sessions the file keeps, in passes from the closest match to
        // the loosest, each over every row: the current session with the same title, date,
        // start and track; else the same title and date; else the same title; else the same
        // date, start and track. So two parallel sessions both called "Workshop" keep their
        // own ids even when one of them is dropped.
        let mut ids: Vec<Option<SessionId>> = self.sessions.iter().map(|f| f.id.clone()).collect();
        let same_title = |c: &plenum_protocol::Session, s: &plenum_protocol::Session| {
            c.title.trim().eq_ignore_ascii_case(s.title.trim())
        };
        let same_slot = |c: &plenum_protocol::Session, s: &plenum_protocol::Session, date: &str| {
            current_date(c.day).as_deref() == Some(date) && c.start == s.start && c.track == s.track
        };
        let same_day =
            |c: &plenum_protocol::Session, date: &str| current_date(c.day).as_deref() == Some(date);
        type Pass<'p> =
            Box<dyn Fn(&plenum_protocol::Session, &plenum_protocol::Session, &str) -> bool + 'p>;
        let passes: [Pass<'_>; 4] = [
            Box::new(|c, s, d| same_title(c, s) && same_slot(c, s, d)),
            Box::new(|c, s, d| same_title(c, s) && same_day(c, d)),
            Box::new(|c, s, _| same_title(c, s)),
            Box::new(|c, s, d| same_slot(c, s, d)),
        ];
        for pass in &passes {
            for (f, id) in self.sessions.iter().zip(ids.iter_mut()) {
                if id.is_some() {
                    continue;
                }
                let date = f.date.format("%Y-%m-%d").to_string();
                let matched = current
                    .sessions
                    .iter()
                    .filter(|c| !taken.contains(&c.id))
                    .find(|c| pass(c, &f.session, &date))
                    .map(|c| c.id.clone());
                if let Some(m) = &matched {
                    taken.insert(m.clone());
                }
                *id = matched;
            }
        }
        // Then new ids for new sessions, never one of the current agenda's: a new session
        // must not inherit a removed one's questions.
        taken.extend(current.sessions.iter().map(|c| c.id.clone()));
        let mut sessions = Vec::with_capacity(self.sessions.len());
        for (f, id) in self.sessions.iter().zip(ids) {
            let mut s = f.session.clone();
            s.day = day_of(f.date);
            let id = id.or_else(|| {
                let base = f
                    .fallback_id
                    .clone()
                    .unwrap_or_else(|| names::slug(&s.title));
                let base = if base.is_empty() {
                    format!("session-{}", f.row)
                } else {
                    base
                };
                (1..=MAX_ROWS + 1)
                    .map(|n| {
                        if n == 1 {
                            base.clone()
                        } else {
                            format!("{base}-{n}")
                        }
                    })
                    .filter_map(|candidate| SessionId::parse(&candidate).ok())
                    .find(|candidate| !taken.contains(candidate))
            });
            if let Some(id) = id {
                // A pitch the file keeps keeps the booths (or people) its talks name: a
                // spreadsheet has no column for them. Matched by number and title.
                if s.kind == plenum_protocol::SessionKind::Pitch
                    && let Some(was) = current.sessions.iter().find(|c| c.id == id)
                {
                    for t in &mut s.contributions {
                        if let Some(w) = was
                            .contributions
                            .iter()
                            .find(|w| w.number == t.number && w.title.trim() == t.title.trim())
                        {
                            t.booth = w.booth.clone();
                            t.contact = w.contact.clone();
                        }
                    }
                }
                taken.insert(id.clone());
                s.id = id;
            }
            sessions.push(s);
        }
        Agenda { days, sessions }
    }

    /// The row and column of a checker's field path such as `sessions[3].contributions[0].title`.
    fn locate(&self, field: &str) -> (Option<u32>, Option<String>) {
        let index = field
            .strip_prefix("sessions[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok());
        let row = index.and_then(|i| self.sessions.get(i)).map(|f| f.row);
        let leaf = field.rsplit('.').next().unwrap_or(field);
        let leaf = leaf.split('[').next().unwrap_or(leaf);
        let name = if field.contains("contributions") && leaf == "title" {
            "talk"
        } else if field.contains("speakers") {
            "speakers"
        } else {
            leaf
        };
        let column = self
            .headings
            .get(name)
            .cloned()
            .or_else(|| row.map(|_| name.to_owned()));
        (row, column)
    }
}

#[cfg(test)]
mod tests;
