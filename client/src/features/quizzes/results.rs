//! A quiz's leaderboard, as a list that reads the same on every screen.

use crate::i18n::{Arg, t, ta};
use leptos::prelude::*;
use plenum_protocol::Quiz;

/// A quiz's leaderboard: rank, name, score.
pub fn leaderboard(quiz: &Quiz) -> AnyView {
    if quiz.leaderboard.is_empty() {
        return view! { <p class="hint">{move || t("no-scores-yet")}</p> }.into_any();
    }
    let rows = quiz
        .leaderboard
        .iter()
        .map(|s| {
            let name = s.name.clone();
            let (rank, score) = (s.rank, s.score);
            view! {
                <li>
                    <span class="rank">{rank}</span>
                    " "
                    <span class="name">{move || name.clone().unwrap_or_else(|| t("anonymous"))}</span>
                    " "
                    <span class="count">{move || ta("points", &[("count", Arg::Count(score))])}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="leaderboard">{rows}</ol> }.into_any()
}
