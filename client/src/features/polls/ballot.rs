//! An open poll as the audience answers it: one form per kind (single, multiple, rating, word
//! cloud, open text, ranking), the person's own answer, and the results when they may be seen.

use super::forms::ballot_form;
use crate::components::{clock::*, feedback::*};
use crate::i18n::{t, tc};
use crate::live::Live;
use leptos::prelude::*;
use plenum_protocol::{Answer, ClientMsg, EventCode, PollStatus, SessionId, SessionState};

#[component]
pub fn PollCard(
    poll: u64,
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let data = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.poll(poll).cloned())));
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    // Counts accepted answers: a typed answer is cleared only once it was taken.
    let sent = RwSignal::new(0u32);
    let left = countdown(move || {
        data.with(|p| {
            p.as_ref()
                .filter(|p| p.status == PollStatus::Open)
                .and_then(|p| p.closes_at_ms)
        })
    });
    let send = move |answer: Answer| {
        act(
            live,
            ClientMsg::Vote {
                event: code.clone(),
                session: id.clone(),
                poll,
                answer,
            },
            problem,
            move |_| {
                done.set(true);
                sent.update(|n| *n += 1);
            },
        );
    };
    let send = StoredValue::new(send);
    // The parts change at different times: the ballot form is built once per opening, so a
    // choice being made is not reset when other people's votes change the results.
    let open = Memo::new(move |_| data.with(|p| p.as_ref().map(|p| p.status == PollStatus::Open)));
    let question = move || data.with(|p| p.as_ref().map(|p| p.question.clone()));
    let ballots = move || data.with(|p| p.as_ref().map_or(0, |p| p.ballots));
    let form = move || {
        (open.get() == Some(true))
            .then(|| {
                data.with_untracked(|p| {
                    p.as_ref()
                        .map(|p| ballot_form(p, move |a| send.with_value(|f| f(a)), sent))
                })
            })
            .flatten()
    };
    let answered =
        move || done.get() || data.with(|p| p.as_ref().is_some_and(|p| p.mine.is_some()));
    let results_view = move || {
        data.with(|p| {
            p.as_ref()
                .filter(|p| p.results.is_some() || p.status != PollStatus::Open)
                .map(crate::features::polls::results::poll_results)
        })
    };
    let heading_id = format!("poll-{poll}");
    let labelled_by = heading_id.clone();
    move || {
        open.get()?;
        Some(view! {
            <article
                class="poll card"
                aria-labelledby=labelled_by.clone()
                data-poll=poll
                data-status=move || if open.get() == Some(true) { "open" } else { "closed" }
            >
                <h3 id=heading_id.clone()>{question}</h3>
                <p class="poll-meta">
                    {move || if open.get() == Some(true) { t("poll-open") } else { t("poll-closed") }}
                    " · "
                    <span class="ballots">{move || tc("answers-count", ballots())}</span>
                    {move || left.get().map(|s| view! { " · " <span class="countdown">{tc("seconds-left", s as u64)}</span> })}
                </p>
                {form}
                <p class="sent" role="status">
                    {move || answered().then(|| {
                        // While open it can still change; once closed, only that it counted.
                        if open.get() == Some(true) { t("answer-received") } else { t("answer-counted") }
                    })}
                </p>
                {problem_view(problem)}
                <div class="results">{results_view}</div>
            </article>
        })
    }
}
