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
