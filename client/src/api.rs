//! The HTTP API, and the token the browser keeps for each event.
//!
//! Plain `fetch` through web-sys: the client makes two kinds of request, which does not
//! justify an HTTP crate in the download.

use plenum_protocol::{ApiError, ErrorCode, EventCode, EventInfo, JoinRequest, JoinResponse};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Why an API call did not give its answer, in terms a screen can explain.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The event (or what was asked for in it) does not exist.
    NotFound,
    /// The server refused the request; its error body, when it sent one.
    Refused {
        status: u16,
        error: Option<ApiError>,
    },
    /// The server could not be reached.
    Offline,
    /// The server answered with something this client does not understand.
    Unreadable,
}

impl ApiFailure {
    /// What to tell the person.
    pub fn message(&self) -> String {
        match self {
            ApiFailure::NotFound => "No event with this code".to_owned(),
            ApiFailure::Refused { error: Some(e), .. } if e.code == ErrorCode::BadRequest => {
                e.message.clone()
            }
            ApiFailure::Refused { error: Some(e), .. } if e.code.retryable() => {
                "The server is busy. Please try again in a moment.".to_owned()
            }
            ApiFailure::Refused { status, .. } => {
                format!("The server refused this (HTTP {status}). Please try again.")
            }
            ApiFailure::Offline => {
                "Could not reach the server. Check your connection and try again.".to_owned()
            }
            ApiFailure::Unreadable => {
                "The server sent an answer this page does not understand. Reload the page."
                    .to_owned()
            }
        }
    }
}

/// `POST /api/events/{code}/join`: an attendee token for this event, named or anonymous.
pub async fn join(code: &EventCode, name: Option<String>) -> Result<JoinResponse, ApiFailure> {
    let body = JoinRequest { name, invite: None };
    let body = serde_json::to_string(&body).map_err(|_| ApiFailure::Unreadable)?;
    call("POST", &format!("/api/events/{code}/join"), Some(body)).await
}

/// `GET /api/events/{code}`: the event and its agenda.
pub async fn event_info(code: EventCode) -> Result<EventInfo, ApiFailure> {
    call("GET", &format!("/api/events/{code}"), None).await
}

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<T, ApiFailure> {
    let (status, text) = fetch(method, path, body)
        .await
        .map_err(|_| ApiFailure::Offline)?;
    match status {
        200..=299 => serde_json::from_str(&text).map_err(|_| ApiFailure::Unreadable),
        404 => Err(ApiFailure::NotFound),
        _ => Err(ApiFailure::Refused {
            status,
            error: serde_json::from_str(&text).ok(),
        }),
    }
}

/// One request on the page's own origin: the status and the body as text.
async fn fetch(method: &str, path: &str, body: Option<String>) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    headers.set("accept", "application/json")?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers.set("content-type", "application/json")?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let request = Request::new_with_str_and_init(path, &init)?;
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// The token and name the browser keeps per event in localStorage, so that a reload, or a
/// second visit, is the same person without joining again.
pub mod saved {
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

    /// Drops a token the server refused.
    pub fn forget_token(code: &EventCode) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(&token_key(code));
        }
    }
}
