//! Results, drawn and written: every chart is also text (each bar's label, count and share
//! are words in the page), so a screen reader, a zoomed phone and the back row of the room
//! read the same thing. The bar chart every result uses.

use crate::i18n::{percent, tc};
use leptos::prelude::*;

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
