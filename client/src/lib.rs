//! The Plenum browser client: leptos, client-side rendered, compiled to WebAssembly.
//!
//! Module map:
//! - [`route`] — the places a person can be (join, agenda, session, the consoles, the big
//!   screen, the organiser's pages), `pushState` routing.
//! - [`api`]   — the HTTP API (join, event info, the organiser's requests) and what the browser
//!   keeps (tokens, stars, the organiser key for the tab).
//! - [`live`]  — the WebSocket: follows rooms, folds their events, sends requests and gets
//!   their answers, reconnects and resumes.
//! - [`pages`] — the screens: thin, composing features for a route.
//! - [`features`] — one folder per interaction, with its widgets for every role.
//! - [`components`] — shared widgets and helpers (feedback, clocks, status, charts, QR).
//! - [`i18n`]  — English and Swedish (Fluent files in `locales/`), numbers through `Intl`.
//! - [`time`]  — time zones, dates, the personal agenda's .ics.
//! - [`text`]  — how protocol values read to people: status and kind labels, names, links.
//!
//! Invariants:
//! - Every message on the wire is a `plenum_protocol` type; room state is only ever changed by
//!   [`plenum_protocol::RoomState::apply`], the fold the server uses too.
//! - Nothing a person or an organiser typed becomes markup: it is rendered as text nodes, and
//!   links taken from an agenda are used only when they are `http(s)`.

pub mod api;
pub mod components;
pub mod features;
pub mod i18n;
pub mod live;
pub mod pages;
pub mod route;
pub mod text;
pub mod time;

use leptos::prelude::*;

/// Mounts the app on the page's `<body>`, replacing the "Loading…" placeholder of index.html.
pub fn start() {
    console_error_panic_hook::set_once();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(pages::App);
}
