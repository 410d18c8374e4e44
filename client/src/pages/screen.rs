//! The big screen in the room: large type, high contrast, nothing to click. It shows the join
//! code with its QR code, and the one thing that matters now, in this order: a quiz question
//! with its countdown (or the leaderboard), an award's staged reveal, a poll's live results,
//! the highlighted question, and what is on stage.

use leptos::prelude::*;
use plenum_protocol::{
    AwardStatus, EventCode, OnStage, PollStatus, QuizStatus, SessionId, SessionState,
};
use qrcodegen::{QrCode, QrCodeEcc};

use super::{EventData, countdown, follow_session, results};
use crate::i18n::{Arg, LanguageSwitch, t, ta, tc};
use crate::route::Route;
use crate::text;

#[component]
pub fn ScreenPage(code: EventCode, id: SessionId) -> impl IntoView {
    let (live, state, here) = follow_session(&code, &id);
    let EventData(info) = expect_context();
    let title = super::session_title(&id);
    super::page_title(move || title.get());
    let event_title = move || {
        info.get()
            .and_then(|r| r.ok())
            .map(|e| e.title)
            .unwrap_or_default()
    };
    let origin = window().location().origin().unwrap_or_default();
    let host = window().location().host().unwrap_or_default();
    let join_url = format!("{origin}{}", Route::Event(code.clone()).path());
    let join_text = format!("{host}{}", Route::Event(code.clone()).path());
    let contributions = {
        let id = id.clone();
        Memo::new(move |_| {
            info.get()
                .and_then(|r| r.ok())
                .and_then(|e| e.agenda.sessions.into_iter().find(|s| s.id == id))
                .map(|s| s.contributions)
                .unwrap_or_default()
        })
    };
    let quiz_ends = Memo::new(move |_| {
        state.with(|s| {
            s.as_ref()
                .and_then(|s| s.quizzes.iter().find(|q| q.status == QuizStatus::Asking))
                .and_then(|q| q.current.as_ref())
                .map(|c| c.started_at_ms + i64::from(c.seconds) * 1000)
        })
    });
    let left = countdown(move || quiz_ends.get());
    let focus = move || {
        let s: SessionState = state.get()?;
        Some(focus_view(&s, contributions.get(), left))
    };
    view! {
        <div class="big-screen" data-connection=move || format!("{:?}", live.connection())>
            <header class="screen-top">
                <div class="screen-titles">
                    <p class="screen-event">{event_title}</p>
                    <h1 class="screen-session">{move || title.get()}</h1>
                </div>
                <div class="screen-join">
                    <Qr text=join_url />
                    <p class="join-words">
                        <span class="join-label">{move || t("join-at")}</span>
                        <span class="join-url">{join_text}</span>
                        <span class="join-label">{move || t("with-code")}</span>
                        <span class="join-code" id="screen-code">{code.to_string()}</span>
                    </p>
                </div>
            </header>
            <div class="screen-focus" aria-live="polite" id="screen-focus">
                {focus}
            </div>
            <footer class="screen-bottom">
                {move || here.with(|r| r.present).map(|n| view! { <span class="presence">{tc("here-now", n)}</span> })}
                <LanguageSwitch />
                <super::ConnectionStatus live />
            </footer>
        </div>
    }
}

fn focus_view(
    s: &SessionState,
    contributions: Vec<plenum_protocol::Contribution>,
    left: Signal<Option<i64>>,
) -> AnyView {
    // A quiz in progress.
    if let Some(q) = s
        .quizzes
        .iter()
        .rev()
        .find(|q| matches!(q.status, QuizStatus::Asking | QuizStatus::Revealed))
        && let Some(c) = &q.current
    {
        let revealed = q.status == QuizStatus::Revealed;
        let options = c
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let correct = revealed && c.correct == Some(i as u32);
                view! {
                    <li class:correct=correct>
                        <span class="letter">{char::from(b'A' + i as u8).to_string()}</span>
                        " " {o.clone()}
                        {correct.then(|| view! { " ✓" <span class="visually-hidden">{t("correct-answer")}</span> })}
                    </li>
                }
            })
            .collect_view();
        let answers = c.answers;
        return view! {
            <section class="screen-quiz" data-focus="quiz">
                <p class="screen-kicker">
                    {ta("question-of", &[("index", Arg::Str((c.index + 1).to_string())), ("length", Arg::Str(q.length.to_string()))])}
                </p>
                <h2 class="screen-question">{c.text.clone()}</h2>
                <ol class="screen-options">{options}</ol>
                <p class="screen-meta">
                    {move || (!revealed).then(|| left.get().map(|s| view! { <span class="countdown" role="timer">{tc("seconds-left", s as u64)}</span> " · " }))}
                    {tc("answers-count", answers)}
                </p>
            </section>
        }
        .into_any();
    }
    if let Some(q) = s
        .quizzes
        .iter()
        .rev()
        .find(|q| q.status == QuizStatus::Finished)
        && s.polls.iter().all(|p| p.status != PollStatus::Open)
    {
        return view! {
            <section class="screen-quiz" data-focus="leaderboard">
                <h2 class="screen-question">{ta("leaderboard-of", &[("title", Arg::Str(q.title.clone()))])}</h2>
                {results::leaderboard(q)}
            </section>
        }
        .into_any();
    }
    // An award vote: open (ballots counting) or its staged reveal.
    if let Some(a) = s
        .awards
        .iter()
        .rev()
        .find(|a| a.status != AwardStatus::Draft)
        && (a.status == AwardStatus::Open || !a.revealed.is_empty())
    {
        return view! {
            <section class="screen-award" data-focus="award">
                <h2 class="screen-question">{a.title.clone()}</h2>
                {if a.status == AwardStatus::Open {
                    view! { <p class="screen-meta">{t("vote-now")} " · " {tc("ballots-count", a.ballots)}</p> }.into_any()
                } else {
                    results::award_placings(a)
                }}
            </section>
        }
        .into_any();
    }
    // The open poll, else the latest poll with results to show.
    let poll = s
        .polls
        .iter()
        .rev()
        .find(|p| p.status == PollStatus::Open)
        .or_else(|| {
            s.polls
                .iter()
                .rev()
                .find(|p| p.status == PollStatus::Closed && p.results.is_some())
        });
    if let Some(p) = poll {
        let open = p.status == PollStatus::Open;
        return view! {
            <section class="screen-poll" data-focus="poll" data-poll=p.id>
                <h2 class="screen-question">{p.question.clone()}</h2>
                <div class="results">{results::poll_results(p)}</div>
                <p class="screen-meta">
                    {if open { t("vote-now") } else { t("poll-closed") }} " · "
                    <span class="ballots">{tc("answers-count", p.ballots)}</span>
                </p>
            </section>
        }
        .into_any();
    }
    if let Some(q) = s.qa.highlighted.and_then(|id| s.qa.get(id)) {
        let who = match (&q.asker.name, q.anonymous) {
            (Some(n), false) => n.clone(),
            _ => t("anonymous"),
        };
        return view! {
            <section class="screen-highlight" data-focus="question">
                <p class="screen-kicker">{t("question-from-audience")}</p>
                <blockquote class="screen-question" id="screen-question">{q.text.clone()}</blockquote>
                <p class="screen-meta">{who} " · " {tc("votes", q.votes)}</p>
            </section>
        }
        .into_any();
    }
    let on_stage = match &s.stage.on_stage {
        OnStage::Nothing => None,
        OnStage::Contribution { number } => contributions
            .iter()
            .find(|c| c.number == *number)
            .map(|c| (c.title.clone(), text::names(&c.speakers))),
        OnStage::Text { text } => Some((text.clone(), String::new())),
    };
    let status = s.stage.status;
    view! {
        <section class="screen-stage" data-focus="stage">
            <p class="screen-kicker">{text::status_label(status)}</p>
            {on_stage.map(|(title, people)| view! {
                <h2 class="screen-question">{title}</h2>
                <p class="screen-meta">{people}</p>
            })}
        </section>
    }
    .into_any()
}

/// A QR code drawn as one SVG path: crisp at any size, a few hundred bytes.
#[component]
fn Qr(text: String) -> impl IntoView {
    let Ok(code) = QrCode::encode_text(&text, QrCodeEcc::Medium) else {
        return view! { <span></span> }.into_any();
    };
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    let view_box = format!("0 0 {} {}", size + 8, size + 8);
    view! {
        <svg class="qr" viewBox=view_box role="img" aria-label=move || t("qr-label") shape-rendering="crispEdges">
            <rect width="100%" height="100%" fill="#fff"></rect>
            <path d=path fill="#000"></path>
        </svg>
    }
    .into_any()
}
