use super::*;
use plenum_protocol::{Attendance, SessionKind, limits};

fn read(bytes: &[u8]) -> AgendaImport {
    import(bytes, None, &Agenda::default(), "Europe/Stockholm")
}

#[test]
fn the_templates_read_back_as_the_agenda_they_show() {
    for swedish in [false, true] {
        for xlsx in [false, true] {
            let file = template(swedish, xlsx).unwrap();
            let got = read(&file.bytes);
            assert_eq!(got.problems, vec![], "swedish {swedish} xlsx {xlsx}");
            assert_eq!(
                got.format,
                if xlsx {
                    ImportFormat::Xlsx
                } else {
                    ImportFormat::Csv
                }
            );
            let a = &got.agenda;
            assert_eq!(a.days.len(), 1);
            assert_eq!(a.days[0].date, "2026-05-12");
            assert_eq!(a.sessions.len(), 4, "swedish {swedish} xlsx {xlsx}");
            let opening = &a.sessions[0];
            assert_eq!(
                (opening.start.as_str(), opening.end.as_str()),
                ("09:00", "09:45")
            );
            assert_eq!(opening.kind, SessionKind::Plenary);
            assert_eq!(
                opening.language.as_deref(),
                Some(if swedish { "sv" } else { "en" })
            );
            assert_eq!(
                opening.moderator.as_ref().unwrap().organisation.as_deref(),
                Some("Region Skåne")
            );
            assert_eq!(
                opening.contributions.len(),
                2,
                "the talk on its own row joins the session above"
            );
            assert_eq!(opening.contributions[1].number, 2);
            assert_eq!(opening.contributions[1].speakers.len(), 2);
            assert_eq!(opening.contributions[1].speakers[0].name, "Carla Díaz");
            assert_eq!(a.sessions[1].kind, SessionKind::Breakout);
            assert_eq!(a.sessions[1].attendance, Attendance::Onsite);
            assert_eq!(a.sessions[2].attendance, Attendance::Online);
            assert_eq!(
                a.sessions[2].track.as_deref(),
                Some(if swedish { "Spår B" } else { "Track B" })
            );
            assert_eq!(a.sessions[3].kind, SessionKind::WorldCafe);
            check_agenda(a).unwrap();
        }
    }
}

#[test]
fn every_bad_cell_is_named_by_row_and_column() {
    let csv = "Date;Start;Slut;Title;Kind;Colour\n\
               2026-05-12;9.00;10.00;Fine;plenary;\n\
               12.5.2026;25:00;10:00;;dance;\n\
               2026-05-13;11:00;10:30;Backwards;;\n";
    let got = read(csv.as_bytes());
    // The unknown heading stops the reading before the rows.
    assert_eq!(got.problems.len(), 1);
    assert_eq!(got.problems[0].row, Some(1));
    assert_eq!(got.problems[0].column.as_deref(), Some("Colour"));

    let got = read(csv.replace(";Colour", ";").as_bytes());
    let at: Vec<_> = got
        .problems
        .iter()
        .map(|p| (p.row.unwrap(), p.column.clone().unwrap()))
        .collect();
    assert_eq!(
        at,
        vec![
            (3, "Start".to_owned()),
            (3, "Title".to_owned()),
            (3, "Kind".to_owned()),
            (4, "Slut".to_owned()),
        ],
        "{:?}",
        got.problems
    );
    // The good row is there to preview.
    assert_eq!(got.agenda.sessions.len(), 1);
    assert_eq!(got.agenda.sessions[0].start, "09:00");
}

#[test]
fn a_missing_column_and_an_empty_file_are_problems() {
    assert_eq!(read(b"").problems[0].message, "is empty");
    let got = read(b"Title,Start,End\nA,09:00,10:00\n");
    assert_eq!(got.problems.len(), 1);
    assert_eq!(got.problems[0].column.as_deref(), Some("Date"));
    let got = read(b"Date,Start,End,Title\n");
    assert_eq!(
        got.problems[0].message,
        "has no sessions below its headings"
    );
}

#[test]
fn windows_1252_from_excel_reads_as_the_same_names() {
    let text = "Datum;Start;Slut;Titel;Plats\n2026-05-12;09:00;10:00;Öppning;Skåne\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(std::str::from_utf8(&bytes).is_err());
    let got = read(&bytes);
    assert_eq!(got.problems, vec![]);
    assert_eq!(got.agenda.sessions[0].title, "Öppning");
    assert_eq!(got.agenda.sessions[0].location.as_deref(), Some("Skåne"));
}

#[test]
fn sessions_keep_their_ids_and_new_ones_never_take_an_old_id() {
    let mut current = read(b"Date,Start,End,Title,Track\n2026-05-12,09:00,10:00,Opening,\n2026-05-12,10:00,11:00,Energy,A\n").agenda;
    current.sessions[0].id = SessionId::parse("keynote").unwrap();
    current.sessions[1].id = SessionId::parse("welcome").unwrap();
    // Opening is renamed but stays in its slot; Energy keeps its title at a new time; a new
    // session titled "Welcome" must not take the id of the old one.
    let file = b"Date,Start,End,Title,Track\n\
                 2026-05-12,09:00,10:00,Opening words,\n\
                 2026-05-12,14:00,15:00,Energy,A\n\
                 2026-05-12,16:00,17:00,Welcome,\n\
                 2026-05-12,16:00,17:00,Welcome,B\n";
    let got = import(file, Some(ImportFormat::Csv), &current, "Europe/Stockholm");
    assert_eq!(got.problems, vec![]);
    let ids: Vec<_> = got
        .agenda
        .sessions
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    assert_eq!(ids, ["keynote", "welcome", "welcome-2", "welcome-3"]);
}

#[test]
fn parallel_sessions_with_one_title_keep_their_own_ids() {
    let mut current = read(b"Date,Start,End,Title,Track\n2026-05-12,10:00,11:00,Workshop,A\n2026-05-12,10:00,11:00,Workshop,B\n").agenda;
    current.sessions[0].id = SessionId::parse("workshop-a").unwrap();
    current.sessions[1].id = SessionId::parse("workshop-b").unwrap();
    // Track A's workshop is dropped: B's row keeps B's id, not A's.
    let got = import(
        b"Date,Start,End,Title,Track\n2026-05-12,10:00,11:00,Workshop,B\n",
        Some(ImportFormat::Csv),
        &current,
        "Europe/Stockholm",
    );
    assert_eq!(got.problems, vec![]);
    assert_eq!(got.agenda.sessions[0].id.as_str(), "workshop-b");
}

#[test]
fn rows_are_numbered_as_the_spreadsheet_shows_them_and_a_declared_bomb_is_refused() {
    // A blank line still counts as a row.
    let got = read(b"Date,Start,End,Title\n2026-05-12,09:00,10:00,A\n\n2026-05-12,11:00,10:00,B\n");
    assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
    assert_eq!(got.problems[0].row, Some(4));
    // A talk under a refused session is not put under the one before it.
    let got = read(b"Date,Start,End,Title,Talk\n2026-05-12,09:00,10:00,A,\n2026-05-12,11:00,10:00,B,\n,,,,Orphan\n");
    assert!(got.agenda.sessions[0].contributions.is_empty());
    // Shared strings declaring far more than they hold, however the declaration is written
    // (calamine finds the file in any case and reads a prefixed element, spaces and quotes).
    use std::io::Write;
    let workbook = |name: &str, xml: &str| {
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default();
            z.start_file(name, options).unwrap();
            z.write_all(xml.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        out.into_inner()
    };
    for (name, xml) in [
        (
            "xl/sharedStrings.xml",
            r#"<?xml version="1.0"?><sst xmlns="x" count="1" uniqueCount="1000000000000"><si><t>a</t></si></sst>"#,
        ),
        (
            "XL/SHAREDSTRINGS.XML",
            r#"<!-- <sst uniqueCount="1"> --><x:sst xmlns:x="x" count = '1' uniqueCount = '1000000000000'><x:si><x:t>a</x:t></x:si></x:sst>"#,
        ),
    ] {
        let got = read(&workbook(name, xml));
        assert!(
            got.problems[0]
                .message
                .starts_with("declares 1000000000000 shared strings"),
            "{name}: {:?}",
            got.problems
        );
    }
    // No declaration to read: refused, not trusted.
    let padding = format!("<!--{}-->", " ".repeat(70 * 1024));
    let got = read(&workbook(
        "xl/sharedStrings.xml",
        &format!("{padding}<sst uniqueCount=\"1000000000000\"></sst>"),
    ));
    assert!(
        got.problems[0]
            .message
            .starts_with("has shared strings that cannot be read"),
        "{:?}",
        got.problems
    );
}

#[test]
fn a_line_break_inside_a_quoted_cell_is_one_row() {
    let got = read(b"Date,Start,End,Title,Description\r\n2026-05-12,09:00,10:00,A,\"two\r\nlines\"\r\n2026-05-12,11:00,10:00,B,\r\n");
    assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
    assert_eq!(
        got.problems[0].row,
        Some(3),
        "the header, A (two lines in one cell), then B"
    );
}

#[test]
fn an_explicit_id_is_kept_and_a_bad_one_named() {
    let got = read(b"Id,Date,Start,End,Title\nMain-Stage,2026-05-12,09:00,10:00,A\nno way,2026-05-12,10:00,11:00,B\n");
    assert_eq!(got.agenda.sessions[0].id.as_str(), "main-stage");
    assert_eq!(got.problems.len(), 1);
    assert_eq!(
        (got.problems[0].row, got.problems[0].column.as_deref()),
        (Some(3), Some("Id"))
    );
}

#[test]
fn the_checker_s_complaint_is_placed_on_its_row() {
    let long = "x".repeat(limits::MAX_TITLE_CHARS + 1);
    let csv = format!(
        "Date,Start,End,Title\n2026-05-12,09:00,10:00,Fine\n2026-05-12,10:00,11:00,{long}\n"
    );
    let got = read(csv.as_bytes());
    assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
    assert_eq!(got.problems[0].row, Some(3));
    assert_eq!(got.problems[0].column.as_deref(), Some("Title"));
}

const SCHEDULE_JSON: &str = r#"{"schedule": {"version": "1.0", "conference": {"acronym": "ecc", "title": "ECC",
  "time_zone_name": "Europe/Berlin",
  "days": [{"index": 1, "date": "2026-05-12", "rooms": {
     "Hall A": [{"id": 101, "date": "2026-05-12T09:00:00+02:00", "start": "09:00", "duration": "00:45",
        "room": "Hall A", "title": "Keynote", "subtitle": "", "type": "Keynote", "language": "en",
        "abstract": "Why clusters.", "description": "", "persons": [{"id": 1, "public_name": "Ada Lovelace"}],
        "links": [{"title": "Slides", "url": "https://example.org/s.pdf"}, {"title": "bad", "url": "javascript:x"}]}],
     "Hall B": [{"id": 102, "date": "2026-05-12T09:00:00+02:00", "start": "09:00", "duration": "01:30",
        "room": "Hall B", "title": "Hands on", "type": "Workshop", "language": "de",
        "persons": [{"name": "Grace Hopper"}]},
        {"id": 103, "start": "23:30", "duration": "01:00", "room": "Hall B", "title": "Night", "persons": []}]
  }}]}}}"#;

#[test]
fn a_pretalx_schedule_json_becomes_sessions_with_their_talks() {
    let got = read(SCHEDULE_JSON.as_bytes());
    assert_eq!(got.format, ImportFormat::ScheduleJson);
    assert_eq!(got.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
    assert_eq!(got.problems[0].row, Some(3));
    assert!(got.problems[0].message.contains("midnight"));
    let s = &got.agenda.sessions;
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].id.as_str(), "talk-101");
    assert_eq!(s[0].kind, SessionKind::Plenary);
    assert_eq!(s[0].track.as_deref(), Some("Hall A"));
    assert_eq!(s[0].contributions[0].speakers[0].name, "Ada Lovelace");
    assert_eq!(
        s[0].contributions[0].materials.len(),
        1,
        "only http(s) links"
    );
    assert_eq!(s[1].kind, SessionKind::Workshop);
    assert_eq!((s[1].start.as_str(), s[1].end.as_str()), ("09:00", "10:30"));
    assert_eq!(s[1].language.as_deref(), Some("de"));
}

#[test]
fn a_frab_schedule_xml_reads_like_the_json() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<schedule><version>1</version>
 <conference><title>ECC</title><time_zone_name>Europe/Stockholm</time_zone_name></conference>
 <day index="1" date="2026-05-12">
  <room name="Aula">
   <event id="7" guid="x"><date>2026-05-12T13:00:00+02:00</date><start>13:00</start><duration>00:30</duration>
    <room>Aula</room><title>Pitches &amp; more</title><subtitle>Round 1</subtitle><type>Pitch</type><language>sv</language>
    <abstract>Sixteen pitches.</abstract><persons><person id="1">Björn Ek</person><person id="2">Eva Ström</person></persons>
    <links><link href="https://example.org/p">Programme</link></links></event>
  </room>
 </day>
</schedule>"#;
    let got = read(xml.as_bytes());
    assert_eq!(got.format, ImportFormat::ScheduleXml);
    assert_eq!(got.problems, vec![]);
    assert_eq!(got.time_zone, None, "the event's own zone is not news");
    let s = &got.agenda.sessions[0];
    assert_eq!(s.title, "Pitches & more: Round 1");
    assert_eq!(s.kind, SessionKind::Pitch);
    assert_eq!(s.track, None, "one room is no parallel track");
    assert_eq!(s.location.as_deref(), Some("Aula"));
    assert_eq!(s.contributions[0].speakers.len(), 2);
    assert_eq!(s.description.as_deref(), Some("Sixteen pitches."));
}

#[test]
fn xml_with_a_dtd_is_refused() {
    let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><schedule>&lol2;</schedule>"#;
    let got = read(xml.as_bytes());
    assert_eq!(got.problems.len(), 1);
    assert!(
        got.problems[0].message.starts_with("is not valid XML"),
        "{:?}",
        got.problems
    );
}

/// A zip archive holding one entry of `size` zero bytes, deflated.
fn zip_of(name: &str, size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file(name, options).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..size >> 20 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn a_workbook_that_unpacks_too_far_is_refused_before_it_is_parsed() {
    let bomb = zip_of("xl/worksheets/sheet1.xml", 40 << 20);
    assert!(
        bomb.len() < limits::MAX_AGENDA_BYTES,
        "{} bytes",
        bomb.len()
    );
    let got = read(&bomb);
    assert_eq!(got.format, ImportFormat::Xlsx);
    assert_eq!(got.problems.len(), 1);
    assert!(
        got.problems[0]
            .message
            .contains("unpacks to more than 32 MiB"),
        "{:?}",
        got.problems
    );
    // Under the bound it is read as the workbook it is not.
    let got = read(&zip_of("a.txt", 1 << 20));
    assert!(
        got.problems[0]
            .message
            .starts_with("is not an XLSX workbook"),
        "{:?}",
        got.problems
    );
}

#[test]
fn a_cell_far_away_does_not_build_a_huge_grid() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Date", "Start", "End", "Title"].into_iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in ["2026-05-12", "09:00", "10:00", "A"]
        .into_iter()
        .enumerate()
    {
        sheet.write_string(1, c as u16, v).unwrap();
    }
    sheet.write_string(0, 16_383, "far").unwrap();
    let got = read(&book.save_to_buffer().unwrap());
    assert_eq!(got.problems, vec![], "a column past the 64th is ignored");
    sheet_with_far_row();

    fn sheet_with_far_row() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Date").unwrap();
        sheet.write_string(1_048_575, 0, "far").unwrap();
        let got = read(&book.save_to_buffer().unwrap());
        assert_eq!(
            got.problems[0].message,
            format!("has more than {MAX_ROWS} rows")
        );
    }
}

#[test]
fn excel_dates_and_times_as_numbers_are_read() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in [
        "Datum",
        "Start",
        "Slut",
        "Titel",
        "Typ",
        "Deltagande",
        "Språk",
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    // 46154 is 2026-05-12; 0.375 is 09:00; 0.40625 is 09:45.
    sheet.write_number(1, 0, 46154.0).unwrap();
    sheet.write_number(1, 1, 0.375).unwrap();
    sheet.write_number(1, 2, 0.40625).unwrap();
    sheet.write_string(1, 3, "Öppning").unwrap();
    sheet.write_string(1, 4, "Världscafé").unwrap();
    sheet.write_string(1, 5, "på plats").unwrap();
    sheet.write_string(1, 6, "Svenska").unwrap();
    let got = read(&book.save_to_buffer().unwrap());
    assert_eq!(got.problems, vec![]);
    let s = &got.agenda.sessions[0];
    assert_eq!(got.agenda.days[0].date, "2026-05-12");
    assert_eq!((s.start.as_str(), s.end.as_str()), ("09:00", "09:45"));
    assert_eq!(s.kind, SessionKind::WorldCafe);
    assert_eq!(s.attendance, Attendance::Onsite);
    assert_eq!(s.language.as_deref(), Some("sv"));
    assert_eq!(s.id.as_str(), "oppning");
}

#[test]
fn importing_again_keeps_a_pitch_s_booth_for_the_talk_it_keeps() {
    let file =
        b"Date,Start,End,Title,Kind,Talk\n2026-05-12,09:00,10:00,Pitches,pitch,Porto's harbour\n";
    let mut current = read(file).agenda;
    assert_eq!(current.sessions[0].kind, SessionKind::Pitch);
    current.sessions[0].contributions[0].booth =
        Some(plenum_protocol::BoothId::parse("porto").unwrap());
    let again = import(file, Some(ImportFormat::Csv), &current, "Europe/Stockholm");
    assert_eq!(again.problems, vec![]);
    assert_eq!(
        again.agenda.sessions[0].contributions[0]
            .booth
            .as_ref()
            .map(|b| b.as_str()),
        Some("porto")
    );
    // Another talk in its place names no booth.
    let other =
        b"Date,Start,End,Title,Kind,Talk\n2026-05-12,09:00,10:00,Pitches,pitch,Lund's valley\n";
    let got = import(other, Some(ImportFormat::Csv), &current, "Europe/Stockholm");
    assert_eq!(got.agenda.sessions[0].contributions[0].booth, None);
}
