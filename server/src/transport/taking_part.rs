//! Presence at a session's tables is an open connection: once a connection has said
//! `take_part` (`here: true`) for a session, it says so again with each heartbeat while it
//! stays open, still follows the session and answers the server's pings, so a hidden tab whose
//! timers the browser slows, or a phone whose screen is off but whose socket lives, keeps its
//! seat; a closed page, a page moved on from the session, or a dead socket says nothing, and
//! its seat is freed after a minute (`interactions/tables`).

use super::requests;
use crate::{App, auth};
use plenum_protocol::{ClientMsg, EventCode, Person, RoomId, SessionId};
use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
};

/// The sessions a connection takes part at (at most [`TakingPart::MAX`]), and whether a
/// renewal is still under way; nothing for most connections (one pointer in each idle
/// connection's task).
#[derive(Debug, Default)]
pub struct TakingPart(Option<Box<Held>>);

#[derive(Debug, Default)]
struct Held {
    sessions: Vec<(EventCode, SessionId)>,
    /// A renewal under way: the next heartbeat waits for it (one at a time, whatever the
    /// store's pace).
    busy: Arc<AtomicBool>,
    /// Counts what the connection said: a renewal under way stops at the next session once
    /// the connection says anything new (`here: false` above all).
    said: Arc<AtomicU64>,
}

/// Clears the busy flag however a renewal ends.
struct Done(Arc<AtomicBool>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl TakingPart {
    /// Most sessions one connection keeps saying it takes part at (the oldest goes).
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
        let held = self.0.get_or_insert_with(Box::default);
        held.said.fetch_add(1, Ordering::AcqRel);
        held.sessions.retain(|(e, s)| !(e == event && s == session));
        if *here {
            if held.sessions.len() == Self::MAX {
                held.sessions.remove(0);
            }
            held.sessions.push((event.clone(), session.clone()));
        }
        if held.sessions.is_empty() {
            self.0 = None;
        }
    }

    /// Says `take_part` again for each session the connection still `follows`, as `person`,
    /// in the background (a heartbeat waits for nothing). Only what `person` may do; refusals
    /// (the tables gone) are ignored.
    pub fn renew(&self, app: &App, person: &Person, follows: impl Fn(&RoomId) -> bool) {
        let Some(held) = &self.0 else {
            return;
        };
        if held.busy.swap(true, Ordering::AcqRel) {
            return;
        }
        let mut routed = Vec::new();
        for (event, session) in &held.sessions {
            let msg = ClientMsg::TakePart {
                event: event.clone(),
                session: session.clone(),
                here: true,
            };
            if let Some(r) = requests::route(person, msg)
                && follows(&r.room)
                && auth::allowed(person, r.action, &r.room)
            {
                routed.push(r);
            }
        }
        let (engine, said) = (app.engine.clone(), held.said.clone());
        let (done, at) = (Done(held.busy.clone()), said.load(Ordering::Acquire));
        tokio::spawn(async move {
            let _done = done;
            for r in routed {
                if said.load(Ordering::Acquire) != at {
                    break;
                }
                let _ = engine.submit(&r.room, r.command).await;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(event: &str, session: &str, here: bool) -> ClientMsg {
        ClientMsg::TakePart {
            event: EventCode::parse(event).unwrap(),
            session: SessionId::parse(session).unwrap(),
            here,
        }
    }

    #[test]
    fn keeps_at_most_four_sessions_the_oldest_going_and_forgets_on_here_false() {
        let mut t = TakingPart::default();
        for s in ["s1", "s2", "s3", "s4", "s5"] {
            t.note(&said("CAFE", s, true));
        }
        let held: Vec<String> =
            t.0.as_ref()
                .unwrap()
                .sessions
                .iter()
                .map(|(_, s)| s.to_string())
                .collect();
        assert_eq!(held, ["s2", "s3", "s4", "s5"]);
        for s in ["s2", "s3", "s4", "s5"] {
            t.note(&said("CAFE", s, false));
        }
        assert!(
            t.0.is_none(),
            "nothing held for a connection that takes part nowhere"
        );
        t.note(&ClientMsg::Ping { t: None });
        assert!(t.0.is_none());
    }
}
