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

/// Mounts the app on the page's `<body>`, replacing what the server put there before the
/// WebAssembly arrived: "Loading…", or the plain join form (what was typed in it carries over)
/// that may already have joined (its token arrives in the address's fragment).
pub fn start() {
    console_error_panic_hook::set_once();
    keep_token_from_fragment();
    if let Some(boot) = document().get_element_by_id("boot") {
        let typed = |id: &str| {
            document()
                .get_element_by_id(id)
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(e).ok())
                .map(|input| input.value())
                .unwrap_or_default()
        };
        pages::join::prefill(typed("code"), typed("name"));
        boot.remove();
    }
    leptos::mount::mount_to_body(pages::App);
}

/// `/e/CODE#token=…&nonce=…&name=…`, where the plain join form sends the browser: the token is kept
/// as if the client had joined, and leaves the address and the history.
fn keep_token_from_fragment() {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    let Some(params) = hash.strip_prefix('#') else {
        return;
    };
    let token = i18n::query_param(&format!("?{params}"), "token");
    let name = i18n::query_param(&format!("?{params}"), "name");
    let nonce = i18n::query_param(&format!("?{params}"), "nonce");
    // Taken only with the nonce the server set in a cookie with the same answer: a link with
    // someone else's token in it signs nobody in as them. The cookie is spent either way.
    let page = document();
    let doc: &wasm_bindgen::JsValue = page.as_ref();
    let cookies = js_sys::Reflect::get(doc, &"cookie".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_default();
    let expected = cookies
        .split(';')
        .filter_map(|c| c.trim().strip_prefix("plenum-join="))
        .next()
        .map(str::to_owned);
    let _ = js_sys::Reflect::set(
        doc,
        &"cookie".into(),
        &"plenum-join=; Path=/; Max-Age=0; SameSite=Strict".into(),
    );
    let token = token.filter(|t| !t.is_empty() && nonce.is_some() && nonce == expected);
    let path = location.pathname().unwrap_or_default();
    let code = path
        .strip_prefix("/e/")
        .map(|rest| rest.trim_end_matches('/'))
        .and_then(|c| plenum_protocol::EventCode::parse(c).ok());
    if let (Some(token), Some(code)) = (token, code) {
        api::saved::keep(&code, &token, name.as_deref());
    }
    // The fragment leaves the address and the history, taken or not.
    if params.contains("token=") {
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
    }
}
