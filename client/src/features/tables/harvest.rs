//! A table's harvest: the points its people write together, kept across rounds. At the table
//! ([`HarvestEditor`]) everyone seated adds points, and the host (and staff) reword, remove and
//! reorder them; between rounds, in the session and on the big screen ([`Harvests`]), every
//! table's harvest is shown table by table. Points are plain text, never markup.

use crate::components::feedback::{act, problem_view};
use crate::i18n::{Arg, t, ta, tc};
use crate::live::Live;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plenum_protocol::{
    ClientMsg, EventCode, Harvest, HarvestChange, Listing, RoomId, ServerMsg, SessionId,
    SessionState, TableSet, limits,
};

/// The harvests of `state`, with the ones a snapshot left out fetched (`page`): once, and
/// again when a reconnect's snapshot leaves out more than was left.
pub fn harvests(
    code: EventCode,
    id: SessionId,
    state: Memo<Option<SessionState>>,
) -> Memo<Vec<Harvest>> {
    let live: Live = expect_context();
    let asked = StoredValue::new(false);
    let last_left = StoredValue::new(0u64);
    Effect::new(move || {
        let left = state.with(|s| s.as_ref().map_or(0, |s| s.omitted.harvests));
        // Only a snapshot raises what was left out (a reconnect's): ask again then.
        if left > last_left.get_value() {
            asked.set_value(false);
        }
        last_left.set_value(left);
        if left == 0 || asked.get_value() {
            return;
        }
        asked.set_value(true);
        let room = RoomId::Session(code.clone(), id.clone());
        spawn_local(async move {
            let mut before = state.with_untracked(|s| {
                s.as_ref()
                    .and_then(|s| s.harvests.first())
                    .map(|h| u64::from(h.table))
            });
            // Page by page until nothing is left (each page adds itself to the state).
            for _ in 0..limits::MAX_TABLES {
                let reply = live
                    .request(ClientMsg::Page {
                        room: room.clone(),
                        of: Listing::Harvests,
                        before,
                    })
                    .await;
                match reply {
                    Ok(ServerMsg::Page { harvests, more, .. }) if more && !harvests.is_empty() => {
                        before = harvests.last().map(|h| u64::from(h.table));
                    }
                    Ok(_) => break,
                    // Cut off (a reconnect, a refusal): the next snapshot asks again.
                    Err(_) => {
                        asked.set_value(false);
                        last_left.set_value(0);
                        break;
                    }
                }
            }
        });
    });
    Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.harvests.clone()).unwrap_or_default()))
}

/// Sends one change to table `table`'s harvest.
fn send(
    live: Live,
    code: &EventCode,
    id: &SessionId,
    table: u32,
    change: HarvestChange,
    problem: RwSignal<Option<String>>,
    done: impl FnOnce() + 'static,
) {
    let msg = ClientMsg::Harvest {
        event: code.clone(),
        session: id.clone(),
        table,
        change,
    };
    act(live, msg, problem, move |_| done());
}

/// The harvest of the person's table: its points, a field to add one, and for the host (or
/// staff) rewording, removing and moving each.
#[component]
pub fn HarvestEditor(
    code: EventCode,
    id: SessionId,
    table: u32,
    harvests: Memo<Vec<Harvest>>,
    /// The table's host, or staff.
    editor: bool,
) -> impl IntoView {
    let live: Live = expect_context();
    let points = Memo::new(move |_| {
        harvests.with(|all| {
            all.iter()
                .find(|h| h.table == table)
                .map(|h| h.points.clone())
                .unwrap_or_default()
        })
    });
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let (event, session) = (StoredValue::new(code), StoredValue::new(id));
    let change = move |change: HarvestChange, done: Box<dyn FnOnce()>| {
        send(
            live,
            &event.get_value(),
            &session.get_value(),
            table,
            change,
            problem,
            done,
        )
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        change(
            HarvestChange::Add { text },
            Box::new(move || typed.set(String::new())),
        );
    };
    let full = move || points.with(Vec::len) >= limits::MAX_HARVEST_POINTS;
    let heading = format!("harvest-{table}");
    let labelled = heading.clone();
    view! {
        <div class="harvest" role="group" aria-labelledby=labelled>
            <h3 id=heading>{move || t("harvest")}</h3>
            <p class="hint">{move || t("harvest-hint")}</p>
            <Show when=move || points.with(|p| !p.is_empty()) fallback=move || view! { <p class="empty">{t("harvest-empty")}</p> }>
                <ol class="harvest-points">
                    {move || {
                        let n = points.with(Vec::len);
                        points.get().into_iter().enumerate().map(|(at, p)| {
                            let point = p.id;
                            let editing = RwSignal::new(false);
                            let draft = RwSignal::new(p.text.clone());
                            let label = ta("harvest-point", &[("number", Arg::Num(at as f64 + 1.0))]);
                            let form_label = label.clone();
                            view! {
                                <li>
                                    <Show when=move || editing.get() fallback={
                                        let text = p.text.clone();
                                        move || view! { <span class="point">{text.clone()}</span> }
                                    }>
                                        <form class="inline" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                            ev.prevent_default();
                                            change(HarvestChange::Edit { point, text: draft.get_untracked() }, Box::new(move || editing.set(false)));
                                        }>
                                            <label class="visually-hidden" for=format!("point-{table}-{point}")>{form_label.clone()}</label>
                                            <input id=format!("point-{table}-{point}") type="text" maxlength=limits::MAX_HARVEST_POINT_CHARS.to_string()
                                                prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) />
                                            <button type="submit" class="small">{t("save")}</button>
                                            <button type="button" class="small" on:click=move |_| editing.set(false)>{t("cancel")}</button>
                                        </form>
                                    </Show>
                                    {editor.then(|| {
                                        let label = label.clone();
                                        view! {
                                            <span class="row-actions">
                                                <button type="button" class="small" aria-label=ta("edit-point", &[("point", Arg::Str(label.clone()))]) on:click=move |_| editing.set(true)>{t("edit")}</button>
                                                <button type="button" class="small" disabled={at == 0} aria-label=ta("move-point-up", &[("point", Arg::Str(label.clone()))])
                                                    on:click=move |_| change(HarvestChange::Move { point, to: at.saturating_sub(1) as u32 }, Box::new(|| {}))>"↑"</button>
                                                <button type="button" class="small" disabled={at + 1 >= n} aria-label=ta("move-point-down", &[("point", Arg::Str(label.clone()))])
                                                    on:click=move |_| change(HarvestChange::Move { point, to: at as u32 + 1 }, Box::new(|| {}))>"↓"</button>
                                                <button type="button" class="small" aria-label=ta("remove-point", &[("point", Arg::Str(label.clone()))])
                                                    on:click=move |_| change(HarvestChange::Remove { point }, Box::new(|| {}))>{t("remove")}</button>
                                            </span>
                                        }
                                    })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ol>
            </Show>
            <form class="stack harvest-add" on:submit=add>
                <label for=format!("harvest-text-{table}")>{move || t("harvest-add-label")}</label>
                <input id=format!("harvest-text-{table}") type="text" maxlength=limits::MAX_HARVEST_POINT_CHARS.to_string()
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) prop:disabled=full />
                <button type="submit" prop:disabled=full>{move || if full() { t("harvest-full") } else { t("harvest-add") }}</button>
            </form>
            {problem_view(problem)}
        </div>
    }
}

/// Every table's harvest, table by table (the session between rounds, the big screen).
#[component]
pub fn Harvests(set: Memo<Option<TableSet>>, harvests: Memo<Vec<Harvest>>) -> impl IntoView {
    let shown = Memo::new(move |_| {
        harvests.with(|all| {
            all.iter()
                .filter(|h| !h.points.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || shown.with(|s| !s.is_empty())>
            <section class="harvests" aria-labelledby="harvests-heading">
                <h3 id="harvests-heading">{move || t("harvests")}</h3>
                <p class="hint">{move || tc("harvests-count", shown.with(Vec::len) as u64)}</p>
                {move || shown.get().into_iter().map(|h| {
                    let title = set.with(|s| {
                        s.as_ref()
                            .and_then(|s| s.table(h.table))
                            .map(super::table_line)
                    })
                    .unwrap_or_else(|| ta("table-number", &[("number", Arg::Num(f64::from(h.table)))]));
                    view! {
                        <article class="table-harvest">
                            <h4>{title}</h4>
                            <ol>{h.points.into_iter().map(|p| view! { <li>{p.text}</li> }).collect_view()}</ol>
                        </article>
                    }
                }).collect_view()}
            </section>
        </Show>
    }
}
