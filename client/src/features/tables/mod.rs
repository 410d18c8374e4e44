//! World cafés: the session's tables as an attendee sees them on a phone ([`TablesPanel`]): the
//! round and its countdown, their own table (topic, who sits there, the video link, asking for
//! help, the table's harvest), choosing a table when the round lets them, every table's topic
//! and count, and between rounds every table's harvest ([`harvest`]). The moderator's round
//! controls and the tables at a glance are [`console`] (staff build).

#[cfg(feature = "staff")]
pub mod console;
pub mod harvest;
#[cfg(feature = "staff")]
pub mod move_person;

use crate::components::{
    clock::countdown,
    feedback::{act, announcer, problem_view},
};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use crate::text;
use leptos::prelude::*;
use plenum_protocol::{
    ClientMsg, EventCode, Round, Seat, SeatingMode, SessionId, SessionState, Table, TableMode,
    TableSet,
};

/// `seconds` as `m:ss`.
pub fn minutes(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// A table in a line: its number, topic, language and place.
pub fn table_line(t: &Table) -> String {
    let mut parts = vec![ta(
        "table-named",
        &[
            ("number", Arg::Num(f64::from(t.number))),
            ("topic", Arg::Str(t.topic.clone())),
        ],
    )];
    if let Some(l) = &t.language {
        parts.push(text::language_name(l));
    }
    match t.mode {
        TableMode::Online => parts.push(crate::i18n::t("table-online")),
        TableMode::Onsite | TableMode::Hybrid => {
            if t.mode == TableMode::Hybrid {
                parts.push(crate::i18n::t("table-hybrid"));
            }
            if let Some(p) = &t.place {
                parts.push(p.clone());
            }
        }
    }
    parts.join(" · ")
}

/// The countdown of a round, as text (with the warning once it is near the end).
#[component]
pub fn RoundClock(round: Memo<Option<Round>>) -> impl IntoView {
    let left = countdown(move || round.with(|r| r.as_ref().map(|r| r.ends_ms)));
    let warned = move || {
        round.with(|r| {
            r.as_ref().is_some_and(|r| {
                left.get()
                    .is_some_and(|s| s * 1000 <= r.ends_ms - r.warn_ms)
            })
        })
    };
    view! {
        {move || round.get().map(|r| view! {
            <p class="round-clock" class:warning=warned>
                {tc("round-number", u64::from(r.number))}
                " · "
                <span role="timer">{move || left.get().map(|s| ta("time-left", &[("time", Arg::Str(minutes(s)))]))}</span>
            </p>
        })}
        // Said once, politely, when the end is near.
        <p class="visually-hidden" aria-live="polite">
            {move || warned().then(|| t("round-ending-soon"))}
        </p>
    }
}

/// The session's tables for the person on this page.
#[component]
pub fn TablesPanel(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live: Live = expect_context();
    let inbox = crate::features::inbox::inbox(live, code.clone());
    let harvests = harvest::harvests(code.clone(), id.clone(), state);
    let set = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.tables.clone())));
    let round = Memo::new(move |_| set.with(|s| s.as_ref().and_then(|s| s.round.clone())));
    let seat = {
        let id = id.clone();
        Memo::new(move |_| {
            let number = round.with(|r| r.as_ref().map(|r| r.number))?;
            inbox.with(|i| {
                i.as_ref()?
                    .seats
                    .iter()
                    .find(|s| s.session == id && s.round == number)
                    .cloned()
            })
        })
    };
    // Said "I'm here" on this page, or seated in this session's round (after a reload, say).
    let said = RwSignal::new(None::<bool>);
    let joined = Memo::new(move |_| said.get().unwrap_or_else(|| seat.with(Option::is_some)));
    let problem = RwSignal::new(None::<String>);
    let take_part = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |here: bool| {
            let msg = ClientMsg::TakePart {
                event: code.clone(),
                session: id.clone(),
                here,
            };
            act(live, msg, problem, move |_| said.set(Some(here)));
        })
    };
    // Taking part is said again, quietly: on every new connection (the server keeps saying it
    // while a connection that said it stays open), and once a minute besides.
    {
        let (code, id) = (code.clone(), id.clone());
        let say = move || {
            if joined.try_get_untracked() == Some(true) {
                drop(live.request(ClientMsg::TakePart {
                    event: code.clone(),
                    session: id.clone(),
                    here: true,
                }));
            }
        };
        let again = say.clone();
        // Whenever the connection is open with the person taking part: a new connection, a
        // reload once the seat is known, a first "I'm here".
        Effect::new(move |was: Option<bool>| {
            let both = live.connection() == crate::live::Connection::Open && joined.get();
            if both && was != Some(true) {
                again();
            }
            both
        });
        let handle = set_interval_with_handle(say, std::time::Duration::from_secs(60)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
    // The end of a round is news: everyone is back in the session.
    Effect::new(move |before: Option<Option<u32>>| {
        let now = round.with(|r| r.as_ref().map(|r| r.number));
        if let Some(Some(n)) = before
            && now != Some(n)
        {
            announcer().say(t("round-ended"));
        }
        now
    });
    let choose = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |table: u32| {
            let msg = ClientMsg::ChooseTable {
                event: code.clone(),
                session: id.clone(),
                table,
            };
            act(live, msg, problem, |_| {});
        })
    };
    let help = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |(table, help): (u32, bool)| {
            let msg = ClientMsg::TableHelp {
                event: code.clone(),
                session: id.clone(),
                table,
                help,
            };
            act(live, msg, problem, |_| {});
        })
    };
    let self_select = move || {
        round.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.seating == SeatingMode::SelfSelect)
        })
    };
    let (here_code, here_id) = (StoredValue::new(code.clone()), StoredValue::new(id.clone()));
    view! {
        <Show when=move || set.with(Option::is_some)>
            <section class="tables panel" aria-labelledby="tables-heading">
                <h2 id="tables-heading" tabindex="-1">{move || t("tables")}</h2>
                {move || set.with(|s| s.as_ref().and_then(|s| s.message.clone())).map(|m| view! {
                    <p class="note tables-message"><strong>{t("message-to-tables")}</strong> " " {m.text}</p>
                })}
                <RoundClock round />
                {
                    move || match (round.get(), seat.get()) {
                        (Some(_), Some(seat)) => your_table(seat, set, help, here_code.get_value(), here_id.get_value(), harvests).into_any(),
                        (Some(_), None) if self_select() => view! { <p>{t("choose-a-table")}</p> }.into_any(),
                        (Some(_), None) => view! { <p>{t("not-seated")}</p> }.into_any(),
                        (None, _) => view! { <p>{t("between-rounds")}</p> }.into_any(),
                    }
                }
                <p>
                    {
                        move || {
                            if joined.get() {
                                view! {
                                    <button id="leave-tables" type="button" on:click=move |_| take_part.run(false)>{t("leave-tables")}</button>
                                }.into_any()
                            } else {
                                view! {
                                    <button id="take-part-tables" type="button" class="primary" on:click=move |_| take_part.run(true)>{t("take-part-tables")}</button>
                                }.into_any()
                            }
                        }
                    }
                </p>
                {problem_view(problem)}
                <h3>{move || t("all-tables")}</h3>
                <ul class="table-list">
                    {move || {
                        let mine = seat.with(|s| s.as_ref().and_then(|s| s.table));
                        set.get().map(|s| s.tables).unwrap_or_default().into_iter().map(move |table| {
                            let number = table.number;
                            let (full, closed) = (table.seated >= table.capacity, table.closed);
                            view! {
                                <li class:mine=mine == Some(number)>
                                    <span>{table_line(&table)}</span>
                                    " · "
                                    <span class="count">{ta("seated-of", &[("seated", Arg::Num(f64::from(table.seated))), ("capacity", Arg::Num(f64::from(table.capacity)))])}</span>
                                    {(self_select() && mine != Some(number)).then(|| view! {
                                        " "
                                        <button type="button" disabled={full || closed} on:click=move |_| choose.run(number)>
                                            {if closed { t("table-closed") } else if full { t("table-full") } else { t("sit-here") }}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
                <Show when=move || seat.with(|s| s.as_ref().and_then(|s| s.table).is_none())>
                    <harvest::Harvests set harvests />
                </Show>
            </section>
        </Show>
    }
}

/// The person's own table: its topic, who sits there, the video link, asking for help.
fn your_table(
    seat: Seat,
    set: Memo<Option<TableSet>>,
    help: Callback<(u32, bool)>,
    code: EventCode,
    id: SessionId,
    harvests: Memo<Vec<plenum_protocol::Harvest>>,
) -> impl IntoView {
    let Some(number) = seat.table else {
        return view! { <p>{t("no-seat-left")}</p> }.into_any();
    };
    let table = Memo::new(move |_| set.with(|s| s.as_ref().and_then(|s| s.table(number).cloned())));
    let asked = move || table.with(|t| t.as_ref().is_some_and(|t| t.help));
    let video = seat.video.as_deref().and_then(text::safe_href);
    view! {
        <div id="your-table" class="your-table" aria-live="polite">
            <p class="your-table-title">
                <strong>{move || table.with(|t| t.as_ref().map(table_line))}</strong>
                {seat.host.then(|| view! { " " <span class="badge">{t("you-host")}</span> })}
            </p>
            <p>{tc("people-at-table", seat.members.len() as u64)}</p>
            <ul class="members">
                {seat.members.into_iter().map(|m| {
                    let who = match (&m.name, &m.organisation) {
                        (Some(n), Some(o)) => format!("{n}, {o}"),
                        (Some(n), None) => n.clone(),
                        (None, Some(o)) => format!("{} ({o})", t("anonymous")),
                        (None, None) => t("anonymous"),
                    };
                    view! { <li>{who}{m.host.then(|| view! { " " <span class="badge">{t("table-host")}</span> })}</li> }
                }).collect_view()}
            </ul>
            {video.map(|href| view! {
                <p><a class="button" href=href target="_blank" rel="noopener noreferrer">{t("join-table-video")}</a></p>
            })}
            <p>
                {move || {
                    if asked() {
                        view! { <span>{t("help-asked")}</span> " " <button type="button" on:click=move |_| help.run((number, false))>{t("help-not-needed")}</button> }.into_any()
                    } else {
                        view! { <button id="ask-for-help" type="button" on:click=move |_| help.run((number, true))>{t("ask-for-help")}</button> }.into_any()
                    }
                }}
            </p>
            <harvest::HarvestEditor code id table=number harvests editor=seat.host />
        </div>
    }
    .into_any()
}
