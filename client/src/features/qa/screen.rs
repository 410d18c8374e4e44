//! The question on the big screen.

use crate::i18n::{t, tc};
use leptos::prelude::*;

pub fn question_view(q: &plenum_protocol::Question) -> AnyView {
    let who = super::asker(q);
    view! {
        <section class="screen-highlight" data-focus="question">
            <p class="screen-kicker">{t("question-from-audience")}</p>
            <blockquote class="screen-question" id="screen-question">{q.text.clone()}</blockquote>
            <p class="screen-meta">{who} " · " {tc("votes", q.votes)}</p>
        </section>
    }
    .into_any()
}
