//! Exports of what was said and decided: questions, poll results and award results, as JSON
//! (`EventExport`) and as CSV tables for spreadsheets. One row per thing counted, so a table
//! sorts and filters as organisers expect. What people typed can never become a formula: a cell
//! that starts like one is written as text ([`cell`]).

use plenum_protocol::{EventExport, PollKind, PollResults};

/// Which CSV table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Questions,
    Polls,
    Awards,
}

impl Table {
    pub fn parse(name: &str) -> Option<Table> {
        match name {
            "questions.csv" => Some(Table::Questions),
            "polls.csv" => Some(Table::Polls),
            "awards.csv" => Some(Table::Awards),
            _ => None,
        }
    }
}

/// Writes one row. Cells of text people typed go through [`cell`] first.
fn record<const N: usize>(
    w: &mut csv::Writer<Vec<u8>>,
    cells: [&str; N],
) -> Result<(), csv::Error> {
    w.write_record(cells)
}

/// A cell as a spreadsheet may take it: a text that starts like a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading apostrophe, so Excel and LibreOffice show it as
/// the text it is and never run it (CSV injection). Everything else is written as it is.
pub fn cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

fn lower<T: std::fmt::Debug>(v: T) -> String {
    format!("{v:?}").to_lowercase()
}

/// Renders one table of an export as CSV.
pub fn csv(export: &EventExport, table: Table) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    match table {
        Table::Questions => {
            record(
                &mut w,
                [
                    "session",
                    "question",
                    "status",
                    "votes",
                    "asked_at_ms",
                    "asker",
                    "text",
                    "reply",
                    "dismissed_reason",
                    "merged_into",
                ],
            )?;
            for s in &export.sessions {
                for q in &s.questions {
                    let asker = if q.anonymous {
                        "(anonymous)"
                    } else {
                        q.asker.name.as_deref().unwrap_or("")
                    };
                    record(
                        &mut w,
                        [
                            s.id.as_str(),
                            &q.id.to_string(),
                            &lower(q.status),
                            &q.votes.to_string(),
                            &q.asked_at_ms.to_string(),
                            &cell(asker),
                            &cell(&q.text),
                            &cell(q.reply.as_ref().map_or("", |r| r.text.as_str())),
                            &cell(q.dismissed_reason.as_deref().unwrap_or("")),
                            &q.merged_into.map(|m| m.to_string()).unwrap_or_default(),
                        ],
                    )?;
                }
            }
        }
        Table::Polls => {
            record(
                &mut w,
                [
                    "session", "poll", "question", "kind", "status", "ballots", "answer", "count",
                ],
            )?;
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
                    let options = match &p.kind {
                        PollKind::Single { options }
                        | PollKind::Multiple { options, .. }
                        | PollKind::Ranking { options } => options.clone(),
                        _ => Vec::new(),
                    };
                    let rows: Vec<(String, String)> = match &p.results {
                        Some(PollResults::Choices { counts }) => options
                            .iter()
                            .zip(counts)
                            .map(|(o, c)| (o.clone(), c.to_string()))
                            .collect(),
                        Some(PollResults::Ranking { scores }) => options
                            .iter()
                            .zip(scores)
                            .map(|(o, c)| (o.clone(), c.to_string()))
                            .collect(),
                        Some(PollResults::Rating { counts }) => counts
                            .iter()
                            .enumerate()
                            .map(|(i, c)| ((i + 1).to_string(), c.to_string()))
                            .collect(),
                        Some(PollResults::Words { words }) => words
                            .iter()
                            .map(|w| (w.word.clone(), w.count.to_string()))
                            .collect(),
                        Some(PollResults::Texts { answers, .. }) => answers
                            .iter()
                            .map(|a| {
                                (
                                    a.text.clone(),
                                    if a.approved {
                                        "approved"
                                    } else {
                                        "not approved"
                                    }
                                    .to_owned(),
                                )
                            })
                            .collect(),
                        None => Vec::new(),
                    };
                    for (answer, count) in rows {
                        record(
                            &mut w,
                            [
                                s.id.as_str(),
                                &p.id.to_string(),
                                &cell(&p.question),
                                kind,
                                &lower(p.status),
                                &p.ballots.to_string(),
                                &cell(&answer),
                                &count,
                            ],
                        )?;
                    }
                }
            }
        }
        Table::Awards => {
            record(
                &mut w,
                [
                    "session",
                    "award",
                    "title",
                    "status",
                    "ballots",
                    "candidate",
                    "votes",
                    "digest",
                ],
            )?;
            for s in &export.sessions {
                for a in &s.awards {
                    for (i, c) in a.award.candidates.iter().enumerate() {
                        let votes = a
                            .counts
                            .as_ref()
                            .map(|c| c[i].to_string())
                            .unwrap_or_default();
                        record(
                            &mut w,
                            [
                                s.id.as_str(),
                                &a.award.id.to_string(),
                                &cell(&a.award.title),
                                &lower(a.award.status),
                                &a.award.ballots.to_string(),
                                &cell(&c.name),
                                &votes,
                                a.award.digest.as_deref().unwrap_or(""),
                            ],
                        )?;
                    }
                }
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::cell;

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
}
