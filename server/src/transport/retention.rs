//! How long an event keeps personal data, and purging it: the organisers set the last day
//! (`PUT /api/events/{code}/retention`) and, once it has ended in the event's time zone, every
//! instance's [`sweep`] purges it (whichever gets there first does the work; the others find
//! nothing left). They can also purge at once (`POST /api/events/{code}/purge`), after taking
//! the exports.
//!
//! What a purge removes, room by room, is the engine's (`engine::Engine::purge`): every record
//! of a personal kind, what identifies people in the rooms' state, and the rooms' history.

use super::{
    http::{AppError, at_event, parse_json},
    staff,
};
use crate::{
    App,
    auth::Action,
    engine::{Command, now_ms},
    interactions::agenda::{self, AgendaCommand, EventAgenda},
};
use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::HeaderMap,
};
use plenum_protocol::{Appended, EventCode, PurgeReport, RetentionRequest, RoomId};
use std::time::Duration;

/// How often each instance looks for events whose retention date has passed.
pub const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// `PUT /api/events/{code}/retention` (organisers).
pub async fn set(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Appended>, AppError> {
    let (code, who, event) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let req: RetentionRequest = parse_json(&body)?;
    // Checked before it is queued, so a bad date costs the sequencer nothing (and again there,
    // against the agenda as it is then).
    if let Some(until) = &req.until {
        agenda::retention_date(&event, until)?;
    }
    let detail = serde_json::json!({ "until": req.until }).to_string();
    let done = app
        .engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<EventAgenda>(AgendaCommand::SetRetention(req.until)),
        )
        .await?;
    staff::note(&app, &who, &code, "set_retention", None, detail);
    Ok(Json(Appended { seq: done.seq }))
}

/// `POST /api/events/{code}/purge` (organisers): purges the event's personal data now.
pub async fn purge_now(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<PurgeReport>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let report = purge(&app, &code).await?;
    let detail = serde_json::json!({ "rooms": report.rooms, "purged": report.purged }).to_string();
    staff::note(&app, &who, &code, "purge", None, detail);
    Ok(Json(report))
}

/// Purges the event's personal data, then notes when in its document.
pub async fn purge(app: &App, code: &EventCode) -> Result<PurgeReport, AppError> {
    let _turn = app.purging.lock().await;
    let at_ms = now_ms();
    let done = app.engine.purge(code).await?;
    app.engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<EventAgenda>(AgendaCommand::Purged(at_ms)),
        )
        .await?;
    tracing::info!(event = %code, rooms = done.rooms, purged = done.purged, "personal data purged");
    Ok(PurgeReport {
        rooms: done.rooms,
        purged: done.purged,
        at_ms,
    })
}

/// Purges every event whose retention date has passed and that was not purged since, every
/// [`SWEEP_EVERY`] (and once at start), until the server stops.
pub async fn sweep(app: App) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = app.shutdown.cancelled() => return,
        }
        for event in app.engine.events() {
            if !agenda::purge_due(&event, now_ms()) {
                continue;
            }
            // A stopping server stops between rooms (the next start goes on from there).
            let done = tokio::select! {
                done = purge(&app, &event.code) => done,
                _ = app.shutdown.cancelled() => return,
            };
            if let Err(e) = done {
                tracing::warn!(event = %event.code, error = ?e, "purging personal data failed; tried again at the next sweep");
            }
        }
    }
}
