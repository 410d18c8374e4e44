//! The moderator's tables: setting them up, starting, extending and ending rounds, a message to
//! every table, and every table at a glance (how many sit there, whether its host is there,
//! who asked for help).

use super::{RoundClock, table_line};
use crate::components::feedback::{act, problem_view};
use crate::i18n::{Arg, t, ta};
use crate::live::Live;
use leptos::prelude::*;
use plenum_protocol::{
    ClientMsg, EventCode, SeatingMode, SessionId, SessionKind, SessionState, TableMode, TableSpec,
    TablesSetup,
};

/// Tables from the setup form: `count` tables of `seats`, topics one a line (the rest get a
/// numbered one), all in `language` (empty: any).
fn setup_from(count: u32, seats: u32, language: &str, topics: &str, video: &str) -> TablesSetup {
    let topics: Vec<&str> = topics
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    TablesSetup {
        tables: (1..=count)
            .map(|number| TableSpec {
                number,
                topic: topics
                    .get(number as usize - 1)
                    .map(|s| (*s).to_owned())
                    .unwrap_or_else(|| {
                        ta("table-number", &[("number", Arg::Num(f64::from(number)))])
                    }),
                language: (!language.is_empty()).then(|| language.to_owned()),
                capacity: seats,
                mode: TableMode::Online,
                place: None,
                host: None,
            })
            .collect(),
        video: (!video.trim().is_empty()).then(|| video.trim().to_owned()),
        ..TablesSetup::default()
    }
}

#[component]
pub fn TablesConsole(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> impl IntoView {
    let live: Live = expect_context();
    let crate::pages::EventData(info) = expect_context();
    // Only sessions that hold tables offer them.
    let holds = {
        let id = id.clone();
        Memo::new(move |_| {
            info.with(|i| {
                i.as_ref()
                    .and_then(|r| r.as_ref().ok())
                    .and_then(|e| e.agenda.sessions.iter().find(|s| s.id == id))
                    .is_some_and(|s| {
                        matches!(
                            s.kind,
                            SessionKind::WorldCafe | SessionKind::Breakout | SessionKind::Workshop
                        )
                    })
            })
        })
    };
    let set = Memo::new(move |_| state.with(|s| s.as_ref().and_then(|s| s.tables.clone())));
    let round = Memo::new(move |_| set.with(|s| s.as_ref().and_then(|s| s.round.clone())));
    let problem = RwSignal::new(None::<String>);
    let send = move |msg: ClientMsg| act(live, msg, problem, |_| {});

    // The setup form.
    let count = RwSignal::new("8".to_owned());
    let seats = RwSignal::new("6".to_owned());
    let language = RwSignal::new(String::new());
    let topics = RwSignal::new(String::new());
    let video = RwSignal::new(String::new());
    let set_up = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let n = count.get_untracked().trim().parse().unwrap_or(0);
            let s = seats.get_untracked().trim().parse().unwrap_or(0);
            let setup = setup_from(
                n,
                s,
                &language.get_untracked(),
                &topics.get_untracked(),
                &video.get_untracked(),
            );
            send(ClientMsg::SetTables {
                event: code.clone(),
                session: id.clone(),
                setup: Some(setup),
            });
        })
    };
    // Starting a round.
    let round_minutes = RwSignal::new("20".to_owned());
    let seating = RwSignal::new("rotation".to_owned());
    let start = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let minutes: f64 = round_minutes.get_untracked().trim().parse().unwrap_or(0.0);
            let seating = match seating.get_untracked().as_str() {
                "random" => SeatingMode::Random,
                "self_select" => SeatingMode::SelfSelect,
                _ => SeatingMode::Rotation,
            };
            send(ClientMsg::StartRound {
                event: code.clone(),
                session: id.clone(),
                seconds: (minutes * 60.0).round().max(0.0) as u32,
                seating,
                assignments: Vec::new(),
            });
        })
    };
    let (c1, i1, c2, i2, c3, i3) = (
        code.clone(),
        id.clone(),
        code.clone(),
        id.clone(),
        code.clone(),
        id.clone(),
    );
    let extend = Callback::new(move |_: ()| {
        send(ClientMsg::ExtendRound {
            event: c1.clone(),
            session: i1.clone(),
            seconds: 300,
        })
    });
    let end = Callback::new(move |_: ()| {
        send(ClientMsg::EndRound {
            event: c2.clone(),
            session: i2.clone(),
        })
    });
    let message = RwSignal::new(String::new());
    let say = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(ClientMsg::MessageTables {
            event: c3.clone(),
            session: i3.clone(),
            text: message.get_untracked(),
        });
        message.set(String::new());
    });
    // Closing a table (its people are seated elsewhere), or opening it again.
    let close = {
        let (code, id) = (code.clone(), id.clone());
        Callback::new(move |(table, closed): (u32, bool)| {
            send(ClientMsg::CloseTable {
                event: code.clone(),
                session: id.clone(),
                table,
                closed,
            })
        })
    };
    let (move_code, move_id) = (StoredValue::new(code.clone()), StoredValue::new(id.clone()));
    let remove = Callback::new(move |_: ()| {
        send(ClientMsg::SetTables {
            event: code.clone(),
            session: id.clone(),
            setup: None,
        })
    });
    view! {
        <Show when=move || holds.get() || set.with(Option::is_some)>
        <section class="panel tables-console" aria-labelledby="tables-console-heading">
            <h2 id="tables-console-heading">{move || t("tables")}</h2>
            <Show
                when=move || set.with(Option::is_some)
                fallback=move || view! {
                    <form class="stack" on:submit=move |ev| set_up.run(ev)>
                        <p>{t("tables-setup-help")}</p>
                        <label>{t("tables-count")} <input type="number" min="1" max="200" required bind:value=count /></label>
                        <label>{t("tables-seats")} <input type="number" min="2" max="50" required bind:value=seats /></label>
                        <label>{t("tables-language")}
                            <select bind:value=language>
                                <option value="">{t("tables-any-language")}</option>
                                <option value="en">"English"</option>
                                <option value="sv">"Svenska"</option>
                            </select>
                        </label>
                        <label>{t("tables-topics")} " " <span class="hint">{t("tables-topics-hint")}</span>
                            <textarea rows="6" bind:value=topics></textarea>
                        </label>
                        <label>{t("tables-video")} " " <span class="hint">{t("tables-video-hint")}</span>
                            <input type="url" placeholder="https://meet.example.org/{session}-{table}" bind:value=video />
                        </label>
                        <button id="set-up-tables" type="submit" class="primary">{t("tables-set-up")}</button>
                    </form>
                }
            >
                <RoundClock round />
                {
                    move || match round.get() {
                        None => {
                            view! {
                                <form class="inline" on:submit=move |ev| start.run(ev)>
                                    <label>{t("round-minutes")} <input id="round-minutes" type="number" min="0.5" max="120" step="0.5" required bind:value=round_minutes /></label>
                                    <label>{t("round-seating")}
                                        <select bind:value=seating>
                                            <option value="rotation">{t("seating-rotation")}</option>
                                            <option value="random">{t("seating-random")}</option>
                                            <option value="self_select">{t("seating-self-select")}</option>
                                        </select>
                                    </label>
                                    <button id="start-round" type="submit" class="primary">{t("start-round")}</button>
                                </form>
                                <p><button type="button" on:click=move |_| remove.run(())>{t("tables-remove")}</button></p>
                            }.into_any()
                        }
                        Some(_) => {
                            view! {
                                <p class="inline">
                                    <button id="extend-round" type="button" on:click=move |_| extend.run(())>{t("extend-round")}</button>
                                    " "
                                    <button id="end-round" type="button" on:click=move |_| end.run(())>{t("end-round")}</button>
                                </p>
                            }.into_any()
                        }
                    }
                }
                <form class="inline" on:submit=move |ev| say.run(ev)>
                    <label>{t("message-to-tables")} <input type="text" maxlength="280" required bind:value=message /></label>
                    <button type="submit">{t("send")}</button>
                </form>
                <ul class="table-grid">
                    {move || { let running = round.with(Option::is_some); set.get().map(|s| s.tables).unwrap_or_default().into_iter().map(move |table| view! {
                        <li class:help=table.help class:closed=table.closed>
                            <span>{table_line(&table)}</span>
                            " · "
                            <span class="count">{ta("seated-of", &[("seated", Arg::Num(f64::from(table.seated))), ("capacity", Arg::Num(f64::from(table.capacity)))])}</span>
                            {(table.hosted && running && !table.closed).then(|| if table.host_here {
                                view! { " · " <span class="host-here">{t("table-host-here")}</span> }.into_any()
                            } else {
                                view! { " · " <strong class="host-away">{t("table-host-away")}</strong> }.into_any()
                            })}
                            {table.help.then(|| view! { " " <strong class="badge live">{t("table-needs-help")}</strong> })}
                            {table.closed.then(|| view! { " · " <strong class="closed">{t("table-closed")}</strong> })}
                            " "
                            <button type="button" class="small"
                                aria-label=ta(if table.closed { "open-table-n" } else { "close-table-n" }, &[("number", Arg::Num(f64::from(table.number)))])
                                on:click=move |_| close.run((table.number, !table.closed))>
                                {t(if table.closed { "open-table" } else { "close-table" })}
                            </button>
                        </li>
                    }).collect_view() }}
                </ul>
                <Show when=move || round.with(Option::is_some)>
                    <super::move_person::MovePerson code=move_code.get_value() id=move_id.get_value() set />
                </Show>
            </Show>
            {problem_view(problem)}
        </section>
        </Show>
    }
}
