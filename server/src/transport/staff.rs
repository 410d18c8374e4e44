//! The organisers' side of access: signing in with the organiser key (an HttpOnly cookie every
//! tab shares), co-organisers, the invitations an event made (made, listed, withdrawn), and
//! the activity log of who did what.

use super::http::{AppError, caller_checked, event_code, existing, parse_json, require};
use crate::{
    App,
    auth::{self, Action, AuthError},
    engine::Command,
    interactions::{
        Refusal,
        access::{Access, AccessCommand, Issued},
        activity::{Activity, Note},
        attendance::Attendance,
        people::People,
    },
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use plenum_protocol::{
    ActivityEntry, ApiError, Appended, CreateInvite, ErrorCode, EventCode, EventInfo,
    InvitationInfo, InvitationPreview, Invite, Me, Person, PersonEntry, Role, RoomId, SessionId,
    SignIn, limits,
};

/// The sign-in cookie's name.
pub const COOKIE: &str = "plenum_organiser";

/// The sign-in token the request's cookie carries, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == COOKIE)
        .map(|c| c.value().to_owned())
}

/// The cookie that signs this browser in (`token`) or out (`None`): HttpOnly (no script reads
/// it), SameSite=Strict (no other site's page sends it), Secure when the public address is
/// https.
fn set_cookie(app: &App, token: Option<String>) -> HeaderValue {
    let secure = app
        .config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let max_age = if token.is_some() {
        cookie::time::Duration::days(auth::SIGN_IN_DAYS)
    } else {
        cookie::time::Duration::ZERO
    };
    let c = cookie::Cookie::build((COOKIE, token.unwrap_or_default()))
        .path("/")
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .max_age(max_age)
        .build();
    HeaderValue::from_str(&c.to_string()).expect("a cookie is a header value")
}

/// `POST /api/sign-in`: the organiser key for a sign-in cookie.
pub async fn sign_in(State(app): State<App>, body: Bytes) -> Result<Response, AppError> {
    let req: SignIn = parse_json(&body)?;
    if !app.auth.is_organiser_key(&req.key) {
        return Err(AuthError::Invalid.into());
    }
    let person = app.auth.verify(&req.key)?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&app, Some(app.auth.sign_in())),
        )],
        Json(Me {
            person,
            key_holder: true,
        }),
    )
        .into_response())
}

/// `POST /api/sign-out`: forgets the sign-in cookie (in every tab of this browser).
pub async fn sign_out(State(app): State<App>) -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, set_cookie(&app, None))],
    )
        .into_response()
}

/// `GET /api/me`: who the caller is.
pub async fn me(State(app): State<App>, headers: HeaderMap) -> Result<Json<Me>, AppError> {
    let person = caller_checked(&app, &headers).await?;
    Ok(Json(Me {
        key_holder: auth::key_holder(&person),
        person,
    }))
}

/// `POST /api/events/{code}/invites`: an invitation, recorded so the console lists it.
pub async fn create_invite(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Invite>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    let req: CreateInvite = parse_json(&body)?;
    if req.role == Role::Organiser && !auth::key_holder(&who) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "only the organiser key's holder invites co-organisers",
        ));
    }
    let Some(name) = auth::display_name(Some(&req.name))? else {
        return Err(Refusal::invalid("name", "must not be empty").into());
    };
    let event = existing(&app, &code).await?;
    check_invite_sessions(&req, &event)?;
    let id = auth::new_id();
    let exp = auth::invite_expiry();
    let invite = app
        .auth
        .invite_until(&code, req.role, &name, &req.sessions, &id, exp, 0);
    let issued = Issued {
        id: id.clone(),
        role: req.role,
        name: name.clone(),
        sessions: req.sessions.clone(),
        at_ms: crate::engine::now_ms(),
        by: display(&who),
        by_id: who.id.clone(),
        exp,
        signer: app.auth.signer(req.role),
        email: String::new(),
        imported: false,
        link: 0,
    };
    // Handed out only once recorded: every working invitation is listed.
    app.engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<Access>(AccessCommand::Issue(issued)),
        )
        .await?;
    let detail = serde_json::json!({"role": req.role, "name": name, "sessions": req.sessions});
    note(&app, &who, &code, "invite", None, detail.to_string());
    Ok(Json(Invite {
        link: format!("/e/{code}?invite={invite}"),
        invite,
        id,
    }))
}

/// `GET /api/events/{code}/invites`: every invitation the event made, newest first.
pub async fn list_invites(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<InvitationInfo>>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    let room = RoomId::Event(code.clone());
    let made: Vec<(Issued, bool)> = app
        .engine
        .read::<Access, _>(&room, |_, r| {
            r.invitations()
                .into_iter()
                .map(|(i, w)| (i.clone(), w))
                .collect()
        })
        .await?;
    let joined: Vec<bool> = app
        .engine
        .read::<Attendance, _>(&room, |_, r| {
            made.iter()
                .map(|(i, _)| r.invited(&format!("inv-{}", i.id)))
                .collect()
        })
        .await?;
    let now = auth::now_seconds();
    let key_holder = auth::key_holder(&who);
    Ok(Json(
        made.into_iter()
            .zip(joined)
            .map(|((i, withdrawn), joined)| InvitationInfo {
                // Made again from what was recorded, until someone joined through it (then
                // it is that person's: nobody else may become them), for the key holder and
                // whoever made it, while it works.
                link: (!withdrawn
                    && !joined
                    && i.exp > now
                    && !i.signer.is_empty()
                    && i.signer == app.auth.signer(i.role)
                    && (key_holder || i.by_id == who.id))
                    .then(|| {
                        let token = app.auth.invite_until(
                            &code,
                            i.role,
                            &i.name,
                            &i.sessions,
                            &i.id,
                            i.exp,
                            i.link,
                        );
                        format!("/e/{code}?invite={token}")
                    }),
                id: i.id,
                role: i.role,
                name: i.name,
                sessions: i.sessions,
                made_at_ms: i.at_ms,
                made_by: i.by,
                joined,
                withdrawn,
            })
            .collect(),
    ))
}

/// `POST /api/events/{code}/invitation`: who an invitation is for, so the page that accepts
/// it can say so (the name is the invitation's; nobody types it again).
pub async fn preview_invite(
    State(app): State<App>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<InvitationPreview>, AppError> {
    let code = event_code(&code)?;
    let req: plenum_protocol::JoinRequest = parse_json(&body)?;
    let Some(invite) = req.invite else {
        return Err(Refusal::invalid("invite", "is missing").into());
    };
    existing(&app, &code).await?;
    let person = app.auth.redeem(&invite, &code)?;
    if !auth::still_valid(&app.engine, &person).await? {
        return Err(AuthError::Revoked.into());
    }
    Ok(Json(InvitationPreview {
        role: person.role,
        name: person.name.unwrap_or_default(),
        sessions: person.sessions,
    }))
}

/// `DELETE /api/events/{code}/invites/{id}`: withdraws an invitation and what it made.
pub async fn revoke_invite(
    State(app): State<App>,
    Path((code, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    let room = RoomId::Event(code.clone());
    // Co-organisers are the key holder's to withdraw.
    let role = app
        .engine
        .read::<Access, _>(&room, |_, r| {
            r.invitations()
                .into_iter()
                .find(|(i, _)| i.id == id)
                .map(|(i, _)| (i.role, i.name.clone()))
        })
        .await?;
    if !auth::key_holder(&who) {
        match role {
            Some((Role::Organiser, _)) => {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    "only the organiser key's holder withdraws co-organisers",
                ));
            }
            // Ids the event never recorded are the key holder's to withdraw.
            None => {
                return Err(AppError::new(
                    ErrorCode::NotFound,
                    format!("no invitation {id} in event {code}"),
                ));
            }
            Some(_) => {}
        }
    }
    let done = app
        .engine
        .submit(
            &room,
            Command::to::<Access>(AccessCommand::Revoke {
                invitation: id.clone(),
            }),
        )
        .await?;
    let detail = match role {
        Some((role, name)) => serde_json::json!({"id": id, "role": role, "name": name}),
        None => serde_json::json!({ "id": id }),
    }
    .to_string();
    note(&app, &who, &code, "withdraw_invitation", None, detail);
    Ok(Json(Appended { seq: done.seq }))
}

/// The sessions an invitation names: for moderators and speakers only, each on the agenda,
/// at most `MAX_INVITE_SESSIONS`, none twice.
fn check_invite_sessions(req: &CreateInvite, event: &EventInfo) -> Result<(), AppError> {
    let bad = |message: String| {
        AppError(ApiError {
            code: ErrorCode::BadRequest,
            message: format!("sessions: {message}"),
            field: Some("sessions".into()),
        })
    };
    if req.sessions.is_empty() {
        return Ok(());
    }
    if !matches!(req.role, Role::Moderator | Role::Speaker) {
        return Err(bad(
            "only moderator and speaker invitations name sessions".into()
        ));
    }
    if req.sessions.len() > limits::MAX_INVITE_SESSIONS {
        return Err(bad(format!(
            "an invitation names at most {} sessions",
            limits::MAX_INVITE_SESSIONS
        )));
    }
    for (i, s) in req.sessions.iter().enumerate() {
        if req.sessions[..i].contains(s) {
            return Err(bad(format!("{s} is named twice")));
        }
        if !event.agenda.sessions.iter().any(|x| &x.id == s) {
            return Err(bad(format!("no session {s} in event {}", event.code)));
        }
    }
    Ok(())
}

/// `GET /api/events/{code}/activity`: the activity log, newest first.
pub async fn activity(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<ActivityEntry>>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    Ok(Json(
        app.engine
            .read::<Activity, _>(&RoomId::Event(code), |_, log| log.newest_first())
            .await?,
    ))
}

fn role_word(role: Role) -> &'static str {
    match role {
        Role::Attendee => "attendee",
        Role::Speaker => "speaker",
        Role::Moderator => "moderator",
        Role::Organiser => "co-organiser",
    }
}

pub(super) fn display(who: &Person) -> String {
    who.name
        .clone()
        .unwrap_or_else(|| role_word(who.role).to_owned())
}

/// Notes in `event`'s activity log that `who` did `what` (in `session`), in the background
/// and just after it was committed: an action neither waits for its note nor fails for want of
/// it. Only what a staff role's authority allows is noted.
pub fn note(
    app: &App,
    who: &Person,
    event: &EventCode,
    what: &str,
    session: Option<SessionId>,
    detail: String,
) {
    let detail = cut(detail);
    let entry = ActivityEntry {
        at_ms: crate::engine::now_ms(),
        name: display(who),
        role: who.role,
        what: what.to_owned(),
        session,
        detail: detail.trim().to_owned(),
    };
    let engine = app.engine.clone();
    let room = RoomId::Event(event.clone());
    tokio::spawn(async move {
        if let Err(e) = engine
            .submit(&room, Command::to::<Activity>(Note(entry)))
            .await
        {
            tracing::warn!(room = %room, error = %e, "an action was not noted in the activity log");
        }
    });
}

/// `detail` within `limits::MAX_ACTIVITY_DETAIL_CHARS` characters: cut where it is too long,
/// and said so with `…` (a cut detail is no longer whole JSON).
fn cut(mut detail: String) -> String {
    if detail.chars().count() > limits::MAX_ACTIVITY_DETAIL_CHARS
        && let Some((at, _)) = detail
            .char_indices()
            .nth(limits::MAX_ACTIVITY_DETAIL_CHARS - 1)
    {
        detail.truncate(at);
        detail.push('…');
    }
    detail
}

/// Notes a WebSocket (or HTTP stage or announcement) request that `route` sent to `room` with
/// `action`'s authority: its name, and its particulars as sent (without the event and session
/// it names).
pub fn note_request(
    app: &App,
    who: &Person,
    room: &RoomId,
    action: Action,
    msg: &plenum_protocol::ClientMsg,
) {
    if action == Action::Follow {
        return;
    }
    let Ok(serde_json::Value::Object(mut fields)) = serde_json::to_value(msg) else {
        return;
    };
    let what = match fields.remove("type") {
        Some(serde_json::Value::String(t)) => t,
        _ => return,
    };
    fields.remove("event");
    fields.remove("session");
    let detail = if fields.is_empty() {
        String::new()
    } else {
        serde_json::Value::Object(fields).to_string()
    };
    let session = match room {
        RoomId::Session(_, s) => Some(s.clone()),
        _ => None,
    };
    note(app, who, room.event_code(), &what, session, detail);
}

/// `GET /api/events/{code}/people`: everyone the event keeps a profile or stars for (at most
/// `limits::MAX_PEOPLE`), by name then id; for its organisers.
pub async fn people(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<PersonEntry>>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    let mut people: Vec<PersonEntry> = app
        .engine
        .read::<People, _>(&RoomId::Event(code), |_, r| {
            r.people
                .iter()
                .map(|(id, p)| PersonEntry {
                    id: id.clone(),
                    name: p.name.clone(),
                    profile: p.profile.clone(),
                    stars: p.stars.len(),
                })
                .collect()
        })
        .await?;
    people.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(Json(people))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_detail_is_cut_and_says_so() {
        let max = limits::MAX_ACTIVITY_DETAIL_CHARS;
        let exact = "å".repeat(max);
        assert_eq!(cut(exact.clone()), exact);
        let cut_one = cut("å".repeat(max + 1));
        assert_eq!(cut_one.chars().count(), max);
        assert!(cut_one.ends_with("å…"));
    }
}
