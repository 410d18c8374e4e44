//! Spreadsheets in the template's layout: one session a row; a row with only a talk and its
//! speakers adds a talk to the session above it.

use super::names::{self, COLUMNS};
use super::{Found, MAX_ROWS, MAX_UNPACKED_BYTES, Reading};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use plenum_protocol::{Attendance, Contribution, Session, SessionId, SessionKind};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// Widest sheet read: columns past this are ignored.
const MAX_COLUMNS: usize = 64;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDateTime),
}

impl Cell {
    /// The cell as text, the way a spreadsheet shows it.
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Time(t) => t.format("%H:%M").to_string(),
            Cell::DateTime(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        match self {
            Cell::Date(d) => Some(*d),
            Cell::DateTime(dt) => Some(dt.date()),
            Cell::Number(n) => excel_serial(*n).map(|dt| dt.date()),
            Cell::Text(t) => names::date(t),
            _ => None,
        }
    }

    fn time(&self) -> Option<NaiveTime> {
        match self {
            Cell::Time(t) => Some(*t),
            Cell::DateTime(dt) => Some(dt.time()),
            Cell::Number(n) if (0.0..1.0).contains(n) => excel_serial(*n).map(|dt| dt.time()),
            Cell::Text(t) => names::time(t),
            _ => None,
        }
    }
}

/// An Excel serial date (days since 1899-12-30, the fraction the time of day), to the minute.
fn excel_serial(n: f64) -> Option<NaiveDateTime> {
    if !(0.0..2_958_466.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let minutes = (n * 24.0 * 60.0).round() as i64;
    epoch.checked_add_signed(Duration::minutes(minutes))
}

/// A CSV file: UTF-8 (with or without a byte order mark) or, failing that, Windows-1252 as
/// Excel saves "CSV" on Windows; separated by commas, semicolons (Excel in Swedish) or tabs.
pub fn from_csv(bytes: &[u8]) -> Reading {
    within(csv_cells(bytes))
}

/// The agenda of a grid, or the one problem that stopped it from being read.
fn within(grid: Result<Grid, Unread>) -> Reading {
    let mut reading = Reading::default();
    match grid {
        Ok(grid) => rows(grid, reading),
        Err((row, message)) => {
            reading.problem(row, None, message);
            reading
        }
    }
}

/// A spreadsheet's cells, row by row, with the row number a spreadsheet shows.
type Grid = Vec<(u32, Vec<Cell>)>;

/// Why a spreadsheet could not be read, and the row that says so (none: the whole file).
type Unread = (Option<u32>, String);

/// The text of every cell of a spreadsheet (CSV, or the first sheet of an XLSX workbook), row
/// by row with the row number a spreadsheet shows; or the problem with the file, and the row
/// it is on when it has one. At most [`MAX_ROWS`] rows, [`MAX_COLUMNS`] columns.
pub fn text_cells(bytes: &[u8], xlsx: bool) -> Result<Vec<(u32, Vec<String>)>, Unread> {
    let grid = if xlsx {
        xlsx_cells(bytes)?
    } else {
        csv_cells(bytes)?
    };
    Ok(grid
        .into_iter()
        .map(|(row, cells)| (row, cells.iter().map(Cell::text).collect()))
        .collect())
}

/// The cells of a CSV file.
fn csv_cells(bytes: &[u8]) -> Result<Grid, Unread> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0,
    };
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    // The last of the most frequent wins: a tie (none at all, say) is a comma.
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    let mut lines = Rows::new(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        if i > MAX_ROWS {
            return Err((None, format!("has more than {MAX_ROWS} rows")));
        }
        match record {
            // The line it starts on, as a spreadsheet numbers its rows (blank lines count).
            Ok(r) => grid.push((
                // The row a spreadsheet shows it on: line ends before it, outside quotes.
                lines.row_at(r.position().map_or(0, |p| p.byte() as usize)),
                r.iter()
                    .take(MAX_COLUMNS)
                    .map(|c| {
                        if c.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_owned())
                        }
                    })
                    .collect(),
            )),
            Err(e) => return Err((Some(i as u32 + 1), format!("is not valid CSV: {e}"))),
        }
    }
    Ok(grid)
}

/// Spreadsheet row numbers of byte offsets in a CSV, found in one pass however many records
/// ask: a line end (`\r\n`, `\r` or `\n`) outside quotes starts a row; one inside quotes
/// is part of a cell, as a spreadsheet shows it.
struct Rows<'a> {
    bytes: &'a [u8],
    at: usize,
    row: u32,
    quoted: bool,
}

impl<'a> Rows<'a> {
    fn new(bytes: &'a [u8]) -> Rows<'a> {
        Rows {
            bytes,
            at: 0,
            row: 1,
            quoted: false,
        }
    }

    /// The row of the record starting at `offset` (or at blank lines before it); offsets
    /// come in increasing order.
    fn row_at(&mut self, offset: usize) -> u32 {
        let end = offset.min(self.bytes.len());
        while self.at < end
            || (!self.quoted && matches!(self.bytes.get(self.at), Some(b'\r' | b'\n')))
        {
            match self.bytes[self.at] {
                b'"' => self.quoted = !self.quoted,
                b'\r' if !self.quoted => {
                    self.row += 1;
                    if self.bytes.get(self.at + 1) == Some(&b'\n') {
                        self.at += 1;
                    }
                }
                b'\n' if !self.quoted => self.row += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.row
    }
}

/// The first sheet of an XLSX workbook. Read cell by cell (a sheet with one cell at A1 and
/// one at XFD1048576 is two cells, not a grid of 17 billion), after checking the archive
/// unpacks to at most [`MAX_UNPACKED_BYTES`].
pub fn from_xlsx(bytes: &[u8]) -> Reading {
    within(xlsx_cells(bytes))
}

/// The cells of the first sheet of an XLSX workbook.
fn xlsx_cells(bytes: &[u8]) -> Result<Grid, Unread> {
    unpacked_within(bytes, MAX_UNPACKED_BYTES).map_err(|m| (None, m))?;
    use calamine::{DataRef, Reader, Xlsx};
    let mut book: Xlsx<_> = match calamine::open_workbook_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return Err((None, format!("is not an XLSX workbook: {e}"))),
    };
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err((None, "has no sheet".into()));
    };
    let mut cells: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
    let mut too_many = false;
    {
        let mut reader = match book.worksheet_cells_reader(&first) {
            Ok(r) => r,
            Err(e) => return Err((None, format!("its first sheet cannot be read: {e}"))),
        };
        loop {
            let cell = match reader.next_cell() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return Err((None, format!("its first sheet cannot be read: {e}"))),
            };
            let (row, col) = cell.get_position();
            if col as usize >= MAX_COLUMNS {
                continue;
            }
            if row as usize > MAX_ROWS {
                too_many = true;
                continue;
            }
            let value = match cell.get_value() {
                DataRef::Empty | DataRef::Error(_) => Cell::Empty,
                DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                    Cell::Text(s.clone())
                }
                DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
                DataRef::Int(i) => Cell::Number(*i as f64),
                DataRef::Float(f) => Cell::Number(*f),
                DataRef::Bool(b) => Cell::Text(b.to_string()),
                DataRef::DateTime(dt) => {
                    // calamine knows the workbook's epoch (1900, or 1904 from old Macs).
                    let n = dt.as_f64();
                    let (y, mo, d, h, mi, sec, _) = dt.to_ymd_hms_milli();
                    let at = NaiveDate::from_ymd_opt(y.into(), mo.into(), d.into())
                        .and_then(|date| date.and_hms_opt(h.into(), mi.into(), sec.into()));
                    match at {
                        Some(v) if n < 1.0 => Cell::Time(v.time()),
                        Some(v) if n.fract() == 0.0 => Cell::Date(v.date()),
                        Some(v) => Cell::DateTime(v),
                        None => Cell::Empty,
                    }
                }
            };
            let line = cells.entry(row).or_default();
            if line.len() <= col as usize {
                line.resize(col as usize + 1, Cell::Empty);
            }
            line[col as usize] = value;
        }
    }
    if too_many {
        return Err((None, format!("has more than {MAX_ROWS} rows")));
    }
    Ok(cells.into_iter().map(|(r, c)| (r + 1, c)).collect())
}

/// Refuses a zip archive whose entries unpack to more than `max` bytes, counting what they
/// really unpack to (an entry's stated size may lie).
fn unpacked_within(bytes: &[u8], max: u64) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("is not an XLSX workbook: {e}"))?;
    let mut left = max;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("is not an XLSX workbook: {e}"))?;
        // Found as calamine finds it: in any case, with either slash.
        let shared_strings = entry.name().is_ok_and(|n| {
            n.replace('\\', "/")
                .to_ascii_lowercase()
                .ends_with("sharedstrings.xml")
        });
        // The start of the shared strings: calamine reserves room for as many strings as they
        // declare, so a small file declaring a trillion would exhaust memory.
        let mut head = Vec::new();
        if shared_strings {
            (&mut entry)
                .take(SHARED_STRINGS_HEAD)
                .read_to_end(&mut head)
                .map_err(|e| format!("is not an XLSX workbook: {e}"))?;
        }
        let rest = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| format!("is not an XLSX workbook: {e}"))?;
        let read = head.len() as u64 + rest;
        if read > left {
            return Err(format!("unpacks to more than {} MiB", max / (1024 * 1024)));
        }
        left -= read;
        if shared_strings {
            // Fail closed: shared strings whose declaration cannot be read are refused.
            let declared = declared_strings(&head)
                .ok_or("has shared strings that cannot be read (no <sst> at their start)")?;
            // The smallest shared string, `<si><t/></si>`, takes 13 bytes.
            if declared > MAX_SHARED_STRINGS || declared > read / 13 + 1 {
                return Err(format!(
                    "declares {declared} shared strings, more than it holds or than {MAX_SHARED_STRINGS}"
                ));
            }
        }
    }
    Ok(())
}

/// Most shared strings a workbook may declare: a cell each of the rows and columns read.
const MAX_SHARED_STRINGS: u64 = (MAX_ROWS * MAX_COLUMNS) as u64;

/// How much of the shared strings is read to find their declaration.
const SHARED_STRINGS_HEAD: u64 = 64 * 1024;

/// The larger of `uniqueCount` and `count` on the first `sst` element (with any prefix) of
/// the start of `sharedStrings.xml`, read with the XML reader calamine uses; `None` when
/// there is no such element in it. A value that is not a plain number counts as huge.
fn declared_strings(head: &[u8]) -> Option<u64> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let mut most = 0u64;
                for a in e.attributes().with_checks(false).flatten() {
                    if matches!(a.key.local_name().as_ref(), "uniqueCount" | "count") {
                        let n = a.value.trim().parse::<u64>().unwrap_or(u64::MAX);
                        most = most.max(n);
                    }
                }
                return Some(most);
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => buf.clear(),
        }
    }
}

/// Rows (numbered as the spreadsheet shows them) into sessions: the first non-empty row names
/// the columns.
fn rows(grid: Vec<(u32, Vec<Cell>)>, mut reading: Reading) -> Reading {
    let mut grid = grid
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| *c != Cell::Empty));
    let Some((header_row, header)) = grid.next() else {
        reading.problem(None, None, "is empty");
        return reading;
    };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for cell in &header {
        let heading = cell.text();
        let column = names::column(&heading);
        if column.is_none() && !heading.is_empty() {
            reading.problem(
                Some(header_row),
                Some(&heading),
                format!(
                    "is not a column of the template: the columns are {}",
                    COLUMNS.iter().map(|c| c.1).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if let Some(name) = column {
            if reading.headings.contains_key(name) {
                reading.problem(Some(header_row), Some(&heading), "names a column twice");
            }
            reading.headings.insert(name, heading.clone());
        }
        columns.push(column);
    }
    for required in ["date", "start", "end", "title"] {
        if !reading.headings.contains_key(required) {
            let heading = COLUMNS
                .iter()
                .find(|c| c.0 == required)
                .map_or(required, |c| c.1);
            reading.problem(
                Some(header_row),
                Some(heading),
                "is missing: every session needs a date, a start, an end and a title",
            );
        }
    }
    if !reading.problems.is_empty() {
        return reading;
    }
    let headings = reading.headings.clone();
    let mut above_refused = false;
    for (row, cells) in grid {
        let get = |name: &str| -> Cell {
            columns
                .iter()
                .position(|c| *c == Some(name))
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or(Cell::Empty)
        };
        let text = |name: &str| get(name).text();
        let opt = |name: &str| Some(text(name)).filter(|t| !t.is_empty());
        let heading = |name: &str| headings.get(name).cloned().unwrap_or_default();
        let mut problems = Vec::new();
        let is_session = ["date", "start", "end", "title"]
            .iter()
            .any(|c| get(c) != Cell::Empty);
        let talk = opt("talk");
        let speakers = names::people(&text("speakers"));
        if !is_session {
            match reading.sessions.last_mut() {
                // The session above was refused: its talks wait for the corrected file.
                _ if above_refused && (talk.is_some() || !speakers.is_empty()) => {}
                Some(last) if talk.is_some() || !speakers.is_empty() => {
                    let number = last.session.contributions.len() as u32 + 1;
                    last.session.contributions.push(Contribution {
                        number,
                        title: talk.unwrap_or_else(|| last.session.title.clone()),
                        speakers,
                        materials: Vec::new(),
                        booth: None,
                        contact: None,
                    });
                }
                _ => problems.push((
                    "date",
                    "has no date, start, end or title: only a talk with its speakers may follow a session on a row of its own".to_owned(),
                )),
            }
            for (column, message) in problems {
                reading.problem(Some(row), Some(&heading(column)), message);
            }
            continue;
        }
        let date = get("date").date();
        if date.is_none() {
            problems.push((
                "date",
                format!("must be a date like 2026-05-12, got {:?}", text("date")),
            ));
        }
        let start = get("start").time();
        if start.is_none() {
            problems.push((
                "start",
                format!("must be a time like 09:30, got {:?}", text("start")),
            ));
        }
        let end = get("end").time();
        if end.is_none() {
            problems.push((
                "end",
                format!("must be a time like 10:15, got {:?}", text("end")),
            ));
        }
        if let (Some(s), Some(e)) = (start, end)
            && e <= s
        {
            problems.push((
                "end",
                format!("must be after the start ({})", s.format("%H:%M")),
            ));
        }
        let title = text("title");
        if title.is_empty() {
            problems.push(("title", "must not be empty".into()));
        }
        let kind = names::kind(&text("kind")).unwrap_or_else(|m| {
            problems.push(("kind", m));
            SessionKind::Plenary
        });
        let attendance = names::attendance(&text("attendance")).unwrap_or_else(|m| {
            problems.push(("attendance", m));
            Attendance::Hybrid
        });
        let language = names::language(&text("language")).unwrap_or_else(|m| {
            problems.push(("language", m));
            None
        });
        let id = match opt("id") {
            None => None,
            Some(raw) => match SessionId::parse(&raw.to_lowercase()) {
                Ok(id) => Some(id),
                Err(_) => {
                    problems.push((
                        "id",
                        "must be lowercase letters, digits and dashes (at most 64), or empty"
                            .into(),
                    ));
                    None
                }
            },
        };
        let mut contributions = Vec::new();
        if talk.is_some() || !speakers.is_empty() {
            contributions.push(Contribution {
                number: 1,
                title: talk.unwrap_or_else(|| title.clone()),
                speakers,
                materials: Vec::new(),
                booth: None,
                contact: None,
            });
        }
        let failed = !problems.is_empty();
        above_refused = failed;
        for (column, message) in problems {
            reading.problem(Some(row), Some(&heading(column)), message);
        }
        if failed {
            continue;
        }
        let (Some(date), Some(start), Some(end)) = (date, start, end) else {
            continue;
        };
        reading.sessions.push(Found {
            row,
            date,
            id,
            fallback_id: None,
            session: Session {
                id: SessionId::parse("session").expect("a valid id"),
                title,
                kind,
                day: 0,
                start: start.format("%H:%M").to_string(),
                end: end.format("%H:%M").to_string(),
                track: opt("track"),
                location: opt("location"),
                attendance,
                language,
                description: opt("description"),
                stream_url: opt("stream_url"),
                materials: Vec::new(),
                moderator: names::person(&text("moderator")),
                contributions,
            },
        });
    }
    if reading.sessions.is_empty() && reading.problems.is_empty() {
        reading.problem(None, None, "has no sessions below its headings");
    }
    reading
}
