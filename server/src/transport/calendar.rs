//! Each person's calendar feed: their starred sessions and booked meetings as iCalendar, at an
//! address with a secret in it that a calendar app subscribes to.
//!
//! - `GET /api/events/{code}/calendar` (the person's token): the feed's address.
//! - `POST /api/events/{code}/calendar`: a new address; the old one stops working.
//! - `GET /api/events/{code}/calendar/{person}/{secret}.ics`: the feed, for whoever holds the
//!   address (no token: calendar apps have none).
//!
//! The secret is an HMAC of the event, the person and how many times their feed was made anew
//! (`interactions::meetings`, record `calendar_feed`), so nothing is stored per address and a
//! new one ends the old. Every entry has a stable UID (`session-ID.CODE@plenum`,
//! `meeting-ID.CODE@plenum`) and a `SEQUENCE` that rises with every change (a meeting's own
//! `sequence`; for sessions the agenda's version), times are UTC, and a cancelled or moved
//! meeting is updated, never left beside its new version: a calendar app that polls the feed
//! shows each once.

use super::http::{AppError, at_event, event_code, existing};
use crate::{
    App,
    auth::Action,
    engine::{Command, now_ms},
    interactions::{
        exhibition::Exhibition,
        meetings::{Meetings, MeetingsCommand, plan, video_link},
        people::People,
    },
};
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use chrono::{TimeZone, Utc};
use hmac::{Hmac, Mac};
use icalendar::{Calendar, Component, Event, EventLike};
use plenum_protocol::{
    BOOTH_SIDE_PREFIX, ErrorCode, EventCode, EventInfo, MeetingStatus, PersonId, RoomId, RoomState,
};
use sha2::Sha256;

/// The answer to `GET` and `POST /api/events/{code}/calendar`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct FeedAddress {
    pub url: String,
}

/// The secret of `person`'s feed at `code`, made anew `n` times.
fn secret(key: &[u8; 32], code: &EventCode, person: &str, n: u32) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(format!("calendar-feed:{code}:{person}:{n}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..18])
}

/// How many times `person`'s feed was made anew.
async fn made_anew(app: &App, code: &EventCode, person: &str) -> Result<u32, AppError> {
    let room = RoomId::Event(code.clone());
    Ok(app
        .engine
        .read::<Meetings, _>(&room, |_, r| r.feeds.get(person).copied().unwrap_or(0))
        .await?)
}

async fn address(
    app: &App,
    headers: &HeaderMap,
    code: &EventCode,
    person: &str,
) -> Result<FeedAddress, AppError> {
    let n = made_anew(app, code, person).await?;
    let secret = secret(app.engine.key(), code, person, n);
    Ok(FeedAddress {
        url: format!(
            "{}/api/events/{code}/calendar/{person}/{secret}.ics",
            super::people::base(app, headers)
        ),
    })
}

/// `GET /api/events/{code}/calendar`: your feed's address.
pub async fn link(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    Ok(Json(address(&app, &headers, &code, &who.id).await?).into_response())
}

/// `POST /api/events/{code}/calendar`: a new address for your feed (the old one stops).
pub async fn new_link(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    app.engine
        .submit(
            &RoomId::Event(code.clone()),
            Command::to::<Meetings>(MeetingsCommand::NewFeed {
                person: who.id.clone(),
            }),
        )
        .await?;
    Ok(Json(address(&app, &headers, &code, &who.id).await?).into_response())
}

/// `GET /api/events/{code}/calendar/{person}/{secret}.ics`: the feed. A wrong or old secret is
/// `not_found`, as is a person the event does not know: the address says nothing otherwise.
pub async fn feed(
    State(app): State<App>,
    Path((code, person, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let code = event_code(&code)?;
    let nothing = || AppError::new(ErrorCode::NotFound, "no such calendar feed");
    let person = PersonId::parse(&person).map_err(|_| nothing())?;
    let given = file.strip_suffix(".ics").ok_or_else(nothing)?;
    let event = existing(&app, &code).await?;
    let n = made_anew(&app, &code, person.as_str()).await?;
    let want = secret(app.engine.key(), &code, person.as_str(), n);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        want.as_bytes(),
        given.as_bytes(),
    )) {
        return Err(nothing());
    }
    let body = calendar(&app, &event, person.as_str()).await?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}

/// `person`'s calendar: their starred sessions and booked meetings, and those of the booths
/// whose staff they are (each with the visitor's name).
async fn calendar(app: &App, event: &EventInfo, person: &str) -> Result<String, AppError> {
    let room = RoomId::Event(event.code.clone());
    let stars = app
        .engine
        .read::<People, _>(&room, |_, r| {
            r.people
                .get(person)
                .map(|s| s.stars.clone())
                .unwrap_or_default()
        })
        .await?;
    let (plan, meetings) = app
        .engine
        .read_two::<Meetings, Exhibition, _>(&room, |state, r, x| {
            let plan = match state {
                RoomState::Event(e) => e.meetings.clone(),
                _ => None,
            };
            let booths = x
                .staff
                .keys()
                .filter(|(_, p)| p == person)
                .map(|(b, _)| format!("{BOOTH_SIDE_PREFIX}{b}"));
            let mine: Vec<_> = std::iter::once(person.to_owned())
                .chain(booths)
                .flat_map(|side| {
                    r.mine(&side)
                        .filter(|m| m.status == MeetingStatus::Accepted && m.slot.is_some())
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .collect();
            (plan, mine)
        })
        .await?;
    let stamp = Utc
        .timestamp_millis_opt(now_ms())
        .single()
        .unwrap_or_default();
    let mut cal = Calendar::new();
    // The calendar's name is not escaped by the crate: one line, no control characters.
    let name: String = event
        .title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cal.name(&name);
    for s in event
        .agenda
        .sessions
        .iter()
        .filter(|s| stars.contains(&s.id))
    {
        let (Some(start), Some(end)) = (
            plan::instant(event, s.day, &s.start),
            plan::instant(event, s.day, &s.end),
        ) else {
            continue;
        };
        let mut e = Event::new();
        e.uid(&format!("session-{}.{}@plenum", s.id, event.code))
            .summary(&s.title)
            .starts(start)
            .ends(end)
            .sequence(u32::try_from(event.agenda_version).unwrap_or(u32::MAX))
            .timestamp(stamp);
        if let Some(l) = &s.location {
            e.location(l);
        }
        cal.push(e.done());
    }
    let slots = plan.as_ref().map(plan::slots).unwrap_or_default();
    for m in meetings {
        let Some(slot) = m
            .slot
            .as_ref()
            .and_then(|at| slots.iter().find(|s| s.at == *at))
        else {
            continue;
        };
        let (Some(start), Some(end)) = (
            plan::instant(event, slot.at.day, &slot.at.start),
            plan::instant(event, slot.at.day, &slot.end),
        ) else {
            continue;
        };
        let other = if m.from.id.as_str() == person {
            &m.to
        } else {
            &m.from
        };
        let with = match (&other.name, &other.organisation) {
            (Some(n), Some(o)) => format!("{n} ({o})"),
            (Some(n), None) => n.clone(),
            (None, Some(o)) => o.clone(),
            (None, None) => other.id.to_string(),
        };
        let mut e = Event::new();
        e.uid(&format!("meeting-{}.{}@plenum", m.id, event.code))
            .summary(&format!("Meeting: {with}"))
            .starts(start)
            .ends(end)
            .sequence(m.sequence)
            .timestamp(stamp);
        let place = plan.as_ref().and_then(|p| {
            m.table.map(|t| {
                let at = p
                    .tables
                    .iter()
                    .find(|x| x.number == t)
                    .and_then(|x| x.place.clone());
                match at {
                    Some(place) => format!("Table {t}, {place}"),
                    None => format!("Table {t}"),
                }
            })
        });
        match (
            place,
            plan.as_ref()
                .and_then(|p| video_link(p, app.engine.key(), &room, m.id)),
        ) {
            (Some(place), _) => drop(e.location(&place)),
            (None, Some(video)) => drop(e.location(&video).url(&video)),
            (None, None) => {}
        }
        if let Some(message) = &m.message {
            e.description(message);
        }
        cal.push(e.done());
    }
    Ok(cal.done().to_string())
}
