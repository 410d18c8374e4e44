//! A booth's meetings on its page. Its staff see them as the booth sees them (the booth is "me":
//! they answer, propose, cancel for it), read once over HTTP when the page opens and then kept
//! current by their inbox; and they set when the booth meets. A visitor asks the booth's team
//! for a meeting.

use std::collections::BTreeMap;

use leptos::prelude::*;
use plenum_protocol::{BoothId, EventCode, Meeting, MeetingStatus};

use super::page::{Cards, status_line};
use super::settings::PreferencesForm;
use super::{Meet, find::AskToMeet, my_turn};
use crate::api;
use crate::i18n::{t, tc};
use crate::live::Live;
use crate::route::{Link, Route};

/// "Meet our team": a visitor asks the booth for a meeting (once the event has a plan); one
/// they asked already shows where it stands, with the way to their meetings.
#[component]
pub fn MeetTheTeam(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let meet = Meet::new(live, code.clone());
    provide_context(meet);
    let ids = format!("booth-{booth}-meet");
    let id = StoredValue::new(booth);
    let asked = Memo::new(move |_| {
        let me = meet.me.get().unwrap_or_default();
        let booth = id.get_value();
        meet.inbox.with(|i| {
            i.iter()
                .flat_map(|i| &i.meetings)
                .find(|m| m.status.open() && m.booth.as_ref() == Some(&booth) && m.has(&me))
                .map(|m| status_line(m, &me))
        })
    });
    let to = Route::Meetings(code);
    view! {
        <Show when=move || meet.plan.with(Option::is_some)>
            <section class="panel" aria-labelledby="meet-team-heading">
                <h2 id="meet-team-heading">{move || t("booth-meet-team")}</h2>
                {
                    let (ids, to) = (ids.clone(), to.clone());
                    move || match asked.get() {
                        Some(status) => view! {
                            <p role="status">{t("booth-meet-team-asked")} " " {status}</p>
                            <p><Link to=to.clone()>{t("meetings-yours")}</Link></p>
                        }.into_any(),
                        None => view! {
                            <p class="hint">{t("booth-meet-team-hint")}</p>
                            <AskToMeet to=None booth=id.get_value() ids=ids.clone() />
                        }.into_any(),
                    }
                }
            </section>
        </Show>
    }
}

/// The booth's meetings, for its staff: those waiting for the booth's answer, the booked ones
/// in time order, the rest; and when the booth meets.
#[component]
pub fn BoothMeetings(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let meet = Meet::for_booth(live, code.clone(), &booth);
    provide_context(meet);
    let fetched = {
        let (code, booth) = (code.clone(), booth.clone());
        LocalResource::new(move || {
            let (code, booth) = (code.clone(), booth.clone());
            async move { api::booths::meetings(&code, &booth).await }
        })
    };
    let id = StoredValue::new(booth.clone());
    // What the page read, with every newer version the inbox has since (the highest
    // `sequence` of each meeting wins), newest first.
    let all = Memo::new(move |_| {
        let mut by_id: BTreeMap<u64, Meeting> = fetched
            .get()
            .and_then(Result::ok)
            .map(|b| b.meetings)
            .unwrap_or_default()
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        meet.inbox.with(|i| {
            let booth = id.get_value();
            for m in i.iter().flat_map(|i| &i.meetings) {
                if m.booth.as_ref() != Some(&booth) {
                    continue;
                }
                if by_id
                    .get(&m.id)
                    .is_none_or(|old| old.sequence <= m.sequence)
                {
                    by_id.insert(m.id, m.clone());
                }
            }
        });
        by_id.into_values().rev().collect::<Vec<_>>()
    });
    let me = meet.me;
    let pick = move |keep: fn(&Meeting, &str) -> bool| {
        Memo::new(move |_| {
            let me = me.get().unwrap_or_default();
            all.with(|ms| {
                ms.iter()
                    .filter(|m| keep(m, &me))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let to_answer = pick(my_turn);
    let booked = {
        let list = pick(|m, me| {
            m.status == MeetingStatus::Accepted && m.slot.is_some() && !my_turn(m, me)
        });
        Memo::new(move |_| {
            let mut ms = list.get();
            ms.sort_by(|a, b| a.slot.cmp(&b.slot));
            ms
        })
    };
    let waiting = pick(|m, me| {
        m.status.open()
            && !my_turn(m, me)
            && !(m.status == MeetingStatus::Accepted && m.slot.is_some())
    });
    let closed = pick(|m, _| !m.status.open());
    let preferences =
        Signal::derive(move || fetched.get().and_then(Result::ok).map(|b| b.preferences));
    let saved = Callback::new(move |()| fetched.refetch());
    let failed = move || {
        fetched
            .get()
            .and_then(|r| r.err())
            .map(|e| view! { <p class="error" role="alert">{e.message()}</p> })
    };
    view! {
        <Show when=move || meet.plan.with(Option::is_some)>
            <section class="panel booth-meetings" aria-labelledby="booth-meetings-heading">
                <h2 id="booth-meetings-heading">{move || t("booth-meetings")}</h2>
                <p class="hint">{move || t("booth-meetings-hint")}</p>
                {failed}
                <h3>{move || tc("meetings-to-answer", to_answer.with(Vec::len) as u64)}</h3>
                {move || to_answer.with(Vec::is_empty).then(|| view! { <p class="hint">{t("meetings-nothing-to-answer")}</p> })}
                <Cards list=to_answer />
                <h3>{move || t("booth-meetings-booked")}</h3>
                {move || booked.with(Vec::is_empty).then(|| view! { <p class="hint">{t("booth-meetings-none")}</p> })}
                <Cards list=booked />
                <Show when=move || waiting.with(|w| !w.is_empty())>
                    <h3>{move || t("booth-meetings-waiting")}</h3>
                    <Cards list=waiting />
                </Show>
                <Show when=move || closed.with(|c| !c.is_empty())>
                    <details class="closed-meetings">
                        <summary>{move || tc("meetings-closed", closed.with(Vec::len) as u64)}</summary>
                        <Cards list=closed />
                    </details>
                </Show>
            </section>
            <PreferencesForm kept=preferences booth=id.get_value() saved />
        </Show>
    }
}
