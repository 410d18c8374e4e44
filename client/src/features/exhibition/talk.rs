//! "Talk now" at a booth: the visitor's panel (ask, their place in the queue, the one who
//! accepted and the booth's call link, leaving) and the staff's desk (being at the booth, the
//! queue with a button to accept each visitor, who is talking with whom, the counts). Both
//! read the person's inbox, which the server keeps current (`talk_changed`,
//! `booth_queue_changed`); the first staff member to accept wins, the others are told who did.

use leptos::prelude::*;
use plenum_protocol::{BoothId, ClientMsg, EventCode, MeetingPerson, TalkStatus};

use crate::components::feedback::{act, announcer, problem_view};
use crate::features::inbox;
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use crate::route::{Link, Route};

/// How often staff at their booth say so again (the server counts them present for 90 s).
const HERE_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

fn who(p: &MeetingPerson) -> String {
    match (&p.name, &p.organisation) {
        (Some(n), Some(o)) => format!("{n} ({o})"),
        (Some(n), None) => n.clone(),
        _ => p.id.to_string(),
    }
}

/// The visitor's panel: talk now, or where their request stands.
#[component]
pub fn TalkNow(code: EventCode, booth: BoothId, staffed: Memo<bool>) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code.clone());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let mine = {
        let booth = booth.clone();
        Memo::new(move |_| {
            inbox.with(|i| {
                i.as_ref()
                    .and_then(|i| i.talks.iter().find(|t| t.booth == booth).cloned())
            })
        })
    };
    let code = StoredValue::new(code);
    let id = StoredValue::new(booth);
    let send = move |msg: ClientMsg| {
        busy.set(true);
        problem.set(None);
        act(live, msg, problem, move |_| busy.set(false));
        // Refused: `act` shows why; the button is free again.
        set_timeout(move || busy.set(false), std::time::Duration::from_secs(3));
    };
    let ask = move |_| {
        send(ClientMsg::TalkNow {
            event: code.get_value(),
            booth: id.get_value(),
        })
    };
    let leave = move |_| {
        send(ClientMsg::EndTalk {
            event: code.get_value(),
            booth: id.get_value(),
            visitor: None,
        })
    };
    // Told as it changes: a place in the queue, an acceptance.
    let speaker = announcer();
    Effect::new(move |before: Option<Option<(TalkStatus, Option<u32>)>>| {
        let now = mine.with(|t| t.as_ref().map(|t| (t.status, t.place)));
        if before.is_some() && before.flatten() != now {
            match mine.get_untracked() {
                Some(t) if t.status == TalkStatus::Accepted => speaker.say(ta(
                    "talk-accepted",
                    &[(
                        "who",
                        Arg::Str(t.with.as_ref().map(who).unwrap_or_default()),
                    )],
                )),
                Some(t) if t.status == TalkStatus::Waiting => {
                    speaker.say(tc("talk-place", u64::from(t.place.unwrap_or(1))))
                }
                _ => {}
            }
        }
        now
    });
    let meetings = Route::Meetings(code.get_value());
    view! {
        <section class="panel talk-now" aria-labelledby="talk-heading">
            <h2 id="talk-heading">{move || t("talk-now")}</h2>
            {move || {
                let talk = mine.get();
                match talk.as_ref().map(|t| t.status) {
                    Some(TalkStatus::Waiting) => {
                        let place = talk.as_ref().and_then(|t| t.place).unwrap_or(1);
                        view! {
                            <p role="status">{tc("talk-place", u64::from(place))}</p>
                            <button type="button" on:click=leave disabled=move || busy.get()>{t("talk-leave")}</button>
                        }.into_any()
                    }
                    Some(TalkStatus::Accepted) => {
                        let talk = talk.unwrap_or_else(|| unreachable!());
                        let with = talk.with.as_ref().map(who).unwrap_or_default();
                        let call = talk.call.filter(|c| c.starts_with("https://"));
                        view! {
                            <p role="status" class="sent">{ta("talk-accepted", &[("who", Arg::Str(with))])}</p>
                            {match call {
                                Some(href) => view! { <p><a class="button primary" href=href target="_blank" rel="noopener noreferrer">{t("talk-join-call")}</a></p> }.into_any(),
                                None => view! { <p class="hint">{t("talk-no-call")}</p> }.into_any(),
                            }}
                            <button type="button" on:click=leave>{t("talk-end")}</button>
                            {talk.with.clone().map(|p| {
                                let name = p.name.clone().unwrap_or_else(|| p.id.to_string());
                                view! { <crate::features::meetings::BlockOrReport person=p.id.clone() name ids="talk-safety".to_owned() code=code.get_value() /> }
                            })}
                        }.into_any()
                    }
                    status => {
                        let before = match status {
                            Some(TalkStatus::Ended) => Some(t("talk-ended")),
                            Some(TalkStatus::Missed) => Some(t("talk-missed")),
                            _ => None,
                        };
                        view! {
                            {before.map(|b| view! { <p class="meta">{b}</p> })}
                            {if staffed.get() {
                                view! {
                                    <p>{t("talk-staffed")}</p>
                                    <button type="button" class="primary" on:click=ask disabled=move || busy.get()>{t("talk-ask")}</button>
                                }.into_any()
                            } else {
                                view! {
                                    <p>{t("talk-nobody")} " " <Link to=meetings.clone()>{move || t("meetings")}</Link></p>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            }}
            {problem_view(problem)}
        </section>
    }
}

/// The staff's desk: being at the booth, and its queue.
#[component]
pub fn StaffDesk(code: EventCode, booth: BoothId) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code.clone());
    let problem = RwSignal::new(None::<String>);
    let here = RwSignal::new(false);
    let queue = {
        let booth = booth.clone();
        Memo::new(move |_| {
            inbox.with(|i| {
                i.as_ref()
                    .and_then(|i| i.queues.iter().find(|q| q.booth == booth).cloned())
            })
        })
    };
    let code = StoredValue::new(code);
    let id = StoredValue::new(booth);
    let say = move |now: bool| {
        drop(live.request(ClientMsg::BoothHere {
            event: code.get_value(),
            booth: id.get_value(),
            here: now,
        }));
    };
    // Said again every 30 seconds while at the booth; leaving the page says it no longer.
    let handle = set_interval_with_handle(
        move || {
            if here.try_get_untracked() == Some(true) {
                say(true);
            }
        },
        HERE_EVERY,
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
        if here.try_get_untracked() == Some(true) {
            say(false);
        }
    });
    // A new visitor in the queue is news.
    let speaker = announcer();
    Effect::new(move |before: Option<usize>| {
        let waiting = queue.with(|q| q.as_ref().map_or(0, |q| q.waiting.len()));
        if before.is_some_and(|b| waiting > b) {
            speaker.say(t("talk-new-visitor"));
        }
        waiting
    });
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        here.set(on);
        act(
            live,
            ClientMsg::BoothHere {
                event: code.get_value(),
                booth: id.get_value(),
                here: on,
            },
            problem,
            |_| {},
        );
    };
    let accept = move |visitor: plenum_protocol::PersonId| {
        act(
            live,
            ClientMsg::AnswerTalk {
                event: code.get_value(),
                booth: id.get_value(),
                visitor,
            },
            problem,
            |_| {},
        );
    };
    let end = move |visitor: plenum_protocol::PersonId| {
        act(
            live,
            ClientMsg::EndTalk {
                event: code.get_value(),
                booth: id.get_value(),
                visitor: Some(visitor),
            },
            problem,
            |_| {},
        );
    };
    view! {
        <section class="panel staff-desk" aria-labelledby="desk-heading">
            <h2 id="desk-heading">{move || t("talk-desk")}</h2>
            <label class="choice" for="booth-here">
                <input id="booth-here" type="checkbox" prop:checked=move || here.get() on:change=toggle />
                {move || t("talk-here")}
            </label>
            <p class="hint">{move || t("talk-here-hint")}</p>
            {problem_view(problem)}
            {move || {
                let q = queue.get().unwrap_or_else(|| plenum_protocol::BoothQueue {
                    booth: id.get_value(),
                    waiting: Vec::new(),
                    talking: Vec::new(),
                    answered: 0,
                    missed: 0,
                    requests: 0,
                    visits: 0,
                    visitors: 0,
                    contacts_asked: 0,
                    contacts_agreed: 0,
                    contacts_requested: 0,
                    contacts_version: 0,
                    gone: false,
                });
                view! {
                    <h3>{move || t("talk-waiting")}</h3>
                    {if q.waiting.is_empty() {
                        view! { <p class="meta">{t("talk-nobody-waiting")}</p> }.into_any()
                    } else {
                        view! {
                            <ol class="talk-queue">
                                {q.waiting.into_iter().filter(|r| {
                                    // A request older than 10 minutes is missed: it leaves the
                                    // queue at the booth's next change.
                                    js_sys::Date::now() - (r.asked_ms as f64) < 600_000.0
                                }).map(|r| {
                                    let visitor = r.visitor.id.clone();
                                    let name = who(&r.visitor);
                                    let label = ta("talk-accept-label", &[("who", Arg::Str(name.clone()))]);
                                    let plain = r.visitor.name.clone().unwrap_or_else(|| r.visitor.id.to_string());
                                    let ids = format!("talk-safety-{}", r.visitor.id);
                                    let person = r.visitor.id.clone();
                                    view! {
                                        <li>
                                            <span>{name}</span>
                                            " "
                                            <button type="button" class="primary" aria-label=label on:click=move |_| accept(visitor.clone())>{t("talk-accept")}</button>
                                            <crate::features::meetings::BlockOrReport person name=plain ids code=code.get_value() />
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {(!q.talking.is_empty()).then(|| view! {
                        <h3>{move || t("talk-talking")}</h3>
                        <ul class="talk-queue">
                            {q.talking.into_iter().map(|r| {
                                let visitor = r.visitor.id.clone();
                                let words = ta("talk-pair", &[
                                    ("visitor", Arg::Str(who(&r.visitor))),
                                    ("staff", Arg::Str(r.staff.as_ref().map(who).unwrap_or_default())),
                                ]);
                                view! {
                                    <li>
                                        <span>{words}</span>
                                        " "
                                        <button type="button" on:click=move |_| end(visitor.clone())>{t("talk-end")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                }
            }}
        </section>
    }
}

/// The booth's numbers, for its staff: visits, different visitors, visitors now, "talk now"
/// requests answered and missed, contact requests. Counts only, never who.
#[component]
pub fn BoothNumbers(code: EventCode, booth: BoothId, visitors_now: Memo<u32>) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = inbox::inbox(live, code);
    let queue = Memo::new(move |_| {
        inbox.with(|i| {
            i.as_ref()
                .and_then(|i| i.queues.iter().find(|q| q.booth == booth).cloned())
        })
    });
    let count = move |of: fn(&plenum_protocol::BoothQueue) -> u32| {
        move || queue.with(|q| q.as_ref().map_or(0, of))
    };
    let number = |key: &'static str, value: Signal<u32>| {
        view! {
            <div>
                <dt>{move || t(key)}</dt>
                <dd>{move || value.get()}</dd>
            </div>
        }
    };
    view! {
        <section class="panel booth-numbers" aria-labelledby="numbers-heading">
            <h2 id="numbers-heading">{move || t("booth-numbers")}</h2>
            <p class="hint">{move || t("booth-numbers-hint")}</p>
            <dl class="counts">
                {number("booth-numbers-now", visitors_now.into())}
                {number("booth-numbers-visits", Signal::derive(count(|q| q.visits)))}
                {number("booth-numbers-visitors", Signal::derive(count(|q| q.visitors)))}
                {number("booth-numbers-requests", Signal::derive(count(|q| q.requests)))}
                {number("booth-numbers-answered", Signal::derive(count(|q| q.answered)))}
                {number("booth-numbers-missed", Signal::derive(count(|q| q.missed)))}
                {number("booth-numbers-contacts", Signal::derive(count(|q| q.contacts_requested)))}
            </dl>
        </section>
    }
}
