//! A person's agreed contacts as files: CSV for a spreadsheet
//! (`GET /api/events/{code}/contacts.csv`) and vCard 4 for an address book
//! (`GET /api/events/{code}/contacts.vcf`), with the person's own token; and a booth's
//! contacts, for its staff only (`GET /api/events/{code}/booths/{booth}/contacts`, and as files
//! `.../contacts.csv`, `.../contacts.vcf`).
//!
//! Only contacts both sides agreed to, each with only what the other chose to share, as the
//! consent stands when the file is made: a withdrawn contact is in no file made after.
//!
//! The vCards are written here, not with a crate: four properties of RFC 6350 text, escaped
//! and folded (`vcard_text`, `fold`), are less than the crates' builders would take; the tests
//! read them back with the `ical` crate's parser.

use super::http::{AppError, at_event};
use crate::{
    App,
    auth::Action,
    export,
    interactions::{
        contacts::{self, Contacts},
        exhibition::{Exhibition, leads},
    },
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use chrono::SecondsFormat;
use plenum_protocol::{
    BoothContactStatus, BoothId, BoothLead, Contact, ContactStatus, ErrorCode, EventCode, RoomId,
};

/// What a booth's contacts are read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Vcard,
}

/// `GET /api/events/{code}/booths/{booth}/contacts{,.csv,.vcf}`: the booth's staff only. The
/// list holds the requests waiting (who asked and why) and the agreed ones (with what the
/// visitor shares, their card as it is now); the files hold the agreed ones only. Visitors
/// whom the caller blocks, or who block the caller, are left out.
pub async fn booth_download(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    format: Format,
) -> Result<Response, AppError> {
    let (code, who, event) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth =
        BoothId::parse(&booth).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let room = RoomId::Event(code.clone());
    let me = who.id.clone();
    // Both interactions' records from one moment: a contact ended before is in no answer.
    let mut list: Vec<BoothLead> = app
        .engine
        .read_two::<Exhibition, Contacts, _>(&room, |_, r, people| {
            let b = booth.as_str();
            if !r.booths.contains_key(b) {
                return Err(AppError::new(
                    ErrorCode::NotFound,
                    format!("no booth {booth} at this event"),
                ));
            }
            if !r.staffs(b, &me) {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    format!("only {booth}'s staff read its contacts"),
                ));
            }
            Ok(r.leads
                .range((b.to_owned(), String::new())..)
                .take_while(|((x, _), _)| x == b)
                .filter(|((_, v), _)| !people.blocks(v, &me) && !people.blocks(&me, v))
                .filter_map(|((_, v), l)| leads::lead_of(l, v, people.cards.get(v)))
                .collect::<Vec<_>>())
        })
        .await??;
    list.sort_by(|a, b| {
        (
            a.status != BoothContactStatus::Agreed,
            a.asked_ms,
            &a.visitor.id,
        )
            .cmp(&(
                b.status != BoothContactStatus::Agreed,
                b.asked_ms,
                &b.visitor.id,
            ))
    });
    if format == Format::Json {
        return Ok(axum::Json(list).into_response());
    }
    // The files hold the agreed contacts, as a person's own contacts file does.
    let mut agreed: Vec<Contact> = list
        .into_iter()
        .filter(|l| l.status == BoothContactStatus::Agreed)
        .map(|l| Contact {
            asked_by: l.visitor.id.clone(),
            with: l.visitor,
            status: ContactStatus::Agreed,
            mine: l.mine.unwrap_or_default(),
            theirs: l.theirs,
            why: l.why,
            asked_ms: l.asked_ms,
            agreed_ms: l.agreed_ms,
        })
        .collect();
    agreed.sort_by(|a, b| {
        a.with
            .name
            .cmp(&b.with.name)
            .then_with(|| a.with.id.cmp(&b.with.id))
    });
    let file = format!("{code}-{booth}-contacts");
    file_response(
        &code,
        &event.time_zone,
        &agreed,
        format == Format::Vcard,
        &file,
    )
}

/// `GET /api/events/{code}/contacts.{csv,vcf}`.
pub async fn download(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    vcard: bool,
) -> Result<Response, AppError> {
    let (code, who, event) = at_event(&app, &headers, &code, Action::Follow).await?;
    let me = who.id.clone();
    let mut agreed: Vec<Contact> = app
        .engine
        .read::<Contacts, _>(&RoomId::Event(code.clone()), |_, r| {
            r.live_of(&me)
                .filter_map(|c| {
                    let other = if c.a.id == me { &c.b.id } else { &c.a.id };
                    contacts::contact_of(c, &me, r.cards.get(other))
                })
                .filter(|c| c.status == ContactStatus::Agreed)
                .collect()
        })
        .await?;
    agreed.sort_by(|a, b| {
        a.with
            .name
            .cmp(&b.with.name)
            .then_with(|| a.with.id.cmp(&b.with.id))
    });
    let file = format!("{code}-contacts");
    file_response(&code, &event.time_zone, &agreed, vcard, &file)
}

/// `agreed` as a CSV or vCard file named `file` (and its ending).
fn file_response(
    code: &EventCode,
    time_zone: &str,
    agreed: &[Contact],
    vcard: bool,
    file: &str,
) -> Result<Response, AppError> {
    let (body, mime, ending) = if vcard {
        (
            vcards(code, agreed).into_bytes(),
            "text/vcard; charset=utf-8",
            "vcf",
        )
    } else {
        let tz = export::zone(time_zone);
        let body = csv(agreed, tz)
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("the export failed: {e}")))?;
        (body, "text/csv; charset=utf-8", "csv")
    };
    Ok(super::http::attachment(
        mime,
        &format!("{file}.{ending}"),
        body,
    ))
}

/// The contacts as CSV: a byte order mark (so a spreadsheet reads UTF-8), one row each, every
/// text formula-safe (`export::cell`), the time of agreement in ISO 8601 in the event's zone.
fn csv(agreed: &[Contact], tz: chrono_tz::Tz) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record([
        "name",
        "organisation",
        "email",
        "phone",
        "note",
        "why",
        "agreed",
    ])?;
    let text = |t: Option<&str>| export::cell(t.unwrap_or_default()).into_owned();
    for c in agreed {
        let theirs = c.theirs.clone().unwrap_or_default();
        let agreed = c
            .agreed_ms
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| {
                t.with_timezone(&tz)
                    .to_rfc3339_opts(SecondsFormat::Secs, false)
            })
            .unwrap_or_default();
        w.write_record([
            text(c.with.name.as_deref()),
            text(c.with.organisation.as_deref()),
            text(theirs.email.as_deref()),
            text(theirs.phone.as_deref()),
            text(theirs.note.as_deref()),
            text(c.why.as_deref()),
            agreed,
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The contacts as vCard 4 (RFC 6350), one card each: FN, ORG, EMAIL, TEL (a `tel:` URI for
/// a number starting with `+`, else text), NOTE and a stable UID, lines ending CRLF and folded
/// at 75 octets.
fn vcards(code: &EventCode, agreed: &[Contact]) -> String {
    let mut out = String::new();
    for c in agreed {
        let theirs = c.theirs.clone().unwrap_or_default();
        let name = c.with.name.clone().unwrap_or_else(|| c.with.id.to_string());
        let mut lines = vec![
            "BEGIN:VCARD".to_owned(),
            "VERSION:4.0".to_owned(),
            format!("FN:{}", vcard_text(&name)),
            format!("UID:urn:plenum:{code}:{}", c.with.id.as_str()),
        ];
        if let Some(org) = &c.with.organisation {
            lines.push(format!("ORG:{}", vcard_text(org)));
        }
        if let Some(email) = &theirs.email {
            lines.push(format!("EMAIL:{}", vcard_text(email)));
        }
        if let Some(phone) = &theirs.phone {
            // A global number (`+` first, then digits and `-()`) as a `tel:` URI (RFC 3966,
            // spaces dropped); any other as the text it is, which RFC 6350 also allows.
            let number: String = phone.chars().filter(|c| !c.is_whitespace()).collect();
            let global = number.strip_prefix('+').is_some_and(|rest| {
                !rest.is_empty()
                    && rest
                        .chars()
                        .all(|c| c.is_ascii_digit() || "-()".contains(c))
            });
            if global {
                lines.push(format!("TEL;VALUE=uri:tel:{number}"));
            } else {
                lines.push(format!("TEL;VALUE=text:{}", vcard_text(phone)));
            }
        }
        if let Some(note) = &theirs.note {
            lines.push(format!("NOTE:{}", vcard_text(note)));
        }
        lines.push("END:VCARD".to_owned());
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out
}

/// A text value escaped as RFC 6350 says: backslash, comma, semicolon and line breaks.
fn vcard_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(ch),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a character), ending CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plenum_protocol::{MeetingPerson, PersonId, Shared, Sharing};

    fn with_phone(phone: &str) -> Contact {
        Contact {
            with: MeetingPerson {
                id: PersonId::parse("att-Zk3q").unwrap(),
                name: Some("Björn Lind".into()),
                organisation: None,
            },
            status: ContactStatus::Agreed,
            mine: Sharing::default(),
            theirs: Some(Shared {
                email: None,
                phone: Some(phone.into()),
                note: None,
            }),
            why: None,
            asked_by: PersonId::parse("att-Zk3q").unwrap(),
            asked_ms: 0,
            agreed_ms: Some(0),
        }
    }

    #[test]
    fn a_global_number_is_a_tel_uri_and_any_other_is_text() {
        let code = EventCode::parse("ECC2026").unwrap();
        let global = vcards(&code, &[with_phone("+46 (0)70 111")]);
        assert!(
            global.contains("TEL;VALUE=uri:tel:+46(0)70111\r\n"),
            "{global}"
        );
        let local = vcards(&code, &[with_phone("070 111")]);
        assert!(local.contains("TEL;VALUE=text:070 111\r\n"), "{local}");
        let odd = vcards(&code, &[with_phone("0+1")]);
        assert!(odd.contains("TEL;VALUE=text:0+1\r\n"), "{odd}");
        assert!(global.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Björn Lind\r\n"));
    }

    #[test]
    fn vcard_text_is_escaped_and_folded() {
        assert_eq!(vcard_text("Ana; Bo, \\ C\nD"), "Ana\\; Bo\\, \\\\ C\\nD");
        let long = format!("NOTE:{}", "å".repeat(60));
        let folded = fold(&long);
        for line in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }
}
