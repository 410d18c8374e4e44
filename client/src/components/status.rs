//! The header's status: who you are (your role) and the connection (live, reconnecting).

use crate::i18n::t;
use crate::live::{Connection, Live};
use leptos::prelude::*;
use plenum_protocol::Role;

/// "Moderator", "Speaker", "Organiser": who this browser is at the event.
#[component]
pub fn RoleBadge(live: Live) -> impl IntoView {
    move || {
        live.person()
            .filter(|p| p.role != Role::Attendee)
            .map(|p| view! { <span class="role-badge">{role_label(p.role)}</span> })
    }
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
pub fn role_label(role: Role) -> String {
    t(match role {
        Role::Attendee => "role-attendee",
        Role::Speaker => "role-speaker",
        Role::Moderator => "role-moderator",
        Role::Organiser => "role-organiser",
    })
}

/// The connection's state, announced politely when it changes, with a way to retry now.
#[component]
pub fn ConnectionStatus(live: Live) -> impl IntoView {
    let connection = Memo::new(move |_| live.connection());
    let state = move || match connection.get() {
        Connection::Connecting => "connecting",
        Connection::Open => "open",
        Connection::Reconnecting => "reconnecting",
        Connection::Stopped(_) => "stopped",
    };
    let words = move || match connection.get() {
        Connection::Connecting => t("connecting"),
        Connection::Open => t("connection-live"),
        Connection::Reconnecting => t("reconnecting"),
        Connection::Stopped(why) => t(why),
    };
    let can_retry = move || {
        matches!(
            connection.get(),
            Connection::Reconnecting | Connection::Stopped(_)
        )
    };
    view! {
        <div class="connection" data-state=state>
            <span class="dot" aria-hidden="true"></span>
            <span id="connection-status" role="status" aria-live="polite">
                {words}
            </span>
            <Show when=can_retry>
                <button type="button" class="link-button" on:click=move |_| live.retry_now()>
                    {move || t("retry-now")}
                </button>
            </Show>
        </div>
    }
}
