//! Registered participants: a participant import, each person's personal link (listed, as a
//! CSV for a mail merge, made anew when lost).
//!
//! A personal link is a registration invitation (`auth`, `interactions::access`) recorded with
//! the import's email: it signs its person in on any device as the same person (`inv-ID`), a
//! registered attendee (or the speaker or moderator the row names). Their profile is kept
//! with everyone's (`interactions::people`). Links are absolute, made with `--public-url` (or,
//! without it, the address the request came to).

use super::http::{AppError, caller_checked, event_code, existing, require};
use super::staff::note;
use crate::{
    App,
    auth::{self, Action},
    engine::Command,
    interactions::{
        access::{Access, AccessCommand, Issued},
        attendance::Attendance,
        people::{People, PeopleCommand, import},
    },
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use plenum_protocol::{
    ErrorCode, EventCode, ImportedPerson, PeopleImport, Person, PersonalLink, Profile, RoomId,
};
use std::collections::HashMap;

/// `?preview=true`: read the file, save nothing.
#[derive(Debug, serde::Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    preview: bool,
}

/// `POST /api/events/{code}/people/import`: registers the people of a spreadsheet, or refuses
/// the file whole (422) naming every mistake. A row whose email belongs to someone imported
/// before updates their profile; everyone else is new and gets a personal link.
pub async fn import_people(
    State(app): State<App>,
    Path(code): Path<String>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    // Unpacking and parsing a 2 MiB workbook is CPU work: off the runtime's threads.
    let read = tokio::task::spawn_blocking(move || import::read(&body))
        .await
        .map_err(|_| AppError::new(ErrorCode::Internal, "the import failed"))?;
    let room = RoomId::Event(code.clone());
    // Who was imported before, by email: their rows update them.
    let before: HashMap<String, String> = app
        .engine
        .read::<Access, _>(&room, |_, r| {
            r.invitations()
                .into_iter()
                .filter(|(i, withdrawn)| i.imported && !withdrawn && !i.email.is_empty())
                .map(|(i, _)| (i.email.clone(), i.id.clone()))
                .collect()
        })
        .await?;
    let ids: Vec<(String, bool)> = read
        .rows
        .iter()
        .map(|r| match r.email.as_ref().and_then(|e| before.get(e)) {
            Some(id) => (id.clone(), false),
            None => (auth::new_id(), true),
        })
        .collect();
    let answer = |saved: bool, links: Option<&HashMap<String, String>>| PeopleImport {
        saved,
        people: read
            .rows
            .iter()
            .zip(&ids)
            .map(|(r, (id, new))| ImportedPerson {
                row: r.row,
                person: (saved || !new).then(|| format!("inv-{id}")),
                name: r.name.clone(),
                email: r.email.clone(),
                role: r.role,
                profile: r.profile.clone(),
                new: *new,
                link: links.and_then(|l| l.get(id).cloned()),
            })
            .collect(),
        problems: read.problems.clone(),
        ignored_columns: read.ignored.clone(),
    };
    if !read.problems.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(answer(false, None))).into_response());
    }
    if query.preview {
        return Ok(Json(answer(false, None)).into_response());
    }
    // Within the event's bound of people before any link is made: a file past it makes no
    // links to withdraw again (only two imports racing at the bound can still meet that).
    let (known, total) = app
        .engine
        .read::<People, _>(&room, |_, r| {
            let known = ids
                .iter()
                .filter(|(id, _)| r.people.contains_key(&format!("inv-{id}")))
                .count();
            (known, r.people.len())
        })
        .await?;
    let new = ids.len() - known;
    if total + new > plenum_protocol::limits::MAX_PEOPLE {
        return Err(AppError::new(
            ErrorCode::TooLarge,
            format!(
                "an event keeps profiles and stars for at most {} people ({total} kept, {new} new)",
                plenum_protocol::limits::MAX_PEOPLE
            ),
        ));
    }
    let exp = auth::invite_expiry();
    let at_ms = crate::engine::now_ms();
    let made: Vec<Issued> = read
        .rows
        .iter()
        .zip(&ids)
        .filter(|(_, (_, new))| *new)
        .map(|(r, (id, _))| Issued {
            id: id.clone(),
            role: r.role,
            name: r.name.clone(),
            sessions: Vec::new(),
            at_ms,
            by: super::staff::display(&who),
            by_id: who.id.clone(),
            exp,
            signer: app.auth.signer(r.role),
            email: r.email.clone().unwrap_or_default(),
            imported: true,
            link: 0,
        })
        .collect();
    let links: HashMap<String, String> = made
        .iter()
        .map(|i| (i.id.clone(), link(&app, &headers, &code, i)))
        .collect();
    let new_ids: Vec<String> = made.iter().map(|i| i.id.clone()).collect();
    app.engine
        .submit(&room, Command::to::<Access>(AccessCommand::IssueMany(made)))
        .await?;
    let profiles = read
        .rows
        .iter()
        .zip(&ids)
        .map(|(r, (id, _))| (format!("inv-{id}"), Some(r.name.clone()), r.profile.clone()))
        .collect();
    if let Err(e) = app
        .engine
        .submit(
            &room,
            Command::to::<People>(PeopleCommand::Import(profiles)),
        )
        .await
    {
        // All or none: the links just made are withdrawn again.
        for invitation in new_ids {
            let undo = AccessCommand::Revoke { invitation };
            if let Err(e) = app.engine.submit(&room, Command::to::<Access>(undo)).await {
                tracing::error!(event = %code, error = %e, "an import's link was not withdrawn");
            }
        }
        return Err(e.into());
    }
    let created = ids.iter().filter(|(_, new)| *new).count();
    let detail = serde_json::json!({"created": created, "updated": ids.len() - created});
    note(&app, &who, &code, "import_people", None, detail.to_string());
    Ok(Json(answer(true, Some(&links))).into_response())
}

/// `?format=csv` for the mail merge's file.
#[derive(Debug, serde::Deserialize)]
pub struct LinksQuery {
    #[serde(default)]
    format: Option<String>,
}

/// `GET /api/events/{code}/people/links`: every registered participant an import made (not
/// withdrawn) with their personal link, in the order imported; `?format=csv` as a CSV for a
/// mail merge. A co-organiser sees the links of the people they imported.
pub async fn links(
    State(app): State<App>,
    Path(code): Path<String>,
    Query(query): Query<LinksQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(AppError::new(
                ErrorCode::BadRequest,
                format!("format: {other:?} is not a format: csv or json"),
            ));
        }
    };
    let room = RoomId::Event(code.clone());
    let imported: Vec<Issued> = app
        .engine
        .read::<Access, _>(&room, |_, r| {
            let mut all: Vec<Issued> = r
                .invitations()
                .into_iter()
                .filter(|(i, withdrawn)| i.imported && !withdrawn)
                .map(|(i, _)| i.clone())
                .collect();
            all.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.name.cmp(&b.name)));
            all
        })
        .await?;
    let entries = entries(&app, &headers, &who, &code, imported).await?;
    if !csv {
        return Ok(Json(entries).into_response());
    }
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let written: Result<(), csv::Error> = (|| {
        out.write_record([
            "name",
            "email",
            "organisation",
            "country",
            "languages",
            "role",
            "link",
            "joined",
        ])?;
        for e in &entries {
            // Typed text that starts like a formula gets an apostrophe (as in every export).
            use crate::export::cell;
            out.write_record([
                &*cell(&e.name),
                &*cell(e.email.as_deref().unwrap_or("")),
                &*cell(e.profile.organisation.as_deref().unwrap_or("")),
                e.profile.country.as_deref().unwrap_or(""),
                &e.profile.languages.join(" "),
                auth::role_name(e.role),
                e.link.as_deref().unwrap_or(""),
                if e.joined { "yes" } else { "no" },
            ])?;
        }
        Ok(())
    })();
    let bytes = written
        .and_then(|()| out.into_inner().map_err(|e| e.into_error().into()))
        .map_err(|_| AppError::new(ErrorCode::Internal, "the links could not be written"))?;
    note(&app, &who, &code, "export_links", None, "{}".into());
    let disposition = format!("attachment; filename=\"{code}-personal-links.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /api/events/{code}/people/{person}/link`: makes a person's link anew. Their older
/// links, and every device those signed in, stop working; they stay who they are.
pub async fn reissue(
    State(app): State<App>,
    Path((code, person)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<PersonalLink>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    existing(&app, &code).await?;
    let room = RoomId::Event(code.clone());
    let not_found = || {
        AppError::new(
            ErrorCode::NotFound,
            format!("no personal link for {person} in event {code}"),
        )
    };
    let id = person
        .strip_prefix("inv-")
        .ok_or_else(not_found)?
        .to_owned();
    let recorded = app
        .engine
        .read::<Access, _>(&room, |_, r| r.get(&id).map(|(i, w)| (i.clone(), w)))
        .await?;
    let Some((issued, withdrawn)) = recorded else {
        return Err(not_found());
    };
    if !may_see(&who, &issued) {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "a co-organiser makes anew only the links of the people they invited",
        ));
    }
    if withdrawn {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("{person}'s invitation was withdrawn: nobody's link is made for it"),
        ));
    }
    let reissue = AccessCommand::Reissue {
        invitation: id.clone(),
        exp: auth::invite_expiry(),
        signer: app.auth.signer(issued.role),
    };
    app.engine
        .submit(&room, Command::to::<Access>(reissue))
        .await?;
    let now = app
        .engine
        .read::<Access, _>(&room, |_, r| r.get(&id).map(|(i, _)| i.clone()))
        .await?
        .ok_or_else(not_found)?;
    let detail = serde_json::json!({"person": person, "name": now.name});
    note(&app, &who, &code, "reissue_link", None, detail.to_string());
    let mut made = entries(&app, &headers, &who, &code, vec![now]).await?;
    made.pop()
        .map(Json)
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "the link was not made"))
}

/// Whether `who` may see (and make anew) the link of `issued`: the key holder, and whoever
/// invited them.
fn may_see(who: &Person, issued: &Issued) -> bool {
    auth::key_holder(who) || issued.by_id == who.id
}

/// The personal links of `made`, as `who` may see them, with each person's profile and
/// whether they have joined.
async fn entries(
    app: &App,
    headers: &HeaderMap,
    who: &Person,
    code: &EventCode,
    made: Vec<Issued>,
) -> Result<Vec<PersonalLink>, AppError> {
    let room = RoomId::Event(code.clone());
    let ids: Vec<String> = made.iter().map(|i| format!("inv-{}", i.id)).collect();
    let joined: Vec<bool> = app
        .engine
        .read::<Attendance, _>(&room, |_, r| ids.iter().map(|p| r.invited(p)).collect())
        .await?;
    let profiles: Vec<Profile> = app
        .engine
        .read::<People, _>(&room, |_, r| {
            ids.iter()
                .map(|p| {
                    r.people
                        .get(p)
                        .map(|s| s.profile.clone())
                        .unwrap_or_default()
                })
                .collect()
        })
        .await?;
    let now = auth::now_seconds();
    Ok(made
        .into_iter()
        .zip(ids)
        .zip(joined.into_iter().zip(profiles))
        .map(|((i, person), (joined, profile))| PersonalLink {
            yours: may_see(who, &i),
            link: (may_see(who, &i) && i.exp > now && i.signer == app.auth.signer(i.role))
                .then(|| link(app, headers, code, &i)),
            person,
            name: i.name,
            email: Some(i.email).filter(|e| !e.is_empty()),
            role: i.role,
            profile,
            reissued: i.link,
            joined,
        })
        .collect())
}

/// The absolute link of a recorded invitation.
fn link(app: &App, headers: &HeaderMap, code: &EventCode, i: &Issued) -> String {
    let token = app
        .auth
        .invite_until(code, i.role, &i.name, &i.sessions, &i.id, i.exp, i.link);
    format!("{}/e/{code}?invite={token}", base(app, headers))
}

/// Where people reach Plenum: `--public-url`, or else the address the request came to.
pub(super) fn base(app: &App, headers: &HeaderMap) -> String {
    if let Some(url) = &app.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `GET /api/events/{code}/reports`: what people reported about others, newest first
/// (organisers).
pub async fn reports(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, _, _) = super::http::at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let room = RoomId::Event(code.clone());
    let person = |id: &str, name: &Option<String>| plenum_protocol::MeetingPerson {
        id: plenum_protocol::PersonId::parse(id)
            .unwrap_or_else(|_| plenum_protocol::PersonId::parse("unknown").expect("an id")),
        name: name.clone(),
        organisation: None,
    };
    let list: Vec<plenum_protocol::PersonReport> = app
        .engine
        .read::<crate::interactions::contacts::Contacts, _>(&room, |_, r| {
            r.reports
                .iter()
                .rev()
                .map(|(id, x)| plenum_protocol::PersonReport {
                    id: *id,
                    by: person(&x.by, &x.by_name),
                    about: person(&x.about, &x.about_name),
                    reason: x.reason.clone(),
                    at_ms: x.at_ms,
                })
                .collect()
        })
        .await?;
    Ok(Json(list).into_response())
}
