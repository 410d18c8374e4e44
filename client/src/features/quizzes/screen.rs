//! A quiz question and its leaderboard on the big screen.

use crate::i18n::{Arg, percent, t, ta, tc};
use leptos::prelude::*;
use plenum_protocol::QuizStatus;

pub fn quiz_view(q: &plenum_protocol::Quiz, left: Signal<Option<i64>>) -> Option<AnyView> {
    if !matches!(q.status, QuizStatus::Asking | QuizStatus::Revealed) {
        return None;
    }
    let c = q.current.as_ref()?;
    let revealed = q.status == QuizStatus::Revealed;
    let options = c
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let correct = revealed && c.correct == Some(i as u32);
            // At the reveal, how many chose each option, as a bar and in words.
            let share = c.chosen.as_ref().and_then(|n| n.get(i)).map(|&n| {
                let whole: u64 = c.chosen.as_ref().map_or(0, |c| c.iter().sum());
                let width = 100.0 * n as f64 / whole.max(1) as f64;
                view! {
                    <span class="bar" aria-hidden="true"><span class="fill" style=format!("width: {width:.1}%")></span></span>
                    <span class="count">{move || format!("{} · {}", tc("chose-this", n), percent(n, whole))}</span>
                }
            });
            view! {
                <li class:correct=correct>
                    <span class="letter">{super::card::letter(i as u32)}</span>
                    " " {o.clone()}
                    {correct.then(|| view! { " ✓" <span class="visually-hidden">{t("correct-answer")}</span> })}
                    {share}
                </li>
            }
        })
        .collect_view();
    let answers = c.answers;
    Some(
        view! {
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
        .into_any(),
    )
}

pub fn leaderboard_view(q: &plenum_protocol::Quiz) -> AnyView {
    view! {
        <section class="screen-quiz" data-focus="leaderboard">
            <h2 class="screen-question">{ta("leaderboard-of", &[("title", Arg::Str(q.title.clone()))])}</h2>
            {crate::features::quizzes::results::leaderboard(q)}
        </section>
    }
    .into_any()
}
