//! The after-event report, for organisers: people joined, each session's peak presence,
//! questions, votes and poll participation. Counts only, nobody's identity. Each chart is also
//! its numbers as text (a table), and the page prints.

use leptos::prelude::*;
use plenum_protocol::{EventCode, EventReport, SessionReport};

use crate::api::{organiser, saved};
use crate::components::follow::page_title;
use crate::i18n::{Arg, LanguageSwitch, percent, t, ta, tc};
use crate::route::{Link, Route};

#[component]
pub fn ReportPage(code: EventCode) -> impl IntoView {
    let Some(key) = saved::organiser_credential(&code) else {
        return view! { <super::organise::OrganisePage /> }.into_any();
    };
    let report = {
        let code = code.clone();
        LocalResource::new(move || {
            let (code, key) = (code.clone(), key.clone());
            async move { organiser::report(&key, &code).await }
        })
    };
    page_title(move || {
        let title = report
            .get()
            .and_then(|r| r.ok())
            .map(|r| r.title)
            .unwrap_or_default();
        ta("report-of", &[("title", Arg::Str(title))])
    });
    view! {
        <div class="organise report">
            <OrganiserBar code=code.clone() />
            {move || match report.get() {
                None => view! { <p role="status">{t("loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(r)) => view! { <Report report=r /> }.into_any(),
            }}
        </div>
    }
    .into_any()
}

/// The bar and the way back of an organiser's page beside the console (the report, the badges).
#[component]
pub(super) fn OrganiserBar(code: EventCode) -> impl IntoView {
    view! {
        <header class="bar">
            <Link to=Route::Organise class="brand">"Plenum"</Link>
            <span class="event-code">{code.to_string()}</span>
            <span class="role-badge">{move || t("role-organiser")}</span>
            <LanguageSwitch />
        </header>
        <nav class="crumbs" aria-label=move || t("back")>
            <Link to=Route::OrganiseEvent(code.clone())>{move || t("back-to-console")}</Link>
        </nav>
    }
}

#[component]
fn Report(report: EventReport) -> impl IntoView {
    let questions: u64 = report.sessions.iter().map(|s| s.questions).sum();
    let answered: u64 = report.sessions.iter().map(|s| s.answered).sum();
    let votes: u64 = report.sessions.iter().map(|s| s.question_votes).sum();
    let ballots: u64 = report
        .sessions
        .iter()
        .flat_map(|s| s.polls.iter().map(|p| p.ballots))
        .sum();
    let polls: u64 = report.sessions.iter().map(|s| s.polls.len() as u64).sum();
    let joined = report.people_joined;
    let title = report.title.clone();
    let peaks: Vec<(String, u64)> = report
        .sessions
        .iter()
        .map(|s| (session_label(s), s.peak_presence))
        .collect();
    let most = peaks.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let rows = report
        .sessions
        .iter()
        .map(|s| {
            let polls = s.polls.iter().map(|p| p.ballots).sum::<u64>();
            view! {
                <tr>
                    <th scope="row">{session_label(s)}</th>
                    <td>{s.peak_presence}</td>
                    <td>{s.questions}</td>
                    <td>{s.answered}</td>
                    <td>{s.question_votes}</td>
                    <td>{s.polls.len()}</td>
                    <td>{polls}</td>
                </tr>
            }
        })
        .collect_view();
    let poll_rows: Vec<_> = report
        .sessions
        .iter()
        .flat_map(|s| {
            let peak = s.peak_presence;
            let session = s.title.clone();
            s.polls
                .iter()
                .map(move |p| (session.clone(), p.question.clone(), p.ballots, peak))
        })
        .collect();
    let has_polls = !poll_rows.is_empty();
    let poll_items = poll_rows
        .into_iter()
        .map(|(session, question, ballots, peak)| {
            let width = (100.0 * ballots as f64 / peak.max(1) as f64).min(100.0);
            view! {
                <li class="bar-row">
                    <span class="label">{question} <span class="meta">{format!(" · {session}")}</span></span>
                    {(peak > 0).then(|| view! {
                        <span class="bar" aria-hidden="true"><span class="fill" style=format!("width: {width:.1}%")></span></span>
                    })}
                    <span class="count">{move || {
                        let share = if peak == 0 { String::new() } else {
                            format!(" · {}", ta("of-peak", &[("share", Arg::Str(percent(ballots, peak)))]))
                        };
                        format!("{}{share}", tc("answers-count", ballots))
                    }}</span>
                </li>
            }
        })
        .collect_view();
    let peak_items = peaks
        .into_iter()
        .map(|(label, n)| {
            let width = 100.0 * n as f64 / most.max(1) as f64;
            view! {
                <li class="bar-row">
                    <span class="label">{label}</span>
                    <span class="bar" aria-hidden="true"><span class="fill" style=format!("width: {width:.1}%")></span></span>
                    <span class="count">{move || tc("people-count", n)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h1>{move || ta("report-of", &[("title", Arg::Str(title.clone()))])}</h1>
        <section class="panel" aria-labelledby="report-summary-heading">
            <h2 id="report-summary-heading">{move || t("report-summary")}</h2>
            <dl class="figures">
                <div><dt>{move || t("people-joined")}</dt><dd id="people-joined">{joined}</dd></div>
                <div><dt>{move || t("questions-asked")}</dt><dd>{questions}</dd></div>
                <div><dt>{move || t("questions-answered")}</dt><dd>{answered}</dd></div>
                <div><dt>{move || t("question-votes")}</dt><dd>{votes}</dd></div>
                <div><dt>{move || t("polls-run")}</dt><dd>{polls}</dd></div>
                <div><dt>{move || t("poll-answers")}</dt><dd>{ballots}</dd></div>
            </dl>
            <p class="hint">{move || t("report-hint")}</p>
        </section>
        <section class="panel" aria-labelledby="report-peaks-heading">
            <h2 id="report-peaks-heading">{move || t("peak-presence")}</h2>
            <ul class="bars" id="peak-chart">{peak_items}</ul>
        </section>
        <section class="panel" aria-labelledby="report-polls-heading">
            <h2 id="report-polls-heading">{move || t("poll-participation")}</h2>
            {if has_polls {
                view! { <ul class="bars" id="poll-chart">{poll_items}</ul> }.into_any()
            } else {
                view! { <p class="hint">{move || t("no-polls-run")}</p> }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="report-table-heading">
            <h2 id="report-table-heading">{move || t("report-by-session")}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="report-table-heading">
                <table id="report-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || t("session")}</th>
                            <th scope="col">{move || t("peak-presence")}</th>
                            <th scope="col">{move || t("questions-asked")}</th>
                            <th scope="col">{move || t("questions-answered")}</th>
                            <th scope="col">{move || t("question-votes")}</th>
                            <th scope="col">{move || t("polls-run")}</th>
                            <th scope="col">{move || t("poll-answers")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// "Day 1 · 09:30 · Opening plenary".
fn session_label(s: &SessionReport) -> String {
    format!("{} · {} · {}", ta_day(s.day), s.start, s.title)
}

fn ta_day(day: u32) -> String {
    ta("day-number", &[("number", Arg::Str(day.to_string()))])
}
