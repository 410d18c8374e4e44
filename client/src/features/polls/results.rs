//! A poll's results, drawn and written for each kind (bars, word cloud, rating distribution,
//! ranking order, approved texts).

use crate::components::chart::bars;
use crate::i18n::{Arg, t, ta, tc};
use leptos::prelude::*;
use plenum_protocol::{Poll, PollKind, PollResults};

/// A poll's results as bars (choices, rating), a word cloud, a ranking or a list of answers.
pub fn poll_results(poll: &Poll) -> AnyView {
    let Some(results) = poll.results.clone() else {
        return view! { <p class="hint">{move || t("results-hidden")}</p> }.into_any();
    };
    match (&poll.kind, results) {
        (
            PollKind::Single { options } | PollKind::Multiple { options, .. },
            PollResults::Choices { counts },
        ) => {
            let ballots = poll.ballots;
            bars(
                options
                    .iter()
                    .cloned()
                    .zip(counts.iter().copied())
                    .collect(),
                ballots,
            )
        }
        (PollKind::Rating { .. }, PollResults::Rating { counts }) => {
            let total: u64 = counts.iter().sum();
            let sum: u64 = counts
                .iter()
                .enumerate()
                .map(|(i, c)| (i as u64 + 1) * c)
                .sum();
            let average = (total > 0).then(|| sum as f64 / total as f64);
            let rows = counts
                .iter()
                .enumerate()
                .map(|(i, c)| ((i + 1).to_string(), *c))
                .collect();
            view! {
                <div class="rating-results">
                    {average
                        .map(|a| {
                            view! {
                                <p class="average">
                                    {move || {
                                        ta(
                                            "average-rating",
                                            &[("average", Arg::Num((a * 10.0).round() / 10.0))],
                                        )
                                    }}
                                </p>
                            }
                        })}
                    {bars(rows, total)}
                </div>
            }
            .into_any()
        }
        (PollKind::WordCloud, PollResults::Words { mut words }) => {
            words.sort_by(|a, b| b.count.cmp(&a.count).then(a.word.cmp(&b.word)));
            words.truncate(60);
            let most = words.first().map_or(1, |w| w.count.max(1));
            // Alphabetical, so the cloud does not jump about as counts change.
            let mut shown = words.clone();
            shown.sort_by(|a, b| a.word.cmp(&b.word));
            let cloud = shown
                .into_iter()
                .map(|w| {
                    // From 1× to 3.2× the base size, by count.
                    let scale = 1.0 + 2.2 * (w.count as f64 / most as f64);
                    let count = w.count;
                    view! {
                        <li style=format!("font-size: {scale:.2}em")>
                            {w.word} <span class="visually-hidden">{move || format!(": {}", tc("answers-count", count))}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="word-cloud" aria-label=move || t("word-cloud")>
                    {cloud}
                </ul>
            }
            .into_any()
        }
        (
            PollKind::OpenText { .. },
            PollResults::Texts {
                answers, approved, ..
            },
        ) => {
            let items: Vec<_> = answers.into_iter().filter(|a| a.approved).collect();
            let shown = items.len() as u64;
            // Frames are bounded: a large poll shows a selection, and says so.
            let note = (shown < approved).then(|| {
                view! {
                    <p class="hint">
                        {move || {
                            ta(
                                "answers-shown",
                                &[("shown", Arg::Count(shown)), ("count", Arg::Count(approved))],
                            )
                        }}
                    </p>
                }
            });
            let items = items
                .into_iter()
                .map(|a| view! { <li>{a.text}</li> })
                .collect_view();
            view! {
                <ul class="text-answers">{items}</ul>
                {note}
            }
            .into_any()
        }
        (PollKind::Ranking { options }, PollResults::Ranking { scores }) => {
            let mut rows: Vec<(String, u64)> = options.iter().cloned().zip(scores).collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1));
            let items = rows
                .into_iter()
                .map(|(label, score)| {
                    view! {
                        <li>
                            <span class="label">{label}</span>
                            " "
                            <span class="count">
                                {move || ta("points", &[("count", Arg::Count(score))])}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ol class="ranking-results">{items}</ol> }.into_any()
        }
        _ => view! { <p class="hint">{move || t("results-hidden")}</p> }.into_any(),
    }
}
