//! Following a session's room while a screen lives, and what every session screen reads of it.

use crate::live::Live;
use crate::pages::EventData;
use leptos::prelude::*;
use plenum_protocol::{EventCode, RoomId, RoomState, SessionId, SessionState};

/// Follows a session's room while the calling screen lives, and gives its state (tracked).
pub fn follow_session(
    code: &EventCode,
    id: &SessionId,
) -> (Live, Memo<Option<SessionState>>, Memo<crate::live::Room>) {
    let live = expect_context::<Live>();
    let room = RoomId::Session(code.clone(), id.clone());
    live.follow(room.clone());
    {
        let room = room.clone();
        on_cleanup(move || live.unfollow(&room));
    }
    let here = Memo::new(move |_| live.room(&room));
    let state = Memo::new(move |_| {
        here.with(|r| match &r.state {
            Some(RoomState::Session(s)) => Some(s.clone()),
            _ => None,
        })
    });
    (live, state, here)
}

/// The ids of a session's polls, quizzes or awards that `pick` chooses (tracked).
pub fn ids_of(
    state: Memo<Option<SessionState>>,
    pick: fn(&SessionState) -> Vec<u64>,
) -> Memo<Vec<u64>> {
    Memo::new(move |_| state.with(|s| s.as_ref().map(pick).unwrap_or_default()))
}

/// The session's title from the agenda (or its id while the agenda loads).
pub fn session_title(id: &SessionId) -> Memo<String> {
    let EventData(info) = expect_context();
    let id = id.clone();
    Memo::new(move |_| {
        info.get()
            .and_then(|r| r.ok())
            .and_then(|e| e.agenda.sessions.into_iter().find(|s| s.id == id))
            .map(|s| s.title)
            .unwrap_or_else(|| id.to_string())
    })
}

/// Sets the page's title: "what · event · Plenum".
pub fn page_title(what: impl Fn() -> String + 'static) {
    Effect::new(move || {
        document().set_title(&format!("{} · Plenum", what()));
    });
}
