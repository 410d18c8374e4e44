//! The agenda template organisers fill in: CSV or XLSX, with headings and examples in English
//! or Swedish. The Swedish CSV is separated by semicolons, as Excel set to Swedish writes and
//! reads it; both CSVs start with a byte order mark, so Excel reads "Björn" as "Björn".

use super::names::{COLUMNS, KINDS};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Workbook, XlsxError};

/// A template to download: its file name, type and bytes.
pub struct TemplateFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The example rows: (date, start, end, title, kind, track, location, attendance, language,
/// moderator, talk, speakers, description, stream, id), in English and in Swedish.
fn examples(swedish: bool) -> Vec<[&'static str; 15]> {
    if swedish {
        vec![
            [
                "2026-05-12",
                "09:00",
                "09:45",
                "Välkommen och inledning",
                "Plenum",
                "",
                "Stora salen",
                "Hybrid",
                "svenska",
                "Anna Berg, Region Skåne",
                "Året som gått",
                "Björn Ek, Lunds universitet",
                "Dagens upplägg och årets resultat.",
                "https://stream.example.org/oppning",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "Nya samarbeten",
                "Carla Díaz (Cluster Excellence Denmark); Dag Lind",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "10:00",
                "11:00",
                "Smart specialisering",
                "Parallellpass",
                "Spår A",
                "Rum 2",
                "På plats",
                "svenska",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "10:00",
                "11:00",
                "Digitala tvillingar",
                "Parallellpass",
                "Spår B",
                "",
                "Digitalt",
                "engelska",
                "",
                "",
                "Eva Ström, RISE",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "11:15",
                "12:00",
                "Världscafé: nästa steg",
                "Världscafé",
                "",
                "Stora salen",
                "Hybrid",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    } else {
        vec![
            [
                "2026-05-12",
                "09:00",
                "09:45",
                "Welcome and opening",
                "Plenary",
                "",
                "Main hall",
                "Hybrid",
                "English",
                "Anna Berg, Region Skåne",
                "The year in review",
                "Björn Ek, Lund University",
                "The day's plan and the year's results.",
                "https://stream.example.org/opening",
                "",
            ],
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "New partnerships",
                "Carla Díaz (Cluster Excellence Denmark); Dag Lind",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "10:00",
                "11:00",
                "Smart specialisation",
                "Breakout",
                "Track A",
                "Room 2",
                "Onsite",
                "Swedish",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "10:00",
                "11:00",
                "Digital twins",
                "Breakout",
                "Track B",
                "",
                "Online",
                "English",
                "",
                "",
                "Eva Ström, RISE",
                "",
                "",
                "",
            ],
            [
                "2026-05-12",
                "11:15",
                "12:00",
                "World café: next steps",
                "World café",
                "",
                "Main hall",
                "Hybrid",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    }
}

fn headings(swedish: bool) -> Vec<&'static str> {
    COLUMNS
        .iter()
        .map(|c| if swedish { c.2 } else { c.1 })
        .collect()
}

/// The template in `swedish` or English, as CSV (`xlsx` false) or XLSX.
pub fn template(swedish: bool, xlsx: bool) -> Result<TemplateFile, XlsxError> {
    let stem = if swedish {
        "agenda-mall"
    } else {
        "agenda-template"
    };
    if !xlsx {
        let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(if swedish { b';' } else { b',' })
                .from_writer(&mut out);
            // Writing to a Vec cannot fail.
            let _ = w.write_record(headings(swedish));
            for row in examples(swedish) {
                let _ = w.write_record(row);
            }
            let _ = w.flush();
        }
        return Ok(TemplateFile {
            name: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes: out,
        });
    }
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("hh:mm");
    let sheet = book.add_worksheet();
    sheet.set_name(if swedish { "Program" } else { "Agenda" })?;
    for (c, h) in headings(swedish).into_iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
        let width = match c {
            3 | 10 | 11 | 12 => 32,
            9 | 13 => 26,
            _ => 13,
        };
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in examples(swedish).into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.into_iter().enumerate() {
            let c = c as u16;
            if value.is_empty() {
                continue;
            }
            match c {
                0 => sheet.write_datetime_with_format(
                    r,
                    c,
                    ExcelDateTime::parse_from_str(value)?,
                    &date,
                )?,
                1 | 2 => sheet.write_datetime_with_format(
                    r,
                    c,
                    ExcelDateTime::parse_from_str(value)?,
                    &time,
                )?,
                _ => sheet.write_string(r, c, value)?,
            };
        }
    }
    let kinds: Vec<&str> = KINDS
        .iter()
        .map(|k| if swedish { k.3 } else { k.2 })
        .collect();
    let attendance: &[&str] = if swedish {
        &["Hybrid", "På plats", "Digitalt"]
    } else {
        &["Hybrid", "Onsite", "Online"]
    };
    sheet.add_data_validation(
        1,
        4,
        5000,
        4,
        &DataValidation::new().allow_list_strings(&kinds)?,
    )?;
    sheet.add_data_validation(
        1,
        7,
        5000,
        7,
        &DataValidation::new().allow_list_strings(attendance)?,
    )?;
    Ok(TemplateFile {
        name: format!("{stem}.xlsx"),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: book.save_to_buffer()?,
    })
}
