//! Exports of what was said and decided: questions, poll results, award results and quizzes,
//! as JSON (`EventExport`), as CSV tables and as one XLSX workbook for spreadsheets.
//!
//! Each table is built once as [`Sheet`] rows of typed [`Cell`]s, and written by either writer:
//! - one row per thing counted, so a table sorts and filters as organisers expect;
//! - times in the event's time zone: ISO 8601 with the offset in CSV, date-time cells in XLSX;
//! - CSV starts with a byte order mark, so Excel reads it as UTF-8 ("Björn", "Skåne");
//! - what people typed can never become a formula: in CSV a cell that starts like one is
//!   written as text ([`cell`]); in XLSX every typed text is a string cell.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike};
use chrono_tz::Tz;
use plenum_protocol::{EventExport, PollKind, PollResults};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::borrow::Cow;

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Questions,
    Polls,
    Awards,
    Quizzes,
    QuizScores,
    Harvests,
}

impl Table {
    pub const ALL: [Table; 6] = [
        Table::Questions,
        Table::Polls,
        Table::Awards,
        Table::Quizzes,
        Table::QuizScores,
        Table::Harvests,
    ];

    /// The table's name: `questions` is `questions.csv` and the workbook's sheet `questions`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Questions => "questions",
            Table::Polls => "polls",
            Table::Awards => "awards",
            Table::Quizzes => "quizzes",
            Table::QuizScores => "quiz_scores",
            Table::Harvests => "harvests",
        }
    }

    pub fn parse(file: &str) -> Option<Table> {
        let name = file.strip_suffix(".csv")?;
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Text a person typed (a question, a name): never a formula.
    Typed(&'a str),
    /// Text of ours: an id, a status, a kind.
    Ours(Cow<'a, str>),
    Count(u64),
    /// A moment, in milliseconds since the Unix epoch.
    Time(i64),
}

/// A table: its column headings and rows.
pub struct Sheet<'a> {
    pub table: Table,
    pub headers: &'static [&'static str],
    pub rows: Vec<Vec<Cell<'a>>>,
}

/// A cell as a spreadsheet may take it: a text that starts like a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading apostrophe, so Excel and LibreOffice show it as
/// the text it is and never run it (CSV injection). Everything else is written as it is.
pub fn cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

fn lower<'a, T: std::fmt::Debug>(v: T) -> Cell<'a> {
    Cell::Ours(Cow::Owned(format!("{v:?}").to_lowercase()))
}

fn ours<'a>(v: impl ToString) -> Cell<'a> {
    Cell::Ours(Cow::Owned(v.to_string()))
}

fn id(s: &str) -> Cell<'_> {
    Cell::Ours(Cow::Borrowed(s))
}

/// The event's zone, as the agenda names it (UTC when it names none we know).
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

fn local(ms: i64, tz: Tz) -> Option<DateTime<Tz>> {
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz))
}

/// Builds one table of an export.
pub fn sheet(export: &EventExport, table: Table) -> Sheet<'_> {
    let mut rows = Vec::new();
    let headers: &'static [&'static str] = match table {
        Table::Questions => {
            for s in &export.sessions {
                for q in &s.questions {
                    let asker = if q.anonymous {
                        Cell::Ours(Cow::Borrowed("(anonymous)"))
                    } else {
                        Cell::Typed(q.asker.name.as_deref().unwrap_or(""))
                    };
                    rows.push(vec![
                        id(s.id.as_str()),
                        ours(q.id),
                        lower(q.status),
                        Cell::Count(q.votes),
                        Cell::Time(q.asked_at_ms),
                        asker,
                        Cell::Typed(&q.text),
                        Cell::Typed(q.reply.as_ref().map_or("", |r| r.text.as_str())),
                        Cell::Typed(q.dismissed_reason.as_deref().unwrap_or("")),
                        ours(q.merged_into.map(|m| m.to_string()).unwrap_or_default()),
                    ]);
                }
            }
            &[
                "session",
                "question",
                "status",
                "votes",
                "asked_at",
                "asker",
                "text",
                "reply",
                "dismissed_reason",
                "merged_into",
            ]
        }
        Table::Polls => {
            for s in &export.sessions {
                for p in &s.polls {
                    let kind = match &p.kind {
                        PollKind::Single { .. } => "single",
                        PollKind::Multiple { .. } => "multiple",
                        PollKind::Rating { .. } => "rating",
                        PollKind::WordCloud => "word_cloud",
                        PollKind::OpenText { .. } => "open_text",
                        PollKind::Ranking { .. } => "ranking",
                    };
                    let options: &[String] = match &p.kind {
                        PollKind::Single { options }
                        | PollKind::Multiple { options, .. }
                        | PollKind::Ranking { options } => options,
                        _ => &[],
                    };
                    let answers: Vec<(Cell, Cell)> = match &p.results {
                        Some(PollResults::Choices { counts: n })
                        | Some(PollResults::Ranking { scores: n }) => options
                            .iter()
                            .zip(n)
                            .map(|(o, c)| (Cell::Typed(o), Cell::Count(*c)))
                            .collect(),
                        Some(PollResults::Rating { counts }) => counts
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (ours(i + 1), Cell::Count(*c)))
                            .collect(),
                        Some(PollResults::Words { words }) => words
                            .iter()
                            .map(|w| (Cell::Typed(&w.word), Cell::Count(w.count)))
                            .collect(),
                        Some(PollResults::Texts { answers, .. }) => answers
                            .iter()
                            .map(|a| {
                                let approval = if a.approved {
                                    "approved"
                                } else {
                                    "not approved"
                                };
                                (Cell::Typed(&a.text), id(approval))
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    for (answer, count) in answers {
                        rows.push(vec![
                            id(s.id.as_str()),
                            ours(p.id),
                            Cell::Typed(&p.question),
                            id(kind),
                            lower(p.status),
                            Cell::Count(p.ballots),
                            answer,
                            count,
                        ]);
                    }
                }
            }
            &[
                "session", "poll", "question", "kind", "status", "ballots", "answer", "count",
            ]
        }
        Table::Awards => {
            for s in &export.sessions {
                for a in &s.awards {
                    for (i, c) in a.award.candidates.iter().enumerate() {
                        let votes = match a.counts.as_ref().and_then(|c| c.get(i)) {
                            Some(n) => Cell::Count(*n),
                            None => id(""),
                        };
                        rows.push(vec![
                            id(s.id.as_str()),
                            ours(a.award.id),
                            Cell::Typed(&a.award.title),
                            lower(a.award.status),
                            Cell::Count(a.award.ballots),
                            Cell::Typed(&c.name),
                            votes,
                            id(a.award.digest.as_deref().unwrap_or("")),
                        ]);
                    }
                }
            }
            &[
                "session",
                "award",
                "title",
                "status",
                "ballots",
                "candidate",
                "votes",
                "digest",
            ]
        }
        Table::Quizzes => {
            for s in &export.sessions {
                for q in &s.quizzes {
                    for (n, question) in q.quiz.questions.iter().enumerate() {
                        for (o, option) in question.options.iter().enumerate() {
                            let chosen = q.chosen.get(n).and_then(|c| c.get(o)).copied();
                            rows.push(vec![
                                id(s.id.as_str()),
                                ours(q.quiz.id),
                                Cell::Typed(&q.quiz.title),
                                lower(q.quiz.status),
                                Cell::Count(n as u64 + 1),
                                Cell::Typed(&question.text),
                                Cell::Typed(option),
                                id(if question.correct as usize == o {
                                    "yes"
                                } else {
                                    "no"
                                }),
                                Cell::Count(chosen.unwrap_or(0)),
                            ]);
                        }
                    }
                }
            }
            &[
                "session", "quiz", "title", "status", "question", "text", "option", "correct",
                "chosen",
            ]
        }
        Table::QuizScores => {
            for s in &export.sessions {
                for q in &s.quizzes {
                    for standing in &q.ranking {
                        rows.push(vec![
                            id(s.id.as_str()),
                            ours(q.quiz.id),
                            Cell::Typed(&q.quiz.title),
                            Cell::Count(u64::from(standing.rank)),
                            match &standing.name {
                                Some(name) => Cell::Typed(name),
                                None => id("(anonymous)"),
                            },
                            Cell::Count(standing.score),
                        ]);
                    }
                }
            }
            &["session", "quiz", "title", "rank", "name", "score"]
        }
        Table::Harvests => {
            for s in &export.sessions {
                for h in &s.harvests {
                    for (n, point) in h.points.iter().enumerate() {
                        rows.push(vec![
                            id(s.id.as_str()),
                            Cell::Count(u64::from(h.table)),
                            match &h.topic {
                                Some(topic) => Cell::Typed(topic),
                                None => Cell::Typed(""),
                            },
                            Cell::Count(n as u64 + 1),
                            Cell::Typed(&point.text),
                            Cell::Count(u64::from(point.round)),
                        ]);
                    }
                }
            }
            &["session", "table", "topic", "position", "text", "round"]
        }
    };
    Sheet {
        table,
        headers,
        rows,
    }
}

/// Renders one table of an export as CSV: a byte order mark, then the rows; times as ISO 8601
/// with the offset of `tz`.
pub fn csv(export: &EventExport, table: Table, tz: Tz) -> Result<Vec<u8>, csv::Error> {
    let sheet = sheet(export, table);
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(sheet.headers)?;
    for row in &sheet.rows {
        let cells = row.iter().map(|c| match c {
            Cell::Typed(t) => cell(t),
            // Ours too: a session id may start with a minus.
            Cell::Ours(t) => cell(t),
            Cell::Count(n) => Cow::Owned(n.to_string()),
            Cell::Time(ms) => Cow::Owned(
                local(*ms, tz)
                    .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false))
                    .unwrap_or_default(),
            ),
        });
        w.write_record(cells.map(|c| c.into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Renders every table of an export as one XLSX workbook: a sheet `event` naming the event,
/// its time zone and the moment of export, then a sheet per table with its headings frozen.
/// Times are date-time cells in `tz` (a spreadsheet's cells have no zone; `event` names it).
pub fn xlsx(export: &EventExport, tz: Tz) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let time = |ms: i64| -> Result<Option<ExcelDateTime>, XlsxError> {
        let Some(t) = local(ms, tz) else {
            return Ok(None);
        };
        let date = ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?;
        Ok(Some(date.and_hms(
            t.hour() as u16,
            t.minute() as u8,
            t.second(),
        )?))
    };

    let about = book.add_worksheet().set_name("event")?;
    about.write_string_with_format(0, 0, "event", &bold)?;
    about.write_string(0, 1, export.event.as_str())?;
    about.write_string_with_format(1, 0, "title", &bold)?;
    about.write_string(1, 1, &export.title)?;
    about.write_string_with_format(2, 0, "time_zone", &bold)?;
    about.write_string(2, 1, &export.time_zone)?;
    about.write_string_with_format(3, 0, "exported_at", &bold)?;
    if let Some(t) = time(export.exported_at_ms)? {
        about.write_datetime_with_format(3, 1, t, &when)?;
    }
    about.autofit();

    for table in Table::ALL {
        let sheet = sheet(export, table);
        let ws = book.add_worksheet().set_name(table.name())?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, value) in row.iter().enumerate() {
                let c = c as u16;
                match value {
                    Cell::Typed(t) => drop(ws.write_string(r, c, *t)?),
                    Cell::Ours(t) => drop(ws.write_string(r, c, t.as_ref())?),
                    Cell::Count(n) => drop(ws.write_number(r, c, *n as f64)?),
                    Cell::Time(ms) => {
                        if let Some(t) = time(*ms)? {
                            ws.write_datetime_with_format(r, c, t, &when)?;
                        }
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_autofit_max_width(400);
        ws.autofit();
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::{Table, cell, csv, zone};
    use plenum_protocol::{EventExport, Question};

    #[test]
    fn cells_that_start_like_formulas_are_text() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(cell(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["Why?", "42", "a=b", "", "'quoted"] {
            assert_eq!(cell(fine), fine);
        }
    }

    #[test]
    fn tables_are_named_by_their_files() {
        for t in Table::ALL {
            assert_eq!(Table::parse(&format!("{}.csv", t.name())), Some(t));
        }
        assert_eq!(Table::parse("questions"), None);
        assert_eq!(Table::parse("secrets.csv"), None);
    }

    #[test]
    fn csv_has_a_bom_and_times_in_the_event_zone() {
        let question: Question = serde_json::from_value(serde_json::json!({
            "id": 1, "text": "Björn frågar om Skåne", "asker": {"name": "=cmd"}, "anonymous": false,
            "status": "answered", "asked_at_ms": 1_778_587_200_000i64, "votes": 3
        }))
        .unwrap();
        let export: EventExport = serde_json::from_value(serde_json::json!({
            "event": "ECC2026", "title": "T", "time_zone": "Europe/Stockholm",
            "exported_at_ms": 0, "sessions": [{"id": "s1", "title": "S", "questions": [question],
            "polls": [], "awards": []}]
        }))
        .unwrap();
        let bytes = csv(&export, Table::Questions, zone(&export.time_zone)).unwrap();
        assert!(bytes.starts_with("\u{feff}session,".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        // 2026-05-12 12:00 UTC is 14:00 in Stockholm (summer time).
        assert!(text.contains(",2026-05-12T14:00:00+02:00,"), "{text}");
        assert!(text.contains("'=cmd"), "{text}");
        assert!(text.contains("Björn frågar om Skåne"), "{text}");
    }
}
