//! A booth's chat over HTTP, for those who moderate it: `GET
//! /api/events/{code}/booths/{booth}/chat` (every message, hidden ones too, oldest first) and
//! `.../chat.csv` (the same for a spreadsheet). The booth's staff, and the event's organisers
//! and moderators of the whole event; anyone else (the staff of another booth too) is
//! `forbidden`.

use super::http::{AppError, at_event};
use crate::{
    App,
    auth::{self, Action},
    export,
    interactions::exhibition::{
        Exhibition,
        chat::{self, BoothChat},
    },
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use chrono::SecondsFormat;
use plenum_protocol::{BoothId, ChatMessage, ErrorCode, RoomId};

/// `GET /api/events/{code}/booths/{booth}/chat{,.csv}`.
pub async fn download(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
    csv: bool,
) -> Result<Response, AppError> {
    let (code, who, event) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth =
        BoothId::parse(&booth).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let room = RoomId::Booth(code.clone(), booth.clone());
    let moderator = auth::allowed(&who, Action::Moderate, &room);
    let me = who.id.clone();
    app.engine
        .read::<Exhibition, _>(&RoomId::Event(code.clone()), |_, r| {
            if !r.booths.contains_key(booth.as_str()) {
                return Err(AppError::new(
                    ErrorCode::NotFound,
                    format!("no booth {booth} at this event"),
                ));
            }
            if !moderator && !r.staffs(booth.as_str(), &me) {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    format!("only {booth}'s staff and the event's moderators read its whole chat"),
                ));
            }
            Ok(())
        })
        .await??;
    let messages = app
        .engine
        .read::<BoothChat, _>(&room, |_, r| chat::all(r))
        .await?;
    if !csv {
        return Ok(axum::Json(messages).into_response());
    }
    let body = to_csv(&messages, export::zone(&event.time_zone))
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("the export failed: {e}")))?;
    Ok(super::http::attachment(
        "text/csv; charset=utf-8",
        &format!("{code}-{booth}-chat.csv"),
        body,
    ))
}

/// The messages as CSV: a byte order mark (so a spreadsheet reads UTF-8), one row each, every
/// text formula-safe (`export::cell`), the time in ISO 8601 in the event's zone.
fn to_csv(messages: &[ChatMessage], tz: chrono_tz::Tz) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record([
        "id",
        "time",
        "name",
        "organisation",
        "staff",
        "hidden",
        "text",
    ])?;
    let text = |t: Option<&str>| export::cell(t.unwrap_or_default()).into_owned();
    let yes = |b: bool| if b { "yes" } else { "" }.to_owned();
    for m in messages {
        let time = chrono::DateTime::from_timestamp_millis(m.at_ms)
            .map(|t| {
                t.with_timezone(&tz)
                    .to_rfc3339_opts(SecondsFormat::Secs, false)
            })
            .unwrap_or_default();
        w.write_record([
            m.id.to_string(),
            time,
            text(m.by.name.as_deref()),
            text(m.by.organisation.as_deref()),
            yes(m.staff),
            yes(m.hidden),
            text(Some(&m.text)),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
