//! The meeting area's big screen (`/e/{CODE}/meetings/screen`): the slot now (or next) with
//! its countdown, the tables' plan (each place and its table numbers) and the link to one's
//! own meetings. It names nobody: who meets whom is for the two of them, on their phones.

use leptos::prelude::*;
use plenum_protocol::{EventCode, PlanSlot};

use super::Meet;
use crate::components::{clock::ticking_now, qr::Qr};
use crate::i18n::{Arg, t, ta, tc};
use crate::route::{Route, public_origin};
use crate::time;

#[component]
pub fn MeetingsScreen(code: EventCode) -> impl IntoView {
    let live: crate::live::Live = expect_context();
    let meet = Meet::new(live, code.clone());
    crate::components::follow::page_title(move || t("meetings-screen"));
    let now = ticking_now(std::time::Duration::from_secs(1));
    // The slot running now, else the next one today or later: (slot, start, end).
    let slot = Memo::new(move |_| {
        let now = now.get();
        let slots: Vec<PlanSlot> = meet
            .plan
            .with(|p| p.as_ref().map(|p| p.slots()).unwrap_or_default());
        meet.event.track();
        slots
            .into_iter()
            .filter_map(|s| meet.instants(&s.at).map(|(a, b)| (s, a, b)))
            .find(|(_, _, end)| *end > now)
    });
    // The tables by place, in the plan's order.
    let places = Memo::new(move |_| {
        let mut out: Vec<(String, Vec<u32>)> = Vec::new();
        meet.plan.with(|p| {
            for table in p.iter().flat_map(|p| &p.tables) {
                let place = table.place.clone().unwrap_or_default();
                match out.iter_mut().find(|(p, _)| *p == place) {
                    Some((_, numbers)) => numbers.push(table.number),
                    None => out.push((place, vec![table.number])),
                }
            }
        });
        out
    });
    let url = format!(
        "{}{}",
        public_origin(),
        Route::Meetings(code.clone()).path()
    );
    let shown = url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    let status = move || {
        let now = now.get();
        slot.get().map(|(s, start, end)| {
            let mins = |ms: i64| ((ms + 59_999) / 60_000).max(0) as u64;
            let when = meet.when(&s.at);
            if now < start {
                let left = if start - now < 12 * 3_600_000 {
                    tc("meeting-starts-in", mins(start - now))
                } else {
                    String::new()
                };
                (ta("screen-next-slot", &[("when", Arg::Str(when))]), left)
            } else {
                (
                    ta("screen-slot-now", &[("when", Arg::Str(when))]),
                    tc("meeting-ends-in", mins(end - now)),
                )
            }
        })
    };
    view! {
        <div class="big-screen meetings-screen">
            <header class="screen-top">
                <div>
                    <p class="screen-event">{move || meet.event.with(|e| e.as_ref().map(|e| e.title.clone()))}</p>
                    <h1 class="screen-session">{move || t("meetings")}</h1>
                </div>
                <div class="screen-join">
                    <Qr text=url label=t("meetings-screen-qr") />
                    <p class="join-words">
                        <span class="join-label">{move || t("meetings-screen-find")}</span>
                        <span class="join-url">{shown}</span>
                    </p>
                </div>
            </header>
            <div class="screen-focus">
                {move || match status() {
                    Some((what, left)) => view! {
                        <p class="screen-kicker">{what}</p>
                        <p class="screen-question" role="timer">{left}</p>
                    }.into_any(),
                    None => view! { <p class="screen-kicker">{t("screen-no-slot")}</p> }.into_any(),
                }}
                <ul class="table-plan" aria-label=move || t("meetings-table-plan")>
                    {move || places.get().into_iter().map(|(place, numbers)| {
                        let place = if place.is_empty() { t("meetings-tables") } else { place };
                        view! {
                            <li>
                                <span class="plan-place">{place}</span>
                                <span class="plan-tables">{numbers.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" · ")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <p class="screen-meta">{move || time::clock(now.get())}</p>
        </div>
    }
}
