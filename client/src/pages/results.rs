//! Results, drawn and written: every chart is also text (each bar's label, count and share
//! are words in the page), so a screen reader, a zoomed phone and the back row of the room
//! read the same thing. Used by the session page, the speaker console and the big screen.

use leptos::prelude::*;
use plenum_protocol::{Award, Poll, PollKind, PollResults, Quiz};

use crate::i18n::{Arg, percent, t, ta, tc};

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
        (PollKind::OpenText { .. }, PollResults::Texts { answers }) => {
            let items = answers
                .into_iter()
                .filter(|a| a.approved)
                .map(|a| view! { <li>{a.text}</li> })
                .collect_view();
            view! { <ul class="text-answers">{items}</ul> }.into_any()
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

/// Labelled bars: "Label — 12 votes, 40%".
pub fn bars(rows: Vec<(String, u64)>, whole: u64) -> AnyView {
    let most = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let items = rows
        .into_iter()
        .map(|(label, count)| {
            let width = 100.0 * count as f64 / most as f64;
            view! {
                <li class="bar-row">
                    <span class="label">{label}</span>
                    <span class="bar" aria-hidden="true">
                        <span class="fill" style=format!("width: {width:.1}%")></span>
                    </span>
                    <span class="count">
                        {move || format!("{} · {}", tc("votes", count), percent(count, whole))}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bars">{items}</ul> }.into_any()
}

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

/// The places of an award revealed so far, from the first place revealed down.
pub fn award_placings(award: &Award) -> AnyView {
    let mut placings = award.revealed.clone();
    placings.sort_by_key(|p| p.place);
    let rows = placings
        .into_iter()
        .map(|p| {
            let candidate = award.candidates.get(p.candidate as usize).cloned();
            let name = candidate.as_ref().map(|c| c.name.clone()).unwrap_or_default();
            let org = candidate.and_then(|c| c.organisation);
            let (place, votes) = (p.place, p.votes);
            view! {
                <li class="placing" data-place=place>
                    <span class="place">{move || ta("place", &[("place", Arg::Count(u64::from(place)))])}</span>
                    " "
                    <span class="name">{name}</span>
                    {org.map(|o| view! { <span class="org">{format!(" · {o}")}</span> })}
                    " "
                    <span class="count">{move || tc("votes", votes)}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="placings">{rows}</ol> }.into_any()
}
