//! The big screen in the room: large type, high contrast, nothing to click. It shows the join
//! code with its QR code, and the one thing that matters now, in this order: a quiz question
//! with its countdown (or the leaderboard), an award's staged reveal, a poll's live results,
//! the highlighted question, and what is on stage.

use leptos::prelude::*;
use plenum_protocol::{
    AwardStatus, EventCode, OnStage, PollStatus, QuizStatus, SessionId, SessionState,
};

use crate::components::qr::Qr;
use crate::components::{clock::*, follow::*};
use crate::features::{
    awards::screen::award_view,
    polls::screen::poll_view,
    qa::screen::question_view,
    quizzes::screen::{leaderboard_view, quiz_view},
};
use crate::i18n::{LanguageSwitch, t, tc};
use crate::pages::EventData;
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
    // What changed last gets the screen: the poll just opened, the question just highlighted,
    // the place just revealed. Counts (ballots, answers, votes) are not changes of focus.
    let latest = RwSignal::new(None::<Focus>);
    let marks = Memo::new(move |_| state.with(|s| s.as_ref().map(marks).unwrap_or_default()));
    Effect::new(move |before: Option<Vec<(Focus, String)>>| {
        let now = marks.get();
        if let Some(before) = before {
            for (focus, mark) in &now {
                if before.iter().find(|(f, _)| f == focus).map(|(_, m)| m) != Some(mark) {
                    latest.set(Some(*focus));
                }
            }
        }
        now
    });
    let focus = move || {
        let s: SessionState = state.get()?;
        Some(focus_view(&s, latest.get(), contributions.get(), left))
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

/// Something the big screen can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    Quiz(u64),
    Award(u64),
    Poll(u64),
    Question,
}

/// Each showable thing with a mark that changes when it moves on (not when it is counted),
/// in order of priority. Drafts have an empty mark: nothing to show.
fn marks(s: &SessionState) -> Vec<(Focus, String)> {
    let mut out = Vec::new();
    for q in &s.quizzes {
        let index = q.current.as_ref().map(|c| c.index);
        let mark = (q.status != QuizStatus::Draft).then(|| format!("{:?} {index:?}", q.status));
        out.push((Focus::Quiz(q.id), mark.unwrap_or_default()));
    }
    for a in &s.awards {
        let mark = (a.status != AwardStatus::Draft)
            .then(|| format!("{:?} {}", a.status, a.revealed.len()));
        out.push((Focus::Award(a.id), mark.unwrap_or_default()));
    }
    for p in &s.polls {
        let mark =
            (p.status != PollStatus::Draft).then(|| format!("{:?} {}", p.status, p.revealed));
        out.push((Focus::Poll(p.id), mark.unwrap_or_default()));
    }
    out.push((Focus::Question, format!("{:?}", s.qa.highlighted)));
    out
}

fn focus_view(
    s: &SessionState,
    latest: Option<Focus>,
    contributions: Vec<plenum_protocol::Contribution>,
    left: Signal<Option<i64>>,
) -> AnyView {
    // The latest change, while it still has something to show.
    match latest {
        Some(Focus::Quiz(id)) => {
            if let Some(q) = s.quiz(id) {
                if let Some(view) = quiz_view(q, left) {
                    return view;
                }
                if q.status == QuizStatus::Finished {
                    return leaderboard_view(q);
                }
            }
        }
        Some(Focus::Award(id)) => {
            if let Some(a) = s.award(id).filter(|a| a.status != AwardStatus::Draft) {
                return award_view(a);
            }
        }
        Some(Focus::Poll(id)) => {
            if let Some(p) = s.poll(id).filter(|p| {
                p.status == PollStatus::Open || (p.results.is_some() && p.results_public())
            }) {
                return poll_view(p);
            }
        }
        Some(Focus::Question) => {
            if let Some(q) = s.qa.highlighted.and_then(|id| s.qa.get(id)) {
                return question_view(q);
            }
        }
        None => {}
    }
    fallback_view(s, contributions, left)
}

/// What to show when nothing changed since the screen started (or what changed is over).
fn fallback_view(
    s: &SessionState,
    contributions: Vec<plenum_protocol::Contribution>,
    left: Signal<Option<i64>>,
) -> AnyView {
    // A quiz in progress.
    if let Some(view) = s.quizzes.iter().rev().find_map(|q| quiz_view(q, left)) {
        return view;
    }
    // Then, in order: an award vote open or being revealed, the open poll, the highlighted
    // question, a finished award's result, a finished quiz's leaderboard, the latest closed
    // poll's results. Whatever people are doing now comes before what is over.
    let award = s
        .awards
        .iter()
        .rev()
        .find(|a| a.status != AwardStatus::Draft);
    // Open, or its staged reveal begun and the winner not yet shown.
    let revealing = |a: &&plenum_protocol::Award| {
        a.status == AwardStatus::Open
            || (!a.revealed.is_empty() && !a.revealed.iter().any(|p| p.place == 1))
    };
    let open_poll = s.polls.iter().rev().find(|p| p.status == PollStatus::Open);
    let highlighted = s.qa.highlighted.and_then(|id| s.qa.get(id));
    let awarded = award.filter(|a| a.status == AwardStatus::Closed && !a.revealed.is_empty());
    let leaderboard = s
        .quizzes
        .iter()
        .rev()
        .find(|q| q.status == QuizStatus::Finished);
    let closed_poll = s
        .polls
        .iter()
        .rev()
        .find(|p| p.status == PollStatus::Closed && p.results.is_some() && p.results_public());

    if let Some(a) = award.filter(revealing) {
        return award_view(a);
    }
    if let Some(p) = open_poll {
        return poll_view(p);
    }
    if let Some(q) = highlighted {
        return question_view(q);
    }
    if let Some(a) = awarded {
        return award_view(a);
    }
    if let Some(q) = leaderboard {
        return leaderboard_view(q);
    }
    if let Some(p) = closed_poll {
        return poll_view(p);
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
