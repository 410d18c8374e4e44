//! What the fuzz targets (`fuzz/`) run, so the test suite can replay their corpus and every
//! crash they found (`tests/tests/fuzz_regressions.rs`) through the very same code.
//!
//! Each entry point takes untrusted bytes the way the server does and panics only on a bug:
//! - [`ws_frame`]: a WebSocket text frame — read (or refused, naming the field), then routed
//!   for an attendee and for a moderator, and checked by its interaction, as the connection does.
//! - [`agenda`]: an agenda document and a new event's document — parsed with the field path
//!   the HTTP API reports, then checked whole.

use crate::{
    interactions::agenda::{check_agenda, check_event},
    transport::{replies::read_frame, requests},
};
use plenum_protocol::{Agenda, CreateEvent, EventCode, Person, Role, limits};

fn person(role: Role) -> Person {
    Person {
        id: "fuzz".into(),
        name: Some("Fuzz".into()),
        role,
        event: Some(EventCode::parse("FUZZ").expect("a valid code")),
        sessions: Vec::new(),
        registered: false,
        link: 0,
    }
}

/// One WebSocket text frame, as `Connection::on_text` takes it.
pub fn ws_frame(data: &[u8]) {
    // The socket refuses non-UTF-8 text frames and frames over the limit before this.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > limits::MAX_CLIENT_FRAME_BYTES {
        return;
    }
    let frame = match read_frame(text) {
        Ok(frame) => frame,
        Err(unreadable) => {
            // A refusal is bounded by what was sent: it never echoes more than it read.
            assert!(unreadable.message.len() <= 2 * text.len() + 1024);
            return;
        }
    };
    let registry = crate::interactions();
    for role in [Role::Attendee, Role::Moderator] {
        let person = person(role);
        if let Some(routed) = requests::route(&person, frame.msg.clone()) {
            let _ = routed.permitted(&person);
            let _ = registry.check(&routed.command);
        }
    }
}

/// An agenda document, and an event's document, as `PUT …/agenda` and `POST /api/events` take
/// them.
pub fn agenda(data: &[u8]) {
    if data.len() > limits::MAX_AGENDA_BYTES {
        return;
    }
    let de = &mut serde_json::Deserializer::from_slice(data);
    if let Ok(agenda) = serde_path_to_error::deserialize::<_, Agenda>(de) {
        let _ = check_agenda(&agenda);
    }
    let de = &mut serde_json::Deserializer::from_slice(data);
    if let Ok(event) = serde_path_to_error::deserialize::<_, CreateEvent>(de) {
        let _ = check_event(&event);
    }
}
