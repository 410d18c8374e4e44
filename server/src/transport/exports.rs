//! Exports and the after-event report over HTTP: an event's (or one session's) questions,
//! polls, award votes and quizzes as JSON, CSV tables or an XLSX workbook (the tables are
//! `crate::export`'s), and the report's counts. Who may have which is checked here.

use super::http::{AppError, caller_checked, event_code, existing, require, require_in};
use crate::{
    App,
    auth::{self, Action},
    interactions::{
        attendance::Attendance,
        awards::{self, Awards},
        polls::{self, Polls},
        qa::{self, Qa},
        quizzes::{self, Quizzes},
    },
};
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use plenum_protocol::{ApiError, ErrorCode, EventCode, Role, RoomId};

/// One session's questions, polls and awards, exact now: vote counts and poll results are
/// computed from the records, not taken from the last published tallies.
/// `organiser`: award counts before the winner is revealed are for organisers only.
async fn export_session(
    app: &App,
    code: &EventCode,
    session: &plenum_protocol::Session,
    organiser: bool,
) -> Result<plenum_protocol::SessionExport, AppError> {
    let room = RoomId::Session(code.clone(), session.id.clone());
    let in_session = |state: &plenum_protocol::RoomState| match state {
        plenum_protocol::RoomState::Session(s) => Ok(s.clone()),
        _ => Err(crate::interactions::wrong_room()),
    };
    let engine = &app.engine;
    let key = *engine.key();
    let questions = engine
        .read::<Qa, _>(&room, |state, r| {
            in_session(state).map(|s| qa::export(&s, r))
        })
        .await??;
    let polls = engine
        .read::<Polls, _>(&room, |state, r| {
            in_session(state).map(|s| polls::export(&s, r, &key))
        })
        .await??;
    let awards = engine
        .read::<Awards, _>(&room, |state, r| {
            in_session(state).map(|s| awards::export(&s, r, organiser))
        })
        .await??;
    let quizzes = engine
        .read::<Quizzes, _>(&room, |state, r| {
            in_session(state).map(|s| quizzes::export(&s, r))
        })
        .await??;
    let harvests = engine
        .read::<Qa, _>(&room, |state, _| {
            in_session(state).map(|s| {
                s.harvests
                    .iter()
                    .map(|h| plenum_protocol::HarvestExport {
                        table: h.table,
                        topic: s
                            .tables
                            .as_ref()
                            .and_then(|t| t.table(h.table))
                            .map(|t| t.topic.clone()),
                        points: h.points.clone(),
                    })
                    .collect()
            })
        })
        .await??;
    Ok(plenum_protocol::SessionExport {
        id: session.id.clone(),
        title: session.title.clone(),
        questions,
        polls,
        awards,
        quizzes,
        harvests,
    })
}

/// `?session=ID` narrows an export to one session.
#[derive(Debug, serde::Deserialize)]
pub(super) struct ExportQuery {
    session: Option<String>,
}

fn no_session(id: &str) -> AppError {
    AppError(ApiError {
        code: ErrorCode::NotFound,
        message: format!("no session {id}"),
        field: Some("session".into()),
    })
}

async fn build_export(
    app: &App,
    headers: &HeaderMap,
    code: &str,
    query: &ExportQuery,
) -> Result<plenum_protocol::EventExport, AppError> {
    let code = event_code(code)?;
    let who = caller_checked(app, headers).await?;
    // One session's export is for its staff too; the whole event's for organisers.
    match &query.session {
        Some(id) => {
            let id = plenum_protocol::SessionId::parse(id).map_err(|_| no_session(id))?;
            let room = RoomId::Session(code.clone(), id);
            if !auth::allowed(&who, Action::Moderate, &room) {
                require_in(&who, Action::RunPolls, &room)?;
            }
        }
        None => require(&who, Action::ManageEvent, &code)?,
    }
    let info = existing(app, &code).await?;
    let sessions: Vec<&plenum_protocol::Session> = match &query.session {
        Some(id) => {
            let s = info
                .agenda
                .sessions
                .iter()
                .find(|s| s.id.as_str() == id)
                .ok_or_else(|| no_session(id))?;
            vec![s]
        }
        None => info.agenda.sessions.iter().collect(),
    };
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        out.push(export_session(app, &code, s, who.role == Role::Organiser).await?);
    }
    // Who took the data out is the organisers' to know.
    let session = query
        .session
        .as_deref()
        .and_then(|s| plenum_protocol::SessionId::parse(s).ok());
    super::staff::note(app, &who, &code, "export", session, String::new());
    Ok(plenum_protocol::EventExport {
        event: code,
        title: info.title.clone(),
        time_zone: info.time_zone.clone(),
        exported_at_ms: crate::engine::now_ms(),
        sessions: out,
    })
}

pub(super) async fn export_json(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
) -> Result<Json<plenum_protocol::EventExport>, AppError> {
    Ok(Json(build_export(&app, &headers, &code, &query).await?))
}

pub(super) async fn export_csv(
    State(app): State<App>,
    Path((code, table)): Path<(String, String)>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
) -> Result<Response, AppError> {
    let table = crate::export::Table::parse(&table).ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "exports are questions.csv, polls.csv, awards.csv, quizzes.csv, quiz_scores.csv and harvests.csv",
        )
    })?;
    let export = build_export(&app, &headers, &code, &query).await?;
    let zone = crate::export::zone(&export.time_zone);
    let body = crate::export::csv(&export, table, zone)
        .map_err(|_| AppError::new(ErrorCode::Internal, "the export failed"))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response())
}

pub(super) async fn export_xlsx(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<ExportQuery>,
) -> Result<Response, AppError> {
    let export = build_export(&app, &headers, &code, &query).await?;
    let zone = crate::export::zone(&export.time_zone);
    // Writing a workbook is CPU work (a large event's takes a while): off the async threads.
    let body = tokio::task::spawn_blocking(move || crate::export::xlsx(&export, zone))
        .await
        .map_err(|_| AppError::new(ErrorCode::Internal, "the export failed"))?
        .map_err(|_| AppError::new(ErrorCode::Internal, "the export failed"))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )],
        body,
    )
        .into_response())
}

/// The after-event report: counts only, per session, exact now (organisers).
pub(super) async fn report(
    State(app): State<App>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<plenum_protocol::EventReport>, AppError> {
    use plenum_protocol::{AwardReport, PollReport, QuestionStatus, QuizReport, SessionReport};
    let code = event_code(&code)?;
    let who = caller_checked(&app, &headers).await?;
    require(&who, Action::ManageEvent, &code)?;
    let info = existing(&app, &code).await?;
    let people_joined = app
        .engine
        .read::<Attendance, _>(&RoomId::Event(code.clone()), |_, r| r.joined())
        .await?;
    let mut sessions = Vec::with_capacity(info.agenda.sessions.len());
    for s in &info.agenda.sessions {
        let export = export_session(&app, &code, s, true).await?;
        let room = RoomId::Session(code.clone(), s.id.clone());
        let peak_presence = app
            .engine
            .read::<Attendance, _>(&room, |_, r| r.peak())
            .await?;
        let asked = &export.questions;
        sessions.push(SessionReport {
            id: s.id.clone(),
            title: s.title.clone(),
            day: s.day,
            start: s.start.clone(),
            peak_presence,
            questions: asked.len() as u64,
            answered: asked
                .iter()
                .filter(|q| q.status == QuestionStatus::Answered)
                .count() as u64,
            question_votes: asked.iter().map(|q| q.votes).sum(),
            polls: export
                .polls
                .iter()
                .map(|p| PollReport {
                    id: p.id,
                    question: p.question.clone(),
                    ballots: p.ballots,
                })
                .collect(),
            quizzes: export
                .quizzes
                .iter()
                .map(|q| QuizReport {
                    id: q.quiz.id,
                    title: q.quiz.title.clone(),
                    players: q.ranking.len() as u64,
                })
                .collect(),
            awards: export
                .awards
                .iter()
                .map(|a| AwardReport {
                    id: a.award.id,
                    title: a.award.title.clone(),
                    ballots: a.award.ballots,
                })
                .collect(),
        });
    }
    Ok(Json(plenum_protocol::EventReport {
        event: code,
        title: info.title.clone(),
        time_zone: info.time_zone.clone(),
        made_at_ms: crate::engine::now_ms(),
        people_joined,
        sessions,
    }))
}
