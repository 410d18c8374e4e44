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
pub mod booths {
    use super::*;
    use plenum_protocol::{Booth, BoothDraft, BoothId, StaffLink};

    /// What this browser signs booth requests with: the organisers' sign-in, else its token.
    pub fn credential(code: &EventCode) -> String {
        saved::organiser_credential(code)
            .or_else(|| saved::token(code))
            .unwrap_or_default()
    }

    /// `GET /api/events/{code}/booths`.
    pub async fn list(code: &EventCode) -> Result<Vec<Booth>, ApiFailure> {
        let key = credential(code);
        call(
            "GET",
            &format!("/api/events/{code}/booths"),
            None,
            Some(&key),
        )
        .await
    }

    /// `GET /api/events/{code}/booths/{booth}/contacts`: the booth's contact requests (its
    /// staff only).
    pub async fn contacts(
        code: &EventCode,
        booth: &BoothId,
    ) -> Result<Vec<plenum_protocol::BoothLead>, ApiFailure> {
        let key = credential(code);
        call(
            "GET",
            &format!("/api/events/{code}/booths/{booth}/contacts"),
            None,
            Some(&key),
        )
        .await
    }

    /// `GET /api/events/{code}/booths/{booth}/meetings`: the booth's meetings and when it meets
    /// (its staff and the organisers).
    pub async fn meetings(
        code: &EventCode,
        booth: &BoothId,
    ) -> Result<plenum_protocol::BoothMeetings, ApiFailure> {
        let key = credential(code);
        call(
            "GET",
            &format!("/api/events/{code}/booths/{booth}/meetings"),
            None,
            Some(&key),
        )
        .await
    }

    /// `GET /api/events/{code}/booths/{booth}/chat`: every message of the booth's chat, hidden
    /// ones too (its staff, the organisers and the event's moderators).
    pub async fn chat(
        code: &EventCode,
        booth: &BoothId,
    ) -> Result<Vec<plenum_protocol::ChatMessage>, ApiFailure> {
        let key = credential(code);
        call(
            "GET",
            &format!("/api/events/{code}/booths/{booth}/chat"),
            None,
            Some(&key),
        )
        .await
    }

    /// `PUT /api/events/{code}/booths/{booth}`: creates (organisers) or edits a booth.
    pub async fn save(
        code: &EventCode,
        booth: &BoothId,
        draft: &BoothDraft,
    ) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        let body = serde_json::to_string(draft).map_err(|_| ApiFailure::Unreadable)?;
        call(
            "PUT",
            &format!("/api/events/{code}/booths/{booth}"),
            Some(body),
            Some(&key),
        )
        .await
    }

    /// `POST /api/events/{code}/booths/{booth}` (organisers): creates a booth; `conflict` if
    /// the id is taken.
    pub async fn create(
        code: &EventCode,
        booth: &BoothId,
        draft: &BoothDraft,
    ) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        let body = serde_json::to_string(draft).map_err(|_| ApiFailure::Unreadable)?;
        call(
            "POST",
            &format!("/api/events/{code}/booths/{booth}"),
            Some(body),
            Some(&key),
        )
        .await
    }

    /// `DELETE /api/events/{code}/booths/{booth}` (organisers).
    pub async fn remove(code: &EventCode, booth: &BoothId) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        call(
            "DELETE",
            &format!("/api/events/{code}/booths/{booth}"),
            None,
            Some(&key),
        )
        .await
    }

    /// `PUT /api/events/{code}/booths/{booth}/logo` with a file the person chose, or
    /// `DELETE` it.
    pub async fn logo(
        code: &EventCode,
        booth: &BoothId,
        file: Option<&web_sys::File>,
    ) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        let path = format!("/api/events/{code}/booths/{booth}/logo");
        let (status, text) = match file {
            Some(file) => {
                send(
                    "PUT",
                    &path,
                    Some((file.as_ref(), "application/octet-stream")),
                    Some(&key),
                )
                .await
            }
            None => send("DELETE", &path, None, Some(&key)).await,
        }
        .map_err(|_| ApiFailure::Offline)?;
        answer(status, &text)
    }

    /// `GET` (or, `renew`, `POST`) `/api/events/{code}/booths/{booth}/staff-link`.
    pub async fn staff_link(
        code: &EventCode,
        booth: &BoothId,
        renew: bool,
    ) -> Result<StaffLink, ApiFailure> {
        let key = credential(code);
        call(
            if renew { "POST" } else { "GET" },
            &format!("/api/events/{code}/booths/{booth}/staff-link"),
            None,
            Some(&key),
        )
        .await
    }

    /// `POST /api/events/{code}/booths/{booth}/staff`: joins its staff with the link's code.
    pub async fn join_staff(
        code: &EventCode,
        booth: &BoothId,
        staff: &str,
    ) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        let body = serde_json::to_string(&plenum_protocol::JoinStaff {
            code: staff.to_owned(),
        })
        .map_err(|_| ApiFailure::Unreadable)?;
        call(
            "POST",
            &format!("/api/events/{code}/booths/{booth}/staff"),
            Some(body),
            Some(&key),
        )
        .await
    }

    /// `DELETE /api/events/{code}/booths/{booth}/staff/{person}`.
    pub async fn leave_staff(
        code: &EventCode,
        booth: &BoothId,
        person: &plenum_protocol::PersonId,
    ) -> Result<Appended, ApiFailure> {
        let key = credential(code);
        call(
            "DELETE",
            &format!("/api/events/{code}/booths/{booth}/staff/{person}"),
            None,
            Some(&key),
        )
        .await
    }
}

/// The organiser's requests, each with the organiser key.
pub mod organiser {
    use super::*;

    fn json<T: serde::Serialize>(body: &T) -> Result<String, ApiFailure> {
        serde_json::to_string(body).map_err(|_| ApiFailure::Unreadable)
    }

    /// `GET /api/events`: every event (checks the key, too).
    pub async fn events(key: &str) -> Result<Vec<EventInfo>, ApiFailure> {
        call("GET", "/api/events", None, Some(key)).await
    }

    /// `POST /api/events`.
    pub async fn create_event(key: &str, event: &CreateEvent) -> Result<EventInfo, ApiFailure> {
        call("POST", "/api/events", Some(json(event)?), Some(key)).await
    }

    /// `PUT /api/events/{code}/agenda`: the whole agenda, as JSON text an organiser pasted or
    /// loaded from a file. Sent as given: the server checks every field and names the wrong one.
    pub async fn replace_agenda(
        key: &str,
        code: &EventCode,
        agenda_json: String,
    ) -> Result<Appended, ApiFailure> {
        call(
            "PUT",
            &format!("/api/events/{code}/agenda"),
            Some(agenda_json),
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/agenda/import`: a spreadsheet or schedule file read into an
    /// agenda to preview, with its problems; saves nothing.
    pub async fn import_agenda(
        key: &str,
        code: &EventCode,
        file: &web_sys::File,
    ) -> Result<plenum_protocol::AgendaImport, ApiFailure> {
        let (status, text) = send(
            "POST",
            &format!("/api/events/{code}/agenda/import"),
            Some((file.as_ref(), "application/octet-stream")),
            Some(key),
        )
        .await
        .map_err(|_| ApiFailure::Offline)?;
        answer(status, &text)
    }

    /// The agenda as JSON for editing, pretty-printed.
    pub fn agenda_text(agenda: &Agenda) -> String {
        serde_json::to_string_pretty(agenda).unwrap_or_default()
    }

    /// `POST /api/events/{code}/invites`.
    pub async fn invite(
        key: &str,
        code: &EventCode,
        role: Role,
        name: String,
        sessions: Vec<SessionId>,
    ) -> Result<Invite, ApiFailure> {
        let body = json(&CreateInvite {
            role,
            name,
            sessions,
        })?;
        call(
            "POST",
            &format!("/api/events/{code}/invites"),
            Some(body),
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/invites`: every invitation the event made, newest first.
    pub async fn invitations(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::InvitationInfo>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/invites"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/activity`: who did what, newest first.
    pub async fn activity(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::ActivityEntry>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/activity"),
            None,
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/invitation`: who an invitation is for.
    pub async fn preview_invitation(
        code: &EventCode,
        invite: &str,
    ) -> Result<plenum_protocol::InvitationPreview, ApiFailure> {
        let body = json(&plenum_protocol::JoinRequest {
            invite: Some(invite.to_owned()),
            ..Default::default()
        })?;
        call(
            "POST",
            &format!("/api/events/{code}/invitation"),
            Some(body),
            None,
        )
        .await
    }

    /// `POST /api/sign-in`: the organiser key for the sign-in cookie (every tab of this
    /// browser is signed in; no page keeps the key).
    pub async fn sign_in(key: &str) -> Result<plenum_protocol::Me, ApiFailure> {
        let body = json(&plenum_protocol::SignIn {
            key: key.to_owned(),
        })?;
        call("POST", "/api/sign-in", Some(body), None).await
    }

    /// `POST /api/sign-out`: forgets the sign-in cookie.
    pub async fn sign_out() -> Result<(), ApiFailure> {
        match fetch("POST", "/api/sign-out", None, None).await {
            Ok((200..=299, _)) => Ok(()),
            Ok((status, text)) => answer::<()>(status, &text),
            Err(_) => Err(ApiFailure::Offline),
        }
    }

    /// `POST /api/events/{code}/people/import`: a spreadsheet of people, read (`preview`) or
    /// saved. A file with problems is answered with them (422), not as a failure.
    pub async fn import_people(
        key: &str,
        code: &EventCode,
        file: &web_sys::File,
        preview: bool,
    ) -> Result<plenum_protocol::PeopleImport, ApiFailure> {
        let query = if preview { "?preview=true" } else { "" };
        let (status, text) = send(
            "POST",
            &format!("/api/events/{code}/people/import{query}"),
            Some((file.as_ref(), "application/octet-stream")),
            Some(key),
        )
        .await
        .map_err(|_| ApiFailure::Offline)?;
        match status {
            422 => serde_json::from_str(&text).map_err(|_| ApiFailure::Unreadable),
            _ => answer(status, &text),
        }
    }

    /// `GET /api/events/{code}/people`: everyone the event keeps, by name.
    pub async fn people(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::PersonEntry>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/people"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/people/links`: every registered participant and their link.
    pub async fn personal_links(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::PersonalLink>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/people/links"),
            None,
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/people/{person}/link`: a new link; the old ones stop working.
    pub async fn reissue_link(
        key: &str,
        code: &EventCode,
        person: &str,
    ) -> Result<plenum_protocol::PersonalLink, ApiFailure> {
        call(
            "POST",
            &format!("/api/events/{code}/people/{person}/link"),
            None,
            Some(key),
        )
        .await
    }

    /// `DELETE /api/events/{code}/invites/{id}`: withdraws an invitation and what it made.
    pub async fn withdraw_invite(
        key: &str,
        code: &EventCode,
        id: &str,
    ) -> Result<Appended, ApiFailure> {
        call(
            "DELETE",
            &format!("/api/events/{code}/invites/{id}"),
            None,
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/announcements`.
    pub async fn announce(
        key: &str,
        code: &EventCode,
        text: String,
    ) -> Result<Appended, ApiFailure> {
        let body = json(&plenum_protocol::AnnouncementRequest { text })?;
        call(
            "POST",
            &format!("/api/events/{code}/announcements"),
            Some(body),
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/badges`: the badge sheet.
    pub async fn badges(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::Badge>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/badges"),
            None,
            Some(key),
        )
        .await
    }

    /// `PUT /api/events/{code}/retention`: the last day personal data is kept, or none.
    pub async fn set_retention(
        key: &str,
        code: &EventCode,
        until: Option<String>,
    ) -> Result<Appended, ApiFailure> {
        let body = json(&plenum_protocol::RetentionRequest { until })?;
        call(
            "PUT",
            &format!("/api/events/{code}/retention"),
            Some(body),
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/purge`: the event's personal data purged now.
    pub async fn purge(
        key: &str,
        code: &EventCode,
    ) -> Result<plenum_protocol::PurgeReport, ApiFailure> {
        call(
            "POST",
            &format!("/api/events/{code}/purge"),
            None,
            Some(key),
        )
        .await
    }

    /// `POST /api/events/{code}/sessions/{id}/stage`.
    pub async fn set_stage(
        key: &str,
        code: &EventCode,
        session: &SessionId,
        update: &StageUpdate,
    ) -> Result<Appended, ApiFailure> {
        call(
            "POST",
            &format!("/api/events/{code}/sessions/{session}/stage"),
            Some(json(update)?),
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/blocked`: who may not ask at the event.
    pub async fn blocked(key: &str, code: &EventCode) -> Result<Vec<BlockedPerson>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/blocked"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/meetings`: the meetings' dashboard (with the unplaced ones).
    pub async fn meetings(
        key: &str,
        code: &EventCode,
    ) -> Result<plenum_protocol::MeetingsReport, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/meetings"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/meetings.json`: every meeting, for the organisers' list.
    pub async fn meeting_rows(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::MeetingRow>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/meetings.json"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/reports`: what people reported about others.
    pub async fn reports(
        key: &str,
        code: &EventCode,
    ) -> Result<Vec<plenum_protocol::PersonReport>, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/reports"),
            None,
            Some(key),
        )
        .await
    }

    /// `GET /api/events/{code}/report`: the after-event report.
    pub async fn report(key: &str, code: &EventCode) -> Result<EventReport, ApiFailure> {
        call(
            "GET",
            &format!("/api/events/{code}/report"),
            None,
            Some(key),
        )
        .await
    }

    /// A file the server makes for staff (an export), as the browser saves it.
    pub async fn download(key: &str, path: &str) -> Result<web_sys::Blob, ApiFailure> {
        let failed = |_| ApiFailure::Offline;
        let headers = Headers::new().map_err(failed)?;
        if !key.is_empty() {
            headers
                .set("authorization", &format!("Bearer {key}"))
                .map_err(failed)?;
        }
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_headers(&headers);
        let request = Request::new_with_str_and_init(path, &init).map_err(failed)?;
        let response: Response =
            JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
                .await
                .and_then(|r| r.dyn_into())
                .map_err(failed)?;
        let status = response.status();
        if (200..300).contains(&status) {
            let blob = response.blob().map_err(failed)?;
            return JsFuture::from(blob)
                .await
                .and_then(|b| b.dyn_into())
                .map_err(failed);
        }
        let text = match response.text() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
            Err(_) => None,
        }
        .unwrap_or_default();
        match status {
            404 => Err(ApiFailure::NotFound),
            _ => Err(ApiFailure::Refused {
                status,
                error: serde_json::from_str(&text).ok(),
            }),
        }
    }
}

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
}
