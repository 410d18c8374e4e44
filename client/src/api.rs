//! The HTTP API, and the token the browser keeps for each event.
//!
//! Plain `fetch` through web-sys: a dozen requests do not justify an HTTP crate in the download.
//! Organiser requests carry the organiser key as a bearer token; the server checks it on
//! every one.

use plenum_protocol::{
    Agenda, ApiError, Appended, BlockedPerson, CreateEvent, CreateInvite, ErrorCode, EventCode,
    EventInfo, EventReport, Invite, JoinRequest, JoinResponse, Role, SessionId, StageUpdate,
};
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
    /// What to tell the person, in their language (tracked).
    pub fn message(&self) -> String {
        use crate::i18n::{Arg, t, ta};
        match self {
            ApiFailure::NotFound => t("no-such-event"),
            ApiFailure::Refused { error: Some(e), .. }
                if matches!(e.code, ErrorCode::BadRequest | ErrorCode::Conflict) =>
            {
                ta(
                    "refused-because",
                    &[("detail", Arg::Str(e.message.clone()))],
                )
            }
            ApiFailure::Refused { error: Some(e), .. } if e.code == ErrorCode::Forbidden => {
                t("error-forbidden")
            }
            ApiFailure::Refused { status: 401, .. } => t("error-unauthenticated"),
            ApiFailure::Refused { error: Some(e), .. } if e.code.retryable() => t("server-busy"),
            ApiFailure::Refused { status, .. } => ta(
                "server-refused",
                &[("status", Arg::Str(status.to_string()))],
            ),
            ApiFailure::Offline => t("server-unreachable"),
            ApiFailure::Unreadable => t("server-unreadable"),
        }
    }
}

/// `POST /api/events/{code}/join`: a token for this event, named or anonymous; with an
/// invitation, as the moderator, speaker or registered attendee it invites.
pub async fn join(
    code: &EventCode,
    name: Option<String>,
    invite: Option<String>,
    profile: Option<plenum_protocol::Profile>,
) -> Result<JoinResponse, ApiFailure> {
    let body = JoinRequest {
        name,
        invite,
        profile,
    };
    let body = serde_json::to_string(&body).map_err(|_| ApiFailure::Unreadable)?;
    call(
        "POST",
        &format!("/api/events/{code}/join"),
        Some(body),
        None,
    )
    .await
}

/// `GET /api/events/{code}`: the event and its agenda.
pub async fn event_info(code: EventCode) -> Result<EventInfo, ApiFailure> {
    call("GET", &format!("/api/events/{code}"), None, None).await
}

/// A person's own requests at an event, each with their token.
#[cfg(feature = "meet")]
pub mod person {
    use super::*;

    /// The address of a calendar feed.
    #[derive(Debug, Clone, serde::Deserialize)]
    pub struct Feed {
        pub url: String,
    }

    /// `GET` (or, `renew`, `POST`) `/api/events/{code}/calendar`: the person's calendar feed's
    /// address; made anew, the old one stops working.
    pub async fn calendar(token: &str, code: &EventCode, renew: bool) -> Result<Feed, ApiFailure> {
        let method = if renew { "POST" } else { "GET" };
        call(
            method,
            &format!("/api/events/{code}/calendar"),
            None,
            Some(token),
        )
        .await
    }

    /// `GET /api/events/{code}/contact-codes/{contact}`: whom a badge's contact code names.
    pub async fn contact_holder(
        token: &str,
        code: &EventCode,
        contact: &str,
    ) -> Result<plenum_protocol::MeetingPerson, ApiFailure> {
        // A code is an id, a dot and base64url: anything else is no code (and never a path).
        let plain = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        };
        if !contact
            .split_once('.')
            .is_some_and(|(id, tag)| plain(id) && plain(tag))
        {
            return Err(ApiFailure::NotFound);
        }
        call(
            "GET",
            &format!("/api/events/{code}/contact-codes/{contact}"),
            None,
            Some(token),
        )
        .await
    }

    /// `DELETE /api/events/{code}/my-data`: the person's profile deleted; what is left.
    pub async fn delete_my_data(
        token: &str,
        code: &EventCode,
    ) -> Result<plenum_protocol::MyData, ApiFailure> {
        call(
            "DELETE",
            &format!("/api/events/{code}/my-data"),
            None,
            Some(token),
        )
        .await
    }
}

/// The exhibition's booths: read by everyone of the event, edited by their staff and the
/// organisers (the server decides who may).
#[cfg(feature = "meet")]
pub mod booths;

/// The organiser's requests, each with the organiser key.
pub mod organiser;

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    key: Option<&str>,
) -> Result<T, ApiFailure> {
    let (status, text) = fetch(method, path, body, key)
        .await
        .map_err(|_| ApiFailure::Offline)?;
    answer(status, &text)
}

/// An answer as `T`, or why not.
fn answer<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiFailure> {
    match status {
        200..=299 => serde_json::from_str(text).map_err(|_| ApiFailure::Unreadable),
        404 => Err(ApiFailure::NotFound),
        _ => Err(ApiFailure::Refused {
            status,
            error: serde_json::from_str(text).ok(),
        }),
    }
}

/// One request on the page's own origin: the status and the body as text.
async fn fetch(
    method: &str,
    path: &str,
    body: Option<String>,
    key: Option<&str>,
) -> Result<(u16, String), JsValue> {
    let body = body.map(|b| JsValue::from_str(&b));
    send(
        method,
        path,
        body.as_ref().map(|b| (b, "application/json")),
        key,
    )
    .await
}

/// [`fetch`] with any body (a file, say) of the given type.
async fn send(
    method: &str,
    path: &str,
    body: Option<(&JsValue, &str)>,
    key: Option<&str>,
) -> Result<(u16, String), JsValue> {
    let headers = Headers::new()?;
    headers.set("accept", "application/json")?;
    // An empty key: the sign-in cookie, which the browser sends by itself.
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        headers.set("authorization", &format!("Bearer {key}"))?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some((body, kind)) = body {
        headers.set("content-type", kind)?;
        init.set_body(body);
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
pub mod saved;
