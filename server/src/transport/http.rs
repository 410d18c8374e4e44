//! The HTTP API, operations endpoints, and the static client.
//!
//! Every handler authenticates with [`caller_checked`] (the token, and that its invitation was
//! not withdrawn) and checks [`auth::allowed`] before it changes anything. Errors are [`AppError`]s: a typed code and a message for the client, and nothing
//! internal.

use super::contact_files::Format;
use super::{
    addresses::{ClientAddr, Counted},
    pages,
    requests::{self, Document, DocumentKind},
    staff, ws,
};
use crate::{
    App,
    auth::{self, Action, AuthError},
    engine::Command,
    interactions::{
        Refusal,
        agenda::{self, FieldError},
        attendance::{Attendance, AttendanceCommand},
        awards::{self, Awards},
        people::{self, People, PeopleCommand},
        qa::{self, Qa},
    },
};
use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use plenum_protocol::{
    Agenda, AnnouncementRequest, ApiError, Appended, ClientMsg, CreateEvent, ErrorCode, EventCode,
    EventInfo, JoinRequest, JoinResponse, Person, Role, RoomId, SessionId, StageUpdate, limits,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// An error answered to an HTTP client: the protocol's error body, with the matching status.
#[derive(Debug)]
pub struct AppError(pub ApiError);

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError(ApiError {
            code,
            message: message.into(),
            field: None,
        })
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}

impl From<Refusal> for AppError {
    fn from(e: Refusal) -> AppError {
        AppError(api_error(e))
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> AppError {
        AppError::from(Refusal::from(e))
    }
}

impl From<AuthError> for AppError {
    fn from(e: AuthError) -> AppError {
        AppError::new(ErrorCode::Unauthenticated, e.to_string())
    }
}

/// The protocol error for a refusal; shared with the WebSocket layer.
pub fn api_error(e: Refusal) -> ApiError {
    let code = match &e {
        Refusal::NotFound(_) => ErrorCode::NotFound,
        Refusal::Conflict(_) => ErrorCode::Conflict,
        Refusal::Forbidden(_) => ErrorCode::Forbidden,
        Refusal::TooLarge(_) | Refusal::TooLong { .. } => ErrorCode::TooLarge,
        Refusal::Invalid { .. } => ErrorCode::BadRequest,
        Refusal::Unavailable => ErrorCode::Unavailable,
    };
    let field = match &e {
        Refusal::Invalid { field, .. } => field.clone(),
        Refusal::TooLong { field, .. } => Some(field.clone()),
        _ => None,
    };
    ApiError {
        code,
        message: e.to_string(),
        field,
    }
}

/// Parses a JSON body; a bad one is refused naming the field (`sessions[3].kind`).
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = (path != ".").then_some(path);
        AppError(ApiError {
            code: ErrorCode::BadRequest,
            message: match &field {
                Some(f) => format!("{f}: {inner}"),
                None => format!("invalid JSON: {inner}"),
            },
            field,
        })
    })
}

/// Who is calling: the bearer token's person.
/// Without an `Authorization` header, the sign-in cookie; a request that carries it from a
/// page of another origin (its `Origin`, or a browser's `Sec-Fetch-Site` saying another site)
/// is refused (`forbidden`), so no other site acts with it.
pub fn caller(app: &App, headers: &HeaderMap) -> Result<Person, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        let token = staff::cookie_token(headers).ok_or(AuthError::Missing)?;
        let other_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|site| matches!(site, "cross-site" | "same-site"));
        if other_site || !ws::origin_allowed(app, headers) {
            return Err(AppError::new(
                ErrorCode::Forbidden,
                "the sign-in cookie is for this server's own pages",
            ));
        }
        return Ok(app.auth.verify(&token)?);
    };
    let value = value.to_str().map_err(|_| AuthError::Invalid)?;
    let token = value.strip_prefix("Bearer ").ok_or(AuthError::Invalid)?;
    Ok(app.auth.verify(token)?)
}

/// [`caller`], refused when the invitation they joined through was withdrawn.
pub async fn caller_checked(app: &App, headers: &HeaderMap) -> Result<Person, AppError> {
    let person = caller(app, headers)?;
    if !auth::still_valid(&app.engine, &person).await? {
        return Err(AuthError::Revoked.into());
    }
    Ok(person)
}

/// Checks an event-wide action (managing the event, announcing).
pub(super) fn require(person: &Person, action: Action, event: &EventCode) -> Result<(), AppError> {
    require_in(person, action, &RoomId::Event(event.clone()))
}

/// Checks an action in one room (a session's stage, say).
pub(super) fn require_in(person: &Person, action: Action, room: &RoomId) -> Result<(), AppError> {
    if auth::allowed(person, action, room) {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::Forbidden,
            auth::refusal(person.role),
        ))
    }
}

pub(super) fn event_code(raw: &str) -> Result<EventCode, AppError> {
    EventCode::parse(raw).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))
}

/// The event with this code, or `not_found` (`unavailable` if the store cannot tell).
pub(super) async fn existing(app: &App, code: &EventCode) -> Result<Arc<EventInfo>, AppError> {
    app.engine
        .find_event(code)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("no event {code}")))
}

/// The caller of a route under `/api/events/{code}`, checked: their credential, their right to
/// `action` there, and the event (`not_found` if there is none).
pub(super) async fn at_event(
    app: &App,
    headers: &HeaderMap,
    code: &str,
    action: Action,
) -> Result<(EventCode, Person, Arc<EventInfo>), AppError> {
    let code = event_code(code)?;
    let who = caller_checked(app, headers).await?;
    require(&who, action, &code)?;
    let event = existing(app, &code).await?;
    Ok((code, who, event))
}

/// The whole application: API, WebSocket, operations, and the client's files.
pub fn router(app: App) -> Router {
    let api = Router::new()
        .route("/events", get(list_events).post(create_event))
        .route("/events/{code}", get(get_event))
        .route("/events/{code}/agenda", put(replace_agenda))
        .route("/events/{code}/agenda/import", post(import_agenda))
        .route("/agenda-template.csv", get(|q| agenda_template(q, false)))
        .route("/agenda-template.xlsx", get(|q| agenda_template(q, true)))
        .route("/events/{code}/join", post(join))
        .route(
            "/events/{code}/invites",
            get(staff::list_invites).post(staff::create_invite),
        )
        .route(
            "/events/{code}/invites/{id}",
            axum::routing::delete(staff::revoke_invite),
        )
        .route(
            "/events/{code}/calendar",
            get(super::calendar::link).post(super::calendar::new_link),
        )
        .route(
            "/events/{code}/calendar/{person}/{file}",
            get(super::calendar::feed),
        )
        .route("/events/{code}/reports", get(super::people::reports))
        .route("/events/{code}/retention", put(super::retention::set))
        .route("/events/{code}/purge", post(super::retention::purge_now))
        .route("/events/{code}/badges", get(super::badges::badges))
        .route("/events/{code}/booths", get(super::booths::list))
        .route(
            "/events/{code}/booths/{booth}",
            put(super::booths::save)
                .post(super::booths::create)
                .delete(super::booths::remove),
        )
        .route(
            "/events/{code}/booths/{booth}/logo",
            put(super::booths::put_logo).delete(super::booths::remove_logo),
        )
        .route(
            "/events/{code}/booths/{booth}/staff-link",
            get(super::booths::staff_link).post(super::booths::renew_staff_link),
        )
        .route(
            "/events/{code}/booths/{booth}/staff",
            post(super::booths::join_staff),
        )
        .route(
            "/events/{code}/booths/{booth}/staff/{person}",
            axum::routing::delete(super::booths::leave_staff),
        )
        .route(
            "/events/{code}/booths/{booth}/contacts",
            get(|a, p, h| super::contact_files::booth_download(a, p, h, Format::Json)),
        )
        .route(
            "/events/{code}/booths/{booth}/contacts.csv",
            get(|a, p, h| super::contact_files::booth_download(a, p, h, Format::Csv)),
        )
        .route(
            "/events/{code}/booths/{booth}/contacts.vcf",
            get(|a, p, h| super::contact_files::booth_download(a, p, h, Format::Vcard)),
        )
        .route(
            "/events/{code}/booths/{booth}/meetings",
            get(super::meetings::of_booth),
        )
        .route(
            "/events/{code}/booths/{booth}/chat",
            get(|a, p, h| super::booth_chat::download(a, p, h, false)),
        )
        .route(
            "/events/{code}/booths/{booth}/chat.csv",
            get(|a, p, h| super::booth_chat::download(a, p, h, true)),
        )
        .route(
            "/events/{code}/contacts.csv",
            get(|a, p, h| super::contact_files::download(a, p, h, false)),
        )
        .route(
            "/events/{code}/contacts.vcf",
            get(|a, p, h| super::contact_files::download(a, p, h, true)),
        )
        .route(
            "/events/{code}/contact-codes/{contact}",
            get(super::badges::holder),
        )
        .route("/events/{code}/meetings", get(super::meetings::overview))
        .route(
            "/events/{code}/my-data",
            get(super::my_data::download).delete(super::my_data::delete),
        )
        .route(
            "/events/{code}/meetings.csv",
            get(|a, p, h| super::meetings::export(a, p, h, true)),
        )
        .route(
            "/events/{code}/meetings.json",
            get(|a, p, h| super::meetings::export(a, p, h, false)),
        )
        .route("/events/{code}/activity", get(staff::activity))
        .route("/events/{code}/people", get(staff::people))
        .route(
            "/events/{code}/people/import",
            post(super::people::import_people),
        )
        .route("/events/{code}/people/links", get(super::people::links))
        .route(
            "/events/{code}/people/{person}/link",
            post(super::people::reissue),
        )
        .route("/events/{code}/invitation", post(staff::preview_invite))
        .route("/sign-in", post(staff::sign_in))
        .route("/sign-out", post(staff::sign_out))
        .route("/me", get(staff::me))
        .route("/events/{code}/announcements", post(announce))
        .route("/events/{code}/sessions/{session}", put(put_session))
        .route("/events/{code}/sessions/{session}/stage", post(set_stage))
        .route(
            "/events/{code}/sessions/{session}/tables",
            axum::routing::put(set_tables),
        )
        .route(
            "/events/{code}/export.json",
            get(super::exports::export_json),
        )
        .route(
            "/events/{code}/export.xlsx",
            get(super::exports::export_xlsx),
        )
        .route("/events/{code}/report", get(super::exports::report))
        .route("/events/{code}/blocked", get(blocked_people))
        .route(
            "/events/{code}/export/{table}",
            get(super::exports::export_csv),
        )
        .route(
            "/events/{code}/sessions/{session}/awards/{award}/ballots",
            get(award_ballots),
        )
        .layer(DefaultBodyLimit::max(limits::MAX_AGENDA_BYTES))
        // axum's own refusals (413, 405, 415…) are plain text: answer them as ApiError too.
        .layer(axum::middleware::map_response(errors_as_json))
        // Answers are live state: never cache them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let mut router = Router::new()
        .nest("/api", api)
        .route("/ws", get(ws::upgrade))
        .route("/logos/{code}/{booth}/{file}", get(super::booths::logo))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    router = match &app.config.web_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            // The client routes `/e/CODE/...` itself: unknown paths get the page
            // (`pages::index`, with the join form where the path is a join page). Files are
            // sent brotli- or gzip-compressed as built, when the browser takes it.
            let index = axum::routing::get(pages::index).with_state(app.clone());
            let files = ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            router
                .route("/", get(pages::index))
                .route("/index.html", get(pages::index))
                .route("/join", post(pages::join_form))
                .fallback_service(files)
                .layer(axum::middleware::from_fn(pages::cache_control))
        }
        _ => router.fallback(no_client),
    };
    router
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            per_address,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            // Invitation links carry a credential in their query: no other site sees the
            // address. Same-origin requests keep it, so a form post names its real Origin
            // (with no referrer at all it would say "null", which POST /join refuses).
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            // wasm-unsafe-eval lets the page instantiate its WebAssembly; nothing else runs.
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .with_state(app)
}

/// Spends the client address's request (and join) allowance, and tells the handlers the
/// address (`ClientAddr`, for the WebSocket limits). Probes (`/healthz`, `/readyz`,
/// `/metrics`) are never limited: a load balancer must always reach them.
async fn per_address(
    State(app): State<App>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip());
    let limits = &app.addresses;
    let addr = ClientAddr::of(peer, req.headers(), &limits.config().trusted_proxies);
    let path = req.uri().path();
    let probe = matches!(path, "/healthz" | "/readyz" | "/metrics");
    // Signing in and looking an invitation up spend the join allowance too: guessing keys or
    // invitations is slow from any one address.
    let join = req.method() == axum::http::Method::POST
        && ((path.starts_with("/api/events/")
            && (path.ends_with("/join") || path.ends_with("/invitation")))
            || path == "/join"
            || path == "/api/sign-in");
    let refused = if probe {
        None
    } else if !limits.take(addr, Counted::Request) {
        Some(Counted::Request)
    } else if join && !limits.take(addr, Counted::Join) {
        Some(Counted::Join)
    } else {
        None
    };
    if let Some(what) = refused {
        app.metrics.address_limited.inc();
        let mut response = AppError(ApiError {
            code: ErrorCode::RateLimited,
            message: what.refusal().into(),
            field: None,
        })
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    req.extensions_mut().insert(addr);
    next.run(req).await
}

/// Turns an error response that is not JSON into the protocol's error body.
async fn errors_as_json(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = match status.as_u16() {
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 | 405 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::TooLarge,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        400..=499 => ErrorCode::BadRequest,
        _ => ErrorCode::Internal,
    };
    let message = status
        .canonical_reason()
        .unwrap_or("request refused")
        .to_lowercase();
    (
        status,
        Json(ApiError {
            code,
            message,
            field: None,
        }),
    )
        .into_response()
}

async fn no_client() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        "The Plenum web client is not built. Run scripts/demo, or build it with scripts/build-client and start the server with --web-dir client/dist.\n",
    )
}

async fn readyz(State(app): State<App>) -> impl IntoResponse {
    if !app.engine.ready().await {
        (StatusCode::SERVICE_UNAVAILABLE, "store unavailable\n")
    } else if !app.broker.healthy() {
        (StatusCode::SERVICE_UNAVAILABLE, "broker disconnected\n")
    } else {
        (StatusCode::OK, "ready\n")
    }
}

async fn metrics(State(app): State<App>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(),
    )
}

async fn list_events(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Json<Vec<EventInfo>>, AppError> {
    let who = caller_checked(&app, &headers).await?;
    if who.role != Role::Organiser {
        return Err(AppError::new(
            ErrorCode::Forbidden,
            "only organisers list events",
        ));
    }
    // A co-organiser's list is their event.
    Ok(Json(
        app.engine
            .events()
            .iter()
            .filter(|e| who.event.as_ref().is_none_or(|mine| *mine == e.code))
            .map(|e| (**e).clone())
            .collect(),
    ))
}

async fn create_event(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<EventInfo>), AppError> {
    let who = caller_checked(&app, &headers).await?;
    let mut new: CreateEvent = parse_json(&body)?;
    agenda::tidy_agenda(&mut new.agenda);
    require(&who, DocumentKind::NewEvent.action(), &new.code)?;
    agenda::check_event(&new)?;
    let code = new.code.clone();
    let title = new.title.clone();
    let r = requests::document(Document::NewEvent(new));
    app.engine.create(&r.room, r.command).await?;
    let detail = serde_json::json!({ "title": title }).to_string();
    staff::note(&app, &who, &code, "create_event", None, detail);
    let info = app
        .engine
        .event(&code)
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "the event vanished"))?;
    Ok((StatusCode::CREATED, Json((*info).clone())))
}

async fn get_event(
    State(app): State<App>,
    Path(code): Path<String>,
) -> Result<Json<EventInfo>, AppError> {
    let code = event_code(&code)?;
    Ok(Json((*existing(&app, &code).await?).clone()))
}

async fn replace_agenda(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, DocumentKind::Agenda.action(), &code)?;
    let mut agenda: Agenda = parse_json(&body)?;
    agenda::tidy_agenda(&mut agenda);
    agenda::check_agenda(&agenda)?;
    existing(&app, &code).await?;
    let detail = serde_json::json!({ "sessions": agenda.sessions.len() }).to_string();
    let r = requests::document(Document::Agenda(code.clone(), agenda));
    let done = app.engine.submit(&r.room, r.command).await?;
    staff::note(&app, &who, &code, "replace_agenda", None, detail);
    Ok(Json(Appended { seq: done.seq }))
}

/// `?format=csv|xlsx|schedule_xml|schedule_json`; absent, the file's first bytes decide.
#[derive(Debug, serde::Deserialize)]
struct ImportQuery {
    format: Option<plenum_protocol::ImportFormat>,
}

/// Reads a spreadsheet or a frab/pretalx schedule into an agenda to preview; saves nothing.
async fn import_agenda(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<plenum_protocol::AgendaImport>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, DocumentKind::Agenda.action(), &code)?;
    let event = existing(&app, &code).await?;
    // Unpacking and parsing a 2 MiB workbook is CPU work: off the runtime's threads.
    let read = tokio::task::spawn_blocking(move || {
        agenda::import::import(&body, query.format, &event.agenda, &event.time_zone)
    })
    .await
    .map_err(|_| AppError::new(ErrorCode::Internal, "the import failed"))?;
    Ok(Json(read))
}

/// `?lang=sv` for the Swedish template.
#[derive(Debug, serde::Deserialize)]
struct TemplateQuery {
    lang: Option<String>,
}

/// `body` as a file to save: its type, and the name it is saved under.
pub fn attachment(mime: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The agenda template, CSV or XLSX, in English or Swedish.
async fn agenda_template(
    axum::extract::Query(query): axum::extract::Query<TemplateQuery>,
    xlsx: bool,
) -> Result<Response, AppError> {
    let swedish = query.lang.as_deref() == Some("sv");
    let file = agenda::import::template(swedish, xlsx)
        .map_err(|_| AppError::new(ErrorCode::Internal, "the template could not be written"))?;
    Ok(attachment(file.content_type, &file.name, file.bytes))
}

async fn join(
    State(app): State<App>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Json<JoinResponse>, AppError> {
    let code = event_code(&code)?;
    let req: JoinRequest = if body.is_empty() {
        JoinRequest::default()
    } else {
        parse_json(&body)?
    };
    Ok(Json(join_person(&app, code, req).await?))
}

/// A token for `code`: a new attendee, or the person an invitation names.
pub async fn join_person(
    app: &App,
    code: EventCode,
    req: JoinRequest,
) -> Result<JoinResponse, AppError> {
    existing(app, &code).await?;
    // A bad profile refuses the join before anything is made.
    let profile = match &req.profile {
        Some(p) => Some(people::normalise(p)?).filter(|p| !p.is_empty()),
        None => None,
    };
    let person = match &req.invite {
        Some(invite) => {
            let person = app.auth.redeem(invite, &code)?;
            if !auth::still_valid(&app.engine, &person).await? {
                return Err(AuthError::Revoked.into());
            }
            person
        }
        None => {
            let name = auth::display_name(req.name.as_deref())?;
            Person {
                id: auth::new_id(),
                name,
                role: Role::Attendee,
                event: Some(code.clone()),
                sessions: Vec::new(),
                registered: false,
                link: 0,
            }
        }
    };
    // Kept before the token is handed over: the person's devices find it in their inbox. A
    // person an import registered finds the profile it gave there.
    let tell = match profile {
        Some(profile) => Some(PeopleCommand::SetProfile {
            person: person.id.clone(),
            name: person.name.clone(),
            profile,
        }),
        None if req.invite.is_some() => Some(PeopleCommand::Tell {
            person: person.id.clone(),
        }),
        None => None,
    };
    if let Some(tell) = tell {
        app.engine
            .submit(&RoomId::Event(code.clone()), Command::to::<People>(tell))
            .await?;
    }
    // Counted for the after-event report, in the background: a join neither waits for the
    // count nor fails for want of it.
    let joined = AttendanceCommand::Joined {
        server: app.server_id.clone(),
        person: person.id.clone(),
        invited: req.invite.is_some(),
    };
    let engine = app.engine.clone();
    tokio::spawn(async move {
        let room = RoomId::Event(code.clone());
        if let Err(e) = engine
            .submit(&room, Command::to::<Attendance>(joined))
            .await
        {
            tracing::warn!(event = %code, error = %e, "a join was not counted");
        }
    });
    Ok(JoinResponse {
        token: app.auth.issue(&person),
        person,
    })
}

async fn announce(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::Announce, &code)?;
    let req: AnnouncementRequest = parse_json(&body)?;
    let msg = ClientMsg::Announce {
        event: code,
        text: req.text,
    };
    submit(&app, &who, msg).await
}

async fn set_stage(
    State(app): State<App>,
    Path((code, session)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let session = SessionId::parse(&session)
        .map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let who = caller_checked(&app, &headers).await?;
    require_in(
        &who,
        Action::SetStage,
        &RoomId::Session(code.clone(), session.clone()),
    )?;
    let update: StageUpdate = parse_json(&body)?;
    let msg = ClientMsg::SetStage {
        event: code,
        session,
        update,
    };
    submit(&app, &who, msg).await
}

/// `PUT /api/events/{code}/sessions/{session}/tables`: a session's table set (`null` removes
/// it), as `set_tables` over the WebSocket, for sets larger than a client frame.
async fn set_tables(
    State(app): State<App>,
    Path((code, session)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let session = SessionId::parse(&session)
        .map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let who = caller_checked(&app, &headers).await?;
    let setup: Option<plenum_protocol::TablesSetup> = parse_json(&body)?;
    let msg = ClientMsg::SetTables {
        event: code,
        session,
        setup,
    };
    submit(&app, &who, msg).await
}

async fn put_session(
    State(app): State<App>,
    Path((code, session_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, DocumentKind::Session.action(), &code)?;
    let mut session: plenum_protocol::Session = parse_json(&body)?;
    agenda::tidy_session(&mut session);
    if session.id.as_str() != session_id {
        return Err(AppError(ApiError {
            code: ErrorCode::BadRequest,
            message: format!(
                "id: the body's id {} differs from the path's {session_id}",
                session.id
            ),
            field: Some("id".into()),
        }));
    }
    existing(&app, &code).await?;
    let title = session.title.clone();
    let r = requests::document(Document::Session(code.clone(), Box::new(session)));
    let done = app.engine.submit(&r.room, r.command).await?;
    let id = SessionId::parse(&session_id).ok();
    let detail = serde_json::json!({ "title": title }).to_string();
    staff::note(&app, &who, &code, "edit_session", id, detail);
    Ok(Json(Appended { seq: done.seq }))
}

/// The bulletin board of a closed award vote: public, so anyone can recount it.
async fn award_ballots(
    State(app): State<App>,
    Path((code, session, award)): Path<(String, String, u64)>,
) -> Result<Json<plenum_protocol::AwardBallots>, AppError> {
    let code = event_code(&code)?;
    let session = SessionId::parse(&session)
        .map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let room = RoomId::Session(code, session);
    let board = app
        .engine
        .read::<Awards, _>(&room, |state, records| {
            awards::bulletin(state, records, award)
        })
        .await??;
    Ok(Json(board))
}

/// Submits a room-changing message through the request table, as its WebSocket twin would.
async fn submit(app: &App, who: &Person, msg: ClientMsg) -> Result<Json<Appended>, AppError> {
    let noted = msg.clone();
    let r = requests::route(who, msg)
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "no route for this request"))?;
    if !r.permitted(who) {
        return Err(AppError::new(ErrorCode::Forbidden, auth::refusal(who.role)));
    }
    let done = app.engine.submit(&r.room, r.command).await?;
    staff::note_request(app, who, &r.room, r.action, &noted);
    Ok(Json(Appended { seq: done.seq }))
}

/// Everyone blocked from asking at the event, by name: for whoever may block (organisers,
/// moderators of every session).
async fn blocked_people(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<plenum_protocol::BlockedPerson>>, AppError> {
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    let room = RoomId::Event(code.clone());
    require_in(&who, Action::Moderate, &room)?;
    existing(&app, &code).await?;
    Ok(Json(
        app.engine
            .read::<Qa, _>(&room, |_, r| qa::blocked(r))
            .await?,
    ))
}
