//! The moderator console's page: for moderators and organisers, the session's Q&A console
//! (`features::qa::console`) and, in sessions that hold tables, the tables' rounds
//! (`features::tables::console`).

use leptos::prelude::*;
use plenum_protocol::{EventCode, Role, SessionId};

use crate::components::{exports::SessionExports, feedback::*, follow::*};
use crate::features::qa::console::Console;
use crate::features::stage::screen_control::BigScreenPanel;
use crate::i18n::{Arg, ta};

#[component]
pub fn ModeratePage(code: EventCode, id: SessionId) -> impl IntoView {
    let (live, state, _) = follow_session(&code, &id);
    let title = super::session_title(&id);
    super::page_title(move || ta("moderating", &[("title", Arg::Str(title.get()))]));
    let allowed = may(live, &[Role::Moderator, Role::Organiser], &id);
    let (c, i) = (code.clone(), id.clone());
    move || match allowed.get() {
        Some(false) => not_for_you("for-moderators").into_any(),
        _ => view! {
            <Console code=c.clone() id=i.clone() state title />
            <crate::features::tables::console::TablesConsole code=c.clone() id=i.clone() state />
            <BigScreenPanel code=c.clone() id=i.clone() state />
            <SessionExports code=c.clone() id=i.clone() />
        }
        .into_any(),
    }
}
