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
pub async fn announce(key: &str, code: &EventCode, text: String) -> Result<Appended, ApiFailure> {
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
    let response: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&request))
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
