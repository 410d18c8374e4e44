//! Results, drawn and written: every chart is also text (each bar's label, count and share
//! are words in the page), so a screen reader, a zoomed phone and the back row of the room
//! read the same thing. The bar chart every result uses.

use crate::i18n::{percent, tc};
use leptos::prelude::*;

/// Labelled bars: "Label — 12 votes, 40%". A bar is as long as its share of `whole` (the
/// ballots): 33% fills a third of it, whatever the leading option has.
pub fn bars(rows: Vec<(String, u64)>, whole: u64) -> AnyView {
    let items = rows
        .into_iter()
        .map(|(label, count)| {
            let width = (100.0 * count as f64 / whole.max(1) as f64).min(100.0);
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
