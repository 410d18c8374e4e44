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
