use plenum_protocol::EventCode;
use web_sys::Storage;

fn storage() -> Option<Storage> {
    // None in private modes that refuse storage: joining then lasts as long as the page.
    leptos::prelude::window().local_storage().ok().flatten()
}

fn token_key(code: &EventCode) -> String {
    format!("plenum.token.{code}")
}

fn name_key(code: &EventCode) -> String {
    format!("plenum.name.{code}")
}

/// The token kept for this event.
pub fn token(code: &EventCode) -> Option<String> {
    storage()?
        .get_item(&token_key(code))
        .ok()
        .flatten()
        .filter(|t| !t.is_empty())
}

/// The display name given when joining this event, so a re-join after the server refused
/// the token keeps it.
pub fn name(code: &EventCode) -> Option<String> {
    storage()?
        .get_item(&name_key(code))
        .ok()
        .flatten()
        .filter(|n| !n.is_empty())
}

/// Keeps a fresh token, and the name it was asked for with.
pub fn keep(code: &EventCode, token: &str, name: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&token_key(code), token);
        let _ = match name {
            Some(name) => storage.set_item(&name_key(code), name),
            None => storage.remove_item(&name_key(code)),
        };
    }
}

const SIGNED_IN: &str = "plenum.signed-in";

/// The organiser's credential when this browser signed in with the organiser key: empty,
/// for the HttpOnly sign-in cookie carries it (requests then send no Authorization header,
/// and the WebSocket's hello an empty token). Only *that* it signed in is kept here
/// (localStorage, so every tab knows), never the key.
pub fn organiser_key() -> Option<String> {
    storage()?
        .get_item(SIGNED_IN)
        .ok()
        .flatten()
        .filter(|v| v == "1")
        .map(|_| String::new())
}

pub fn keep_signed_in() {
    if let Some(s) = storage() {
        let _ = s.set_item(SIGNED_IN, "1");
    }
}

/// Forgets the sign-in here (the server forgets the cookie on `sign-out`).
pub fn forget_organiser_key() {
    if let Some(s) = storage() {
        let _ = s.remove_item(SIGNED_IN);
    }
}

fn co_organiser_key(code: &EventCode) -> String {
    format!("plenum.co-organiser.{code}")
}

/// Notes that this event's token is a co-organiser's (their invitation said so).
pub fn keep_co_organiser(code: &EventCode) {
    if let Some(s) = storage() {
        let _ = s.set_item(&co_organiser_key(code), "1");
    }
}

pub fn forget_co_organiser(code: &EventCode) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&co_organiser_key(code));
    }
}

/// What an organiser's pages of `code` sign with: the sign-in, else this event's token
/// when it is a co-organiser's.
pub fn organiser_credential(code: &EventCode) -> Option<String> {
    organiser_key().or_else(|| {
        storage()?
            .get_item(&co_organiser_key(code))
            .ok()
            .flatten()
            .filter(|v| v == "1")
            .and_then(|_| token(code))
    })
}

fn stars_key(code: &EventCode) -> String {
    format!("plenum.stars.{code}")
}

/// The sessions this person starred for their own agenda.
pub fn stars(code: &EventCode) -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(&stars_key(code)).ok().flatten())
        .map(|list| {
            list.split(',')
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

pub fn keep_stars(code: &EventCode, stars: &[String]) {
    if let Some(s) = storage() {
        let _ = s.set_item(&stars_key(code), &stars.join(","));
    }
}

/// Whether this browser's stars for `code` went up to the server already (once).
pub fn stars_moved(code: &EventCode) -> bool {
    storage()
        .and_then(|s| {
            s.get_item(&format!("plenum.stars-moved.{code}"))
                .ok()
                .flatten()
        })
        .is_some()
}

pub fn mark_stars_moved(code: &EventCode) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("plenum.stars-moved.{code}"), "1");
    }
}

/// Drops a token the server refused.
pub fn forget_token(code: &EventCode) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&token_key(code));
    }
}
