//! Validation of events and agendas as organisers import them.
//!
//! Parsing (unknown fields, wrong types, bad ids) is serde's job and reports a path through
//! `serde_path_to_error`; this module checks what types cannot say: references between days
//! and sessions, times, numbering, lengths, URLs. Either the whole document is valid or it is
//! refused with the first offending field's path, like `sessions[3].end`: nothing is ever
//! half-imported.

use crate::interactions::Refusal;
use chrono::{NaiveDate, NaiveTime};
use plenum_protocol::{Agenda, AgendaPerson, CreateEvent, Material, Session, SessionKind, limits};
use std::collections::HashSet;

/// An invalid field: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// Set when the field is a text over this many characters (`too_large`, as every text).
    pub max: Option<usize>,
}

impl From<FieldError> for Refusal {
    fn from(e: FieldError) -> Refusal {
        match e.max {
            Some(max) => Refusal::TooLong {
                field: e.field,
                max,
            },
            None => Refusal::Invalid {
                message: format!("{}: {}", e.field, e.message),
                field: Some(e.field),
            },
        }
    }
}

fn err<T>(field: impl Into<String>, message: impl Into<String>) -> Result<T, FieldError> {
    Err(FieldError {
        field: field.into(),
        message: message.into(),
        max: None,
    })
}

fn text(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return err(field, "must not be empty");
    }
    if value.chars().count() > max {
        return Err(FieldError {
            field: field.into(),
            message: format!("is longer than {max} characters"),
            max: Some(max),
        });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return err(field, "contains control characters");
    }
    Ok(())
}

fn opt_text(field: &str, value: &Option<String>, max: usize) -> Result<(), FieldError> {
    value.as_deref().map_or(Ok(()), |v| text(field, v, max))
}

fn language(field: &str, value: &str) -> Result<(), FieldError> {
    let ok = (2..=3).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        err(
            field,
            format!("must be a language code like \"en\" or \"sv\", got {value:?}"),
        )
    }
}

fn url(field: &str, value: &str) -> Result<(), FieldError> {
    if value.chars().count() > limits::MAX_AGENDA_LINK_CHARS {
        return Err(FieldError {
            field: field.into(),
            message: format!(
                "is longer than {} characters",
                limits::MAX_AGENDA_LINK_CHARS
            ),
            max: Some(limits::MAX_AGENDA_LINK_CHARS),
        });
    }
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        err(field, "must be an http(s) URL")
    }
}

fn person(field: &str, p: &AgendaPerson) -> Result<(), FieldError> {
    text(&format!("{field}.name"), &p.name, limits::MAX_TITLE_CHARS)?;
    opt_text(&format!("{field}.role"), &p.role, limits::MAX_TITLE_CHARS)?;
    opt_text(
        &format!("{field}.organisation"),
        &p.organisation,
        limits::MAX_TITLE_CHARS,
    )
}

/// `HH:MM`, as the meeting plan's times and slots read it (`plenum_protocol::minutes`): a
/// session's times are compared with the slots (starred sessions kept free).
fn time(field: &str, value: &str) -> Result<NaiveTime, FieldError> {
    plenum_protocol::minutes(value)
        .and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0))
        .map_or_else(
            || {
                err(
                    field,
                    format!("must be a time like \"09:30\", got {value:?}"),
                )
            },
            Ok,
        )
}

fn materials(field: &str, list: &[Material]) -> Result<(), FieldError> {
    if list.len() > limits::MAX_MATERIALS {
        return err(
            format!("{field}.materials"),
            format!("has more than {} materials", limits::MAX_MATERIALS),
        );
    }
    for (j, m) in list.iter().enumerate() {
        text(
            &format!("{field}.materials[{j}].title"),
            &m.title,
            limits::MAX_TITLE_CHARS,
        )?;
        url(&format!("{field}.materials[{j}].url"), &m.url)?;
    }
    Ok(())
}

/// Trims every text of an agenda and drops optional texts left empty, so a form's empty
/// field (`"track": ""`) means no track rather than an error.
pub fn tidy_agenda(a: &mut Agenda) {
    for day in &mut a.days {
        tidy(&mut day.title);
    }
    for s in &mut a.sessions {
        tidy_session(s);
    }
}

/// [`tidy_agenda`] for one session.
pub fn tidy_session(s: &mut Session) {
    s.title = s.title.trim().to_owned();
    for field in [
        &mut s.track,
        &mut s.location,
        &mut s.language,
        &mut s.description,
        &mut s.stream_url,
    ] {
        tidy(field);
    }
    // A person left wholly empty is no person; one with only the name empty is refused.
    let blank =
        |p: &AgendaPerson| p.name.is_empty() && p.role.is_none() && p.organisation.is_none();
    if let Some(m) = &mut s.moderator {
        tidy_person(m);
    }
    if s.moderator.as_ref().is_some_and(blank) {
        s.moderator = None;
    }
    for c in &mut s.contributions {
        c.title = c.title.trim().to_owned();
        c.speakers.iter_mut().for_each(tidy_person);
        c.speakers.retain(|p| !blank(p));
        for m in &mut c.materials {
            m.title = m.title.trim().to_owned();
            m.url = m.url.trim().to_owned();
        }
    }
    for m in &mut s.materials {
        m.title = m.title.trim().to_owned();
        m.url = m.url.trim().to_owned();
    }
}

fn tidy_person(p: &mut AgendaPerson) {
    p.name = p.name.trim().to_owned();
    tidy(&mut p.role);
    tidy(&mut p.organisation);
}

fn tidy(field: &mut Option<String>) {
    if let Some(v) = field {
        let t = v.trim();
        if t.is_empty() {
            *field = None;
        } else if t.len() != v.len() {
            *v = t.to_owned();
        }
    }
}

/// Checks a new event, its agenda included.
pub fn check_event(e: &CreateEvent) -> Result<(), FieldError> {
    text("title", &e.title, limits::MAX_TITLE_CHARS)?;
    if e.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return err(
            "time_zone",
            format!(
                "must be an IANA time zone like \"Europe/Stockholm\", got {:?}",
                e.time_zone
            ),
        );
    }
    if e.languages.is_empty() {
        return err("languages", "must name at least one language");
    }
    for (i, l) in e.languages.iter().enumerate() {
        language(&format!("languages[{i}]"), l)?;
    }
    opt_text("venue", &e.venue, limits::MAX_TITLE_CHARS)?;
    opt_text("description", &e.description, limits::MAX_DESCRIPTION_CHARS)?;
    check_agenda(&e.agenda).map_err(|mut fe| {
        fe.field = format!("agenda.{}", fe.field);
        fe
    })
}

/// Checks an agenda document.
pub fn check_agenda(a: &Agenda) -> Result<(), FieldError> {
    let mut days = HashSet::new();
    for (i, day) in a.days.iter().enumerate() {
        let f = format!("days[{i}]");
        if day.number == 0 || !days.insert(day.number) {
            return err(
                format!("{f}.number"),
                "must be a day number that is unique and at least 1",
            );
        }
        if day.date.len() != 10 || NaiveDate::parse_from_str(&day.date, "%Y-%m-%d").is_err() {
            return err(
                format!("{f}.date"),
                format!("must be a date like \"2026-05-12\", got {:?}", day.date),
            );
        }
        opt_text(&format!("{f}.title"), &day.title, limits::MAX_TITLE_CHARS)?;
    }
    if a.sessions.len() > limits::MAX_SESSIONS {
        return err(
            "sessions",
            format!("has more than {} sessions", limits::MAX_SESSIONS),
        );
    }
    let mut ids = HashSet::new();
    for (i, s) in a.sessions.iter().enumerate() {
        let f = format!("sessions[{i}]");
        if !ids.insert(&s.id) {
            return err(
                format!("{f}.id"),
                format!("{} is used by an earlier session", s.id),
            );
        }
        text(&format!("{f}.title"), &s.title, limits::MAX_TITLE_CHARS)?;
        if !days.contains(&s.day) {
            return err(format!("{f}.day"), format!("day {} is not in days", s.day));
        }
        let start = time(&format!("{f}.start"), &s.start)?;
        let end = time(&format!("{f}.end"), &s.end)?;
        if end <= start {
            return err(
                format!("{f}.end"),
                format!("must be after start ({})", s.start),
            );
        }
        opt_text(&format!("{f}.track"), &s.track, limits::MAX_TITLE_CHARS)?;
        opt_text(
            &format!("{f}.location"),
            &s.location,
            limits::MAX_TITLE_CHARS,
        )?;
        if let Some(l) = &s.language {
            language(&format!("{f}.language"), l)?;
        }
        opt_text(
            &format!("{f}.description"),
            &s.description,
            limits::MAX_DESCRIPTION_CHARS,
        )?;
        if let Some(u) = &s.stream_url {
            url(&format!("{f}.stream_url"), u)?;
        }
        materials(&f, &s.materials)?;
        if let Some(m) = &s.moderator {
            person(&format!("{f}.moderator"), m)?;
        }
        for (j, c) in s.contributions.iter().enumerate() {
            let cf = format!("{f}.contributions[{j}]");
            if c.number as usize != j + 1 {
                return err(
                    format!("{cf}.number"),
                    format!(
                        "contributions are numbered 1, 2, 3… in order; expected {}, got {}",
                        j + 1,
                        c.number
                    ),
                );
            }
            text(&format!("{cf}.title"), &c.title, limits::MAX_TITLE_CHARS)?;
            for (k, p) in c.speakers.iter().enumerate() {
                person(&format!("{cf}.speakers[{k}]"), p)?;
            }
            materials(&cf, &c.materials)?;
            if c.booth.is_some() && c.contact.is_some() {
                return err(
                    format!("{cf}.contact"),
                    "a pitch names a booth or a contact, not both",
                );
            }
            if (c.booth.is_some() || c.contact.is_some()) && s.kind != SessionKind::Pitch {
                let which = if c.booth.is_some() {
                    "booth"
                } else {
                    "contact"
                };
                return err(
                    format!("{cf}.{which}"),
                    "only a pitch session's contributions name a booth or a contact",
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link over its length is `too_large` naming its field, as every text; a link that is
    /// not one is `bad_request`.
    #[test]
    fn an_agenda_link_over_its_length_is_too_large() {
        let max = limits::MAX_AGENDA_LINK_CHARS;
        let long = format!("https://example.org/{}", "a".repeat(max));
        let refused = Refusal::from(url("stream_url", &long).unwrap_err());
        assert!(
            matches!(refused, Refusal::TooLong { ref field, max: m } if field == "stream_url" && m == max),
            "{refused:?}"
        );
        let bad = Refusal::from(url("stream_url", "ftp://example.org/").unwrap_err());
        assert!(matches!(bad, Refusal::Invalid { .. }), "{bad:?}");
        assert!(url("stream_url", &long[..max]).is_ok());
    }
}
