//! The Plenum browser client: leptos, client-side rendered, compiled to WebAssembly.
//!
//! Module map:
//! - [`route`] — the three places a person can be (join, agenda, session), `pushState` routing.
//! - [`api`]   — the HTTP API (join, event info) and the token the browser keeps per event.
//! - [`live`]  — the WebSocket: follows rooms, folds their events, reconnects and resumes.
//! - [`pages`] — the screens: the join form, the agenda, a session with its live stage.
//! - [`text`]  — how protocol values read to people: status and kind labels, dates, names.
//!
//! Invariants:
//! - Every message on the wire is a `plenum_protocol` type; room state is only ever changed by
//!   [`plenum_protocol::RoomState::apply`], the fold the server uses too.
//! - Nothing a person or an organiser typed becomes markup: it is rendered as text nodes, and
//!   links taken from an agenda are used only when they are `http(s)`.

pub mod api;
pub mod live;
pub mod pages;
pub mod route;
pub mod text;

use leptos::prelude::*;

/// Mounts the app on the page's `<body>`, replacing the "Loading…" placeholder of index.html.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(pages::App);
}
