//! The organisers' view of an event's meetings and its export.
//!
//! - `GET /api/events/{code}/meetings`: requests and meetings counted, each person's counts,
//!   and the accepted meetings "Schedule all" would leave without a slot, with the reason.
//! - `GET /api/events/{code}/meetings.{csv,json}`: every meeting, times in ISO 8601 in the
//!   event's time zone; the CSV opens right in a spreadsheet (UTF-8 with a byte order mark,
//!   formula-safe cells).
//!
//! - `schedule_meetings` ("Schedule all", [`schedule_all`]): the scheduler runs here, on a
//!   blocking thread, never on the sequencer (5,500 meetings take about 0.4 s, a scarce-tables
//!   instance several); its placements are then applied by one command, refused and computed
//!   again if the meetings changed meanwhile (at most three computations in all).
//!
//! - `GET /api/events/{code}/booths/{booth}/meetings` ([`of_booth`]): a booth's meetings and
//!   preferences, for its staff.
//!
//! The counts and the copy the scheduler needs are taken under the room's lock; the scheduler
//! runs after, outside it. Nothing personal beyond the two people's names and organisations
//! (no message, no contact details) is in either.

use super::http::{AppError, at_event};
use crate::{
    App,
    auth::{self, Action},
    engine::{Command, Done, Engine},
    export,
    interactions::{
        Refusal,
        exhibition::Exhibition,
        meetings::{self, Meetings, MeetingsCommand, plan, report},
        people::People,
    },
};
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use chrono::SecondsFormat;
use plenum_protocol::{
    BoothId, BoothMeetings, ErrorCode, EventCode, EventInfo, Meeting, MeetingPlan, MeetingRow,
    MeetingStatus, MeetingsReport, RoomId, RoomState,
};

/// The scheduler's input as the event room holds it now (`None` without a plan), with the
/// plan's slots and the records' fingerprint.
async fn prepared(
    engine: &Engine,
    event: &EventInfo,
    move_booked: bool,
) -> Result<Option<(meetings::Prepared, Vec<plan::Slot>, u64)>, Refusal> {
    let room = RoomId::Event(event.code.clone());
    engine
        .read_two::<Meetings, People, _>(&room, |state, m, p| {
            let plan = plan_of(state)?;
            let slots = plan::slots(&plan);
            let stars = |id: &str| {
                p.people
                    .get(id)
                    .map(|s| s.stars.clone())
                    .unwrap_or_default()
            };
            let now = crate::engine::now_ms();
            let started: Vec<bool> = slots
                .iter()
                .map(|s| {
                    plan::instant(event, s.at.day, &s.at.start)
                        .is_some_and(|t| t.timestamp_millis() <= now)
                })
                .collect();
            let prepared = meetings::prepare(
                &plan,
                &slots,
                &started,
                m,
                stars,
                &event.agenda.sessions,
                move_booked,
            );
            Some((prepared, slots, meetings::fingerprint(m, &plan)))
        })
        .await
}

/// "Schedule all" at `code`: computed off the sequencer, then applied by one command (see the
/// module's notes).
pub async fn schedule_all(
    engine: &Engine,
    code: &EventCode,
    move_booked: bool,
) -> Result<Done, Refusal> {
    let event = engine
        .find_event(code)
        .await?
        .ok_or_else(|| Refusal::NotFound(format!("no event {code}")))?;
    let room = RoomId::Event(code.clone());
    let mut tries = 0;
    loop {
        tries += 1;
        let Some((prepared, slots, seen)) = prepared(engine, &event, move_booked).await? else {
            return Err(Refusal::Conflict(
                "this event has no meeting plan: its organisers set one".into(),
            ));
        };
        let (placements, summary) = tokio::task::spawn_blocking(move || {
            let s = meetings::scheduler::schedule(
                &prepared.instance,
                &meetings::scheduler::Options::default(),
            );
            prepared.outcome(&slots, &s)
        })
        .await
        .map_err(|_| Refusal::Unavailable)?;
        let command = MeetingsCommand::ApplySchedule {
            seen,
            placements,
            summary,
        };
        match engine.submit(&room, Command::to::<Meetings>(command)).await {
            Err(Refusal::Conflict(why)) if why == meetings::STALE && tries < 3 => continue,
            other => return other,
        }
    }
}

/// `GET /api/events/{code}/meetings`: the organisers' view (organisers only).
pub async fn overview(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (code, _, event) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let room = RoomId::Event(code.clone());
    let mut report = app
        .engine
        .read_two::<Meetings, People, _>(&room, |_, m, p| report::counts(m, p))
        .await?;
    if let Some((prepared, _, _)) = prepared(&app.engine, &event, false).await? {
        // As "Schedule all" would run now: booked meetings stay.
        let schedule = tokio::task::spawn_blocking(move || {
            let s = meetings::scheduler::schedule(
                &prepared.instance,
                &meetings::scheduler::Options::default(),
            );
            prepared.unplaced(&s)
        })
        .await
        .map_err(|_| AppError::new(ErrorCode::Internal, "the scheduler failed"))?;
        report.unplaced = schedule;
    }
    Ok(Json::<MeetingsReport>(report).into_response())
}

fn plan_of(state: &RoomState) -> Option<MeetingPlan> {
    match state {
        RoomState::Event(e) => e.meetings.clone(),
        _ => None,
    }
}

/// `GET /api/events/{code}/meetings.{csv,json}` (organisers only): CSV when `csv`.
pub async fn export(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    csv: bool,
) -> Result<Response, AppError> {
    let (code, _, event) = at_event(&app, &headers, &code, Action::ManageEvent).await?;
    let room = RoomId::Event(code.clone());
    let rows = app
        .engine
        .read_two::<Meetings, People, _>(&room, |state, m, p| {
            let plan = plan_of(state);
            let counts = report::counts(m, p);
            let now = |side: &plenum_protocol::MeetingPerson| {
                counts
                    .people
                    .iter()
                    .find(|x| x.person.id == side.id)
                    .map(|x| x.person.clone())
                    .unwrap_or_else(|| side.clone())
            };
            m.meetings
                .values()
                .map(|x| row(&event, plan.as_ref(), x, now(&x.from), now(&x.to)))
                .collect::<Vec<_>>()
        })
        .await?;
    if !csv {
        return Ok(Json(rows).into_response());
    }
    let body = to_csv(&rows)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("the export failed: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"meetings.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// One meeting as the export shows it.
fn row(
    event: &EventInfo,
    plan: Option<&MeetingPlan>,
    m: &Meeting,
    from: plenum_protocol::MeetingPerson,
    to: plenum_protocol::MeetingPerson,
) -> MeetingRow {
    let tz = export::zone(&event.time_zone);
    let iso = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    };
    let slot = plan.and_then(|p| {
        let at = m.slot.as_ref()?;
        plan::slots(p).into_iter().find(|s| s.at == *at)
    });
    let booked = m.status == MeetingStatus::Accepted;
    let starts = slot
        .as_ref()
        .filter(|_| booked)
        .and_then(|s| plan::instant(event, s.at.day, &s.at.start))
        .map(iso);
    let ends = slot
        .as_ref()
        .filter(|_| booked)
        .and_then(|s| plan::instant(event, s.at.day, &s.end))
        .map(iso);
    let place = plan.and_then(|p| {
        let n = m.table?;
        p.tables.iter().find(|t| t.number == n)?.place.clone()
    });
    MeetingRow {
        id: m.id,
        status: m.status,
        from,
        to,
        starts,
        ends,
        table: m.table.filter(|_| booked),
        place: place.filter(|_| booked),
        locked: m.locked,
        requested: chrono::DateTime::from_timestamp_millis(m.requested_ms)
            .map(iso)
            .unwrap_or_default(),
        held: report::outcome(m),
    }
}

fn to_csv(rows: &[MeetingRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record([
        "meeting",
        "status",
        "from",
        "from_organisation",
        "to",
        "to_organisation",
        "starts",
        "ends",
        "table",
        "place",
        "locked",
        "requested",
        "took_place",
    ])?;
    let status = |s: MeetingStatus| match s {
        MeetingStatus::Requested => "requested",
        MeetingStatus::Accepted => "accepted",
        MeetingStatus::Declined => "declined",
        MeetingStatus::Expired => "expired",
        MeetingStatus::Cancelled => "cancelled",
    };
    let text = |t: &Option<String>| export::cell(t.as_deref().unwrap_or_default()).into_owned();
    for r in rows {
        w.write_record([
            r.id.to_string(),
            status(r.status).to_owned(),
            text(&r.from.name),
            text(&r.from.organisation),
            text(&r.to.name),
            text(&r.to.organisation),
            r.starts.clone().unwrap_or_default(),
            r.ends.clone().unwrap_or_default(),
            r.table.map(|t| t.to_string()).unwrap_or_default(),
            text(&r.place),
            if r.locked { "yes" } else { "" }.to_owned(),
            r.requested.clone(),
            match r.held {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_owned(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// `GET /api/events/{code}/booths/{booth}/meetings`: the booth's meetings (each as in an
/// inbox, newest first: every open one and the newest [`BOOTH_CLOSED_MEETINGS`] closed) and its
/// preferences, for its staff and the event's organisers. Anyone else, the staff of another
/// booth too, is `forbidden`; a booth that does not exist is `not_found`.
pub async fn of_booth(
    State(app): State<App>,
    Path((code, booth)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<BoothMeetings>, AppError> {
    let (code, who, _) = at_event(&app, &headers, &code, Action::Follow).await?;
    let booth =
        BoothId::parse(&booth).map_err(|e| AppError::new(ErrorCode::NotFound, e.to_string()))?;
    let room = RoomId::Event(code.clone());
    let organiser = auth::allowed(&who, Action::ManageEvent, &room);
    let key = *app.engine.key();
    let answer = app
        .engine
        .read_two::<Meetings, Exhibition, _>(&room, |state, m, x| {
            let Some(record) = x.booths.get(booth.as_str()) else {
                return Err(AppError::new(
                    ErrorCode::NotFound,
                    format!("no booth {booth} at this event"),
                ));
            };
            if !organiser && !x.staffs(booth.as_str(), &who.id) {
                return Err(AppError::new(
                    ErrorCode::Forbidden,
                    format!("only {booth}'s staff and the event's organisers see its meetings"),
                ));
            }
            let (list, preferences) =
                meetings::booths::of_booth(m, &booth, record.made_ms, BOOTH_CLOSED_MEETINGS);
            let list = list.into_iter();
            let meetings = match plan_of(state) {
                Some(plan) => {
                    let slots = plan::slots(&plan);
                    list.map(|m| meetings::shown(&plan, &slots, &key, &room, m))
                        .collect()
                }
                None => list.collect(),
            };
            Ok(BoothMeetings {
                meetings,
                preferences,
            })
        })
        .await??;
    Ok(Json(answer))
}

/// How many of a booth's closed meetings (declined, expired, cancelled) its staff's list keeps,
/// the newest.
pub const BOOTH_CLOSED_MEETINGS: usize = 100;
