//! A poll's live results on the big screen.

use crate::i18n::{t, tc};
use leptos::prelude::*;
use plenum_protocol::PollStatus;

pub fn poll_view(p: &plenum_protocol::Poll) -> AnyView {
    let open = p.status == PollStatus::Open;
    // The screen may be opened by a speaker, whose view carries results the room is not to
    // see yet: the screen shows only what the audience may see.
    let mut shown = p.clone();
    if !p.results_public() {
        shown.results = None;
    }
    let p = &shown;
    view! {
        <section class="screen-poll" data-focus="poll" data-poll=p.id>
            <h2 class="screen-question">{p.question.clone()}</h2>
            <div class="results">{crate::features::polls::results::poll_results(p)}</div>
            <p class="screen-meta">
                {if open { t("vote-now") } else { t("poll-closed") }} " · "
                <span class="ballots">{tc("answers-count", p.ballots)}</span>
            </p>
        </section>
    }
    .into_any()
}
