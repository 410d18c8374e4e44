//! Time that moves: a ticking "now" and countdowns, for as long as the screen lives.

use crate::time;
use leptos::prelude::*;

/// The time now, updated every `period` while the calling screen lives.
pub fn ticking_now(period: std::time::Duration) -> RwSignal<i64> {
    let now = RwSignal::new(time::now_ms());
    let handle = set_interval_with_handle(
        move || {
            let _ = now.try_set(time::now_ms());
        },
        period,
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    now
}

#[cfg_attr(not(feature = "staff"), allow(dead_code))]
/// A countdown in whole seconds to `until_ms`, ticking while the screen lives.
pub fn countdown(
    until_ms: impl Fn() -> Option<i64> + Send + Sync + 'static,
) -> Signal<Option<i64>> {
    let now = ticking_now(std::time::Duration::from_millis(250));
    Signal::derive(move || {
        until_ms().map(|until| ((until - now.get()) as f64 / 1000.0).ceil().max(0.0) as i64)
    })
}
