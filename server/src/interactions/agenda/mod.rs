//! An event's document and its event room: creating the event, importing and editing its
//! agenda, announcing to everyone at it.
//!
//! The document (title, time zone, agenda) is not a room event: it is committed with the event
//! room's write (`Cx::set_event_doc`), and the room logs `agenda_updated` with the document's
//! new version, so clients refetch it.

mod check;
pub mod import;

pub use check::{FieldError, check_agenda, check_event, tidy_agenda, tidy_session};

use super::{Cx, Interaction, Made, Refusal};
use plenum_protocol::{Agenda, Announcement, EventInfo, RoomEvent, Session, limits};

/// The agenda interaction.
pub struct EventAgenda;

/// A request in an event room. The documents are checked whole before they are queued
/// ([`check_event`], [`check_agenda`]); the sequencer checks what depends on the agenda as the
/// batch leaves it.
#[derive(Debug, Clone)]
pub enum AgendaCommand {
    /// Creates an event (its event room must be empty).
    Create(Box<EventInfo>),
    /// Replaces an existing event's agenda.
    Replace(Agenda),
    /// Adds a session to the agenda, or replaces the one with its id. Decided against the
    /// agenda as it is then, so concurrent edits never overwrite each other.
    PutSession(Box<Session>),
    /// Announces to the whole event.
    Announce(String),
    /// Sets (or clears) the last day personal data is kept ([`retention_date`]).
    SetRetention(Option<String>),
    /// Notes that the event's personal data was purged at this time (ms since the epoch).
    Purged(i64),
}

/// A retention date as kept: `YYYY-MM-DD`, a real day, not before the event's last day (its
/// data would go while it runs).
pub fn retention_date(info: &EventInfo, until: &str) -> Result<String, Refusal> {
    let until = until.trim();
    let day = chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d")
        .ok()
        .filter(|_| until.len() == 10)
        .ok_or_else(|| Refusal::invalid("until", "must be a date, YYYY-MM-DD"))?;
    let last = info
        .agenda
        .days
        .iter()
        .filter_map(|d| chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok())
        .max();
    if let Some(last) = last
        && day < last
    {
        return Err(Refusal::invalid(
            "until",
            format!("must not be before the event's last day, {last}"),
        ));
    }
    Ok(day.format("%Y-%m-%d").to_string())
}

/// When the event's personal data is due to be purged (ms since the epoch): the end of its
/// retention date in the event's time zone. `None` without a date.
pub fn retention_due_ms(info: &EventInfo) -> Option<i64> {
    use chrono::TimeZone as _;
    let day =
        chrono::NaiveDate::parse_from_str(info.personal_data_until.as_deref()?, "%Y-%m-%d").ok()?;
    let next = day.succ_opt()?.and_hms_opt(0, 0, 0)?;
    let zone: chrono_tz::Tz = info.time_zone.parse().unwrap_or(chrono_tz::UTC);
    // A midnight a clock change skips: its first valid moment after.
    let at = zone.from_local_datetime(&next).earliest().or_else(|| {
        zone.from_local_datetime(&(next + chrono::Duration::hours(1)))
            .earliest()
    })?;
    Some(at.timestamp_millis())
}

/// Whether the event's personal data is due to be purged at `now_ms` and was not purged since.
pub fn purge_due(info: &EventInfo, now_ms: i64) -> bool {
    retention_due_ms(info)
        .is_some_and(|due| now_ms >= due && info.purged_at_ms.is_none_or(|p| p < due))
}

/// An announcement's text, trimmed, or why it is refused.
fn announcement(text: &str) -> Result<String, Refusal> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Refusal::invalid("text", "must not be empty"));
    }
    let max = limits::MAX_ANNOUNCEMENT_CHARS;
    if text.chars().count() > max {
        return Err(Refusal::too_long("text", max));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Refusal::invalid("text", "contains control characters"));
    }
    Ok(text.to_owned())
}

/// Records `info` as the event's next document in this batch, and logs the new version.
fn new_version(cx: &mut Cx<'_, EventAgenda>, mut info: EventInfo) -> Result<(), Refusal> {
    // An agenda that would run past the day personal data is kept until: the data would go
    // while the event runs.
    if let Some(until) = &info.personal_data_until
        && retention_date(&info, until).is_err()
    {
        return Err(Refusal::Conflict(format!(
            "personal data is kept until {until}, before the agenda's last day: set a later date first"
        )));
    }
    info.agenda_version = cx.event_room()?.agenda_version + 1;
    let version = info.agenda_version;
    cx.set_event_doc(info);
    cx.emit(RoomEvent::AgendaUpdated { version });
    Ok(())
}

impl Interaction for EventAgenda {
    type Command = AgendaCommand;
    type Records = ();
    type Change = ();
    const NAME: &'static str = "agenda";

    fn check(&self, command: &AgendaCommand) -> Result<(), Refusal> {
        match command {
            AgendaCommand::Announce(text) => announcement(text).map(drop),
            _ => Ok(()),
        }
    }

    fn decide(&self, cx: &mut Cx<'_, Self>, command: AgendaCommand) -> Result<Made, Refusal> {
        let code = cx.room().event_code().clone();
        let state = cx.event_room()?;
        match command {
            AgendaCommand::Create(info) => {
                if state.agenda_version > 0 || cx.event_doc_changed() {
                    return Err(Refusal::Conflict(format!(
                        "an event with code {code} already exists"
                    )));
                }
                new_version(cx, *info)?;
            }
            AgendaCommand::Replace(agenda) => {
                // A session no longer in the agenda has no status: the statuses stay bounded
                // by the agenda's sessions.
                let gone: Vec<_> = state
                    .statuses
                    .keys()
                    .filter(|id| !agenda.sessions.iter().any(|s| &s.id == *id))
                    .cloned()
                    .collect();
                let mut info = cx.event_doc()?;
                info.agenda = agenda;
                new_version(cx, info)?;
                for session in gone {
                    cx.emit(RoomEvent::SessionStatus {
                        session,
                        status: plenum_protocol::StageStatus::Scheduled,
                    });
                }
            }
            AgendaCommand::PutSession(session) => {
                let mut info = cx.event_doc()?;
                let sessions = &mut info.agenda.sessions;
                match sessions.iter_mut().find(|s| s.id == session.id) {
                    Some(existing) => *existing = *session,
                    None => sessions.push(*session),
                }
                check_agenda(&info.agenda).map_err(Refusal::from)?;
                new_version(cx, info)?;
            }
            AgendaCommand::SetRetention(until) => {
                let mut info = cx.event_doc()?;
                info.personal_data_until = match until {
                    Some(until) => Some(retention_date(&info, &until)?),
                    None => None,
                };
                new_version(cx, info)?;
            }
            AgendaCommand::Purged(at_ms) => {
                let mut info = cx.event_doc()?;
                info.purged_at_ms = Some(at_ms);
                new_version(cx, info)?;
            }
            AgendaCommand::Announce(text) => {
                let announcement = Announcement {
                    text: announcement(&text)?,
                    at_ms: cx.now_ms(),
                };
                cx.emit(RoomEvent::Announced { announcement });
            }
        }
        Ok(Made::default())
    }

    fn load(_: &mut (), _: &str, _: &str, _: Option<&str>) {}

    fn apply(_: &mut (), _: &()) {}

    fn store(_: &()) -> super::Stored {
        unreachable!("the agenda keeps no records")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(zone: &str, until: Option<&str>) -> EventInfo {
        EventInfo {
            code: plenum_protocol::EventCode::parse("RET").unwrap(),
            title: "Retention".into(),
            time_zone: zone.into(),
            languages: vec!["en".into()],
            venue: None,
            description: None,
            agenda: Agenda {
                days: vec![plenum_protocol::Day {
                    number: 1,
                    date: "2026-05-12".into(),
                    title: None,
                }],
                sessions: Vec::new(),
            },
            agenda_version: 1,
            personal_data_until: until.map(Into::into),
            purged_at_ms: None,
        }
    }

    #[test]
    fn a_retention_date_is_a_real_day_not_before_the_event_ends() {
        let e = event("Europe/Stockholm", None);
        assert_eq!(retention_date(&e, " 2026-05-12 ").unwrap(), "2026-05-12");
        for bad in [
            "2026-05-11",
            "2026-02-30",
            "2026-5-20",
            "20 May",
            "2026-05-20T00:00",
        ] {
            assert!(
                matches!(retention_date(&e, bad), Err(Refusal::Invalid { field: Some(f), .. }) if f == "until"),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_purge_is_due_when_the_day_ends_in_the_events_zone() {
        // 2026-08-31 ends at midnight in Stockholm: 22:00 UTC (summer time).
        let e = event("Europe/Stockholm", Some("2026-08-31"));
        let due = retention_due_ms(&e).unwrap();
        assert_eq!(
            chrono::DateTime::from_timestamp_millis(due)
                .unwrap()
                .to_rfc3339(),
            "2026-08-31T22:00:00+00:00"
        );
        assert!(!purge_due(&e, due - 1));
        assert!(purge_due(&e, due));
        // Purged since: not due again; purged before the date (by hand): due.
        assert!(!purge_due(
            &EventInfo {
                purged_at_ms: Some(due + 5),
                ..e.clone()
            },
            due + 10
        ));
        assert!(purge_due(
            &EventInfo {
                purged_at_ms: Some(due - 5),
                ..e.clone()
            },
            due + 10
        ));
        assert_eq!(retention_due_ms(&event("UTC", None)), None);
    }
}
