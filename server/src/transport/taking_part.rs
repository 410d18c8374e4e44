//! Presence at a session's tables is an open connection: once a connection has said
//! `take_part` (`here: true`) for a session, it says so again with each heartbeat while it
//! stays open, so a hidden tab whose timers the browser slows, or a phone whose screen is off
//! but whose socket lives, keeps its seat; a closed page or a dead socket says nothing, and its
//! seat is freed after a minute (`interactions/tables`).

use super::requests;
use crate::{App, auth};
use plenum_protocol::{ClientMsg, EventCode, Person, SessionId};

/// The sessions a connection takes part at: at most [`TakingPart::MAX`], none for most
/// connections (one pointer in each idle connection's task).
#[derive(Debug, Default)]
pub struct TakingPart(Option<Box<[(EventCode, SessionId)]>>);

impl TakingPart {
    /// Most sessions one connection keeps saying it takes part at.
    pub const MAX: usize = 4;

    /// Notes a `take_part` the connection sent: `here: true` keeps saying it, `false` stops.
    pub fn note(&mut self, msg: &ClientMsg) {
        let ClientMsg::TakePart {
            event,
            session,
            here,
        } = msg
        else {
            return;
        };
        let mut list: Vec<(EventCode, SessionId)> =
            self.0.take().map(Vec::from).unwrap_or_default();
        list.retain(|(e, s)| !(e == event && s == session));
        if *here {
            if list.len() == Self::MAX {
                list.remove(0);
            }
            list.push((event.clone(), session.clone()));
        }
        self.0 = (!list.is_empty()).then(|| list.into_boxed_slice());
    }

    /// Says `take_part` again for each session, as `person` (in the background: a heartbeat
    /// waits for nothing). Only what `person` may do; refusals (the tables gone) are ignored.
    pub fn renew(&self, app: &App, person: &Person) {
        let Some(list) = &self.0 else {
            return;
        };
        for (event, session) in list.iter() {
            let msg = ClientMsg::TakePart {
                event: event.clone(),
                session: session.clone(),
                here: true,
            };
            let Some(r) = requests::route(person, msg) else {
                continue;
            };
            if !auth::allowed(person, r.action, &r.room) {
                continue;
            }
            let engine = app.engine.clone();
            tokio::spawn(async move {
                let _ = engine.submit(&r.room, r.command).await;
            });
        }
    }
}
